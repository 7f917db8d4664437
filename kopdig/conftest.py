"""The shared test world (architecture §6): cooperative A with every role, cooperative B with
its own pengurus (the outsider), a Dinas officer of the kabupaten and one of another kabupaten.
"""

import datetime as dt
import os
from dataclasses import dataclass

import pytest

os.environ.setdefault(
    "KOPDIG_DATA_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test")
)


def _serialise_live_server():
    """The live server (browser tests) shares the test's database connection with its request
    threads; on in-memory SQLite two concurrent requests (a page and an HTMX call) on that one
    connection can hang. Let the server handle one request at a time: the browser journeys stay
    real, and no request overlaps another on the shared connection."""
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class OneRequestAtATime(ThreadedWSGIServer):
        def set_app(self, application):
            lock = threading.Lock()

            def serial(environ, start_response):
                with lock:
                    return application(environ, start_response)

            super().set_app(serial)

    LiveServerThread.server_class = OneRequestAtATime


_serialise_live_server()


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def regions(db):
    from kopdig.tenancy.models import Region
    from kopdig.tenancy.regions import load_kabupaten

    if not Region.objects.filter(code="35.74").exists():
        load_kabupaten("35.13", "35.74")
    return Region.objects.get(code="35.13")


@dataclass
class World:
    kab: object
    kab_other: object
    coop_a: object
    coop_b: object
    pengurus_a: object
    manajer_a: object
    kasir_a: object
    pengawas_a: object
    anggota_a: object
    member_a: object
    pengurus_b: object
    dinas: object
    dinas_other: object
    password: str = "rahasia-123"


@pytest.fixture
def world(regions):
    from kopdig.members.models import Member
    from kopdig.tenancy.actions import _create_cooperative
    from kopdig.tenancy.models import Cooperative, DinasRole, Region, Role
    from kopdig.tenancy.tests.factories import UserFactory

    kab = regions
    kab_other = Region.objects.get(code="35.74")
    kec = Region.objects.get(code="35.13.14")  # Kraksaan
    desa = kec.children.first()
    coop_a = _create_cooperative(
        kabupaten=kab,
        name="KSU Sejahtera Bersama",
        slug="ksu-sejahtera",
        jenis=Cooperative.Jenis.SERBA_USAHA,
        kecamatan=kec,
        desa=desa,
        on_kopdig=True,
        has_usp=True,
        nik="3513150010001",
    )
    coop_b = _create_cooperative(
        kabupaten=kab,
        name="KSP Maju Jaya",
        slug="ksp-maju-jaya",
        jenis=Cooperative.Jenis.SIMPAN_PINJAM,
        kecamatan=kec,
        on_kopdig=True,
    )
    users = {}
    for kind in Role.Kind.values:
        users[kind] = UserFactory(username=f"a-{kind}")
        Role.objects.create(cooperative=coop_a, user=users[kind], kind=kind)
    pengurus_b = UserFactory(username="b-pengurus")
    Role.objects.create(cooperative=coop_b, user=pengurus_b, kind=Role.Kind.PENGURUS)
    dinas = UserFactory(username="dinas-prob")
    DinasRole.objects.create(user=dinas, kabupaten=kab)
    dinas_other = UserFactory(username="dinas-kota")
    DinasRole.objects.create(user=dinas_other, kabupaten=kab_other)
    member_a = Member.objects.create(
        cooperative=coop_a,
        number="00001",
        nik="3513154101900001",
        name="Siti Aminah",
        gender="P",
        joined_on=dt.date(2024, 1, 2),
        user=users["anggota"],
    )
    return World(
        kab=kab,
        kab_other=kab_other,
        coop_a=coop_a,
        coop_b=coop_b,
        pengurus_a=users["pengurus"],
        manajer_a=users["manajer"],
        kasir_a=users["kasir"],
        pengawas_a=users["pengawas"],
        anggota_a=users["anggota"],
        member_a=member_a,
        pengurus_b=pengurus_b,
        dinas=dinas,
        dinas_other=dinas_other,
    )


@pytest.fixture
def api_client(db):
    """A Django test client that speaks JSON with a bearer token: api_client.as_user(user)."""
    from django.test import Client

    class ApiClient(Client):
        token = None

        def as_user(self, user, password="rahasia-123"):
            resp = self.post(
                "/api/v1/auth/token",
                {"username": user.username, "password": password},
                content_type="application/json",
            )
            assert resp.status_code == 200, resp.content
            self.token = resp.json()["token"]
            return self

        def _headers(self, extra):
            headers = dict(extra.pop("headers", {}) or {})
            if self.token:
                headers.setdefault("Authorization", f"Bearer {self.token}")
            return headers

        def get(self, path, data=None, **extra):
            return super().get(path, data, headers=self._headers(extra), **extra)

        def post(self, path, data=None, content_type="application/json", **extra):
            return super().post(path, data, content_type=content_type, headers=self._headers(extra), **extra)

        def put(self, path, data=None, content_type="application/json", **extra):
            return super().put(path, data, content_type=content_type, headers=self._headers(extra), **extra)

        def delete(self, path, data=None, content_type="application/json", **extra):
            return super().delete(
                path, data, content_type=content_type, headers=self._headers(extra), **extra
            )

    return ApiClient()
