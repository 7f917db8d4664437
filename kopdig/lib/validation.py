"""The one validation layer for values that come from outside (API bodies and queries, forms,
imports): amounts, dates, years, text lengths, paging. Every refusal is an ``InvalidValue`` (a
``DomainError`` and a ``ValueError``, so the API, pydantic and forms all report it) whose
message names the field and the allowed range in Indonesian.

Rules (issue 12):
- amounts: a decimal string of ASCII digits (``"1234567.89"``) or an integer; no float, bool,
  exponent, NaN/Infinity or non-ASCII digits; at most the money field's digits and 2 decimals.
- event dates (a posting, a payment, an admission, an application): from the cooperative's
  founding date (1900-01-01 when unknown) to today + the cooperative's ``event_days_ahead``.
- planned dates (a first due date, a maturity, a meeting): up to 30 years ahead.
- years: 1900 to next year. Report and query dates: 1900-01-01 to 2100-12-31.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import timezone

from .errors import DomainError
from .money import MONEY_FIELD

EARLIEST = dt.date(1900, 1, 1)
LATEST_QUERY = dt.date(2100, 12, 31)
FIRST_YEAR = 1900
PLANNED_YEARS = 30
MAX_OFFSET = 1_000_000_000
MAX_DAYS_AHEAD = 31  # the most a cooperative may set as event_days_ahead
MAX_LIMIT = 500
AMOUNT_PATTERN = r"^-?[0-9]{1,18}(\.[0-9]{1,2})?$"
_AMOUNT_RE = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?")


class InvalidValue(DomainError, ValueError):
    """A value outside its allowed form or range. Nothing was written."""

    status = 422

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", field=field)
        self.field = field


def _today() -> dt.date:
    return timezone.localdate()


def _fmt(day: dt.date) -> str:
    return day.isoformat()


def amount(
    value,
    field: str,
    *,
    max_digits: int = MONEY_FIELD["max_digits"],
    decimal_places: int = MONEY_FIELD["decimal_places"],
    allow_negative: bool = False,
) -> Decimal:
    """An exact amount from a decimal string or an integer (see the module rules)."""
    whole = max_digits - decimal_places
    form = (
        f'harus berupa angka desimal dalam teks (contoh "1500000.00"), paling banyak {whole} digit '
        f"sebelum koma dan {decimal_places} desimal"
    )
    if isinstance(value, Decimal):
        value = format(value, "f") if value.is_finite() else "NaN"
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidValue(field, form + ".")
    text = str(value).strip()
    match = _AMOUNT_RE.fullmatch(text) if text.isascii() else None
    if match is None or (text.startswith("-") and not allow_negative):
        raise InvalidValue(field, form + ("" if allow_negative else ", tidak negatif") + ".")
    digits, decimals = match.group(1).lstrip("0"), (match.group(2) or "")
    if len(digits) > whole or len(decimals.rstrip("0")) > decimal_places:
        raise InvalidValue(field, form + ".")
    return Decimal(text)


def positive_amount(value, field: str, **kwargs) -> Decimal:
    """An amount greater than zero."""
    result = amount(value, field, **kwargs)
    if result <= 0:
        raise InvalidValue(field, "harus lebih dari 0.")
    return result


def date_between(value: dt.date, field: str, earliest: dt.date, latest: dt.date) -> dt.date:
    """``value`` within [earliest, latest], else a refusal naming the range."""
    if not isinstance(value, dt.date):
        raise InvalidValue(field, "harus berupa tanggal (YYYY-MM-DD).")
    if isinstance(value, dt.datetime):
        value = value.date()
    if value < earliest or value > latest:
        raise InvalidValue(field, f"tanggal harus antara {_fmt(earliest)} dan {_fmt(latest)}.")
    return value


def event_window(cooperative=None, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The allowed range of an event date for ``cooperative`` (any object with ``founded_on``
    and ``event_days_ahead``; None: 1900-01-01 to today)."""
    founded = getattr(cooperative, "founded_on", None) or EARLIEST
    ahead = getattr(cooperative, "event_days_ahead", 0) or 0
    return max(founded, EARLIEST), (today or _today()) + dt.timedelta(days=ahead)


def event_date(value, field: str, cooperative=None, *, today: dt.date | None = None):
    """An event date (None passes: the action defaults it to today)."""
    if value is None:
        return None
    return date_between(value, field, *event_window(cooperative, today=today))


def planned_date(value, field: str, *, today: dt.date | None = None):
    """A planned date: from 1900-01-01 to 30 years ahead (None passes)."""
    if value is None:
        return None
    today = today or _today()
    latest = _add_years(today, PLANNED_YEARS)
    return date_between(value, field, EARLIEST, latest)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def query_date(value, field: str):
    """A report or query date: 1900-01-01 to 2100-12-31 (None passes)."""
    if value is None:
        return None
    return date_between(value, field, EARLIEST, LATEST_QUERY)


def year(value, field: str = "tahun", *, today: dt.date | None = None) -> int:
    """A book year: 1900 to next year."""
    last = (today or _today()).year + 1
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= last:
        raise InvalidValue(field, f"tahun harus antara {FIRST_YEAR} dan {last}.")
    return value


def text(value, field: str, max_length: int, *, required: bool = False) -> str:
    """A text of at most ``max_length`` characters, stripped."""
    if not isinstance(value, str):
        raise InvalidValue(field, "harus berupa teks.")
    value = value.strip()
    if len(value) > max_length:
        raise InvalidValue(field, f"paling banyak {max_length} karakter (sekarang {len(value)}).")
    if required and not value:
        raise InvalidValue(field, "wajib diisi.")
    return value


def paging(limit: int, offset: int, *, max_limit: int = MAX_LIMIT) -> tuple[int, int]:
    """limit in 1..max_limit, offset in 0..MAX_OFFSET."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= max_limit:
        raise InvalidValue("limit", f"harus antara 1 dan {max_limit}.")
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise InvalidValue("offset", f"harus antara 0 dan {MAX_OFFSET}.")
    return limit, offset
