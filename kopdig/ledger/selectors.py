"""Ledger reads. Balances at any date come from the running day balances (one index seek per
account), never from a scan of the journal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery, Sum

from kopdig.lib.money import ZERO, q

from . import verifiers
from .models import Account, AccountDayBalance, AccountMonthBalance, JournalLine


def money(value) -> Decimal:
    """An SQL SUM as exact rupiah. SQLite sums decimals in floating point (and Django keeps 15
    significant digits of the result): quantizing to the sen restores the exact value."""
    return q(value) if value is not None else ZERO


def from_sen(sen: int) -> Decimal:
    """Integer sen (the day caches) as rupiah."""
    return Decimal(sen).scaleb(-2)


def _to_date(cooperative, date: dt.date, column: str) -> Subquery:
    """The account's running total ``column`` at the end of ``date``: its latest day row on or
    before it (one seek in the ``day_balance_unique`` index)."""
    rows = AccountDayBalance.objects.filter(cooperative=cooperative, account=OuterRef("pk"), date__lte=date)
    return Subquery(rows.order_by("-date").values(column)[:1])


def net_movements(
    cooperative, *, end: dt.date, start: dt.date | None = None, account_ids=None
) -> dict[int, tuple]:
    """{account_id: (debit, credit)} of all postings in [start, end] (start None = from the beginning).

    One query whatever the range and the size of the journal: per account, the running totals
    at ``end`` minus those at the day before ``start``, each the latest ``AccountDayBalance``
    row on or before the date. Accounts without a line in the range are left out.
    """
    if start is not None and start > end:
        return {}
    accounts = Account.objects.filter(cooperative=cooperative).order_by()
    if account_ids is not None:
        accounts = accounts.filter(pk__in=account_ids)
    columns = {
        "d": _to_date(cooperative, end, "debit_to_date"),
        "c": _to_date(cooperative, end, "credit_to_date"),
    }
    if start is not None and start > dt.date.min:
        before = start - dt.timedelta(days=1)
        columns["d0"] = _to_date(cooperative, before, "debit_to_date")
        columns["c0"] = _to_date(cooperative, before, "credit_to_date")
    out = {}
    for pk, d, c, *opening in accounts.annotate(**columns).values_list("pk", *columns):
        if d is None:
            continue
        d0, c0 = opening if opening and opening[0] is not None else (0, 0)
        if (d, c) != (d0, c0):
            out[pk] = (from_sen(d - d0), from_sen(c - c0))
    return out


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


def _day_balance_problems(coop, codes: dict) -> list[str]:
    """Every ``AccountDayBalance`` row equals the running totals of its account's lines through
    its date, and every day with lines has its row."""
    days = (
        JournalLine.objects.filter(cooperative=coop)
        .values("account_id", "date")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by("account_id", "date")
        .values_list("account_id", "date", "d", "c")
    )
    totals: dict[int, tuple[int, int]] = {}
    want = {}
    for account_id, date, d, c in days.iterator(chunk_size=5000):
        td, tc = totals.get(account_id, (0, 0))
        totals[account_id] = td, tc = td + int(money(d) * 100), tc + int(money(c) * 100)
        want[(account_id, date)] = (td, tc)
    have = {
        (a, day): (d, c)
        for a, day, d, c in AccountDayBalance.objects.filter(cooperative=coop).values_list(
            "account_id", "date", "debit_to_date", "credit_to_date"
        )
    }
    problems = []
    for key in sorted(set(want) | set(have)):
        if want.get(key) != have.get(key):
            acc, day = key
            got = have.get(key, ("-", "-"))
            exp = want.get(key, ("-", "-"))
            problems.append(
                f"{coop.slug}: saldo harian akun {codes.get(acc, acc)} {day}: cache debit {got[0]} kredit "
                f"{got[1]} sen, dihitung ulang debit {exp[0]} kredit {exp[1]} sen"
            )
    return problems


def _cooperatives_with_books() -> list:
    """The cooperatives with a chart of accounts or any journal line (a registry-only
    cooperative has neither, and no product cache can move without its ledger accounts)."""
    from kopdig.tenancy.models import Cooperative

    with_books = Q(pk__in=Account.objects.values("cooperative_id")) | Q(
        pk__in=JournalLine.objects.values("cooperative_id")
    )
    return list(Cooperative.objects.filter(with_books).order_by("slug"))


def verify(cooperative=None) -> list[str]:
    """Prove the books: every entry balances, every month and day cache equals its lines, and every
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
        # 3. Running day balances against running totals of the lines.
        problems += _day_balance_problems(coop, codes)
        # 4. Product caches (savings balances, loan outstanding) against their sources and the ledger.
        problems += verifiers.run(coop)
    return problems
