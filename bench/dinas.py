"""Dinas dashboard benchmark: 1,100 cooperatives × 10 book years in a fresh data directory.

Times the full Dinas home page (selectors + pygal charts + template, through the test Client as
a Dinas officer; median of several runs, every chart rendered afresh; the page with unchanged
data, charts served from their memo, is printed too) and, as the reference measured in the same run, the
raw time of the database executing the very same SQL statements (captured from one page view
and replayed through a cursor). Prints both and their ratio. Goal: page ≤ 300 ms.

    python -m bench dinas [-- --runs 9 --coops 1100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def _setup_django():
    """A fresh data directory (SQLite there unless DATABASE_URL is set), unless Django was already
    set up by another benchmark in this process."""
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ["KOPDIG_DATA_DIR"] = tempfile.mkdtemp(prefix="kopdig-bench-dinas-")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
        django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# The helpers below import Django models locally: this module is imported before django.setup().


def _book_coops(kab, kecs, years) -> None:
    """Three cooperatives keeping their books on Kopdig, with income and expense every half-year."""
    import datetime as dt
    from decimal import Decimal

    from kopdig.ledger.posting import Line, post
    from kopdig.tenancy.actions import _create_cooperative

    books = [
        _create_cooperative(
            kabupaten=kab,
            name=f"Bench Kopdig {i}",
            slug=f"bench-kopdig-{i}",
            jenis="simpan_pinjam",
            kecamatan=kecs[i],
            on_kopdig=True,
            founded_on=dt.date(years[0] - 2, 1, 1),
        )
        for i in range(3)
    ]
    income = [
        Line("kas", debit=Decimal("1500000.00")),
        Line("pendapatan_jasa_pinjaman", credit=Decimal("1500000.00")),
    ]
    salary = [Line("beban_gaji", debit=Decimal("900000.00")), Line("kas", credit=Decimal("900000.00"))]
    for coop in books:
        for y in years:
            for m in (3, 9):
                post(cooperative=coop, date=dt.date(y, m, 10), memo="Jasa", lines=income)
                post(cooperative=coop, date=dt.date(y, m, 20), memo="Gaji", lines=salary)


def _registry_coops(rng, kab, kecs, n: int, years) -> list:
    """``n`` registered cooperatives that report to the Dinas but keep no books on Kopdig."""
    import datetime as dt

    from kopdig.tenancy.models import Cooperative

    desa = {k.pk: list(k.children.all()) for k in kecs}
    jenis = ["konsumen"] * 55 + ["simpan_pinjam"] * 13 + ["produsen"] * 9 + ["jasa", "pemasaran"]
    kelompok = [v for v, _ in Cooperative.Kelompok.choices]
    coops = []
    for i in range(n):
        k = rng.choice(kecs)
        coops.append(
            Cooperative(
                name=f"Koperasi Bench {i}",
                slug=f"kop-bench-{i}",
                jenis=rng.choice(jenis),
                kelompok=rng.choice(kelompok),
                kabupaten=kab,
                kecamatan=k,
                desa=rng.choice(desa[k.pk]),
                nik=f"3513{i:09d}",
                status="aktif" if rng.random() < 0.79 else "tidak_aktif",
                founded_on=dt.date(rng.randint(1975, years[-1]), 1, 1),
            )
        )
    return Cooperative.objects.bulk_create(coops, batch_size=500)


def _annual_report(rng, coop, year, size):
    from decimal import Decimal

    from kopdig.dinas.models import AnnualReport

    aset = (size * 400_000_000).quantize(Decimal("0.01"))
    return AnnualReport(
        cooperative=coop,
        year=year,
        anggota_l=rng.randint(10, 200),
        anggota_p=rng.randint(10, 200),
        manajer=1,
        karyawan=rng.randint(0, 5),
        modal_sendiri=aset / 2,
        modal_luar=aset / 2,
        aset=aset,
        volume_usaha=aset * Decimal("1.7"),
        shu=aset / 25,
    )


def _reports_and_rats(rng, coops, years) -> None:
    """Every year's annual report since founding and, for most active ones, its RAT record."""
    import datetime as dt
    from decimal import Decimal

    from kopdig.dinas.models import AnnualReport, RatRecord

    reports, rats = [], []
    for c in coops:
        size = Decimal(str(round(rng.lognormvariate(0, 1), 3)))
        for y in years:
            if y < c.founded_on.year:
                continue
            reports.append(_annual_report(rng, c, y, size))
            if c.status == "aktif" and rng.random() < 0.9:
                held_on = dt.date(y + 1, rng.randint(2, 9), 15)
                rats.append(RatRecord(cooperative=c, year=y, held_on=held_on, source="dinas"))
    AnnualReport.objects.bulk_create(reports, batch_size=1000)
    RatRecord.objects.bulk_create(rats, batch_size=1000)


