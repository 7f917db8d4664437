"""Savings reads. Every selector takes the cooperative explicitly; sums are done in SQL."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from kopdig.ledger.models import Account
from kopdig.lib.money import ZERO, q
from kopdig.members.models import Member

from .models import Due, Kind, Receipt, Run, SavingsAccount, SavingsProduct, SavingsTransaction


def admin_fee_key(cooperative) -> str:
    """The income account of savings fees and penalties (pendapatan_lain when the chart lacks it)."""
    has = Account.objects.filter(cooperative=cooperative, system_key="pendapatan_admin_simpanan").exists()
    return "pendapatan_admin_simpanan" if has else "pendapatan_lain"


# --- for other apps (SHU, loans) ------------------------------------------------------------


def simpanan_by_member(cooperative, *, date: dt.date, kinds=("pokok", "wajib")) -> dict[int, Decimal]:
    """{member_id: Σ balance of the given kinds at the end of ``date``} (members with a non-zero sum)."""
    rows = (
        SavingsTransaction.objects.filter(cooperative=cooperative, kind__in=list(kinds), date__lte=date)
        .values("member_id")
        .annotate(s=Sum("amount"))
        .values_list("member_id", "s")
    )
    return {m: q(s) for m, s in rows if s and q(s)}


def simpanan_average_by_member(cooperative, *, year: int, kinds=("pokok", "wajib")) -> dict[int, Decimal]:
    """{member_id: average of the 12 month-end balances of ``year``} for the given kinds."""
    opening = simpanan_by_member(cooperative, date=dt.date(year - 1, 12, 31), kinds=kinds)
    moves = defaultdict(lambda: [ZERO] * 13)
    rows = (
        SavingsTransaction.objects.filter(cooperative=cooperative, kind__in=list(kinds), date__year=year)
        .annotate(m=ExtractMonth("date"))
        .values("member_id", "m")
        .annotate(s=Sum("amount"))
        .values_list("member_id", "m", "s")
    )
    for member_id, month, s in rows:
        moves[member_id][month] += q(s)
    out = {}
    for member_id in set(opening) | set(moves):
        bal = opening.get(member_id, ZERO)
        total = ZERO
        for month in range(1, 13):
            bal += moves[member_id][month] if member_id in moves else ZERO
            total += bal
        avg = (total / 12).quantize(Decimal("0.01"))
        if avg:
            out[member_id] = avg
    return out


# --- accounts and passbook ------------------------------------------------------------------


def products(cooperative):
    return SavingsProduct.objects.filter(cooperative=cooperative).order_by("kind", "code")


def accounts_of_member(cooperative, member):
    return (
        SavingsAccount.objects.filter(cooperative=cooperative, member=member)
        .select_related("product")
        .order_by("status", "kind", "number")
    )


def account_get(cooperative, number: str) -> SavingsAccount | None:
    return (
        SavingsAccount.objects.select_related("product", "member")
        .filter(cooperative=cooperative, number=number)
        .first()
    )


def balance_at(account: SavingsAccount, date: dt.date) -> Decimal:
    return (
        SavingsTransaction.objects.filter(
            cooperative_id=account.cooperative_id, account=account, date__lte=date
        ).aggregate(s=Sum("amount"))["s"]
        or ZERO
    ).quantize(ZERO)


def passbook(account: SavingsAccount, *, start: dt.date | None = None, end: dt.date | None = None):
    """(opening balance before ``start``, [transactions with .running balance]) in date order."""
    qs = SavingsTransaction.objects.filter(cooperative_id=account.cooperative_id, account=account)
    opening = ZERO
    if start:
        opening = q(qs.filter(date__lt=start).aggregate(s=Sum("amount"))["s"] or ZERO)
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    rows = list(qs.select_related("receipt", "entry").order_by("date", "id"))
    running = opening
    for tx in rows:
        running += tx.amount
        tx.running = running
    return opening, rows


def member_summary(cooperative, member) -> dict:
    """Balances per kind, arrears and the latest receipts of one member."""
    balances = {k: ZERO for k in Kind.values}
    for kind, s in (
        SavingsAccount.objects.filter(cooperative=cooperative, member=member)
        .values("kind")
        .annotate(s=Sum("balance"))
        .values_list("kind", "s")
    ):
        balances[kind] = q(s or ZERO)
    arrears = arrears_of_member(cooperative, member)
    receipts = list(
        Receipt.objects.filter(cooperative=cooperative, member=member).order_by("-date", "-number")[:10]
    )
    return {
        "balances": balances,
        "total": sum(balances.values(), ZERO),
        "arrears": arrears,
        "receipts": receipts,
    }


def _overdue_before(as_of: dt.date | None) -> dt.date:
    """Dues are in arrears (tunggakan) once their month is over: periods before as_of's month."""

    return (as_of or timezone.localdate()).replace(day=1)


def arrears_of_member(cooperative, member, *, as_of: dt.date | None = None) -> dict:
    agg = Due.objects.filter(
        cooperative=cooperative, member=member, paid__lt=F("amount"), period__lt=_overdue_before(as_of)
    ).aggregate(months=Count("id"), amount=Sum(F("amount") - F("paid")))
    return {"months": agg["months"] or 0, "amount": q(agg["amount"] or ZERO)}


def open_dues(cooperative, member):
    return Due.objects.filter(cooperative=cooperative, member=member, paid__lt=F("amount")).order_by("period")


