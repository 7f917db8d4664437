import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from kopdig.loans import demo
from kopdig.loans.models import ArrearsRun, Loan, Repayment

from .conftest import assert_books, loan_outstanding_matches_ledger, make_member

pytestmark = pytest.mark.django_db


class Ctx:
    def __init__(self, coops):
        self.today = dt.date(2026, 11, 22)
        self.showcase = coops
        self.lines = []

    def log(self, msg):
        self.lines.append(msg)


def _demo_users(world):
    for kind, user in (
        ("pengurus", world.pengurus_a),
        ("manajer", world.manajer_a),
        ("kasir", world.kasir_a),
    ):
        user.username = f"ksu-sejahtera-{kind}"
        user.save()


def test_demo_portfolio_is_posted_and_idempotent(world, monkeypatch):
    _demo_users(world)
    monkeypatch.setitem(demo.PLAN, "ksu-sejahtera", (24, demo.PLAN["ksu-tunas-harapan"][1]))
    for _ in range(12):
        make_member(world.coop_a)
    ctx = Ctx([world.coop_a])
    demo.run(ctx)
    loans = Loan.objects.filter(cooperative=world.coop_a)
    assert loans.count() == 24
    assert Repayment.objects.filter(cooperative=world.coop_a).count() > 24
    # one at each past year end of the books, one at the last month end
    assert list(
        ArrearsRun.objects.filter(cooperative=world.coop_a, status="selesai")
        .order_by("date")
        .values_list("date", flat=True)
    ) == [dt.date(2024, 12, 31), dt.date(2025, 12, 31), dt.date(2026, 10, 31)]
    assert_books(world.coop_a)
    loan_outstanding_matches_ledger(world.coop_a)
    counts = (loans.count(), Repayment.objects.count())
    demo.run(ctx)
    assert (Loan.objects.count(), Repayment.objects.count()) == counts
    assert any("sudah ada pinjaman" in line for line in ctx.lines)


def test_demo_without_members_creates_nothing(world, monkeypatch):
    from kopdig.members.models import Member

    Member.objects.all().delete()
    _demo_users(world)
    monkeypatch.setitem(demo.PLAN, "ksu-sejahtera", (5, demo.PLAN["ksu-tunas-harapan"][1]))
    ctx = Ctx([world.coop_a])
    demo.run(ctx)
    assert not Loan.objects.exists()
    assert any("belum ada anggota" in line for line in ctx.lines)


def test_arrears_command(world):
    from .conftest import disbursed_loan, make_product

    product = make_product(world.pengurus_a, world.coop_a)
    disbursed_loan(world, product)
    out = StringIO()
    call_command("loans_arrears", "--date", "2025-06-30", "--coop", "ksu-sejahtera", stdout=out)
    assert "ksu-sejahtera 2025-06-30: 1 pinjaman" in out.getvalue()
    call_command("loans_arrears", "--date", "2025-06-30", stdout=out)
    assert ArrearsRun.objects.count() == 1
    assert Loan.objects.get().kolektibilitas == "diragukan"  # 135 days past due
