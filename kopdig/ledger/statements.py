"""Financial statements (SAK EP, domain §5) as selectors.

Every balance comes from the month caches plus the lines of the date's own month
(``selectors.net_movements``), never from a scan of the journal; each statement runs a constant
number of queries whatever the number of entries. Period-only reads (cash flow, general
ledger, cash book) read the lines of that period only.

Each statement carries comparative figures beside it, as SAK EP asks: the statement of financial
position compares with the previous book-year end (31 Desember of last year for a calendar book
year); the income statement, cash flow and changes in equity compare with the same period one
year earlier.

    from kopdig.ledger import statements
    statements.statement_totals(coop, date=dt.date(2025, 12, 31))
    # {"total_aset", "total_kewajiban", "total_ekuitas", "pendapatan", "beban", "shu", "kas", ...}

Year-end closing entries (source types in ``CLOSING_SOURCE_TYPES``, posted by the SHU year-end
close to move revenue and expense into SHU tahun berjalan) are left out of the income statement
so that a closed year still shows its revenue and expenses.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Sum
from django.utils.translation import gettext as _

from kopdig.lib.money import ZERO, split

from .models import Account, JournalEntry, JournalLine
from .selectors import money, net_movements

CLOSING_SOURCE_TYPES = frozenset({"shu.close", "shu.closing", "ledger.closing"})
# Opening-balance entries carry balances in, they are not cash flows of their period.
OPENING_SOURCE_TYPES = frozenset({"opening", "demo.opening"})

A, L, E, R, X = (
    Account.Type.ASET,
    Account.Type.KEWAJIBAN,
    Account.Type.EKUITAS,
    Account.Type.PENDAPATAN,
    Account.Type.BEBAN,
)


def one_year_earlier(date: dt.date) -> dt.date:
    try:
        return date.replace(year=date.year - 1)
    except ValueError:  # 29 February
        return date.replace(year=date.year - 1, day=28)


def year_start(date: dt.date, cooperative=None) -> dt.date:
    """First day of the book year containing ``date`` (calendar year unless the cooperative's
    ``book_year_start_month`` says otherwise)."""
    month = getattr(cooperative, "book_year_start_month", 1) or 1
    year = date.year if date.month >= month else date.year - 1
    return dt.date(year, month, 1)


def previous_year_end(date: dt.date, cooperative=None) -> dt.date:
    """The end of the book year before the one containing ``date`` (the balance sheet's comparative)."""
    return year_start(date, cooperative) - dt.timedelta(days=1)


@dataclass
class Row:
    code: str
    name: str
    amount: Decimal = ZERO
    prev: Decimal = ZERO
    kind: str = "account"  # account | group | subtotal | total | note
    level: int = 1


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)
    total: Decimal = ZERO
    prev_total: Decimal = ZERO


class _Chart:
    """All of a cooperative's accounts, loaded once."""

    def __init__(self, cooperative):
        self.accounts = list(Account.objects.filter(cooperative=cooperative).order_by("code"))
        self.by_id = {a.pk: a for a in self.accounts}

    def leaves(self, *types):
        return [a for a in self.accounts if not a.is_group and a.type in types]

    def group_of(self, account):
        parent = self.by_id.get(account.parent_id)
        return parent


def _natural(account, d: Decimal, c: Decimal) -> Decimal:
    """Amount as shown in its statement: assets/expenses debit − credit; others credit − debit.

    Contra accounts (e.g. akumulasi penyusutan under assets) therefore come out negative.
    """
    return (d - c) if account.type in (A, X) else (c - d)


