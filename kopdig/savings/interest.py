"""Jasa simpanan (savings interest) and its tax: pure arithmetic, no database.

* ``account_interest``: one month's jasa of a sukarela account, actual/365 on end-of-day
  balances per the product's basis (daily, average, lowest), rounded to the sen; days (or a
  month) below the minimum balance earn nothing.
* ``member_tax``: the final withholding on one member's jasa of one month above the product's
  threshold (PP 15/2009), on the excess or the whole per the product's setting.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from kopdig.lib.dates import days_in_month
from kopdig.lib.money import ZERO, q

from .models import SavingsProduct


def account_interest(
    product: SavingsProduct,
    opening: Decimal,
    moves: list[tuple[dt.date, Decimal]],
    period: dt.date,
    rate: Decimal | None = None,
) -> Decimal:
    """Jasa of one month, actual/365 on end-of-day balances per the product's basis (rounded to the sen).

    daily: Σ over days of the day's balance (days below the minimum balance earn nothing);
    average: the month's average end-of-day balance (nothing if below the minimum) × days;
    lowest: the month's lowest end-of-day balance (nothing if below the minimum) × days.
    """
    rate = product.rate if rate is None else rate
    if rate <= 0:
        return ZERO
    days = days_in_month(period)
    by_day = defaultdict(lambda: ZERO)
    for date, amount in moves:
        by_day[date.day] += amount
    balances = []
    bal = opening
    for day in range(1, days + 1):
        bal += by_day.get(day, ZERO)
        balances.append(bal)
    minimum = product.min_balance
    if product.basis == SavingsProduct.Basis.DAILY:
        base = sum((b for b in balances if b >= minimum and b > 0), ZERO)
    elif product.basis == SavingsProduct.Basis.AVERAGE:
        avg = sum(balances, ZERO) / days
        base = avg * days if avg >= minimum and avg > 0 else ZERO
    else:
        low = min(balances)
        base = low * days if low >= minimum and low > 0 else ZERO
    return q(base * rate / Decimal(100) / Decimal(365))


def member_tax(product: SavingsProduct, jasa: Decimal) -> Decimal:
    """Final withholding on one member's jasa of one month (PP 15/2009 threshold, a product setting)."""
    if not product.tax_enabled or jasa <= product.tax_threshold:
        return ZERO
    base = jasa - product.tax_threshold if product.tax_base == SavingsProduct.TaxBase.EXCESS else jasa
    return q(base * product.tax_rate / Decimal(100))
