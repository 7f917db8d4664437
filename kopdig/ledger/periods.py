"""Period lock: the cooperative's books are closed through ``LedgerSettings.closed_through``.

Internal helpers, NOT durable: ``lock_through`` and ``unlock_to`` must run inside the calling
action's transaction (``transaction.atomic(durable=True)`` in the caller). They write no audit
row; the calling action audits its business event (month close, year-end close, reopen).

    from kopdig.ledger import periods
    with transaction.atomic(durable=True):
        periods.lock_through(cooperative=coop, date=dt.date(2025, 12, 31))
        audit.record(...)
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kopdig.lib.errors import DomainError
from kopdig.lib.formats import tanggal

from .models import LedgerSettings


class PeriodError(DomainError):
    pass


# PostgreSQL advisory lock class of a cooperative's period (key: the cooperative's id). Every
# posting holds it shared until it commits (``posting._share``); moving the lock takes it
# exclusively first, so a close waits for the postings in flight and no posting that started
# before the close commits into the closed month. The lock queue is fair: postings arriving
# while a close waits queue behind it.
PERIOD_LOCK = 7301
# PostgreSQL advisory lock class of a cooperative's running balances (key: the cooperative's id):
# every posting holds it exclusively until it commits (``posting_sql._locks``), so the day
# balances after an entry's date are added to by one posting at a time. Postings of one
# cooperative in one year already queue on the journal number counter; other cooperatives
# never wait.
BALANCE_LOCK = 7302


def _settings_for_update(cooperative) -> LedgerSettings:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("periods helpers must run inside the calling action's transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [PERIOD_LOCK, cooperative.pk])
    LedgerSettings.objects.get_or_create(cooperative=cooperative)
    return LedgerSettings.objects.select_for_update().get(cooperative=cooperative)


def _check_date(date) -> None:
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise PeriodError("Tanggal penutupan tidak valid.")


def closed_through(cooperative) -> dt.date | None:
    """The date the books are closed through (None when no period is closed)."""
    return (
        LedgerSettings.objects.filter(cooperative=cooperative)
        .values_list("closed_through", flat=True)
        .first()
    )


def is_closed(cooperative, date: dt.date) -> bool:
    """True when ``date`` falls in a closed period (no posting allowed on it)."""
    closed = closed_through(cooperative)
    return bool(closed and date <= closed)


def lock_through(*, cooperative, date: dt.date) -> LedgerSettings:
    """Close the books through ``date`` (inclusive). Never moves the lock backwards.

    Locking through the date that is already the lock is a no-op. Not durable: call it inside
    your action's transaction.
    """
    _check_date(date)
    ls = _settings_for_update(cooperative)
    if ls.closed_through and date < ls.closed_through:
        raise PeriodError(
            f"Buku sudah ditutup sampai {tanggal(ls.closed_through)}; tidak dapat menutup mundur ke "
            f"{tanggal(date)}."
        )
    if ls.closed_through != date:
        ls.closed_through = date
        ls.save(update_fields=["closed_through"])
    return ls


def unlock_to(*, cooperative, date: dt.date | None) -> LedgerSettings:
    """Reopen the books: move the lock back to ``date`` (None = no closed period at all).

    Refuses to move the lock forward (use ``lock_through``). Not durable: call it inside your
    action's transaction.
    """
    if date is not None:
        _check_date(date)
    ls = _settings_for_update(cooperative)
    if date is not None and (ls.closed_through is None or date > ls.closed_through):
        raise PeriodError("Pembukaan periode hanya dapat memundurkan tanggal penutupan buku.")
    if ls.closed_through != date:
        ls.closed_through = date
        ls.save(update_fields=["closed_through"])
    return ls
