"""Savings actions: the only code that writes savings rows. Each is atomic(durable), checks the
actor's role, posts through the ledger in the same transaction and writes one audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kopdig import audit
from kopdig.ledger.posting import Line, post
from kopdig.lib.errors import DomainError
from kopdig.lib.money import ZERO, D, q
from kopdig.lib.transactions import action_atomic
from kopdig.members.models import Member
from kopdig.tenancy.access import APPROVERS, STAFF, require_role

from . import services
from .models import Kind, Receipt, SavingsAccount, SavingsProduct
from .services import CASH, SavingsError


def money(value, what="Jumlah") -> Decimal:
    try:
        amount = q(D(value))
    except (TypeError, ValueError):
        raise SavingsError(f"{what} tidak valid.") from None
    if amount <= 0:
        raise SavingsError(f"{what} harus lebih dari nol.")
    return amount


def _today():
    return timezone.localdate()


# --- products -------------------------------------------------------------------------------

PRODUCT_FIELDS = ["name", "active", "amount", "class_amounts", "rate", "basis", "min_balance", "admin_fee",
                  "tax_enabled", "tax_threshold", "tax_rate", "tax_base", "term_months", "maturity_action",
                  "penalty_pct"]


def savings_products_setup(*, actor, cooperative) -> list[SavingsProduct]:
    """Create the cooperative's default savings products (idempotent)."""
    require_role(actor, cooperative, APPROVERS, "mengatur produk simpanan")
    with action_atomic():
        before = SavingsProduct.objects.filter(cooperative=cooperative).count()
        services.ensure_products(cooperative)
        products = list(SavingsProduct.objects.filter(cooperative=cooperative))
        if len(products) != before:
            audit.record(actor, "savings_products_setup", cooperative=cooperative, ref=cooperative.slug,
                         summary=f"{len(products) - before} produk simpanan dibuat")
    return products


def savings_product_update(*, actor, cooperative, code: str, **fields) -> SavingsProduct:
    require_role(actor, cooperative, APPROVERS, "mengatur produk simpanan")
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"unknown product fields: {sorted(unknown)}")
    with action_atomic():
        product = SavingsProduct.objects.select_for_update().filter(cooperative=cooperative, code=code).first()
        if product is None:
            raise SavingsError("Produk simpanan tidak ditemukan.")
        before = audit.snapshot(product, list(fields))
        for key, value in fields.items():
            if key in ("amount", "rate", "min_balance", "admin_fee", "tax_threshold", "tax_rate", "penalty_pct"):
                value = D(value)
                if value < 0:
                    raise SavingsError("Nilai tidak boleh negatif.")
            if key == "class_amounts":
                value = {str(k): str(q(D(v))) for k, v in (value or {}).items() if str(k).strip()}
            setattr(product, key, value)
        if product.kind == Kind.BERJANGKA and product.term_months < 1:
            raise SavingsError("Jangka waktu simpanan berjangka minimal 1 bulan.")
        product.save()
        after = audit.snapshot(product, list(fields))
        b, a = audit.diff(before, after)
        audit.record(actor, "savings_product_update", cooperative=cooperative, obj=product, ref=product.code,
                     summary=product.name, before=b, after=a)
    return product


# --- teller transactions --------------------------------------------------------------------

def savings_deposit(*, actor, cooperative, account: str, amount, date: dt.date | None = None, memo: str = "",
                    cash_account: str = CASH) -> Receipt:
    """Cash deposit into a member's account (Dr kas / Cr the product's account); returns the kuitansi."""
    require_role(actor, cooperative, STAFF, "mencatat setoran")
    amount = money(amount)
    date = date or _today()
    with action_atomic():
        acc = services.lock_accounts(cooperative, [account])[account]
        if acc.status != SavingsAccount.Status.AKTIF:
            raise SavingsError(f"Rekening {acc.number} sudah ditutup.")
        if acc.member.status not in (Member.Status.AKTIF, Member.Status.CALON):
            raise SavingsError("Anggota sudah tidak aktif.")
        if acc.kind == Kind.BERJANGKA:
            raise SavingsError("Setoran simpanan berjangka dilakukan saat pembukaan rekening.")
        memo = memo or f"Setoran {acc.product.name} {acc.member.number} {acc.member.name}"
        number = services.receipt_number(cooperative, date)
        entry = post(cooperative=cooperative, date=date, memo=memo, actor=actor, source_type="savings.deposit",
                     source_ref=number,
                     lines=[Line(cash_account, debit=amount), Line(acc.product.ledger_key, credit=amount)])
        receipt = services.new_receipt(number=number, cooperative=cooperative, date=date, type=Receipt.Type.SETORAN,
                                       member=acc.member, amount=amount, cashier=actor, memo=memo, entry=entry)
        services.record(account=acc, amount=amount, type="deposit", date=date, entry=entry, actor=actor, memo=memo,
                        receipt=receipt)
        audit.record(actor, "savings_deposit", cooperative=cooperative, obj=receipt, ref=receipt.number,
                     summary=memo, after={"account": acc.number, "amount": amount, "date": date})
    return receipt


