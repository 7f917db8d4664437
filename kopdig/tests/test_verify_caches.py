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
from kopdig.usaha.tests.conftest import shop  # noqa: F401


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


@pytest.fixture
def stocked(shop):  # noqa: F811
    from kopdig.usaha import actions as usaha

    usaha.purchase_record(
        actor=shop.kasir_a,
        cooperative=shop.coop_a,
        date=shop.day,
        supplier_name="UD Makmur",
        lines=[{"product": "beras", "qty": 10, "unit_cost": "50000"}],
    )
    return shop


@pytest.mark.django_db
def test_a_changed_stock_cache_is_named(stocked):
    from kopdig.usaha.models import Product

    assert verify_output("--coop", "ksu-sejahtera") == (0, "ledger verify: OK\n")
    Product.objects.filter(cooperative=stocked.coop_a, code="beras").update(stock_qty=Decimal("12"))
    code, out = verify_output("--coop", "ksu-sejahtera")
    assert code == 1
    assert out.splitlines() == ["ksu-sejahtera: stok beras cache 12.000/500000.00 ≠ mutasi 10.000/500000.00"]


@pytest.mark.django_db
def test_a_stock_value_off_the_ledger_is_named(stocked):
    from kopdig.usaha.models import Product, StockMovement

    product = Product.objects.get(cooperative=stocked.coop_a, code="beras")
    StockMovement.objects.filter(product=product).update(value=Decimal("450000"))
    Product.objects.filter(pk=product.pk).update(stock_value=Decimal("450000"))
    code, out = verify_output()
    assert code == 1
    assert out.splitlines() == ["ksu-sejahtera: nilai stok 450000.00 ≠ saldo Persediaan 500000.00"]


def _tamper(*statements):
    """Raw SQL the application never writes; on PostgreSQL with the triggers and foreign keys
    switched off for this transaction (session_replication_role), as a superuser could."""
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = replica")
        for sql, params in statements:
            cur.execute(sql, params)
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = DEFAULT")


def _raw_entry_sql(coop, number, date):
    return (
        "INSERT INTO ledger_journalentry (cooperative_id, number, date, memo, source_type, source_ref,"
        " total, posted_at) VALUES (%s, %s, %s, 'raw', 'manual', '', 100, CURRENT_TIMESTAMP)",
        [coop.pk, number, date],
    )


def _raw_line_sql(coop, number, account, date, debit, credit):
    return (
        "INSERT INTO ledger_journalline (cooperative_id, entry_id, account_id, date, debit, credit, memo)"
        " SELECT %s, id, %s, %s, %s, %s, '' FROM ledger_journalentry WHERE number = %s",
        [coop.pk, account.pk, date, debit, credit, number],
    )


@pytest.mark.django_db
def test_a_line_dated_off_its_entry_is_named(world):
    a = world.coop_a
    kas, lain = (a.accounts.get(system_key=k) for k in ("kas", "pendapatan_lain"))
    _tamper(
        _raw_entry_sql(a, "X-1", "2025-01-05"),
        _raw_line_sql(a, "X-1", kas, "2025-01-05", 100, 0),
        _raw_line_sql(a, "X-1", lain, "2025-02-05", 0, 100),
    )
    code, out = verify_output("--coop", "ksu-sejahtera")
    assert code == 1
    assert "ksu-sejahtera: jurnal X-1 memiliki baris bertanggal lain dari jurnalnya" in out.splitlines()


@pytest.mark.django_db
def test_a_line_on_another_cooperatives_account_is_named(world):
    a, b = world.coop_a, world.coop_b
    kas, foreign = a.accounts.get(system_key="kas"), b.accounts.get(system_key="pendapatan_lain")
    _tamper(
        _raw_entry_sql(a, "X-1", "2025-01-05"),
        _raw_line_sql(a, "X-1", kas, "2025-01-05", 100, 0),
        _raw_line_sql(a, "X-1", foreign, "2025-01-05", 0, 100),
    )
    code, out = verify_output("--coop", "ksu-sejahtera")
    assert code == 1
    assert "ksu-sejahtera: 1 baris jurnal menunjuk koperasi/akun lain" in out.splitlines()
