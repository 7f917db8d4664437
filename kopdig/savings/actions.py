"""Savings actions: the only code that writes savings rows. Each is atomic(durable), checks the
actor's role, posts through the ledger in the same transaction and writes one audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from kopdig import audit
from kopdig.ledger.posting import Line, post
from kopdig.lib.dates import add_months
from kopdig.lib.errors import DomainError
from kopdig.lib.money import ZERO, D, q
from kopdig.lib.transactions import action_atomic
from kopdig.members.models import Member
from kopdig.tenancy.access import APPROVERS, STAFF, require_role, user_of

from . import _postings as services
from . import runs
from ._postings import CASH
from .errors import SavingsError
from .models import Kind, Receipt, Run, SavingsAccount, SavingsProduct, SavingsTransaction
from .rules import check_withdrawable
from .selectors import admin_fee_key


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

PRODUCT_FIELDS = [
    "name",
    "active",
    "amount",
    "class_amounts",
    "rate",
    "basis",
    "min_balance",
    "admin_fee",
    "tax_enabled",
    "tax_threshold",
    "tax_rate",
    "tax_base",
    "term_months",
    "maturity_action",
    "penalty_pct",
]


def savings_products_setup(*, actor, cooperative) -> list[SavingsProduct]:
    """Create the cooperative's default savings products (idempotent)."""
    require_role(actor, cooperative, APPROVERS, "mengatur produk simpanan")
    with action_atomic():
        before = SavingsProduct.objects.filter(cooperative=cooperative).count()
        services.ensure_products(cooperative)
        products = list(SavingsProduct.objects.filter(cooperative=cooperative))
        if len(products) != before:
            audit.record(
                actor,
                "savings_products_setup",
                cooperative=cooperative,
                ref=cooperative.slug,
                summary=f"{len(products) - before} produk simpanan dibuat",
            )
    return products


def savings_product_update(*, actor, cooperative, code: str, **fields) -> SavingsProduct:
    require_role(actor, cooperative, APPROVERS, "mengatur produk simpanan")
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"unknown product fields: {sorted(unknown)}")
    with action_atomic():
        product = (
            SavingsProduct.objects.select_for_update().filter(cooperative=cooperative, code=code).first()
        )
        if product is None:
            raise SavingsError("Produk simpanan tidak ditemukan.")
        before = audit.snapshot(product, list(fields))
        for key, value in fields.items():
            if key in (
                "amount",
                "rate",
                "min_balance",
                "admin_fee",
                "tax_threshold",
                "tax_rate",
                "penalty_pct",
            ):
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
        audit.record(
            actor,
            "savings_product_update",
            cooperative=cooperative,
            obj=product,
            ref=product.code,
            summary=product.name,
            before=b,
            after=a,
        )
    return product


# --- teller transactions --------------------------------------------------------------------


def savings_deposit(
    *,
    actor,
    cooperative,
    account: str,
    amount,
    date: dt.date | None = None,
    memo: str = "",
    cash_account: str = CASH,
) -> Receipt:
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
        entry = post(
            cooperative=cooperative,
            date=date,
            memo=memo,
            actor=actor,
            source_type="savings.deposit",
            source_ref=number,
            lines=[Line(cash_account, debit=amount), Line(acc.product.ledger_key, credit=amount)],
        )
        receipt = services.new_receipt(
            number=number,
            cooperative=cooperative,
            date=date,
            type=Receipt.Type.SETORAN,
            member=acc.member,
            amount=amount,
            cashier=actor,
            memo=memo,
            entry=entry,
        )
        services.record(
            account=acc,
            amount=amount,
            type="deposit",
            date=date,
            entry=entry,
            actor=actor,
            memo=memo,
            receipt=receipt,
        )
        audit.record(
            actor,
            "savings_deposit",
            cooperative=cooperative,
            obj=receipt,
            ref=receipt.number,
            summary=memo,
            after={"account": acc.number, "amount": amount, "date": date},
        )
    return receipt


