"""Ledger benchmark: a cooperative with N journal lines (default 1,000,000).

    python -m bench ledger -- --lines 1000000 [--post 10000] [--no-tools]

Runs on whatever DATABASE_URL says; without it, SQLite in KOPDIG_DATA_DIR, which defaults
here to ``var/bench`` (a separate database, recreated on each run when it is that default).

1. Bulk-loads N lines (entries of 2–4 lines over three years) by a fast path that writes the
   same rows as ``journal_entry_post`` — entries with gapless numbers, lines, month caches,
   document counters and audit rows — and proves it with ``verify``.
2. (a) Posting rate through the real action ``journal_entry_post`` (one durable transaction
   per entry) on --post entries; reference: the bulk path's rate.
3. (b) Trial balance and balance sheet at a mid-month date (median of repeated runs, ms);
   reference: a naive full scan of the journal lines for the same balances.
4. (c) The same balance sheet computed by beancount (load + realize) and hledger (``bal``)
   from Kopdig's own export of the ledger; totals must agree to the rupiah.
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


def _coop():
    from kopdig.tenancy.actions import _create_cooperative
    from kopdig.tenancy.models import Cooperative, Region, Role, User
    from kopdig.tenancy.regions import load_kabupaten

    load_kabupaten("35.13")
    kab = Region.objects.get(code="35.13")
    slug = f"bench-ledger-{int(time.time())}"
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
    from kopdig.ledger.models import Account, AccountMonthBalance, JournalEntry
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


def _median_ms(fn, repeat=7):
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


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


def main(argv):  # noqa: C901
    parser = argparse.ArgumentParser(prog="bench ledger")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument(
        "--post", type=int, default=10_000, help="entries posted through the action (≥10,000)"
    )
    parser.add_argument("--no-tools", action="store_true", help="skip the beancount/hledger comparison")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the last bench cooperative already in the database instead of loading a new one",
    )
    args = parser.parse_args(argv)
    _setup(args)

    from django.db import connection

    from kopdig.ledger import export, statements
    from kopdig.ledger.actions import journal_entry_post
    from kopdig.ledger.export_check import beancount_totals, hledger_totals
    from kopdig.ledger.posting import Line
    from kopdig.ledger.selectors import verify

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    today = dt.date.today()
    if args.reuse:
        from kopdig.ledger.models import JournalEntry, JournalLine
        from kopdig.tenancy.models import Cooperative, User

        coop = Cooperative.objects.filter(slug__startswith="bench-ledger-").order_by("-pk").first()
        if coop is None:
            raise SystemExit("--reuse: no bench cooperative in this database; run without --reuse first")
        user = User.objects.get(username=f"{coop.slug}-pengurus")
        n_entries = JournalEntry.objects.filter(cooperative=coop).count()
        n_lines = JournalLine.objects.filter(cooperative=coop).count()
        print(f"reusing {coop.slug}: {n_entries:,} entries, {n_lines:,} lines")
        bulk_rate = None
    else:
        coop, user = _coop()
        rng = random.Random(20250101)
        start = dt.date(today.year - 3, 1, 1)
        days = (dt.date(today.year - 1, 12, 31) - start).days + 1  # bulk history: three full years
        t0 = time.perf_counter()
        entries, n_lines = _plan(args.lines, start, days, rng)
        t_plan = time.perf_counter() - t0
        t0 = time.perf_counter()
        bulk_load(coop, user, entries)
        t_bulk = time.perf_counter() - t0
        bulk_rate = len(entries) / t_bulk
        print(
            f"bulk load: {len(entries):,} entries, {n_lines:,} lines in {t_bulk:.1f} s "
            f"({bulk_rate:,.0f} entries/s, {n_lines / t_bulk:,.0f} lines/s; planning {t_plan:.1f} s)"
        )
    t0 = time.perf_counter()
    problems = verify(coop)
    print(
        f"verify: {'OK' if not problems else f'{len(problems)} PROBLEMS'} in {time.perf_counter() - t0:.1f} s"
    )
    if problems:
        for p in problems[:20]:
            print("  ", p)
        raise SystemExit(1)

    # (a) posting through the real action, one durable transaction per entry.
    post_rng = random.Random(7)
    if args.post <= 0:
        print("(a) skipped (--post 0)")
    t0 = time.perf_counter()
    for i in range(max(args.post, 0)):
        amount = Decimal(post_rng.randrange(1_000, 5_000_000))
        journal_entry_post(
            actor=user,
            cooperative=coop,
            date=today - dt.timedelta(days=i % 60),
            memo="Penjualan (bench)",
            lines=[Line("kas", debit=amount), Line("penjualan_anggota", credit=amount)],
        )
    t_post = time.perf_counter() - t0
    post_rate = args.post / t_post if args.post > 0 else 0
    ref = (
        f"; bulk path {bulk_rate:,.0f} entries/s, ratio action/bulk = {post_rate / bulk_rate:.3f}"
        if bulk_rate
        else ""
    )
    if args.post > 0:
        print(
            f"(a) journal_entry_post: {args.post:,} entries in {t_post:.1f} s = {post_rate:,.0f} entries/s "
            f"({1000 * t_post / args.post:.2f} ms each){ref}"
        )

    # (b) statements at a mid-month date, from the caches.
    at = dt.date(today.year - 1, 6, 15)
    ms_tb, tb = _median_ms(lambda: statements.trial_balance(coop, at))
    ms_bs, bs = _median_ms(lambda: statements.balance_sheet(coop, at))
    ms_naive, _ = _median_ms(lambda: _naive_balances(coop, at), repeat=3)
    assert tb["balanced"] and bs["balanced"]
    print(
        f"(b) at {at}: trial balance {ms_tb:.1f} ms, balance sheet {ms_bs:.1f} ms; naive scan of the lines "
        f"{ms_naive:.1f} ms; ratio scan/balance sheet = {ms_naive / ms_bs:.1f}x"
    )
    print(
        f"    total aset {bs['assets'].total:,.2f}, kewajiban {bs['liabilities'].total:,.2f}, "
        f"ekuitas {bs['equity'].total:,.2f}"
    )
    month_end = dt.date(at.year, 6, 30)
    ms_tb_me, _ = _median_ms(lambda: statements.trial_balance(coop, month_end))
    ms_bs_me, _ = _median_ms(lambda: statements.balance_sheet(coop, month_end))
    ms_is_me, _ = _median_ms(lambda: statements.income_statement(coop, dt.date(at.year, 1, 1), month_end))
    print(
        f"    at month end {month_end} (caches only): trial balance {ms_tb_me:.1f} ms, balance sheet "
        f"{ms_bs_me:.1f} ms, income statement Jan–Jun {ms_is_me:.1f} ms"
    )

    if args.no_tools:
        return
    # (c) the same balance sheet by beancount and hledger from Kopdig's export.
    kopdig = {
        "Assets": bs["assets"].total,
        "Liabilities": bs["liabilities"].total,
        "EquityAll": bs["equity"].total,
    }
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        bean_path, hl_path = Path(tmp) / "bench.beancount", Path(tmp) / "bench.journal"
        with bean_path.open("w") as f:
            for chunk in export.iter_beancount(coop, end=at):
                f.write(chunk)
        t_exp_b = time.perf_counter() - t0
        t0 = time.perf_counter()
        with hl_path.open("w") as f:
            for chunk in export.iter_hledger(coop, end=at):
                f.write(chunk)
        t_exp_h = time.perf_counter() - t0
        print(
            f"(c) export up to {at}: beancount {t_exp_b:.1f} s ({bean_path.stat().st_size / 1e6:.0f} MB), "
            f"hledger {t_exp_h:.1f} s ({hl_path.stat().st_size / 1e6:.0f} MB)"
        )
        t0 = time.perf_counter()
        bean = beancount_totals(bean_path.read_text(), at)
        t_bean = (time.perf_counter() - t0) * 1000
        print(
            f"    beancount load+realize {t_bean:,.0f} ms; ratio to Kopdig balance sheet = {t_bean / ms_bs:,.0f}x; "
            f"totals {'agree' if bean == kopdig else f'DIFFER {bean} vs {kopdig}'}"
        )
        import shutil

        if shutil.which("hledger"):
            t0 = time.perf_counter()
            hl = hledger_totals(str(hl_path), at)
            t_hl = (time.perf_counter() - t0) * 1000
            print(
                f"    hledger bal {t_hl:,.0f} ms; ratio to Kopdig balance sheet = {t_hl / ms_bs:,.0f}x; "
                f"totals {'agree' if hl == kopdig else f'DIFFER {hl} vs {kopdig}'}"
            )
        else:
            print("    hledger: binary not found, skipped")
