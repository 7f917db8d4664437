"""Realisation read from the books (sales carrying the agreement's code), the privacy of a party's
figures, the temu usaha meeting page, and the API with its refusals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kopdig.audit.labels import action_label
from kopdig.network import actions, selectors
from kopdig.network.models import Introduction, Listing, Realisation, TradeAgreement
from kopdig.programs import actions as program_actions
from kopdig.programs.models import Organisation
from kopdig.tenancy.access import SYSTEM
from kopdig.usaha import actions as usaha_actions
from kopdig.usaha import selectors as usaha_selectors

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def yogya(world):
    return program_actions.organisation_save(
        actor=SYSTEM,
        kabupaten=world.kab,
        name="Koperasi Mitra Yogyakarta",
        kind=Organisation.Kind.KOPERASI_LUAR,
    )


def _agreement(world, *parties, start=dt.date(2026, 6, 1), planned="500000.00", **kw):
    return actions.trade_agreement_create(
        actor=world.dinas,
        kabupaten=world.kab,
        subject="Keripik kentang ke mitra",
        commodity="Keripik kentang",
        category="makanan",
        unit="bungkus",
        start=start,
        planned_value=D(planned),
        parties=list(parties),
        **kw,
    )


def _sell(world, day, qty, *, ref="", discount=0):
    return usaha_actions.sale_record(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        date=day,
        buyer_name="Mitra",
        discount=discount,
        trade_ref=ref,
        lines=[{"product": "keripik", "qty": qty}],
    )


@pytest.fixture
def books(world, yogya):
    """Coop A (books on Kopdig) sells keripik to the Yogyakarta partner under KS-2026-001."""
    usaha_actions.product_create(
        actor=world.pengurus_a,
        cooperative=world.coop_a,
        code="keripik",
        name="Keripik Kentang",
        unit="bungkus",
        price_member="15000",
        price_non_member="18000",
        category="makanan",
    )
    usaha_actions.purchase_record(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        date=dt.date(2026, 6, 1),
        supplier_name="UD Kentang",
        lines=[{"product": "keripik", "qty": 200, "unit_cost": "10000"}],
    )
    a = _agreement(
        world, {"cooperative": world.coop_a, "role": "seller"}, {"organisation": yogya, "role": "buyer"}
    )
    _sell(world, dt.date(2026, 6, 10), 20, ref=a.code)  # 360,000
    _sell(world, dt.date(2026, 6, 24), 10, ref=a.code, discount="5000")  # 175,000
    _sell(world, dt.date(2026, 7, 2), 30, ref=a.code)  # 540,000
    _sell(world, dt.date(2026, 7, 3), 5)  # an ordinary sale: not the agreement's
    return a


def test_realisation_from_books_equals_the_tagged_sales(world, books):
    a = books
    assert a.code == "KS-2026-001"
    tagged = usaha_selectors.trade_totals(world.coop_a, a.code)
    assert tagged == {
        dt.date(2026, 6, 1): (D("30.000"), D("535000.00")),
        dt.date(2026, 7, 1): (D("30.000"), D("540000.00")),
    }
    p = selectors.agreement_progress(a, today=dt.date(2026, 8, 31))
    assert [(r["month"], r["volume"], r["realised"]) for r in p["rows"]] == [
        (dt.date(2026, 6, 1), D("30.000"), D("535000.00")),
        (dt.date(2026, 7, 1), D("30.000"), D("540000.00")),
        (dt.date(2026, 8, 1), D(0), D(0)),
    ]
    assert (p["planned"], p["realised"], p["achievement"]) == (D("1500000.00"), D("1075000.00"), D("71.7"))
    assert [s["source"] for s in p["sources"]] == ["books", "reported"]
    with pytest.raises(actions.NetworkError, match="dihitung dari pembukuannya"):
        actions.realisation_report(
            actor=world.pengurus_a,
            agreement=a,
            party=a.parties.get(cooperative=world.coop_a),
            month=dt.date(2026, 6, 1),
            volume=D(1),
            value=D(1),
        )
    assert Realisation.objects.count() == 0
    g = selectors.graph([world.kab.pk])
    assert list(g["edges"].values())[0]["value"] == selectors.agreement_progress(a)["realised"]


def test_a_party_cannot_see_another_partys_figures(world, books, api_client):
    a = books
    world.coop_b.on_kopdig = False
    world.coop_b.save()
    b = _agreement(
        world,
        {"cooperative": world.coop_a, "role": "seller"},
        {"cooperative": world.coop_b, "role": "buyer"},
    )
    _sell(world, dt.date(2026, 7, 5), 50, ref=b.code)  # A's books: 900,000
    actions.realisation_report(
        actor=world.pengurus_b,
        agreement=b,
        party=b.parties.get(cooperative=world.coop_b),
        month=dt.date(2026, 7, 1),
        volume=D(40),
        value=D("720000.00"),
    )
    pb = Client()
    pb.force_login(world.pengurus_b)
    page = pb.get(reverse("network:coop_agreement", args=[world.coop_b.slug, b.code])).content.decode()
    assert "720.000" in page and "900.000" not in page
    assert pb.get(reverse("network:coop_agreement", args=[world.coop_b.slug, a.code])).status_code == 404
    api = api_client.as_user(world.pengurus_b)
    r = api.get(f"/api/v1/coops/{world.coop_b.slug}/network/agreements/{b.code}/realisation").json()
    assert r["realised"] == "720000.00" and [s["party"]["id"] for s in r["sources"]] == [world.coop_b.slug]
    assert (
        api.get(f"/api/v1/coops/{world.coop_b.slug}/network/agreements/{a.code}/realisation").status_code
        == 404
    )
    assert (
        api.get(f"/api/v1/coops/{world.coop_a.slug}/network/agreements/{b.code}/realisation").status_code
        == 404
    )
    assert [
        x["code"] for x in api.get(f"/api/v1/coops/{world.coop_b.slug}/network/agreements").json()["items"]
    ] == [b.code]
    seller = api_client.as_user(world.pengurus_a)
    r = seller.get(f"/api/v1/coops/{world.coop_a.slug}/network/agreements/{b.code}/realisation").json()
    assert r["realised"] == "900000.00"
    dinas = Client()
    dinas.force_login(world.dinas)
    assert "900.000" in dinas.get(reverse("network:agreement", args=[b.code])).content.decode()


def test_temu_usaha_lists_participants_listings_and_records_introductions(world, yogya):
    event = program_actions.event_save(
        actor=SYSTEM,
        kabupaten=world.kab,
        kind="temu_usaha",
        title="Temu usaha Probolinggo–Yogyakarta",
        start_date=dt.date(2026, 5, 16),
        end_date=dt.date(2026, 5, 17),
    )
    for i, (coop, org) in enumerate([(world.coop_a, None), (None, yogya)]):
        person = program_actions.person_save(
            actor=SYSTEM,
            kabupaten=world.kab,
            nik=f"35131541019000{i + 1:02d}",
            name=f"Peserta {i}",
            cooperative=coop,
            organisation=org,
        )
        program_actions.participant_register(actor=SYSTEM, event=event, person=person)
    offer = actions.listing_save(
        actor=world.pengurus_a,
        kabupaten=world.kab,
        kind="offer",
        cooperative=world.coop_a,
        commodity="Keripik kentang",
        category="makanan",
    )
    need = actions.listing_save(
        actor=world.dinas,
        kabupaten=world.kab,
        kind="need",
        organisation=yogya,
        commodity="Keripik kentang untuk toko oleh-oleh",
        category="makanan",
    )
    actions.listing_save(  # coop B did not take part: not on the meeting's list
        actor=world.pengurus_b,
        kabupaten=world.kab,
        kind="offer",
        cooperative=world.coop_b,
        commodity="Keripik singkong",
        category="makanan",
    )
    m = selectors.meeting(event)
    assert m["parties"] == 2 and m["offers"] == [offer] and m["needs"] == [need]
    assert [o for o, _m in m["pairs"][0][1]] == [offer]
    dinas = Client()
    dinas.force_login(world.dinas)
    detail = dinas.get(reverse("programs:event_detail", args=[event.code])).content.decode()
    assert reverse("network:meeting", args=[event.code]) in detail
    url = reverse("network:meeting", args=[event.code])
    assert dinas.post(url, {"need": need.code, "offer": offer.code}).status_code == 302
    intro = Introduction.objects.get()
    assert intro.event == event and intro.need == need and intro.offer == offer
    page = dinas.get(url).content.decode()
    assert "Keripik singkong" not in page and f"intro-{intro.code}" in page
    assert selectors.network_report([world.kab.pk], event)["introductions"] == 1
    assert dinas.get(reverse("network:meetings")).status_code == 200
    assert action_label("introduction_propose") == "Perkenalan jejaring diusulkan"


def test_api_listing_matching_introduction_and_refusals(world, yogya, api_client):
    dinas = api_client.as_user(world.dinas)
    r = dinas.post(
        "/api/v1/dinas/network/listings",
        {
            "kind": "offer",
            "organisation": yogya.code,
            "commodity": "Bakpia",
            "category": "makanan",
            "quantity_per_month": "500",
            "price_min": "30000",
        },
    )
    assert r.status_code == 201, r.content
    offer_code = r.json()["code"]
    assert r.json()["party"] == {"type": "organisation", "id": yogya.code, "name": yogya.name}
    pa = api_client.__class__()
    pa.as_user(world.pengurus_a)
    url = f"/api/v1/coops/{world.coop_a.slug}/network/listings"
    body = {
        "kind": "need",
        "commodity": "Bakpia isi kacang",
        "category": "makanan",
        "quantity_per_month": "200",
    }
    first = pa.post(url, body, headers={"Idempotency-Key": "need-1"})
    again = pa.post(url, body, headers={"Idempotency-Key": "need-1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    dup = pa.post(url, body)
    assert dup.status_code == 422 and "sudah ada" in dup.json()["detail"]
    assert Listing.objects.filter(kind="need").count() == 1
    bad = pa.post(url, {**body, "commodity": "Lain", "price_min": "10", "price_max": "5"})
    assert bad.status_code == 422 and "terendah" in bad.json()["detail"]
    need_code = first.json()["code"]
    m = pa.get(f"/api/v1/coops/{world.coop_a.slug}/network/needs/{need_code}/matches").json()
    assert m["count"] == 1 and m["weights"]["commodity"] == 40
    top = m["items"][0]
    assert top["offer"]["code"] == offer_code and top["signals"]["quantity"] == "20.00"
    assert D(top["score"]) == sum(D(v) for v in top["signals"].values())
    assert pa.get(f"/api/v1/coops/{world.coop_b.slug}/network/listings").status_code == 404
    r = pa.post(
        f"/api/v1/coops/{world.coop_a.slug}/network/introductions", {"need": need_code, "offer": offer_code}
    )
    assert r.status_code == 201 and r.json()["score"] == top["score"]
    intro = r.json()["code"]
    r = pa.post(f"/api/v1/coops/{world.coop_a.slug}/network/introductions/{intro}/answer", {"accept": True})
    assert r.json()["need_answer"] == "accepted" and r.json()["status"] == "pending"
    r = dinas.post(f"/api/v1/dinas/network/introductions/{intro}/answer", {"accept": True, "side": "offer"})
    assert r.json()["status"] == "accepted"
    assert pa.get("/api/v1/dinas/network/listings").status_code == 403
    other = api_client.__class__()
    other.as_user(world.dinas_other)
    assert other.get(f"/api/v1/dinas/network/needs/{need_code}/matches").status_code == 404


def test_api_agreements_realisation_evaluation_and_report(world, yogya, api_client):
    world.coop_b.on_kopdig = False
    world.coop_b.save()
    event = program_actions.event_save(
        actor=SYSTEM,
        kabupaten=world.kab,
        kind="temu_usaha",
        title="Temu usaha",
        start_date=dt.date(2025, 5, 16),
        end_date=dt.date(2025, 5, 17),
    )
    dinas = api_client.as_user(world.dinas)
    body = {
        "subject": "Gula kelapa ke Yogyakarta",
        "commodity": "Gula kelapa",
        "start": "2025-06-01",
        "planned_value": "2000000.00",
        "event": event.code,
        "parties": [{"cooperative": world.coop_b.slug, "role": "seller"}],
    }
    r = dinas.post("/api/v1/dinas/network/agreements", body)
    assert r.status_code == 422 and "dua pihak" in r.json()["detail"]
    body["parties"].append({"organisation": yogya.code, "role": "buyer"})
    r = dinas.post("/api/v1/dinas/network/agreements", {**body, "end": "2025-01-01"})
    assert r.status_code == 422 and "sebelum tanggal mulai" in r.json()["detail"]
    assert TradeAgreement.objects.count() == 0
    r = dinas.post("/api/v1/dinas/network/agreements", body)
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    assert r.json()["evaluate_after_months"] == [6, 12]
    pb = api_client.__class__()
    pb.as_user(world.pengurus_b)
    url = f"/api/v1/coops/{world.coop_b.slug}/network/agreements/{code}/realisation"
    for month, value in (("2025-06-01", "1500000.00"), ("2025-07-01", "2500000.00")):
        r = pb.post(
            url, {"month": month, "volume": "100", "value": value}, headers={"Idempotency-Key": month}
        )
        assert r.status_code == 200, r.content
    pa = api_client.__class__()
    pa.as_user(world.pengurus_a)
    r = pa.post(
        f"/api/v1/coops/{world.coop_a.slug}/network/agreements/{code}/realisation",
        {"month": "2025-06-01", "volume": "1", "value": "1"},
    )
    assert r.status_code == 404  # coop A is not a party
    r = dinas.post(
        f"/api/v1/dinas/network/agreements/{code}/realisation",
        {"cooperative": world.coop_a.slug, "month": "2025-06-01", "volume": "1", "value": "1"},
    )
    assert r.status_code == 422 and "bukan pihak" in r.json()["detail"]
    assert Realisation.objects.count() == 2
    r = dinas.post(f"/api/v1/dinas/network/agreements/{code}/status", {"status": "failed"})
    assert r.status_code == 422 and "alasan" in r.json()["detail"]
    r = dinas.post(f"/api/v1/dinas/network/agreements/{code}/status", {"status": "active"})
    assert r.json()["status"] == "active"
    r = dinas.post(
        f"/api/v1/dinas/network/agreements/{code}/evaluations/6",
        {"held_on": "2025-07-31", "judgement": "continue", "answers": {"harga_sesuai": True}},
    )
    assert r.status_code == 200, r.content
    assert (r.json()["planned_value"], r.json()["realised_value"]) == ("4000000.00", "4000000.00")
    again = dinas.post(
        f"/api/v1/dinas/network/agreements/{code}/evaluations/6",
        {"held_on": "2025-08-01", "judgement": "end"},
    )
    assert again.status_code == 422 and "sudah dicatat" in again.json()["detail"]
    rep = dinas.get(f"/api/v1/dinas/network/events/{event.code}/report").json()
    assert (rep["agreements"], rep["signed"], rep["active"], rep["realised"]) == (1, 1, 1, 1)
    assert rep["realised_value"] == str(
        selectors.agreement_progress(TradeAgreement.objects.get())["realised"]
    )
    assert dinas.get("/api/v1/dinas/network/evaluations?due=true").json()["count"] == 1  # the 12-month one
    assert pb.get("/api/v1/dinas/network/agreements").status_code == 403
