"""Loan actions: every write of the loans app (durable, role-checked, audited, posted).

Roles: products and settings — pengurus; applications, disbursements, repayments, recoveries —
staff (pengurus, manajer, kasir); approval / rejection — pengurus or manajer other than the
user who entered the application (manajer only up to ``LoanSettings.manajer_approval_limit``);
reversal of a repayment and write-off requests — pengurus or manajer; write-off approval — a
pengurus other than the requester.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kopdig import audit
from kopdig.ledger.posting import Line, post, reverse
from kopdig.lib.errors import NotAllowed
from kopdig.lib.formats import rupiah
from kopdig.lib.money import ZERO, D, q
from kopdig.lib.transactions import action_atomic, batch
from kopdig.members.models import Member
from kopdig.savings.actions import savings_sukarela_credit
from kopdig.savings.selectors import simpanan_by_member
from kopdig.tenancy.access import APPROVERS, BOARD, STAFF, require_role, user_of
from kopdig.tenancy.models import Role
from kopdig.tenancy.numbering import next_document_number

from ._repayments import apply_repayment, lock_loan, repay_from_exit, repayment_number
from .errors import LoanError
from .models import (
    FeeKind,
    Installment,
    Loan,
    LoanCollateral,
    LoanGuarantor,
    LoanProduct,
    LoanSettings,
    Repayment,
)
from .policy import default_first_due, fee_amount, loan_schedule, monthly_rate, periods_for
from .selectors import loan_settings

PRODUCT_FIELDS = [
    "name",
    "method",
    "rate_percent",
    "rate_basis",
    "frequency",
    "min_term",
    "max_term",
    "max_grace_months",
    "min_amount",
    "max_amount",
    "max_savings_multiple",
    "provisi_kind",
    "provisi_value",
    "admin_kind",
    "admin_value",
    "denda_basis",
    "denda_kind",
    "denda_value",
    "denda_grace_days",
    "allocation_order",
    "kurang_lancar_after_days",
    "diragukan_after_days",
    "macet_after_days",
    "required_guarantors",
    "collateral_required",
    "early_payoff_jasa",
    "overpayment",
    "disburse_to",
    "rounding_unit",
    "active",
]
SETTINGS_FIELDS = [
    "manajer_approval_limit",
    "reserve_lancar_percent",
    "reserve_kurang_lancar_percent",
    "reserve_diragukan_percent",
    "reserve_macet_percent",
]
LOAN_AUDIT = ["status", "principal", "term", "outstanding", "decision_reason"]


# ---------------------------------------------------------------- settings and products


def loan_settings_update(*, actor, cooperative, **values) -> LoanSettings:
    require_role(actor, cooperative, BOARD, "mengubah pengaturan pinjaman")
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise LoanError(f"Pengaturan tidak dikenal: {', '.join(sorted(unknown))}")
    with action_atomic():
        obj, _created = LoanSettings.objects.select_for_update().get_or_create(cooperative=cooperative)
        before = audit.snapshot(obj, SETTINGS_FIELDS)
        for k, v in values.items():
            v = D(v)
            if v < 0 or (k.startswith("reserve_") and v > 100):
                raise LoanError("Nilai pengaturan tidak valid.")
            setattr(obj, k, v)
        obj.save()
        b, a = audit.diff(before, audit.snapshot(obj, SETTINGS_FIELDS))
        audit.record(
            actor,
            "loan_settings_update",
            cooperative=cooperative,
            obj=obj,
            ref="pinjaman",
            summary="Pengaturan pinjaman diubah",
            before=_jsonable(b),
            after=_jsonable(a),
        )
    return obj


def _validate_product(p: LoanProduct):
    if p.method not in LoanProduct.Method.values:
        raise LoanError("Metode pinjaman tidak dikenal.")
    if D(p.rate_percent) < 0:
        raise LoanError("Suku jasa tidak boleh negatif.")
    if p.min_term < 1 or p.max_term < p.min_term:
        raise LoanError("Jangka waktu minimal/maksimal tidak valid.")
    if D(p.min_amount) < 0 or D(p.max_amount) < D(p.min_amount):
        raise LoanError("Plafon minimal/maksimal tidak valid.")
    order = [c.strip() for c in p.allocation_order.split(",")]
    if sorted(order) != ["denda", "jasa", "pokok"]:
        raise LoanError("Urutan alokasi harus berisi denda, jasa dan pokok (dipisah koma).")
    p.allocation_order = ",".join(order)
    if not (p.kurang_lancar_after_days < p.diragukan_after_days < p.macet_after_days):
        raise LoanError("Batas hari kolektibilitas harus naik: kurang lancar < diragukan < macet.")
    for kind, value in (
        (p.provisi_kind, p.provisi_value),
        (p.admin_kind, p.admin_value),
        (p.denda_kind, p.denda_value),
    ):
        if D(value) < 0 or (kind == FeeKind.PERCENT and D(value) > 100):
            raise LoanError("Biaya/denda tidak valid.")


def loan_product_save(*, actor, cooperative, code: str, **values) -> LoanProduct:
    """Create or update the product ``code``."""
    require_role(actor, cooperative, BOARD, "mengubah produk pinjaman")
    unknown = set(values) - set(PRODUCT_FIELDS)
    if unknown:
        raise LoanError(f"Isian produk tidak dikenal: {', '.join(sorted(unknown))}")
    code = (code or "").strip().upper()
    if not code:
        raise LoanError("Kode produk wajib diisi.")
    with action_atomic():
        product = LoanProduct.objects.select_for_update().filter(cooperative=cooperative, code=code).first()
        created = product is None
        if created:
            product = LoanProduct(cooperative=cooperative, code=code)
        before = audit.snapshot(product, PRODUCT_FIELDS)
        for k, v in values.items():
            setattr(product, k, v)
        if not product.name:
            raise LoanError("Nama produk wajib diisi.")
        _validate_product(product)
        product.save()
        b, a = audit.diff(before, audit.snapshot(product, PRODUCT_FIELDS))
        audit.record(
            actor,
            "loan_product_create" if created else "loan_product_update",
            cooperative=cooperative,
            obj=product,
            ref=product.code,
            summary=product.name,
            before=_jsonable(b),
            after=_jsonable(a),
        )
    return product


def _jsonable(d: dict) -> dict:
    return {k: (str(v) if isinstance(v, (Decimal, dt.date)) else v) for k, v in d.items()}


# ---------------------------------------------------------------- application workflow


def member_savings(cooperative, member, date) -> Decimal:
    """Σ simpanan (pokok, wajib, sukarela) of the member at ``date``."""
    by_member = simpanan_by_member(cooperative, date=date, kinds=("pokok", "wajib", "sukarela"))
    return q(by_member.get(member.pk, ZERO))


def _application_terms_ok(cooperative, member, product, purpose, principal, term, grace_months) -> None:
    """Refuse an application whose member, product, amount, term or grace the product does not allow."""
    if member.cooperative_id != cooperative.pk or product.cooperative_id != cooperative.pk:
        raise LoanError("Anggota atau produk tidak ditemukan di koperasi ini.")
    if member.status != Member.Status.AKTIF:
        raise LoanError(f"{member.name} bukan anggota aktif.")
    if not product.active:
        raise LoanError(f"Produk {product.name} tidak aktif.")
    if not (purpose or "").strip():
        raise LoanError("Tujuan pinjaman wajib diisi.")
    if principal <= 0 or principal < product.min_amount or principal > product.max_amount:
        raise LoanError(
            f"Jumlah pinjaman harus antara {rupiah(product.min_amount)} dan {rupiah(product.max_amount)}."
        )
    if term < product.min_term or term > product.max_term:
        raise LoanError(f"Jangka waktu harus {product.min_term}–{product.max_term} bulan.")
    if grace_months < 0 or grace_months > product.max_grace_months or grace_months >= term:
        raise LoanError(
            f"Masa tenggang maksimal {product.max_grace_months} bulan dan lebih pendek dari jangka waktu."
        )


def _checked_guarantors(cooperative, member, product, guarantors) -> list:
    guarantors = list(guarantors)
    if any(g.pk == member.pk or g.cooperative_id != cooperative.pk for g in guarantors):
        raise LoanError("Penjamin harus anggota lain dari koperasi ini.")
    if len({g.pk for g in guarantors}) < product.required_guarantors:
        raise LoanError(f"Produk ini mewajibkan {product.required_guarantors} penjamin.")
    return guarantors


def _checked_collaterals(product, collaterals) -> list:
    collaterals = [(str(k).strip(), str(desc or "").strip(), q(v)) for k, desc, v in collaterals]
    if any(not k or v <= 0 for k, _d, v in collaterals):
        raise LoanError("Agunan harus memiliki jenis dan nilai taksiran lebih dari nol.")
    if product.collateral_required and not collaterals:
        raise LoanError("Produk ini mewajibkan agunan.")
    return collaterals


def _savings_limit_ok(cooperative, member, product, principal, applied_on) -> None:
    if not product.max_savings_multiple:
        return
    savings = member_savings(cooperative, member, applied_on)
    limit = q(savings * product.max_savings_multiple)
    if principal > limit:
        raise LoanError(
            f"Jumlah pinjaman melebihi {product.max_savings_multiple}× simpanan anggota "
            f"(maksimal {rupiah(limit)})."
        )


def _loan_create(cooperative, member, product, principal, term, grace_months, applied_on, **fields) -> Loan:
    """The application row, numbered PJ-<year>-<n> from the cooperative's gapless series."""
    return Loan.objects.create(
        cooperative=cooperative,
        number=next_document_number(cooperative, "loan", "PJ", applied_on.year),
        member=member,
        product=product,
        principal=principal,
        term=term,
        periods=periods_for(product.frequency, term),
        grace_periods=periods_for(product.frequency, grace_months) if grace_months else 0,
        method=product.method,
        frequency=product.frequency,
        rate_monthly_percent=monthly_rate(product),
        provisi_amount=fee_amount(product.provisi_kind, product.provisi_value, principal),
        admin_amount=fee_amount(product.admin_kind, product.admin_value, principal),
        applied_on=applied_on,
        **fields,
    )


