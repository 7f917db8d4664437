"""Business-network benchmark (issue 18) in a fresh data directory (SQLite there, or DATABASE_URL).

1. Matching one need against 20,000 offers (``selectors.candidates``: the SQL pre-filter by
   category and commodity words, the trust signals, the pure ranking): median time; also the
   kernel alone over all 20,000 offers. Reference: the database reading the same candidate rows
   (one raw SQL statement).
2. The network graph page over 1,100 cooperatives and 5,000 agreements (the Dinas's page: the
   selector, the SVG and the table, rendered by the view): median server time. Reference: the
   database's own aggregate of realised value per pair of parties (one raw SQL statement).
3. The evaluation report of one network (the agreements of one temu usaha) as the page and as
   Excel: median time. Reference: the database's aggregate of its realisation per agreement.

    python -m bench network [-- --coops 1100 --offers 20000 --agreements 5000 --network 60]
Goals: matching ≤ 100 ms; graph ≤ 500 ms; evaluation report ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from decimal import Decimal

WORDS = [
    "keripik",
    "kentang",
    "singkong",
    "kopi",
    "bawang",
    "merah",
    "mangga",
    "anggur",
    "beras",
    "gula",
    "kelapa",
    "madu",
    "batik",
    "terasi",
    "ikan",
    "susu",
    "dodol",
    "rengginang",
    "kacang",
    "tembakau",
    "jagung",
    "kemasan",
    "rajut",
    "anyaman",
]
CATEGORIES = ["makanan", "minuman", "sembako", "pertanian", "perikanan", "kerajinan", "fashion", "lainnya"]


def _setup():
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ["KOPDIG_DATA_DIR"] = tempfile.mkdtemp(prefix="kopdig-bench-network-")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
        django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _coops(rng, kab, n):
    from kopdig.tenancy.models import Cooperative, Region

    kecs = list(Region.objects.filter(parent=kab))
    desa = {k.pk: list(k.children.all()) for k in kecs}
    rows = []
    for i in range(n):
        kec = rng.choice(kecs)
        rows.append(
            Cooperative(
                name=f"Koperasi {i}",
                slug=f"bench-net-{i}",
                jenis="produsen",
                kabupaten=kab,
                kecamatan=kec,
                desa=rng.choice(desa[kec.pk]),
                on_kopdig=i < 10,  # a few keep their books on Kopdig
            )
        )
    Cooperative.objects.bulk_create(rows, batch_size=1000)
    return list(Cooperative.objects.filter(kabupaten=kab).select_related("kecamatan", "desa"))


def _orgs(kab, n):
    from kopdig.programs.models import Organisation
    from kopdig.tenancy.models import Region

    region = Region.objects.filter(level=1).first()
    Organisation.objects.bulk_create(
        [
            Organisation(kabupaten=kab, name=f"Mitra luar {i}", kind="koperasi_luar", region=region)
            for i in range(n)
        ]
    )
    return list(Organisation.objects.filter(kabupaten=kab))


def _offers(rng, kab, coops, orgs, n):
    from kopdig.network.models import Listing

    rows = []
    for i in range(n):
        party = {"cooperative": coops[i % len(coops)]} if i % 10 else {"organisation": orgs[i % len(orgs)]}
        rows.append(
            Listing(
                kabupaten=kab,
                kind="offer",
                commodity=" ".join(rng.sample(WORDS, 2)) + f" {i}",
                category=rng.choice(CATEGORIES),
                quantity_per_month=Decimal(rng.randint(10, 5000)),
                **party,
            )
        )
    Listing.objects.bulk_create(rows, batch_size=2000)


def _agreements(rng, kab, coops, orgs, n, event, network):
    from kopdig.network.models import AgreementEvaluation, AgreementParty, Realisation, TradeAgreement

    TradeAgreement.objects.bulk_create(
        [
            TradeAgreement(
                kabupaten=kab,
                code=f"KS-{2018 + i % 8}-{i:05d}",
                subject=f"Kerja sama {i}",
                commodity=rng.choice(WORDS),
                start=dt.date(2018 + i % 8, 1 + i % 12, 1),
                end=dt.date(2018 + i % 8, 1 + i % 12, 1) + dt.timedelta(days=365),
                planned_value=Decimal(rng.randint(1, 50)) * 100000,
                status=rng.choice(["signed", "active", "active", "ended", "failed"]),
                event=event if i < network else None,
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    agreements = list(TradeAgreement.objects.filter(kabupaten=kab).order_by("pk"))
    parties, real, evals = [], [], []
    for i, a in enumerate(agreements):
        seller, buyer = rng.sample(coops, 2)
        buyer_party = {"organisation": rng.choice(orgs)} if i % 3 == 0 else {"cooperative": buyer}
        parties.append(AgreementParty(kabupaten=kab, agreement=a, role="seller", cooperative=seller))
        parties.append(AgreementParty(kabupaten=kab, agreement=a, role="buyer", **buyer_party))
        evals += [
            AgreementEvaluation(
                kabupaten=kab, agreement=a, months_after=m, due_on=a.start + dt.timedelta(days=m * 30)
            )
            for m in (6, 12)
        ]
    AgreementParty.objects.bulk_create(parties, batch_size=2000)
    AgreementEvaluation.objects.bulk_create(evals, batch_size=2000)
    for p in AgreementParty.objects.filter(kabupaten=kab, role="seller").select_related("agreement"):
        for m in range(3):
            month = dt.date(
                p.agreement.start.year + (p.agreement.start.month + m - 1) // 12,
                1 + (p.agreement.start.month + m - 1) % 12,
                1,
            )
            real.append(
                Realisation(
                    kabupaten=kab,
                    agreement_id=p.agreement_id,
                    party=p,
                    month=month,
                    volume=Decimal(rng.randint(1, 500)),
                    value=Decimal(rng.randint(1, 60)) * 100000,
                )
            )
    Realisation.objects.bulk_create(real, batch_size=2000)
    return len(real)


def build(n_coops, n_offers, n_agreements, network):
    from kopdig.lib.transactions import batch
    from kopdig.network.models import Listing
    from kopdig.programs.actions import event_save
    from kopdig.tenancy.access import SYSTEM
    from kopdig.tenancy.models import DinasRole, Region, User
    from kopdig.tenancy.regions import load_kabupaten

    rng = random.Random(18)
    load_kabupaten("35.13")
    kab = Region.objects.get(code="35.13")
    officer, _ = User.objects.get_or_create(username="bench-officer")
    DinasRole.objects.get_or_create(user=officer, kabupaten=kab)
    with batch():
        coops = _coops(rng, kab, n_coops)
        orgs = _orgs(kab, 100)
        _offers(rng, kab, coops, orgs, n_offers)
        event = event_save(
            actor=SYSTEM,
            kabupaten=kab,
            kind="temu_usaha",
            title="Temu usaha",
            start_date=dt.date(2018, 5, 16),
            end_date=dt.date(2018, 5, 17),
        )
        n_real = _agreements(rng, kab, coops, orgs, n_agreements, event, network)
        need = Listing.objects.create(
            kabupaten=kab,
            kind="need",
            cooperative=coops[-1],
            commodity="keripik kentang",
            category="makanan",
            quantity_per_month=Decimal(300),
        )
    return kab, officer, event, need, n_real


def _median(fn, runs=7):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def bench_matching(need):
    from django.db import connection

    from kopdig.network import matching, selectors
    from kopdig.network.models import Listing

    sel, ranked = _median(lambda: selectors.candidates(need))
    words = sorted(matching.words(need.commodity))
    where = " OR ".join(["category = %s"] + ["commodity LIKE %s"] * len(words))
    sql = (
        "SELECT l.id, l.code, l.commodity, l.category, l.quantity_per_month, l.cooperative_id, l.organisation_id "
        f"FROM network_listing l WHERE l.kabupaten_id = %s AND l.kind = 'offer' AND l.active AND ({where})"
    )
    params = [need.kabupaten_id, need.category, *[f"%{w}%" for w in words]]

    def raw():
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return len(cur.fetchall())

    ref, n_rows = _median(raw)
    offers = [
        matching.Side(x.code, x.commodity, x.category, x.quantity_per_month, ("35", "35.13"), listed=x.pk)
        for x in Listing.objects.filter(kind="offer")
    ]
    me = matching.Side(need.code, need.commodity, need.category, need.quantity_per_month, ("35", "35.13"))
    kernel, _ = _median(lambda: matching.rank(me, offers))
    return sel, ref, n_rows, kernel, len(offers), ranked


def _page(client, url):
    def get():
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        return len(r.content)

    return get


def bench_graph(client, kab):
    from django.db import connection

    sel, size = _median(_page(client, "/dinas/jejaring/graf/"), runs=5)
    sql = (
        "SELECT s.cooperative_id, b.cooperative_id, b.organisation_id, SUM(r.value) FROM network_realisation r "
        "JOIN network_agreementparty s ON s.agreement_id = r.agreement_id AND s.role = 'seller' "
        "JOIN network_agreementparty b ON b.agreement_id = r.agreement_id AND b.role = 'buyer' "
        "WHERE r.kabupaten_id = %s GROUP BY s.cooperative_id, b.cooperative_id, b.organisation_id"
    )

    def raw():
        with connection.cursor() as cur:
            cur.execute(sql, [kab.pk])
            return len(cur.fetchall())

    ref, pairs = _median(raw, runs=5)
    return sel, ref, size, pairs


def bench_report(client, event):
    from django.db import connection

    page, size = _median(_page(client, f"/dinas/jejaring/temu-usaha/{event.code}/evaluasi/"))
    xlsx, _ = _median(_page(client, f"/dinas/jejaring/temu-usaha/{event.code}/evaluasi/?format=xlsx"))
    sql = (
        "SELECT a.id, a.status, SUM(r.value) FROM network_tradeagreement a "
        "LEFT JOIN network_realisation r ON r.agreement_id = a.id WHERE a.event_id = %s GROUP BY a.id, a.status"
    )

    def raw():
        with connection.cursor() as cur:
            cur.execute(sql, [event.pk])
            return len(cur.fetchall())

    ref, n = _median(raw)
    pdf, _ = _median(_page(client, f"/dinas/jejaring/temu-usaha/{event.code}/evaluasi/?format=pdf"), runs=1)
    return page, xlsx, ref, n, pdf, size


def main(argv):
    ap = argparse.ArgumentParser(prog="bench network")
    ap.add_argument("--coops", type=int, default=1100)
    ap.add_argument("--offers", type=int, default=20000)
    ap.add_argument("--agreements", type=int, default=5000)
    ap.add_argument("--network", type=int, default=60, help="agreements out of the one temu usaha")
    args = ap.parse_args(argv)
    _setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    t = time.perf_counter()
    kab, officer, event, need, n_real = build(args.coops, args.offers, args.agreements, args.network)
    print(
        f"database: {connection.vendor}; built {args.coops} cooperatives, {args.offers} offers, "
        f"{args.agreements} agreements, {n_real} monthly realisations in {time.perf_counter() - t:.1f} s "
        f"(machine: {os.cpu_count()} cores)"
    )
    sel, ref, n_rows, kernel, n_all, ranked = bench_matching(need)
    print(
        f"matching one need against {args.offers} offers: {sel * 1000:.1f} ms median "
        f"({n_rows} candidates after the SQL pre-filter, top score {ranked[0][1].score}); raw SQL read of "
        f"the candidates {ref * 1000:.1f} ms; ratio {sel / ref:.1f}x; the kernel alone over all {n_all} "
        f"offers {kernel * 1000:.1f} ms (goal ≤ 100 ms)"
    )
    client = Client()
    client.force_login(officer)
    sel, ref, size, pairs = bench_graph(client, kab)
    print(
        f"graph page ({args.agreements} agreements, {args.coops} cooperatives + 100 partners; "
        f"{size / 1e3:.0f} kB): {sel * 1000:.1f} ms median server time; raw aggregate per pair "
        f"({pairs} pairs) {ref * 1000:.1f} ms; ratio {sel / ref:.1f}x (goal ≤ 500 ms)"
    )
    page, xlsx, ref, n, pdf, size = bench_report(client, event)
    print(
        f"evaluation report of one network ({n} agreements): page {page * 1000:.1f} ms median, Excel "
        f"{xlsx * 1000:.1f} ms; raw aggregate {ref * 1000:.2f} ms; ratio {page / ref:.0f}x (goal ≤ 200 ms); "
        f"PDF {pdf * 1000:.0f} ms (WeasyPrint, no goal)"
    )
