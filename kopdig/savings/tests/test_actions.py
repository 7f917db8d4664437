import datetime as dt
from decimal import Decimal

import pytest

from kopdig.audit.models import AuditLog
from kopdig.lib.errors import NotAllowed
from kopdig.savings import actions, runs, selectors
from kopdig.savings.errors import InsufficientBalance, LockedSavings
from kopdig.savings.models import Due, Run, SavingsAccount, SavingsProduct, SavingsTransaction
from kopdig.tenancy.access import SYSTEM

from .helpers import assert_books_ok, counts

pytestmark = pytest.mark.django_db
D = Decimal


def _acc(member, kind):
    return SavingsAccount.objects.get(member=member, kind=kind, status="aktif")


def test_deposit_posts_and_issues_receipt(world, admit, sukarela):
    m = admit()
    number = sukarela(m)
    r = actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=number,
        amount="250000",
        date=dt.date(2025, 1, 5),
    )
    assert r.number == "KW-2025-000002"  # 000001 is the simpanan pokok at admission
    assert r.amount == D("250000.00")
    assert SavingsAccount.objects.get(number=number).balance == D("250000.00")
    assert r.entry.source_ref == r.number
    assert_books_ok(world.coop_a)


def test_withdrawal_over_balance_refused_nothing_posted(world, admit, sukarela):
    m = admit()
    number = sukarela(m)
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=number,
        amount="100000",
        date=dt.date(2025, 1, 5),
    )
    before = counts(world.coop_a)
    with pytest.raises(InsufficientBalance):  # 100,000 − minimum 10,000 = 90,000 available
        actions.savings_withdraw(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            account=number,
            amount="90000.01",
            date=dt.date(2025, 1, 6),
        )
    assert counts(world.coop_a) == before
    actions.savings_withdraw(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=number,
        amount="90000",
        date=dt.date(2025, 1, 6),
    )
    assert SavingsAccount.objects.get(number=number).balance == D("10000.00")
    assert_books_ok(world.coop_a)


@pytest.mark.parametrize("kind", ["pokok", "wajib"])
def test_pokok_wajib_withdrawal_refused_while_member(world, admit, kind):
    m = admit()
    acc = _acc(m, kind)
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=_acc(m, "wajib").number,
        amount="50000",
        date=dt.date(2025, 1, 5),
    )
    before = counts(world.coop_a)
    with pytest.raises(LockedSavings):
        actions.savings_withdraw(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            account=acc.number,
            amount="1000",
            date=dt.date(2025, 1, 6),
        )
    assert counts(world.coop_a) == before
    assert_books_ok(world.coop_a)


def test_transfer_between_own_accounts_only(world, admit, sukarela):
    m, other = admit(), admit(name="Sri Wahyuni", n=2, gender="P")
    src = sukarela(m)
    actions.savings_deposit(
        actor=world.kasir_a, cooperative=world.coop_a, account=src, amount="300000", date=dt.date(2025, 1, 5)
    )
    r = actions.savings_transfer(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        source=src,
        target=_acc(m, "wajib").number,
        amount="25000",
        date=dt.date(2025, 1, 6),
    )
    assert r.type == "pemindahbukuan"
    assert _acc(m, "wajib").balance == D("25000.00")
    before = counts(world.coop_a)
    with pytest.raises(actions.SavingsError):
        actions.savings_transfer(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            source=src,
            target=_acc(other, "wajib").number,
            amount="1000",
            date=dt.date(2025, 1, 6),
        )
    assert counts(world.coop_a) == before
    assert_books_ok(world.coop_a)


def test_dinas_and_pengawas_cannot_post(world, admit, sukarela):
    m = admit()
    number = sukarela(m)
    before = counts(world.coop_a)
    for user in (world.dinas, world.pengawas_a, world.anggota_a, world.pengurus_b):
        with pytest.raises(NotAllowed):
            actions.savings_deposit(actor=user, cooperative=world.coop_a, account=number, amount="1000")
    assert counts(world.coop_a) == before