def loan_apply(
    *,
    actor,
    cooperative,
    member: Member,
    product: LoanProduct,
    principal,
    term: int,
    purpose: str,
    applied_on: dt.date | None = None,
    grace_months: int = 0,
    guarantors=(),
    collaterals=(),
    analysis_notes: str = "",
) -> Loan:
    """Enter a loan application. ``collaterals``: [(kind, description, value)], ``guarantors``: [Member]."""
    require_role(actor, cooperative, STAFF, "mengajukan pinjaman")
    applied_on = applied_on or timezone.localdate()
    principal, term, grace_months = q(principal), int(term), int(grace_months or 0)
    _application_terms_ok(cooperative, member, product, purpose, principal, term, grace_months)
    guarantors = _checked_guarantors(cooperative, member, product, guarantors)
    collaterals = _checked_collaterals(product, collaterals)
    _savings_limit_ok(cooperative, member, product, principal, applied_on)
    with action_atomic():
        loan = _loan_create(
            cooperative,
            member,
            product,
            principal,
            term,
            grace_months,
            applied_on,
            purpose=purpose.strip()[:255],
            entered_by=user_of(actor),
            analysis_notes=analysis_notes or "",
        )
        LoanGuarantor.objects.bulk_create(
            LoanGuarantor(cooperative=cooperative, loan=loan, member=g)
            for g in {g.pk: g for g in guarantors}.values()
        )
        LoanCollateral.objects.bulk_create(
            LoanCollateral(cooperative=cooperative, loan=loan, kind=k[:60], description=d[:255], value=v)
            for k, d, v in collaterals
        )
        audit.record(
            actor,
            "loan_apply",
            cooperative=cooperative,
            obj=loan,
            ref=loan.number,
            summary=f"Pengajuan {member.name} {rupiah(principal)} / {term} bln",
            after=_jsonable(audit.snapshot(loan, LOAN_AUDIT)),
        )
    return loan


