"""Savings benchmark: the monthly wajib billing run and a month's jasa simpanan (interest) run for
N members (default 100,000) on the current DATABASE_URL, beside the database's raw insert rate
for the same number of rows measured in the same run.

    python -m bench savings -- --members 100000

A throw-away cooperative is set up with N members, each with a wajib account and a sukarela
account (opening balances, a fifth with a deposit in the month, 1% large enough to be taxed);
it is deleted at the end. Goal: each run ≤ 60 s at 100,000 members.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from decimal import Decimal


def _setup(n: int):
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from kopdig.ledger.posting import Line, post
    from kopdig.members.models import Member
    from kopdig.savings import _postings as services
    from kopdig.savings.bulk import insert, insert_transactions
    from kopdig.savings.models import SavingsAccount, SavingsProduct, SavingsTransaction
    from kopdig.tenancy.actions import _create_cooperative
    from kopdig.tenancy.models import Cooperative, DocumentCounter, Region
    from kopdig.tenancy.regions import load_kabupaten

    _cleanup()
    if not Region.objects.filter(code="35.13").exists():
        load_kabupaten("35.13")
    kab = Region.objects.get(code="35.13")
    coop = _create_cooperative(
        kabupaten=kab,
        name="Bench KSP",
        slug=f"bench-savings-{int(time.time())}",
        jenis=Cooperative.Jenis.SIMPAN_PINJAM,
        on_kopdig=True,
    )
    joined = dt.date(2025, 1, 2)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic():
        products = services.ensure_products(coop)
        SavingsProduct.objects.filter(pk=products["sukarela"].pk).update(
            rate=Decimal("3"), admin_fee=Decimal("1000")
        )
        insert(
            Member,
            [
                "cooperative",
                "number",
                "nik",
                "name",
                "gender",
                "birth_place",
                "address",
                "phone",
                "occupation",
                "heir_name",
                "heir_relation",
                "member_class",
                "status",
                "joined_on",
                "exit_reason",
                "created_at",
            ],
            [
                (
                    coop.pk,
                    f"{i:06d}",
                    f"3513{i:012d}",
                    f"Anggota {i}",
                    "L",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "aktif",
                    joined,
                    "",
                    now,
                )
                for i in range(1, n + 1)
            ],
        )
        members = list(Member.objects.filter(cooperative=coop).order_by("id").values_list("id", flat=True))
        opening = {
            m: Decimal(100_000 + (i % 50) * 20_000) if i % 100 else Decimal(150_000_000)
            for i, m in enumerate(members)
        }
        mid = {m: Decimal(250_000) for i, m in enumerate(members) if i % 5 == 0}
        rows = []
        for i, m in enumerate(members):
            rows.append(
                (
                    coop.pk,
                    m,
                    products["wajib"].pk,
                    "wajib",
                    f"SW-{2 * i + 1:07d}",
                    "aktif",
                    joined,
                    ZERO_,
                    ZERO_,
                )
            )
            rows.append(
                (
                    coop.pk,
                    m,
                    products["sukarela"].pk,
                    "sukarela",
                    f"SS-{2 * i + 2:07d}",
                    "aktif",
                    joined,
                    opening[m] + mid.get(m, ZERO_),
                    ZERO_,
                )
            )
        insert(
            SavingsAccount,
            [
                "cooperative",
                "member",
                "product",
                "kind",
                "number",
                "status",
                "opened_on",
                "balance",
                "wajib_credit",
                "rate",
                "term_months",
                "maturity_action",
            ],
            [(*r, ZERO_, 0, "") for r in rows],
        )
        DocumentCounter.objects.create(cooperative=coop, series="savings_account", year=0, last=2 * n)
        accounts = dict(
            SavingsAccount.objects.filter(cooperative=coop, kind="sukarela").values_list("member_id", "id")
        )
        total_open = sum(opening.values(), ZERO_)
        e1 = post(
            cooperative=coop,
            date=joined,
            memo="Saldo awal (bench)",
            source_type="bench",
            lines=[Line("bank", debit=total_open), Line("simpanan_sukarela", credit=total_open)],
        )
        txs = [
            SavingsTransaction(
                cooperative_id=coop.pk,
                account_id=accounts[m],
                member_id=m,
                kind="sukarela",
                date=joined,
                type="deposit",
                amount=opening[m],
                memo="Saldo awal",
                entry_id=e1.pk,
            )
            for m in members
        ]
        day = dt.date(2025, 3, 15)
        total_mid = sum(mid.values(), ZERO_)
        e2 = post(
            cooperative=coop,
            date=day,
            memo="Setoran (bench)",
            source_type="bench",
            lines=[Line("kas", debit=total_mid), Line("simpanan_sukarela", credit=total_mid)],
        )
        txs += [
            SavingsTransaction(
                cooperative_id=coop.pk,
                account_id=accounts[m],
                member_id=m,
                kind="sukarela",
                date=day,
                type="deposit",
                amount=a,
                memo="Setoran",
                entry_id=e2.pk,
            )
            for m, a in mid.items()
        ]
        insert_transactions(txs)
    return coop, e1


ZERO_ = Decimal("0.00")


def _raw_insert_seconds(coop, n: int, entry, tx_rows: int) -> tuple[float, float]:
    """executemany of n Due rows and tx_rows SavingsTransaction rows (rolled back): the reference."""
    from django.db import connection, transaction
    from django.utils import timezone

    from kopdig.members.models import Member
    from kopdig.savings.bulk import TX_FIELDS, insert
    from kopdig.savings.models import Due, SavingsAccount, SavingsTransaction

    members = list(Member.objects.filter(cooperative=coop).order_by("id").values_list("id", flat=True))
    accounts = dict(
        SavingsAccount.objects.filter(cooperative=coop, kind="sukarela").values_list("member_id", "id")
    )
    period = dt.date(2030, 1, 1)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    dues = [(coop.pk, m, period, Decimal("25000.00"), ZERO_) for m in members]
    types = ["interest", "admin_fee", "tax"]
    txs = [
        (
            coop.pk,
            accounts[members[i % n]],
            members[i % n],
            "sukarela",
            period,
            types[i // n],
            Decimal("1.00"),
            "ref",
            entry.pk,
            None,
            period,
            None,
            now,
        )
        for i in range(tx_rows)
    ]
    with transaction.atomic():
        t = time.perf_counter()
        insert(Due, ["cooperative", "member", "period", "amount", "paid"], dues)
        due_s = time.perf_counter() - t
        t = time.perf_counter()
        insert(SavingsTransaction, TX_FIELDS, txs)
        tx_s = time.perf_counter() - t
        transaction.set_rollback(True)
    return due_s, tx_s


def _cleanup():
    from django.db import connection, transaction

    from kopdig.tenancy.models import Cooperative

    tables = [
        "savings_savingstransaction",
        "savings_receipt",
        "savings_due",
        "savings_run",
        "savings_savingsaccount",
        "savings_savingsproduct",
        "members_memberstatuschange",
        "members_member",
        "ledger_journalline",
        "ledger_accountmonthbalance",
        "ledger_accountdaybalance",
        "ledger_journalentry",
        "audit_auditlog",
        "tenancy_documentcounter",
    ]
    existing = set(connection.introspection.table_names())
    for coop in Cooperative.objects.filter(slug__startswith="bench-savings-"):
        with transaction.atomic():
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # The ledger's triggers forbid deleting posted lines; this throw-away cooperative
                    # is removed with triggers off for this transaction only (needs a superuser).
                    cursor.execute("SET LOCAL session_replication_role = replica")
                for table in tables:
                    if table in existing:
                        cursor.execute(f"DELETE FROM {table} WHERE cooperative_id = %s", [coop.pk])
                # accounts reference their parents: children first
                cursor.execute(
                    "UPDATE ledger_account SET parent_id = NULL WHERE cooperative_id = %s", [coop.pk]
                )
            from kopdig.ledger.models import Account, LedgerSettings

            Account.objects.filter(cooperative=coop).delete()
            LedgerSettings.objects.filter(cooperative=coop).delete()
            coop.delete()


def main(argv):
    parser = argparse.ArgumentParser(prog="bench savings")
    parser.add_argument("--members", type=int, default=100_000)
    args = parser.parse_args(argv)
    n = args.members
    t = time.perf_counter()
    coop, entry = _setup(n)
    from django.db import connection

    from kopdig.savings import actions
    from kopdig.savings.models import Due, SavingsTransaction
    from kopdig.tenancy.access import SYSTEM

    print(f"database: {connection.vendor}; members: {n:,}; setup {time.perf_counter() - t:.1f} s")
    period = dt.date(2025, 3, 1)
    try:
        t = time.perf_counter()
        run = actions.savings_run(actor=SYSTEM, cooperative=coop, kind="billing", period=period)
        billing_s = time.perf_counter() - t
        assert run.status == "done" and Due.objects.filter(cooperative=coop, period=period).count() == n
        t = time.perf_counter()
        run = actions.savings_run(actor=SYSTEM, cooperative=coop, kind="interest", period=period)
        interest_s = time.perf_counter() - t
        rows = SavingsTransaction.objects.filter(cooperative=coop, period=period).count()
        assert run.status == "done"
        t = time.perf_counter()
        again = actions.savings_run(actor=SYSTEM, cooperative=coop, kind="billing", period=period)
        rerun_s = time.perf_counter() - t
        assert again.pk == run.pk or again.kind == "billing"
        due_raw, tx_raw = _raw_insert_seconds(coop, n, entry, rows)
        print(
            f"billing run   : {n:,} dues in {billing_s:.1f} s = {n / billing_s:,.0f} members/s "
            f"(goal ≤ 60 s: {'ok' if billing_s <= 60 else 'MISSED'})"
        )
        print(
            f"  raw insert  : {n:,} due rows (driver-level insert) in {due_raw:.2f} s = {n / due_raw:,.0f} rows/s; "
            f"run/raw = {billing_s / due_raw:.1f}×"
        )
        print(
            f"interest run  : {n:,} accounts, {rows:,} savings transactions, in {interest_s:.1f} s = "
            f"{n / interest_s:,.0f} accounts/s (goal ≤ 60 s: {'ok' if interest_s <= 60 else 'MISSED'})"
        )
        print(
            f"  raw insert  : {rows:,} transaction rows (driver-level insert) in {tx_raw:.2f} s = {rows / tx_raw:,.0f} rows/s; "
            f"run/raw (same row count) = {interest_s / tx_raw:.1f}×"
        )
        print(f"re-run billing (idempotent, changes nothing): {rerun_s * 1000:.0f} ms")
    finally:
        _cleanup()
