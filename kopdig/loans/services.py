"""Loan services used by loans' own actions and by other apps.

Functions here that write are NOT durable: they must run inside the calling action's
``transaction.atomic(durable=True)`` (they post through ``ledger.posting.post`` in it). The
public cross-app API:

* ``outstanding_by_member(cooperative, member) -> Decimal`` (principal still owed, open loans)
* ``repay_from_exit(*, cooperative, member, amount_available, date, actor, source_ref) -> Decimal``
  (members' exit action: settles the member's open loans from the money being returned;
  debit account ``simpanan_keluar``; returns the amount used)
* ``jasa_paid_by_member(cooperative, start, end) -> dict[member_id, Decimal]`` (SHU transaksi, KSP)
* ``disbursed_total(cooperative, start, end) -> Decimal`` (Dinas volume usaha)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from kopdig.ledger.posting import Line, post
from kopdig.lib.errors import DomainError
from kopdig.lib.formats import rupiah
from kopdig.lib.money import ZERO, D, q
from kopdig.tenancy.numbering import next_number

from .models import FeeKind, Installment, Kolektibilitas, Loan, LoanProduct, Repayment

COMPONENTS = ("denda", "jasa", "pokok")
INCOME_ACCOUNT = {"denda": "pendapatan_denda", "jasa": "pendapatan_jasa_pinjaman", "pokok": "piutang_pinjaman"}


class LoanError(DomainError):
    pass


class Overpayment(LoanError):
    pass


# ---------------------------------------------------------------- reads used by other apps

def outstanding_by_member(cooperative, member) -> Decimal:
    """Principal still owed by ``member`` on active loans (the cached ``Loan.outstanding``)."""
    total = Loan.objects.filter(cooperative=cooperative, member=member, status=Loan.Status.ACTIVE).aggregate(
        s=Sum("outstanding"))["s"]
    return q(total or ZERO)


def jasa_paid_by_member(cooperative, start: dt.date, end: dt.date) -> dict:
    """{member_id: jasa actually paid} by repayments dated start..end (inclusive), reversals excluded."""
    rows = (Repayment.objects.filter(cooperative=cooperative, date__gte=start, date__lte=end, reversed=False)
            .values("loan__member_id").annotate(s=Sum("jasa")))
    return {r["loan__member_id"]: q(r["s"]) for r in rows if r["s"]}


def disbursed_total(cooperative, start: dt.date, end: dt.date) -> Decimal:
    """Σ principal of loans disbursed start..end (inclusive)."""
    total = Loan.objects.filter(cooperative=cooperative, disbursed_on__gte=start, disbursed_on__lte=end).aggregate(
        s=Sum("principal"))["s"]
    return q(total or ZERO)


# ---------------------------------------------------------------- policy helpers

def fee_amount(kind: str, value, principal) -> Decimal:
    value = D(value)
    if kind == FeeKind.PERCENT:
        return q(D(principal) * value / Decimal(100))
    return q(value)


def monthly_rate(product: LoanProduct) -> Decimal:
    """The product's rate as percent per month (annual rates / 12, kept to 4 decimals)."""
    rate = D(product.rate_percent)
    if product.rate_basis == LoanProduct.RateBasis.ANNUAL:
        return (rate / Decimal(12)).quantize(Decimal("0.0001"))
    return rate


def kolektibilitas_for(days: int, product) -> str:
    if days > product.macet_after_days:
        return Kolektibilitas.MACET
    if days > product.diragukan_after_days:
        return Kolektibilitas.DIRAGUKAN
    if days > product.kurang_lancar_after_days:
        return Kolektibilitas.KURANG_LANCAR
    return Kolektibilitas.LANCAR


def allocation_order(product) -> list[str]:
    order = [c.strip() for c in (product.allocation_order or "").split(",") if c.strip()]
    if sorted(order) != sorted(COMPONENTS):
        return list(COMPONENTS)
    return order


def accrue_denda(product, installments, date: dt.date) -> list[Installment]:
    """Assess late penalties up to ``date`` on overdue installments (in memory); returns the changed ones.

    Per day: value% of the unpaid pokok+jasa (or a fixed amount) for each day past
    due_date + grace days not yet accrued (``denda_through``). Per installment: charged once when the
    installment is still unpaid after due_date + grace days. Idempotent for the same date.
    """
    value = D(product.denda_value)
    if value <= 0:
        return []
    grace = dt.timedelta(days=product.denda_grace_days)
    changed = []
    for inst in installments:
        start = inst.due_date + grace
        if date <= start:
            continue
        unpaid = inst.pokok_due + inst.jasa_due
        if unpaid <= 0:
            continue
        if product.denda_basis == LoanProduct.DendaBasis.PER_INSTALLMENT:
            if inst.denda_through is not None:
                continue
            inst.denda += fee_amount(product.denda_kind, value, inst.pokok + inst.jasa)
        else:
            since = max(start, inst.denda_through or start)
            days = (date - since).days
            if days <= 0:
                continue
            per_day = fee_amount(product.denda_kind, value, unpaid)
            inst.denda += q(per_day * days)
        inst.denda_through = date
        changed.append(inst)
    return changed


