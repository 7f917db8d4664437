"""Values typed by users or read from spreadsheet cells: dates and amounts in the formats
Indonesian offices use ("31-12-1980", "31/12/1980", "1.500.000,50", "Rp 1.500.000") and the
international ones ("1980-12-31", "1,500,000.50"). Each raises ValueError on what it cannot read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from .money import D, q

DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y")


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_date(value) -> dt.date | None:
    """A date, or None for an empty cell."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def cell_number(value) -> Decimal | None:
    """An exact number, or None for an empty cell. The later of ',' and '.' is the decimal mark;
    a lone separator followed by three digits is a thousands separator."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):  # an Excel number cell: its shortest repr is what the user typed
        return D(repr(value))
    text = _text(value).replace("Rp", "").replace("rp", "").replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        head, _sep, tail = text.rpartition(",")
        text = (
            (head.replace(",", "") + "." + tail)
            if len(tail) in (1, 2) and text.count(",") == 1
            else text.replace(",", "")
        )
    elif text.count(".") > 1 or ("." in text and len(text.rpartition(".")[2]) == 3):
        text = text.replace(".", "")  # dots as thousands separators
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None


def cell_amount(value) -> Decimal:
    """A rupiah amount to the sen; an empty cell is an error."""
    number = cell_number(value)
    if number is None:
        raise ValueError(value)
    return q(number)
