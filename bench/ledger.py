"""Ledger benchmark: cooperatives with N journal lines each (default one of 1,000,000).

    python -m bench ledger -- --sizes 100000,1000000,10000000 [--post 10000] [--clients 8] [--no-tools]
    python -m bench ledger -- --lines 2370000          # one size: the hledger/beancount reference

Runs on whatever DATABASE_URL says; without it, SQLite in KOPDIG_DATA_DIR, which defaults
here to ``var/bench`` (a separate database, recreated on each run when it is that default).

1. Per size, bulk-loads N lines (entries of 2–4 lines over three years) into a new cooperative
   by a fast path that writes the same rows as ``journal_entry_post`` — entries with gapless
   numbers, lines, running day balances, month caches, document counters and audit rows — and
   proves it with ``verify``.
2. (b) Per size (the curve): the balances of every account, trial balance, balance sheet at a
   mid-month date and the income statement over a range off month boundaries (median ms);
   reference: the database's own aggregate over the lines for the same balances.
3. (a) At the last size: the posting rate through the real action ``journal_entry_post`` (one
   durable transaction per entry) on --post entries, with statements and round trips per
   entry; reference: the bulk path's rate. On PostgreSQL also --clients processes posting
   into cooperatives of their own at once: the aggregate rate against the single client and
   the ``pg_locks`` samples in which a lock was waited for.
4. (c) At the last size: the same balance sheet computed by beancount (load + realize) and
   hledger (``bal``) from Kopdig's own export of the ledger; totals must agree to the rupiah.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "var" / "bench"

TEMPLATES = [
    # (weight, memo, [(key, side, share)]) — shares of the entry amount; 0 marks the balancing line.
    (
        30,
        "Penjualan tunai",
        [("kas", "D", 0), ("penjualan_anggota", "C", 0.8), ("penjualan_non_anggota", "C", 0.2)],
    ),
    (15, "Pembelian barang", [("persediaan", "D", 0), ("bank", "C", 1)]),
    (10, "Beban operasional", [("beban_administrasi", "D", 0), ("kas", "C", 1)]),
    (
        10,
        "Setoran simpanan",
        [
            ("kas", "D", 0),
            ("simpanan_wajib", "C", 0.5),
            ("simpanan_sukarela", "C", 0.4),
            ("simpanan_pokok", "C", 0.1),
        ],
    ),
    (
        10,
        "Angsuran pinjaman",
        [("kas", "D", 0), ("piutang_pinjaman", "C", 0.85), ("pendapatan_jasa_pinjaman", "C", 0.15)],
    ),
    (
        6,
        "Pencairan pinjaman",
        [("piutang_pinjaman", "D", 0), ("kas", "C", 0.98), ("pendapatan_provisi", "C", 0.02)],
    ),
    (7, "Setor kas ke bank", [("bank", "D", 0), ("kas", "C", 1)]),
    (5, "Gaji", [("beban_gaji", "D", 0), ("bank", "C", 1)]),
    (2, "Penarikan simpanan", [("simpanan_sukarela", "D", 0), ("kas", "C", 1)]),
]


def _setup(args):
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("KOPDIG_DATA_DIR", str(DEFAULT_DIR))
        data_dir = Path(os.environ["KOPDIG_DATA_DIR"]).resolve()
        if data_dir == DEFAULT_DIR.resolve() and not args.reuse:
            data_dir.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                p = data_dir / f"kopdig.sqlite3{suffix}"
                if p.exists():
                    p.unlink()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _coop(prefix: str = "bench-ledger"):
    from kopdig.tenancy.actions import _create_cooperative
    from kopdig.tenancy.models import Cooperative, Region, Role, User
    from kopdig.tenancy.regions import load_kabupaten

    load_kabupaten("35.13")
    kab = Region.objects.get(code="35.13")
    slug = f"{prefix}-{time.time_ns() // 1000}"
    coop = _create_cooperative(
        kabupaten=kab,
        name="KSU Bench Ledger",
        slug=slug,
        jenis=Cooperative.Jenis.SERBA_USAHA,
        has_usp=True,
        on_kopdig=True,
    )
    user, _ = User.objects.get_or_create(username=f"{slug}-pengurus", defaults={"name": "Bench Pengurus"})
    Role.objects.create(cooperative=coop, user=user, kind=Role.Kind.PENGURUS)
    return coop, user


def _plan(n_lines: int, start: dt.date, days: int, rng: random.Random):
    """Entries as (date, memo, [(key, debit, credit)]) until n_lines lines, in date order."""
    weights = [t[0] for t in TEMPLATES]
    entries, count = [], 0
    while count < n_lines:
        _w, memo, spec = rng.choices(TEMPLATES, weights)[0]
        if n_lines - count < len(spec):  # the tail: a two-line entry (the total may end one line over)
            spec = [spec[0], (spec[1][0], spec[1][1], 1)]
        amount = Decimal(rng.randrange(10_000, 50_000_000)) / 100 * 100
        parts, rest = [], amount
        for key, side, share in spec[1:]:
            part = (amount * Decimal(str(share))).quantize(Decimal("0.01"))
            parts.append((key, side, part))
            rest -= part
        first_key, first_side, _ = spec[0]
        # The balancing line takes the amount; residue from rounding goes to the last part.
        if rest:
            key, side, part = parts[-1]
            parts[-1] = (key, side, part + rest)
        lines = [(first_key, amount, Decimal("0.00"))] + [
            (k, Decimal("0.00"), p) if side == "C" else (k, p, Decimal("0.00")) for k, side, p in parts
        ]
        if first_side == "C":
            lines = [(k, c, d) for k, d, c in lines]
        lines = [ln for ln in lines if ln[1] or ln[2]]
        if len(lines) < 2:
            continue
        date = start + dt.timedelta(days=rng.randrange(days))
        entries.append((date, memo, lines))
        count += len(lines)
    entries.sort(key=lambda e: e[0])
    return entries, count


ENTRY_SQL = (
    "INSERT INTO ledger_journalentry (id, cooperative_id, number, date, memo, source_type, source_ref,"
    " reversal_of_id, total, posted_by_id, approved_by_id, posted_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, NULL, %s, %s, NULL, %s)"
)
LINE_SQL = (
    "INSERT INTO ledger_journalline (id, cooperative_id, entry_id, account_id, date, debit, credit, memo)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, '')"
)
AUDIT_SQL = (
    "INSERT INTO audit_auditlog (id, at, actor_id, cooperative_id, kabupaten_id, action, object_type,"
    " object_ref, summary, before, after) VALUES (%s, %s, %s, %s, %s, 'journal_entry_post',"
    " 'ledger.JournalEntry', %s, %s, NULL, %s)"
)
TABLES = ("ledger_journalentry", "ledger_journalline", "audit_auditlog")


def bulk_load(coop, user, entries, batch=5000):
    """The fast path: exactly the rows ``journal_entry_post`` writes (entries with gapless numbers,
    lines, audit rows, month caches, document counters), written with executemany and values
    prepared by the models' own fields. On PostgreSQL the balance triggers check every entry."""
    from django.db import connection, transaction
    from django.utils import timezone

    from kopdig.audit.models import AuditLog
    from kopdig.ledger.models import Account, AccountDayBalance, AccountMonthBalance, JournalEntry
    from kopdig.tenancy.models import DocumentCounter
    from kopdig.tenancy.numbering import format_number

    ops = connection.ops
    accounts = {a.system_key: a.pk for a in Account.objects.filter(cooperative=coop).exclude(system_key="")}
    now = timezone.now()
    posted_at = JournalEntry._meta.get_field("posted_at").get_db_prep_save(now, connection)
    at = AuditLog._meta.get_field("at").get_db_prep_save(now, connection)
    after_field = AuditLog._meta.get_field("after")
    with connection.cursor() as cur:
        next_id = {}
        for table in TABLES:
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            next_id[table] = cur.fetchone()[0] + 1
    seq = defaultdict(int)
    months = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for i in range(0, len(entries), batch):
        chunk = entries[i : i + batch]
        entry_rows, line_rows, audit_rows = [], [], []
        for date, memo, lines in chunk:
            seq[date.year] += 1
            number = format_number(date.year, seq[date.year])
            total = sum(d for _k, d, _c in lines)
            eid = next_id["ledger_journalentry"]
            next_id["ledger_journalentry"] += 1
            day = ops.adapt_datefield_value(date)
            entry_rows.append(
                (
                    eid,
                    coop.pk,
                    number,
                    day,
                    memo,
                    "manual",
                    "",
                    ops.adapt_decimalfield_value(total),
                    user.pk,
                    posted_at,
                )
            )
            for key, d, c in lines:
                acc = accounts[key]
                line_rows.append(
                    (
                        next_id["ledger_journalline"],
                        coop.pk,
                        eid,
                        acc,
                        day,
                        ops.adapt_decimalfield_value(d),
                        ops.adapt_decimalfield_value(c),
                    )
                )
                next_id["ledger_journalline"] += 1
                m = months[(acc, date.year, date.month)]
                m[0] += d
                m[1] += c
            audit_rows.append(
                (
                    next_id["audit_auditlog"],
                    at,
                    user.pk,
                    coop.pk,
                    coop.kabupaten_id,
                    number,
                    memo,
                    after_field.get_db_prep_save({"date": date, "total": total}, connection),
                )
            )
            next_id["audit_auditlog"] += 1
        with transaction.atomic(durable=True), connection.cursor() as cur:
            cur.executemany(ENTRY_SQL, entry_rows)
            cur.executemany(LINE_SQL, line_rows)
            cur.executemany(AUDIT_SQL, audit_rows)
    with transaction.atomic(durable=True):
        AccountDayBalance.objects.bulk_create(_day_balances(coop, entries, accounts), batch_size=5000)
        AccountMonthBalance.objects.bulk_create(
            (
                AccountMonthBalance(cooperative=coop, account_id=a, year=y, month=m, debit=d, credit=c)
                for (a, y, m), (d, c) in months.items()
            ),
            batch_size=5000,
        )
        DocumentCounter.objects.bulk_create(
            DocumentCounter(cooperative=coop, series="journal", year=y, last=n) for y, n in seq.items()
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                for table in TABLES:
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )


