"""Ledger API: chart of accounts, manual journal entries, reversal, statements.

Amounts are decimal strings ("1500000.00"), never JSON numbers. POSTs accept an
``Idempotency-Key`` header: a retry with the same key and body returns the first answer
without posting again; the same key with another body answers 422.

A manual entry whose total exceeds the cooperative's approval threshold is not posted: it
becomes a draft waiting for a second pengurus/manajer (202 with the draft number).
"""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from kopdig.api.common import (
    Choice,
    EventDate,
    Limit,
    Money,
    Offset,
    QueryDate,
    Text,
    api_coop,
    event_dates,
    page,
    responses,
)
from kopdig.api.idempotency import run_once
from kopdig.lib.errors import DomainError
from kopdig.tenancy.access import APPROVERS, READERS, STAFF

from . import actions, statements
from .models import Account, JournalDraft, JournalEntry
from .posting import Line

router = Router(tags=["ledger"])
D0 = Decimal("0")
MAX_LINES = 200


def _money(value) -> str:
    return f"{value:.2f}"


class LedgerAccountOut(Schema):
    code: str
    name: str
    type: Choice(Account.Type.values)
    normal_side: Choice(Account.Side.values)
    parent: str | None
    is_group: bool
    is_cash: bool
    cash_flow: str
    participation: str
    system_key: str
    closed: bool


class LedgerAccountList(Schema):
    items: list[LedgerAccountOut]
    count: int


def _account_out(a: Account) -> dict:
    return {
        "code": a.code,
        "name": a.name,
        "type": a.type,
        "normal_side": a.normal_side,
        "parent": a.parent.code if a.parent_id else None,
        "is_group": a.is_group,
        "is_cash": a.is_cash,
        "cash_flow": a.cash_flow,
        "participation": a.participation,
        "system_key": a.system_key,
        "closed": a.closed,
    }


@router.get("/coops/{slug}/accounts", response=responses(LedgerAccountList))
def accounts(request, slug: str, limit: Limit = 500, offset: Offset = 0):
    """The cooperative's chart of accounts (readers and the Dinas): ``{"items", "count"}``."""
    access = api_coop(request, slug, READERS, dinas_read=True)
    qs = Account.objects.filter(cooperative=access.cooperative).select_related("parent").order_by("code")
    return page(qs, limit, offset, _account_out)


class JournalLineIn(Schema):
    account: Text(20, min_length=1)
    debit: Money = D0
    credit: Money = D0
    memo: Text(255) = ""


class JournalEntryIn(Schema):
    date: EventDate
    memo: Text(255, min_length=1)
    lines: list[JournalLineIn] = Field(max_length=MAX_LINES)


class JournalReverseIn(Schema):
    date: EventDate | None = None
    memo: Text(255) = ""


class JournalLineOut(Schema):
    account: str
    name: str
    debit: str
    credit: str
    memo: str


class JournalEntryOut(Schema):
    number: str
    date: str
    memo: str
    total: str
    source_type: str
    source_ref: str
    reversal_of: str | None
    lines: list[JournalLineOut]


class JournalDraftOut(Schema):
    status: str
    draft: str
    date: str
    memo: str
    total: str
    lines: list[JournalLineOut]


def entry_out(entry: JournalEntry) -> dict:
    return {
        "number": entry.number,
        "date": entry.date.isoformat(),
        "memo": entry.memo,
        "total": _money(entry.total),
        "source_type": entry.source_type,
        "source_ref": entry.source_ref,
        "reversal_of": entry.reversal_of.number if entry.reversal_of_id else None,
        "lines": [
            {
                "account": ln.account.code,
                "name": ln.account.name,
                "debit": _money(ln.debit),
                "credit": _money(ln.credit),
                "memo": ln.memo,
            }
            for ln in entry.lines.select_related("account").order_by("id")
        ],
    }


def draft_out(draft: JournalDraft) -> dict:
    return {
        "status": "pending_approval",
        "draft": draft.number,
        "date": draft.date.isoformat(),
        "memo": draft.memo,
        "total": _money(draft.total),
        "lines": [
            {
                "account": ln.account.code,
                "name": ln.account.name,
                "debit": _money(ln.debit),
                "credit": _money(ln.credit),
                "memo": ln.memo,
            }
            for ln in draft.lines.select_related("account").order_by("id")
        ],
    }


@router.post("/coops/{slug}/journal", response=responses({201: JournalEntryOut, 202: JournalDraftOut}, 409))
def journal_post(request, slug: str, data: JournalEntryIn):
    """Post a manual journal entry (pengurus, manajer, kasir). 201 with the entry; 202 with a
    draft when the total exceeds the approval threshold."""
    access = api_coop(request, slug, STAFF)
    coop = access.cooperative
    event_dates(coop, date=data.date)
    lines = [Line(ln.account, debit=ln.debit, credit=ln.credit, memo=ln.memo) for ln in data.lines]

    def do():
        result = actions.journal_manual_submit(
            actor=request.user, cooperative=coop, date=data.date, memo=data.memo, lines=lines
        )
        if isinstance(result, JournalDraft):
            return 202, draft_out(result)
        return 201, entry_out(result)

    status, payload = run_once(
        user=request.user,
        cooperative=coop,
        endpoint="POST /coops/{slug}/journal",
        key=request.headers.get("Idempotency-Key"),
        body=data.dict(),
        fn=do,
    )
    return Status(status, payload)


