"""Loans benchmark: the month-end arrears run over N active loans (default 60,000).

    python -m bench loans -- --loans 60000

Runs in a throw-away test database (SQLite in memory, or PostgreSQL when DATABASE_URL is set).
Seeds one cooperative with N/2 members and N active loans of 6 monthly installments each,
disbursed over the last 10 months; about one loan in five has unpaid overdue installments
(1 to 300 days) under a per-day denda. Then times ``loans.arrears.arrears_run`` at the month
end: days past due, denda accrual, kolektibilitas per loan, RPM, the required cadangan risiko
and its ledger posting. Goal ≤ 60 s for 60,000 loans.

Reference, measured in the same run: the database's raw rate for writing the same rows —
raw SQL UPDATEs of the N loan rows (days past due, kolektibilitas, date) and of the overdue
installment rows (denda, denda_through), done the fastest plain way for the database
(SQLite: executemany; PostgreSQL: UPDATE … FROM (VALUES …) per 2,000 rows), then rolled back.
The ratio run / raw is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from decimal import Decimal

INSTALLMENTS = 6


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
    import django

    django.setup()


def _seed(n: int, run_date: dt.date):

    from kopdig.members.models import Member
    from kopdig.tenancy.actions import _create_cooperative
    from kopdig.tenancy.models import Cooperative, Region, Role
    from kopdig.tenancy.regions import load_kabupaten
    from kopdig.tenancy.tests.factories import UserFactory

    load_kabupaten("35.13")
    kab = Region.objects.get(code="35.13")
    coop = _create_cooperative(
        kabupaten=kab,
        name="KSP Bench",
        slug="ksp-bench",
        jenis=Cooperative.Jenis.SIMPAN_PINJAM,
        on_kopdig=True,
    )
    user = UserFactory(username="bench-pengurus")
    Role.objects.create(cooperative=coop, user=user, kind=Role.Kind.PENGURUS)
    members = max(1, n // 2)
    Member.objects.bulk_create(
        (
            Member(
                cooperative=coop,
                number=f"{i:06d}",
                nik=f"35{i:014d}",
                name=f"Anggota {i}",
                gender="L",
                joined_on=dt.date(2020, 1, 1),
            )
            for i in range(1, members + 1)
        ),
        batch_size=5000,
    )
    member_ids = list(Member.objects.filter(cooperative=coop).order_by("number").values_list("id", flat=True))
    seed_loans(coop, user, member_ids, n, run_date)
    return coop, user


def seed_loans(
    coop, user, member_ids, n: int, run_date: dt.date, *, periods: int = INSTALLMENTS, stride: int = 1
):
    """n active flat loans of ``coop`` with their schedules, written in bulk (no postings): one in
    five stopped paying at some installment, the others were disbursed within the last five
    months and paid every installment due. Member ``(i * stride) % len(member_ids)`` borrows the
    i-th loan. Also used by ``bench/regency``."""
    from django.db import transaction

    from kopdig.lib.dates import add_months
    from kopdig.loans import schedule
    from kopdig.loans.actions import loan_product_save
    from kopdig.loans.models import Installment, Loan

    product = loan_product_save(
        actor=user,
        cooperative=coop,
        code="REG",
        name="Pinjaman Reguler",
        method="flat",
        rate_percent=Decimal("1.5"),
        max_term=36,
        denda_basis="per_hari",
        denda_kind="persen",
        denda_value=Decimal("0.1"),
        denda_grace_days=3,
    )
    with transaction.atomic():
        loans, plans = [], []
        for i in range(n):
            principal = Decimal(1_000_000 + (i * 7919) % 40 * 500_000)
            late = i % 5 == 0
            disbursed = run_date - dt.timedelta(days=30 + (i * 104729) % (300 if late else 150))
            first_due = add_months(disbursed, 1)
            rows = schedule.build_schedule(
                principal=principal,
                rate_monthly_percent=Decimal("1.5"),
                periods=periods,
                method="flat",
                first_due_date=first_due,
            )
            paid_upto = (i // 5) % periods if late else periods
            paid = {r.number for r in rows if r.number <= paid_upto and r.due_date <= run_date}
            if len(paid) == len(rows):  # fully repaid already: keep it active with the last installment open
                paid.discard(rows[-1].number)
            outstanding = principal - sum((r.pokok for r in rows if r.number in paid), Decimal(0))
            loans.append(
                Loan(
                    cooperative=coop,
                    number=f"PJ-{disbursed.year}-{i + 1:07d}",
                    member_id=member_ids[(i * stride) % len(member_ids)],
                    product=product,
                    status=Loan.Status.ACTIVE,
                    purpose="bench",
                    principal=principal,
                    term=periods,
                    periods=periods,
                    method="flat",
                    frequency="monthly",
                    rate_monthly_percent=Decimal("1.5"),
                    applied_on=disbursed,
                    entered_by=user,
                    approved_by=user,
                    approved_on=disbursed,
                    disbursed_on=disbursed,
                    disbursed_by=user,
                    first_due_date=first_due,
                    maturity_date=rows[-1].due_date,
                    outstanding=outstanding,
                )
            )
            plans.append((rows, paid))
        Loan.objects.bulk_create(loans, batch_size=5000)
        ids = list(Loan.objects.filter(cooperative=coop).order_by("pk").values_list("pk", flat=True))
        Installment.objects.bulk_create(
            (
                Installment(
                    cooperative=coop,
                    loan_id=loan_id,
                    number=r.number,
                    due_date=r.due_date,
                    pokok=r.pokok,
                    jasa=r.jasa,
                    pokok_paid=r.pokok if r.number in paid else 0,
                    jasa_paid=r.jasa if r.number in paid else 0,
                    paid_on=r.due_date if r.number in paid else None,
                )
                for loan_id, (rows, paid) in zip(ids, plans, strict=True)
                for r in rows
            ),
            batch_size=5000,
        )


def _raw_reference(coop, run_date) -> tuple[float, int, int]:
    """Seconds for executemany UPDATEs of the same loan rows and overdue installment rows."""
    from django.db import transaction

    from kopdig.loans._sql import bulk_set
    from kopdig.loans.models import Installment, Loan

    loan_ids = list(Loan.objects.filter(cooperative=coop).values_list("pk", flat=True))
    inst_ids = list(
        Installment.objects.filter(cooperative=coop, due_date__lt=run_date, paid_on__isnull=True).values_list(
            "pk", flat=True
        )
    )
    loan_rows = [(i % 400, "lancar", run_date + dt.timedelta(days=1), pk) for i, pk in enumerate(loan_ids)]
    inst_rows = [(Decimal("1234.00"), run_date + dt.timedelta(days=1), pk) for pk in inst_ids]
    started = time.perf_counter()
    with transaction.atomic():
        bulk_set(
            Loan,
            [("days_past_due", "integer"), ("kolektibilitas", "varchar"), ("arrears_date", "date")],
            loan_rows,
        )
        bulk_set(Installment, [("denda", "numeric"), ("denda_through", "date")], inst_rows)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)  # leave the benchmark data as the run wrote it
    return elapsed, len(loan_rows), len(inst_rows)


def main(argv):
    parser = argparse.ArgumentParser(prog="bench loans")
    parser.add_argument("--loans", type=int, default=60_000)
    args = parser.parse_args(argv)
    _setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _run(args.loans)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _run(n: int):
    from django.db import connection
    from django.utils import timezone

    from kopdig.loans.arrears import arrears_run
    from kopdig.loans.models import Installment, Loan

    today = timezone.localdate()
    run_date = today.replace(day=1) - dt.timedelta(days=1)  # last month end
    print(
        f"loans: {n:,}  installments: {n * INSTALLMENTS:,}  database: {connection.vendor}  run date: {run_date}"
    )
    t = time.perf_counter()
    coop, user = _seed(n, run_date)
    print(f"seed: {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    run = arrears_run(actor=user, cooperative=coop, date=run_date)
    run_s = time.perf_counter() - t
    assert run.status == "selesai" and run.processed == n, (run.status, run.processed)
    overdue = Installment.objects.filter(
        cooperative=coop, due_date__lt=run_date, paid_on__isnull=True
    ).count()
    late = Loan.objects.filter(cooperative=coop, days_past_due__gt=0).count()
    print(
        f"arrears run: {run_s:.2f} s  ({n / run_s:,.0f} loans/s)  goal ≤ 60 s: {'OK' if run_s <= 60 else 'MISSED'}"
    )
    print(
        f"  late loans {late:,}, overdue installments {overdue:,}, counts {run.summary['counts']}, "
        f"RPM {run.summary['rpm']}, cadangan {run.summary['required']}"
    )

    t = time.perf_counter()
    again = arrears_run(actor=user, cooperative=coop, date=run_date)
    print(
        f"re-run for the same date (idempotent, nothing to do): {time.perf_counter() - t:.3f} s, "
        f"same run: {again.pk == run.pk}"
    )

    raw_s, nl, ni = _raw_reference(coop, run_date)
    print(
        f"reference: raw UPDATE of {nl:,} loan rows + {ni:,} installment rows: {raw_s:.2f} s "
        f"({(nl + ni) / raw_s:,.0f} rows/s)"
    )
    print(f"ratio arrears run / raw update: {run_s / raw_s:.1f}×")
