import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from kopdig.loans import actions
from kopdig.loans.models import Loan, Repayment

from .conftest import assert_books, disbursed_loan, loan_outstanding_matches_ledger, make_product

D = Decimal


@pytest.mark.django_db(transaction=True)
def test_two_threads_repay_once_each(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are exercised on PostgreSQL; SQLite serialises writers")
    product = make_product(world.pengurus_a, world.coop_a, code="CC")
    loan = disbursed_loan(world, product)
    barrier = threading.Barrier(2)
    errors = []

    def pay(user):
        try:
            barrier.wait()
            actions.loan_repay(
                actor=user,
                cooperative=world.coop_a,
                number=loan.number,
                amount=D("1180000"),
                date=dt.date(2025, 2, 15),
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(u,)) for u in (world.kasir_a, world.manajer_a)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.outstanding == D("10000000.00")
    assert Repayment.objects.filter(loan=loan).count() == 2
    assert sorted(Repayment.objects.values_list("number", flat=True)) == ["KP-2025-000001", "KP-2025-000002"]
    assert set(loan.installments.filter(paid_on__isnull=False).values_list("number", flat=True)) == {1, 2}
    assert_books(world.coop_a)
    loan_outstanding_matches_ledger(world.coop_a)