def _locked(cooperative, number) -> Loan:
    return lock_loan(cooperative, number=number)


def loan_analyze(*, actor, cooperative, number: str, notes: str) -> Loan:
    require_role(actor, cooperative, STAFF, "menulis analisis pinjaman")
    with action_atomic():
        loan = _locked(cooperative, number)
        if loan.status not in (Loan.Status.APPLIED, Loan.Status.APPROVED):
            raise LoanError("Analisis hanya untuk pinjaman yang belum dicairkan.")
        before = loan.analysis_notes
        loan.analysis_notes = (notes or "").strip()
        loan.save(update_fields=["analysis_notes"])
        audit.record(
            actor,
            "loan_analyze",
            cooperative=cooperative,
            obj=loan,
            ref=loan.number,
            summary="Catatan analisis",
            before={"analysis_notes": before},
            after={"analysis_notes": loan.analysis_notes},
        )
    return loan


def loan_approve(*, actor, cooperative, number: str, date: dt.date | None = None) -> Loan:
    role = require_role(actor, cooperative, APPROVERS, "menyetujui pinjaman")
    date = date or timezone.localdate()
    with action_atomic():
        loan = _locked(cooperative, number)
        if loan.status != Loan.Status.APPLIED:
            raise LoanError(f"Pinjaman {loan.number} tidak dalam status diajukan.")
        if loan.entered_by_id == actor.pk:
            raise NotAllowed("Persetujuan harus oleh pengguna lain dari yang memasukkan pengajuan.")
        if date < loan.applied_on:
            raise LoanError("Tanggal persetujuan sebelum tanggal pengajuan.")
        if role == Role.Kind.MANAJER and loan.principal > loan_settings(cooperative).manajer_approval_limit:
            raise NotAllowed(
                "Jumlah pinjaman melebihi batas persetujuan manajer; perlu persetujuan pengurus."
            )
        loan.status, loan.approved_by, loan.approved_on = Loan.Status.APPROVED, user_of(actor), date
        loan.save(update_fields=["status", "approved_by", "approved_on"])
        audit.record(
            actor,
            "loan_approve",
            cooperative=cooperative,
            obj=loan,
            ref=loan.number,
            summary=f"Disetujui {rupiah(loan.principal)}",
            before={"status": Loan.Status.APPLIED},
            after={"status": loan.status},
        )
    return loan