def savings_withdraw(
    *,
    actor,
    cooperative,
    account: str,
    amount,
    date: dt.date | None = None,
    memo: str = "",
    cash_account: str = CASH,
) -> Receipt:
    """Cash withdrawal (Dr the product's account / Cr kas); refused beyond the available balance,
    below the minimum balance, and for pokok/wajib while a member."""
    require_role(actor, cooperative, STAFF, "mencatat penarikan")
    amount = money(amount)
    date = date or _today()
    with action_atomic():
        acc = services.lock_accounts(cooperative, [account])[account]
        check_withdrawable(acc, amount)
        memo = memo or f"Penarikan {acc.product.name} {acc.member.number} {acc.member.name}"
        number = services.receipt_number(cooperative, date)
        entry = post(
            cooperative=cooperative,
            date=date,
            memo=memo,
            actor=actor,
            source_type="savings.withdrawal",
            source_ref=number,
            lines=[Line(acc.product.ledger_key, debit=amount), Line(cash_account, credit=amount)],
        )
        receipt = services.new_receipt(
            number=number,
            cooperative=cooperative,
            date=date,
            type=Receipt.Type.PENARIKAN,
            member=acc.member,
            amount=amount,
            cashier=actor,
            memo=memo,
            entry=entry,
        )
        services.record(
            account=acc,
            amount=-amount,
            type="withdrawal",
            date=date,
            entry=entry,
            actor=actor,
            memo=memo,
            receipt=receipt,
        )
        audit.record(
            actor,
            "savings_withdraw",
            cooperative=cooperative,
            obj=receipt,
            ref=receipt.number,
            summary=memo,
            after={"account": acc.number, "amount": amount, "date": date},
        )
    return receipt


def savings_transfer(
    *, actor, cooperative, source: str, target: str, amount, date: dt.date | None = None, memo: str = ""
) -> Receipt:
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
        check_withdrawable(src, amount)
        memo = memo or f"Pemindahbukuan {src.number} ke {dst.number} {src.member.name}"
        number = services.receipt_number(cooperative, date)
        entry = post(
            cooperative=cooperative,
            date=date,
            memo=memo,
            actor=actor,
            source_type="savings.transfer",
            source_ref=number,
            lines=[Line(src.product.ledger_key, debit=amount), Line(dst.product.ledger_key, credit=amount)],
        )
        receipt = services.new_receipt(
            number=number,
            cooperative=cooperative,
            date=date,
            type=Receipt.Type.PEMINDAHBUKUAN,
            member=src.member,
            amount=amount,
            cashier=actor,
            memo=memo,
            entry=entry,
        )
        services.record(
            account=src,
            amount=-amount,
            type="transfer_out",
            date=date,
            entry=entry,
            actor=actor,
            memo=memo,
            receipt=receipt,
        )
        services.record(
            account=dst,
            amount=amount,
            type="transfer_in",
            date=date,
            entry=entry,
            actor=actor,
            memo=memo,
            receipt=receipt,
        )
        audit.record(
            actor,
            "savings_transfer",
            cooperative=cooperative,
            obj=receipt,
            ref=receipt.number,
            summary=memo,
            after={"from": src.number, "to": dst.number, "amount": amount},
        )
    return receipt


def savings_account_open(
    *, actor, cooperative, member_number: str, product_code: str, date: dt.date | None = None
) -> SavingsAccount:
    """Open a (sukarela) account for a member without a first deposit."""
    require_role(actor, cooperative, STAFF, "membuka rekening")
    date = date or _today()
    with action_atomic():
        member = (
            Member.objects.select_for_update().filter(cooperative=cooperative, number=member_number).first()
        )
        if member is None or member.status not in (Member.Status.AKTIF, Member.Status.CALON):
            raise SavingsError("Anggota tidak ditemukan atau tidak aktif.")
        product = SavingsProduct.objects.filter(
            cooperative=cooperative, code=product_code, active=True
        ).first()
        if product is None or product.kind == Kind.BERJANGKA:
            raise SavingsError("Produk tidak ditemukan (simpanan berjangka dibuka dengan setoran).")
        if SavingsAccount.objects.filter(
            cooperative=cooperative, member=member, product=product, status=SavingsAccount.Status.AKTIF
        ).exists():
            raise SavingsError("Anggota sudah memiliki rekening produk ini.")
        acc = services.open_account(cooperative, member, product, date)
        audit.record(
            actor,
            "savings_account_open",
            cooperative=cooperative,
            obj=acc,
            ref=acc.number,
            summary=f"{product.name} {member.number}",
        )
    return acc