def _day_balances(coop, entries, accounts):
    """The running day balances of the planned entries (what ``posting.post`` keeps)."""
    from kopdig.ledger.models import AccountDayBalance

    days = defaultdict(lambda: [0, 0])
    for date, _memo, lines in entries:
        for key, d, c in lines:
            m = days[(accounts[key], date)]
            m[0] += int(d * 100)
            m[1] += int(c * 100)
    totals = defaultdict(lambda: [0, 0])
    for (acc, date), (d, c) in sorted(days.items()):
        t = totals[acc]
        t[0] += d
        t[1] += c
        yield AccountDayBalance(
            cooperative=coop, account_id=acc, date=date, debit_to_date=t[0], credit_to_date=t[1]
        )


def _median_ms(fn, repeat=7):
    """(median wall ms, median CPU ms of this process, result). The CPU time is the honest figure
    on a shared machine: SQLite runs in this process, so it is the query's own cost; PostgreSQL's
    server time is outside it."""
    times, cpus = [], []
    result = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    return statistics.median(times), statistics.median(cpus), result


def _naive_balances(coop, date):
    from django.db.models import Sum

    from kopdig.ledger.models import JournalLine

    return dict(
        (a, (d, c))
        for a, d, c in JournalLine.objects.filter(cooperative=coop, date__lte=date)
        .values("account_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values_list("account_id", "d", "c")
    )


def _args(argv):
    parser = argparse.ArgumentParser(prog="bench ledger")
    parser.add_argument(
        "--sizes", default="", help="comma-separated line counts, one bench cooperative each (the curve)"
    )
    parser.add_argument("--lines", type=int, default=1_000_000, help="one size (when --sizes is not given)")
    parser.add_argument("--post", type=int, default=10_000, help="entries posted through the action")
    parser.add_argument("--clients", type=int, default=8, help="concurrent posting clients (PostgreSQL)")
    parser.add_argument("--no-tools", action="store_true", help="skip the beancount/hledger comparison")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the last bench cooperative already in the database instead of loading a new one",
    )
    args = parser.parse_args(argv)
    args.sizes = [int(x) for x in args.sizes.split(",") if x.strip()] or [args.lines]
    return args


