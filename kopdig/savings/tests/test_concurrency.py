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


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_deposits_keep_gapless_receipts_and_exact_balances(world, admit, sukarela):
    """20 tellers × 10 deposits into 4 accounts at once: every deposit is posted once, the
    kuitansi numbers of the year are gapless, balances and the ledger agree to the rupiah."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    from kopdig.savings.models import Receipt

    numbers = [sukarela(admit(name=f"Anggota {n}", n=n)) for n in range(1, 5)]
    before = Receipt.objects.filter(cooperative=world.coop_a).count()
    barrier = threading.Barrier(20)
    errors = []

    def teller(i):
        try:
            barrier.wait()
            for k in range(10):
                actions.savings_deposit(
                    actor=world.kasir_a,
                    cooperative=world.coop_a,
                    account=numbers[(i + k) % 4],
                    amount=str(1000 + i),
                    date=dt.date(2025, 2, 3),
                )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=teller, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    got = sorted(Receipt.objects.filter(cooperative=world.coop_a).values_list("number", flat=True))
    assert got == [f"KW-2025-{n:06d}" for n in range(1, before + 201)]
    deposits = SavingsTransaction.objects.filter(account__number__in=numbers, type="deposit")
    assert deposits.count() == 200
    # Σ over tellers i of 10 × (1000 + i) = 10 × (20 × 1000 + 190)
    total = sum(SavingsAccount.objects.get(number=n).balance for n in numbers)
    assert total == Decimal("201900.00")
    assert_books_ok(world.coop_a)


def _in_threads(barrier, errors, target, *args):
    """A thread running ``target(*args)`` after the barrier; unexpected errors are collected."""

    def run():
        try:
            barrier.wait()
            target(*args)
        except Exception as exc:  # pragma: no cover - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


@pytest.mark.django_db(transaction=True)
def test_deposits_racing_a_month_close_never_land_in_the_closed_month(world, admit, sukarela):
    """12 tellers deposit in February in a loop while February is closed (the reproduction of
    issue 11.2): every February deposit that exists afterwards was there when the close
    committed; the tellers' later deposits are refused and write nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    from kopdig.ledger.actions import period_close_month
    from kopdig.ledger.models import JournalEntry
    from kopdig.ledger.posting import PeriodClosed

    numbers = [sukarela(admit(name=f"Anggota {n}", n=n)) for n in range(1, 4)]
    period_close_month(actor=world.pengurus_a, cooperative=world.coop_a, year=2025, month=1)
    barrier = threading.Barrier(13)
    refused, errors, at_close = [], [], []

    def february():
        return (
            JournalEntry.objects.filter(cooperative=world.coop_a, date__month=2).count(),
            SavingsTransaction.objects.filter(account__number__in=numbers, date__month=2).count(),
        )

    def teller(i):
        try:
            for k in range(30):
                actions.savings_deposit(
                    actor=world.kasir_a,
                    cooperative=world.coop_a,
                    account=numbers[(i + k) % 3],
                    amount="5000",
                    date=dt.date(2025, 2, 1 + (i + k) % 28),
                )
        except PeriodClosed:
            refused.append(i)

    def close():
        period_close_month(actor=world.pengurus_a, cooperative=world.coop_a, year=2025, month=2)
        at_close.append(february())

    threads = [_in_threads(barrier, errors, teller, i) for i in range(12)]
    threads.append(_in_threads(barrier, errors, close))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(refused) == list(range(12))
    entries, deposits = february()
    assert (entries, deposits) == at_close[0] and entries == deposits
    assert sum(SavingsAccount.objects.get(number=n).balance for n in numbers) == Decimal(5000 * deposits)
    assert_books_ok(world.coop_a)
