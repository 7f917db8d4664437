"""A kuitansi's journal entry is written once, whole (issue 10, item 4): the receipt number is
reserved before posting, so the entry carries it from its INSERT, and PostgreSQL refuses any
later change to a posted entry's substance or its lines."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from kopdig.ledger.models import JournalEntry, JournalLine
from kopdig.savings import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def deposit(world, admit, sukarela):
    number = sukarela(admit())
    receipt = actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=number,
        amount="250000",
        date=dt.date(2025, 1, 5),
    )
    return receipt


def test_the_entry_carries_its_kuitansi_number_from_the_insert(deposit):
    entry = JournalEntry.objects.get(pk=deposit.entry_id)
    assert entry.source_ref == deposit.number == "KW-2025-000002"
    assert entry.total == Decimal("250000.00")


@pytest.mark.parametrize(
    "change",
    [
        {"memo": "diubah"},
        {"total": Decimal("1.00")},
        {"date": dt.date(2025, 1, 6)},
        {"number": "2025-999999"},
    ],
    ids=["memo", "total", "date", "number"],
)
def test_postgresql_refuses_to_update_a_posted_entry(deposit, change):
    if connection.vendor != "postgresql":
        pytest.skip("the immutability of posted entries is a PostgreSQL trigger")
    entry = JournalEntry.objects.get(pk=deposit.entry_id)
    before = (entry.number, entry.date, entry.memo, entry.total)
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(**change)
    entry.refresh_from_db()
    assert (entry.number, entry.date, entry.memo, entry.total) == before


def test_postgresql_refuses_to_delete_a_posted_entry_or_change_its_lines(deposit):
    if connection.vendor != "postgresql":
        pytest.skip("the immutability of posted entries is a PostgreSQL trigger")
    lines = list(JournalLine.objects.filter(entry_id=deposit.entry_id).values_list("debit", "credit"))
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        JournalLine.objects.filter(entry_id=deposit.entry_id).update(debit=Decimal("5.00"))
    with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("DELETE FROM ledger_journalentry WHERE id = %s", [deposit.entry_id])
    assert list(JournalLine.objects.filter(entry_id=deposit.entry_id).values_list("debit", "credit")) == lines
    assert JournalEntry.objects.filter(pk=deposit.entry_id).exists()