def _closing_adjustment(cooperative, start: dt.date | None, end: dt.date) -> dict[int, tuple]:
    """{account_id: (debit, credit)} of year-end closing entries in [start, end]."""
    # Found through the entries (index on cooperative, source_type), then their lines by entry.
    # Unordered, and the dates filtered here: with a date range or the model's date ordering
    # SQLite's planner takes the (cooperative, date) index and walks every entry of the period
    # (~90 ms for 400k entries, bench/health), while closing entries are one or two a year.
    entries = JournalEntry.objects.filter(
        cooperative=cooperative, source_type__in=CLOSING_SOURCE_TYPES
    ).order_by()
    ids = [
        pk for pk, date in entries.values_list("pk", "date") if date <= end and (not start or date >= start)
    ]
    if not ids:
        return {}
    qs = JournalLine.objects.filter(cooperative=cooperative, entry_id__in=ids)
    return {
        a: (money(d), money(c))
        for a, d, c in qs.values("account_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values_list("account_id", "d", "c")
    }


def _movements_excluding_closing(cooperative, start, end) -> dict[int, tuple]:
    moves = net_movements(cooperative, start=start, end=end)
    for acc, (d, c) in _closing_adjustment(cooperative, start, end).items():
        md, mc = moves.get(acc, (ZERO, ZERO))
        moves[acc] = (md - d, mc - c)
    return moves


# --------------------------------------------------------------------------- trial balance


def trial_balance(cooperative, date: dt.date) -> dict:
    """Neraca saldo at ``date``: per account Σdebit, Σcredit, and the balance in its column."""
    chart = _Chart(cooperative)
    moves = net_movements(cooperative, end=date)
    prev_moves = net_movements(cooperative, end=previous_year_end(date, cooperative))
    rows = []
    tot = defaultdict(lambda: ZERO)
    for acc in chart.accounts:
        if acc.is_group:
            continue
        d, c = moves.get(acc.pk, (ZERO, ZERO))
        pd, pc = prev_moves.get(acc.pk, (ZERO, ZERO))
        if not (d or c or pd or pc):
            continue
        net = d - c
        prev_net = pd - pc
        row = {
            "code": acc.code,
            "name": acc.name,
            "type": acc.type,
            "debit": d,
            "credit": c,
            "saldo_debit": net if net > 0 else ZERO,
            "saldo_kredit": -net if net < 0 else ZERO,
            "prev_saldo_debit": prev_net if prev_net > 0 else ZERO,
            "prev_saldo_kredit": -prev_net if prev_net < 0 else ZERO,
        }
        for k in ("debit", "credit", "saldo_debit", "saldo_kredit", "prev_saldo_debit", "prev_saldo_kredit"):
            tot[k] += row[k]
        rows.append(row)
    return {
        "date": date,
        "prev_date": previous_year_end(date, cooperative),
        "rows": rows,
        "totals": dict(tot),
        "balanced": tot["debit"] == tot["credit"] and tot["saldo_debit"] == tot["saldo_kredit"],
    }


# --------------------------------------------------------------------------- balance sheet


def _position(cooperative, chart: _Chart, date: dt.date) -> dict:
    """Amounts per account at ``date`` plus the SHU figures the balance sheet needs."""
    cum = net_movements(cooperative, end=date)
    ytd = net_movements(cooperative, start=year_start(date, cooperative), end=date)
    amounts = {a.pk: _natural(a, *cum.get(a.pk, (ZERO, ZERO))) for a in chart.accounts if not a.is_group}
    pl_cum = sum((amounts[a.pk] * (1 if a.type == R else -1) for a in chart.leaves(R, X)), ZERO)
    pl_ytd = sum(
        (_natural(a, *ytd.get(a.pk, (ZERO, ZERO))) * (1 if a.type == R else -1) for a in chart.leaves(R, X)),
        ZERO,
    )
    shu_acc = next((a for a in chart.accounts if a.system_key == "shu_tahun_berjalan"), None)
    shu_account_balance = amounts.get(shu_acc.pk, ZERO) if shu_acc else ZERO
    return {
        "amounts": amounts,
        "shu_tahun_berjalan": pl_ytd + shu_account_balance,
        "shu_lalu_belum_ditutup": pl_cum - pl_ytd,
        "shu_account_id": shu_acc.pk if shu_acc else None,
    }


def _grouped_section(title, chart: _Chart, types, cur: dict, prev: dict, exclude=()) -> Section:
    section = Section(title)
    groups: dict = {}
    for acc in chart.leaves(*types):
        if acc.pk in exclude:
            continue
        a, p = cur.get(acc.pk, ZERO), prev.get(acc.pk, ZERO)
        if not (a or p):
            continue
        group = chart.group_of(acc)
        groups.setdefault(group.pk if group else None, (group, []))[1].append(Row(acc.code, acc.name, a, p))
    for _key, (group, rows) in sorted(groups.items(), key=lambda kv: kv[1][0].code if kv[1][0] else "~"):
        if group is not None and len(group.code) > 1:
            section.rows.append(Row(group.code, group.name, kind="group", level=0))
        section.rows.extend(rows)
        if group is not None and len(group.code) > 1:
            section.rows.append(
                Row(
                    "",
                    _("Jumlah %(name)s") % {"name": group.name},
                    sum((r.amount for r in rows), ZERO),
                    sum((r.prev for r in rows), ZERO),
                    kind="subtotal",
                    level=0,
                )
            )
        section.total += sum((r.amount for r in rows), ZERO)
        section.prev_total += sum((r.prev for r in rows), ZERO)
    return section


def balance_sheet(cooperative, date: dt.date) -> dict:
    """Laporan Posisi Keuangan at ``date`` beside the previous book-year end: assets by liquidity (code order: current before
    non-current), liabilities by maturity (short before long term), equity with the current
    year's result as SHU tahun berjalan (revenue − expense of the book year to date plus the
    SHU tahun berjalan account)."""
    chart = _Chart(cooperative)
    prev_date = previous_year_end(date, cooperative)
    cur, prev = _position(cooperative, chart, date), _position(cooperative, chart, prev_date)
    assets = _grouped_section(_("ASET"), chart, [A], cur["amounts"], prev["amounts"])
    liabilities = _grouped_section(_("KEWAJIBAN"), chart, [L], cur["amounts"], prev["amounts"])
    exclude = {cur["shu_account_id"]} if cur["shu_account_id"] else set()
    equity = _grouped_section(_("EKUITAS"), chart, [E], cur["amounts"], prev["amounts"], exclude=exclude)
    equity.rows = [r for r in equity.rows if r.kind == "account"]
    shu_rows = [Row("", _("SHU tahun berjalan"), cur["shu_tahun_berjalan"], prev["shu_tahun_berjalan"])]
    if cur["shu_lalu_belum_ditutup"] or prev["shu_lalu_belum_ditutup"]:
        shu_rows.append(
            Row(
                "",
                _("SHU tahun lalu yang belum ditutup"),
                cur["shu_lalu_belum_ditutup"],
                prev["shu_lalu_belum_ditutup"],
            )
        )
    for r in shu_rows:
        equity.rows.append(r)
        equity.total += r.amount
        equity.prev_total += r.prev
    return {
        "date": date,
        "prev_date": prev_date,
        "assets": assets,
        "liabilities": liabilities,
        "equity": equity,
        "total_liabilities_equity": liabilities.total + equity.total,
        "prev_total_liabilities_equity": liabilities.prev_total + equity.prev_total,
        "balanced": assets.total == liabilities.total + equity.total
        and assets.prev_total == liabilities.prev_total + equity.prev_total,
    }


# --------------------------------------------------------------------------- income statement


def _pl_amounts(cooperative, chart, start, end) -> dict[int, Decimal]:
    moves = _movements_excluding_closing(cooperative, start, end)
    return {a.pk: _natural(a, *moves.get(a.pk, (ZERO, ZERO))) for a in chart.leaves(R, X)}


def income_statement(cooperative, start: dt.date, end: dt.date) -> dict:
    """Laporan Perhitungan Hasil Usaha for [start, end], revenue split by participation
    (anggota / non-anggota / other), with the same period one year earlier."""
    chart = _Chart(cooperative)
    pstart, pend = one_year_earlier(start), one_year_earlier(end)
    cur, prev = _pl_amounts(cooperative, chart, start, end), _pl_amounts(cooperative, chart, pstart, pend)

    revenue_sections = []
    labels = [
        (Account.Participation.ANGGOTA, _("Pendapatan dari partisipasi anggota")),
        (Account.Participation.NON_ANGGOTA, _("Pendapatan dari non-anggota")),
        (Account.Participation.NONE, _("Pendapatan lain")),
    ]
    for part, title in labels:
        sec = Section(title)
        for acc in chart.leaves(R):
            if acc.participation != part:
                continue
            a, p = cur[acc.pk], prev[acc.pk]
            if a or p:
                sec.rows.append(Row(acc.code, acc.name, a, p))
                sec.total += a
                sec.prev_total += p
        if sec.rows or part != Account.Participation.NONE:
            revenue_sections.append(sec)
    tax_ids = {a.pk for a in chart.leaves(X) if a.system_key == "beban_pajak"}
    expenses = _grouped_section(_("BEBAN"), chart, [X], cur, prev, exclude=tax_ids)
    tax = Section(_("Pajak penghasilan"))
    for acc in chart.leaves(X):
        if acc.pk in tax_ids and (cur[acc.pk] or prev[acc.pk]):
            tax.rows.append(Row(acc.code, acc.name, cur[acc.pk], prev[acc.pk]))
            tax.total += cur[acc.pk]
            tax.prev_total += prev[acc.pk]
    revenue = sum((s.total for s in revenue_sections), ZERO)
    prev_revenue = sum((s.prev_total for s in revenue_sections), ZERO)
    before_tax = revenue - expenses.total
    prev_before_tax = prev_revenue - expenses.prev_total
    return {
        "start": start,
        "end": end,
        "prev_start": pstart,
        "prev_end": pend,
        "revenue_sections": revenue_sections,
        "revenue": revenue,
        "prev_revenue": prev_revenue,
        "revenue_anggota": revenue_sections[0].total,
        "revenue_non_anggota": revenue_sections[1].total,
        "prev_revenue_anggota": revenue_sections[0].prev_total,
        "prev_revenue_non_anggota": revenue_sections[1].prev_total,
        "expenses": expenses,
        "tax": tax,
        "expense_total": expenses.total + tax.total,
        "prev_expense_total": expenses.prev_total + tax.prev_total,
        "shu_before_tax": before_tax,
        "prev_shu_before_tax": prev_before_tax,
        "shu": before_tax - tax.total,
        "prev_shu": prev_before_tax - tax.prev_total,
    }


# --------------------------------------------------------------------------- changes in equity


def _equity_components(cooperative, chart, start, end) -> list[dict]:
    before = start - dt.timedelta(days=1)
    open_moves = net_movements(cooperative, end=before)
    period = net_movements(cooperative, start=start, end=end)
    pl_period = _pl_amounts(cooperative, chart, start, end)
    shu_acc = next((a for a in chart.accounts if a.system_key == "shu_tahun_berjalan"), None)
    rows = []
    for acc in chart.leaves(E):
        if shu_acc and acc.pk == shu_acc.pk:
            continue
        od, oc = open_moves.get(acc.pk, (ZERO, ZERO))
        d, c = period.get(acc.pk, (ZERO, ZERO))
        rows.append(
            {
                "code": acc.code,
                "name": acc.name,
                "opening": oc - od,
                "increase": c,
                "decrease": d,
                "closing": oc - od + c - d,
            }
        )

    # SHU: the SHU tahun berjalan account plus every revenue/expense balance not yet closed.
    def shu_at(moves):
        total = ZERO
        for acc in chart.leaves(R, X):
            n = _natural(acc, *moves.get(acc.pk, (ZERO, ZERO)))
            total += n if acc.type == R else -n
        if shu_acc:
            d, c = moves.get(shu_acc.pk, (ZERO, ZERO))
            total += c - d
        return total

    close_moves = {
        k: (
            open_moves.get(k, (ZERO, ZERO))[0] + period.get(k, (ZERO, ZERO))[0],
            open_moves.get(k, (ZERO, ZERO))[1] + period.get(k, (ZERO, ZERO))[1],
        )
        for k in set(open_moves) | set(period)
    }
    opening, closing = shu_at(open_moves), shu_at(close_moves)
    result = sum((v if chart.by_id[k].type == R else -v for k, v in pl_period.items()), ZERO)
    rows.append(
        {
            "code": shu_acc.code if shu_acc else "",
            "name": _("SHU tahun berjalan / belum dibagi"),
            "opening": opening,
            "increase": result,
            "decrease": opening + result - closing,
            "closing": closing,
        }
    )
    return [r for r in rows if any(r[k] for k in ("opening", "increase", "decrease", "closing"))]


def equity_changes(cooperative, start: dt.date, end: dt.date) -> dict:
    """Laporan Perubahan Ekuitas for [start, end]: per component opening, increases, decreases,
    closing (the SHU component's increase is the period's SHU), with the previous year's."""
    chart = _Chart(cooperative)
    rows = _equity_components(cooperative, chart, start, end)
    prev_rows = _equity_components(cooperative, chart, one_year_earlier(start), one_year_earlier(end))

    def totals(rs):
        return {k: sum((r[k] for r in rs), ZERO) for k in ("opening", "increase", "decrease", "closing")}

    return {
        "start": start,
        "end": end,
        "prev_start": one_year_earlier(start),
        "prev_end": one_year_earlier(end),
        "rows": rows,
        "totals": totals(rows),
        "prev_rows": prev_rows,
        "prev_totals": totals(prev_rows),
    }


# --------------------------------------------------------------------------- cash flow


def _cash_flow_lines(cooperative, chart, start, end) -> dict:
    """({(category, account_id): [inflow, outflow]}, cash of opening entries) for [start, end].

    Each entry's net cash movement is attributed to its counter-lines on the opposite side
    (the lines the cash came from or went to), pro rata to their amounts with an exact split.
    Lines on the same side as the cash net against it (e.g. a fee withheld from a disbursement).
    """
    cash_ids = {a.pk for a in chart.accounts if a.is_cash}
    entry_ids = JournalLine.objects.filter(
        cooperative=cooperative, date__gte=start, date__lte=end, account_id__in=cash_ids
    ).values("entry_id")
    lines = (
        JournalLine.objects.filter(cooperative=cooperative, entry_id__in=entry_ids)
        .order_by("entry_id", "id")
        .values_list("entry_id", "entry__source_type", "account_id", "debit", "credit")
    )
    flows: dict = defaultdict(lambda: [ZERO, ZERO])
    by_entry: dict = defaultdict(list)
    opening_types = {}
    for entry_id, source_type, acc, d, c in lines:
        by_entry[entry_id].append((acc, d, c))
        opening_types[entry_id] = source_type in OPENING_SOURCE_TYPES
    opening_cash = ZERO
    for entry_id, entry_lines in by_entry.items():
        net = sum((d - c for acc, d, c in entry_lines if acc in cash_ids), ZERO)
        if not net:
            continue
        if opening_types[entry_id]:
            opening_cash += net
            continue
        # Cash in (net > 0): the credited counter-lines are its sources; cash out: the debited ones.
        counters = [
            (acc, c if net > 0 else d)
            for acc, d, c in entry_lines
            if acc not in cash_ids and (c if net > 0 else d) > 0
        ]
        parts = split(abs(net), [w for _acc, w in counters])
        for (acc, _w), part in zip(counters, parts, strict=True):
            key = (chart.by_id[acc].cash_flow, acc)
            flows[key][0 if net > 0 else 1] += part
    return flows, opening_cash


def cash_flow(cooperative, start: dt.date, end: dt.date) -> dict:
    """Laporan Arus Kas (direct method) for [start, end], with the previous year's period."""
    chart = _Chart(cooperative)
    cash_ids = [a.pk for a in chart.accounts if a.is_cash]
    pstart, pend = one_year_earlier(start), one_year_earlier(end)

    def cash_at(date):
        moves = net_movements(cooperative, end=date, account_ids=cash_ids)
        return sum((d - c for d, c in moves.values()), ZERO)

    cur, cur_opening = _cash_flow_lines(cooperative, chart, start, end)
    prev, prev_opening_in = _cash_flow_lines(cooperative, chart, pstart, pend)
    categories = [
        (Account.CashFlow.OPERASI, _("Arus kas dari aktivitas operasi")),
        (Account.CashFlow.INVESTASI, _("Arus kas dari aktivitas investasi")),
        (Account.CashFlow.PENDANAAN, _("Arus kas dari aktivitas pendanaan")),
    ]
    sections = []
    for cat, title in categories:
        sec = Section(title)
        for acc in chart.accounts:
            a_in, a_out = cur.get((cat, acc.pk), (ZERO, ZERO))
            p_in, p_out = prev.get((cat, acc.pk), (ZERO, ZERO))
            if a_in or p_in:
                sec.rows.append(Row(acc.code, _("Penerimaan: %(name)s") % {"name": acc.name}, a_in, p_in))
            if a_out or p_out:
                sec.rows.append(Row(acc.code, _("Pembayaran: %(name)s") % {"name": acc.name}, -a_out, -p_out))
        sec.total = sum((r.amount for r in sec.rows), ZERO)
        sec.prev_total = sum((r.prev for r in sec.rows), ZERO)
        sections.append(sec)
    # Opening balances posted inside the period count as cash at its start.
    opening = cash_at(start - dt.timedelta(days=1)) + cur_opening
    prev_opening = cash_at(pstart - dt.timedelta(days=1)) + prev_opening_in
    closing, prev_closing = cash_at(end), cash_at(pend)
    net = sum((s.total for s in sections), ZERO)
    prev_net = sum((s.prev_total for s in sections), ZERO)
    return {
        "start": start,
        "end": end,
        "prev_start": pstart,
        "prev_end": pend,
        "sections": sections,
        "net": net,
        "prev_net": prev_net,
        "opening": opening,
        "prev_opening": prev_opening,
        "closing": closing,
        "prev_closing": prev_closing,
        "reconciled": opening + net == closing and prev_opening + prev_net == prev_closing,
    }


# --------------------------------------------------------------------------- ledgers


def _ledger(cooperative, account_ids, sign, start, end, page, per_page) -> dict:
    before = start - dt.timedelta(days=1)
    moves = net_movements(cooperative, end=before, account_ids=account_ids)
    opening = sum(((d - c) * sign for d, c in moves.values()), ZERO)
    qs = (
        JournalLine.objects.filter(
            cooperative=cooperative, account_id__in=account_ids, date__gte=start, date__lte=end
        )
        .select_related("entry", "account")
        .order_by("date", "entry_id", "id")
    )
    paginator = Paginator(qs, per_page)
    page_obj = paginator.get_page(page)
    offset = (page_obj.number - 1) * per_page
    carried = opening
    if offset:
        agg = JournalLine.objects.filter(pk__in=qs[:offset].values("pk")).aggregate(
            d=Sum("debit"), c=Sum("credit")
        )
        carried += (money(agg["d"]) - money(agg["c"])) * sign
    rows = []
    balance = carried
    for ln in page_obj.object_list:
        balance += (ln.debit - ln.credit) * sign
        rows.append(
            {
                "date": ln.date,
                "number": ln.entry.number,
                "memo": ln.memo or ln.entry.memo,
                "account_code": ln.account.code,
                "account_name": ln.account.name,
                "source_type": ln.entry.source_type,
                "source_ref": ln.entry.source_ref,
                "debit": ln.debit,
                "credit": ln.credit,
                "balance": balance,
            }
        )
    totals = qs.order_by().aggregate(d=Sum("debit"), c=Sum("credit"))
    td, tc = money(totals["d"]), money(totals["c"])
    return {
        "start": start,
        "end": end,
        "opening": opening,
        "carried": carried,
        "rows": rows,
        "page": page_obj,
        "total_debit": td,
        "total_credit": tc,
        "closing": opening + (td - tc) * sign,
    }


def general_ledger(cooperative, account: Account, start: dt.date, end: dt.date, page=1, per_page=50) -> dict:
    """Buku besar of one account for [start, end]: opening balance from the caches, lines with a
    running balance on the account's normal side, paginated."""
    out = _ledger(cooperative, [account.pk], account.sign, start, end, page, per_page)
    out["account"] = account
    return out


def cash_book(cooperative, start: dt.date, end: dt.date, account: Account | None = None, page=1, per_page=50):
    """Buku kas: the lines of the cash and bank accounts (or one of them) with a running balance."""
    if account is not None:
        ids = [account.pk]
    else:
        ids = list(Account.objects.filter(cooperative=cooperative, is_cash=True).values_list("pk", flat=True))
    out = _ledger(cooperative, ids, 1, start, end, page, per_page)
    out["account"] = account
    return out


# --------------------------------------------------------------------------- totals for others


def statement_totals(cooperative, date: dt.date, start: dt.date | None = None) -> dict:
    """Headline figures for other modules (Dinas reports, dashboards), in a constant number of
    queries: balances at ``date`` and the income statement for [start, date] (start defaults
    to the first day of the book year, normally 1 January). Closing entries are left out of pendapatan/beban/shu.

    Keys: total_aset, total_kewajiban, total_ekuitas, kas, pendapatan, pendapatan_anggota,
    pendapatan_non_anggota, beban, shu.
    """
    start = start or year_start(date, cooperative)
    chart = _Chart(cooperative)
    pos = _position(cooperative, chart, date)
    amounts = pos["amounts"]
    pl = _pl_amounts(cooperative, chart, start, date)
    revenue = [a for a in chart.leaves(R)]
    pendapatan = sum((pl[a.pk] for a in revenue), ZERO)
    beban = sum((pl[a.pk] for a in chart.leaves(X)), ZERO)
    return {
        "date": date,
        "start": start,
        "total_aset": sum((amounts[a.pk] for a in chart.leaves(A)), ZERO),
        "total_kewajiban": sum((amounts[a.pk] for a in chart.leaves(L)), ZERO),
        "total_ekuitas": sum((amounts[a.pk] for a in chart.leaves(E)), ZERO)
        + pos["shu_tahun_berjalan"]
        - amounts.get(pos["shu_account_id"], ZERO)
        + pos["shu_lalu_belum_ditutup"],
        "kas": sum((amounts[a.pk] for a in chart.accounts if a.is_cash and not a.is_group), ZERO),
        "pendapatan": pendapatan,
        "pendapatan_anggota": sum(
            (pl[a.pk] for a in revenue if a.participation == Account.Participation.ANGGOTA), ZERO
        ),
        "pendapatan_non_anggota": sum(
            (pl[a.pk] for a in revenue if a.participation == Account.Participation.NON_ANGGOTA), ZERO
        ),
        "beban": beban,
        "shu": pendapatan - beban,
    }


def entries_page(cooperative, *, start=None, end=None, search="", source_type="", page=1, per_page=50):
    """Journal list (entries, newest first) for the journal page."""
    qs = JournalEntry.objects.filter(cooperative=cooperative).select_related("posted_by")
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if search:
        from django.db.models import Q

        qs = qs.filter(
            Q(number__icontains=search) | Q(memo__icontains=search) | Q(source_ref__icontains=search)
        )
    if source_type:
        qs = qs.filter(source_type=source_type)
    return Paginator(qs.order_by("-date", "-number"), per_page).get_page(page)
