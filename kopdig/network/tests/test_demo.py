"""The network demo on the test world: the 2018 Probolinggo–Yogyakarta network out of the temu
usaha, evaluated on 5 November 2018, and today's network around Kopwan Srikandi's products with
realisation read from Srikandi's books."""

import datetime as dt
from decimal import Decimal

import pytest

from kopdig.members.models import Member
from kopdig.network import demo, selectors
from kopdig.network.models import AgreementEvaluation, Introduction, Listing, TradeAgreement
from kopdig.programs import demo as program_demo
from kopdig.programs.models import Event
from kopdig.tenancy.actions import _create_cooperative
from kopdig.tenancy.demo import build_context
from kopdig.tenancy.models import Region, Role
from kopdig.tenancy.tests.factories import UserFactory
from kopdig.usaha import actions as usaha_actions
from kopdig.usaha import selectors as usaha_selectors

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def showcase(world):
    """A small Kopwan Srikandi (two catalogue products), KSU Tunas Harapan and two registry
    cooperatives not on Kopdig (a potato grower in Sukapura, a packaging maker in Kraksaan)."""
    kab = world.kab
    sukapura = Region.objects.get(parent=kab, name="Sukapura")
    srikandi = _create_cooperative(
        kabupaten=kab,
        name="Kopwan Srikandi Sukapura",
        slug="kopwan-srikandi",
        jenis="produsen",
        on_kopdig=True,
    )
    ksu = _create_cooperative(
        kabupaten=kab, name="KSU Tunas Harapan", slug="ksu-tunas-harapan", jenis="serba_usaha", on_kopdig=True
    )
    for coop, kinds in ((srikandi, ("pengurus", "kasir")), (ksu, ("pengurus",))):
        for kind in kinds:
            Role.objects.create(cooperative=coop, user=UserFactory(username=f"{coop.slug}-{kind}"), kind=kind)
    _create_cooperative(
        kabupaten=kab, name="KUD Tengger", slug="kud-tengger", jenis="produsen", kecamatan=sukapura
    )
    _create_cooperative(
        kabupaten=kab,
        name="Koperasi Kemasan Kraksaan",
        slug="kemasan",
        jenis="produsen",
        kecamatan=world.coop_a.kecamatan,
    )
    Member.objects.create(
        cooperative=srikandi,
        number="00001",
        nik="3513204101800001",
        name="Bu Sri",
        gender="P",
        joined_on=dt.date(2020, 1, 2),
    )
    pengurus = srikandi_user = Role.objects.get(cooperative=srikandi, kind="pengurus").user
    for code, name in (("sk-001", "Keripik Kentang Bromo"), ("sk-004", "Dodol Kentang")):
        usaha_actions.product_create(
            actor=pengurus,
            cooperative=srikandi,
            code=code,
            name=name,
            category="makanan",
            unit="bungkus",
            price_member="16200",
            price_non_member="18000",
            producer="00001",
            pirt_number="P-IRT 2123456789012",
        )
    assert srikandi_user
    return srikandi, ksu


def test_demo_builds_the_2018_network_and_srikandis(world, showcase):
    srikandi, ksu = showcase
    ctx = build_context(today=TODAY)
    ctx.kabupaten = world.kab
    program_demo.run(ctx)
    demo.run(ctx)
    temu = Event.objects.get(kind="temu_usaha", start_date=dt.date(2018, 5, 16))
    r = selectors.network_report([world.kab.pk], temu)
    assert (r["agreements"], r["signed"], r["active"], r["realised"], r["failed"]) == (10, 10, 6, 9, 2)
    assert (r["introductions"], r["accepted"]) == (12, 10)
    assert r["realised_value"] > 0 and r["planned_value"] > r["realised_value"]
    held = AgreementEvaluation.objects.filter(agreement__event=temu, held_on=dt.date(2018, 11, 5))
    fgd = Event.objects.get(start_date=dt.date(2018, 11, 5))  # 45 in the full demo, the world has fewer
    assert held.count() == 10 and f"({fgd.participations.count()} peserta)" in held.first().note
    assert not selectors.due_evaluations([world.kab.pk], today=TODAY).filter(agreement__event=temu).exists()
    failed = TradeAgreement.objects.filter(event=temu, status="failed")
    assert all(a.failure_reason for a in failed)
    m = selectors.meeting(temu)
    assert m["parties"] >= 5 and len(m["introductions"]) == 12

    # today: Srikandi sells to KSU Tunas Harapan under an agreement its sales carry
    deal = TradeAgreement.objects.get(parties__cooperative=ksu, event__isnull=True)
    books = usaha_selectors.trade_totals(srikandi, deal.code)
    p = selectors.agreement_progress(deal, today=TODAY)
    assert p["sources"][0]["source"] == "books"
    assert p["realised"] == sum((v for _q, v in books.values()), D(0)) > 0
    assert len(books) == 6  # July–December 2026
    assert Listing.objects.filter(cooperative=srikandi, product__isnull=False).count() == 2
    pending = [i for i in Introduction.objects.filter(need__cooperative=srikandi) if i.status == "pending"]
    assert len(pending) == 1 and pending[0].offer.cooperative.slug == "kemasan"
    potatoes = TradeAgreement.objects.get(commodity="Kentang granola")
    assert selectors.agreement_progress(potatoes, today=TODAY)["sources"][0]["source"] == "reported"

    n = (Listing.objects.count(), TradeAgreement.objects.count())
    demo.run(ctx)  # idempotent
    assert (Listing.objects.count(), TradeAgreement.objects.count()) == n