def days_past_due(installments, date: dt.date) -> int:
    oldest = min((i.due_date for i in installments if i.due_date < date and (i.pokok_due > 0 or i.jasa_due > 0)),
                 default=None)
    return (date - oldest).days if oldest else 0


# ---------------------------------------------------------------- the repayment engine

def _allocate(bucket, order, remaining: Decimal, alloc: dict) -> Decimal:
    """Allocate ``remaining`` over a bucket of installments: component by component in ``order``."""
    for comp in order:
        for inst in bucket:
            if remaining <= 0:
                return remaining
            due = getattr(inst, f"{comp}_due")
            if due <= 0:
                continue
            take = min(due, remaining)
            setattr(inst, f"{comp}_paid", getattr(inst, f"{comp}_paid") + take)
            alloc.setdefault(inst.number, {"denda": ZERO, "jasa": ZERO, "pokok": ZERO, "waived": ZERO})[comp] += take
            remaining -= take
    return remaining


def payoff_quote(loan: Loan, installments, date: dt.date) -> dict:
    """What an early payoff on ``date`` costs under the product rule (after denda accrual)."""
    rule = loan.product.early_payoff_jasa
    due_now = [i for i in installments if i.due_date <= date]
    future = [i for i in installments if i.due_date > date]
    denda = sum((i.denda_due for i in installments), ZERO)
    jasa = sum((i.jasa_due for i in due_now), ZERO)
    waived = {}
    for k, inst in enumerate(future):
        keep = rule == LoanProduct.EarlyPayoffJasa.FULL or (rule == LoanProduct.EarlyPayoffJasa.CURRENT and k == 0)
        if keep:
            jasa += inst.jasa_due
        elif inst.jasa_due > 0:
            waived[inst.number] = inst.jasa_due
    pokok = sum((i.pokok_due for i in installments), ZERO)
    return {"denda": denda, "jasa": jasa, "pokok": pokok, "total": denda + jasa + pokok, "waived": waived}


def lock_loan(cooperative, **lookup) -> Loan:
    """Load and lock one loan row (SELECT … FOR UPDATE on PostgreSQL)."""
    try:
        return (Loan.objects.select_for_update(of=("self",)).select_related("product", "member")
                .get(cooperative=cooperative, **lookup))
    except Loan.DoesNotExist:
        raise LoanError("Pinjaman tidak ditemukan.") from None


