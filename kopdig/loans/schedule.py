"""Installment schedules (pure functions, no database).

Methods (domain §4), principal P, rate per period r, m amortising periods:

* ``flat``: pokok P/m, jasa P·r every period.
* ``menurun`` (declining, equal principal): pokok P/m, jasa = remaining principal × r.
* ``anuitas`` (annuity): installment A = P·r / (1 − (1+r)^−m); jasa = remaining × r, pokok = A − jasa.

Rules:

* Amounts are rupiah rounded to the sen (half up); the last installment takes the remaining
  principal, so the pokok column sums exactly to P.
* ``grace_periods`` (masa tenggang) are the first installments of the term: jasa only, no pokok.
  The principal is amortised over the remaining ``periods − grace_periods`` installments, so the
  term stays ``periods`` long. Flat jasa is charged during grace too (P·r).
* Frequency ``weekly``: the rate per period is the monthly rate × 12 / 52 (unrounded), due dates
  step by 7 days; ``monthly`` due dates keep the day of the first due date (clamped to month end).
* ``rounding_unit`` (e.g. Rp 100): every installment but the last is rounded UP to a multiple of
  the unit; the extra goes to pokok (the balance falls a little faster) and the last installment
  absorbs the difference. If the rounding would repay the principal before the last period the
  pokok is capped at the remaining principal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, localcontext

from kopdig.lib.dates import add_months
from kopdig.lib.money import ZERO, D, q

FLAT = "flat"
MENURUN = "menurun"
ANUITAS = "anuitas"
METHODS = (FLAT, MENURUN, ANUITAS)
MONTHLY = "monthly"
WEEKLY = "weekly"
FREQUENCIES = (MONTHLY, WEEKLY)


class ScheduleError(ValueError):
    """Invalid schedule input (the caller turns it into a DomainError)."""


@dataclass(frozen=True)
class Installment:
    number: int
    due_date: dt.date
    pokok: Decimal
    jasa: Decimal
    total: Decimal
    remaining: Decimal  # principal still owed after this installment

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "due_date": self.due_date.isoformat(),
            "pokok": str(self.pokok),
            "jasa": str(self.jasa),
            "total": str(self.total),
            "remaining": str(self.remaining),
        }


def due_dates(first_due_date: dt.date, periods: int, frequency: str = MONTHLY) -> list[dt.date]:
    if frequency == WEEKLY:
        return [first_due_date + dt.timedelta(days=7 * k) for k in range(periods)]
    return [add_months(first_due_date, k, first_due_date.day) for k in range(periods)]


def period_rate(rate_monthly_percent, frequency: str = MONTHLY) -> Decimal:
    """Rate per installment period as a fraction (unrounded)."""
    r = D(rate_monthly_percent) / Decimal(100)
    if frequency == WEEKLY:
        return r * Decimal(12) / Decimal(52)
    return r


def weeks_for_months(months: int) -> int:
    """Number of weekly installments for a term of ``months`` (52/12 per month, half up)."""
    return int((Decimal(months) * Decimal(52) / Decimal(12)).quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def annuity_payment(principal: Decimal, r: Decimal, m: int) -> Decimal:
    """A = P·r / (1 − (1+r)^−m), rounded to the sen; P/m when r = 0."""
    if r == 0:
        return q(principal / m)
    with localcontext() as ctx:
        ctx.prec = 40
        a = principal * r / (1 - (1 + r) ** (-m))
    return q(a)


def round_up(amount: Decimal, unit: Decimal) -> Decimal:
    return q((amount / unit).to_integral_value(rounding=ROUND_CEILING) * unit)


def _checked_kind(principal, method, frequency) -> None:
    if method not in METHODS:
        raise ScheduleError(f"metode tidak dikenal: {method}")
    if frequency not in FREQUENCIES:
        raise ScheduleError(f"frekuensi tidak dikenal: {frequency}")
    if principal <= 0:
        raise ScheduleError("pokok pinjaman harus lebih dari nol")


def _checked_terms(periods, grace_periods, rate_monthly_percent) -> tuple[int, int, Decimal]:
    """(periods, grace_periods, monthly rate) as numbers, refused when out of range."""
    periods, grace_periods = int(periods), int(grace_periods or 0)
    if periods < 1:
        raise ScheduleError("jangka waktu minimal 1 angsuran")
    if grace_periods < 0 or grace_periods >= periods:
        raise ScheduleError("masa tenggang harus lebih pendek dari jangka waktu")
    rate = D(rate_monthly_percent)
    if rate < 0:
        raise ScheduleError("suku jasa tidak boleh negatif")
    return periods, grace_periods, rate


@dataclass(frozen=True)
class _Plan:
    """What every installment of one schedule is computed from."""

    method: str
    periods: int
    grace_periods: int
    r: Decimal
    equal_pokok: Decimal
    flat_jasa: Decimal
    annuity: Decimal | None
    unit: Decimal | None


def _pokok(plan: _Plan, k: int, remaining: Decimal, jasa: Decimal) -> Decimal:
    """Installment ``k``'s principal before rounding up to the unit and capping at ``remaining``."""
    if k < plan.grace_periods:
        return ZERO
    if k == plan.periods - 1:
        return remaining
    pokok = plan.annuity - jasa if plan.method == ANUITAS else plan.equal_pokok
    return max(pokok, ZERO)


def build_schedule(
    *,
    principal,
    rate_monthly_percent,
    periods: int,
    method: str,
    first_due_date: dt.date,
    frequency: str = MONTHLY,
    grace_periods: int = 0,
    rounding_unit=None,
) -> list[Installment]:
    principal = q(principal)
    _checked_kind(principal, method, frequency)
    periods, grace_periods, rate = _checked_terms(periods, grace_periods, rate_monthly_percent)
    unit = q(rounding_unit) if rounding_unit else None
    r = period_rate(rate, frequency)
    m = periods - grace_periods
    plan = _Plan(
        method=method,
        periods=periods,
        grace_periods=grace_periods,
        r=r,
        equal_pokok=q(principal / m),
        flat_jasa=q(principal * r),
        annuity=annuity_payment(principal, r, m) if method == ANUITAS else None,
        unit=unit if unit is not None and unit > 0 else None,
    )
    dates = due_dates(first_due_date, periods, frequency)
    out: list[Installment] = []
    remaining = principal
    for k in range(periods):
        last = k == periods - 1
        jasa = plan.flat_jasa if method == FLAT else q(remaining * r)
        pokok = _pokok(plan, k, remaining, jasa)
        if plan.unit is not None and not last:
            pokok += round_up(pokok + jasa, plan.unit) - (pokok + jasa)
        pokok = min(pokok, remaining)
        remaining -= pokok
        out.append(Installment(k + 1, dates[k], q(pokok), jasa, q(pokok + jasa), q(remaining)))
    return out


def schedule_totals(installments) -> dict:
    pokok = sum((i.pokok for i in installments), ZERO)
    jasa = sum((i.jasa for i in installments), ZERO)
    return {"pokok": pokok, "jasa": jasa, "total": pokok + jasa}