def _reuse():
    from kopdig.ledger.models import JournalEntry, JournalLine
    from kopdig.tenancy.models import Cooperative, User

    coop = Cooperative.objects.filter(slug__startswith="bench-ledger-").order_by("-pk").first()
    if coop is None:
        raise SystemExit("--reuse: no bench cooperative in this database; run without --reuse first")
    user = User.objects.get(username=f"{coop.slug}-pengurus")
    n_entries = JournalEntry.objects.filter(cooperative=coop).count()
    n_lines = JournalLine.objects.filter(cooperative=coop).count()
    print(f"reusing {coop.slug}: {n_entries:,} entries, {n_lines:,} lines")
    return coop, user, None


def _load(size: int):
    """A new bench cooperative with ``size`` lines over three full years; (coop, user, bulk rate)."""
    coop, user = _coop()
    today = dt.date.today()
    rng = random.Random(20250101 + size)
    start = dt.date(today.year - 3, 1, 1)
    days = (dt.date(today.year - 1, 12, 31) - start).days + 1
    t0 = time.perf_counter()
    entries, n_lines = _plan(size, start, days, rng)
    t_plan = time.perf_counter() - t0
    t0 = time.perf_counter()
    bulk_load(coop, user, entries)
    t_bulk = time.perf_counter() - t0
    rate = len(entries) / t_bulk
    print(
        f"bulk load: {len(entries):,} entries, {n_lines:,} lines in {t_bulk:.1f} s "
        f"({rate:,.0f} entries/s, {n_lines / t_bulk:,.0f} lines/s; planning {t_plan:.1f} s)"
    )
    return coop, user, rate


