"""Pure arithmetic of planned against realised trade (no database, no Django)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of every month from ``start``'s month to ``end``'s month, inclusive."""
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def achievement(planned: Decimal | None, realised: Decimal) -> Decimal | None:
    """Realised as a percentage of planned (one decimal), None when nothing was planned."""
    if not planned:
        return None
    return (Decimal(100) * realised / planned).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def planned_vs_realised(
    months: list[dt.date], planned_per_month: Decimal | None, realised: dict[dt.date, Decimal]
) -> list[dict]:
    """One row per month with the cumulative plan and realisation."""
    rows, cum_plan, cum_real = [], Decimal(0), Decimal(0)
    for month in months:
        plan = planned_per_month or Decimal(0)
        real = realised.get(month, Decimal(0))
        cum_plan += plan
        cum_real += real
        rows.append(
            {
                "month": month,
                "planned": plan,
                "realised": real,
                "cum_planned": cum_plan,
                "cum_realised": cum_real,
                "achievement": achievement(cum_plan, cum_real),
            }
        )
    return rows