def savings_time_deposit_open(
    *, actor, cooperative, member_number: str, product_code: str, amount, date: dt.date | None = None
) -> Receipt:
    """Open a simpanan berjangka with its principal paid in cash (Dr kas / Cr simpanan_berjangka)."""
    require_role(actor, cooperative, STAFF, "membuka simpanan berjangka")
    amount = money(amount)
    date = date or _today()
    with action_atomic():
        member = Member.objects.filter(cooperative=cooperative, number=member_number).first()
        if member is None or member.status != Member.Status.AKTIF:
            raise SavingsError("Anggota tidak ditemukan atau tidak aktif.")
        product = SavingsProduct.objects.filter(
            cooperative=cooperative, code=product_code, active=True, kind=Kind.BERJANGKA
        ).first()
        if product is None:
            raise SavingsError("Produk simpanan berjangka tidak ditemukan.")
        acc = services.open_account(
            cooperative,
            member,
            product,
            date,
            rate=product.rate,
            term_months=product.term_months,
            term_start=date,
            maturity_on=add_months(date, product.term_months),
            maturity_action=product.maturity_action,
        )
        memo = f"Simpanan berjangka {acc.number} {member.number} {member.name}"
        number = services.receipt_number(cooperative, date)
        entry = post(
            cooperative=cooperative,
            date=date,
            memo=memo,
            actor=actor,
            source_type="savings.deposit",
            source_ref=number,
            lines=[Line(CASH, debit=amount), Line(product.ledger_key, credit=amount)],
        )
        receipt = services.new_receipt(
            number=number,
            cooperative=cooperative,
            date=date,
            type=Receipt.Type.SETORAN,
            member=member,
            amount=amount,
            cashier=actor,
            memo=memo,
            entry=entry,
        )
        services.record(
            account=acc,
            amount=amount,
            type="deposit",
            date=date,
            entry=entry,
            actor=actor,
            memo=memo,
            receipt=receipt,
        )
        audit.record(
            actor,
            "savings_time_deposit_open",
            cooperative=cooperative,
            obj=acc,
            ref=acc.number,
            summary=memo,
            after={"amount": amount, "maturity_on": acc.maturity_on},
        )
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
        penalty = (
            q(principal * acc.product.penalty_pct / 100)
            if acc.maturity_on and date < acc.maturity_on
            else ZERO
        )
        payout = principal - penalty
        memo = f"Pencairan simpanan berjangka {acc.number} {acc.member.name}"
        lines = [Line(acc.product.ledger_key, debit=principal)]
        if payout > 0:
            lines.append(Line(CASH, credit=payout))
        if penalty > 0:
            lines.append(Line(admin_fee_key(cooperative), credit=penalty))
        number = services.receipt_number(cooperative, date)
        entry = post(
            cooperative=cooperative,
            date=date,
            memo=memo,
            actor=actor,
            source_type="savings.withdrawal",
            lines=lines,
        )
        receipt = services.new_receipt(
            number=number,
            cooperative=cooperative,
            date=date,
            type=Receipt.Type.PENARIKAN,
            member=acc.member,
            amount=payout,
            cashier=actor,
            memo=memo,
            entry=entry,
        )
        if penalty > 0:
            services.record(
                account=acc,
                amount=-penalty,
                type="penalty",
                date=date,
                entry=entry,
                actor=actor,
                memo="Denda pencairan sebelum jatuh tempo",
                receipt=receipt,
            )
        if payout > 0:
            services.record(
                account=acc,
                amount=-payout,
                type="withdrawal",
                date=date,
                entry=entry,
                actor=actor,
                memo=memo,
                receipt=receipt,
            )
        SavingsAccount.objects.filter(pk=acc.pk).update(status=SavingsAccount.Status.DITUTUP, closed_on=date)
        audit.record(
            actor,
            "savings_time_deposit_break",
            cooperative=cooperative,
            obj=acc,
            ref=acc.number,
            summary=memo,
            after={"principal": principal, "penalty": penalty, "paid": payout},
        )
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


def savings_payroll_import(
    *, actor, cooperative, rows, date: dt.date | None = None, employer: str = "", cash_account: str = "bank"
) -> Receipt:
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
        entry = post(
            cooperative=cooperative,
            date=date,
            memo=memo,
            actor=actor,
            source_type="savings.payroll",
            source_ref=number,
            lines=[Line(cash_account, debit=total), Line(product.ledger_key, credit=total)],
        )
        receipt = services.new_receipt(
            number=number,
            cooperative=cooperative,
            date=date,
            type=Receipt.Type.POTONG_GAJI,
            member=None,
            amount=total,
            cashier=actor,
            memo=memo,
            entry=entry,
        )
        for member, amount in sorted(valid, key=lambda v: v[0].pk):
            acc = services.account_of(cooperative, member, Kind.WAJIB, date, lock=True)
            services.record(
                account=acc,
                amount=amount,
                type="deposit",
                date=date,
                entry=entry,
                actor=actor,
                memo=f"Potong gaji {receipt.number}",
                receipt=receipt,
            )
        audit.record(
            actor,
            "savings_payroll_import",
            cooperative=cooperative,
            obj=receipt,
            ref=receipt.number,
            summary=memo,
            after={"members": len(valid), "total": total},
        )
    return receipt