def loan_reject(*, actor, cooperative, number: str, reason: str) -> Loan:
    require_role(actor, cooperative, APPROVERS, "menolak pinjaman")
    return _decide(
        actor, cooperative, number, reason, Loan.Status.REJECTED, "loan_reject", {Loan.Status.APPLIED}
    )


def loan_cancel(*, actor, cooperative, number: str, reason: str) -> Loan:
    require_role(actor, cooperative, STAFF, "membatalkan pinjaman")
    return _decide(
        actor,
        cooperative,
        number,
        reason,
        Loan.Status.CANCELLED,
        "loan_cancel",
        {Loan.Status.APPLIED, Loan.Status.APPROVED},
    )


def _decide(actor, cooperative, number, reason, status, action, allowed) -> Loan:
    reason = (reason or "").strip()
    if not reason:
        raise LoanError("Alasan wajib diisi.")
    with action_atomic():
        loan = _locked(cooperative, number)
        if loan.status not in allowed:
            raise LoanError(f"Pinjaman {loan.number} berstatus {loan.get_status_display()}.")
        before = loan.status
        loan.status, loan.decision_reason = status, reason[:255]
        loan.save(update_fields=["status", "decision_reason"])
        audit.record(
            actor,
            action,
            cooperative=cooperative,
            obj=loan,
            ref=loan.number,
            summary=reason,
            before={"status": before},
            after={"status": status, "reason": reason},
        )
    return loan


