"""Named reads of the loans app (cooperative explicit, no N+1)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum

from kopdig.lib.money import ZERO, q

from . import policy, schedule
from .models import ArrearsRun, Installment, Kolektibilitas, Loan, LoanProduct, LoanSettings, Repayment

# ---------------------------------------------------------------- reads used by other apps


def outstanding_by_member(cooperative, member) -> Decimal:
    """Principal still owed by ``member`` on active loans (the cached ``Loan.outstanding``)."""
    total = Loan.objects.filter(cooperative=cooperative, member=member, status=Loan.Status.ACTIVE).aggregate(
        s=Sum("outstanding")
    )["s"]
    return q(total or ZERO)


def jasa_paid_by_member(cooperative, start: dt.date, end: dt.date) -> dict:
    """{member_id: jasa actually paid} by repayments dated start..end (inclusive), reversals excluded."""
    rows = (
        Repayment.objects.filter(cooperative=cooperative, date__gte=start, date__lte=end, reversed=False)
        .values("loan__member_id")
        .annotate(s=Sum("jasa"))
    )
    return {r["loan__member_id"]: q(r["s"]) for r in rows if r["s"]}


def disbursed_total(cooperative, start: dt.date, end: dt.date) -> Decimal:
    """Σ principal of loans disbursed start..end (inclusive)."""
    total = Loan.objects.filter(
        cooperative=cooperative, disbursed_on__gte=start, disbursed_on__lte=end
    ).aggregate(s=Sum("principal"))["s"]
    return q(total or ZERO)


def loan_settings(cooperative) -> LoanSettings:
    """The cooperative's loan settings (defaults, unsaved, when it has none yet)."""
    return LoanSettings.objects.filter(cooperative=cooperative).first() or LoanSettings(
        cooperative=cooperative
    )


# ---------------------------------------------------------------- pages


def loan_list(cooperative, *, status: str = "", kolektibilitas: str = "", search: str = "", member=None):
    qs = Loan.objects.filter(cooperative=cooperative).select_related("member", "product")
    if status:
        qs = qs.filter(status=status)
    if kolektibilitas:
        qs = qs.filter(kolektibilitas=kolektibilitas, status=Loan.Status.ACTIVE)
    if member is not None:
        qs = qs.filter(member=member)
    if search:
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(member__name__icontains=search)
            | Q(member__number__icontains=search)
        )
    return qs.order_by("-applied_on", "-number")


def loan_get(cooperative, number: str) -> Loan | None:
    return (
        Loan.objects.select_related(
            "member", "product", "entered_by", "approved_by", "disbursed_by", "writeoff_requested_by"
        )
        .filter(cooperative=cooperative, number=number)
        .first()
    )


def installments_of(loan: Loan):
    return list(Installment.objects.filter(cooperative=loan.cooperative_id, loan=loan).order_by("number"))


def repayments_of(loan: Loan):
    return list(
        Repayment.objects.filter(cooperative=loan.cooperative_id, loan=loan)
        .select_related("received_by", "entry")
        .order_by("date", "id")
    )


def repayment_get(cooperative, number: str) -> Repayment | None:
    return (
        Repayment.objects.select_related("loan", "loan__member", "loan__product", "received_by")
        .filter(cooperative=cooperative, number=number)
        .first()
    )


def products(cooperative, *, active_only: bool = False):
    qs = LoanProduct.objects.filter(cooperative=cooperative)
    return qs.filter(active=True) if active_only else qs


def loan_totals(installments) -> dict:
    out = {
        k: ZERO for k in ("pokok", "jasa", "jasa_waived", "denda", "pokok_paid", "jasa_paid", "denda_paid")
    }
    for i in installments:
        for k in out:
            out[k] += getattr(i, k)
    out["total"] = out["pokok"] + out["jasa"]
    out["paid"] = out["pokok_paid"] + out["jasa_paid"] + out["denda_paid"]
    out["jasa_due"] = out["jasa"] - out["jasa_waived"] - out["jasa_paid"]
    return out


def agreement_schedule(loan: Loan) -> tuple[list, dict]:
    """The installments of the loan agreement and their totals: the stored ones once disbursed,
    else the schedule the loan's terms give from its (default) first due date."""
    installments = installments_of(loan)
    if installments:
        return installments, loan_totals(installments)
    first = loan.first_due_date or policy.default_first_due(loan.frequency, loan.applied_on)
    rows = policy.loan_schedule(loan, first)
    return rows, schedule.schedule_totals(rows)


def next_installment(installments):
    return next((i for i in installments if not i.is_paid), None)


def member_loans(cooperative, member):
    """Active loans of a member with their next unpaid installment (two queries)."""
    loans = list(
        Loan.objects.filter(cooperative=cooperative, member=member, status=Loan.Status.ACTIVE)
        .select_related("product")
        .order_by("number")
    )
    nexts = {}
    for inst in Installment.objects.filter(
        cooperative=cooperative, loan__in=loans, paid_on__isnull=True
    ).order_by("loan_id", "number"):
        nexts.setdefault(inst.loan_id, inst)
    return [(loan, nexts.get(loan.pk)) for loan in loans]