# --- monthly runs ---------------------------------------------------------------------------


def savings_run_claim(*, actor, cooperative, kind: str, period: dt.date) -> Run:
    """Get or create the run row; refuse a run that is already finished (idempotent callers check)."""
    require_role(actor, cooperative, APPROVERS, "menjalankan proses bulanan simpanan")
    if kind not in Run.Kind.values:
        raise runs.RunError("Jenis proses tidak dikenal.")
    period = period.replace(day=1)
    runs.check_period(kind, period)
    with action_atomic():
        try:
            with transaction.atomic():
                run, created = Run.objects.get_or_create(
                    cooperative=cooperative, kind=kind, period=period, defaults={"started_by": user_of(actor)}
                )
        except IntegrityError:
            run, created = Run.objects.get(cooperative=cooperative, kind=kind, period=period), False
        if created:
            audit.record(
                actor,
                f"savings_run_{kind}",
                cooperative=cooperative,
                obj=run,
                ref=f"{kind} {period:%Y-%m}",
                summary=Run.Kind(kind).label,
            )
    return run


def savings_run(*, actor, cooperative, kind: str, period: dt.date) -> Run:
    """Claim and execute a monthly run (billing, interest, maturity): the command, the page's
    task and the tests call this. Idempotent and resumable (see ``runs``)."""
    run = savings_run_claim(actor=actor, cooperative=cooperative, kind=kind, period=period)
    return runs.execute(run, actor=actor)


# --- building blocks other apps' actions run inside ``batch()`` -----------------------------


def savings_sukarela_credit(
    *, actor, cooperative, credits, date: dt.date, contra_account: str, source_type: str
) -> list[SavingsTransaction]:
    """Credit members' simpanan sukarela against ``contra_account`` (a loan paid out to savings,
    a loan overpayment, SHU): per credit (member, amount, memo, source_ref) one entry Dr
    contra / Cr simpanan_sukarela and one savings transaction; one audit row for the call."""
    require_role(actor, cooperative, STAFF, "mengkredit simpanan sukarela")
    with action_atomic():
        txs = [
            services.credit_sukarela(
                cooperative=cooperative,
                member=member,
                amount=amount,
                date=date,
                actor=actor,
                memo=memo,
                contra_account=contra_account,
                source_type=source_type,
                source_ref=ref,
            )
            for member, amount, memo, ref in credits
        ]
        if txs:
            total = sum((t.amount for t in txs), ZERO)
            audit.record(
                actor,
                "savings_sukarela_credit",
                cooperative=cooperative,
                ref=credits[0][3],
                summary=f"{source_type}: {len(txs)} kredit simpanan sukarela",
                after={"credits": len(txs), "total": total},
            )
    return txs


def savings_member_open(
    *, actor, cooperative, member, date: dt.date, pay_pokok: bool = True, cash_account: str = CASH
) -> Receipt | None:
    """Open a new member's pokok and wajib accounts and take the simpanan pokok in cash
    (Dr kas / Cr simpanan_pokok) with a kuitansi; returns it (None when nothing was paid)."""
    require_role(actor, cooperative, STAFF, "membuka rekening anggota")
    with action_atomic():
        products = services.ensure_products(cooperative)
        accounts = {
            kind: services.open_account(cooperative, member, products[kind], date)
            for kind in (Kind.POKOK, Kind.WAJIB)
            if kind in products
        }
        pokok = products.get(Kind.POKOK)
        receipt = None
        if pay_pokok and pokok is not None and pokok.amount > 0:
            receipt = _take_pokok(actor, cooperative, member, accounts[Kind.POKOK], pokok, date, cash_account)
        audit.record(
            actor,
            "savings_member_open",
            cooperative=cooperative,
            obj=member,
            ref=member.number,
            summary=", ".join(a.number for a in accounts.values()),
            after={"pokok": receipt.amount if receipt else ZERO},
        )
    return receipt