def loan_disburse(
    *,
    actor,
    cooperative,
    number: str,
    date: dt.date | None = None,
    first_due_date: dt.date | None = None,
    to: str | None = None,
    cash_account: str = "kas",
) -> Loan:
    """Disburse an approved loan: schedule, Dr piutang_pinjaman P / Cr kas (or sukarela) net / Cr provisi fees."""
    require_role(actor, cooperative, STAFF, "mencairkan pinjaman")
    date = date or timezone.localdate()
    with action_atomic():
        loan = _locked(cooperative, number)
        return _disburse(
            loan, actor=actor, date=date, first_due_date=first_due_date, to=to, cash_account=cash_account
        )


def _disbursement_terms(loan, date, first_due_date, to):
    """Refuse a disbursement the loan's state or dates do not allow; (to, first_due_date)."""
    if loan.status != Loan.Status.APPROVED:
        raise LoanError(f"Pinjaman {loan.number} belum disetujui atau sudah dicairkan.")
    if loan.approved_on and date < loan.approved_on:
        raise LoanError("Tanggal pencairan sebelum tanggal persetujuan.")
    to = to or loan.product.disburse_to
    if to not in LoanProduct.DisburseTo.values:
        raise LoanError("Tujuan pencairan tidak dikenal.")
    first_due_date = first_due_date or default_first_due(loan.frequency, date)
    if first_due_date <= date:
        raise LoanError("Jatuh tempo pertama harus setelah tanggal pencairan.")
    return to, first_due_date


def _disburse_to_cash(loan, actor, date, cash_account, net, fees, memo):
    lines = [Line("piutang_pinjaman", debit=loan.principal), Line(cash_account, credit=net)]
    if fees > 0:
        lines.append(Line("pendapatan_provisi", credit=fees))
    return post(
        cooperative=loan.cooperative,
        date=date,
        memo=memo,
        lines=lines,
        actor=actor,
        source_type="loans.disbursement",
        source_ref=loan.number,
    )


def _disburse_to_sukarela(loan, actor, date, net, fees, memo):
    """The fees posted on their own, the net credited to the member's simpanan sukarela."""
    entry = None
    if fees > 0:
        entry = post(
            cooperative=loan.cooperative,
            date=date,
            memo=f"Provisi/administrasi pinjaman {loan.number}",
            lines=[Line("piutang_pinjaman", debit=fees), Line("pendapatan_provisi", credit=fees)],
            actor=actor,
            source_type="loans.disbursement",
            source_ref=loan.number,
        )
    with batch():
        [credited] = savings_sukarela_credit(
            actor=actor,
            cooperative=loan.cooperative,
            date=date,
            contra_account="piutang_pinjaman",
            source_type="loans.disbursement",
            credits=[(loan.member, net, memo, loan.number)],
        )
    return entry or credited.entry


def _activate(loan, actor, date, to, entry, rows) -> None:
    """The schedule's installments written and the loan active from ``date``."""
    Installment.objects.bulk_create(
        Installment(
            cooperative=loan.cooperative,
            loan=loan,
            number=r.number,
            due_date=r.due_date,
            pokok=r.pokok,
            jasa=r.jasa,
        )
        for r in rows
    )
    loan.status = Loan.Status.ACTIVE
    loan.disbursed_on, loan.disbursed_by, loan.disbursed_to = date, user_of(actor), to
    loan.disbursement_entry = entry
    loan.first_due_date, loan.maturity_date = rows[0].due_date, rows[-1].due_date
    loan.outstanding = loan.principal
    loan.save(
        update_fields=[
            "status",
            "disbursed_on",
            "disbursed_by",
            "disbursed_to",
            "disbursement_entry",
            "first_due_date",
            "maturity_date",
            "outstanding",
        ]
    )


