"""Posting: the one function every money-moving action calls, inside its own transaction.

    from kopdig.ledger.posting import Line, post
    entry = post(cooperative=coop, date=d, memo="Setoran simpanan sukarela", actor=user,
                 lines=[Line("kas", debit=amount), Line("simpanan_sukarela", credit=amount)],
                 source_type="savings.deposit", source_ref=receipt_number)

``Line.account`` is an ``Account``, a system key (``"kas"``) or an account code (``"1101"``).
``post`` requires an open transaction (the caller's action is ``atomic(durable=True)``) and
writes no audit row: the calling action audits its own business event.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from kopdig.lib.errors import DomainError
from kopdig.lib.formats import tanggal
from kopdig.lib.money import ZERO, q
from kopdig.tenancy.numbering import format_number, next_number

from . import posting_sql
from .models import Account, JournalEntry


class LedgerError(DomainError):
    pass


class UnbalancedEntry(LedgerError):
    pass


class PeriodClosed(LedgerError):
    pass


@dataclass
class Line:
    account: Account | str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    memo: str = ""


def _resolve(connection, cooperative, refs, with_closed: bool):
    """(accounts by ref, closed_through or None): one query (accounts and the period lock together)."""
    names = list({r for r in refs if isinstance(r, str)})
    found, closed, closed_read = {}, None, False
    if names:
        found, closed_read, closed = posting_sql.accounts_by_name(
            connection, cooperative.pk, names, with_closed
        )
        closed_read = closed_read and with_closed
    out = {}
    for ref in refs:
        out[ref] = _account(cooperative, ref, found)
    if with_closed and not closed_read:
        closed = posting_sql.closed_through(connection, cooperative.pk)
    return out, closed


def _account(cooperative, ref, found: dict) -> Account:
    if isinstance(ref, Account):
        if ref.cooperative_id != cooperative.pk:
            raise LedgerError("Akun bukan milik koperasi ini.")
        return ref
    if ref in found:
        return found[ref]
    raise LedgerError(f"Akun '{ref}' tidak ditemukan di bagan akun koperasi ini.")


def resolve_accounts(cooperative, refs) -> dict:
    """Map system keys / codes / Account objects to the cooperative's accounts (one query)."""
    return _resolve(transaction.get_connection(), cooperative, refs, with_closed=False)[0]


def _refuse_closed(closed, date: dt.date) -> None:
    if closed and date <= closed:
        raise PeriodClosed(
            f"Periode sampai {tanggal(closed)} sudah ditutup; transaksi bertanggal {tanggal(date)} ditolak."
        )


def check_open(cooperative, date: dt.date) -> None:
    _refuse_closed(posting_sql.closed_through(transaction.get_connection(), cooperative.pk), date)


def _check_header(cooperative, date, memo: str) -> str:
    if not cooperative.on_kopdig:
        raise LedgerError("Koperasi ini tidak menyelenggarakan pembukuan di Kopdig.")
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise LedgerError("Tanggal jurnal tidak valid.")
    memo = (memo or "").strip()
    if not memo:
        raise LedgerError("Keterangan jurnal wajib diisi.")
    return memo


def _checked_rows(lines, accounts) -> tuple[list, Decimal]:
    """[(account, debit, credit, memo)] of the lines and their total, refusing a bad line or an
    unbalanced entry."""
    total_debit = total_credit = ZERO
    rows = []
    for i, ln in enumerate(lines, start=1):
        debit, credit = q(ln.debit or 0), q(ln.credit or 0)
        if debit < 0 or credit < 0:
            raise LedgerError(f"Baris {i}: jumlah tidak boleh negatif.")
        if (debit > 0) == (credit > 0):
            raise LedgerError(f"Baris {i}: isi debit atau kredit (salah satu, lebih dari nol).")
        account = accounts[ln.account]
        if account.is_group:
            raise LedgerError(f"Baris {i}: akun {account.code} adalah akun induk dan tidak dapat diposting.")
        if account.closed:
            raise LedgerError(f"Baris {i}: akun {account.code} sudah ditutup.")
        total_debit += debit
        total_credit += credit
        rows.append((account, debit, credit, ln.memo[:255]))
    if total_debit != total_credit:
        raise UnbalancedEntry(f"Jurnal tidak seimbang: debit {total_debit} ≠ kredit {total_credit}.")
    return rows, total_debit


@dataclass(frozen=True)
class Source:
    """What an entry records beside its lines: the document that posted it and who approved it."""

    type: str = "manual"
    ref: str = ""
    reversal_of: JournalEntry | None = None
    approved_by: object = None


def post(
    *,
    cooperative,
    date: dt.date,
    memo: str,
    lines,
    actor=None,
    source_type: str = "manual",
    source_ref: str = "",
    approved_by=None,
) -> JournalEntry:
    source = Source(source_type, source_ref, approved_by=approved_by)
    return _post(cooperative, date, memo, list(lines), actor, source)


def _post(cooperative, date, memo, lines, actor, source: Source) -> JournalEntry:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("post() must run inside the calling action's transaction")
    memo = _check_header(cooperative, date, memo)
    if len(lines) < 2:
        raise UnbalancedEntry("Jurnal harus memiliki paling sedikit dua baris.")
    # The accounts and the locks in one query; the period is checked after the lines, as before.
    accounts, closed = _resolve(connection, cooperative, [ln.account for ln in lines], with_closed=True)
    rows, total = _checked_rows(lines, accounts)
    _refuse_closed(closed, date)
    seq = next_number(cooperative, "journal", date.year)
    entry = JournalEntry(
        cooperative=cooperative,
        number=format_number(date.year, seq),
        date=date,
        memo=memo[:255],
        source_type=source.type,
        source_ref=source.ref[:80],
        reversal_of=source.reversal_of,
        total=total,
        posted_by=actor if (actor is not None and actor.is_authenticated) else None,
        approved_by=source.approved_by,
    )
    posting_sql.insert_instance(connection, entry)
    posting_sql.insert_lines(connection, cooperative.pk, entry.pk, date, rows)
    bump_balances(cooperative, date, rows)
    return entry


def _sen(amount: Decimal) -> int:
    return int(amount * 100)


def bump_balances(cooperative, date: dt.date, rows) -> None:
    """Add lines ``[(account, debit, credit, …)]`` of one date to the running day balances and
    the month caches (inside the posting transaction, after the lines are written)."""
    sums = defaultdict(lambda: [0, 0])
    for account, debit, credit, *_ in rows:
        sums[account.pk][0] += _sen(debit)
        sums[account.pk][1] += _sen(credit)
    posting_sql.bump_caches(transaction.get_connection(), cooperative.pk, date, sums)


def reverse(*, entry: JournalEntry, date: dt.date, actor=None, memo: str = "") -> JournalEntry:
    """Post the mirror image of ``entry`` (inside the caller's transaction)."""
    if JournalEntry.objects.filter(reversal_of=entry).exists():
        raise LedgerError(f"Jurnal {entry.number} sudah dibalik.")
    if entry.reversal_of_id:
        raise LedgerError(f"Jurnal {entry.number} adalah jurnal pembalik dan tidak dapat dibalik lagi.")
    lines = [
        Line(ln.account, debit=ln.credit, credit=ln.debit, memo=ln.memo)
        for ln in entry.lines.select_related("account")
    ]
    memo = memo or f"Pembalikan {entry.number}: {entry.memo}"
    return _post(
        entry.cooperative, date, memo, lines, actor, Source(entry.source_type, entry.source_ref, entry)
    )
