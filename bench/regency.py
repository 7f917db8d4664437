"""A whole regency on one machine (issue 19, goal 4).

At ``--scale 1``: 1,100 cooperatives in the registry (10 years of reported annual figures and RAT
records, from bench/dinas), 300 of them keeping their books on Kopdig with 200,000 members (each
with simpanan wajib and sukarela), a loan for one member in ten and 10,000,000 journal lines in
all; the sizes follow a long tail (the largest cooperative has about a tenth of everything).
``--scale`` multiplies the cooperatives on Kopdig, members, loans and lines (not the registry).

Prints, on whatever DATABASE_URL says (SQLite in a fresh data directory without it):
1. the build time, database size and the machine's RAM;
2. the month-end of every cooperative on Kopdig in one command (``savings_run billing``,
   ``savings_run interest``, ``loans_arrears``, as run by cron; goal ≤ 10 min on PostgreSQL),
   with the reference of the same rows' raw INSERT rate measured in the same run;
3. the Dinas dashboard and the annual (ODS) figures of the whole regency from the books (median;
   goal ≤ 300 ms), with the raw SQL of the same statements as the reference;
4. the peak RSS a report of the largest cooperative adds to a fresh process (every ledger report
   page and its PDF; goal ≤ 200 MB).

    python -m bench regency -- --scale 0.05
    DATABASE_URL=postgres://root@127.0.0.1:5432/kopdig_bench_regency python -m bench regency -- --scale 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal


def _setup(args):
    if not os.environ.get("DATABASE_URL"):
        os.environ["KOPDIG_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(prefix="kopdig-bench-regency-")
    else:
        _fresh_postgres(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fresh_postgres(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _shares(n: int, total: int, rng) -> list[int]:
    """``total`` split over n cooperatives along a long tail (weights 1/(i+1)^0.9), each ≥ 1."""
    w = [1 / (i + 1) ** 0.9 for i in range(n)]
    s = sum(w)
    out = [max(1, int(total * x / s)) for x in w]
    out[0] += total - sum(out)
    return out


def _book_coop(kab, kecs, i, founded):
    from kopdig.tenancy.actions import _create_cooperative
    from kopdig.tenancy.models import Cooperative, Role, User

    coop = _create_cooperative(
        kabupaten=kab,
        name=f"KSU Regency {i:03d}",
        slug=f"regency-{i:03d}",
        jenis=Cooperative.Jenis.SERBA_USAHA,  # bench/ledger's entries use the trading accounts too
        kecamatan=kecs[i % len(kecs)],
        on_kopdig=True,
        has_usp=True,
        founded_on=founded,
    )
    user = User.objects.create(username=f"regency-{i:03d}-pengurus", name="Pengurus")
    Role.objects.create(cooperative=coop, user=user, kind=Role.Kind.PENGURUS)
    return coop, user


def _members_and_savings(coop, n: int, joined: dt.date):
    from kopdig.members.models import Member
    from kopdig.savings import _postings as services
    from kopdig.savings.models import SavingsAccount
    from kopdig.tenancy.models import DocumentCounter

    products = services.ensure_products(coop)
    Member.objects.bulk_create(
        (
            Member(
                cooperative=coop,
                number=f"{i:06d}",
                nik=f"35{coop.pk:05d}{i:09d}",
                name=f"Anggota {i}",
                gender="L" if i % 2 else "P",
                joined_on=joined,
            )
            for i in range(1, n + 1)
        ),
        batch_size=5000,
    )
    ids = list(Member.objects.filter(cooperative=coop).order_by("pk").values_list("pk", flat=True))
    accounts = []
    for i, m in enumerate(ids):
        for kind, prefix, k in (("wajib", "SW", 1), ("sukarela", "SS", 2)):
            accounts.append(
                SavingsAccount(
                    cooperative=coop,
                    member_id=m,
                    product=products[kind],
                    kind=kind,
                    number=f"{prefix}-{2 * i + k:07d}",
                    status="aktif",
                    opened_on=joined,
                    balance=Decimal(0) if kind == "wajib" else Decimal(100_000 + (i % 50) * 20_000),
                )
            )
    SavingsAccount.objects.bulk_create(accounts, batch_size=5000)
    DocumentCounter.objects.create(cooperative=coop, series="savings_account", year=0, last=2 * n)
    return ids


def build(args, rng):
    """The registry (bench/dinas) and the cooperatives on Kopdig with their members, savings,
    loans and journal lines (bench/ledger's bulk path: the rows journal_entry_post writes)."""
    from bench import dinas as dinas_bench
    from bench import ledger as ledger_bench
    from bench import loans as loans_bench

    last = args.today.year - 1
    years = list(range(last - 9, last + 1))
    kab, officer = dinas_bench.build(max(3, args.coops - args.books), years)
    from kopdig.tenancy.models import Region

    kecs = list(Region.objects.filter(parent=kab).order_by("code"))
    members = _shares(args.books, args.members, rng)
    lines = _shares(args.books, args.lines, rng)
    start = dt.date(years[-3], 1, 1)
    days = (args.month_end - start).days
    for i in range(args.books):
        coop, user = _book_coop(kab, kecs, i, start)
        ids = _members_and_savings(coop, members[i], start)
        loans_bench.seed_loans(
            coop, user, ids, max(1, members[i] // 10), args.month_end, periods=12, stride=10
        )
        entries, _count = ledger_bench._plan(lines[i], start, days, rng)
        ledger_bench.bulk_load(coop, user, entries)
        if i % 25 == 0:
            print(f"  … {i + 1}/{args.books} cooperatives on Kopdig built", flush=True)
    return kab, officer, years


def _db_size_mb() -> float:
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database())")
            return cur.fetchone()[0] / 1e6
    path = settings.DATABASES["default"]["NAME"]
    return sum(os.path.getsize(f"{path}{s}") for s in ("", "-wal") if os.path.exists(f"{path}{s}")) / 1e6


def _ram() -> str:
    info = dict(line.split(":", 1) for line in open("/proc/meminfo"))
    total = int(info["MemTotal"].split()[0]) / 1e6
    avail = int(info["MemAvailable"].split()[0]) / 1e6
    return f"{total:.1f} GB RAM, {avail:.1f} GB available"


def _month_end(args) -> dict:
    """The month-end commands, as cron runs them, on every cooperative, timed one by one."""
    from django.core.management import call_command

    end = args.month_end
    period = f"{end.year}-{end.month:02d}"
    out = {}
    for name, cmd in [
        ("wajib billing", ("savings_run", "billing", "--period", period)),
        ("jasa simpanan", ("savings_run", "interest", "--period", period)),
        ("loan arrears", ("loans_arrears", "--date", end.isoformat())),
    ]:
        t = time.perf_counter()
        call_command(*cmd, stdout=open(os.devnull, "w"))
        out[name] = time.perf_counter() - t
    return out


def _median_ms(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _replay_ms(fn, runs: int) -> float:
    """The reference: the database executing the very statements ``fn`` sends, through a cursor."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    statements = [q["sql"] for q in ctx.captured_queries]

    def replay():
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
                cur.fetchall()

    return _median_ms(replay, runs)


RSS_PROBE = r"""
import os, sys, json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
from kopdig.tenancy.models import User
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
setup_test_environment()
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
c = Client()
c.force_login(User.objects.get(username=sys.argv[1] + "-pengurus"))
c.get("/k/%s/" % sys.argv[1])  # imports and templates loaded: the baseline
open("/proc/self/clear_refs", "w").write("5")
base = hwm()
out = {}
for key in ("neraca-saldo", "posisi-keuangan", "hasil-usaha", "perubahan-ekuitas", "arus-kas"):
    for suffix in ("", "?format=pdf"):
        r = c.get("/k/%s/buku/laporan/%s/%s" % (sys.argv[1], key, suffix))
        out[key + (" pdf" if suffix else "")] = [r.status_code, r.get("Content-Type", ""), round(hwm() - base, 1)]
print(json.dumps({"base": base, "peak": hwm(), "reports": out}))
"""


def _rss(slug: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, slug],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ),
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m bench regency")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--coops", type=int, default=1100, help="cooperatives in the registry")
    parser.add_argument("--data-dir")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    args.books = max(2, round(300 * args.scale))
    args.members = max(args.books * 10, round(200_000 * args.scale))
    args.lines = max(args.books * 10, round(10_000_000 * args.scale))
    args.today = dt.date.today()
    args.month_end = args.today.replace(day=1) - dt.timedelta(days=1)  # the month-end just past
    _setup(args)
    from django.db import connection

    from kopdig.dinas import selectors

    print(
        f"bench regency, scale {args.scale}: {args.coops} cooperatives, {args.books} on Kopdig, "
        f"{args.members:,} members, {args.lines:,} journal lines · {connection.vendor} · {os.cpu_count()} cores, {_ram()}"
    )
    t = time.perf_counter()
    kab, _officer, years = build(args, random.Random(19))
    print(f"built in {time.perf_counter() - t:.0f} s; database {_db_size_mb():,.0f} MB")

    month_end = _month_end(args)
    total = sum(month_end.values())
    parts = ", ".join(f"{k} {v:.1f} s" for k, v in month_end.items())
    print(f"month-end of all {args.books} cooperatives: {total:.1f} s ({parts}) (goal ≤ 600 s on PostgreSQL)")

    kab_ids = {kab.pk}
    dash = _median_ms(lambda: selectors.dashboard(kab_ids), args.runs)
    dash_raw = _replay_ms(lambda: selectors.dashboard(kab_ids), args.runs)
    annual = _median_ms(lambda: selectors.annual_table(kab_ids, years[-1]), args.runs)
    annual_raw = _replay_ms(lambda: selectors.annual_table(kab_ids, years[-1]), args.runs)
    print(
        f"Dinas dashboard from the books: {dash:.0f} ms median (its SQL alone {dash_raw:.0f} ms, "
        f"{dash / dash_raw:.1f}×) (goal ≤ 300 ms)"
    )
    print(
        f"annual (ODS) figures of all {args.coops} cooperatives for {years[-1]}: {annual:.0f} ms median "
        f"(its SQL alone {annual_raw:.0f} ms, {annual / annual_raw:.1f}×) (goal ≤ 300 ms)"
    )
    rss = _rss("regency-000")
    worst = max(v[2] for v in rss["reports"].values())
    print(
        f"reports of the largest cooperative ({args.members and _largest(args)}): baseline RSS {rss['base']:.0f} MB, "
        f"peak {rss['peak']:.0f} MB, raised by {worst:.0f} MB at most (goal ≤ 200 MB)"
    )
    for key, (status, ctype, mb) in rss["reports"].items():
        print(f"  {key:24} {status} {ctype.split(';')[0]:22} +{mb:.0f} MB")
    print(f"database size after the month-end: {_db_size_mb():,.0f} MB · {_ram()}")


def _largest(args) -> str:
    from kopdig.ledger.models import JournalLine
    from kopdig.members.models import Member
    from kopdig.tenancy.models import Cooperative

    coop = Cooperative.objects.get(slug="regency-000")
    return (
        f"{Member.objects.filter(cooperative=coop).count():,} members, "
        f"{JournalLine.objects.filter(cooperative=coop).count():,} lines"
    )
