"""Arrears run (tunggakan): days past due, denda, kolektibilitas, cadangan risiko.

``arrears_run(actor=, cooperative=, date=)`` is idempotent per (cooperative, date): a finished
run for the date is returned as is; an interrupted one resumes after ``last_loan_id``. Loans
are processed in chunks, each chunk in its own durable transaction that stores the progress
with it, so a page can show ``processed / total``. The last step computes the required
cadangan risiko (outstanding × the class weight of ``LoanSettings``, RPM = 50% KL + 75% D +
100% M by default) and posts the difference to the ledger (Dr beban_cadangan_risiko /
Cr cadangan_risiko, or the reverse when it falls).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from kopdig import audit
from kopdig.ledger.chart import account_for
from kopdig.ledger.posting import Line, post
from kopdig.ledger.selectors import account_balance
from kopdig.lib.formats import rupiah, tanggal
from kopdig.lib.money import ZERO, q
from kopdig.lib.transactions import action_atomic
from kopdig.tenancy.access import APPROVERS, require_role, user_of

from ._sql import bulk_set
from .models import ArrearsRun, Installment, Kolektibilitas, Loan, LoanProduct, LoanSettings
from .policy import accrue_denda, kolektibilitas_for

CHUNK = 2000
WEIGHT_FIELD = {
    Kolektibilitas.LANCAR: "reserve_lancar_percent",
    Kolektibilitas.KURANG_LANCAR: "reserve_kurang_lancar_percent",
    Kolektibilitas.DIRAGUKAN: "reserve_diragukan_percent",
    Kolektibilitas.MACET: "reserve_macet_percent",
}


def arrears_run(*, actor, cooperative, date: dt.date, chunk: int = CHUNK) -> ArrearsRun:
    require_role(actor, cooperative, APPROVERS, "menjalankan perhitungan tunggakan")
    with action_atomic():
        run, created = ArrearsRun.objects.get_or_create(
            cooperative=cooperative,
            date=date,
            defaults={
                "started_by": user_of(actor),
                "total": Loan.objects.filter(cooperative=cooperative, status=Loan.Status.ACTIVE).count(),
            },
        )
        if created:
            audit.record(
                actor,
                "loan_arrears_run_start",
                cooperative=cooperative,
                obj=run,
                ref=str(date),
                summary=f"Perhitungan tunggakan {tanggal(date)}",
            )
    if run.status == ArrearsRun.Status.DONE:
        return run
    products = {p.pk: p for p in LoanProduct.objects.filter(cooperative=cooperative)}
    while True:
        with action_atomic():
            run = ArrearsRun.objects.select_for_update().get(pk=run.pk)
            if run.status == ArrearsRun.Status.DONE:
                return run
            ids = list(
                Loan.objects.filter(
                    cooperative=cooperative, status=Loan.Status.ACTIVE, pk__gt=run.last_loan_id
                )
                .order_by("pk")
                .values_list("pk", flat=True)[:chunk]
            )
            if not ids:
                _finish(run, actor, cooperative, date)
                return run
            _process_chunk(cooperative, ids, products, date)
            run.last_loan_id = ids[-1]
            run.processed += len(ids)
            run.save(update_fields=["last_loan_id", "processed"])


def _process_chunk(cooperative, ids, products, date):
    """Days past due, denda and kolektibilitas for one chunk of loans (locked in id order).

    The writes are two ``_sql.bulk_set`` UPDATEs (Django's bulk_update builds a CASE expression
    per row, which dominated the run: see ``_sql``); values are the same the ORM would write.
    """
    loans = list(
        Loan.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("id", "product_id", "days_past_due", "kolektibilitas", "arrears_date")
    )
    overdue = defaultdict(list)
    # the loan ids are this cooperative's (selected above); filtering on them alone lets the
    # planner use the loan index instead of scanning the cooperative's overdue installments
    for inst in (
        Installment.objects.filter(loan_id__in=ids, due_date__lt=date, paid_on__isnull=True)
        .only(
            "id",
            "loan_id",
            "due_date",
            "pokok",
            "jasa",
            "pokok_paid",
            "jasa_paid",
            "jasa_waived",
            "denda",
            "denda_paid",
            "denda_through",
        )
        .order_by("loan_id", "number")
    ):
        overdue[inst.loan_id].append(inst)
    changed_insts = []
    loan_rows = []
    for loan_id, product_id, old_days, old_kol, old_date in loans:
        product = products[product_id]
        insts = overdue.get(loan_id, ())
        if insts:
            changed_insts += accrue_denda(product, insts, date)
        oldest = min((i.due_date for i in insts if i.pokok_due > 0 or i.jasa_due > 0), default=None)
        days = (date - oldest).days if oldest else 0
        kol = kolektibilitas_for(days, product)
        if (old_days, old_kol, old_date) != (days, kol, date):
            loan_rows.append((days, str(kol), date, loan_id))
    if changed_insts:
        bulk_set(
            Installment,
            [("denda", "numeric"), ("denda_through", "date")],
            [(q(i.denda), i.denda_through, i.pk) for i in changed_insts],
        )
    if loan_rows:
        bulk_set(
            Loan,
            [("days_past_due", "integer"), ("kolektibilitas", "varchar"), ("arrears_date", "date")],
            loan_rows,
        )


def required_reserve(cooperative) -> dict:
    """Outstanding by kolektibilitas, RPM and the required cadangan risiko (active loans)."""
    st = LoanSettings.objects.filter(cooperative=cooperative).first() or LoanSettings(cooperative=cooperative)
    by_kol = {k: ZERO for k in Kolektibilitas.values}
    counts = {k: 0 for k in Kolektibilitas.values}

    for row in (
        Loan.objects.filter(cooperative=cooperative, status=Loan.Status.ACTIVE)
        .values("kolektibilitas")
        .annotate(s=Sum("outstanding"), n=Count("id"))
    ):
        by_kol[row["kolektibilitas"]] = q(row["s"] or ZERO)
        counts[row["kolektibilitas"]] = row["n"]
    required = ZERO
    for k, amount in by_kol.items():
        required += q(amount * getattr(st, WEIGHT_FIELD[k]) / Decimal(100))
    rpm = q(
        by_kol[Kolektibilitas.KURANG_LANCAR] * Decimal("0.5")
        + by_kol[Kolektibilitas.DIRAGUKAN] * Decimal("0.75")
        + by_kol[Kolektibilitas.MACET]
    )
    return {
        "by_kol": by_kol,
        "counts": counts,
        "rpm": rpm,
        "required": required,
        "total": sum(by_kol.values(), ZERO),
    }


def _finish(run, actor, cooperative, date):
    res = required_reserve(cooperative)
    current = account_balance(account_for(cooperative, "cadangan_risiko"), date)
    diff = res["required"] - current
    entry = None
    if diff != 0:
        amount = abs(diff)
        if diff > 0:
            lines = [Line("beban_cadangan_risiko", debit=amount), Line("cadangan_risiko", credit=amount)]
            memo = f"Penyisihan cadangan risiko pinjaman per {tanggal(date)}"
        else:
            lines = [Line("cadangan_risiko", debit=amount), Line("beban_cadangan_risiko", credit=amount)]
            memo = f"Pengurangan cadangan risiko pinjaman per {tanggal(date)}"
        entry = post(
            cooperative=cooperative,
            date=date,
            memo=memo,
            lines=lines,
            actor=actor,
            source_type="loans.reserve",
            source_ref=f"TGK-{date.isoformat()}",
        )
    run.summary = {
        "by_kol": {k: str(v) for k, v in res["by_kol"].items()},
        "counts": res["counts"],
        "rpm": str(res["rpm"]),
        "required": str(res["required"]),
        "previous": str(current),
        "adjustment": str(diff),
        "total": str(res["total"]),
    }
    run.reserve_entry = entry
    run.status = ArrearsRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["summary", "reserve_entry", "status", "finished_at"])
    audit.record(
        actor,
        "loan_arrears_run",
        cooperative=cooperative,
        obj=run,
        ref=str(date),
        summary=f"Tunggakan {tanggal(date)}: {run.processed} pinjaman, cadangan {rupiah(res['required'])}",
        after=run.summary,
    )
