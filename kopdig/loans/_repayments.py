"""The loans app's shared write steps: lock a loan, number a repayment, apply a payment.

Private to the loans actions (``loan_repay``, ``loan_recover``, ``loan_exit_repay``): they run
inside the calling action's transaction and post through ``kopdig.ledger.posting.post`` in it.
Views, the API and other apps call the actions, never these.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from kopdig.ledger.posting import Line, post
from kopdig.lib.formats import rupiah
from kopdig.lib.money import ZERO, q
from kopdig.lib.transactions import batch
from kopdig.savings.actions import savings_sukarela_credit
from kopdig.tenancy.access import user_of
from kopdig.tenancy.numbering import next_document_number

from . import policy
from .errors import LoanError, Overpayment
from .models import Installment, Loan, LoanProduct, Repayment

INCOME_ACCOUNT = {
    "denda": "pendapatan_denda",
    "jasa": "pendapatan_jasa_pinjaman",
    "pokok": "piutang_pinjaman",
}
INSTALLMENT_FIELDS = [
    "pokok_paid",
    "jasa_paid",
    "denda_paid",
    "jasa_waived",
    "denda",
    "denda_through",
    "paid_on",
]


def lock_loan(cooperative, **lookup) -> Loan:
    """Load and lock one loan row (SELECT … FOR UPDATE on PostgreSQL)."""
    try:
        return (
            Loan.objects.select_for_update(of=("self",))
            .select_related("product", "member")
            .get(cooperative=cooperative, **lookup)
        )
    except Loan.DoesNotExist:
        raise LoanError("Pinjaman tidak ditemukan.") from None


def repayment_number(cooperative, date: dt.date) -> str:
    """The next kuitansi pinjaman number, gapless per cooperative and year: KP-2025-000001."""
    return next_document_number(cooperative, "loan_repayment", "KP", date.year)


def installments_of(loan: Loan) -> list[Installment]:
    return list(Installment.objects.filter(cooperative=loan.cooperative, loan=loan).order_by("number"))


def apply_repayment(
    *,
    loan: Loan,
    amount,
    date: dt.date,
    actor,
    payoff: bool = False,
    debit_account: str = "kas",
    kind: str = Repayment.Kind.REGULAR,
    overflow: str | None = None,
    memo: str = "",
) -> Repayment:
    """Apply a payment to a LOCKED active loan and post it. Not durable: call inside an action.

    Regular payments are allocated first over the installments due by ``date`` (component by
    component in the product's order), then installment by installment over future ones
    (pay-ahead). ``payoff`` settles the loan under the product's early-payoff jasa rule.
    Anything above what is owed is refused or moved to simpanan sukarela (product setting;
    ``overflow`` overrides it: "refuse" | "sukarela").
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("apply_repayment must run inside the calling action's transaction")
    amount = _checked_amount(loan, amount, date)
    installments = installments_of(loan)
    accrued = {i.pk for i in policy.accrue_denda(loan.product, installments, date)}
    alloc: dict = {}
    open_insts = policy.open_installments(installments)
    owed = _owed(loan, open_insts, date, amount, payoff, alloc)
    excess = _excess(loan, amount, owed, overflow)
    _allocate(loan.product, open_insts, date, amount - excess, alloc)
    totals = {c: sum((a[c] for a in alloc.values()), ZERO) for c in policy.COMPONENTS}
    _save_installments(installments, alloc, accrued, date)
    number = repayment_number(loan.cooperative, date)
    entry = _post(loan, number, date, amount - excess, totals, actor, debit_account, memo)
    if excess > 0:
        _overflow_to_sukarela(loan, excess, date, actor, debit_account, number)
    closed = _update_loan(loan, installments, totals["pokok"], date)
    return Repayment.objects.create(
        cooperative=loan.cooperative,
        loan=loan,
        number=number,
        kind=Repayment.Kind.PAYOFF if payoff else kind,
        date=date,
        amount=amount,
        denda=totals["denda"],
        jasa=totals["jasa"],
        pokok=totals["pokok"],
        to_sukarela=excess,
        debit_account=debit_account,
        allocations=[{"n": n, **{k: str(v) for k, v in a.items()}} for n, a in sorted(alloc.items())],
        closed_loan=closed,
        entry=entry,
        received_by=user_of(actor),
    )


def _checked_amount(loan: Loan, amount, date: dt.date) -> Decimal:
    amount = q(amount)
    if amount <= 0:
        raise LoanError("Jumlah pembayaran harus lebih dari nol.")
    if loan.status != Loan.Status.ACTIVE:
        raise LoanError(f"Pinjaman {loan.number} tidak aktif (status: {loan.get_status_display()}).")
    if loan.disbursed_on and date < loan.disbursed_on:
        raise LoanError("Tanggal pembayaran sebelum tanggal pencairan.")
    return amount


def _owed(loan, open_insts, date, amount, payoff: bool, alloc: dict) -> Decimal:
    """What the payment must cover: everything open, or the payoff quote (its waived jasa noted)."""
    if not payoff:
        return sum((i.pokok_due + i.jasa_due + i.denda_due for i in open_insts), ZERO)
    quote = policy.payoff_quote(loan, open_insts, date)
    if amount < quote["total"]:
        raise LoanError(
            f"Pelunasan dipercepat membutuhkan {rupiah(quote['total'])}; diterima {rupiah(amount)}."
        )
    for inst in open_insts:
        waived = quote["waived"].get(inst.number)
        if waived:
            inst.jasa_waived += waived
            alloc.setdefault(inst.number, {"denda": ZERO, "jasa": ZERO, "pokok": ZERO, "waived": ZERO})[
                "waived"
            ] += waived
    return quote["total"]


def _excess(loan, amount, owed, overflow) -> Decimal:
    """The part of ``amount`` above what is owed; refused unless it may go to simpanan sukarela."""
    excess = amount - owed if amount > owed else ZERO
    if excess > 0 and (overflow or loan.product.overpayment) != LoanProduct.Overpayment.SUKARELA:
        raise Overpayment(f"Pembayaran {rupiah(amount)} melebihi seluruh kewajiban pinjaman {rupiah(owed)}.")
    return excess


def _allocate(product, open_insts, date, remaining: Decimal, alloc: dict) -> None:
    """Over the installments due by ``date`` first, then the future ones one by one (pay-ahead)."""
    order = policy.allocation_order(product)
    remaining = policy.allocate([i for i in open_insts if i.due_date <= date], order, remaining, alloc)
    for inst in (i for i in open_insts if i.due_date > date):
        if remaining <= 0:
            break
        remaining = policy.allocate([inst], order, remaining, alloc)
    if remaining != 0:  # cannot happen: owed covers every component
        raise LoanError("Alokasi pembayaran tidak seimbang.")


def _save_installments(installments, alloc: dict, accrued: set, date: dt.date) -> None:
    changed = [i for i in installments if i.number in alloc or i.pk in accrued]
    for inst in changed:
        inst.paid_on = date if inst.is_paid and inst.paid_on is None else inst.paid_on
    Installment.objects.bulk_update(changed, INSTALLMENT_FIELDS)


def _post(loan, number, date, applied, totals, actor, debit_account, memo):
    lines = [Line(debit_account, debit=applied)]
    lines += [Line(INCOME_ACCOUNT[c], credit=totals[c]) for c in policy.COMPONENTS if totals[c] > 0]
    return post(
        cooperative=loan.cooperative,
        date=date,
        memo=memo or f"Angsuran pinjaman {loan.number} a.n. {loan.member.name}",
        lines=lines,
        actor=actor,
        source_type="loans.repayment",
        source_ref=number,
    )


def _overflow_to_sukarela(loan, excess, date, actor, debit_account, number) -> None:
    with batch():
        savings_sukarela_credit(
            actor=actor,
            cooperative=loan.cooperative,
            date=date,
            contra_account=debit_account,
            source_type="loans.overpayment",
            credits=[(loan.member, excess, f"Kelebihan bayar pinjaman {loan.number}", number)],
        )


def _update_loan(loan, installments, pokok: Decimal, date: dt.date) -> bool:
    """Outstanding, days past due, kolektibilitas and (when nothing is left) the closing; saved."""
    loan.outstanding -= pokok
    closed = all(i.pokok_due == 0 and i.jasa_due == 0 and i.denda_due == 0 for i in installments)
    loan.days_past_due = policy.days_past_due(installments, date)
    loan.kolektibilitas = policy.kolektibilitas_for(loan.days_past_due, loan.product)
    update = ["outstanding", "days_past_due", "kolektibilitas"]
    if closed:
        loan.status, loan.closed_on = Loan.Status.CLOSED, date
        update += ["status", "closed_on"]
    loan.save(update_fields=update)
    return closed


def repay_from_exit(
    *, cooperative, member, amount_available, date: dt.date, actor, source_ref: str = ""
) -> Decimal:
    """Settle the exiting member's open loans from ``amount_available`` (debit ``simpanan_keluar``).

    Each open loan (oldest first) is paid off under its product's early-payoff rule when the
    money suffices, otherwise the rest is applied as a partial payment in the product's
    allocation order. Returns the amount used (≤ amount_available).
    """
    available = q(amount_available)
    used = ZERO
    if available <= 0:
        return used
    ids = list(
        Loan.objects.filter(cooperative=cooperative, member=member, status=Loan.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    loans = [lock_loan(cooperative, pk=pk) for pk in ids]  # locked in id order
    loans.sort(key=lambda ln: (ln.disbursed_on or date, ln.number))
    memo_suffix = f" ({source_ref})" if source_ref else ""
    for loan in loans:
        if available - used <= 0:
            break
        used += _exit_repay_one(
            loan,
            available - used,
            date,
            actor,
            f"Pelunasan pinjaman {loan.number} dari simpanan anggota keluar{memo_suffix}",
        )
    return used


def _exit_repay_one(loan, left: Decimal, date, actor, memo) -> Decimal:
    installments = installments_of(loan)
    policy.accrue_denda(loan.product, installments, date)
    total = policy.payoff_quote(loan, policy.open_installments(installments), date)["total"]
    payoff = left >= total
    rep = apply_repayment(
        loan=loan,
        amount=total if payoff else left,
        date=date,
        actor=actor,
        payoff=payoff,
        debit_account="simpanan_keluar",
        kind=Repayment.Kind.EXIT,
        memo=memo,
    )
    if rep.kind != Repayment.Kind.EXIT:
        rep.kind = Repayment.Kind.EXIT
        rep.save(update_fields=["kind"])
    return rep.amount