def _disburse(loan, *, actor, date, first_due_date=None, to=None, cash_account="kas") -> Loan:
    to, first_due_date = _disbursement_terms(loan, date, first_due_date, to)
    rows = loan_schedule(loan, first_due_date)
    fees = loan.provisi_amount + loan.admin_amount
    net = loan.principal - fees
    if net <= 0:
        raise LoanError("Biaya melebihi jumlah pinjaman.")
    memo = f"Pencairan pinjaman {loan.number} a.n. {loan.member.name}"
    if to == LoanProduct.DisburseTo.KAS:
        entry = _disburse_to_cash(loan, actor, date, cash_account, net, fees, memo)
    else:
        entry = _disburse_to_sukarela(loan, actor, date, net, fees, memo)
    _activate(loan, actor, date, to, entry, rows)
    audit.record(
        actor,
        "loan_disburse",
        cooperative=loan.cooperative,
        obj=loan,
        ref=loan.number,
        summary=f"Dicairkan {rupiah(loan.principal)} (bersih {rupiah(net)}) ke {to}",
        before={"status": Loan.Status.APPROVED},
        after={"status": loan.status, "net": str(net), "fees": str(fees)},
    )
    return loan


# ---------------------------------------------------------------- repayments


def loan_repay(
    *,
    actor,
    cooperative,
    number: str,
    amount,
    date: dt.date | None = None,
    payoff: bool = False,
    account: str = "kas",
) -> Repayment:
    """Receive a payment (regular, partial, pay-ahead or early payoff). Returns the receipt."""
    require_role(actor, cooperative, STAFF, "menerima angsuran")
    date = date or timezone.localdate()
    if account not in ("kas", "bank"):
        raise LoanError("Akun penerimaan harus kas atau bank.")
    with action_atomic():
        loan = _locked(cooperative, number)
        before = loan.outstanding
        rep = apply_repayment(
            loan=loan, amount=amount, date=date, actor=actor, payoff=payoff, debit_account=account
        )
        audit.record(
            actor,
            "loan_repay",
            cooperative=cooperative,
            obj=rep,
            ref=rep.number,
            summary=f"{loan.number}: {rupiah(rep.amount)} (denda {rupiah(rep.denda)}, jasa {rupiah(rep.jasa)}, "
            f"pokok {rupiah(rep.pokok)})",
            before={"outstanding": str(before)},
            after={"outstanding": str(loan.outstanding), "status": loan.status},
        )
    return rep


def _reversible(cooperative, number):
    """The repayment to reverse and its loan, locked; refused unless it is the loan's latest."""
    loan_id = (
        Repayment.objects.filter(cooperative=cooperative, number=number)
        .values_list("loan_id", flat=True)
        .first()
    )
    if loan_id is None:
        raise LoanError(f"Kuitansi {number} tidak ditemukan.")
    loan = lock_loan(cooperative, pk=loan_id)
    rep = Repayment.objects.select_related("entry").get(cooperative=cooperative, number=number)
    if rep.reversed:
        raise LoanError(f"Kuitansi {number} sudah dibatalkan.")
    if rep.kind == Repayment.Kind.RECOVERY:
        raise LoanError("Pemulihan dibatalkan dengan membalik jurnalnya di buku besar.")
    if rep.to_sukarela > 0:
        raise LoanError(
            "Pembayaran yang kelebihannya sudah dipindah ke simpanan sukarela tidak dapat dibatalkan di sini."
        )
    later = Repayment.objects.filter(
        cooperative=cooperative, loan=loan, reversed=False, pk__gt=rep.pk
    ).exists()
    if later:
        raise LoanError(
            "Hanya pembayaran terakhir pinjaman ini yang dapat dibatalkan; batalkan yang lebih "
            "baru terlebih dahulu."
        )
    if loan.status not in (Loan.Status.ACTIVE, Loan.Status.CLOSED):
        raise LoanError(f"Pinjaman {loan.number} berstatus {loan.get_status_display()}.")
    return loan, rep


