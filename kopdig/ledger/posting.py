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

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from kopdig.lib.errors import DomainError
from kopdig.lib.money import ZERO, q
from kopdig.tenancy.numbering import format_number, next_number

from .models import Account, AccountMonthBalance, JournalEntry, JournalLine, LedgerSettings


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


def resolve_accounts(cooperative, refs) -> dict:
    """Map system keys / codes / Account objects to the cooperative's accounts (one query)."""
    names = {r for r in refs if isinstance(r, str)}
    found = {}
    if names:
        for acc in Account.objects.filter(Q(system_key__in=names) | Q(code__in=names), cooperative=cooperative):
            if acc.system_key in names:
                found[acc.system_key] = acc
            if acc.code in names:
                found[acc.code] = acc
    out = {}
    for ref in refs:
        if isinstance(ref, Account):
            if ref.cooperative_id != cooperative.pk:
                raise LedgerError("Akun bukan milik koperasi ini.")
            out[ref] = ref
        elif ref in found:
            out[ref] = found[ref]
        else:
            raise LedgerError(f"Akun '{ref}' tidak ditemukan di bagan akun koperasi ini.")
    return out


def check_open(cooperative, date: dt.date) -> None:
    closed = LedgerSettings.objects.filter(cooperative=cooperative).values_list("closed_through", flat=True).first()
    if closed and date <= closed:
        raise PeriodClosed(
            f"Periode sampai {closed:%d-%m-%Y} sudah ditutup; transaksi bertanggal {date:%d-%m-%Y} ditolak."
        )


def post(*, cooperative, date: dt.date, memo: str, lines, actor=None, source_type: str = "manual",
         source_ref: str = "", reversal_of: JournalEntry | None = None, approved_by=None) -> JournalEntry:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("post() must run inside the calling action's transaction")
    if not cooperative.on_kopdig:
        raise LedgerError("Koperasi ini tidak menyelenggarakan pembukuan di Kopdig.")
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise LedgerError("Tanggal jurnal tidak valid.")
    memo = (memo or "").strip()
    if not memo:
        raise LedgerError("Keterangan jurnal wajib diisi.")
    lines = list(lines)
    if len(lines) < 2:
        raise UnbalancedEntry("Jurnal harus memiliki paling sedikit dua baris.")
    accounts = resolve_accounts(cooperative, [ln.account for ln in lines])
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
        raise UnbalancedEntry(
            f"Jurnal tidak seimbang: debit {total_debit} ≠ kredit {total_credit}."
        )
    check_open(cooperative, date)

    seq = next_number(cooperative, "journal", date.year)
    entry = JournalEntry.objects.create(
        cooperative=cooperative, number=format_number(date.year, seq), date=date, memo=memo[:255],
        source_type=source_type, source_ref=source_ref[:80], reversal_of=reversal_of, total=total_debit,
        posted_by=actor if (actor is not None and actor.is_authenticated) else None, approved_by=approved_by,
    )
    JournalLine.objects.bulk_create(
        JournalLine(cooperative=cooperative, entry=entry, account=a, date=date, debit=d, credit=c, memo=m)
        for a, d, c, m in rows
    )
    bump_month_balances(cooperative, date.year, date.month, rows)
    return entry


def bump_month_balances(cooperative, year: int, month: int, rows) -> None:
    """Add the lines' debits and credits to the month caches, in account order (no deadlocks)."""
    sums = defaultdict(lambda: [ZERO, ZERO])
    for account, debit, credit, *_ in rows:
        sums[account.pk][0] += debit
        sums[account.pk][1] += credit
    exact_in_python = transaction.get_connection().vendor == "sqlite"
    for account_id in sorted(sums):
        debit, credit = sums[account_id]
        rows = AccountMonthBalance.objects.filter(cooperative=cooperative, account_id=account_id, year=year, month=month)
        if exact_in_python:
            # SQLite adds decimals in floating point: add in Decimal instead. Safe because SQLite
            # serialises writers (IMMEDIATE transactions): nobody changes the row in between.
            current = rows.values_list("pk", "debit", "credit").first()
            if current:
                AccountMonthBalance.objects.filter(pk=current[0]).update(debit=current[1] + debit,
                                                                        credit=current[2] + credit)
                continue
        elif rows.update(debit=F("debit") + debit, credit=F("credit") + credit):
            continue
        try:
            with transaction.atomic():
                AccountMonthBalance.objects.create(
                    cooperative=cooperative, account_id=account_id, year=year, month=month, debit=debit, credit=credit
                )
        except IntegrityError:  # created concurrently: add to it
            AccountMonthBalance.objects.filter(
                cooperative=cooperative, account_id=account_id, year=year, month=month
            ).update(debit=F("debit") + debit, credit=F("credit") + credit)


def reverse(*, entry: JournalEntry, date: dt.date, actor=None, memo: str = "") -> JournalEntry:
    """Post the mirror image of ``entry`` (inside the caller's transaction)."""
    if JournalEntry.objects.filter(reversal_of=entry).exists():
        raise LedgerError(f"Jurnal {entry.number} sudah dibalik.")
    if entry.reversal_of_id:
        raise LedgerError(f"Jurnal {entry.number} adalah jurnal pembalik dan tidak dapat dibalik lagi.")
    lines = [Line(ln.account, debit=ln.credit, credit=ln.debit, memo=ln.memo)
             for ln in entry.lines.select_related("account")]
    return post(
        cooperative=entry.cooperative, date=date, memo=memo or f"Pembalikan {entry.number}: {entry.memo}",
        lines=lines, actor=actor, source_type=entry.source_type, source_ref=entry.source_ref, reversal_of=entry,
    )