def savings_withdraw(*, actor, cooperative, account: str, amount, date: dt.date | None = None, memo: str = "",
                     cash_account: str = CASH) -> Receipt:
    """Cash withdrawal (Dr the product's account / Cr kas); refused beyond the available balance,
    below the minimum balance, and for pokok/wajib while a member."""
    require_role(actor, cooperative, STAFF, "mencatat penarikan")
    amount = money(amount)
    date = date or _today()
    with action_atomic():
        acc = services.lock_accounts(cooperative, [account])[account]
        services.check_withdrawable(acc, amount)
        memo = memo or f"Penarikan {acc.product.name} {acc.member.number} {acc.member.name}"
        number = services.receipt_number(cooperative, date)
        entry = post(cooperative=cooperative, date=date, memo=memo, actor=actor, source_type="savings.withdrawal",
                     source_ref=number,
                     lines=[Line(acc.product.ledger_key, debit=amount), Line(cash_account, credit=amount)])
        receipt = services.new_receipt(number=number, cooperative=cooperative, date=date, type=Receipt.Type.PENARIKAN,
                                       member=acc.member, amount=amount, cashier=actor, memo=memo, entry=entry)
        services.record(account=acc, amount=-amount, type="withdrawal", date=date, entry=entry, actor=actor,
                        memo=memo, receipt=receipt)
        audit.record(actor, "savings_withdraw", cooperative=cooperative, obj=receipt, ref=receipt.number,
                     summary=memo, after={"account": acc.number, "amount": amount, "date": date})
    return receipt


def savings_transfer(*, actor, cooperative, source: str, target: str, amount, date: dt.date | None = None,
                     memo: str = "") -> Receipt:
    """Move money between two accounts of the same member (e.g. sukarela → wajib)."""
    require_role(actor, cooperative, STAFF, "mencatat pemindahbukuan")
    amount = money(amount)
    date = date or _today()
    if source == target:
        raise SavingsError("Rekening asal dan tujuan harus berbeda.")
    with action_atomic():
        accs = services.lock_accounts(cooperative, [source, target])
        src, dst = accs[source], accs[target]
        if src.member_id != dst.member_id:
            raise SavingsError("Pemindahbukuan hanya antar rekening anggota yang sama.")
        if dst.status != SavingsAccount.Status.AKTIF:
            raise SavingsError(f"Rekening {dst.number} sudah ditutup.")
        if dst.kind == Kind.BERJANGKA:
            raise SavingsError("Simpanan berjangka tidak menerima pemindahbukuan.")
        services.check_withdrawable(src, amount)
        memo = memo or f"Pemindahbukuan {src.number} ke {dst.number} {src.member.name}"
        number = services.receipt_number(cooperative, date)
        entry = post(cooperative=cooperative, date=date, memo=memo, actor=actor, source_type="savings.transfer",
                     source_ref=number,
                     lines=[Line(src.product.ledger_key, debit=amount), Line(dst.product.ledger_key, credit=amount)])
        receipt = services.new_receipt(number=number, cooperative=cooperative, date=date, type=Receipt.Type.PEMINDAHBUKUAN,
                                       member=src.member, amount=amount, cashier=actor, memo=memo, entry=entry)
        services.record(account=src, amount=-amount, type="transfer_out", date=date, entry=entry, actor=actor,
                        memo=memo, receipt=receipt)
        services.record(account=dst, amount=amount, type="transfer_in", date=date, entry=entry, actor=actor,
                        memo=memo, receipt=receipt)
        audit.record(actor, "savings_transfer", cooperative=cooperative, obj=receipt, ref=receipt.number,
                     summary=memo, after={"from": src.number, "to": dst.number, "amount": amount})
    return receipt


