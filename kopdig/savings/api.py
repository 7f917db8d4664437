"""Savings API: a member's accounts, deposits/withdrawals (Idempotency-Key), account statements."""

from __future__ import annotations

from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

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
from kopdig.members.models import Member
from kopdig.tenancy.access import ALL_COOP, STAFF

from . import actions, selectors
from .models import Kind, SavingsAccount

router = Router(tags=["simpanan"])


class SavingsAccountOut(Schema):
    number: str
    member: str
    member_name: str
    product: str
    kind: Choice(Kind.values)
    status: Choice(SavingsAccount.Status.values)
    balance: str
    opened_on: str
    maturity_on: str | None


class SavingsAccountList(Schema):
    items: list[SavingsAccountOut]
    count: int


class SavingsTransactionIn(Schema):
    account: Text(20, min_length=1)
    type: Choice(["deposit", "withdrawal"])
    amount: Money
    date: EventDate | None = None
    memo: Text(255) = ""


class SavingsReceiptOut(Schema):
    receipt: str
    account: str
    type: Choice(["deposit", "withdrawal"])
    amount: str
    date: str
    balance: str


class StatementQuery(Schema):
    start: QueryDate | None = None
    end: QueryDate | None = None


class AccountsQuery(Schema):
    member: Text(20) = ""
    limit: Limit = 100
    offset: Offset = 0


class PassbookLineOut(Schema):
    date: str
    type: str
    memo: str
    amount: str
    balance: str
    receipt: str | None
    journal: str


class PassbookOut(Schema):
    account: SavingsAccountOut
    start: str | None
    end: str | None
    opening: str
    closing: str
    items: list[PassbookLineOut]


def account_out(a: SavingsAccount) -> dict:
    return {
        "number": a.number,
        "member": a.member.number,
        "member_name": a.member.name,
        "product": a.product.code,
        "kind": a.kind,
        "status": a.status,
        "balance": str(a.balance),
        "opened_on": a.opened_on.isoformat(),
        "maturity_on": a.maturity_on.isoformat() if a.maturity_on else None,
    }


def _own_member(access, request):
    member = Member.objects.filter(cooperative=access.cooperative, user=request.user).first()
    if member is None:
        raise HttpError(404, "Tidak ditemukan.")
    return member


@router.get("/coops/{slug}/savings/accounts", response=responses(SavingsAccountList))
def account_list(request, slug: str, params: Query[AccountsQuery]):
    """Savings accounts of one member (``member`` = member number); an anggota gets their own."""
    access = api_coop(request, slug, ALL_COOP, dinas_read=True)
    coop = access.cooperative
    qs = (
        SavingsAccount.objects.filter(cooperative=coop).select_related("member", "product").order_by("number")
    )
    if access.role == "anggota":
        member = _own_member(access, request)
        if params.member and params.member != member.number:
            raise HttpError(404, "Tidak ditemukan.")
        qs = qs.filter(member=member)
    elif params.member:
        qs = qs.filter(member__number=params.member)
    return page(qs, params.limit, params.offset, account_out)


@router.post("/coops/{slug}/savings/transactions", response=responses({201: SavingsReceiptOut}, 409))
def transaction_post(request, slug: str, data: SavingsTransactionIn):
    """Deposit or withdrawal by the teller. Send an ``Idempotency-Key`` header: a retry with the same
    key and body answers the first response and posts nothing more."""
    access = api_coop(request, slug, STAFF)
    coop = access.cooperative
    event_dates(coop, date=data.date)
    body = data.dict()

    def fn():
        action = actions.savings_deposit if data.type == "deposit" else actions.savings_withdraw
        receipt = action(
            actor=request.user,
            cooperative=coop,
            account=data.account,
            amount=str(data.amount),
            date=data.date,
            memo=data.memo,
        )
        acc = SavingsAccount.objects.get(cooperative=coop, number=data.account)
        return 201, {
            "receipt": receipt.number,
            "account": acc.number,
            "type": data.type,
            "amount": str(receipt.amount),
            "date": receipt.date.isoformat(),
            "balance": str(acc.balance),
        }

    return Status(
        *run_once(
            user=request.user,
            cooperative=coop,
            endpoint="savings.transactions",
            key=request.headers.get("Idempotency-Key"),
            body=body,
            fn=fn,
        )
    )


@router.get("/coops/{slug}/savings/accounts/{number}/statement", response=responses(PassbookOut))
def statement(request, slug: str, number: str, params: Query[StatementQuery]):
    """Passbook lines of one account between start and end with the running balance."""
    access = api_coop(request, slug, ALL_COOP, dinas_read=True)
    acc = selectors.account_get(access.cooperative, number)
    if acc is None or (access.role == "anggota" and acc.member.user_id != request.user.pk):
        raise HttpError(404, "Tidak ditemukan.")
    opening, rows = selectors.passbook(acc, start=params.start, end=params.end)
    return {
        "account": account_out(acc),
        "start": params.start.isoformat() if params.start else None,
        "end": params.end.isoformat() if params.end else None,
        "opening": str(opening),
        "closing": str(rows[-1].running if rows else opening),
        "items": [
            {
                "date": t.date.isoformat(),
                "type": t.type,
                "memo": t.memo,
                "amount": str(t.amount),
                "balance": str(t.running),
                "receipt": t.receipt.number if t.receipt_id else None,
                "journal": t.entry.number,
            }
            for t in rows
        ],
    }
