"""Business network: matching on a worked example, agreements, realisation from the books and
reported, the evaluation report, and who sees what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kopdig.lib.errors import NotAllowed
from kopdig.network import actions, matching, selectors
from kopdig.network.models import Listing, Realisation
from kopdig.programs import actions as program_actions
from kopdig.programs.models import Organisation
from kopdig.tenancy.access import SYSTEM

pytestmark = pytest.mark.django_db
D = Decimal


def test_matching_ranks_by_the_stated_signals():
    need = matching.Side(
        "n", "keripik singkong", "makanan", D(100), ("35", "35.13", "35.13.14", "35.13.14.2001")
    )
    a = matching.Side(
        "a",
        "keripik singkong pedas",
        "makanan",
        D(150),
        ("35", "35.13", "35.13.14", "35.13.14.2002"),
        predicate="sehat",
        rat_held=True,
        listed=2,
    )
    b = matching.Side(
        "b", "keripik singkong", "makanan", D(50), ("34", "34.71"), predicate=None, rat_held=None, listed=1
    )
    c = matching.Side("c", "batik tulis", "fashion", D(500), need.regions)
    ranked = matching.rank(need, [b, c, a])
    assert [m.offer.code for m in ranked] == ["a", "b"]  # c shares neither category nor words
    top = ranked[0].signals
    assert top == {
        "commodity": D("40.00"),
        "quantity": D("20.00"),
        "nearness": D(16),
        "health": D(10),
        "rat": D(10),
    }
    assert ranked[0].score == D(96) and ranked[0].nearness == "kecamatan"
    assert ranked[1].signals["quantity"] == D("10.00") and ranked[1].signals["nearness"] == D(4)
    assert ranked[1].score == D("40") + D("10") + D(4) + D(5) + D(5)


def test_tie_break_prefers_the_nearer_then_the_earlier():
    need = matching.Side("n", "kopi", "minuman", None, ("35", "35.13"))
    far = matching.Side("far", "kopi", "minuman", None, ("34",), listed=1)
    near = matching.Side("near", "kopi", "minuman", None, ("35", "35.13"), listed=5)
    assert matching.score(need, far).score != matching.score(need, near).score
    same1 = matching.Side("s1", "kopi", "minuman", None, ("34",), listed=3)
    same2 = matching.Side("s2", "kopi", "minuman", None, ("34",), listed=2)
    assert [m.offer.code for m in matching.rank(need, [same1, same2])] == ["s2", "s1"]


@pytest.fixture
def yogya(world):
    return program_actions.organisation_save(
        actor=SYSTEM,
        kabupaten=world.kab,
        name="Koperasi Mitra Yogyakarta",
        kind=Organisation.Kind.KOPERASI_LUAR,
    )


def test_listing_duplicate_and_party_rules(world):
    actions.listing_save(
        actor=world.pengurus_a,
        kabupaten=world.kab,
        kind="offer",
        cooperative=world.coop_a,
        commodity="Keripik singkong",
        category="makanan",
    )
    with pytest.raises(actions.NetworkError, match="sudah ada"):
        actions.listing_save(
            actor=world.pengurus_a,
            kabupaten=world.kab,
            kind="offer",
            cooperative=world.coop_a,
            commodity="keripik singkong",
            category="makanan",
        )
    with pytest.raises(NotAllowed):
        actions.listing_save(
            actor=world.pengurus_b,
            kabupaten=world.kab,
            kind="need",
            cooperative=world.coop_a,
            commodity="Gula",
            category="sembako",
        )
    with pytest.raises(actions.NetworkError, match="terendah"):
        actions.listing_save(
            actor=world.pengurus_b,
            kabupaten=world.kab,
            kind="need",
            cooperative=world.coop_b,
            commodity="Gula",
            category="sembako",
            price_min=D(10),
            price_max=D(5),
        )
    assert Listing.objects.count() == 1


def test_need_matched_introduced_and_accepted_by_both_sides(world):
    offer = actions.listing_save(
        actor=world.pengurus_a,
        kabupaten=world.kab,
        kind="offer",
        cooperative=world.coop_a,
        commodity="Keripik singkong",
        category="makanan",
        quantity_per_month=D(200),
    )
    need = actions.listing_save(
        actor=world.pengurus_b,
        kabupaten=world.kab,
        kind="need",
        cooperative=world.coop_b,
        commodity="Keripik untuk toko",
        category="makanan",
        quantity_per_month=D(100),
    )
    [(found, match)] = selectors.candidates(need)
    assert found == offer and match.signals["quantity"] == D("20.00")
    intro = actions.introduction_propose(actor=world.pengurus_b, need=need, offer=offer, score=match.score)
    with pytest.raises(NotAllowed):
        actions.introduction_answer(actor=world.pengurus_b, introduction=intro, side="offer", accept=True)
    actions.introduction_answer(actor=world.pengurus_b, introduction=intro, side="need", accept=True)
    intro = actions.introduction_answer(actor=world.pengurus_a, introduction=intro, side="offer", accept=True)
    assert intro.status == "accepted"
    with pytest.raises(actions.NetworkError, match="sudah dijawab"):
        actions.introduction_answer(actor=world.pengurus_a, introduction=intro, side="offer", accept=False)


def test_agreement_needs_two_parties_and_ordered_dates(world, yogya):
    with pytest.raises(actions.NetworkError, match="dua pihak"):
        actions.trade_agreement_create(
            actor=world.dinas,
            kabupaten=world.kab,
            subject="X",
            commodity="Kopi",
            start=dt.date(2018, 6, 1),
            parties=[{"cooperative": world.coop_a, "role": "seller"}],
        )
    with pytest.raises(actions.NetworkError, match="sebelum tanggal mulai"):
        actions.trade_agreement_create(
            actor=world.dinas,
            kabupaten=world.kab,
            subject="X",
            commodity="Kopi",
            start=dt.date(2018, 6, 1),
            end=dt.date(2018, 1, 1),
            parties=[
                {"cooperative": world.coop_a, "role": "seller"},
                {"organisation": yogya, "role": "buyer"},
            ],
        )
    with pytest.raises(NotAllowed):
        actions.trade_agreement_create(
            actor=world.pengurus_a,
            kabupaten=world.kab,
            subject="X",
            commodity="Kopi",
            start=dt.date(2018, 6, 1),
            parties=[],
        )


def test_planned_vs_reported_realisation_and_the_network_report(world, yogya):
    world.coop_b.on_kopdig = False  # its books are elsewhere: it reports its figures
    world.coop_b.save()
    event = program_actions.event_save(
        actor=SYSTEM,
        kabupaten=world.kab,
        kind="temu_usaha",
        title="Temu usaha Yogya",
        start_date=dt.date(2018, 5, 16),
        end_date=dt.date(2018, 5, 17),
    )
    a = actions.trade_agreement_create(
        actor=world.dinas,
        kabupaten=world.kab,
        subject="Keripik ke Yogya",
        commodity="Keripik",
        start=dt.date(2018, 6, 1),
        end=dt.date(2018, 11, 30),
        planned_value=D("5000000.00"),
        event=event,
        parties=[{"cooperative": world.coop_b, "role": "seller"}, {"organisation": yogya, "role": "buyer"}],
    )
    assert a.code == "KS-2018-001" and [e.months_after for e in a.evaluations.all()] == [6, 12]
    seller = a.parties.get(cooperative=world.coop_b)
    buyer = a.parties.get(organisation=yogya)
    actions.realisation_report(
        actor=world.pengurus_b,
        agreement=a,
        party=seller,
        month=dt.date(2018, 6, 15),
        volume=D(100),
        value=D("4000000.00"),
    )
    actions.realisation_report(
        actor=world.dinas,
        agreement=a,
        party=seller,
        month=dt.date(2018, 7, 1),
        volume=D(150),
        value=D("6000000.00"),
    )
    actions.realisation_report(
        actor=world.dinas,
        agreement=a,
        party=buyer,
        month=dt.date(2018, 7, 1),
        volume=D(150),
        value=D("6000000.00"),
    )  # the buyer's side is not counted twice
    with pytest.raises(NotAllowed):
        actions.realisation_report(
            actor=world.pengurus_a,
            agreement=a,
            party=seller,
            month=dt.date(2018, 8, 1),
            volume=D(1),
            value=D(1),
        )
    with pytest.raises(actions.NetworkError, match="di luar masa"):
        actions.realisation_report(
            actor=world.dinas, agreement=a, party=seller, month=dt.date(2019, 1, 1), volume=D(1), value=D(1)
        )
    p = selectors.agreement_progress(a, today=dt.date(2018, 7, 31))
    assert [(r["planned"], r["realised"]) for r in p["rows"]] == [
        (D("5000000.00"), D("4000000.00")),
        (D("5000000.00"), D("6000000.00")),
    ]
    assert (p["planned"], p["realised"], p["achievement"]) == (D("10000000.00"), D("10000000.00"), D("100.0"))
    actions.trade_agreement_status(actor=world.dinas, agreement=a, status="active")
    report = selectors.network_report([world.kab.pk], event)
    assert (report["agreements"], report["signed"], report["active"], report["realised"]) == (1, 1, 1, 1)
    assert report["realised_value"] == D("10000000.00")
    assert Realisation.objects.count() == 3
    g = selectors.graph([world.kab.pk])
    assert len(g["nodes"]) == 2 and list(g["edges"].values())[0]["value"] == D("10000000.00")


def test_pages_and_privacy(world, yogya):
    a = actions.trade_agreement_create(
        actor=world.dinas,
        kabupaten=world.kab,
        subject="Keripik",
        commodity="Keripik",
        start=dt.date(2025, 1, 1),
        parties=[{"cooperative": world.coop_a, "role": "seller"}, {"organisation": yogya, "role": "buyer"}],
    )
    need = actions.listing_save(
        actor=world.pengurus_b,
        kabupaten=world.kab,
        kind="need",
        cooperative=world.coop_b,
        commodity="Keripik",
        category="makanan",
    )
    dinas = Client()
    dinas.force_login(world.dinas)
    for url in (
        reverse("network:dinas_home"),
        reverse("network:agreements"),
        reverse("network:agreement", args=[a.code]),
        reverse("network:graph"),
        reverse("network:evaluations_due"),
        reverse("network:dinas_matches", args=[need.code]),
    ):
        assert dinas.get(url).status_code == 200, url
    pa, pb = Client(), Client()
    pa.force_login(world.pengurus_a)
    pb.force_login(world.pengurus_b)
    assert pa.get(reverse("network:coop_agreement", args=[world.coop_a.slug, a.code])).status_code == 200
    assert pb.get(reverse("network:coop_agreement", args=[world.coop_b.slug, a.code])).status_code == 404
    assert pa.get(reverse("network:dinas_home")).status_code == 403
    assert pb.get(reverse("network:coop_matches", args=[world.coop_b.slug, need.code])).status_code == 200
