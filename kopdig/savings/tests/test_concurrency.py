import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from kopdig.savings import actions
from kopdig.savings.errors import InsufficientBalance
from kopdig.savings.models import SavingsAccount, SavingsTransaction

from .helpers import assert_books_ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_withdrawals_cannot_overdraw(world, admit, sukarela):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite serialises writers (IMMEDIATE transactions), so no real race exists"
        )
    m = admit()
    number = sukarela(m)
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=number,
        amount="1000000",
        date=dt.date(2025, 1, 3),
    )
    barrier = threading.Barrier(2)
    results = []

    def withdraw(user):
        try:
            barrier.wait()
            actions.savings_withdraw(
                actor=user,
                cooperative=world.coop_a,
                account=number,
                amount="600000",
                date=dt.date(2025, 1, 4),
            )
            results.append("ok")
        except InsufficientBalance:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=withdraw, args=(u,)) for u in (world.kasir_a, world.manajer_a)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert SavingsAccount.objects.get(number=number).balance == Decimal("400000.00")
    assert SavingsTransaction.objects.filter(account__number=number, type="withdrawal").count() == 1
    assert_books_ok(world.coop_a)
