"""Loan arithmetic: fees, rates, denda, kolektibilitas, payment allocation, payoff quotes and
the schedule a product gives. Pure: no database (it reads the attributes of the product, loan
and installment objects it is given, and changes installments only in memory).

Rules:
* Fees (provisi, administrasi, denda per installment): a percent of the base or a fixed amount,
  rounded to the sen.
* Rates: annual product rates are kept per month (/ 12, four decimals).
* Denda per day: value% of the unpaid pokok+jasa (or a fixed amount) for each day past
  due_date + grace not yet accrued; per installment: once, when still unpaid after the grace.
* Kolektibilitas by days past due against the product's thresholds (strictly greater).
* A payment is allocated component by component in the product's order (denda, jasa, pokok
  by default) over the installments due, then installment by installment over future ones.
* An early payoff owes every denda, the jasa due by the date and, of future jasa, what the
  product's rule keeps (none, the current installment's, or all); the rest is waived.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kopdig.lib.dates import add_months
from kopdig.lib.money import ZERO, D, q

from . import schedule as sched
from .models import FeeKind, Installment, Kolektibilitas, Loan, LoanProduct

COMPONENTS = ("denda", "jasa", "pokok")


def fee_amount(kind: str, value, principal) -> Decimal:
    value = D(value)
    if kind == FeeKind.PERCENT:
        return q(D(principal) * value / Decimal(100))
    return q(value)


def monthly_rate(product: LoanProduct) -> Decimal:
    """The product's rate as percent per month (annual rates / 12, kept to 4 decimals)."""
    rate = D(product.rate_percent)
    if product.rate_basis == LoanProduct.RateBasis.ANNUAL:
        return (rate / Decimal(12)).quantize(Decimal("0.0001"))
    return rate


def kolektibilitas_for(days: int, product) -> str:
    if days > product.macet_after_days:
        return Kolektibilitas.MACET
    if days > product.diragukan_after_days:
        return Kolektibilitas.DIRAGUKAN
    if days > product.kurang_lancar_after_days:
        return Kolektibilitas.KURANG_LANCAR
    return Kolektibilitas.LANCAR


def allocation_order(product) -> list[str]:
    order = [c.strip() for c in (product.allocation_order or "").split(",") if c.strip()]
    if sorted(order) != sorted(COMPONENTS):
        return list(COMPONENTS)
    return order


def accrue_denda(product, installments, date: dt.date) -> list[Installment]:
    """Assess late penalties up to ``date`` on overdue installments (in memory); returns the changed ones.

    Per day: value% of the unpaid pokok+jasa (or a fixed amount) for each day past
    due_date + grace days not yet accrued (``denda_through``). Per installment: charged once when the
    installment is still unpaid after due_date + grace days. Idempotent for the same date.
    """
    value = D(product.denda_value)
    if value <= 0:
        return []
    grace = dt.timedelta(days=product.denda_grace_days)
    changed = []
    for inst in installments:
        start = inst.due_date + grace
        if date <= start:
            continue
        unpaid = inst.pokok_due + inst.jasa_due
        if unpaid <= 0:
            continue
        if product.denda_basis == LoanProduct.DendaBasis.PER_INSTALLMENT:
            if inst.denda_through is not None:
                continue
            inst.denda += fee_amount(product.denda_kind, value, inst.pokok + inst.jasa)
        else:
            since = max(start, inst.denda_through or start)
            days = (date - since).days
            if days <= 0:
                continue
            per_day = fee_amount(product.denda_kind, value, unpaid)
            inst.denda += q(per_day * days)
        inst.denda_through = date
        changed.append(inst)
    return changed


def days_past_due(installments, date: dt.date) -> int:
    oldest = min(
        (i.due_date for i in installments if i.due_date < date and (i.pokok_due > 0 or i.jasa_due > 0)),
        default=None,
    )
    return (date - oldest).days if oldest else 0


