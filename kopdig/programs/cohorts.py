"""Pure rules of programme reach and certificates (no database, no Django).

- Generation: the cohort whose birth-year range holds the person's birth year (cohorts are a
  Dinas setting, default Gen Z 1997–2012, milenial 1981–1996, Gen X 1965–1980, older).
- Youth (pemuda, UU 40/2009): aged 16 to 30 inclusive on the reference date.
- Attendance rule: a participant earns the certificate when the days attended reach the
  event's minimum (default: every day of the event).
- Certificate code: HMAC-SHA256 of the number under the server's key, first 10 hex digits,
  so a number alone cannot be verified and a changed number does not verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

OTHER = "lainnya"


def nik_birth_date(nik: str, today: dt.date) -> dt.date:
    """Birth date from a (valid) NIK: digits 7–12 are DDMMYY, women's day + 40. The century is
    the one that makes the person at least 10 years old today (a programme participant), so
    "04" is 2004 in 2026 and "20" is 1920."""
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    year = 2000 + yy if today.year - (2000 + yy) >= 10 else 1900 + yy
    try:
        return dt.date(year, month, day)
    except ValueError:  # 29 February of a year that is not leap in this century
        return dt.date(year - 100, month, day)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Whole years completed on ``on`` (a 29 February birthday counts on 1 March)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def generation(birth_year: int, cohorts: Sequence[dict]) -> str:
    """The key of the cohort holding ``birth_year`` (``from`` and ``to`` inclusive), else OTHER."""
    for c in cohorts:
        if int(c["from"]) <= birth_year <= int(c["to"]):
            return c["key"]
    return OTHER


def is_youth(birth_date: dt.date, on: dt.date, min_age: int = 16, max_age: int = 30) -> bool:
    return min_age <= age_on(birth_date, on) <= max_age


def required_days(event_days: int, min_days: int | None) -> int:
    """Days a participant must attend: the event's minimum, never more than its length."""
    if not min_days:
        return event_days
    return min(min_days, event_days)


def attendance_met(days_attended: int, event_days: int, min_days: int | None) -> bool:
    return days_attended >= required_days(event_days, min_days)


def certificate_code(number: str, key: bytes) -> str:
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()[:10]


def certificate_valid(number: str, code: str, key: bytes) -> bool:
    return hmac.compare_digest(certificate_code(number, key), (code or "").lower())


def percent(part: int, whole: int) -> Decimal:
    """``part`` of ``whole`` in percent, one decimal (half up); 0.0 when ``whole`` is 0."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def shares(counts: dict[str, int]) -> dict[str, Decimal]:
    """Each key's share of the total in percent (one decimal)."""
    total = sum(counts.values())
    return {k: percent(v, total) for k, v in counts.items()}


def generation_counts(birth_years: Iterable[int], cohorts: Sequence[dict]) -> dict[str, int]:
    out = {c["key"]: 0 for c in cohorts}
    for year in birth_years:
        key = generation(year, cohorts)
        out[key] = out.get(key, 0) + 1
    return out


def cohorts_error(cohorts) -> str | None:
    """None when the cohorts are a list of {key, label, from, to} with from ≤ to and no overlap."""
    if not isinstance(cohorts, list) or not cohorts:
        return "Generasi harus berupa daftar yang tidak kosong."
    spans = []
    for c in cohorts:
        if not isinstance(c, dict) or not {"key", "label", "from", "to"} <= set(c):
            return "Setiap generasi perlu key, label, from dan to."
        try:
            lo, hi = int(c["from"]), int(c["to"])
        except (TypeError, ValueError):
            return f"Tahun generasi {c.get('label')} tidak valid."
        if lo > hi:
            return f"Generasi {c['label']}: tahun awal setelah tahun akhir."
        spans.append((lo, hi, c["label"]))
    spans.sort()
    for (_, hi, a), (lo, _, b) in zip(spans, spans[1:], strict=False):
        if lo <= hi:
            return f"Generasi {a} dan {b} tumpang tindih."
    return None
