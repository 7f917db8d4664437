"""Who may vote at an RAT (no DB, no Django): the reasons a member is excluded.

A member may vote when every rule of the cooperative's AD/ART holds (domain §7):
- the member is active (``aktif``; a calon anggota is invited but does not vote);
- the member has been a member for at least ``min_months`` whole months on the meeting date;
- the simpanan pokok is paid in full (when the rule is on);
- the simpanan wajib is not in arrears for more than ``max_arrears`` months (when set).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Rule:
    min_months: int = 3
    require_pokok: bool = True
    pokok_amount: Decimal = Decimal("0")
    max_arrears: int | None = None


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (2024-01-31 → 2024-02-29 is 0, → 2024-03-01 is 1)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def exclusion_reasons(
    rule: Rule, *, active: bool, joined_on: dt.date, on: dt.date, pokok: Decimal, arrears_months: int
) -> list[str]:
    """The reasons (``EligibleMember.Reason`` values) a member may not vote; [] = eligible."""
    out = []
    if not active:
        out.append("not_active")
    if months_between(joined_on, on) < rule.min_months:
        out.append("too_new")
    if rule.require_pokok and (pokok <= 0 or pokok < rule.pokok_amount):
        out.append("pokok")
    if rule.max_arrears is not None and arrears_months > rule.max_arrears:
        out.append("wajib")
    return out
