"""Formatting for Indonesian users: rupiah, dates, phone numbers."""

from __future__ import annotations

import datetime as dt
import functools
import re

from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal
from django.utils import timezone
from django.utils.translation import get_language

from .money import D, q


def _locale() -> str:
    return "en_US" if (get_language() or "id").startswith("en") else "id_ID"


# Separators of the two languages Kopdig speaks: (grouping, decimal). Formatting a number through
# Babel parses its pattern and locale on every call (~0.1 ms; a list page has hundreds of amounts),
# Python's own format() gives the same digits (ROUND_HALF_EVEN, as Babel) in a microsecond.
_SEPARATORS = {"id_ID": (".", ","), "en_US": (",", ".")}
_SWAP = str.maketrans({",": ".", ".": ","})


def number(value, decimals: int = 2) -> str:
    """1234567.5 -> '1.234.567,50' (id) or '1,234,567.50' (en)."""
    if value is None or value == "":
        return ""
    value = q(value) if decimals == 2 else D(value)
    locale = _locale()
    if locale in _SEPARATORS and value.is_finite():
        text = f"{value:,.{decimals}f}"
        return text.translate(_SWAP) if _SEPARATORS[locale][0] == "." else text
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale)


def rupiah(value, decimals: int = 2, parens: bool = False) -> str:
    """Rupiah as Indonesians write it: 'Rp 1.234.567,00'; negatives '-Rp 5,00' or '(Rp 5,00)'."""
    if value is None or value == "":
        return ""
    value = D(value)
    text = "Rp " + number(abs(value), decimals)
    if value < 0:
        return f"({text})" if parens else "-" + text
    return text


def tanggal(value, fmt: str = "d MMMM y") -> str:
    """Date as '3 September 2019' (local date for datetimes, Asia/Jakarta)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    locale = _locale()
    if fmt == "d MMMM y":  # the usual one, without Babel's per-call pattern parsing
        return f"{value.day} {_month_names(locale)[value.month]} {value.year}"
    return format_date(value, format=fmt, locale=locale)


@functools.cache
def _month_names(locale: str) -> dict:
    return dict(get_month_names("wide", locale=locale))


def tanggal_waktu(value) -> str:
    """Datetime as '3 September 2019 14.05 WIB'."""
    if not value:
        return ""
    local = timezone.localtime(value)
    sep = ":" if _locale().startswith("en") else "."
    return f"{tanggal(local)} {local:%H}{sep}{local:%M} WIB"


_PHONE = re.compile(r"^\+62[2-9]\d{6,12}$")


def normalize_phone(raw: str) -> str:
    """'0812-3456-7890' / '62812…' / '+62 812…' -> '+6281234567890'. Raises ValueError."""
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if digits.startswith("0"):
        digits = "+62" + digits[1:]
    elif digits.startswith("62"):
        digits = "+" + digits
    if not _PHONE.match(digits):
        raise ValueError(raw)
    return digits


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_AMOUNT = re.compile(r"^-?\d+\.\d{2}$")


def human_value(value) -> str:
    """A stored value (JSON of an audit row, a setting) as a person reads it: ISO dates as
    '3 September 2019', two-decimal strings as rupiah, whole numbers with thousands dots,
    yes/no for booleans, '—' for nothing, lists and dicts item by item."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return number(value, 0)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {human_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(human_value(v) for v in value) or "—"
    text = str(value)
    if _ISO_DATE.match(text):
        return tanggal(dt.date.fromisoformat(text))
    if _ISO_DATETIME.match(text):
        return tanggal_waktu(dt.datetime.fromisoformat(text))
    if _AMOUNT.match(text):
        return rupiah(text)
    return text


_ACRONYMS = {
    "shu": "SHU",
    "rat": "RAT",
    "phu": "PHU",
    "usp": "USP",
    "pph": "PPh",
    "atk": "ATK",
    "bank": "bank",
}


def key_words(code) -> str:
    """'dana_shu_anggota' -> 'Dana SHU anggota'."""
    words = [_ACRONYMS.get(w, w) for w in str(code or "").split("_") if w]
    if not words:
        return ""
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])