def _take_pokok(actor, cooperative, member, account, pokok, date, cash_account) -> Receipt:
    memo = f"Simpanan pokok {member.number} {member.name}"
    number = services.receipt_number(cooperative, date)
    entry = post(
        cooperative=cooperative,
        date=date,
        memo=memo,
        actor=actor,
        source_type="members.admit",
        source_ref=number,
        lines=[Line(cash_account, debit=pokok.amount), Line(pokok.ledger_key, credit=pokok.amount)],
    )
    receipt = services.new_receipt(
        number=number,
        cooperative=cooperative,
        date=date,
        type=Receipt.Type.SETORAN,
        member=member,
        amount=pokok.amount,
        cashier=actor,
        memo=memo,
        entry=entry,
    )
    services.record(
        account=account,
        amount=pokok.amount,
        type="deposit",
        date=date,
        entry=entry,
        actor=actor,
        memo=memo,
        receipt=receipt,
    )
    return receipt


def savings_member_close(*, actor, cooperative, member, date: dt.date, memo: str) -> Decimal:
    """Close an exiting member's accounts: their full balances move to simpanan_keluar (Dr each
    product's account / Cr simpanan_keluar); returns the total. Refused while a berjangka
    account holds money or a balance is negative."""
    require_role(actor, cooperative, APPROVERS, "menutup rekening anggota keluar")
    with action_atomic():
        accounts = list(
            SavingsAccount.objects.select_for_update(of=("self",))
            .select_related("product")
            .filter(cooperative=cooperative, member=member, status="aktif")
            .order_by("id")
        )
        if any(a.kind == Kind.BERJANGKA and a.balance for a in accounts):
            raise SavingsError("Cairkan simpanan berjangka anggota ini lebih dulu.")
        if any(a.balance < 0 for a in accounts):
            raise SavingsError("Ada rekening bersaldo negatif; periksa pembukuan.")
        total = sum((a.balance for a in accounts), ZERO)
        if total > 0:
            _move_to_simpanan_keluar(actor, cooperative, member, accounts, total, date, memo)
        SavingsAccount.objects.filter(pk__in=[a.pk for a in accounts]).update(
            status="ditutup", closed_on=date
        )
        audit.record(
            actor,
            "savings_member_close",
            cooperative=cooperative,
            obj=member,
            ref=member.number,
            summary=memo,
            after={"accounts": len(accounts), "total": total},
        )
    return total


def _move_to_simpanan_keluar(actor, cooperative, member, accounts, total, date, memo) -> None:
    services.lock_receipt_numbers(cooperative, date)  # the payout's kuitansi comes after this posting
    lines = [Line(a.product.ledger_key, debit=a.balance) for a in accounts if a.balance > 0]
    lines.append(Line("simpanan_keluar", credit=total))
    entry = post(
        cooperative=cooperative,
        date=date,
        memo=memo,
        actor=actor,
        source_type="members.exit",
        source_ref=member.number,
        lines=lines,
    )
    for acc in accounts:
        if acc.balance > 0:
            services.record(
                account=acc,
                amount=-acc.balance,
                type="closing",
                date=date,
                entry=entry,
                actor=actor,
                memo=memo,
            )


def savings_exit_payout(
    *, actor, cooperative, member, amount, date: dt.date, memo: str, cash_account: str = CASH
) -> Receipt:
    """Pay out what an exiting member is owed from simpanan_keluar (Dr simpanan_keluar / Cr kas)
    with a kuitansi (type penutupan)."""
    require_role(actor, cooperative, APPROVERS, "membayar simpanan anggota keluar")
    amount = money(amount)
    with action_atomic():
        number = services.receipt_number(cooperative, date)
        entry = post(
            cooperative=cooperative,
            date=date,
            memo=f"Pembayaran simpanan keluar {member.number}",
            actor=actor,
            source_type="members.exit_payout",
            source_ref=number,
            lines=[Line("simpanan_keluar", debit=amount), Line(cash_account, credit=amount)],
        )
        receipt = services.new_receipt(
            number=number,
            cooperative=cooperative,
            date=date,
            type=Receipt.Type.PENUTUPAN,
            member=member,
            amount=amount,
            cashier=actor,
            memo=memo,
            entry=entry,
        )
        audit.record(
            actor,
            "savings_exit_payout",
            cooperative=cooperative,
            obj=receipt,
            ref=number,
            summary=memo,
            after={"member": member.number, "amount": amount},
        )
    return receipt