def test_billing_run_twice_creates_dues_once(world, admit):
    m1, m2 = admit(), admit(name="Sri Wahyuni", n=2, gender="P", member_class="pegawai")
    SavingsProduct.objects.filter(cooperative=world.coop_a, kind="wajib").update(
        class_amounts={"pegawai": "50000"}
    )
    # m1 prepaid 30,000: the March due of 25,000 is settled from it, 5,000 credit stays.
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=_acc(m1, "wajib").number,
        amount="30000",
        date=dt.date(2025, 2, 20),
    )
    run = actions.savings_run(
        actor=world.pengurus_a, cooperative=world.coop_a, kind="billing", period=dt.date(2025, 3, 1)
    )
    assert run.status == Run.Status.DONE and run.total == 3 and run.done == 3  # incl. world.member_a
    dues = {d.member_id: d for d in Due.objects.filter(cooperative=world.coop_a, period=dt.date(2025, 3, 1))}
    assert dues[m1.pk].amount == D("25000.00") and dues[m1.pk].paid == D("25000.00")
    assert dues[m2.pk].amount == D("50000.00") and dues[m2.pk].paid == D("0.00")
    assert _acc(m1, "wajib").wajib_credit == D("5000.00")
    before = counts(world.coop_a)
    again = actions.savings_run(
        actor=world.pengurus_a, cooperative=world.coop_a, kind="billing", period=dt.date(2025, 3, 1)
    )
    assert again.pk == run.pk
    assert counts(world.coop_a) == before
    # Arrears, then a payment settles the oldest due first.
    actions.savings_run(
        actor=world.pengurus_a, cooperative=world.coop_a, kind="billing", period=dt.date(2025, 4, 1)
    )
    assert selectors.arrears_of_member(world.coop_a, m2) == {"months": 2, "amount": D("100000.00")}
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=_acc(m2, "wajib").number,
        amount="60000",
        date=dt.date(2025, 4, 10),
    )
    assert selectors.arrears_of_member(world.coop_a, m2) == {"months": 1, "amount": D("40000.00")}
    assert [a.number for a in selectors.arrears_list(world.coop_a)] == [
        world.member_a.number,
        m1.number,
        m2.number,
    ]
    assert_books_ok(world.coop_a)


def test_run_needs_manager(world):
    with pytest.raises(NotAllowed):
        actions.savings_run(
            actor=world.kasir_a, cooperative=world.coop_a, kind="billing", period=dt.date(2025, 3, 1)
        )
    assert not Run.objects.exists()


def _march_movements(world, number):
    for day, amount, kind in ((10, "500000", "in"), (20, "200000", "out"), (31, "50000", "in")):
        fn = actions.savings_deposit if kind == "in" else actions.savings_withdraw
        fn(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            account=number,
            amount=amount,
            date=dt.date(2025, 3, day),
        )


def test_interest_daily_balance_worked_by_hand(world, admit, sukarela):
    """Rate 3.65%/yr = 0.0001 per day (actual/365), March 2025 (31 days):
    1–9 Mar 1,000,000 × 9 = 9,000,000; 10–19 Mar 1,500,000 × 10 = 15,000,000;
    20–30 Mar 1,300,000 × 11 = 14,300,000; 31 Mar 1,350,000 × 1 = 1,350,000;
    Σ = 39,650,000 × 0.0001 = Rp 3,965.00 jasa; no tax (≤ 240,000); admin fee Rp 1,000.
    """
    SavingsProduct.objects.filter(cooperative=world.coop_a, code="sukarela").update(
        rate=D("3.65"), admin_fee=D("1000")
    )
    m = admit()
    number = sukarela(m)
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=number,
        amount="1000000",
        date=dt.date(2025, 1, 2),
    )
    _march_movements(world, number)
    run = actions.savings_run(
        actor=world.pengurus_a, cooperative=world.coop_a, kind="interest", period=dt.date(2025, 3, 1)
    )
    assert run.status == "done"
    txs = {
        t.type: t.amount
        for t in SavingsTransaction.objects.filter(account__number=number, period=dt.date(2025, 3, 1))
    }
    assert txs == {"interest": D("3965.00"), "admin_fee": D("-1000.00")}
    assert SavingsAccount.objects.get(number=number).balance == D("1352965.00")
    log = AuditLog.objects.get(cooperative=world.coop_a, action="savings_interest_post")
    assert log.actor == world.pengurus_a
    assert log.after == {"jasa": "3965.00", "pajak": "0.00", "biaya_admin": "1000.00", "rekening": 1}
    before = counts(world.coop_a)
    actions.savings_run(
        actor=world.pengurus_a, cooperative=world.coop_a, kind="interest", period=dt.date(2025, 3, 1)
    )
    assert counts(world.coop_a) == before
    assert_books_ok(world.coop_a)


