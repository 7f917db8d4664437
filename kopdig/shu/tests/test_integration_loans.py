"""Jasa usaha on loan interest actually paid (needs the loans module)."""

import datetime as dt
from decimal import Decimal

import pytest

from kopdig.loans import actions as loans
from kopdig.shu import actions, selectors

from . import factories as f

pytestmark = pytest.mark.django_db


def test_jasa_basis_from_repayments(world):
    coop, year = world.coop_a, f.last_year()
    m1, m2 = world.member_a, f.member(coop, "00002")
    for m in (m1, m2):
        f.simpanan(coop, m, "pokok", "1000000", dt.date(year - 1, 12, 1))
    product = loans.loan_product_save(
        actor=world.pengurus_a,
        cooperative=coop,
        code="REG",
        name="Reguler",
        method="flat",
        rate_percent=Decimal("1.5"),
        min_term=1,
        max_term=36,
        max_amount=Decimal("100000000"),
        provisi_kind="persen",
        provisi_value=Decimal("0"),
        admin_kind="tetap",
        admin_value=Decimal("0"),
    )
    paid = {}
    for m, principal, n in ((m1, "1200000", 2), (m2, "2400000", 1)):
        loan = loans.loan_apply(
            actor=world.kasir_a,
            cooperative=coop,
            member=m,
            product=product,
            principal=Decimal(principal),
            term=12,
            purpose="Modal",
            applied_on=dt.date(year, 1, 10),
        )
        loans.loan_approve(
            actor=world.pengurus_a, cooperative=coop, number=loan.number, date=dt.date(year, 1, 10)
        )
        loans.loan_disburse(
            actor=world.kasir_a,
            cooperative=coop,
            number=loan.number,
            date=dt.date(year, 1, 10),
            first_due_date=dt.date(year, 2, 10),
        )
        installment = Decimal(principal) / 12 + Decimal(principal) * Decimal("0.015")
        for k in range(n):
            loans.loan_repay(
                actor=world.kasir_a,
                cooperative=coop,
                number=loan.number,
                amount=installment,
                date=dt.date(year, 2 + k, 10),
            )
        paid[m.number] = Decimal(principal) * Decimal("0.015") * n
    assert paid == {"00001": Decimal("36000.000"), "00002": Decimal("36000.000")}
    sy = actions.shu_year_save(actor=world.pengurus_a, cooperative=coop, year=year, transaksi_basis="jasa")
    r = selectors.simulate(coop, sy).result
    assert r.shu == Decimal("72000.00")  # the jasa income is the year's only revenue
    assert [(m.key, m.transaksi) for m in r.members] == [
        ("00001", Decimal("36000.00")),
        ("00002", Decimal("36000.00")),
    ]
    assert [m.ju for m in r.members] == [Decimal("7200.00"), Decimal("7200.00")]  # JU 20% of 72,000, halved
    assert [m.jm for m in r.members] == [Decimal("7200.00"), Decimal("7200.00")]