def apply_repayment(*, loan: Loan, amount, date: dt.date, actor, payoff: bool = False,
                    debit_account: str = "kas", kind: str = Repayment.Kind.REGULAR, overflow: str | None = None,
                    memo: str = "") -> Repayment:
    """Apply a payment to a LOCKED active loan and post it. Not durable: call inside an action.

    Regular payments are allocated first over the installments due by ``date`` (component by
    component in the product's order), then installment by installment over future ones
    (pay-ahead). ``payoff`` settles the loan under the product's early-payoff jasa rule.
    Anything above what is owed is refused or moved to simpanan sukarela (product setting;
    ``overflow`` overrides it: "refuse" | "sukarela").
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("apply_repayment must run inside the calling action's transaction")
    amount = q(amount)
    if amount <= 0:
        raise LoanError("Jumlah pembayaran harus lebih dari nol.")
    if loan.status != Loan.Status.ACTIVE:
        raise LoanError(f"Pinjaman {loan.number} tidak aktif (status: {loan.get_status_display()}).")
    if loan.disbursed_on and date < loan.disbursed_on:
        raise LoanError("Tanggal pembayaran sebelum tanggal pencairan.")
    product = loan.product
    installments = list(Installment.objects.filter(cooperative=loan.cooperative, loan=loan).order_by("number"))
    accrued = accrue_denda(product, installments, date)
    accrued_ids = {i.pk for i in accrued}
    order = allocation_order(product)
    alloc: dict = {}
    open_insts = [i for i in installments if i.pokok_due > 0 or i.jasa_due > 0 or i.denda_due > 0]
    if payoff:
        quote = payoff_quote(loan, open_insts, date)
        if amount < quote["total"]:
            raise LoanError(f"Pelunasan dipercepat membutuhkan {rupiah(quote['total'])}; diterima {rupiah(amount)}.")
        for inst in open_insts:
            w = quote["waived"].get(inst.number)
            if w:
                inst.jasa_waived += w
                alloc.setdefault(inst.number, {"denda": ZERO, "jasa": ZERO, "pokok": ZERO, "waived": ZERO})[
                    "waived"] += w
        owed = quote["total"]
    else:
        owed = sum((i.pokok_due + i.jasa_due + i.denda_due for i in open_insts), ZERO)
    excess = amount - owed if amount > owed else ZERO
    if excess > 0:
        rule = overflow or product.overpayment
        if rule != LoanProduct.Overpayment.SUKARELA:
            raise Overpayment(
                f"Pembayaran {rupiah(amount)} melebihi seluruh kewajiban pinjaman {rupiah(owed)}.")
    remaining = amount - excess
    due_now = [i for i in open_insts if i.due_date <= date]
    remaining = _allocate(due_now, order, remaining, alloc)
    for inst in (i for i in open_insts if i.due_date > date):
        if remaining <= 0:
            break
        remaining = _allocate([inst], order, remaining, alloc)
    if remaining != 0:  # cannot happen: owed covers every component
        raise LoanError("Alokasi pembayaran tidak seimbang.")
    totals = {c: sum((a[c] for a in alloc.values()), ZERO) for c in COMPONENTS}
    changed = {i.number: i for i in installments if i.number in alloc or i.pk in accrued_ids}
    for inst in changed.values():
        inst.paid_on = date if inst.is_paid and inst.paid_on is None else inst.paid_on
    Installment.objects.bulk_update(
        list(changed.values()), ["pokok_paid", "jasa_paid", "denda_paid", "jasa_waived", "denda", "denda_through",
                                 "paid_on"])
    applied = amount - excess
    cooperative = loan.cooperative
    seq = next_number(cooperative, "loan_repayment", date.year)
    number = f"KP-{date.year}-{seq:06d}"
    lines = [Line(debit_account, debit=applied)]
    lines += [Line(INCOME_ACCOUNT[c], credit=totals[c]) for c in COMPONENTS if totals[c] > 0]
    entry = post(cooperative=cooperative, date=date,
                 memo=memo or f"Angsuran pinjaman {loan.number} a.n. {loan.member.name}", lines=lines, actor=actor,
                 source_type="loans.repayment", source_ref=number)
    if excess > 0:
        from kopdig.savings.services import credit_sukarela

        credit_sukarela(cooperative=cooperative, member=loan.member, amount=excess, date=date, actor=actor,
                        memo=f"Kelebihan bayar pinjaman {loan.number}", contra_account=debit_account,
                        source_type="loans.overpayment", source_ref=number)
    loan.outstanding -= totals["pokok"]
    closed = all(i.pokok_due == 0 and i.jasa_due == 0 and i.denda_due == 0 for i in installments)
    loan.days_past_due = days_past_due(installments, date)
    loan.kolektibilitas = kolektibilitas_for(loan.days_past_due, product)
    update = ["outstanding", "days_past_due", "kolektibilitas"]
    if closed:
        loan.status = Loan.Status.CLOSED
        loan.closed_on = date
        update += ["status", "closed_on"]
    loan.save(update_fields=update)
    return Repayment.objects.create(
        cooperative=cooperative, loan=loan, number=number, kind=Repayment.Kind.PAYOFF if payoff else kind,
        date=date, amount=amount, denda=totals["denda"], jasa=totals["jasa"], pokok=totals["pokok"],
        to_sukarela=excess, debit_account=debit_account,
        allocations=[{"n": n, **{k: str(v) for k, v in a.items()}} for n, a in sorted(alloc.items())],
        closed_loan=closed, entry=entry, received_by=actor if actor is not None and actor.is_authenticated else None,
    )


def repay_from_exit(*, cooperative, member, amount_available, date: dt.date, actor, source_ref: str = "") -> Decimal:
    """Settle the exiting member's open loans from ``amount_available`` (debit ``simpanan_keluar``).

    Not durable: call inside the members' exit action, after it has credited the member's
    savings to ``simpanan_keluar``. Each open loan (oldest first) is paid off under its product's
    early-payoff rule when the money suffices, otherwise the rest is applied as a partial
    payment in the product's allocation order. Returns the amount used (≤ amount_available).
    """
    available = q(amount_available)
    used = ZERO
    if available <= 0:
        return used
    ids = list(Loan.objects.filter(cooperative=cooperative, member=member, status=Loan.Status.ACTIVE)
               .order_by("pk").values_list("pk", flat=True))
    loans = [lock_loan(cooperative, pk=pk) for pk in ids]  # locked in id order
    loans.sort(key=lambda ln: (ln.disbursed_on or date, ln.number))
    memo_suffix = f" ({source_ref})" if source_ref else ""
    for loan in loans:
        if available - used <= 0:
            break
        installments = list(Installment.objects.filter(cooperative=cooperative, loan=loan).order_by("number"))
        accrue_denda(loan.product, installments, date)
        quote = payoff_quote(loan, [i for i in installments if i.pokok_due > 0 or i.jasa_due > 0 or i.denda_due > 0],
                             date)
        left = available - used
        memo = f"Pelunasan pinjaman {loan.number} dari simpanan anggota keluar{memo_suffix}"
        if left >= quote["total"]:
            rep = apply_repayment(loan=loan, amount=quote["total"], date=date, actor=actor, payoff=True,
                                  debit_account="simpanan_keluar", kind=Repayment.Kind.EXIT, memo=memo)
        else:
            rep = apply_repayment(loan=loan, amount=left, date=date, actor=actor, debit_account="simpanan_keluar",
                                  kind=Repayment.Kind.EXIT, memo=memo)
        if rep.kind != Repayment.Kind.EXIT:
            rep.kind = Repayment.Kind.EXIT
            rep.save(update_fields=["kind"])
        used += rep.amount
    return used
