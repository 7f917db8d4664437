"""SHU reads: the year's figures from the books, the members' bases, the simulation.

The savings and loans modules are imported lazily (inside functions) so that this app loads
without them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from kopdig.ledger.models import Account
from kopdig.ledger.selectors import net_movements
from kopdig.lib.money import ZERO, D, q
from kopdig.loans import selectors as loans
from kopdig.members.models import Member
from kopdig.savings import selectors as savings
from kopdig.usaha import selectors as usaha_selectors

from . import engine
from .models import MemberVolume, ShuAllocationLine, ShuMemberShare, ShuYear


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass
class BookFigures:
    revenue: Decimal
    revenue_non_member: Decimal
    expense: Decimal

    @property
    def shu(self) -> Decimal:
        return self.revenue - self.expense


def income_expense_movements(cooperative, start: dt.date, end: dt.date) -> list[tuple]:
    """[(account, debit, credit)] of every pendapatan and beban account with postings in [start, end]."""

    accounts = {
        a.pk: a
        for a in Account.objects.filter(
            cooperative=cooperative, type__in=[Account.Type.PENDAPATAN, Account.Type.BEBAN], is_group=False
        )
    }
    moves = net_movements(cooperative, start=start, end=end, account_ids=list(accounts))
    return [(accounts[pk], d, c) for pk, (d, c) in sorted(moves.items(), key=lambda kv: accounts[kv[0]].code)]


def book_figures(cooperative, year: int, shu_year: ShuYear | None = None) -> BookFigures:
    """The year's revenue (and its non-member part) and expense: frozen at close, else live from the books."""
    if shu_year is not None and shu_year.closing_entry_id is not None and shu_year.book_shu is not None:
        revenue = shu_year.book_revenue or ZERO
        return BookFigures(revenue, shu_year.book_revenue_non_member or ZERO, revenue - shu_year.book_shu)

    start, end = year_bounds(year)
    revenue = revenue_nm = expense = ZERO
    for account, d, c in income_expense_movements(cooperative, start, end):
        if account.type == Account.Type.PENDAPATAN:
            revenue += c - d
            if account.participation == Account.Participation.NON_ANGGOTA:
                revenue_nm += c - d
        else:
            expense += d - c
    return BookFigures(revenue, revenue_nm, expense)


def shu_year_get(cooperative, year: int) -> ShuYear | None:
    return ShuYear.objects.filter(cooperative=cooperative, year=year).first()


def allocation_lines(
    shu_year: ShuYear | None, pool: str = ShuAllocationLine.Pool.ANGGOTA
) -> list[engine.AllocLine]:
    if shu_year is None or shu_year.pk is None:
        return (
            engine.default_lines()
            if pool == ShuAllocationLine.Pool.ANGGOTA
            else engine.default_non_member_lines()
        )
    rows = [ln for ln in shu_year.lines.all() if ln.pool == pool]
    if not rows:
        return (
            engine.default_lines()
            if pool == ShuAllocationLine.Pool.ANGGOTA
            else engine.default_non_member_lines()
        )
    return [engine.AllocLine(ln.name, ln.percent, ln.role, ln.account_key, ln.amount or ZERO) for ln in rows]


