"""Demo step: a loan portfolio since the books' opening date for the showcase cooperatives'
savings-and-loan units.

Everything goes through the loans actions (so every loan, repayment, write-off, recovery and
the reserve is posted in the ledger exactly as in real use). The cooperatives are established:
a share of the loans is taken in the first weeks on Kopdig (members renewing their loans when
the books moved), the rest spread over the period. Loans above Rp 10 juta are transferred from
the bank and repaid into it, smaller ones go through the till (the other account pays when one
would run low). Borrowers follow deterministic profiles, like a healthy cooperative's book: most
pay on time, about one in ten late (with denda), three to eight in a hundred stop paying after
half to nine tenths of the schedule (arrears, macet; up to three more than a year in arrears
are written off, one partly recovered), some pay off early. An arrears run at each past year end
(so each book year carries the cadangan risiko of its own problem loans) and one at the last
month end set kolektibilitas and post the cadangan risiko.

Idempotent: a cooperative that already has loans is left alone. It needs the members demo
(Member rows); without members it creates nothing and says so.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from kopdig.ledger.chart import account_for
from kopdig.ledger.models import Account
from kopdig.ledger.selectors import account_balance
from kopdig.lib.money import ZERO, q
from kopdig.lib.transactions import batch
from kopdig.members.demo import books_start
from kopdig.members.models import Member

from . import actions
from .arrears import arrears_run
from .models import Installment, Loan
from .policy import accrue_denda, payoff_quote

PLAN = {
    # slug: (number of loans, products)
    "ksp-sejahtera": (
        320,
        [
            (
                "UMUM",
                dict(
                    name="Pinjaman Umum",
                    method="menurun",
                    rate_percent=Decimal("1.5"),
                    min_term=3,
                    max_term=36,
                    min_amount=Decimal("1000000"),
                    max_amount=Decimal("50000000"),
                    provisi_value=Decimal("1"),
                    admin_kind="tetap",
                    admin_value=Decimal("25000"),
                    denda_basis="per_hari",
                    denda_kind="persen",
                    denda_value=Decimal("0.1"),
                    denda_grace_days=5,
                    early_payoff_jasa="berjalan",
                ),
            ),
            (
                "KMU",
                dict(
                    name="Kredit Modal Usaha",
                    method="anuitas",
                    rate_percent=Decimal("18"),
                    rate_basis="tahun",
                    min_term=6,
                    max_term=36,
                    min_amount=Decimal("5000000"),
                    max_amount=Decimal("100000000"),
                    provisi_value=Decimal("1.5"),
                    admin_kind="tetap",
                    admin_value=Decimal("50000"),
                    denda_basis="per_hari",
                    denda_kind="persen",
                    denda_value=Decimal("0.1"),
                    denda_grace_days=3,
                    collateral_required=True,
                    required_guarantors=0,
                    early_payoff_jasa="penuh",
                    rounding_unit=Decimal("100"),
                ),
            ),
            (
                "DARURAT",
                dict(
                    name="Pinjaman Darurat",
                    method="flat",
                    rate_percent=Decimal("2"),
                    min_term=1,
                    max_term=6,
                    min_amount=Decimal("500000"),
                    max_amount=Decimal("3000000"),
                    provisi_value=Decimal("0"),
                    admin_kind="tetap",
                    admin_value=Decimal("10000"),
                    denda_basis="per_angsuran",
                    denda_kind="tetap",
                    denda_value=Decimal("10000"),
                    denda_grace_days=3,
                    early_payoff_jasa="tidak",
                ),
            ),
        ],
    ),
    "ksu-tunas-harapan": (
        100,
        [
            (
                "USP",
                dict(
                    name="Pinjaman USP",
                    method="flat",
                    rate_percent=Decimal("1.5"),
                    min_term=3,
                    max_term=24,
                    min_amount=Decimal("500000"),
                    max_amount=Decimal("20000000"),
                    provisi_value=Decimal("1"),
                    admin_kind="tetap",
                    admin_value=Decimal("15000"),
                    denda_basis="per_hari",
                    denda_kind="persen",
                    denda_value=Decimal("0.1"),
                    denda_grace_days=7,
                ),
            ),
            (
                "TANI",
                dict(
                    name="Pinjaman Musiman Tani",
                    method="menurun",
                    rate_percent=Decimal("1.25"),
                    min_term=4,
                    max_term=12,
                    max_grace_months=3,
                    min_amount=Decimal("1000000"),
                    max_amount=Decimal("15000000"),
                    provisi_value=Decimal("0.5"),
                    admin_kind="tetap",
                    admin_value=Decimal("10000"),
                    denda_basis="per_hari",
                    denda_kind="persen",
                    denda_value=Decimal("0.05"),
                    denda_grace_days=7,
                ),
            ),
        ],
    ),
    "kopwan-srikandi": (
        100,
        [
            (
                "MINGGUAN",
                dict(
                    name="Pinjaman Mingguan",
                    method="flat",
                    frequency="weekly",
                    rate_percent=Decimal("2"),
                    min_term=3,
                    max_term=12,
                    min_amount=Decimal("500000"),
                    max_amount=Decimal("5000000"),
                    provisi_value=Decimal("1"),
                    admin_kind="tetap",
                    admin_value=Decimal("5000"),
                    denda_basis="per_angsuran",
                    denda_kind="tetap",
                    denda_value=Decimal("2500"),
                    denda_grace_days=2,
                    rounding_unit=Decimal("500"),
                ),
            ),
            (
                "ANGGOTA",
                dict(
                    name="Pinjaman Anggota",
                    method="flat",
                    rate_percent=Decimal("1.5"),
                    min_term=3,
                    max_term=18,
                    min_amount=Decimal("500000"),
                    max_amount=Decimal("10000000"),
                    provisi_value=Decimal("1"),
                    admin_kind="tetap",
                    admin_value=Decimal("10000"),
                    denda_basis="per_hari",
                    denda_kind="persen",
                    denda_value=Decimal("0.1"),
                    denda_grace_days=5,
                ),
            ),
        ],
    ),
}
# share of the loans taken in the first weeks on Kopdig, and how many weeks that is
EARLY_SHARE, EARLY_DAYS = 0.12, 45
# borrower profiles by a uniform draw: in the top STOP_SHARE stops paying (per cooperative: only part of
# them stop before today, so this gives about 2-5% of the portfolio non-performing), above LATE pays
# half the time late, above PAYOFF pays off early; the rest pays on time
STOP_SHARE = {"ksp-sejahtera": 0.08, "ksu-tunas-harapan": 0.03, "kopwan-srikandi": 0.04}
LATE, PAYOFF = 0.86, 0.78
# loans above this are transferred to and repaid into the bank account, smaller ones go through the till
# (unless the till or the bank would run low: the other one pays then)
BANK_TRANSFER_ABOVE = Decimal("10000000")
CASH_BUFFER = Decimal("60000000")
PURPOSES = [
    "Modal usaha warung",
    "Tambahan modal dagang",
    "Biaya sekolah anak",
    "Renovasi rumah",
    "Beli pupuk dan bibit",
    "Beli sepeda motor",
    "Modal jahit",
    "Modal ternak kambing",
    "Biaya berobat",
    "Modal usaha kue",
    "Perbaikan perahu",
    "Beli mesin giling kopi",
]


def month_end_before(day: dt.date) -> dt.date:
    return day.replace(day=1) - dt.timedelta(days=1)


def _due_now(loan, date, numbers=()) -> Decimal:
    """Everything due on ``date`` plus the installments ``numbers`` (denda accrued to that date, in memory)."""
    insts = list(Installment.objects.filter(loan=loan).order_by("number"))
    accrue_denda(loan.product, insts, date)
    return q(
        sum(
            ((i.pokok_due + i.jasa_due) if (i.due_date <= date or i.number in numbers) else ZERO)
            + i.denda_due
            for i in insts
        )
    )


def _payoff_amount(loan, date) -> Decimal:
    insts = list(Installment.objects.filter(loan=loan).order_by("number"))
    accrue_denda(loan.product, insts, date)
    return payoff_quote(
        loan, [i for i in insts if i.pokok_due > 0 or i.jasa_due > 0 or i.denda_due > 0], date
    )["total"]


def run(ctx):
    User = get_user_model()
    by_slug = {c.slug: c for c in ctx.showcase}
    for slug, (count, products) in PLAN.items():
        coop = by_slug.get(slug)
        if coop is None:
            continue
        if Loan.objects.filter(cooperative=coop).exists():
            ctx.log(f"  pinjaman {slug}: sudah ada pinjaman, tidak diubah")
            continue
        if not Account.objects.filter(cooperative=coop, system_key="piutang_pinjaman").exists():
            ctx.log(f"  pinjaman {slug}: bagan akun tanpa akun simpan pinjam, dilewati")
            continue
        members = list(Member.objects.filter(cooperative=coop, status=Member.Status.AKTIF).order_by("number"))
        if not members:
            ctx.log(
                f"  pinjaman {slug}: belum ada anggota (jalankan demo anggota dulu), tidak ada pinjaman dibuat"
            )
            continue
        users = {
            k: User.objects.filter(username=f"{slug}-{k}").first() for k in ("pengurus", "manajer", "kasir")
        }
        if not all(users.values()):
            ctx.log(f"  pinjaman {slug}: pengguna demo belum ada, dilewati")
            continue
        n = build_portfolio(ctx, coop, members, users, count, products)
        ctx.log(f"  pinjaman {slug}: {n} pinjaman")


def build_portfolio(ctx, coop, members, users, count, products) -> int:
    rng = random.Random(f"kopdig-loans-{coop.slug}")
    today = ctx.today
    pengurus, manajer, kasir = users["pengurus"], users["manajer"], users["kasir"]
    prods = [
        actions.loan_product_save(actor=pengurus, cooperative=coop, code=code, **values)
        for code, values in products
    ]
    actions.loan_settings_update(actor=pengurus, cooperative=coop, manajer_approval_limit=Decimal("10000000"))
    start = books_start(today)
    span = (today - dt.timedelta(days=10) - start).days
    dates = sorted(
        start + dt.timedelta(days=rng.randint(0, EARLY_DAYS if rng.random() < EARLY_SHARE else span))
        for _ in range(count)
    )
    # the demo anggota login gets a loan too, so the member widget has something to show
    own = next((m for m in members if m.user_id and m.user.username == f"{coop.slug}-anggota"), None)
    stoppers = []
    made = 0
    for k, applied in enumerate(dates):
        with batch():  # one transaction per loan history (same rows as one by one)
            stopped = _one_loan(
                coop, members, own, prods, rng, k, count, applied, today, pengurus, manajer, kasir
            )
        made += stopped is not False
        if stopped:
            stoppers.append(stopped)
        if (k + 1) % 100 == 0:
            ctx.log(f"  pinjaman {coop.slug}: {k + 1}/{count}…")
    # the year-end arrears runs of the past book years (so each year carries the cadangan risiko of
    # its own problem loans), then write off the three oldest hopeless loans and recover part of one
    run_date = month_end_before(today)
    for year in range(start.year, today.year):
        arrears_run(actor=manajer, cooperative=coop, date=dt.date(year, 12, 31))
    wo_date = run_date - dt.timedelta(days=20)
    hopeless = list(
        Loan.objects.filter(
            cooperative=coop,
            number__in=stoppers,
            status=Loan.Status.ACTIVE,
            installments__paid_on__isnull=True,
            installments__due_date__lt=wo_date - dt.timedelta(days=365),
        )
        .distinct()
        .order_by("disbursed_on")[:3]
    )
    for i, loan in enumerate(hopeless):
        actions.loan_writeoff_request(
            actor=manajer,
            cooperative=coop,
            number=loan.number,
            reason="Macet lebih dari satu tahun, penagihan tidak berhasil",
        )
        actions.loan_writeoff_approve(actor=pengurus, cooperative=coop, number=loan.number, date=wo_date)
        if i == 0:
            actions.loan_recover(
                actor=kasir,
                cooperative=coop,
                number=loan.number,
                amount=q(loan.outstanding / 4),
                date=wo_date + dt.timedelta(days=10),
            )
    arrears_run(actor=manajer, cooperative=coop, date=run_date)
    return made


def _one_loan(coop, members, own, prods, rng, k, count, applied, today, pengurus, manajer, kasir):
    """Apply (and maybe approve, disburse, repay) one loan; the loan number when the borrower stopped paying,
    None otherwise, False when nobody could borrow yet."""
    eligible = [m for m in members if m.joined_on <= applied]
    if not eligible:
        return False
    member = own if (own is not None and k == count - 5) else rng.choice(eligible)
    product = rng.choice(prods)
    lo, hi = int(product.min_amount), int(product.max_amount)
    step = 100_000 if hi <= 5_000_000 else 500_000
    principal = Decimal(max(lo, min(hi, step * round(rng.triangular(lo, hi, lo + (hi - lo) * 0.15) / step))))
    term = rng.choice(
        [t for t in (3, 4, 6, 10, 12, 18, 24, 36) if product.min_term <= t <= product.max_term]
        or [product.min_term]
    )
    grace = rng.choice([0, 0, 2, 3]) if product.max_grace_months else 0
    collaterals = [("BPKB", "Sepeda motor", principal * 2)] if product.collateral_required else []
    loan = actions.loan_apply(
        actor=kasir,
        cooperative=coop,
        member=member,
        product=product,
        principal=principal,
        term=term,
        purpose=rng.choice(PURPOSES),
        applied_on=applied,
        grace_months=min(grace, term - 1),
        collaterals=collaterals,
        analysis_notes="Usaha berjalan, kemampuan bayar cukup.",
    )
    roll = rng.random()
    if roll < 0.03:
        actions.loan_reject(
            actor=pengurus, cooperative=coop, number=loan.number, reason="Kemampuan bayar belum mencukupi"
        )
        return None
    if roll < 0.05:
        actions.loan_cancel(actor=kasir, cooperative=coop, number=loan.number, reason="Anggota membatalkan")
        return None
    approver = manajer if principal <= Decimal("10000000") else pengurus
    approved_on = applied + dt.timedelta(days=rng.randint(0, 3))
    if approved_on >= today:
        return None  # still waiting for approval
    actions.loan_approve(actor=approver, cooperative=coop, number=loan.number, date=approved_on)
    disbursed_on = approved_on + dt.timedelta(days=rng.randint(0, 2))
    if disbursed_on >= today:
        return None
    loan = actions.loan_disburse(
        actor=kasir,
        cooperative=coop,
        number=loan.number,
        date=disbursed_on,
        cash_account=_cash_account(coop, principal, disbursed_on),
    )
    profile = rng.random()
    if member is own:
        profile = 0.0  # a good payer
    stops = profile > 1 - STOP_SHARE.get(coop.slug, 0.04)
    _repay(
        coop,
        loan,
        kasir,
        rng,
        today,
        late=not stops and profile > LATE,
        stops=stops,
        payoff_at=rng.randint(3, 8) if PAYOFF < profile <= LATE else None,
    )
    return loan.number if stops else None


def _cash_account(coop, amount, date) -> str:
    """Where a disbursement comes from: the bank above BANK_TRANSFER_ABOVE, the till below, the other
    one when the first would fall under CASH_BUFFER on that date."""
    first, other = ("bank", "kas") if amount > BANK_TRANSFER_ABOVE else ("kas", "bank")
    balance = {key: account_balance(account_for(coop, key), date) for key in (first, other)}
    if balance[first] - amount < CASH_BUFFER and balance[other] > balance[first]:
        return other
    return first


def _repay(coop, loan, kasir, rng, today, *, late: bool, stops: bool, payoff_at):
    insts = list(Installment.objects.filter(loan=loan).order_by("number").values_list("number", "due_date"))
    # a borrower who stops paying does so after half to nine tenths of the schedule
    stop_at = rng.randint(max(1, len(insts) * 5 // 10), max(1, len(insts) * 9 // 10)) if stops else None
    weekly = loan.frequency == "weekly"
    account = "bank" if loan.principal > BANK_TRANSFER_ABOVE else "kas"
    # weekly borrowers pay four installments at the monthly group meeting; a quarter of the
    # monthly borrowers come every second month and pay two
    group = 4 if weekly else (2 if rng.random() < 0.25 else 1)
    for idx, (number, due) in enumerate(insts):
        if stop_at is not None and idx >= stop_at:
            return
        if (number - 1) % group:
            continue
        if late and rng.random() < 0.5:
            pay_on = due + dt.timedelta(days=rng.randint(6, 40))
        else:
            pay_on = due - dt.timedelta(days=rng.randint(0, 3))
        pay_on = max(pay_on, loan.disbursed_on)
        if pay_on >= today:
            return
        loan.refresh_from_db(fields=["status", "outstanding"])
        if loan.status != Loan.Status.ACTIVE:
            return
        if payoff_at is not None and idx >= payoff_at:
            actions.loan_repay(
                actor=kasir,
                cooperative=coop,
                number=loan.number,
                amount=_payoff_amount(loan, pay_on),
                date=pay_on,
                payoff=True,
                account=account,
            )
            return
        # everything overdue plus this installment (and the rest of its group)
        amount = _due_now(loan, pay_on, set(range(number, number + group)))
        if amount > 0:
            actions.loan_repay(
                actor=kasir, cooperative=coop, number=loan.number, amount=amount, date=pay_on, account=account
            )
