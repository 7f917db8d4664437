"""Randomised repayment sequences (seeded, deterministic): the engine's invariants hold."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db.models import Sum

from kopdig.lib.errors import DomainError
from kopdig.loans import actions
from kopdig.loans.models import Installment, Loan, Repayment

from .conftest import (
    assert_books,
    balance,
    disbursed_loan,
    loan_outstanding_matches_ledger,
    make_member,
    make_product,
)

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", range(6))
def test_random_payments_keep_invariants(world, seed):
    rng = random.Random(seed)
    method = ["flat", "menurun", "anuitas"][seed % 3]
    product = make_product(
        world.pengurus_a,
        world.coop_a,
        code=f"R{seed}",
        method=method,
        rate_percent=D(rng.choice(["0", "1", "1.75", "2.5"])),
        allocation_order=rng.choice(["denda,jasa,pokok", "jasa,pokok,denda", "pokok,denda,jasa"]),
        denda_basis=rng.choice(["per_hari", "per_angsuran"]),
        denda_kind="persen",
        denda_value=D("0.2"),
        denda_grace_days=rng.randint(0, 5),
        early_payoff_jasa=rng.choice(["penuh", "berjalan", "tidak"]),
        rounding_unit=D("100"),
    )
    loans = [
        disbursed_loan(
            world,
            product,
            principal=str(rng.randint(10, 500) * 10_000 + rng.randint(0, 99)),
            term=rng.randint(2, 8),
            member=make_member(world.coop_a),
        )
        for _ in range(2)
    ]
    day = dt.date(2025, 1, 20)
    received = D("0")
    for _ in range(12):
        day += dt.timedelta(days=rng.randint(3, 45))
        loan = rng.choice(loans)
        if Loan.objects.get(pk=loan.pk).status != "aktif":
            continue
        payoff = rng.random() < 0.1
        amount = D(rng.randint(1, 2_000_000)) / 100 * 100
        try:
            rep = actions.loan_repay(
                actor=world.kasir_a,
                cooperative=world.coop_a,
                number=loan.number,
                amount=amount,
                date=day,
                payoff=payoff,
            )
        except DomainError:
            continue
        assert rep.denda + rep.jasa + rep.pokok == rep.amount
        received += rep.amount
        if rng.random() < 0.15:
            actions.repayment_reverse(
                actor=world.pengurus_a, cooperative=world.coop_a, number=rep.number, reason="uji", date=day
            )
            received -= rep.amount
    assert Repayment.objects.filter(reversed=False).exists()
    for loan in loans:
        insts = Installment.objects.filter(loan=loan)
        agg = insts.aggregate(pp=Sum("pokok_paid"), jp=Sum("jasa_paid"), dp=Sum("denda_paid"))
        reps = Repayment.objects.filter(loan=loan, reversed=False).aggregate(
            p=Sum("pokok"), j=Sum("jasa"), d=Sum("denda")
        )
        assert (agg["pp"], agg["jp"], agg["dp"]) == (reps["p"] or 0, reps["j"] or 0, reps["d"] or 0)
        for i in insts:
            assert 0 <= i.pokok_paid <= i.pokok and 0 <= i.jasa_paid + i.jasa_waived <= i.jasa
            assert 0 <= i.denda_paid <= i.denda
            assert (i.paid_on is not None) == (
                i.pokok_paid == i.pokok and i.jasa_paid + i.jasa_waived == i.jasa
            )
    income = balance(world.coop_a, "pendapatan_jasa_pinjaman") + balance(world.coop_a, "pendapatan_denda")
    principal_back = sum((ln.principal for ln in loans), D("0")) - balance(world.coop_a, "piutang_pinjaman")
    assert income + principal_back == received
    assert_books(world.coop_a)
    loan_outstanding_matches_ledger(world.coop_a)
