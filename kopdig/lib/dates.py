"""Calendar arithmetic on local dates (no business rules): month steps and month ends."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int, anchor_day: int | None = None) -> dt.date:
    """``day`` + ``months`` calendar months, on ``anchor_day`` (default day.day) clamped to the
    month's last day: 31 January + 1 month = 28/29 February."""
    anchor = anchor_day or day.day
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(anchor, calendar.monthrange(year, month)[1]))


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def days_in_month(day: dt.date) -> int:
    return calendar.monthrange(day.year, day.month)[1]
