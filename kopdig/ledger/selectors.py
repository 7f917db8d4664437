"""Ledger reads. Balances come from the month caches plus the lines of the date's own month,
never from a scan of the journal."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from kopdig.lib.money import ZERO, q

from . import verifiers
from .models import Account, AccountMonthBalance, JournalLine


def money(value) -> Decimal:
    """An SQL SUM as exact rupiah. SQLite sums decimals in floating point (and Django keeps 15
    significant digits of the result): quantizing to the sen restores the exact value."""
    return q(value) if value is not None else ZERO


def _month_end(date: dt.date) -> dt.date:
    return date.replace(day=calendar.monthrange(date.year, date.month)[1])


def _next_month(date: dt.date) -> dt.date:
    return (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def net_movements(  # noqa: C901
    cooperative, *, end: dt.date, start: dt.date | None = None, account_ids=None
) -> dict[int, tuple]:
    """{account_id: (debit, credit)} of all postings in [start, end] (start None = from the beginning).

    Whole calendar months come from ``AccountMonthBalance`` (one query); the partial months at
    either edge from the lines (at most one more query). A range on month boundaries reads no
    line at all.
    """
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])

    def add(rows):
        for acc, d, c in rows:
            sums[acc][0] += money(d)
            sums[acc][1] += money(c)

    if start is not None and start > end:
        return {}
    acc_filter = {"account_id__in": account_ids} if account_ids is not None else {}
    # Whole months: from first_full (inclusive) to last_full (inclusive).
    first_full = None if start is None else (start if start.day == 1 else _next_month(start))
    last_full = end.replace(day=1) if end == _month_end(end) else end.replace(day=1) - dt.timedelta(days=1)
    last_full = last_full.replace(day=1)
    if first_full is None or first_full <= last_full:
        month_q = Q(year__lt=last_full.year) | Q(year=last_full.year, month__lte=last_full.month)
        if first_full is not None:
            month_q &= Q(year__gt=first_full.year) | Q(year=first_full.year, month__gte=first_full.month)
        add(
            AccountMonthBalance.objects.filter(month_q, cooperative=cooperative, **acc_filter)
            .values("account_id")
            .annotate(d=Sum("debit"), c=Sum("credit"))
            .values_list("account_id", "d", "c")
        )
    # Partial months from the lines: the head [start, end of start's month] when start is not
    # a 1st, and the tail [1st of end's month, end] when end is not a month end.
    ranges = []
    if start is not None and start.day != 1:
        ranges.append((start, min(end, _month_end(start))))
    if end != _month_end(end):
        lo = end.replace(day=1)
        if start is not None:
            lo = max(lo, start)
        if not ranges or lo > ranges[0][1]:
            ranges.append((lo, end))
    if ranges:
        date_q = Q()
        for lo, hi in ranges:
            date_q |= Q(date__gte=lo, date__lte=hi)
        add(
            JournalLine.objects.filter(date_q, cooperative=cooperative, **acc_filter)
            .values("account_id")
            .annotate(d=Sum("debit"), c=Sum("credit"))
            .values_list("account_id", "d", "c")
        )
    return {k: (v[0], v[1]) for k, v in sums.items()}


def balances_at(cooperative, date: dt.date) -> dict[int, Decimal]:
    """{account_id: balance on its normal side} at the end of ``date``."""
    sides = dict(Account.objects.filter(cooperative=cooperative).values_list("id", "normal_side"))
    out = {}
    for acc_id, (d, c) in net_movements(cooperative, end=date).items():
        out[acc_id] = (d - c) if sides[acc_id] == Account.Side.DEBIT else (c - d)
    return out


def account_balance(account: Account, date: dt.date) -> Decimal:
    d, c = net_movements(account.cooperative, end=date, account_ids=[account.pk]).get(
        account.pk, (ZERO, ZERO)
    )
    return (d - c) if account.normal_side == Account.Side.DEBIT else (c - d)


def _cooperatives_with_books() -> list:
    """The cooperatives with a chart of accounts or any journal line (a registry-only
    cooperative has neither, and no product cache can move without its ledger accounts)."""
    from kopdig.tenancy.models import Cooperative

    with_books = Q(pk__in=Account.objects.values("cooperative_id")) | Q(
        pk__in=JournalLine.objects.values("cooperative_id")
    )
    return list(Cooperative.objects.filter(with_books).order_by("slug"))


def verify(cooperative=None) -> list[str]:
    """Prove the books: every entry balances, every month cache equals its lines, and every
    product cache registered in ``verifiers`` equals its source and its control account.

    Returns a list of human-readable problems (empty = clean). This is the one place that
    deliberately reads the whole journal (``kopdig ledger verify``).
    """
    from django.db.models import Count, F
    from django.db.models.functions import ExtractMonth, ExtractYear

    from .models import JournalEntry

    coops = [cooperative] if cooperative is not None else _cooperatives_with_books()
    problems: list[str] = []
    for coop in coops:
        codes = dict(Account.objects.filter(cooperative=coop).values_list("id", "code"))
        # 1. Entries: Σdebit = Σcredit = total, at least two lines, lines dated like the entry.
        entries = (
            JournalEntry.objects.filter(cooperative=coop)
            .annotate(d=Sum("lines__debit"), c=Sum("lines__credit"), n=Count("lines"))
            .values_list("number", "total", "d", "c", "n")
        )
        for number, total, d, c, n in entries:
            d, c = money(d), money(c)
            if d != c:
                problems.append(f"{coop.slug}: jurnal {number} tidak seimbang (debit {d}, kredit {c})")
            if total != d:
                problems.append(f"{coop.slug}: jurnal {number} total {total} ≠ jumlah debit {d}")
            if n < 2:
                problems.append(f"{coop.slug}: jurnal {number} hanya memiliki {n} baris")
        bad_dates = (
            JournalLine.objects.filter(cooperative=coop)
            .exclude(date=F("entry__date"))
            .values_list("entry__number", flat=True)
            .distinct()
        )
        for number in bad_dates:
            problems.append(f"{coop.slug}: jurnal {number} memiliki baris bertanggal lain dari jurnalnya")
        foreign = JournalLine.objects.filter(entry__cooperative=coop).exclude(cooperative=coop).count()
        foreign += JournalLine.objects.filter(cooperative=coop).exclude(account__cooperative=coop).count()
        if foreign:
            problems.append(f"{coop.slug}: {foreign} baris jurnal menunjuk koperasi/akun lain")
        # 2. Month caches against a recomputation from the lines.
        actual = {
            (a, y, m): (money(d), money(c))
            for a, y, m, d, c in JournalLine.objects.filter(cooperative=coop)
            .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
            .values("account_id", "y", "m")
            .annotate(d=Sum("debit"), c=Sum("credit"))
            .values_list("account_id", "y", "m", "d", "c")
        }
        cached = {
            (a, y, m): (d, c)
            for a, y, m, d, c in AccountMonthBalance.objects.filter(cooperative=coop).values_list(
                "account_id", "year", "month", "debit", "credit"
            )
        }
        for key in sorted(set(actual) | set(cached)):
            want = actual.get(key, (ZERO, ZERO))
            have = cached.get(key, (ZERO, ZERO))
            if want != have:
                acc, y, m = key
                problems.append(
                    f"{coop.slug}: saldo bulanan akun {codes.get(acc, acc)} {y}-{m:02d}: cache debit {have[0]} "
                    f"kredit {have[1]}, dihitung ulang debit {want[0]} kredit {want[1]}"
                )
        # 3. Product caches (savings balances, loan outstanding) against their sources and the ledger.
        problems += verifiers.run(coop)
    return problems