@pytest.mark.parametrize("basis,expected", [("average", "3965.00"), ("lowest", "3100.00")])
def test_interest_other_bases(world, admit, sukarela, basis, expected):
    """average: 39,650,000 / 31 × 31 days × 0.0001 = 3,965.00; lowest: 1,000,000 × 31 × 0.0001 = 3,100.00."""
    SavingsProduct.objects.filter(cooperative=world.coop_a, code="sukarela").update(
        rate=D("3.65"), basis=basis
    )
    m = admit()
    number = sukarela(m)
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=number,
        amount="1000000",
        date=dt.date(2025, 1, 2),
    )
    _march_movements(world, number)
    actions.savings_run(
        actor=world.pengurus_a, cooperative=world.coop_a, kind="interest", period=dt.date(2025, 3, 1)
    )
    assert SavingsTransaction.objects.get(account__number=number, type="interest").amount == D(expected)
    assert_books_ok(world.coop_a)


def test_interest_tax_above_240000(world, admit, sukarela):
    """100,000,000 × 31 days × 0.0001 = 310,000 jasa; tax 10% × (310,000 − 240,000) = 7,000."""
    SavingsProduct.objects.filter(cooperative=world.coop_a, code="sukarela").update(rate=D("3.65"))
    m = admit()
    number = sukarela(m)
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=number,
        amount="100000000",
        date=dt.date(2025, 2, 28),
    )
    actions.savings_run(
        actor=world.pengurus_a, cooperative=world.coop_a, kind="interest", period=dt.date(2025, 3, 1)
    )
    txs = {
        t.type: t.amount
        for t in SavingsTransaction.objects.filter(account__number=number, period__isnull=False)
    }
    assert txs == {"interest": D("310000.00"), "tax": D("-7000.00")}
    from kopdig.ledger.chart import account_for
    from kopdig.ledger.selectors import account_balance

    assert account_balance(account_for(world.coop_a, "utang_pajak"), dt.date(2025, 3, 31)) == D("7000.00")
    assert account_balance(account_for(world.coop_a, "beban_jasa_simpanan"), dt.date(2025, 3, 31)) == D(
        "310000.00"
    )
    assert_books_ok(world.coop_a)


def test_passbook_running_balance_equals_ledger(world, admit, sukarela):
    m = admit()
    number = sukarela(m)
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=number,
        amount="1000000",
        date=dt.date(2025, 1, 2),
    )
    _march_movements(world, number)
    acc = SavingsAccount.objects.get(number=number)
    opening, rows = selectors.passbook(acc)
    assert [r.running for r in rows] == [D("1000000.00"), D("1500000.00"), D("1300000.00"), D("1350000.00")]
    from kopdig.ledger.chart import account_for
    from kopdig.ledger.selectors import account_balance

    assert rows[-1].running == account_balance(
        account_for(world.coop_a, "simpanan_sukarela"), dt.date(2025, 3, 31)
    )
    opening, rows = selectors.passbook(acc, start=dt.date(2025, 3, 15))
    assert opening == D("1500000.00") and len(rows) == 2


def test_payroll_batch_all_or_nothing(world, admit):
    m1, m2 = admit(), admit(name="Sri Wahyuni", n=2, gender="P")
    actions.savings_run(
        actor=world.pengurus_a, cooperative=world.coop_a, kind="billing", period=dt.date(2025, 3, 1)
    )
    before = counts(world.coop_a)
    bad = [
        (2, {"no_anggota": m1.number, "jumlah": 25000}),
        (3, {"no_anggota": "99999", "jumlah": 25000}),
        (4, {"no_anggota": m2.number, "jumlah": -5}),
    ]
    with pytest.raises(actions.PayrollRowError) as exc:
        actions.savings_payroll_import(
            actor=world.kasir_a, cooperative=world.coop_a, rows=bad, date=dt.date(2025, 3, 25)
        )
    assert [row for row, _ in exc.value.errors] == [3, 4]
    assert counts(world.coop_a) == before
    good = [
        (2, {"no_anggota": m1.number, "jumlah": 25000}),
        (3, {"no_anggota": m2.number, "jumlah": "25000"}),
    ]
    r = actions.savings_payroll_import(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        rows=good,
        date=dt.date(2025, 3, 25),
        employer="PT Kertas",
    )
    assert r.amount == D("50000.00")
    assert selectors.arrears_of_member(world.coop_a, m1)["months"] == 0
    assert selectors.arrears_of_member(world.coop_a, m2)["months"] == 0
    assert_books_ok(world.coop_a)


