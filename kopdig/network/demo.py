"""Demo step: the business network of Kabupaten Probolinggo, through the real actions.

1. **2018, Probolinggo–Yogyakarta** (domain §10): at the temu usaha of 16–17 May 2018 (the
   programme event of that kind, built by the programmes demo) the participating cooperatives
   and five cooperatives of Yogyakarta (external parties of the organisation registry, with their
   region) publish offers and needs; the Dinas records the introductions made there, both sides
   answer, ten agreements follow (active, signed and never realised, failed with a reason, one
   ended after a year). Realisation is reported monthly (by the party not on Kopdig; the Dinas
   enters the external partners' figures), evaluated at the network evaluation meeting of
   5 November 2018 (45 participants, the programmes demo's event) and again after 12 months.
2. **Today, around Kopwan Srikandi's products**: Srikandi publishes offers from its catalogue and
   its needs (potatoes, packaging, training); KSU Tunas Harapan needs potato chips for its shop;
   registry cooperatives offer potatoes and packaging. Srikandi sells to KSU Tunas Harapan under
   an agreement whose code its sales carry, so that realisation is read from its books; a
   potato grower reports what it delivers to Srikandi; two introductions wait for an answer.

Idempotent: nothing is written when the regency already has network listings. Deterministic.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from kopdig.ledger import periods
from kopdig.lib.dates import add_months
from kopdig.lib.money import q
from kopdig.lib.transactions import batch
from kopdig.programs import actions as program_actions
from kopdig.programs.models import Event, Organisation
from kopdig.tenancy.access import SYSTEM
from kopdig.tenancy.models import Cooperative, Region
from kopdig.tenancy.regions import load_kabupaten
from kopdig.usaha import actions as usaha_actions
from kopdig.usaha.models import Product

from . import actions, selectors
from .models import Listing, TradeAgreement

SEED = 2018
D = Decimal
TEMU_USAHA = dt.date(2018, 5, 16)
EVALUATION_MEETING = dt.date(2018, 11, 5)
YEAR_EVALUATION = dt.date(2019, 5, 20)
PARTNERS = [  # (name, region code): cooperatives of Yogyakarta, outside the regency
    ("Koperasi Produsen Bakpia Pathuk", "34.71"),
    ("KSU Bina Usaha Mandiri Sleman", "34.04"),
    ("Koperasi Pedagang Pasar Beringharjo", "34.71"),
    ("Kopwan Mekar Sari Sleman", "34.04"),
    ("Koperasi Perajin Perak Kotagede", "34.71"),
]
# (seller side: P = Probolinggo, Y = Yogyakarta; Probolinggo party index; partner index;
#  commodity; category; quantity a month; unit; price; outcome)
DEALS_2018 = [
    ("P", 0, 2, "Bawang merah", "pertanian", 3000, "kg", 18000, "active"),
    ("P", 1, 2, "Mangga arumanis", "pertanian", 2000, "kg", 12000, "active"),
    ("P", 2, 0, "Kacang hijau kupas", "pertanian", 800, "kg", 16000, "active"),
    ("P", 3, 1, "Keripik kentang", "makanan", 500, "bungkus", 15000, "ended"),
    ("P", 4, 3, "Terasi udang", "perikanan", 300, "kg", 60000, "failed"),
    ("P", 5, 1, "Kopi bubuk Tengger", "minuman", 200, "kg", 90000, "active"),
    ("Y", 6, 0, "Bakpia kacang hijau", "makanan", 400, "kotak", 35000, "active"),
    ("Y", 7, 4, "Kerajinan perak", "kerajinan", 50, "pcs", 250000, "signed"),
    ("Y", 8, 3, "Batik cap", "fashion", 100, "lembar", 120000, "failed"),
    ("P", 9, 2, "Susu sapi segar", "perikanan", 6000, "liter", 6000, "active"),
    ("P", 10, 2, "Anggur Probolinggo", "pertanian", 500, "kg", 25000, "declined"),
    ("Y", 11, 1, "Gula kelapa", "sembako", 1000, "kg", 17000, "declined"),
]
FAILURES = {
    "Terasi udang": "Biaya kirim ke Yogyakarta lebih tinggi dari selisih harga.",
    "Batik cap": "Mutu contoh tidak sesuai pesanan; pembeli membatalkan.",
}
RAMP = [D("0.35"), D("0.6"), D("0.8"), D("0.9"), D("1.0"), D("0.95")]


def run(ctx):
    kab = ctx.kabupaten
    if Listing.objects.filter(kabupaten=kab).exists():
        return
    rng = random.Random(SEED)
    temu = Event.objects.filter(kabupaten=kab, kind="temu_usaha", start_date=TEMU_USAHA).first()
    if temu is not None:
        with batch():
            _network_2018(kab, temu, rng)
    with batch():
        _srikandi_network(ctx, kab, rng)
    ctx.log(
        f"  jejaring: {Listing.objects.filter(kabupaten=kab).count()} penawaran/kebutuhan, "
        f"{TradeAgreement.objects.filter(kabupaten=kab).count()} kerja sama"
    )


# --- 2018: the Probolinggo–Yogyakarta network ---------------------------------------------------


def _partners(kab) -> list[Organisation]:
    load_kabupaten("34.71", "34.04")
    regions = {r.code: r for r in Region.objects.filter(code__in=[c for _n, c in PARTNERS])}
    out = []
    for name, code in PARTNERS:
        org = Organisation.objects.filter(kabupaten=kab, name=name).first()
        out.append(
            org
            or program_actions.organisation_save(
                actor=SYSTEM,
                kabupaten=kab,
                name=name,
                kind=Organisation.Kind.KOPERASI_LUAR,
                region=regions.get(code),
                contact="Ketua koperasi",
            )
        )
    return out


def _participants(temu) -> list[Cooperative]:
    coops = {
        p.cooperative_id: p.cooperative
        for p in temu.participations.select_related("cooperative").order_by("pk")
        if p.cooperative_id
    }
    return list(coops.values())


def _network_2018(kab, temu, rng):
    partners = _partners(kab)
    coops = _participants(temu)
    if not coops:
        return
    fgd = Event.objects.filter(kabupaten=kab, start_date=EVALUATION_MEETING).first()
    for i, (side, pi, yi, commodity, category, qty, unit, price, outcome) in enumerate(DEALS_2018):
        coop, partner = coops[pi % len(coops)], partners[yi]
        offer, need = _pair(kab, side, coop, partner, commodity, category, qty, unit, price)
        intro = actions.introduction_propose(
            actor=SYSTEM,
            need=need,
            offer=offer,
            event=temu,
            score=_score(need, offer),
            note="Dipertemukan di temu usaha Probolinggo–Yogyakarta",
        )
        accept = outcome != "declined"
        actions.introduction_answer(actor=SYSTEM, introduction=intro, side="offer", accept=True)
        actions.introduction_answer(actor=SYSTEM, introduction=intro, side="need", accept=accept)
        if accept:
            _agreement_2018(kab, temu, fgd, intro, side, coop, partner, qty, price, outcome, i, rng)


def _pair(kab, side, coop, partner, commodity, category, qty, unit, price):
    seller = {"cooperative": coop} if side == "P" else {"organisation": partner}
    buyer = {"organisation": partner} if side == "P" else {"cooperative": coop}
    common = {"commodity": commodity, "category": category, "unit": unit}
    offer = actions.listing_save(
        actor=SYSTEM,
        kabupaten=kab,
        kind="offer",
        quantity_per_month=D(qty),
        price_min=D(price) * D("0.9"),
        price_max=D(price) * D("1.1"),
        certifications="PIRT" if category == "makanan" else "",
        **seller,
        **common,
    )
    need = actions.listing_save(
        actor=SYSTEM,
        kabupaten=kab,
        kind="need",
        need_type="resale" if category in ("makanan", "kerajinan", "fashion") else "input",
        quantity_per_month=D(qty),
        **buyer,
        **common,
    )
    return offer, need


def _score(need, offer) -> Decimal:
    found = next((m for o, m in selectors.candidates(need, limit=50) if o.pk == offer.pk), None)
    return found.score if found else D(0)


def _agreement_2018(kab, temu, fgd, intro, side, coop, partner, qty, price, outcome, i, rng):
    start = dt.date(2018, 5, 17) if i % 3 else dt.date(2018, 6, 1)
    seller_p, buyer_p = ("cooperative", coop), ("organisation", partner)
    if side == "Y":
        seller_p, buyer_p = buyer_p, seller_p
    commodity = intro.need.commodity
    a = actions.trade_agreement_create(
        actor=SYSTEM,
        kabupaten=kab,
        subject=f"Pasokan {commodity.lower()} {intro.offer.party_name} untuk {intro.need.party_name}"[:255],
        commodity=commodity,
        category=intro.need.category,
        unit=intro.need.unit,
        planned_volume=D(qty),
        planned_value=q(D(qty) * D(price)),
        price_terms=f"Rp {price:,} per {intro.need.unit}, franco gudang pembeli; dibayar 14 hari".replace(
            ",", "."
        ),
        start=start,
        end=dt.date(2019, 5, 31) if outcome == "ended" else None,
        event=temu,
        introduction=intro,
        parties=[{seller_p[0]: seller_p[1], "role": "seller"}, {buyer_p[0]: buyer_p[1], "role": "buyer"}],
    )
    actions.trade_agreement_status(actor=SYSTEM, agreement=a, status="signed")
    months = {"active": 19, "ended": 12, "failed": 2, "signed": 0}[outcome]
    _report_months(a, start, months, D(qty), D(price), outcome, rng)
    if outcome in ("active", "ended", "failed"):
        actions.trade_agreement_status(actor=SYSTEM, agreement=a, status="active")
    _evaluate(a, fgd, outcome)
    if outcome == "failed":
        actions.trade_agreement_status(actor=SYSTEM, agreement=a, status="failed", reason=FAILURES[commodity])
    elif outcome == "ended":
        actions.trade_agreement_status(actor=SYSTEM, agreement=a, status="ended")


def _reporting_party(a):
    """The party whose figures are reported: a seller not on Kopdig, else the other side."""
    parties = list(a.parties.select_related("cooperative"))
    off = [p for p in parties if not (p.cooperative_id and p.cooperative.on_kopdig)]
    sellers = [p for p in off if p.role == "seller"]
    return (sellers or off or [None])[0]


def _report_months(a, start, months, qty, price, outcome, rng):
    party = _reporting_party(a)
    if party is None or months == 0:
        return
    first = start.replace(day=1)
    for n in range(months):
        share = RAMP[min(n, len(RAMP) - 1)] * D(rng.randint(85, 110)) / 100
        if outcome == "failed":
            share = D("0.15")
        volume = (qty * share).quantize(D("1"))
        actions.realisation_report(
            actor=SYSTEM,
            agreement=a,
            party=party,
            month=add_months(first, n),
            volume=volume,
            value=q(volume * price),
        )


ANSWERS = {
    "active": {"volume_sesuai": True, "harga_sesuai": True, "pembayaran_lancar": True, "mutu_sesuai": True},
    "ended": {"volume_sesuai": False, "harga_sesuai": True, "pembayaran_lancar": False, "mutu_sesuai": True},
    "failed": {
        "volume_sesuai": False,
        "harga_sesuai": False,
        "pembayaran_lancar": False,
        "mutu_sesuai": False,
    },
    "signed": {"volume_sesuai": False, "harga_sesuai": True, "pembayaran_lancar": False, "mutu_sesuai": True},
}
JUDGEMENT = {  # (at the evaluation meeting, after a year)
    "active": ("continue", "continue"),
    "ended": ("fix", "end"),
    "failed": ("end", "end"),
    "signed": ("fix", "end"),
}


def _evaluate(a, fgd, outcome):
    meeting = fgd.start_date if fgd else EVALUATION_MEETING
    where = f"Rapat evaluasi jejaring {meeting.day} November {meeting.year}" + (
        f" ({fgd.participations.filter(role='peserta').count()} peserta)" if fgd else ""
    )
    for ev, held_on, judgement in zip(
        a.evaluations.order_by("months_after"), (meeting, YEAR_EVALUATION), JUDGEMENT[outcome], strict=False
    ):
        p = selectors.agreement_progress(a, today=held_on)
        actions.evaluation_record(
            actor=SYSTEM,
            evaluation=ev,
            held_on=held_on,
            planned=p["planned"],
            realised=p["realised"],
            answers={**ANSWERS[outcome], "ingin_lanjut": judgement == "continue"},
            judgement=judgement,
            note=where if held_on == meeting else "Evaluasi satu tahun",
        )


# --- today: around Kopwan Srikandi's products ---------------------------------------------------

SRIKANDI_OFFERS = [  # (product name in the catalogue, quantity a month)
    ("Keripik Kentang Bromo", 300),
    ("Dodol Kentang", 150),
    ("Kopi Bubuk Tengger", 60),
    ("Madu Hutan Bromo", 40),
    ("Syal Rajut Tengger", 50),
]
SRIKANDI_NEEDS = [
    ("Kentang granola bahan keripik", "pertanian", "input", 800, "kg"),
    ("Kemasan standing pouch", "lainnya", "input", 3000, "pcs"),
    ("Pelatihan pemasaran daring", "lainnya", "training", None, "kali"),
]
REGISTRY_OFFERS = [  # (kecamatan, commodity, category, quantity, unit, price)
    ("Sukapura", "Kentang granola", "pertanian", 5000, "kg", 9000),
    ("Sumber", "Kentang dan wortel", "pertanian", 3000, "kg", 8500),
    ("Kraksaan", "Kemasan standing pouch dan label", "lainnya", 10000, "pcs", 1200),
    ("Paiton", "Gula merah kelapa", "sembako", 1500, "kg", 16000),
    ("Dringu", "Ikan asin dan terasi", "perikanan", 400, "kg", 55000),
]


def _user(coop, kind):
    return get_user_model().objects.filter(username=f"{coop.slug}-{kind}").first()


def _registry_coop(kab, kecamatan: str):
    return (
        Cooperative.objects.filter(kabupaten=kab, kecamatan__name=kecamatan, on_kopdig=False, status="aktif")
        .order_by("pk")
        .first()
    )


def _srikandi_network(ctx, kab, rng):
    srikandi = Cooperative.objects.filter(kabupaten=kab, slug="kopwan-srikandi").first()
    ksu = Cooperative.objects.filter(kabupaten=kab, slug="ksu-tunas-harapan").first()
    pengurus = srikandi and _user(srikandi, "pengurus")
    if srikandi is None or pengurus is None:
        ctx.log("  jejaring: Kopwan Srikandi tidak ada, jejaring kini dilewati")
        return
    offers = {}
    for name, qty in SRIKANDI_OFFERS:
        product = Product.objects.filter(cooperative=srikandi, name=name).first()
        if product is None:
            continue
        try:
            offers[name] = _srikandi_offer(kab, pengurus, srikandi, product, qty)
        except actions.NetworkError:  # already offered at the 2018 temu usaha
            continue
    needs = {
        commodity: actions.listing_save(
            actor=pengurus,
            kabupaten=kab,
            kind="need",
            cooperative=srikandi,
            commodity=commodity,
            category=category,
            need_type=need_type,
            quantity_per_month=D(qty) if qty else None,
            unit=unit,
        )
        for commodity, category, need_type, qty, unit in SRIKANDI_NEEDS
    }
    registry = {}
    for kec, commodity, category, qty, unit, price in REGISTRY_OFFERS:
        coop = _registry_coop(kab, kec)
        if coop is None:
            continue
        registry[commodity] = actions.listing_save(
            actor=SYSTEM,
            kabupaten=kab,
            kind="offer",
            cooperative=coop,
            commodity=commodity,
            category=category,
            quantity_per_month=D(qty),
            unit=unit,
            price_min=D(price),
            price_max=D(price) * D("1.15"),
        )
    _srikandi_to_ksu(ctx, kab, srikandi, ksu, offers.get("Keripik Kentang Bromo"), rng)
    _potatoes_to_srikandi(ctx, kab, srikandi, needs, registry, rng)
    _pending(kab, srikandi, offers, needs, registry)


def _srikandi_offer(kab, pengurus, srikandi, product, qty):
    return actions.listing_save(
        actor=pengurus,
        kabupaten=kab,
        kind="offer",
        cooperative=srikandi,
        product=product,
        commodity=product.name,
        category=product.category,
        quantity_per_month=D(qty),
        unit=product.unit,
        price_min=product.price_member,
        price_max=product.price_non_member,
        certifications=", ".join(
            x for x in ("PIRT" if product.pirt_number else "", "Halal" if product.halal_number else "") if x
        ),
    )


def _first_open_month(coop, today: dt.date, months_back: int) -> dt.date:
    start = add_months(today.replace(day=1), -months_back)
    lock = periods.closed_through(coop)
    if lock and start <= lock:
        start = add_months(lock.replace(day=1), 1)
    return start


def _srikandi_to_ksu(ctx, kab, srikandi, ksu, offer, rng):
    kasir = _user(srikandi, "kasir")
    if ksu is None or offer is None or offer.product is None or kasir is None:
        return
    ksu_pengurus = _user(ksu, "pengurus") or SYSTEM
    need = actions.listing_save(
        actor=ksu_pengurus,
        kabupaten=kab,
        kind="need",
        cooperative=ksu,
        need_type="resale",
        commodity="Keripik kentang untuk toko koperasi",
        category="makanan",
        quantity_per_month=D(40),
        unit="bungkus",
    )
    intro = actions.introduction_propose(
        actor=ksu_pengurus, need=need, offer=offer, score=_score(need, offer)
    )
    actions.introduction_answer(actor=ksu_pengurus, introduction=intro, side="need", accept=True)
    actions.introduction_answer(
        actor=_user(srikandi, "pengurus"), introduction=intro, side="offer", accept=True
    )
    today = min(ctx.today, dt.date.today())
    start = _first_open_month(srikandi, today, 5)
    if start > today:
        return
    product = offer.product
    a = actions.trade_agreement_create(
        actor=SYSTEM,
        kabupaten=kab,
        subject="Keripik kentang Kopwan Srikandi untuk toko KSU Tunas Harapan",
        commodity=product.name,
        category=product.category,
        unit=product.unit,
        planned_volume=D(40),
        planned_value=q(D(40) * product.price_non_member),
        price_terms="Harga non-anggota, diantar tiap awal bulan, dibayar tunai",
        start=start,
        introduction=intro,
        parties=[{"cooperative": srikandi, "role": "seller"}, {"cooperative": ksu, "role": "buyer"}],
    )
    actions.trade_agreement_status(actor=SYSTEM, agreement=a, status="active")
    month = start
    while month <= today:
        day = min(month.replace(day=6), today)
        qty = D(rng.randint(28, 46))
        usaha_actions.purchase_record(
            actor=kasir,
            cooperative=srikandi,
            date=day,
            supplier_member=product.producer.number if product.producer_id else None,
            supplier_name="" if product.producer_id else "Produsen anggota",
            lines=[
                {"product": product.code, "qty": qty, "unit_cost": q(product.price_non_member * D("0.62"))}
            ],
        )
        usaha_actions.sale_record(
            actor=kasir,
            cooperative=srikandi,
            date=day,
            buyer_name="KSU Tunas Harapan",
            trade_ref=a.code,
            lines=[{"product": product.code, "qty": qty}],
        )
        month = add_months(month, 1)


def _potatoes_to_srikandi(ctx, kab, srikandi, needs, registry, rng):
    offer, need = registry.get("Kentang granola"), needs["Kentang granola bahan keripik"]
    if offer is None:
        return
    intro = actions.introduction_propose(actor=SYSTEM, need=need, offer=offer, score=_score(need, offer))
    actions.introduction_answer(actor=SYSTEM, introduction=intro, side="offer", accept=True)
    actions.introduction_answer(
        actor=_user(srikandi, "pengurus"), introduction=intro, side="need", accept=True
    )
    today = min(ctx.today, dt.date.today())
    start = add_months(today.replace(day=1), -3)
    a = actions.trade_agreement_create(
        actor=SYSTEM,
        kabupaten=kab,
        subject=f"Kentang granola {offer.party_name} untuk Kopwan Srikandi"[:255],
        commodity="Kentang granola",
        category="pertanian",
        unit="kg",
        planned_volume=D(600),
        planned_value=D("5400000.00"),
        price_terms="Rp 9.000 per kg, sortir ukuran sedang",
        start=start,
        introduction=intro,
        evaluate_after=[3, 6],
        parties=[
            {"cooperative": offer.cooperative, "role": "seller"},
            {"cooperative": srikandi, "role": "buyer"},
        ],
    )
    actions.trade_agreement_status(actor=SYSTEM, agreement=a, status="active")
    for n in range(3):  # the grower reports (its books are not on Kopdig); this month not yet
        volume = D(rng.randint(450, 650))
        actions.realisation_report(
            actor=SYSTEM,
            agreement=a,
            party=a.parties.get(role="seller"),
            month=add_months(start, n),
            volume=volume,
            value=q(volume * D(9000)),
        )


def _pending(kab, srikandi, offers, needs, registry):
    """Introductions waiting for Srikandi's answer (the pengurus sees them on the network page)."""
    kemasan = registry.get("Kemasan standing pouch dan label")
    if kemasan is not None:
        need = needs["Kemasan standing pouch"]
        intro = actions.introduction_propose(
            actor=SYSTEM, need=need, offer=kemasan, score=_score(need, kemasan)
        )
        actions.introduction_answer(actor=SYSTEM, introduction=intro, side="offer", accept=True)
    dodol = offers.get("Dodol Kentang")
    partners = Organisation.objects.filter(kabupaten=kab, name=PARTNERS[1][0]).first()
    if dodol is not None and partners is not None:
        need = actions.listing_save(
            actor=SYSTEM,
            kabupaten=kab,
            kind="need",
            organisation=partners,
            need_type="resale",
            commodity="Oleh-oleh kentang khas Bromo",
            category="makanan",
            quantity_per_month=D(100),
            unit="bungkus",
        )
        intro = actions.introduction_propose(actor=SYSTEM, need=need, offer=dodol, score=_score(need, dodol))
        actions.introduction_answer(actor=SYSTEM, introduction=intro, side="need", accept=True)