def savings_account_open(*, actor, cooperative, member_number: str, product_code: str,
                         date: dt.date | None = None) -> SavingsAccount:
    """Open a (sukarela) account for a member without a first deposit."""
    require_role(actor, cooperative, STAFF, "membuka rekening")
    date = date or _today()
    with action_atomic():
        member = Member.objects.select_for_update().filter(cooperative=cooperative, number=member_number).first()
        if member is None or member.status not in (Member.Status.AKTIF, Member.Status.CALON):
            raise SavingsError("Anggota tidak ditemukan atau tidak aktif.")
        product = SavingsProduct.objects.filter(cooperative=cooperative, code=product_code, active=True).first()
        if product is None or product.kind == Kind.BERJANGKA:
            raise SavingsError("Produk tidak ditemukan (simpanan berjangka dibuka dengan setoran).")
        if SavingsAccount.objects.filter(cooperative=cooperative, member=member, product=product,
                                         status=SavingsAccount.Status.AKTIF).exists():
            raise SavingsError("Anggota sudah memiliki rekening produk ini.")
        acc = services.open_account(cooperative, member, product, date)
        audit.record(actor, "savings_account_open", cooperative=cooperative, obj=acc, ref=acc.number,
                     summary=f"{product.name} {member.number}")
    return acc


def savings_time_deposit_open(*, actor, cooperative, member_number: str, product_code: str, amount,
                              date: dt.date | None = None) -> Receipt:
    """Open a simpanan berjangka with its principal paid in cash (Dr kas / Cr simpanan_berjangka)."""
    require_role(actor, cooperative, STAFF, "membuka simpanan berjangka")
    amount = money(amount)
    date = date or _today()
    with action_atomic():
        member = Member.objects.filter(cooperative=cooperative, number=member_number).first()
        if member is None or member.status != Member.Status.AKTIF:
            raise SavingsError("Anggota tidak ditemukan atau tidak aktif.")
        product = SavingsProduct.objects.filter(cooperative=cooperative, code=product_code, active=True,
                                                kind=Kind.BERJANGKA).first()
        if product is None:
            raise SavingsError("Produk simpanan berjangka tidak ditemukan.")
        from .runs import add_months

        acc = services.open_account(cooperative, member, product, date, rate=product.rate,
                                    term_months=product.term_months, term_start=date,
                                    maturity_on=add_months(date, product.term_months),
                                    maturity_action=product.maturity_action)
        memo = f"Simpanan berjangka {acc.number} {member.number} {member.name}"
        number = services.receipt_number(cooperative, date)
        entry = post(cooperative=cooperative, date=date, memo=memo, actor=actor, source_type="savings.deposit",
                     source_ref=number,
                     lines=[Line(CASH, debit=amount), Line(product.ledger_key, credit=amount)])
        receipt = services.new_receipt(number=number, cooperative=cooperative, date=date, type=Receipt.Type.SETORAN, member=member,
                                       amount=amount, cashier=actor, memo=memo, entry=entry)
        services.record(account=acc, amount=amount, type="deposit", date=date, entry=entry, actor=actor, memo=memo,
                        receipt=receipt)
        audit.record(actor, "savings_time_deposit_open", cooperative=cooperative, obj=acc, ref=acc.number,
                     summary=memo, after={"amount": amount, "maturity_on": acc.maturity_on})
    return receipt


def savings_time_deposit_break(*, actor, cooperative, account: str, date: dt.date | None = None) -> Receipt:
    """Withdraw a simpanan berjangka before maturity: principal minus the penalty, no jasa."""
    require_role(actor, cooperative, APPROVERS, "mencairkan simpanan berjangka")
    date = date or _today()
    with action_atomic():
        acc = services.lock_accounts(cooperative, [account])[account]
        if acc.kind != Kind.BERJANGKA or acc.status != SavingsAccount.Status.AKTIF:
            raise SavingsError("Rekening bukan simpanan berjangka yang aktif.")
        principal = acc.balance
        penalty = q(principal * acc.product.penalty_pct / 100) if acc.maturity_on and date < acc.maturity_on else ZERO
        payout = principal - penalty
        memo = f"Pencairan simpanan berjangka {acc.number} {acc.member.name}"
        lines = [Line(acc.product.ledger_key, debit=principal)]
        if payout > 0:
            lines.append(Line(CASH, credit=payout))
        if penalty > 0:
            lines.append(Line(services.admin_fee_key(cooperative), credit=penalty))
        number = services.receipt_number(cooperative, date)
        entry = post(cooperative=cooperative, date=date, memo=memo, actor=actor, source_type="savings.withdrawal",
                     lines=lines)
        receipt = services.new_receipt(number=number, cooperative=cooperative, date=date, type=Receipt.Type.PENARIKAN,
                                       member=acc.member, amount=payout, cashier=actor, memo=memo, entry=entry)
        if penalty > 0:
            services.record(account=acc, amount=-penalty, type="penalty", date=date, entry=entry, actor=actor,
                            memo="Denda pencairan sebelum jatuh tempo", receipt=receipt)
        if payout > 0:
            services.record(account=acc, amount=-payout, type="withdrawal", date=date, entry=entry, actor=actor,
                            memo=memo, receipt=receipt)
        SavingsAccount.objects.filter(pk=acc.pk).update(status=SavingsAccount.Status.DITUTUP, closed_on=date)
        audit.record(actor, "savings_time_deposit_break", cooperative=cooperative, obj=acc, ref=acc.number,
                     summary=memo, after={"principal": principal, "penalty": penalty, "paid": payout})
    return receipt