def open_installments(installments) -> list[Installment]:
    return [i for i in installments if i.pokok_due > 0 or i.jasa_due > 0 or i.denda_due > 0]


def allocate(bucket, order, remaining: Decimal, alloc: dict) -> Decimal:
    """Allocate ``remaining`` over a bucket of installments: component by component in ``order``."""
    for comp in order:
        for inst in bucket:
            if remaining <= 0:
                return remaining
            due = getattr(inst, f"{comp}_due")
            if due <= 0:
                continue
            take = min(due, remaining)
            setattr(inst, f"{comp}_paid", getattr(inst, f"{comp}_paid") + take)
            alloc.setdefault(inst.number, {"denda": ZERO, "jasa": ZERO, "pokok": ZERO, "waived": ZERO})[
                comp
            ] += take
            remaining -= take
    return remaining


def payoff_quote(loan: Loan, installments, date: dt.date) -> dict:
    """What an early payoff on ``date`` costs under the product rule (after denda accrual)."""
    rule = loan.product.early_payoff_jasa
    due_now = [i for i in installments if i.due_date <= date]
    future = [i for i in installments if i.due_date > date]
    denda = sum((i.denda_due for i in installments), ZERO)
    jasa = sum((i.jasa_due for i in due_now), ZERO)
    waived = {}
    for k, inst in enumerate(future):
        keep = rule == LoanProduct.EarlyPayoffJasa.FULL or (
            rule == LoanProduct.EarlyPayoffJasa.CURRENT and k == 0
        )
        if keep:
            jasa += inst.jasa_due
        elif inst.jasa_due > 0:
            waived[inst.number] = inst.jasa_due
    pokok = sum((i.pokok_due for i in installments), ZERO)
    return {"denda": denda, "jasa": jasa, "pokok": pokok, "total": denda + jasa + pokok, "waived": waived}


def periods_for(product_frequency: str, term_months: int) -> int:
    if product_frequency == sched.WEEKLY:
        return sched.weeks_for_months(term_months)
    return term_months


def default_first_due(frequency: str, date: dt.date) -> dt.date:
    """The first due date of a loan disbursed on ``date``: a week or a month later."""
    if frequency == sched.WEEKLY:
        return date + dt.timedelta(days=7)
    return add_months(date, 1)


def loan_schedule(loan: Loan, first_due_date: dt.date) -> list[sched.Installment]:
    """The installments of ``loan`` (its stored terms) from ``first_due_date``."""
    return sched.build_schedule(
        principal=loan.principal,
        rate_monthly_percent=loan.rate_monthly_percent,
        periods=loan.periods,
        method=loan.method,
        first_due_date=first_due_date,
        frequency=loan.frequency,
        grace_periods=loan.grace_periods,
        rounding_unit=loan.product.rounding_unit or None,
    )


def fees_of(product: LoanProduct, principal) -> Decimal:
    """Provisi + administrasi of a loan of ``principal`` under ``product``."""
    return fee_amount(product.provisi_kind, product.provisi_value, principal) + fee_amount(
        product.admin_kind, product.admin_value, principal
    )


def quote(
    product: LoanProduct,
    *,
    principal,
    term: int,
    grace_months: int = 0,
    first_due_date: dt.date | None,
    today: dt.date,
) -> tuple[list[sched.Installment], dict]:
    """The schedule and totals (with fees and the net paid out) a product would give: the preview."""
    grace = periods_for(product.frequency, grace_months) if grace_months else 0
    first = first_due_date or default_first_due(product.frequency, today)
    rows = sched.build_schedule(
        principal=principal,
        rate_monthly_percent=monthly_rate(product),
        periods=periods_for(product.frequency, term),
        method=product.method,
        first_due_date=first,
        frequency=product.frequency,
        grace_periods=grace,
        rounding_unit=product.rounding_unit or None,
    )
    fees = fees_of(product, principal)
    return rows, {**sched.schedule_totals(rows), "fees": fees, "net": principal - fees}
