"""The database refuses what the ledger's rules forbid (issue 11.2/11.3, PostgreSQL): a line of
another cooperative's account, a line dated differently from its entry, a line or entry inside
a closed period, any change to a posted entry; and a close racing postings lets none into the
closed month."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, connections, transaction

from kopdig.ledger.actions import journal_entry_post, period_close_month
from kopdig.ledger.models import JournalEntry
from kopdig.ledger.posting import Line, PeriodClosed


@pytest.fixture
def pg():
    if connection.vendor != "postgresql":
        pytest.skip("the database-side ledger rules are PostgreSQL triggers and constraints")


def _raw_entry(coop, date="2025-01-05", number="X-1"):
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO ledger_journalentry (cooperative_id, number, date, memo, source_type, source_ref,"
            " total, posted_at) VALUES (%s, %s, %s, 'raw', 'manual', '', 100, now()) RETURNING id",
            [coop.pk, number, date],
        )
        return cur.fetchone()[0]


def _raw_lines(coop_id, entry_id, debit_account, credit_account, date="2025-01-05", credit_date=None):
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO ledger_journalline (cooperative_id, entry_id, account_id, date, debit, credit, memo)"
            " VALUES (%s, %s, %s, %s, 100, 0, ''), (%s, %s, %s, %s, 0, 100, '')",
            [
                coop_id,
                entry_id,
                debit_account.pk,
                date,
                coop_id,
                entry_id,
                credit_account.pk,
                credit_date or date,
            ],
        )


def _account(coop, key):
    return coop.accounts.get(system_key=key)


@pytest.mark.django_db(transaction=True)
def test_a_line_on_another_cooperatives_account_is_impossible(world, pg):
    a, b = world.coop_a, world.coop_b
    with pytest.raises(IntegrityError, match="account_id_coop_fk"), transaction.atomic():
        entry_id = _raw_entry(a)
        _raw_lines(a.pk, entry_id, _account(a, "kas"), _account(b, "pendapatan_lain"))
    with pytest.raises(IntegrityError, match="entry_id_coop_fk|another cooperative"), transaction.atomic():
        entry_id = _raw_entry(a)
        _raw_lines(b.pk, entry_id, _account(b, "kas"), _account(b, "pendapatan_lain"))
    assert not JournalEntry.objects.filter(number="X-1").exists()


@pytest.mark.django_db(transaction=True)
def test_a_line_dated_differently_from_its_entry_is_refused(world, pg):
    a = world.coop_a
    with pytest.raises(IntegrityError, match="differs from its entry"), transaction.atomic():
        entry_id = _raw_entry(a, date="2025-01-05")
        _raw_lines(
            a.pk, entry_id, _account(a, "kas"), _account(a, "pendapatan_lain"), credit_date="2025-01-06"
        )
    assert not JournalEntry.objects.filter(number="X-1").exists()


@pytest.mark.django_db(transaction=True)
def test_lines_and_entries_inside_a_closed_period_are_refused(world, pg):
    a = world.coop_a
    period_close_month(actor=world.pengurus_a, cooperative=a, year=2025, month=1)
    with (
        pytest.raises(IntegrityError, match="entry X-1 dated 2025-01-05 is inside the period"),
        transaction.atomic(),
    ):
        _raw_entry(a, date="2025-01-05")
    with pytest.raises(IntegrityError, match="dated 2025-01-31 is inside the period"), transaction.atomic():
        entry_id = _raw_entry(a, date="2025-02-01")
        _raw_lines(a.pk, entry_id, _account(a, "kas"), _account(a, "pendapatan_lain"), date="2025-01-31")
    assert not JournalEntry.objects.filter(number="X-1").exists()


@pytest.mark.django_db(transaction=True)
def test_a_close_racing_24_postings_lets_none_into_the_closed_month(world, pg):
    """24 tellers post February entries in a loop while February is closed: every entry that
    exists afterwards in February committed before the close (none after it)."""
    coop = world.coop_a
    barrier = threading.Barrier(25)
    counted_after_close, errors = [], []
    refused = []

    def teller(i):
        try:
            barrier.wait()
            for k in range(40):
                journal_entry_post(
                    actor=world.kasir_a,
                    cooperative=coop,
                    date=dt.date(2025, 2, 1 + (i + k) % 28),
                    memo=f"Setoran {i}-{k}",
                    lines=[
                        Line("kas", debit=Decimal("1000")),
                        Line("pendapatan_lain", credit=Decimal("1000")),
                    ],
                )
        except PeriodClosed:
            refused.append(i)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def close():
        try:
            barrier.wait()
            period_close_month(actor=world.pengurus_a, cooperative=coop, year=2025, month=2)
            counted_after_close.append(_february(coop))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=teller, args=(i,)) for i in range(24)] + [
        threading.Thread(target=close)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(refused) == 24  # every teller ran into the close
    assert _february(coop) == counted_after_close[0]


def _february(coop):
    return JournalEntry.objects.filter(cooperative=coop, date__year=2025, date__month=2).count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "column, value",
    [
        ("source_type", "'savings.deposit'"),
        ("source_ref", "'KW-2025-999999'"),
        ("posted_by_id", "NULL"),
        ("approved_by_id", "{user}"),
        ("posted_at", "'2020-01-01 00:00:00'"),
        ("memo", "'diubah'"),
        ("total", "total + 1"),
    ],
)
def test_every_column_of_a_posted_entry_is_immutable(world, column, value):
    """UPDATE of any column of a posted entry is refused by the database (both databases);
    the row is unchanged afterwards."""
    entry = journal_entry_post(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        date=dt.date(2025, 1, 10),
        memo="Tetap",
        lines=[Line("kas", debit=Decimal("100")), Line("pendapatan_lain", credit=Decimal("100"))],
    )
    before = JournalEntry.objects.filter(pk=entry.pk).values().get()
    sql_value = value.format(user=world.pengurus_a.pk)
    with pytest.raises(Exception, match="immutable"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"UPDATE ledger_journalentry SET {column} = {sql_value} WHERE id = %s", [entry.pk])
    assert JournalEntry.objects.filter(pk=entry.pk).values().get() == before
