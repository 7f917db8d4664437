import datetime as dt
from decimal import Decimal

import pytest

from kopdig.ledger.models import JournalEntry
from kopdig.lib.errors import NotAllowed
from kopdig.loans import actions
from kopdig.loans.arrears import arrears_run
from kopdig.loans.models import ArrearsRun, Loan
from kopdig.tenancy.access import SYSTEM

from .conftest import assert_books, balance, disbursed_loan, make_product

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "date,days,kol",
    [
        (dt.date(2025, 2, 15), 0, "lancar"),
        (dt.date(2025, 3, 17), 30, "lancar"),
        (dt.date(2025, 3, 18), 31, "kurang_lancar"),
        (dt.date(2025, 5, 16), 90, "kurang_lancar"),
        (dt.date(2025, 5, 17), 91, "diragukan"),
        (dt.date(2025, 8, 14), 180, "diragukan"),
        (dt.date(2025, 8, 15), 181, "macet"),
    ],
)
def test_collectibility_by_days_past_due(world, product, date, days, kol):
    loan = disbursed_loan(world, product)  # first due 2025-02-15, nothing paid
    run = arrears_run(actor=world.manajer_a, cooperative=world.coop_a, date=date)
    loan.refresh_from_db()
    assert (loan.days_past_due, loan.kolektibilitas) == (days, kol)
    assert run.status == "selesai" and run.processed == 1


def test_reserve_posting_up_and_down(world, product):
    loan = disbursed_loan(world, product)
    run = arrears_run(
        actor=world.pengurus_a, cooperative=world.coop_a, date=dt.date(2025, 3, 31)
    )  # 44 days: KL
    assert run.summary["rpm"] == "6000000.00" and run.summary["required"] == "6000000.00"
    assert balance(world.coop_a, "cadangan_risiko") == D("6000000.00")  # contra-asset, credit-normal
    assert balance(world.coop_a, "beban_cadangan_risiko") == D("6000000.00")
    # idempotent for the same date
    n = JournalEntry.objects.count()
    again = arrears_run(actor=world.pengurus_a, cooperative=world.coop_a, date=dt.date(2025, 3, 31))
    assert again.pk == run.pk and JournalEntry.objects.count() == n
    assert ArrearsRun.objects.count() == 1
    # macet later: 100 % of 12,000,000
    run = arrears_run(actor=SYSTEM, cooperative=world.coop_a, date=dt.date(2025, 9, 30))
    assert run.summary["adjustment"] == "6000000.00"
    assert balance(world.coop_a, "cadangan_risiko") == D("12000000.00")
    # the member pays everything due on 2025-10-01: lancar again, the reserve is released
    actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("9440000"),
        date=dt.date(2025, 10, 1),
    )
    loan.refresh_from_db()
    assert loan.days_past_due == 0 and loan.kolektibilitas == "lancar"
    run = arrears_run(actor=SYSTEM, cooperative=world.coop_a, date=dt.date(2025, 10, 31))
    assert run.summary["adjustment"] == "-12000000.00"
    assert balance(world.coop_a, "cadangan_risiko") == D("0.00")
    assert balance(world.coop_a, "beban_cadangan_risiko") == D("0.00")
    assert_books(world.coop_a)


def test_arrears_run_accrues_denda_once_per_day(world):
    product = make_product(
        world.pengurus_a,
        world.coop_a,
        code="DD",
        denda_value=D("0.1"),
        denda_kind="persen",
        denda_basis="per_hari",
    )
    loan = disbursed_loan(world, product)
    arrears_run(actor=SYSTEM, cooperative=world.coop_a, date=dt.date(2025, 2, 25))  # 10 days × 1,180
    arrears_run(actor=SYSTEM, cooperative=world.coop_a, date=dt.date(2025, 2, 25))
    assert loan.installments.get(number=1).denda == D("11800.00")
    arrears_run(actor=SYSTEM, cooperative=world.coop_a, date=dt.date(2025, 2, 28))
    assert loan.installments.get(number=1).denda == D("15340.00")
    # paying later adds only the days since the last accrual
    rep = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("20000"),
        date=dt.date(2025, 3, 1),
    )
    assert rep.denda == D("16520.00") and rep.jasa == D("3480.00")
    assert_books(world.coop_a)


def test_arrears_run_resumes_in_chunks(world, product):
    from .conftest import make_member

    for _ in range(5):
        disbursed_loan(world, product, principal="1000000", term=2, member=make_member(world.coop_a))
    run = arrears_run(actor=SYSTEM, cooperative=world.coop_a, date=dt.date(2025, 4, 30), chunk=2)
    assert (run.total, run.processed) == (5, 5)
    assert set(Loan.objects.values_list("kolektibilitas", flat=True)) == {"kurang_lancar"}


def test_arrears_run_requires_approver(world, product):
    with pytest.raises(NotAllowed):
        arrears_run(actor=world.kasir_a, cooperative=world.coop_a, date=dt.date(2025, 4, 30))
    assert not ArrearsRun.objects.exists()
