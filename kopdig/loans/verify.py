"""``kopdig ledger verify`` for loans (registered in ``LoansConfig.ready``): every disbursed loan's
outstanding principal equals principal − Σ pokok repaid (repayments not reversed) − the amount
written off, and Σ outstanding equals Piutang Pinjaman in the ledger (when the cooperative has disbursed loans at all). Jasa and denda are income
when paid (cash basis): no receivable for them is kept, so none is proved."""

from __future__ import annotations

from django.db.models import Q, Sum

from kopdig.ledger.verifiers import account_balances
from kopdig.lib.money import ZERO, q

from .models import Loan

RECEIVABLE = "piutang_pinjaman"


def verify_loans(cooperative) -> list[str]:
    problems = []
    loans = (
        Loan.objects.filter(cooperative=cooperative, disbursement_entry__isnull=False)
        .annotate(repaid=Sum("repayments__pokok", filter=Q(repayments__reversed=False)))
        .values_list("number", "principal", "outstanding", "written_off_amount", "repaid")
    )
    total = ZERO
    for number, principal, outstanding, written_off, repaid in loans:
        repaid = q(repaid or ZERO)
        source = principal - repaid - written_off
        if outstanding != source:
            problems.append(
                f"{cooperative.slug}: pinjaman {number} sisa pokok {outstanding} ≠ pokok {principal} − "
                f"angsuran pokok {repaid} − hapus buku {written_off} = {source}"
            )
        total += source
    if not loans:
        return problems  # the module is not in use: a ledger-only cooperative keeps its own receivables
    ledger = account_balances(cooperative, [RECEIVABLE]).get(RECEIVABLE, ZERO)
    if ledger != total:
        problems.append(
            f"{cooperative.slug}: akun {RECEIVABLE} di buku besar {ledger} ≠ Σ sisa pokok pinjaman {total}"
        )
    return problems