# --- reports --------------------------------------------------------------------------------


def balances_by_product(cooperative, *, date: dt.date):
    """[(product, accounts with a balance, Σ balance)] at the end of ``date``."""
    rows = dict(
        (pid, (n, q(s or ZERO)))
        for pid, n, s in SavingsTransaction.objects.filter(cooperative=cooperative, date__lte=date)
        .values("account__product_id")
        .annotate(n=Count("account_id", distinct=True), s=Sum("amount"))
        .values_list("account__product_id", "n", "s")
    )
    return [
        (p, rows.get(p.pk, (0, ZERO))[0], rows.get(p.pk, (0, ZERO))[1] or ZERO) for p in products(cooperative)
    ]


def balances_by_member(cooperative, *, date: dt.date, search: str = ""):
    """Queryset-like list of members with their balance per kind at ``date`` (one query)."""

    def at(kind):
        return Sum(
            "savings_accounts__transactions__amount",
            filter=Q(savings_accounts__transactions__date__lte=date, savings_accounts__kind=kind),
        )

    qs = Member.objects.filter(cooperative=cooperative)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(number__icontains=search))
    return qs.annotate(
        pokok=at("pokok"), wajib=at("wajib"), sukarela=at("sukarela"), berjangka=at("berjangka")
    ).order_by("number")


def arrears_list(cooperative, *, min_months: int = 1, as_of: dt.date | None = None):
    """Active members with unpaid wajib dues of months already over: months and amount in arrears."""

    overdue = Q(dues__paid__lt=F("dues__amount"), dues__period__lt=_overdue_before(as_of))
    return (
        Member.objects.filter(cooperative=cooperative, status=Member.Status.AKTIF)
        .annotate(
            months=Count("dues", filter=overdue),
            amount=Sum(F("dues__amount") - F("dues__paid"), filter=overdue),
        )
        .filter(months__gte=min_months)
        .order_by("-months", "number")
    )


def daily_cash(cooperative, *, date: dt.date, cashier=None):
    """Receipts of one day with their cash direction, totals per cashier and overall."""
    qs = (
        Receipt.objects.filter(cooperative=cooperative, date=date)
        .select_related("member", "cashier")
        .order_by("number")
    )
    if cashier is not None:
        qs = qs.filter(cashier=cashier)
    rows = list(qs)
    cash_in = sum((r.amount for r in rows if r.type in ("setoran",)), ZERO)
    cash_out = sum((r.amount for r in rows if r.type in ("penarikan", "penutupan")), ZERO)
    per_cashier = defaultdict(lambda: [ZERO, ZERO])
    for r in rows:
        name = r.cashier.display_name if r.cashier else "—"
        if r.type == "setoran":
            per_cashier[name][0] += r.amount
        elif r.type in ("penarikan", "penutupan"):
            per_cashier[name][1] += r.amount
    return {
        "receipts": rows,
        "cash_in": cash_in,
        "cash_out": cash_out,
        "net": cash_in - cash_out,
        "per_cashier": sorted((k, v[0], v[1], v[0] - v[1]) for k, v in per_cashier.items()),
    }


def runs(cooperative):
    return Run.objects.filter(cooperative=cooperative).order_by("-period", "kind")[:36]


def totals(cooperative) -> dict:
    """Member count and savings total (the staff home widget)."""

    members = Member.objects.filter(cooperative=cooperative, status=Member.Status.AKTIF).count()
    per_kind = dict(
        SavingsAccount.objects.filter(cooperative=cooperative)
        .values("kind")
        .annotate(s=Sum("balance"))
        .values_list("kind", "s")
    )
    per_kind = {k: q(v or ZERO) for k, v in per_kind.items()}
    return {"members": members, "per_kind": per_kind, "total": sum(per_kind.values(), ZERO)}


# --- teller and kuitansi --------------------------------------------------------------------


def teller_default_account(cooperative, member, accounts) -> str | None:
    """The account a teller most likely wants: the member's most used sukarela/wajib account (teller
    deposits and withdrawals), else their sukarela, else wajib, else the first. Simpanan pokok is paid
    once, so it is never the default."""
    usable = [a for a in accounts if a.kind not in (Kind.POKOK, Kind.BERJANGKA)]
    if not usable:
        return accounts[0].number if accounts else None
    used = dict(
        SavingsTransaction.objects.filter(
            cooperative=cooperative, member=member, type__in=("deposit", "withdrawal"), account__in=usable
        )
        .values("account_id")
        .annotate(n=Count("id"))
        .values_list("account_id", "n")
    )
    rank = {Kind.SUKARELA: 0, Kind.WAJIB: 1}
    best = max(usable, key=lambda a: (used.get(a.pk, 0), -rank.get(a.kind, 2)))
    return best.number


def receipt_lines(cooperative, receipt: Receipt, limit: int = 50) -> list:
    """The kuitansi's transactions with account number, product and the balance after each (one query)."""
    after = (
        SavingsTransaction.objects.filter(cooperative=cooperative, account=OuterRef("account"))
        .filter(Q(date__lt=OuterRef("date")) | Q(date=OuterRef("date"), id__lte=OuterRef("id")))
        .values("account")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return list(
        receipt.transactions.filter(cooperative=cooperative)
        .select_related("account__product")
        .annotate(balance_after=Subquery(after, output_field=DecimalField(max_digits=20, decimal_places=2)))
        .order_by("id")[:limit]
    )
