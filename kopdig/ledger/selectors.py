"""Ledger reads. Balances come from the month caches plus the lines of the date's own month,
never from a scan of the journal."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from kopdig.lib.money import ZERO, q

from .models import Account, AccountMonthBalance, JournalLine


def money(value) -> Decimal:
    """An SQL SUM as exact rupiah. SQLite sums decimals in floating point (and Django keeps 15
    significant digits of the result): quantizing to the sen restores the exact value."""
    return q(value) if value is not None else ZERO


def net_movements(cooperative, *, end: dt.date, start: dt.date | None = None, account_ids=None) -> dict[int, tuple]:
    """{account_id: (debit, credit)} of all postings in [start, end] (start None = from the beginning).

    Whole months come from ``AccountMonthBalance``; partial months at either edge from lines.
    """
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])

    def add(rows):
        for acc, d, c in rows:
            sums[acc][0] += money(d)
            sums[acc][1] += money(c)

    acc_filter = {"account_id__in": account_ids} if account_ids is not None else {}
    # Whole months strictly inside the range.
    first_full = (start.year, start.month) if start and start.day == 1 else None
    if start and start.day != 1:
        first_full = (start.year + (start.month // 12), start.month % 12 + 1)
    month_q = Q(year__lt=end.year) | Q(year=end.year, month__lt=end.month)
    if first_full:
        month_q &= Q(year__gt=first_full[0]) | Q(year=first_full[0], month__gte=first_full[1])
    add(
        AccountMonthBalance.objects.filter(month_q, cooperative=cooperative, **acc_filter)
        .values("account_id").annotate(d=Sum("debit"), c=Sum("credit")).values_list("account_id", "d", "c")
    )
    # The end date's own month, up to the end date (and from start if start falls in it).
    month_start = end.replace(day=1)
    lo = max(month_start, start) if start else month_start
    add(
        JournalLine.objects.filter(cooperative=cooperative, date__gte=lo, date__lte=end, **acc_filter)
        .values("account_id").annotate(d=Sum("debit"), c=Sum("credit")).values_list("account_id", "d", "c")
    )
    # A start in the middle of a month before the end's month: that month's lines from start.
    if start and start.day != 1 and (start.year, start.month) != (end.year, end.month):
        nxt = dt.date(first_full[0], first_full[1], 1)
        add(
            JournalLine.objects.filter(cooperative=cooperative, date__gte=start, date__lt=nxt, **acc_filter)
            .values("account_id").annotate(d=Sum("debit"), c=Sum("credit")).values_list("account_id", "d", "c")
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
    d, c = net_movements(account.cooperative, end=date, account_ids=[account.pk]).get(account.pk, (ZERO, ZERO))
    return (d - c) if account.normal_side == Account.Side.DEBIT else (c - d)


def verify(cooperative=None) -> list[str]:
    """Prove the books: every entry balances and every month cache equals its lines.

    Returns a list of human-readable problems (empty = clean). This is the one place that
    deliberately reads the whole journal (``kopdig ledger verify``).
    """
    from django.db.models import Count, F
    from django.db.models.functions import ExtractMonth, ExtractYear

    from kopdig.tenancy.models import Cooperative

    from .models import JournalEntry

    coops = [cooperative] if cooperative is not None else list(Cooperative.objects.order_by("slug"))
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
            JournalLine.objects.filter(cooperative=coop).exclude(date=F("entry__date"))
            .values_list("entry__number", flat=True).distinct()
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
            .values("account_id", "y", "m").annotate(d=Sum("debit"), c=Sum("credit"))
            .values_list("account_id", "y", "m", "d", "c")
        }
        cached = {
            (a, y, m): (d, c)
            for a, y, m, d, c in AccountMonthBalance.objects.filter(cooperative=coop)
            .values_list("account_id", "year", "month", "debit", "credit")
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
    return problems
