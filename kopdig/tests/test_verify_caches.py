"""``kopdig ledger verify`` proves every product cache against its source (issue 11.4): each
tampering exits 1 with the difference named."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from kopdig.loans.models import Loan
from kopdig.loans.tests.conftest import disbursed_loan, make_product
from kopdig.members.tests.conftest import admit, nik, sukarela  # noqa: F401
from kopdig.savings import actions as savings
from kopdig.savings.models import SavingsAccount, SavingsTransaction


@pytest.fixture
def books(world, admit, sukarela):  # noqa: F811
    member = admit()
    number = sukarela(member)
    savings.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=number,
        amount="2500000",
        date=dt.date(2025, 1, 3),
    )
    loan = disbursed_loan(world, make_product(world.pengurus_a, world.coop_a), member=member)
    return number, loan.number


def verify_output(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("ledger", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


@pytest.mark.django_db
def test_clean_books_pass(books):
    assert verify_output() == (0, "ledger verify: OK\n")
    assert verify_output("--coop", "ksu-sejahtera") == (0, "ledger verify: OK\n")


@pytest.mark.django_db
def test_a_raised_savings_balance_is_named(books):
    number, _ = books
    SavingsAccount.objects.filter(number=number).update(balance=F("balance") + Decimal("1000000"))
    code, out = verify_output("--coop", "ksu-sejahtera")
    assert code == 1
    assert f"ksu-sejahtera: simpanan {number} saldo 3500000.00 ≠ Σ transaksi 2500000.00\n" in out


@pytest.mark.django_db
def test_a_changed_savings_transaction_is_named_against_the_control_account(books):
    number, _ = books
    tx = SavingsTransaction.objects.get(account__number=number, type="deposit")
    SavingsTransaction.objects.filter(pk=tx.pk).update(amount=Decimal("2600000"))
    SavingsAccount.objects.filter(number=number).update(balance=Decimal("2600000"))
    code, out = verify_output()
    assert code == 1
    assert out.splitlines() == [
        "ksu-sejahtera: akun simpanan_sukarela di buku besar 2500000.00 ≠ Σ saldo simpanan 2600000.00"
    ]


@pytest.mark.django_db
def test_a_lowered_loan_outstanding_is_named(books):
    _, loan_number = books
    Loan.objects.filter(number=loan_number).update(outstanding=F("outstanding") - Decimal("100000"))
    code, out = verify_output("--coop", "ksu-sejahtera")
    assert code == 1
    assert out.splitlines() == [
        f"ksu-sejahtera: pinjaman {loan_number} sisa pokok 11900000.00 ≠ pokok 12000000.00 − angsuran pokok 0.00 − "
        "hapus buku 0.00 = 12000000.00",
    ]


@pytest.mark.django_db
def test_a_loan_missing_from_the_receivable_is_named(books, world):
    _, loan_number = books
    Loan.objects.filter(number=loan_number).update(
        principal=Decimal("11000000"), outstanding=Decimal("11000000")
    )
    code, out = verify_output()
    assert code == 1
    assert out.splitlines() == [
        "ksu-sejahtera: akun piutang_pinjaman di buku besar 12000000.00 ≠ Σ sisa pokok pinjaman 11000000.00"
    ]
