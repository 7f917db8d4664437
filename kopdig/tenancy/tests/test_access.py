"""Tenancy and roles: another cooperative's pages are 404, a forbidden page 403, Dinas reads only."""

import pytest
from django.test import Client
from django.urls import get_resolver

from kopdig.audit.models import AuditLog
from kopdig.lib.errors import NotAllowed
from kopdig.tenancy.actions import cooperative_register, role_grant
from kopdig.tenancy.models import Cooperative, Role

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    c.force_login(user)
    return c


def test_outsider_gets_404_on_other_coop_pages(world):
    c = login(world.pengurus_b)
    assert c.get(f"/k/{world.coop_a.slug}/").status_code == 404
    assert c.get(f"/k/{world.coop_a.slug}/audit/").status_code == 404
    assert c.get("/k/does-not-exist/").status_code == 404
    assert c.get(f"/k/{world.coop_b.slug}/").status_code == 200


def test_anggota_cannot_reach_staff_pages(world):
    c = login(world.anggota_a)
    assert c.get(f"/k/{world.coop_a.slug}/").status_code == 403
    assert c.get(f"/k/{world.coop_a.slug}/audit/").status_code == 403
    assert c.get(f"/k/{world.coop_a.slug}/saya/").status_code == 200


def test_home_redirects_each_role(world):
    assert login(world.pengurus_a).get("/")["Location"] == f"/k/{world.coop_a.slug}/"
    assert login(world.anggota_a).get("/")["Location"] == f"/k/{world.coop_a.slug}/saya/"
    assert login(world.dinas).get("/")["Location"] == "/dinas/"
    assert Client().get("/")["Location"].startswith("/masuk/")


def test_dinas_reads_its_kabupaten_only(world):
    c = login(world.dinas)
    assert c.get(f"/k/{world.coop_a.slug}/").status_code == 200
    assert c.get("/dinas/").status_code == 200
    other = login(world.dinas_other)
    assert other.get(f"/k/{world.coop_a.slug}/").status_code == 404
    assert login(world.pengurus_a).get("/dinas/").status_code == 403


def test_every_coop_view_declares_roles():
    """Each view under /k/<slug>/ goes through coop_view (roles checked), none is left open."""
    from django.urls import URLPattern, URLResolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.callback

    unchecked = [
        route
        for route, cb in walk(get_resolver().url_patterns)
        if route.startswith("k/<slug:slug>/") and not hasattr(cb, "kopdig_roles")
    ]
    dinas_unchecked = [
        route
        for route, cb in walk(get_resolver().url_patterns)
        if route.startswith("dinas/")
        and not any(hasattr(cb, mark) for mark in ("kopdig_dinas", "kopdig_roles", "kopdig_public"))
    ]
    assert unchecked == [] and dinas_unchecked == []


def test_register_cooperative_is_audited_and_gets_chart(world):
    coop = cooperative_register(
        actor=world.dinas, kabupaten=world.kab, name="Kopwan Melati", jenis="simpan_pinjam", on_kopdig=True
    )
    log = AuditLog.objects.get(action="cooperative_register", cooperative=coop)
    assert log.actor == world.dinas and log.kabupaten_id == world.kab.pk
    assert log.after["name"] == "Kopwan Melati"
    assert coop.accounts.filter(system_key="piutang_pinjaman").exists()
    assert not coop.accounts.filter(system_key="penjualan_anggota").exists()  # a KSP has no shop


def test_other_kabupaten_officer_cannot_register(world):
    before = Cooperative.objects.count()
    with pytest.raises(NotAllowed):
        cooperative_register(actor=world.dinas_other, kabupaten=world.kab, name="X", jenis="konsumen")
    assert Cooperative.objects.count() == before


def test_role_grant_audit_records_before_and_after(world):
    role_grant(
        actor=world.pengurus_a, cooperative=world.coop_a, user=world.kasir_a, kind="manajer", title="Manajer"
    )
    log = AuditLog.objects.filter(action="role_grant").latest("id")
    assert log.before == {"kind": "kasir", "title": ""}
    assert log.after == {"kind": "manajer", "title": "Manajer"}
    assert Role.objects.get(user=world.kasir_a).kind == "manajer"


def test_kasir_cannot_grant_roles_nothing_changes(world):
    with pytest.raises(NotAllowed):
        role_grant(actor=world.kasir_a, cooperative=world.coop_a, user=world.anggota_a, kind="pengurus")
    assert Role.objects.get(user=world.anggota_a).kind == "anggota"
    assert not AuditLog.objects.filter(action="role_grant").exists()


def test_audit_log_readers(world):
    assert login(world.pengawas_a).get(f"/k/{world.coop_a.slug}/audit/").status_code == 200
    assert login(world.kasir_a).get(f"/k/{world.coop_a.slug}/audit/").status_code == 403
    assert login(world.dinas).get("/dinas/audit/").status_code == 200