def _verify(coop):
    from kopdig.ledger.selectors import verify

    t0 = time.perf_counter()
    problems = verify(coop)
    print(
        f"verify: {'OK' if not problems else f'{len(problems)} PROBLEMS'} in {time.perf_counter() - t0:.1f} s"
    )
    if problems:
        for p in problems[:20]:
            print("  ", p)
        raise SystemExit(1)


def _reads(coop, size: int) -> dict:
    """(b) balances and statements at a mid-month date and over a range off month boundaries,
    against the database's own aggregate over the lines; returns the balance sheet."""
    from kopdig.ledger import statements
    from kopdig.ledger.selectors import balances_at

    year = dt.date.today().year - 1
    at, start = dt.date(year, 6, 15), dt.date(year, 1, 10)
    ms_bal, cpu_bal, bal = _median_ms(lambda: balances_at(coop, at))
    ms_tb, cpu_tb, tb = _median_ms(lambda: statements.trial_balance(coop, at))
    ms_bs, cpu_bs, bs = _median_ms(lambda: statements.balance_sheet(coop, at))
    ms_is, cpu_is, _ = _median_ms(lambda: statements.income_statement(coop, start, at))
    ms_naive, cpu_naive, naive = _median_ms(lambda: _naive_balances(coop, at), repeat=3)
    assert tb["balanced"] and bs["balanced"]
    assert {a for a, (d, c) in naive.items() if d or c} == set(bal)
    print(
        f"(b) {size:>10,} lines, at {at}, ms wall (CPU): balances of every account {ms_bal:.2f} ({cpu_bal:.2f}), "
        f"trial balance {ms_tb:.1f} ({cpu_tb:.1f}), balance sheet {ms_bs:.1f} ({cpu_bs:.1f}), income statement "
        f"{start}–{at} {ms_is:.1f} ({cpu_is:.1f}); database aggregate over the lines {ms_naive:.1f} "
        f"({cpu_naive:.1f}) = {ms_naive / ms_bal:,.0f}x the balances"
    )
    return {"bs": bs, "ms_bs": ms_bs, "at": at}