# Weight of each collectibility class in the portfolio's RPM (the weighted outstanding at risk).
_RPM_WEIGHTS = {
    Kolektibilitas.LANCAR: Decimal(0),
    Kolektibilitas.KURANG_LANCAR: Decimal("0.5"),
    Kolektibilitas.DIRAGUKAN: Decimal("0.75"),
    Kolektibilitas.MACET: Decimal(1),
}


def _share(amount: Decimal, total: Decimal) -> Decimal:
    return (amount * 100 / total).quantize(Decimal("0.01")) if total else ZERO


def _collectibility(active) -> tuple[list, Decimal, Decimal]:
    """(one row per collectibility class, total outstanding, RPM) of the active loans."""
    kol_rows = {
        r["kolektibilitas"]: r
        for r in active.values("kolektibilitas").annotate(n=Count("id"), outstanding=Sum("outstanding"))
    }
    total = q(sum((r["outstanding"] or ZERO for r in kol_rows.values()), ZERO))
    kol_table, rpm = [], ZERO
    for value, label in Kolektibilitas.choices:
        row = kol_rows.get(value, {})
        amount = q(row.get("outstanding") or ZERO)
        rpm += q(amount * _RPM_WEIGHTS[value])
        kol_table.append(
            {
                "value": value,
                "label": label,
                "n": row.get("n", 0),
                "outstanding": amount,
                "share": _share(amount, total),
            }
        )
    return kol_table, total, rpm


def _overdue_amounts(cooperative, loans, date) -> dict:
    """{loan id: pokok + jasa + denda due before ``date`` and unpaid} of ``loans``."""
    overdue = defaultdict(lambda: ZERO)
    for row in (
        Installment.objects.filter(
            cooperative=cooperative, loan__in=loans, due_date__lt=date, paid_on__isnull=True
        )
        .values("loan_id")
        .annotate(
            p=Sum("pokok"),
            pp=Sum("pokok_paid"),
            j=Sum("jasa"),
            jp=Sum("jasa_paid"),
            jw=Sum("jasa_waived"),
            d=Sum("denda"),
            dp=Sum("denda_paid"),
        )
    ):
        overdue[row["loan_id"]] = (
            row["p"] - row["pp"] + row["j"] - row["jp"] - row["jw"] + row["d"] - row["dp"]
        )
    return overdue


def portfolio(cooperative, *, date: dt.date, top: int = 20) -> dict:
    """Outstanding by product and collectibility, PAR 30/90, top arrears with contacts."""
    active = Loan.objects.filter(cooperative=cooperative, status=Loan.Status.ACTIVE)
    by_product = list(
        active.values("product__code", "product__name")
        .annotate(n=Count("id"), outstanding=Sum("outstanding"))
        .order_by("product__code")
    )
    kol_table, total, rpm = _collectibility(active)
    par = {}
    for days in (30, 90):
        amount = q(active.filter(days_past_due__gt=days).aggregate(s=Sum("outstanding"))["s"] or ZERO)
        par[days] = {"amount": amount, "ratio": _share(amount, total)}
    top_rows = list(
        active.filter(days_past_due__gt=0)
        .select_related("member", "product")
        .order_by("-days_past_due", "-outstanding")[:top]
    )
    overdue = _overdue_amounts(cooperative, top_rows, date)
    return {
        "by_product": by_product,
        "kol_table": kol_table,
        "total": total,
        "rpm": rpm,
        "par": par,
        "top": [(loan, overdue[loan.pk]) for loan in top_rows],
        "last_run": ArrearsRun.objects.filter(cooperative=cooperative, status=ArrearsRun.Status.DONE).first(),
        "count": sum(r["n"] for r in kol_table),
    }


def arrears_runs(cooperative, limit: int = 24):
    return list(ArrearsRun.objects.filter(cooperative=cooperative).order_by("-date")[:limit])


def oldest_due(cooperative, loan_ids, date):
    return dict(
        Installment.objects.filter(
            cooperative=cooperative, loan_id__in=loan_ids, due_date__lt=date, paid_on__isnull=True
        )
        .values("loan_id")
        .annotate(m=Min("due_date"))
        .values_list("loan_id", "m")
    )


def arrears_summary_at(cooperative, date: dt.date) -> dict | None:
    """The finished arrears run on or before ``date`` (the latest): its date, outstanding by
    kolektibilitas, RPM and required cadangan risiko, as Decimals; None when there is none."""
    run = (
        ArrearsRun.objects.filter(cooperative=cooperative, status=ArrearsRun.Status.DONE, date__lte=date)
        .order_by("-date")
        .first()
    )
    if run is None or not run.summary:
        return None
    s = run.summary
    return {
        "date": run.date,
        "by_kol": {k: Decimal(v) for k, v in s.get("by_kol", {}).items()},
        "rpm": Decimal(s["rpm"]),
        "required": Decimal(s["required"]),
        "total": Decimal(s["total"]),
    }