def eligible_members(cooperative, year: int) -> dict[int, tuple]:
    """{member_id: (number, name, status, left_on)} of everyone who was a member at some time in the year."""

    start, end = year_bounds(year)
    rows = (
        Member.objects.filter(cooperative=cooperative, joined_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .exclude(status=Member.Status.CALON)
        .values_list("id", "number", "name", "status", "left_on")
    )
    return {pk: (number, name, status, left_on) for pk, number, name, status, left_on in rows}


def simpanan_basis(cooperative, shu_year: ShuYear) -> dict[int, Decimal]:
    """{member_id: simpanan} for jasa modal (kinds and average/year-end as set)."""

    kinds = shu_year.kinds or ("pokok", "wajib")
    if shu_year.simpanan_basis == ShuYear.SimpananBasis.YEAR_END:
        return savings.simpanan_by_member(cooperative, date=dt.date(shu_year.year, 12, 31), kinds=kinds)
    return savings.simpanan_average_by_member(cooperative, year=shu_year.year, kinds=kinds)


def jasa_basis(cooperative, year: int) -> dict[int, Decimal]:
    start, end = year_bounds(year)
    return loans.jasa_paid_by_member(cooperative, start, end)


def volume_basis(cooperative, year: int, kinds=()) -> dict[int, Decimal]:
    qs = MemberVolume.objects.filter(cooperative=cooperative, year=year)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return {m: a for m, a in qs.values("member_id").annotate(a=Sum("amount")).values_list("member_id", "a")}


def transaksi_basis(cooperative, shu_year: ShuYear):
    """A {member_id: amount} dict, or [(weight, dict), …] for a weighted mix."""
    T = ShuYear.TransaksiBasis
    if shu_year.transaksi_basis == T.VOLUME:
        return volume_basis(cooperative, shu_year.year, shu_year.volume_kind_list)
    if shu_year.transaksi_basis == T.USAHA:
        return usaha_selectors.member_transaksi(cooperative, shu_year.year)
    if shu_year.transaksi_basis == T.MIX:
        w = D(shu_year.jasa_weight)
        return [
            (w, jasa_basis(cooperative, shu_year.year)),
            (Decimal(100) - w, volume_basis(cooperative, shu_year.year, shu_year.volume_kind_list)),
        ]
    return jasa_basis(cooperative, shu_year.year)


@dataclass
class Simulation:
    shu_year: ShuYear
    books: BookFigures
    result: engine.Result
    members: dict[str, tuple]  # number -> (member_id, name, status, left_on)

    def rows(self):
        for m in self.result.members:
            member_id, name, status, left_on = self.members[m.key]
            yield m, name, status, left_on


def _keyed(basis, members_by_id):
    return {members_by_id[mid][0]: v for mid, v in basis.items() if mid in members_by_id and v}


def simulate(
    cooperative,
    shu_year: ShuYear,
    *,
    lines=None,
    non_member_lines=None,
    shu_override=None,
    tax_percent=None,
    simpanan=None,
    transaksi=None,
) -> Simulation:
    """Simulate the year's SHU with the year's settings, or with the given (unsaved) overrides.

    ``simpanan``/``transaksi`` ({member_id: amount}) may be passed to reuse bases already read.
    """
    books = book_figures(cooperative, shu_year.year, shu_year)
    if shu_override is None:
        shu_override = shu_year.shu_override
    shu = D(shu_override) if shu_override is not None else books.shu
    lines = lines if lines is not None else allocation_lines(shu_year)
    non_member_shu = ZERO
    nm_lines = []
    if shu_year.separate_non_member and books.revenue > 0 and books.revenue_non_member > 0:
        non_member_shu = max(ZERO, q(shu * books.revenue_non_member / books.revenue))
        nm_lines = (
            non_member_lines
            if non_member_lines is not None
            else allocation_lines(shu_year, ShuAllocationLine.Pool.NON_ANGGOTA)
        )
    members_by_id = eligible_members(cooperative, shu_year.year)
    simpanan = simpanan if simpanan is not None else simpanan_basis(cooperative, shu_year)
    transaksi = transaksi if transaksi is not None else transaksi_basis(cooperative, shu_year)
    s = _keyed(simpanan, members_by_id)
    t = (
        _keyed(transaksi, members_by_id)
        if isinstance(transaksi, dict)
        else [(w, _keyed(b, members_by_id)) for w, b in transaksi]
    )
    result = engine.simulate(
        shu=shu,
        lines=lines,
        simpanan=s,
        transaksi=t,
        non_member_shu=non_member_shu,
        non_member_lines=nm_lines,
        tax_percent=tax_percent if tax_percent is not None else shu_year.tax_percent,
    )
    by_number = {
        number: (mid, name, status, left_on) for mid, (number, name, status, left_on) in members_by_id.items()
    }
    return Simulation(shu_year, books, result, by_number)


def shares_list(cooperative, shu_year: ShuYear):
    return (
        ShuMemberShare.objects.filter(cooperative=cooperative, shu_year=shu_year)
        .select_related("member")
        .order_by("member__number")
    )


def share_totals(cooperative, shu_year: ShuYear) -> dict:
    agg = ShuMemberShare.objects.filter(cooperative=cooperative, shu_year=shu_year).aggregate(
        jm=Sum("jm"),
        ju=Sum("ju"),
        total=Sum("total"),
        tax=Sum("tax"),
        net=Sum("net"),
    )
    return {k: v or ZERO for k, v in agg.items()}


def status_counts(cooperative, shu_year: ShuYear) -> dict:
    rows = (
        ShuMemberShare.objects.filter(cooperative=cooperative, shu_year=shu_year)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return dict(rows)


def member_shares(cooperative, member) -> list[ShuMemberShare]:
    """A member's approved SHU shares, newest year first (for the member's page)."""
    return list(
        ShuMemberShare.objects.filter(cooperative=cooperative, member=member)
        .select_related("shu_year")
        .order_by("-shu_year__year")
    )
