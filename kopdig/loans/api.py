"""Loans API: schedule preview, applications, approval, disbursement, repayments (Idempotency-Key)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kopdig.api.common import (
    Choice,
    EventDate,
    Limit,
    Money,
    Offset,
    PlannedDate,
    Rate,
    Text,
    api_coop,
    event_dates,
    page,
    responses,
)
from kopdig.api.idempotency import run_once
from kopdig.lib.dates import add_months
from kopdig.members.models import Member
from kopdig.tenancy.access import ALL_COOP, APPROVERS, READERS, STAFF

from . import actions, schedule, selectors
from .models import Kolektibilitas, Loan, LoanProduct, Repayment

router = Router(tags=["pinjaman"])
MAX_MONTHS = 600
Months = Annotated[int, Field(ge=1, le=MAX_MONTHS)]
GraceMonths = Annotated[int, Field(ge=0, le=MAX_MONTHS)]


class PreviewIn(Schema):
    principal: Money
    rate_monthly_percent: Rate
    months: Months
    method: Choice(LoanProduct.Method.values)
    first_due_date: PlannedDate | None = None
    frequency: Choice(LoanProduct.Frequency.values) = "monthly"
    grace_months: GraceMonths = 0
    rounding_unit: Money | None = None


class InstallmentOut(Schema):
    number: int
    date: dt.date
    pokok: str
    jasa: str
    total: str
    remaining: str


class PreviewOut(Schema):
    installments: list[InstallmentOut]
    total_pokok: str
    total_jasa: str
    total: str


@router.post("/coops/{slug}/loans/schedule-preview", response=responses(PreviewOut))
def schedule_preview(request, slug: str, data: PreviewIn):
    """The installment schedule for a principal, monthly rate (percent) and term (months).

    ``frequency`` weekly turns the term into 52/12 installments per month and the rate into
    rate × 12/52 per week; ``grace_months`` are jasa-only installments inside the term."""
    api_coop(request, slug, ALL_COOP)
    periods = schedule.weeks_for_months(data.months) if data.frequency == schedule.WEEKLY else data.months
    grace = data.grace_months or 0
    if grace and data.frequency == schedule.WEEKLY:
        grace = schedule.weeks_for_months(grace)
    today = timezone.localdate()
    first = data.first_due_date or (
        today + dt.timedelta(days=7) if data.frequency == schedule.WEEKLY else add_months(today, 1)
    )
    try:
        rows = schedule.build_schedule(
            principal=data.principal,
            rate_monthly_percent=data.rate_monthly_percent,
            periods=periods,
            method=data.method,
            first_due_date=first,
            frequency=data.frequency,
            grace_periods=grace,
            rounding_unit=data.rounding_unit,
        )
    except schedule.ScheduleError as exc:
        raise HttpError(422, str(exc)) from None
    t = schedule.schedule_totals(rows)
    return {
        "installments": [
            {
                "number": r.number,
                "date": r.due_date,
                "pokok": str(r.pokok),
                "jasa": str(r.jasa),
                "total": str(r.total),
                "remaining": str(r.remaining),
            }
            for r in rows
        ],
        "total_pokok": str(t["pokok"]),
        "total_jasa": str(t["jasa"]),
        "total": str(t["total"]),
    }


class LoanOut(Schema):
    number: str
    member_number: str
    member_name: str
    product: str
    status: Choice(Loan.Status.values)
    principal: str
    term: int
    method: Choice(LoanProduct.Method.values)
    rate_monthly_percent: str
    outstanding: str
    days_past_due: int
    kolektibilitas: Choice(Kolektibilitas.values)
    applied_on: dt.date
    approved_on: dt.date | None
    disbursed_on: dt.date | None


class LoanDetailOut(LoanOut):
    installments: list[dict]
    repayments: list[dict]


class LoanList(Schema):
    items: list[LoanOut]
    count: int


def loan_out(loan) -> dict:
    return {
        "number": loan.number,
        "member_number": loan.member.number,
        "member_name": loan.member.name,
        "product": loan.product.code,
        "status": loan.status,
        "principal": str(loan.principal),
        "term": loan.term,
        "method": loan.method,
        "rate_monthly_percent": str(loan.rate_monthly_percent),
        "outstanding": str(loan.outstanding),
        "days_past_due": loan.days_past_due,
        "kolektibilitas": loan.kolektibilitas,
        "applied_on": loan.applied_on,
        "approved_on": loan.approved_on,
        "disbursed_on": loan.disbursed_on,
    }


def loan_detail_out(loan) -> dict:
    return {
        **loan_out(loan),
        "installments": [
            {
                "number": i.number,
                "date": i.due_date.isoformat(),
                "pokok": str(i.pokok),
                "jasa": str(i.jasa),
                "total": str(i.total),
                "pokok_paid": str(i.pokok_paid),
                "jasa_paid": str(i.jasa_paid),
                "jasa_waived": str(i.jasa_waived),
                "denda": str(i.denda),
                "denda_paid": str(i.denda_paid),
                "paid_on": i.paid_on.isoformat() if i.paid_on else None,
            }
            for i in selectors.installments_of(loan)
        ],
        "repayments": [repayment_out(r) for r in selectors.repayments_of(loan)],
    }


def repayment_out(r) -> dict:
    return {
        "number": r.number,
        "date": r.date.isoformat(),
        "kind": r.kind,
        "amount": str(r.amount),
        "denda": str(r.denda),
        "jasa": str(r.jasa),
        "pokok": str(r.pokok),
        "to_sukarela": str(r.to_sukarela),
        "reversed": r.reversed,
    }


class LoanFilters(Schema):
    status: Choice(["", *Loan.Status.values]) = ""
    kolektibilitas: Choice(["", *Kolektibilitas.values]) = ""
    q: Text(150) = ""
    limit: Limit = 100
    offset: Offset = 0


@router.get("/coops/{slug}/loans", response=responses(LoanList))
def loan_list(request, slug: str, filters: Query[LoanFilters]):
    access = api_coop(request, slug, READERS | {"anggota"}, dinas_read=True)
    member = None
    if access.role == "anggota":
        member = Member.objects.filter(cooperative=access.cooperative, user=request.user).first()
        if member is None:
            return {"items": [], "count": 0}
    qs = selectors.loan_list(
        access.cooperative,
        status=filters.status,
        kolektibilitas=filters.kolektibilitas,
        search=filters.q,
        member=member,
    )
    return page(qs, filters.limit, filters.offset, loan_out)


class CollateralIn(Schema):
    kind: Text(60, min_length=1)
    description: Text(255) = ""
    value: Money = "0"


class LoanApplyIn(Schema):
    member_number: Text(20, min_length=1)
    product: Text(20, min_length=1)
    principal: Money
    term: Months
    purpose: Text(255, min_length=1)
    applied_on: EventDate | None = None
    grace_months: GraceMonths = 0
    guarantors: list[Text(20)] = Field(default=[], max_length=20)
    collaterals: list[CollateralIn] = Field(default=[], max_length=20)
    analysis_notes: Text(5000) = ""


@router.post("/coops/{slug}/loans", response=responses({201: LoanDetailOut}, 409))
def loan_apply(request, slug: str, data: LoanApplyIn):
    """Enter an application (staff). Idempotency-Key supported."""
    access = api_coop(request, slug, STAFF)
    coop = access.cooperative
    event_dates(coop, applied_on=data.applied_on)
    member = Member.objects.filter(cooperative=coop, number=data.member_number).first()
    product = LoanProduct.objects.filter(cooperative=coop, code=data.product).first()
    if member is None or product is None:
        raise HttpError(422, "Anggota atau produk tidak ditemukan.")
    guarantors = list(Member.objects.filter(cooperative=coop, number__in=data.guarantors))
    if len(guarantors) != len(set(data.guarantors)):
        raise HttpError(422, "Ada penjamin yang tidak ditemukan.")
    collaterals = [(c.kind, c.description, str(c.value)) for c in data.collaterals]

    def fn():
        loan = actions.loan_apply(
            actor=request.user,
            cooperative=coop,
            member=member,
            product=product,
            principal=data.principal,
            term=data.term,
            purpose=data.purpose,
            applied_on=data.applied_on,
            grace_months=data.grace_months,
            guarantors=guarantors,
            collaterals=collaterals,
            analysis_notes=data.analysis_notes,
        )
        return 201, loan_detail_out(selectors.loan_get(coop, loan.number))

    return Status(
        *run_once(
            user=request.user,
            cooperative=coop,
            endpoint="loans.apply",
            key=request.headers.get("Idempotency-Key"),
            body=data.dict(),
            fn=fn,
        )
    )


def _get(access, request, number):
    loan = selectors.loan_get(access.cooperative, number)
    if loan is None or (access.role == "anggota" and loan.member.user_id != request.user.pk):
        raise HttpError(404, "Tidak ditemukan.")
    return loan


@router.get("/coops/{slug}/loans/{number}", response=responses(LoanDetailOut))
def loan_get(request, slug: str, number: str):
    access = api_coop(request, slug, READERS | {"anggota"}, dinas_read=True)
    return loan_detail_out(_get(access, request, number))


class LoanApproveIn(Schema):
    date: EventDate | None = None


@router.post("/coops/{slug}/loans/{number}/approve", response=responses(LoanDetailOut, 409))
def loan_approve(request, slug: str, number: str, data: LoanApproveIn):
    access = api_coop(request, slug, APPROVERS)
    event_dates(access.cooperative, date=data.date)
    loan = _get(access, request, number)
    actions.loan_approve(
        actor=request.user, cooperative=access.cooperative, number=loan.number, date=data.date
    )
    return loan_detail_out(selectors.loan_get(access.cooperative, loan.number))


class LoanDisburseIn(Schema):
    date: EventDate | None = None
    first_due_date: PlannedDate | None = None
    to: Choice(LoanProduct.DisburseTo.values) | None = None


@router.post("/coops/{slug}/loans/{number}/disburse", response=responses(LoanDetailOut, 409))
def loan_disburse(request, slug: str, number: str, data: LoanDisburseIn):
    """Disburse an approved loan (Idempotency-Key supported)."""
    access = api_coop(request, slug, STAFF)
    coop = access.cooperative
    event_dates(coop, date=data.date)
    loan = _get(access, request, number)

    def fn():
        actions.loan_disburse(
            actor=request.user,
            cooperative=coop,
            number=loan.number,
            date=data.date,
            first_due_date=data.first_due_date,
            to=data.to,
        )
        return 200, loan_detail_out(selectors.loan_get(coop, loan.number))

    return Status(
        *run_once(
            user=request.user,
            cooperative=coop,
            endpoint="loans.disburse",
            key=request.headers.get("Idempotency-Key"),
            body={"number": number, **data.dict()},
            fn=fn,
        )
    )


class RepaymentIn(Schema):
    amount: Money
    date: EventDate | None = None
    payoff: bool = False
    account: Text(40, min_length=1) = "kas"


class RepaymentOut(Schema):
    number: str
    date: dt.date
    kind: Choice(Repayment.Kind.values)
    amount: str
    denda: str
    jasa: str
    pokok: str
    to_sukarela: str
    reversed: bool
    loan_outstanding: str
    loan_status: Choice(Loan.Status.values)


@router.post("/coops/{slug}/loans/{number}/repayments", response=responses({201: RepaymentOut}, 409))
def loan_repay(request, slug: str, number: str, data: RepaymentIn):
    """Receive a payment. Send an ``Idempotency-Key`` header: a retry with the same key and body
    answers the first response and posts nothing more."""
    access = api_coop(request, slug, STAFF)
    coop = access.cooperative
    event_dates(coop, date=data.date)
    loan = _get(access, request, number)

    def fn():
        rep = actions.loan_repay(
            actor=request.user,
            cooperative=coop,
            number=loan.number,
            amount=data.amount,
            date=data.date,
            payoff=data.payoff,
            account=data.account,
        )
        fresh = selectors.loan_get(coop, loan.number)
        return 201, {
            **repayment_out(rep),
            "loan_outstanding": str(fresh.outstanding),
            "loan_status": fresh.status,
        }

    return Status(
        *run_once(
            user=request.user,
            cooperative=coop,
            endpoint="loans.repayments",
            key=request.headers.get("Idempotency-Key"),
            body={"number": number, **data.dict()},
            fn=fn,
        )
    )
