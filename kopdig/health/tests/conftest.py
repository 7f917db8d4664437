import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client

from kopdig.health.models import Aspect, ChecklistItem, Indicator, Rubric
from kopdig.health.rubrics import shipped_rubrics, write_rubric
from kopdig.ledger.actions import journal_entry_post
from kopdig.ledger.posting import Line
from kopdig.tenancy.models import DinasRole
from kopdig.tenancy.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _shipped_rubrics(request):
    """The rubrics the data migration loads. A transactional test (browser, races) flushes the
    tables when it ends, so load them again where they are missing."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    for data in shipped_rubrics():
        if not Rubric.objects.filter(code=data["code"], version=data["version"]).exists():
            write_rubric(
                SimpleNamespace(
                    Rubric=Rubric, Aspect=Aspect, Indicator=Indicator, ChecklistItem=ChecklistItem
                ),
                data,
            )


@pytest.fixture
def examiner(world):
    user = UserFactory(username="jfpk-prob", name="Rina Pengawas")
    DinasRole.objects.create(user=user, kabupaten=world.kab, kind=DinasRole.Kind.PENGAWAS_KOPERASI)
    return user


@pytest.fixture
def examiner2(world):
    user = UserFactory(username="jfpk-prob-2", name="Bayu Pengawas")
    DinasRole.objects.create(user=user, kabupaten=world.kab, kind=DinasRole.Kind.PENGAWAS_KOPERASI)
    return user


@pytest.fixture
def kepala(world):
    user = UserFactory(username="kepala-prob", name="Kepala Bidang")
    DinasRole.objects.create(user=user, kabupaten=world.kab, kind=DinasRole.Kind.KEPALA)
    return user


@pytest.fixture
def examiner_other(world):
    user = UserFactory(username="jfpk-kota", name="Pengawas Kota")
    DinasRole.objects.create(user=user, kabupaten=world.kab_other, kind=DinasRole.Kind.PENGAWAS_KOPERASI)
    return user


def login(user):
    c = Client()
    c.force_login(user)
    return c


def post(world, date, memo, *pairs, source_type="manual"):
    return journal_entry_post(
        actor=world.pengurus_a,
        cooperative=world.coop_a,
        date=date,
        memo=memo,
        lines=[Line(a, debit=Decimal(d or 0), credit=Decimal(c or 0)) for a, d, c in pairs],
        source_type=source_type,
    )


@pytest.fixture
def books(world):
    """Two book years of cooperative A (a KSU with a USP): 2024 opening and a year, 2025 a year."""
    d = dt.date
    post(
        world,
        d(2024, 1, 1),
        "Saldo awal",
        ("kas", "10000000", 0),
        ("bank", "40000000", 0),
        ("piutang_pinjaman", "60000000", 0),
        ("persediaan", "10000000", 0),
        ("inventaris", "5000000", 0),
        ("simpanan_sukarela", 0, "45000000"),
        ("simpanan_pokok", 0, "5000000"),
        ("simpanan_wajib", 0, "45000000"),
        ("cadangan", 0, "30000000"),
        source_type="opening",
    )
    post(
        world,
        d(2024, 6, 1),
        "Jasa pinjaman 2024",
        ("kas", "9000000", 0),
        ("pendapatan_jasa_pinjaman", 0, "9000000"),
    )
    post(world, d(2024, 7, 1), "Gaji 2024", ("beban_gaji", "4000000", 0), ("kas", 0, "4000000"))
    post(
        world, d(2025, 2, 3), "Penjualan anggota", ("kas", "8000000", 0), ("penjualan_anggota", 0, "8000000")
    )
    post(
        world,
        d(2025, 2, 4),
        "Penjualan non-anggota",
        ("kas", "2000000", 0),
        ("penjualan_non_anggota", 0, "2000000"),
    )
    post(world, d(2025, 2, 5), "HPP", ("hpp", "6000000", 0), ("persediaan", 0, "6000000"))
    post(
        world,
        d(2025, 3, 10),
        "Jasa pinjaman",
        ("kas", "12000000", 0),
        ("pendapatan_jasa_pinjaman", 0, "12000000"),
    )
    post(world, d(2025, 4, 1), "Pinjaman baru", ("piutang_pinjaman", "20000000", 0), ("bank", 0, "20000000"))
    post(world, d(2025, 5, 1), "Gaji", ("beban_gaji", "5000000", 0), ("kas", 0, "5000000"))
    post(world, d(2025, 6, 1), "RAT", ("beban_rat", "1500000", 0), ("kas", 0, "1500000"))
    post(
        world,
        d(2025, 12, 31),
        "Cadangan risiko",
        ("beban_cadangan_risiko", "800000", 0),
        ("cadangan_risiko", 0, "800000"),
    )
    return world