def test_time_deposit_maturity_pay_out(world, admit):
    from kopdig.savings._postings import ensure_products

    ensure_products(world.coop_a)
    SavingsProduct.objects.filter(cooperative=world.coop_a, code="berjangka-12").update(
        rate=D("3.65"), term_months=1
    )
    m = admit()
    r = actions.savings_time_deposit_open(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member_number=m.number,
        product_code="berjangka-12",
        amount="10000000",
        date=dt.date(2025, 1, 10),
    )
    acc = SavingsAccount.objects.get(member=m, kind="berjangka")
    assert acc.maturity_on == dt.date(2025, 2, 10) and r.amount == D("10000000.00")
    actions.savings_run(
        actor=world.pengurus_a, cooperative=world.coop_a, kind="maturity", period=dt.date(2025, 2, 1)
    )
    acc.refresh_from_db()
    # 10,000,000 × 31 days × 0.0001 = 31,000 jasa, no tax; paid out 10,031,000 and closed.
    assert acc.status == "ditutup" and acc.balance == D("0.00")
    assert SavingsTransaction.objects.get(account=acc, type="interest").amount == D("31000.00")
    assert SavingsTransaction.objects.get(account=acc, type="withdrawal").amount == D("-10031000.00")
    log = AuditLog.objects.get(cooperative=world.coop_a, action="savings_mature", object_ref=acc.number)
    assert log.before["status"] == "aktif" and log.before["balance"] == "10000000.00"
    assert log.after["status"] == "ditutup" and log.after["balance"] == "0.00"
    assert_books_ok(world.coop_a)


def test_credit_sukarela_service(world, admit):
    m = admit()
    [tx] = actions.savings_sukarela_credit(
        actor=world.pengurus_a,
        cooperative=world.coop_a,
        date=dt.date(2025, 3, 1),
        contra_account="dana_shu_anggota",
        source_type="shu.credit",
        credits=[(m, D("75000"), "SHU 2024", "SHU-2024")],
    )
    assert tx.amount == D("75000.00") and tx.kind == "sukarela"
    assert _acc(m, "sukarela").balance == D("75000.00")
    assert selectors.simpanan_by_member(world.coop_a, date=dt.date(2025, 3, 1), kinds=("sukarela",)) == {
        m.pk: D("75000.00")
    }


def test_simpanan_selectors_for_shu(world, admit):
    m = admit(joined_on=dt.date(2024, 12, 15))  # pokok 100,000 in Dec 2024
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=_acc(m, "wajib").number,
        amount="120000",
        date=dt.date(2025, 7, 1),
    )
    assert selectors.simpanan_by_member(world.coop_a, date=dt.date(2025, 6, 30)) == {m.pk: D("100000.00")}
    assert selectors.simpanan_by_member(world.coop_a, date=dt.date(2025, 12, 31)) == {m.pk: D("220000.00")}
    # 6 month-ends at 100,000 and 6 at 220,000: average 160,000.
    assert selectors.simpanan_average_by_member(world.coop_a, year=2025) == {m.pk: D("160000.00")}


def test_interest_run_refused_before_month_end(world):
    from django.utils import timezone

    with pytest.raises(runs.RunError):
        actions.savings_run(
            actor=world.pengurus_a,
            cooperative=world.coop_a,
            kind="interest",
            period=timezone.localdate().replace(day=1),
        )
    assert not Run.objects.exists()


def test_no_actor_is_refused_the_system_actor_passes(world, admit, sukarela):
    m = admit()
    number = sukarela(m)
    before = counts(world.coop_a)
    with pytest.raises(NotAllowed):
        actions.savings_deposit(
            actor=None, cooperative=world.coop_a, account=number, amount="1000", date=dt.date(2025, 1, 5)
        )
    with pytest.raises(NotAllowed):
        actions.savings_run(actor=None, cooperative=world.coop_a, kind="billing", period=dt.date(2025, 1, 1))
    assert counts(world.coop_a) == before
    r = actions.savings_deposit(
        actor=SYSTEM, cooperative=world.coop_a, account=number, amount="1000", date=dt.date(2025, 1, 5)
    )
    assert r.cashier is None and r.entry.posted_by is None
    assert AuditLog.objects.get(action="savings_deposit", object_ref=r.number).actor is None
    assert_books_ok(world.coop_a)