def build(n_coops: int, years: list[int]):
    """The regency: n cooperatives (3 of them keeping books on Kopdig), annual reports and RAT records."""
    import random

    from django.db import transaction

    from kopdig.tenancy.models import Cooperative, DinasRole, Region, User
    from kopdig.tenancy.regions import load_kabupaten

    rng = random.Random(1100)
    load_kabupaten("35.13")
    kab = Region.objects.get(code="35.13")
    if Cooperative.objects.filter(kabupaten=kab).count() >= n_coops:
        return kab, User.objects.get(username="bench-dinas")
    officer, _ = User.objects.get_or_create(username="bench-dinas", defaults={"name": "Petugas"})
    DinasRole.objects.get_or_create(user=officer, kabupaten=kab)
    kecs = list(Region.objects.filter(parent=kab))
    with transaction.atomic():
        _book_coops(kab, kecs, years)
        coops = _registry_coops(rng, kab, kecs, n_coops - 3, years)
        _reports_and_rats(rng, coops, years)
    return kab, officer


def main(argv):
    parser = argparse.ArgumentParser(prog="bench dinas")
    parser.add_argument("--coops", type=int, default=1100)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    _setup_django()
    import datetime as dt

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from kopdig.dinas import selectors
    from kopdig.dinas.models import AnnualReport
    from kopdig.lib import charts
    from kopdig.tenancy.models import Cooperative

    last = dt.date.today().year - 1
    years = list(range(last - 9, last + 1))
    started = time.perf_counter()
    kab, officer = build(args.coops, years)
    print(
        f"data: {Cooperative.objects.filter(kabupaten=kab).count()} cooperatives, "
        f"{AnnualReport.objects.filter(cooperative__kabupaten=kab).count()} annual reports "
        f"(built in {time.perf_counter() - started:.1f} s) · database {connection.vendor} · {settings.DATA_DIR}"
    )

    setup_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(officer)
    assert client.get("/dinas/").status_code == 200  # warm-up (imports, template compile)

    with CaptureQueriesContext(connection) as captured:
        resp = client.get("/dinas/")
    assert resp.status_code == 200
    statements = [q["sql"] for q in captured.captured_queries]

    page, warm, sel = [], [], []
    for _ in range(args.runs):
        charts.cache_clear()  # the honest number: every chart rendered again
        t = time.perf_counter()
        client.get("/dinas/")
        page.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        client.get("/dinas/")  # same numbers: charts come from the memo keyed by their data
        warm.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        selectors.dashboard({kab.pk})
        sel.append((time.perf_counter() - t) * 1000)

    def replay():
        with connection.cursor() as cur:
            t = time.perf_counter()
            for sql in statements:
                cur.execute(sql)
                cur.fetchall()
            return (time.perf_counter() - t) * 1000

    raw = [replay() for _ in range(args.runs)]
    # The core aggregate alone: one SELECT of the registry GROUP BYs plus the yearly sums.
    core_sql = (
        "SELECT status, jenis, kelompok, kecamatan_id, on_kopdig, COUNT(*) FROM tenancy_cooperative "
        f"WHERE kabupaten_id = {kab.pk} GROUP BY status, jenis, kelompok, kecamatan_id, on_kopdig"
    )
    sums_sql = (
        "SELECT r.year, SUM(r.anggota_l), SUM(r.anggota_p), SUM(r.aset), SUM(r.volume_usaha), SUM(r.shu) "
        "FROM dinas_annualreport r JOIN tenancy_cooperative c ON c.id = r.cooperative_id "
        f"WHERE c.kabupaten_id = {kab.pk} GROUP BY r.year"
    )

    def core():
        with connection.cursor() as cur:
            t = time.perf_counter()
            for sql in (core_sql, sums_sql):
                cur.execute(sql)
                cur.fetchall()
            return (time.perf_counter() - t) * 1000

    core_ms = statistics.median([core() for _ in range(args.runs)])
    p, s, r = statistics.median(page), statistics.median(sel), statistics.median(raw)
    print(
        f"dashboard page (selectors + charts + template): median {p:.1f} ms over {args.runs} runs "
        f"(min {min(page):.1f}, max {max(page):.1f}); goal ≤ 300 ms: {'OK' if p <= 300 else 'MISSED'}"
    )
    print(
        f"  selectors only: median {s:.1f} ms; page with unchanged data (charts memoised): "
        f"median {statistics.median(warm):.1f} ms"
    )
    print(
        f"reference: the database executing the page's {len(statements)} SQL statements raw: median {r:.1f} ms"
    )
    print(f"  core GROUP BYs alone (registry counts + yearly sums): median {core_ms:.1f} ms")
    print(f"ratio page / raw SQL: {p / r:.1f}×; page / core GROUP BYs: {p / core_ms:.1f}×")


if __name__ == "__main__":
    main(sys.argv[1:])
