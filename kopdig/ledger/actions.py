"""Top-level ledger actions (durable transactions, audited)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kopdig import audit
from kopdig.lib.errors import NotAllowed
from kopdig.tenancy.models import Role

from . import posting
from .models import JournalEntry

POSTERS = {Role.Kind.PENGURUS, Role.Kind.MANAJER, Role.Kind.KASIR}


def _require_role(actor, cooperative, roles):
    if actor is None:
        return
    if not Role.objects.filter(cooperative=cooperative, user=actor, kind__in=roles).exists():
        raise NotAllowed("Peran Anda tidak mengizinkan posting jurnal di koperasi ini.")


def journal_entry_post(*, actor, cooperative, date: dt.date, memo: str, lines, source_type: str = "manual",
                       source_ref: str = "", approved_by=None) -> JournalEntry:
    """Post a balanced journal entry (manual entries, opening balances, imports)."""
    _require_role(actor, cooperative, POSTERS)
    with transaction.atomic(durable=True):
        entry = posting.post(cooperative=cooperative, date=date, memo=memo, lines=lines, actor=actor,
                             source_type=source_type, source_ref=source_ref, approved_by=approved_by)
        audit.record(actor, "journal_entry_post", cooperative=cooperative, obj=entry, ref=entry.number,
                     summary=entry.memo, after={"date": entry.date, "total": entry.total})
    return entry


def journal_entry_reverse(*, actor, cooperative, number: str, date: dt.date | None = None, memo: str = "") -> JournalEntry:
    """Reverse a posted entry by its number with a mirror entry (posted entries are never edited)."""
    _require_role(actor, cooperative, {Role.Kind.PENGURUS, Role.Kind.MANAJER})
    with transaction.atomic(durable=True):
        try:
            entry = JournalEntry.objects.select_for_update().get(cooperative=cooperative, number=number)
        except JournalEntry.DoesNotExist:
            raise posting.LedgerError(f"Jurnal {number} tidak ditemukan.") from None
        rev = posting.reverse(entry=entry, date=date or entry.date, actor=actor, memo=memo)
        audit.record(actor, "journal_entry_reverse", cooperative=cooperative, obj=rev, ref=rev.number,
                     summary=f"membalik {entry.number}", after={"reverses": entry.number, "total": rev.total})
    return rev