class _Counter:
    """Counts the statements a block sends (``connection.execute_wrapper``)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def _post_entries(coop, user, n: int, seed: int = 7) -> float:
    """Post ``n`` two-line entries through ``journal_entry_post`` (one durable transaction each); seconds."""
    from kopdig.ledger.actions import journal_entry_post
    from kopdig.ledger.posting import Line

    rng, today = random.Random(seed), dt.date.today()
    t0 = time.perf_counter()
    for i in range(n):
        amount = Decimal(rng.randrange(1_000, 5_000_000))
        journal_entry_post(
            actor=user,
            cooperative=coop,
            date=today - dt.timedelta(days=i % 60),
            memo="Penjualan (bench)",
            lines=[Line("kas", debit=amount), Line("penjualan_anggota", credit=amount)],
        )
    return time.perf_counter() - t0


def _posting(coop, user, n: int, bulk_rate) -> float:
    """(a) posting through the real action, single client; statements per entry counted."""
    from django.db import connection

    counter = _Counter()
    with connection.execute_wrapper(counter):
        _post_entries(coop, user, 100, seed=1)
    per_entry = counter.n / 100
    # PostgreSQL: each statement is a round trip, and so are BEGIN and COMMIT.
    trips = per_entry + 2 if connection.vendor == "postgresql" else 0
    c0 = time.process_time()
    t = _post_entries(coop, user, n)
    cpu = (time.process_time() - c0) * 1000 / n
    rate = n / t
    ref = f"; bulk path {bulk_rate:,.0f} entries/s (ratio {rate / bulk_rate:.3f})" if bulk_rate else ""
    trips_text = f", {trips:.0f} round trips" if trips else " (in-process: no round trips)"
    print(
        f"(a) journal_entry_post: {n:,} entries in {t:.1f} s = {rate:,.0f} entries/s ({1000 * t / n:.2f} ms "
        f"each, {cpu:.2f} ms CPU of this process); {per_entry:.0f} statements per entry{trips_text}{ref}"
    )
    return rate


def _client(slug: str, n: int, out) -> None:
    """One posting client (a forked process, its own connection and cooperative)."""
    from django.db import connection

    from kopdig.tenancy.models import Cooperative, User

    connection.close()
    coop = Cooperative.objects.get(slug=slug)
    user = User.objects.get(username=f"{slug}-pengurus")
    out.put(_post_entries(coop, user, n, seed=hash(slug) % 1000))


def _lock_waits(stop, out) -> None:
    """Sample pg_locks every 5 ms: (samples, samples with a lock not granted, waits seen)."""
    import psycopg
    from django.db import connection

    s = connection.settings_dict
    dsn = f"host={s['HOST']} port={s['PORT'] or 5432} dbname={s['NAME']} user={s['USER']}"
    samples = waiting = 0
    seen = set()
    with psycopg.connect(dsn, autocommit=True) as conn:
        while not stop.is_set():
            rows = conn.execute(
                "SELECT locktype, classid, objid, pid FROM pg_locks WHERE NOT granted AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())"
            ).fetchall()
            samples += 1
            waiting += bool(rows)
            seen.update(rows)
            time.sleep(0.005)
    out.put((samples, waiting, sorted(seen, key=str)[:5]))


def _concurrent(n_clients: int, n: int, single_rate: float) -> None:
    """(a') ``n_clients`` processes, each posting ``n`` entries into its own cooperative (PostgreSQL)."""
    import multiprocessing as mp

    from django.db import connection

    slugs = [_coop("bench-client")[0].slug for _ in range(n_clients)]
    connection.close()
    ctx = mp.get_context("fork")
    out, locks, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
    sampler = ctx.Process(target=_lock_waits, args=(stop, locks))
    sampler.start()
    clients = [ctx.Process(target=_client, args=(slug, n, out)) for slug in slugs]
    t0 = time.perf_counter()
    for p in clients:
        p.start()
    times = [out.get() for _ in clients]
    wall = time.perf_counter() - t0
    for p in clients:
        p.join()
    stop.set()
    samples, waiting, seen = locks.get()
    sampler.join()
    rate = n_clients * n / wall
    print(
        f"(a') {n_clients} clients of different cooperatives: {n_clients * n:,} entries in {wall:.1f} s = "
        f"{rate:,.0f} entries/s aggregate = {rate / single_rate:.2f}x the single client "
        f"(slowest client {max(times):.1f} s); pg_locks: {waiting} of {samples} samples had a lock "
        f"waiting{f' {seen}' if seen else ''}"
    )


def _tools(coop, bs, ms_bs, at) -> None:
    """(c) the same balance sheet by beancount and hledger from Kopdig's export."""
    import shutil

    from kopdig.ledger import export
    from kopdig.ledger.export_check import beancount_totals, hledger_totals

    kopdig = {
        "Assets": bs["assets"].total,
        "Liabilities": bs["liabilities"].total,
        "EquityAll": bs["equity"].total,
    }
    with tempfile.TemporaryDirectory() as tmp:
        bean_path, hl_path = Path(tmp) / "bench.beancount", Path(tmp) / "bench.journal"
        for path, chunks in ((bean_path, export.iter_beancount), (hl_path, export.iter_hledger)):
            t0 = time.perf_counter()
            with path.open("w") as f:
                for chunk in chunks(coop, end=at):
                    f.write(chunk)
            print(
                f"(c) export up to {at}: {path.name} {time.perf_counter() - t0:.1f} s ({path.stat().st_size / 1e6:.0f} MB)"
            )
        t0 = time.perf_counter()
        bean = beancount_totals(bean_path.read_text(), at)
        t_bean = (time.perf_counter() - t0) * 1000
        agree = "agree" if bean == kopdig else f"DIFFER {bean} vs {kopdig}"
        print(
            f"    beancount load+realize {t_bean:,.0f} ms = {t_bean / ms_bs:,.0f}x Kopdig's balance sheet; totals {agree}"
        )
        if not shutil.which("hledger"):
            print("    hledger: binary not found, skipped")
            return
        t0 = time.perf_counter()
        hl = hledger_totals(str(hl_path), at)
        t_hl = (time.perf_counter() - t0) * 1000
        agree = "agree" if hl == kopdig else f"DIFFER {hl} vs {kopdig}"
        print(f"    hledger bal {t_hl:,.0f} ms = {t_hl / ms_bs:,.0f}x Kopdig's balance sheet; totals {agree}")


def main(argv):
    args = _args(argv)
    _setup(args)
    from django.db import connection

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    for i, size in enumerate(args.sizes):
        coop, user, bulk_rate = _reuse() if args.reuse else _load(size)
        _verify(coop)
        read = _reads(coop, size)
        if i < len(args.sizes) - 1:
            continue
        if args.post > 0:
            rate = _posting(coop, user, args.post, bulk_rate)
            if connection.vendor == "postgresql" and args.clients > 1:
                _concurrent(args.clients, max(args.post // 2, 100), rate)
        if not args.no_tools:
            _tools(coop, read["bs"], read["ms_bs"], read["at"])