def _unapply(cooperative, loan, rep) -> None:
    """Take the repayment's allocations off the installments it paid."""
    by_number = {a["n"]: a for a in rep.allocations}
    insts = list(Installment.objects.filter(cooperative=cooperative, loan=loan, number__in=list(by_number)))
    for inst in insts:
        a = by_number[inst.number]
        inst.denda_paid -= D(a["denda"])
        inst.jasa_paid -= D(a["jasa"])
        inst.pokok_paid -= D(a["pokok"])
        inst.jasa_waived -= D(a.get("waived", "0"))
        if not inst.is_paid:
            inst.paid_on = None
    Installment.objects.bulk_update(
        insts, ["denda_paid", "jasa_paid", "pokok_paid", "jasa_waived", "paid_on"]
    )


def repayment_reverse(
    *, actor, cooperative, number: str, reason: str, date: dt.date | None = None
) -> Repayment:
    """Reverse a wrong repayment (the loan's latest): mirror journal, schedule restored."""
    require_role(actor, cooperative, APPROVERS, "membatalkan pembayaran")
    reason = (reason or "").strip()
    if not reason:
        raise LoanError("Alasan pembatalan wajib diisi.")
    with action_atomic():
        loan, rep = _reversible(cooperative, number)
        date = date or timezone.localdate()
        rev_entry = reverse(
            entry=rep.entry,
            date=max(date, rep.date),
            actor=actor,
            memo=f"Pembatalan kuitansi {rep.number}: {reason}"[:255],
        )
        _unapply(cooperative, loan, rep)
        before = {"outstanding": str(loan.outstanding), "status": loan.status}
        loan.outstanding += rep.pokok
        if loan.status == Loan.Status.CLOSED:
            loan.status, loan.closed_on = Loan.Status.ACTIVE, None
        loan.save(update_fields=["outstanding", "status", "closed_on"])
        rep.reversed, rep.reversal_entry, rep.reversal_reason = True, rev_entry, reason[:255]
        rep.save(update_fields=["reversed", "reversal_entry", "reversal_reason"])
        audit.record(
            actor,
            "repayment_reverse",
            cooperative=cooperative,
            obj=rep,
            ref=rep.number,
            summary=reason,
            before=before,
            after={"outstanding": str(loan.outstanding), "status": loan.status},
        )
    return rep


# ---------------------------------------------------------------- write-off and recovery


def loan_writeoff_request(*, actor, cooperative, number: str, reason: str) -> Loan:
    require_role(actor, cooperative, APPROVERS, "mengusulkan hapus buku")
    reason = (reason or "").strip()
    if not reason:
        raise LoanError("Alasan hapus buku wajib diisi.")
    with action_atomic():
        loan = _locked(cooperative, number)
        if loan.status != Loan.Status.ACTIVE or loan.outstanding <= 0:
            raise LoanError("Hanya pinjaman aktif dengan sisa pokok yang dapat dihapusbukukan.")
        loan.writeoff_requested_by, loan.writeoff_reason = user_of(actor), reason[:255]
        loan.save(update_fields=["writeoff_requested_by", "writeoff_reason"])
        audit.record(
            actor,
            "loan_writeoff_request",
            cooperative=cooperative,
            obj=loan,
            ref=loan.number,
            summary=reason,
            after={"outstanding": str(loan.outstanding)},
        )
    return loan


