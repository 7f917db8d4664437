"""Savings rules on one account, without the database: what may be withdrawn.

A pokok or wajib account is locked while its owner is a member (returned at exit); a
berjangka account is paid out only by breaking or maturing it; a sukarela account keeps the
product's minimum balance. Raises the savings errors with the figures the teller needs.
"""

from __future__ import annotations

from decimal import Decimal

from kopdig.lib.formats import rupiah
from kopdig.lib.money import ZERO

from .errors import InsufficientBalance, LockedSavings, SavingsError
from .models import Kind, SavingsAccount


def check_withdrawable(account: SavingsAccount, amount: Decimal, *, member_active: bool = True) -> None:
    if account.status != SavingsAccount.Status.AKTIF:
        raise SavingsError(f"Rekening {account.number} sudah ditutup.")
    if account.kind in (Kind.POKOK, Kind.WAJIB) and member_active:
        raise LockedSavings(
            f"{Kind(account.kind).label} tidak dapat ditarik selama masih menjadi anggota; "
            "dikembalikan saat keluar."
        )
    if account.kind == Kind.BERJANGKA:
        raise LockedSavings(
            "Simpanan berjangka dicairkan melalui pencairan atau jatuh tempo, bukan penarikan biasa."
        )
    minimum = account.product.min_balance if account.kind == Kind.SUKARELA else ZERO
    available = account.balance - minimum
    if amount > available:
        raise InsufficientBalance(
            f"Saldo tidak cukup: saldo {rupiah(account.balance)}, saldo minimum {rupiah(minimum)}, "
            f"dapat ditarik {rupiah(max(available, ZERO))}."
        )
