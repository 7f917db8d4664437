"""The savings app's shared write steps: products, accounts, kuitansi numbers, transactions.

Private to the savings actions (and the monthly runs they start): every function here runs
INSIDE the calling action's transaction (never durable); those that move money write the
``SavingsTransaction`` rows and balance caches in it, beside the ledger posting the action
makes. Views, the API and other apps call the actions in ``actions.py``, never these.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Round

from kopdig.ledger.models import Account
from kopdig.ledger.posting import Line, post
from kopdig.lib.money import q
from kopdig.tenancy.access import user_of
from kopdig.tenancy.numbering import lock_series, next_document_number, next_number

from .errors import SavingsError
from .models import (
    ACCOUNT_PREFIX,
    LEDGER_KEY,
    Due,
    Kind,
    Receipt,
    SavingsAccount,
    SavingsProduct,
    SavingsTransaction,
)

CASH = "kas"


def _require_atomic():
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("savings services must run inside the calling action's transaction")


# --- products -------------------------------------------------------------------------------

DEFAULTS = [
    # code, name, kind, fields
    ("pokok", "Simpanan Pokok", Kind.POKOK, {"amount": Decimal("100000")}),
    ("wajib", "Simpanan Wajib", Kind.WAJIB, {"amount": Decimal("25000")}),
    (
        "sukarela",
        "Simpanan Sukarela (Tabungan)",
        Kind.SUKARELA,
        {"rate": Decimal("3"), "basis": SavingsProduct.Basis.DAILY, "min_balance": Decimal("10000")},
    ),
    (
        "berjangka-12",
        "Simpanan Berjangka 12 Bulan",
        Kind.BERJANGKA,
        {"rate": Decimal("6"), "term_months": 12, "penalty_pct": Decimal("1")},
    ),
]


def ensure_products(cooperative) -> dict[str, SavingsProduct]:
    """Create the default products the cooperative lacks (berjangka only where its chart has the
    account); return {kind: the default product of that kind}. Idempotent."""
    keys = set(
        Account.objects.filter(cooperative=cooperative, system_key__in=LEDGER_KEY.values()).values_list(
            "system_key", flat=True
        )
    )
    existing = {p.code: p for p in SavingsProduct.objects.filter(cooperative=cooperative)}
    for code, name, kind, fields in DEFAULTS:
        if code in existing or LEDGER_KEY[kind] not in keys:
            continue
        if any(p.kind == kind for p in existing.values()):
            continue
        existing[code] = SavingsProduct.objects.create(
            cooperative=cooperative, code=code, name=name, kind=kind, ledger_key=LEDGER_KEY[kind], **fields
        )
    out = {}
    for p in sorted(existing.values(), key=lambda p: (not p.active, p.code != p.kind, p.code)):
        out.setdefault(p.kind, p)
    return out


def product_for(cooperative, kind: str) -> SavingsProduct:
    products = ensure_products(cooperative)
    if kind not in products:
        raise SavingsError(f"Koperasi ini belum memiliki produk {Kind(kind).label.lower()}.")
    return products[kind]


# --- accounts -------------------------------------------------------------------------------


def open_account(cooperative, member, product: SavingsProduct, date: dt.date, **terms) -> SavingsAccount:
    _require_atomic()
    n = next_number(cooperative, "savings_account", 0)
    return SavingsAccount.objects.create(
        cooperative=cooperative,
        member=member,
        product=product,
        kind=product.kind,
        number=f"{ACCOUNT_PREFIX[product.kind]}-{n:06d}",
        opened_on=date,
        **terms,
    )


def account_of(cooperative, member, kind: str, date: dt.date, *, create: bool = True, lock: bool = False):
    """The member's active account of ``kind`` (the default product's), opened when missing."""
    qs = SavingsAccount.objects.filter(
        cooperative=cooperative, member=member, kind=kind, status=SavingsAccount.Status.AKTIF
    ).order_by("id")
    if lock:
        qs = qs.select_for_update()
    acc = qs.first()
    if acc is None and create:
        acc = open_account(cooperative, member, product_for(cooperative, kind), date)
        if lock:
            acc = SavingsAccount.objects.select_for_update().get(pk=acc.pk)
    return acc


def lock_accounts(cooperative, numbers) -> dict[str, SavingsAccount]:
    """Lock accounts by number in a deterministic (id) order; unknown numbers raise."""
    accounts = {
        a.number: a
        for a in SavingsAccount.objects.select_for_update(of=("self",))
        .select_related("product", "member")
        .filter(cooperative=cooperative, number__in=list(numbers))
        .order_by("id")
    }
    for number in numbers:
        if number not in accounts:
            raise SavingsError(f"Rekening {number} tidak ditemukan.")
    return accounts


# --- receipts and transactions ----------------------------------------------------------------


def receipt_number(cooperative, date: dt.date) -> str:
    """Reserve the next kuitansi number (gapless per cooperative and year) BEFORE posting, so the
    journal entry is written once, whole, with the receipt as its ``source_ref``."""
    _require_atomic()
    return next_document_number(cooperative, "kuitansi", "KW", date.year)


def lock_receipt_numbers(cooperative, date: dt.date) -> None:
    """Lock the kuitansi counter before a posting whose kuitansi is decided later (lock order:
    kuitansi before journal, as ``receipt_number`` + post)."""
    lock_series(cooperative, "kuitansi", date.year)


def new_receipt(*, number, cooperative, date, type, member, amount, cashier, memo, entry) -> Receipt:
    _require_atomic()
    return Receipt.objects.create(
        cooperative=cooperative,
        number=number,
        date=date,
        type=type,
        member=member,
        amount=q(amount),
        memo=memo[:255],
        cashier=user_of(cashier),
        entry=entry,
    )


def record(
    *, account: SavingsAccount, amount, type, date, entry, actor=None, memo="", receipt=None, period=None
) -> SavingsTransaction:
    """Write one savings transaction and move the balance cache (and wajib dues) with it."""
    amount = q(amount)
    tx = SavingsTransaction.objects.create(
        cooperative_id=account.cooperative_id,
        account=account,
        member_id=account.member_id,
        kind=account.kind,
        date=date,
        type=type,
        amount=amount,
        memo=memo[:255],
        entry=entry,
        receipt=receipt,
        period=period,
        created_by=user_of(actor),
    )
    # Round: SQLite adds decimals as floats; keep the stored cache at whole sen (exact on PostgreSQL).
    SavingsAccount.objects.filter(pk=account.pk).update(balance=Round(F("balance") + amount, 2))
    account.balance += amount
    if account.kind == Kind.WAJIB and amount > 0:
        allocate_wajib(account, amount)
    return tx


def allocate_wajib(account: SavingsAccount, amount: Decimal) -> None:
    """Apply a wajib payment to the member's open dues, oldest first; the rest is kept as credit."""
    left = amount
    dues = (
        Due.objects.select_for_update()
        .filter(cooperative_id=account.cooperative_id, member_id=account.member_id, paid__lt=F("amount"))
        .order_by("period")
    )
    for due in dues:
        if left <= 0:
            break
        take = min(left, due.amount - due.paid)
        Due.objects.filter(pk=due.pk).update(paid=F("paid") + take)
        left -= take
    if left > 0:
        SavingsAccount.objects.filter(pk=account.pk).update(wajib_credit=F("wajib_credit") + left)
        account.wajib_credit += left


def credit_sukarela(
    *, cooperative, member, amount, date, actor, memo, contra_account, source_type, source_ref
):
    """Post Dr ``contra_account`` / Cr simpanan_sukarela and credit the member's sukarela account.

    Opens the member's sukarela account when missing, updates its balance cache and records the
    savings transaction, which it returns (the body of the action ``savings_sukarela_credit``).
    """
    _require_atomic()
    amount = q(amount)
    if amount <= 0:
        raise SavingsError("Jumlah harus lebih dari nol.")
    if member.cooperative_id != cooperative.pk:
        raise SavingsError("Anggota bukan anggota koperasi ini.")
    account = account_of(cooperative, member, Kind.SUKARELA, date, lock=True)
    entry = post(
        cooperative=cooperative,
        date=date,
        memo=memo,
        actor=actor,
        source_type=source_type,
        source_ref=source_ref,
        lines=[Line(contra_account, debit=amount), Line(account.product.ledger_key, credit=amount)],
    )
    return record(
        account=account, amount=amount, type="credit", date=date, entry=entry, actor=actor, memo=memo
    )
