import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db.models import Sum

_seq = itertools.count(1)


def make_member(coop, name="Anggota", **kw):
    from kopdig.members.models import Member

    n = next(_seq)
    return Member.objects.create(
        cooperative=coop,
        number=kw.pop("number", f"9{n:04d}"),
        nik=kw.pop("nik", f"3513000000{n:06d}"),
        name=f"{name} {n}",
        gender="L",
        joined_on=dt.date(2024, 1, 2),
        **kw,
    )


def make_product(actor, coop, code="REG", **values):
    from kopdig.loans.actions import loan_product_save

    base = dict(
        name="Pinjaman Reguler",
        method="flat",
        rate_percent=Decimal("1.5"),
        min_term=1,
        max_term=36,
        max_amount=Decimal("100000000"),
        provisi_kind="persen",
        provisi_value=Decimal("1"),
        admin_kind="tetap",
        admin_value=Decimal("50000"),
    )
    base.update(values)
    return loan_product_save(actor=actor, cooperative=coop, code=code, **base)


def disbursed_loan(
    world,
    product,
    *,
    principal="12000000",
    term=12,
    date=dt.date(2025, 1, 15),
    member=None,
    first_due_date=None,
):
    from kopdig.loans.actions import loan_apply, loan_approve, loan_disburse

    member = member or world.member_a
    loan = loan_apply(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member=member,
        product=product,
        principal=Decimal(principal),
        term=term,
        purpose="Modal usaha warung",
        applied_on=date,
    )
    loan_approve(actor=world.pengurus_a, cooperative=world.coop_a, number=loan.number, date=date)
    return loan_disburse(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        date=date,
        first_due_date=first_due_date or dt.date(date.year, date.month + 1, 15),
    )


def assert_books(coop):
    """Every entry balances (so the trial balance is zero) and the month caches equal the lines."""
    from kopdig.ledger.selectors import verify

    assert verify(coop) == []


def balance(coop, key):
    from kopdig.ledger.chart import account_for
    from kopdig.ledger.selectors import account_balance

    return account_balance(account_for(coop, key), dt.date(2100, 1, 1))


def loan_outstanding_matches_ledger(coop):
    from kopdig.loans.models import Installment, Loan

    active = Loan.objects.filter(cooperative=coop, status="aktif")
    for loan in active:
        due = Installment.objects.filter(loan=loan).aggregate(p=Sum("pokok"), pp=Sum("pokok_paid"))
        assert loan.outstanding == due["p"] - due["pp"]
    total = Loan.objects.filter(cooperative=coop, status="aktif").aggregate(s=Sum("outstanding"))["s"] or 0
    assert balance(coop, "piutang_pinjaman") == total


@pytest.fixture
def product(world):
    return make_product(world.pengurus_a, world.coop_a)
