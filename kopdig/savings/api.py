"""Savings API: a member's accounts, deposits/withdrawals (Idempotency-Key), account statements."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kopdig.api.common import api_coop
from kopdig.api.idempotency import run_once
from kopdig.members.models import Member
from kopdig.tenancy.access import ALL_COOP, STAFF

from . import actions, selectors
from .models import SavingsAccount

router = Router(tags=["simpanan"])


class AccountOut(Schema):
    number: str
    member: str
    member_name: str
    product: str
    kind: str
    status: str
    balance: str
    opened_on: str
    maturity_on: str | None


class AccountList(Schema):
    items: list[AccountOut]
    count: int


class TransactionIn(Schema):
    account: str
    type: str  # deposit | withdrawal
    amount: str | int
    date: dt.date | None = None
    memo: str = ""


class ReceiptOut(Schema):
    receipt: str
    account: str
    type: str
    amount: str
    date: str
    balance: str


class StatementQuery(Schema):
    start: dt.date | None = None
    end: dt.date | None = None


class AccountsQuery(Schema):
    member: str = ""
    limit: int = 100
    offset: int = 0


def account_out(a: SavingsAccount) -> dict:
    return {"number": a.number, "member": a.member.number, "member_name": a.member.name, "product": a.product.code,
            "kind": a.kind, "status": a.status, "balance": str(a.balance), "opened_on": a.opened_on.isoformat(),
            "maturity_on": a.maturity_on.isoformat() if a.maturity_on else None}


def _own_member(access, request):
    member = Member.objects.filter(cooperative=access.cooperative, user=request.user).first()
    if member is None:
        raise HttpError(404, "Tidak ditemukan.")
    return member


@router.get("/coops/{slug}/savings/accounts", response=AccountList)
def account_list(request, slug: str, params: Query[AccountsQuery]):
    """Savings accounts of one member (``member`` = member number); an anggota gets their own."""
    from kopdig.api.common import page

    access = api_coop(request, slug, ALL_COOP, dinas_read=True)
    coop = access.cooperative
    qs = SavingsAccount.objects.filter(cooperative=coop).select_related("member", "product").order_by("number")
    if access.role == "anggota":
        member = _own_member(access, request)
        if params.member and params.member != member.number:
            raise HttpError(404, "Tidak ditemukan.")
        qs = qs.filter(member=member)
    elif params.member:
        qs = qs.filter(member__number=params.member)
    return page(qs, params.limit, params.offset, account_out)


@router.post("/coops/{slug}/savings/transactions", response={201: ReceiptOut})
def transaction_post(request, slug: str, data: TransactionIn):
    """Deposit or withdrawal by the teller. Send an ``Idempotency-Key`` header: a retry with the same
    key and body answers the first response and posts nothing more."""
    access = api_coop(request, slug, STAFF)
    coop = access.cooperative
    if data.type not in ("deposit", "withdrawal"):
        raise HttpError(422, "type harus deposit atau withdrawal.")
    body = data.dict()

    def fn():
        action = actions.savings_deposit if data.type == "deposit" else actions.savings_withdraw
        receipt = action(actor=request.user, cooperative=coop, account=data.account, amount=str(data.amount),
                         date=data.date, memo=data.memo)
        acc = SavingsAccount.objects.get(cooperative=coop, number=data.account)
        return 201, {"receipt": receipt.number, "account": acc.number, "type": data.type, "amount": str(receipt.amount),
                     "date": receipt.date.isoformat(), "balance": str(acc.balance)}

    return run_once(user=request.user, cooperative=coop, endpoint="savings.transactions",
                    key=request.headers.get("Idempotency-Key"), body=body, fn=fn)


@router.get("/coops/{slug}/savings/accounts/{number}/statement")
def statement(request, slug: str, number: str, params: Query[StatementQuery]):
    """Passbook lines of one account between start and end with the running balance."""
    access = api_coop(request, slug, ALL_COOP, dinas_read=True)
    acc = selectors.account_get(access.cooperative, number)
    if acc is None or (access.role == "anggota" and acc.member.user_id != request.user.pk):
        raise HttpError(404, "Tidak ditemukan.")
    opening, rows = selectors.passbook(acc, start=params.start, end=params.end)
    return {
        "account": account_out(acc), "start": params.start, "end": params.end, "opening": str(opening),
        "closing": str(rows[-1].running if rows else opening),
        "items": [{"date": t.date.isoformat(), "type": t.type, "memo": t.memo, "amount": str(t.amount),
                   "balance": str(t.running), "receipt": t.receipt.number if t.receipt_id else None,
                   "journal": t.entry.number} for t in rows],
    }