# --- payroll deduction (potong gaji) --------------------------------------------------------

class PayrollRowError(DomainError):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("Daftar potong gaji berisi kesalahan; tidak ada yang dicatat.")


def payroll_validate(cooperative, rows) -> tuple[list, list]:
    """rows: [(row number, {"no_anggota", "jumlah"})] -> (valid [(member, amount)], errors [(row, msg)])."""
    numbers = {str(r.get("no_anggota") or "").strip() for _, r in rows}
    members = {m.number: m for m in Member.objects.filter(cooperative=cooperative, number__in=numbers)}
    valid, errors, seen = [], [], set()
    for row_no, r in rows:
        number = str(r.get("no_anggota") or "").strip()
        if isinstance(r.get("no_anggota"), (int, float)) and number not in members:
            number = f"{int(r['no_anggota']):05d}"
            members.setdefault(number, Member.objects.filter(cooperative=cooperative, number=number).first())
        member = members.get(number)
        try:
            raw = r.get("jumlah")
            amount = money(str(raw) if raw is not None else "", "Jumlah")
        except SavingsError as exc:
            errors.append((row_no, str(exc)))
            continue
        if member is None:
            errors.append((row_no, f"No. anggota '{number}' tidak ditemukan."))
        elif member.status != Member.Status.AKTIF:
            errors.append((row_no, f"Anggota {number} tidak aktif."))
        elif number in seen:
            errors.append((row_no, f"No. anggota {number} tercantum dua kali."))
        else:
            seen.add(number)
            valid.append((member, amount))
    if not rows:
        errors.append((0, "Daftar kosong."))
    return valid, errors


def savings_payroll_import(*, actor, cooperative, rows, date: dt.date | None = None, employer: str = "",
                           cash_account: str = "bank") -> Receipt:
    """Pay many members' simpanan wajib from one employer transfer, all or nothing.

    One journal entry (Dr bank / Cr simpanan_wajib, total) with one savings transaction per
    member; each payment settles the member's oldest open dues.
    """
    require_role(actor, cooperative, STAFF, "mencatat potong gaji")
    date = date or _today()
    valid, errors = payroll_validate(cooperative, rows)
    if errors:
        raise PayrollRowError(errors)
    total = sum((a for _, a in valid), ZERO)
    with action_atomic():
        product = services.product_for(cooperative, Kind.WAJIB)
        memo = f"Potong gaji simpanan wajib {employer}".strip() + f" ({len(valid)} anggota)"
        number = services.receipt_number(cooperative, date)
        entry = post(cooperative=cooperative, date=date, memo=memo, actor=actor, source_type="savings.payroll",
                     source_ref=number,
                     lines=[Line(cash_account, debit=total), Line(product.ledger_key, credit=total)])
        receipt = services.new_receipt(number=number, cooperative=cooperative, date=date, type=Receipt.Type.POTONG_GAJI, member=None,
                                       amount=total, cashier=actor, memo=memo, entry=entry)
        for member, amount in sorted(valid, key=lambda v: v[0].pk):
            acc = services.account_of(cooperative, member, Kind.WAJIB, date, lock=True)
            services.record(account=acc, amount=amount, type="deposit", date=date, entry=entry, actor=actor,
                            memo=f"Potong gaji {receipt.number}", receipt=receipt)
        audit.record(actor, "savings_payroll_import", cooperative=cooperative, obj=receipt, ref=receipt.number,
                     summary=memo, after={"members": len(valid), "total": total})
    return receipt