@router.post("/coops/{slug}/journal/{number}/reverse", response=responses({201: JournalEntryOut}, 409))
def journal_reverse(request, slug: str, number: str, data: JournalReverseIn | None = None):
    """Reverse a posted entry with a mirror entry (pengurus, manajer)."""
    access = api_coop(request, slug, APPROVERS)
    coop = access.cooperative
    data = data or JournalReverseIn()
    event_dates(coop, date=data.date)
    if not JournalEntry.objects.filter(cooperative=coop, number=number).exists():
        raise Http404

    def do():
        rev = actions.journal_entry_reverse(
            actor=request.user, cooperative=coop, number=number, date=data.date, memo=data.memo
        )
        return 201, entry_out(rev)

    status, payload = run_once(
        user=request.user,
        cooperative=coop,
        endpoint=f"POST /coops/{{slug}}/journal/{number}/reverse",
        key=request.headers.get("Idempotency-Key"),
        body=data.dict(),
        fn=do,
    )
    return Status(status, payload)


class DateQuery(Schema):
    date: QueryDate | None = None


class PeriodQuery(Schema):
    start: QueryDate | None = None
    end: QueryDate | None = None


def _today():
    return timezone.localdate()


def _row(r) -> dict:
    return {
        "code": r.code,
        "name": r.name,
        "kind": r.kind,
        "amount": _money(r.amount),
        "previous": _money(r.prev),
    }


def _section(sec) -> dict:
    return {
        "title": sec.title,
        "rows": [_row(r) for r in sec.rows if r.kind != "group"],
        "total": _money(sec.total),
        "previous_total": _money(sec.prev_total),
    }


@router.get("/coops/{slug}/reports/trial-balance", response=responses(dict))
def trial_balance(request, slug: str, q: Query[DateQuery]):
    """Neraca saldo at ``date`` (default today)."""
    access = api_coop(request, slug, READERS, dinas_read=True)
    tb = statements.trial_balance(access.cooperative, q.date or _today())
    keys = ("debit", "credit", "saldo_debit", "saldo_kredit", "prev_saldo_debit", "prev_saldo_kredit")
    return {
        "date": tb["date"].isoformat(),
        "previous_date": tb["prev_date"].isoformat(),
        "balanced": tb["balanced"],
        "rows": [
            {"code": r["code"], "name": r["name"], "type": r["type"], **{k: _money(r[k]) for k in keys}}
            for r in tb["rows"]
        ],
        "totals": {k: _money(tb["totals"].get(k, 0)) for k in keys},
    }


@router.get("/coops/{slug}/reports/balance-sheet", response=responses(dict))
def balance_sheet(request, slug: str, q: Query[DateQuery]):
    """Laporan Posisi Keuangan at ``date`` with the previous year's figures."""
    access = api_coop(request, slug, READERS, dinas_read=True)
    bs = statements.balance_sheet(access.cooperative, q.date or _today())
    return {
        "date": bs["date"].isoformat(),
        "previous_date": bs["prev_date"].isoformat(),
        "balanced": bs["balanced"],
        "assets": _section(bs["assets"]),
        "liabilities": _section(bs["liabilities"]),
        "equity": _section(bs["equity"]),
        "total_liabilities_equity": _money(bs["total_liabilities_equity"]),
        "previous_total_liabilities_equity": _money(bs["prev_total_liabilities_equity"]),
    }


@router.get("/coops/{slug}/reports/income-statement", response=responses(dict))
def income_statement(request, slug: str, q: Query[PeriodQuery]):
    """Laporan Perhitungan Hasil Usaha for [start, end] (default: book year to date)."""
    access = api_coop(request, slug, READERS, dinas_read=True)
    coop = access.cooperative
    end = q.end or _today()
    start = q.start or statements.year_start(end, coop)
    if start > end:
        raise DomainError("Tanggal awal harus sebelum tanggal akhir.")
    pl = statements.income_statement(coop, start, end)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "previous_start": pl["prev_start"].isoformat(),
        "previous_end": pl["prev_end"].isoformat(),
        "revenue": [_section(s) for s in pl["revenue_sections"]],
        "revenue_total": _money(pl["revenue"]),
        "previous_revenue_total": _money(pl["prev_revenue"]),
        "revenue_anggota": _money(pl["revenue_anggota"]),
        "revenue_non_anggota": _money(pl["revenue_non_anggota"]),
        "expenses": _section(pl["expenses"]),
        "tax": _section(pl["tax"]),
        "shu_before_tax": _money(pl["shu_before_tax"]),
        "shu": _money(pl["shu"]),
        "previous_shu": _money(pl["prev_shu"]),
    }