def loan_writeoff_approve(*, actor, cooperative, number: str, date: dt.date | None = None) -> Loan:
    """Write the outstanding principal off against the reserve: Dr cadangan_risiko / Cr piutang_pinjaman."""
    require_role(actor, cooperative, BOARD, "menyetujui hapus buku")
    date = date or timezone.localdate()
    with action_atomic():
        loan = _locked(cooperative, number)
        if loan.status != Loan.Status.ACTIVE or not loan.writeoff_requested_by_id:
            raise LoanError("Belum ada usulan hapus buku untuk pinjaman ini.")
        if loan.writeoff_requested_by_id == actor.pk:
            raise NotAllowed("Hapus buku harus disetujui pengurus lain dari yang mengusulkan.")
        amount = loan.outstanding
        post(
            cooperative=cooperative,
            date=date,
            memo=f"Hapus buku pinjaman {loan.number} a.n. {loan.member.name}",
            lines=[Line("cadangan_risiko", debit=amount), Line("piutang_pinjaman", credit=amount)],
            actor=actor,
            source_type="loans.writeoff",
            source_ref=loan.number,
            approved_by=user_of(actor),
        )
        loan.status, loan.written_off_on, loan.written_off_amount = Loan.Status.WRITTEN_OFF, date, amount
        loan.outstanding = ZERO
        loan.save(update_fields=["status", "written_off_on", "written_off_amount", "outstanding"])
        audit.record(
            actor,
            "loan_writeoff_approve",
            cooperative=cooperative,
            obj=loan,
            ref=loan.number,
            summary=f"Dihapusbukukan {rupiah(amount)}",
            before={"status": Loan.Status.ACTIVE, "outstanding": str(amount)},
            after={"status": loan.status, "outstanding": "0.00"},
        )
    return loan


def loan_recover(
    *, actor, cooperative, number: str, amount, date: dt.date | None = None, account: str = "kas"
) -> Repayment:
    """Money received on a written-off loan: Dr kas / Cr pendapatan_pemulihan."""
    require_role(actor, cooperative, STAFF, "menerima pemulihan")
    date = date or timezone.localdate()
    amount = q(amount)
    if amount <= 0:
        raise LoanError("Jumlah harus lebih dari nol.")
    if account not in ("kas", "bank"):
        raise LoanError("Akun penerimaan harus kas atau bank.")
    with action_atomic():
        loan = _locked(cooperative, number)
        if loan.status != Loan.Status.WRITTEN_OFF:
            raise LoanError("Pemulihan hanya untuk pinjaman yang sudah dihapusbukukan.")
        left = loan.written_off_amount - loan.recovered_amount
        if amount > left:
            raise LoanError(f"Pemulihan melebihi sisa yang dihapusbukukan ({rupiah(left)}).")
        receipt = repayment_number(cooperative, date)
        entry = post(
            cooperative=cooperative,
            date=date,
            memo=f"Pemulihan pinjaman {loan.number} (hapus buku)",
            lines=[Line(account, debit=amount), Line("pendapatan_pemulihan", credit=amount)],
            actor=actor,
            source_type="loans.recovery",
            source_ref=receipt,
        )
        loan.recovered_amount += amount
        loan.save(update_fields=["recovered_amount"])
        rep = Repayment.objects.create(
            cooperative=cooperative,
            loan=loan,
            number=receipt,
            kind=Repayment.Kind.RECOVERY,
            date=date,
            amount=amount,
            recovery=amount,
            debit_account=account,
            entry=entry,
            received_by=user_of(actor),
        )
        audit.record(
            actor,
            "loan_recover",
            cooperative=cooperative,
            obj=rep,
            ref=receipt,
            summary=f"{loan.number}: pemulihan {rupiah(amount)}",
            after={"recovered": str(loan.recovered_amount)},
        )
    return rep


# ---------------------------------------------------------------- a member's exit


def loan_exit_repay(
    *, actor, cooperative, member, amount_available, date: dt.date, source_ref: str = ""
) -> Decimal:
    """Settle an exiting member's open loans from the savings being returned (Dr simpanan_keluar):
    each loan paid off under its product's rule when the money suffices, else a partial payment.
    Returns the amount used. Run inside the members' exit (``batch()``)."""
    require_role(actor, cooperative, APPROVERS, "menyelesaikan pinjaman anggota keluar")
    with action_atomic():
        used = repay_from_exit(
            cooperative=cooperative,
            member=member,
            amount_available=amount_available,
            date=date,
            actor=actor,
            source_ref=source_ref,
        )
        if used:
            audit.record(
                actor,
                "loan_exit_repay",
                cooperative=cooperative,
                obj=member,
                ref=member.number,
                summary=f"Pinjaman dilunasi dari simpanan anggota keluar {rupiah(used)}",
                after={"used": str(used), "source": source_ref},
            )
    return used
