import datetime as dt
from decimal import Decimal

import pytest

from kopdig.audit.models import AuditLog
from kopdig.ledger.models import JournalEntry
from kopdig.lib.errors import DomainError, NotAllowed
from kopdig.loans import actions, errors, selectors
from kopdig.loans.models import Installment, Loan, Repayment
from kopdig.savings.actions import savings_sukarela_credit
from kopdig.tenancy.access import SYSTEM

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


def snapshot(coop):
    return (
        JournalEntry.objects.filter(cooperative=coop).count(),
        AuditLog.objects.count(),
        list(
            Loan.objects.filter(cooperative=coop).values_list(
                "number", "status", "outstanding", "approved_by_id"
            )
        ),
        list(Installment.objects.filter(cooperative=coop).values_list("pokok_paid", "jasa_paid", "denda")),
    )


def test_apply_approve_disburse_posts_net_of_fees(world, product):
    loan = disbursed_loan(world, product)
    assert loan.number == "PJ-2025-000001"
    assert loan.status == Loan.Status.ACTIVE and loan.outstanding == D("12000000.00")
    assert loan.provisi_amount == D("120000.00") and loan.admin_amount == D("50000.00")
    assert balance(world.coop_a, "piutang_pinjaman") == D("12000000.00")
    assert balance(world.coop_a, "kas") == D("-11830000.00")
    assert balance(world.coop_a, "pendapatan_provisi") == D("170000.00")
    insts = list(loan.installments.all())
    assert (
        len(insts) == 12
        and insts[0].due_date == dt.date(2025, 2, 15)
        and insts[-1].due_date == dt.date(2026, 1, 15)
    )
    assert all(i.total == D("1180000.00") for i in insts)
    assert set(AuditLog.objects.filter(object_ref=loan.number).values_list("action", flat=True)) == {
        "loan_apply",
        "loan_approve",
        "loan_disburse",
    }
    second = disbursed_loan(world, product, principal="1000000", term=3)
    assert second.number == "PJ-2025-000002"
    assert_books(world.coop_a)
    loan_outstanding_matches_ledger(world.coop_a)


def test_same_user_cannot_approve_and_nothing_changes(world, product):
    loan = actions.loan_apply(
        actor=world.pengurus_a,
        cooperative=world.coop_a,
        member=world.member_a,
        product=product,
        principal=D("5000000"),
        term=10,
        purpose="Renovasi",
        applied_on=dt.date(2025, 1, 2),
    )
    before = snapshot(world.coop_a)
    with pytest.raises(NotAllowed):
        actions.loan_approve(actor=world.pengurus_a, cooperative=world.coop_a, number=loan.number)
    assert snapshot(world.coop_a) == before


def test_manajer_limit(world, product):
    actions.loan_settings_update(
        actor=world.pengurus_a, cooperative=world.coop_a, manajer_approval_limit="4000000"
    )
    loan = actions.loan_apply(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member=world.member_a,
        product=product,
        principal=D("5000000"),
        term=10,
        purpose="Renovasi",
        applied_on=dt.date(2025, 1, 2),
    )
    before = snapshot(world.coop_a)
    with pytest.raises(NotAllowed):
        actions.loan_approve(actor=world.manajer_a, cooperative=world.coop_a, number=loan.number)
    assert snapshot(world.coop_a) == before
    actions.loan_approve(actor=world.pengurus_a, cooperative=world.coop_a, number=loan.number)


@pytest.mark.parametrize("who", ["anggota_a", "pengawas_a", "dinas", "pengurus_b"])
def test_readers_and_outsiders_cannot_write(world, product, who):
    user = getattr(world, who)
    loan = actions.loan_apply(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member=world.member_a,
        product=product,
        principal=D("5000000"),
        term=10,
        purpose="Renovasi",
        applied_on=dt.date(2025, 1, 2),
    )
    before = snapshot(world.coop_a)
    with pytest.raises(NotAllowed):
        actions.loan_apply(
            actor=user,
            cooperative=world.coop_a,
            member=world.member_a,
            product=product,
            principal=D("5000000"),
            term=10,
            purpose="x",
        )
    with pytest.raises(NotAllowed):
        actions.loan_approve(actor=user, cooperative=world.coop_a, number=loan.number)
    with pytest.raises(NotAllowed):
        actions.loan_product_save(actor=user, cooperative=world.coop_a, code="REG", name="x")
    assert snapshot(world.coop_a) == before


def test_other_cooperative_loan_not_found(world, product):
    loan = disbursed_loan(world, product)
    with pytest.raises(DomainError) as exc:
        actions.loan_repay(
            actor=world.pengurus_b, cooperative=world.coop_b, number=loan.number, amount=D("1000")
        )
    assert not isinstance(exc.value, NotAllowed)


def test_limits_guarantors_collateral(world):
    product = make_product(
        world.pengurus_a,
        world.coop_a,
        code="AGN",
        max_amount=D("20000000"),
        min_amount=D("1000000"),
        max_term=24,
        required_guarantors=1,
        collateral_required=True,
    )
    other = make_member(world.coop_a)
    kw = dict(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member=world.member_a,
        product=product,
        term=12,
        purpose="Beli motor",
        applied_on=dt.date(2025, 1, 2),
    )
    with pytest.raises(DomainError, match="antara"):
        actions.loan_apply(
            principal=D("25000000"), guarantors=[other], collaterals=[("BPKB", "", D("1"))], **kw
        )
    with pytest.raises(DomainError, match="penjamin"):
        actions.loan_apply(principal=D("5000000"), collaterals=[("BPKB", "Honda", D("9000000"))], **kw)
    with pytest.raises(DomainError, match="agunan"):
        actions.loan_apply(principal=D("5000000"), guarantors=[other], **kw)
    with pytest.raises(DomainError, match="Penjamin"):
        actions.loan_apply(
            principal=D("5000000"),
            guarantors=[world.member_a],
            collaterals=[("BPKB", "", D("9000000"))],
            **kw,
        )
    with pytest.raises(DomainError, match="Jangka"):
        actions.loan_apply(
            principal=D("5000000"),
            guarantors=[other],
            collaterals=[("BPKB", "", D("9000000"))],
            **{**kw, "term": 36},
        )
    assert not Loan.objects.exists()
    loan = actions.loan_apply(
        principal=D("5000000"), guarantors=[other], collaterals=[("BPKB", "Honda", D("9000000"))], **kw
    )
    assert loan.guarantors.get().member == other and loan.collaterals.get().value == D("9000000.00")


def test_savings_multiple_limit(world):
    product = make_product(world.pengurus_a, world.coop_a, code="X3", max_savings_multiple=D("3"))
    with pytest.raises(DomainError, match="simpanan"):
        actions.loan_apply(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            member=world.member_a,
            product=product,
            principal=D("1000000"),
            term=12,
            purpose="x",
            applied_on=dt.date(2025, 1, 2),
        )


def test_regular_and_partial_repayment(world, product):
    loan = disbursed_loan(world, product)
    rep = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("100000"),
        date=dt.date(2025, 2, 15),
    )
    assert (rep.denda, rep.jasa, rep.pokok) == (D("0.00"), D("100000.00"), D("0.00"))
    assert rep.number == "KP-2025-000001"
    rep = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("1080000"),
        date=dt.date(2025, 2, 15),
    )
    assert (rep.jasa, rep.pokok) == (D("80000.00"), D("1000000.00"))
    loan.refresh_from_db()
    assert loan.outstanding == D("11000000.00")
    first = loan.installments.get(number=1)
    assert first.paid_on == dt.date(2025, 2, 15)
    # pay ahead: 1,500,000 on 2025-03-01 (nothing due) → installment 2 fully (jasa then pokok), 320,000 on 3
    rep = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("1500000"),
        date=dt.date(2025, 3, 1),
    )
    assert (rep.jasa, rep.pokok) == (D("360000.00"), D("1140000.00"))
    assert loan.installments.get(number=3).pokok_paid == D("140000.00")
    assert balance(world.coop_a, "pendapatan_jasa_pinjaman") == D("540000.00")
    assert_books(world.coop_a)
    loan_outstanding_matches_ledger(world.coop_a)


def test_denda_per_day_with_grace(world):
    product = make_product(
        world.pengurus_a,
        world.coop_a,
        code="DND",
        denda_basis="per_hari",
        denda_kind="persen",
        denda_value=D("0.1"),
        denda_grace_days=3,
    )
    loan = disbursed_loan(world, product)
    # due 2025-02-15, grace to 02-18; on 02-25: 7 days × 0.1% × 1,180,000 = 8,260
    rep = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("1188260"),
        date=dt.date(2025, 2, 25),
    )
    assert (rep.denda, rep.jasa, rep.pokok) == (D("8260.00"), D("180000.00"), D("1000000.00"))
    assert balance(world.coop_a, "pendapatan_denda") == D("8260.00")
    assert_books(world.coop_a)


def test_denda_per_installment_fixed(world):
    product = make_product(
        world.pengurus_a,
        world.coop_a,
        code="DPI",
        denda_basis="per_angsuran",
        denda_kind="tetap",
        denda_value=D("25000"),
        denda_grace_days=5,
    )
    loan = disbursed_loan(world, product)
    rep = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("100000"),
        date=dt.date(2025, 2, 20),
    )  # within grace: no denda
    assert rep.denda == D("0.00")
    rep = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("100000"),
        date=dt.date(2025, 3, 1),
    )
    assert (rep.denda, rep.jasa) == (D("25000.00"), D("75000.00"))
    # charged once only
    rep = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("5000"),
        date=dt.date(2025, 3, 5),
    )
    assert (rep.denda, rep.jasa) == (D("0.00"), D("5000.00"))
    assert_books(world.coop_a)


def test_allocation_order_pokok_first(world):
    product = make_product(
        world.pengurus_a,
        world.coop_a,
        code="PKF",
        allocation_order="pokok,jasa,denda",
        denda_basis="per_angsuran",
        denda_kind="tetap",
        denda_value=D("10000"),
    )
    loan = disbursed_loan(world, product)
    rep = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("1050000"),
        date=dt.date(2025, 3, 1),
    )
    assert (rep.pokok, rep.jasa, rep.denda) == (D("1000000.00"), D("50000.00"), D("0.00"))
    assert_books(world.coop_a)


@pytest.mark.parametrize(
    "rule,expected_jasa", [("penuh", D("1620000.00")), ("berjalan", D("180000.00")), ("tidak", D("0.00"))]
)
def test_early_payoff_rules(world, rule, expected_jasa):
    product = make_product(world.pengurus_a, world.coop_a, code="EP", early_payoff_jasa=rule)
    loan = disbursed_loan(world, product)
    for month in (2, 3, 4):
        actions.loan_repay(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            number=loan.number,
            amount=D("1180000"),
            date=dt.date(2025, month, 15),
        )
    total = D("9000000.00") + expected_jasa
    before = snapshot(world.coop_a)
    with pytest.raises(DomainError, match="Pelunasan"):
        actions.loan_repay(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            number=loan.number,
            amount=total - D("0.01"),
            date=dt.date(2025, 4, 20),
            payoff=True,
        )
    assert snapshot(world.coop_a) == before
    rep = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=total,
        date=dt.date(2025, 4, 20),
        payoff=True,
    )
    assert (rep.kind, rep.pokok, rep.jasa) == ("pelunasan", D("9000000.00"), expected_jasa)
    loan.refresh_from_db()
    assert (
        loan.status == Loan.Status.CLOSED and loan.outstanding == 0 and loan.closed_on == dt.date(2025, 4, 20)
    )
    assert_books(world.coop_a)
    loan_outstanding_matches_ledger(world.coop_a)


def test_overpayment_refused_nothing_changed(world):
    product = make_product(world.pengurus_a, world.coop_a, code="OV")
    loan = disbursed_loan(world, product, principal="1000000", term=2)
    before = snapshot(world.coop_a)
    with pytest.raises(errors.Overpayment):
        actions.loan_repay(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            number=loan.number,
            amount=D("2000000"),
            date=dt.date(2025, 2, 15),
        )
    assert snapshot(world.coop_a) == before


def test_overpayment_to_sukarela(world):
    product = make_product(world.pengurus_a, world.coop_a, code="OVS", overpayment="sukarela")
    loan = disbursed_loan(world, product, principal="1000000", term=2)
    # owed: 2 × 500,000 pokok + 2 × 15,000 jasa = 1,030,000
    rep = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("1100000"),
        date=dt.date(2025, 2, 15),
    )
    assert rep.to_sukarela == D("70000.00") and rep.closed_loan
    assert balance(world.coop_a, "simpanan_sukarela") == D("70000.00")
    assert_books(world.coop_a)


def test_reversal_restores_schedule(world, product):
    loan = disbursed_loan(world, product)
    r1 = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("1180000"),
        date=dt.date(2025, 2, 15),
    )
    state = list(Installment.objects.filter(loan=loan).values_list("pokok_paid", "jasa_paid", "paid_on"))
    r2 = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("2000000"),
        date=dt.date(2025, 3, 15),
    )
    with pytest.raises(DomainError, match="terakhir"):
        actions.repayment_reverse(
            actor=world.pengurus_a, cooperative=world.coop_a, number=r1.number, reason="salah"
        )
    with pytest.raises(NotAllowed):
        actions.repayment_reverse(
            actor=world.kasir_a, cooperative=world.coop_a, number=r2.number, reason="salah"
        )
    actions.repayment_reverse(
        actor=world.pengurus_a,
        cooperative=world.coop_a,
        number=r2.number,
        reason="Salah input nominal",
        date=dt.date(2025, 3, 16),
    )
    assert (
        list(Installment.objects.filter(loan=loan).values_list("pokok_paid", "jasa_paid", "paid_on")) == state
    )
    loan.refresh_from_db()
    assert loan.outstanding == D("11000000.00")
    assert balance(world.coop_a, "pendapatan_jasa_pinjaman") == D("180000.00")
    assert selectors.jasa_paid_by_member(world.coop_a, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == {
        world.member_a.pk: D("180000.00")
    }
    assert_books(world.coop_a)
    loan_outstanding_matches_ledger(world.coop_a)


def test_reversal_reopens_closed_loan(world):
    product = make_product(world.pengurus_a, world.coop_a, code="RC", early_payoff_jasa="tidak")
    loan = disbursed_loan(world, product, principal="1000000", term=2)
    rep = actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("1000000"),
        date=dt.date(2025, 1, 20),
        payoff=True,
    )
    loan.refresh_from_db()
    assert loan.status == "lunas"
    actions.repayment_reverse(
        actor=world.manajer_a, cooperative=world.coop_a, number=rep.number, reason="cek kosong"
    )
    loan.refresh_from_db()
    assert loan.status == "aktif" and loan.outstanding == D("1000000.00")
    assert not Installment.objects.filter(loan=loan, jasa_waived__gt=0).exists()
    assert_books(world.coop_a)


def test_services_for_other_apps(world, product):
    loan = disbursed_loan(world, product)
    other = make_member(world.coop_a)
    disbursed_loan(world, product, principal="2000000", term=4, member=other, date=dt.date(2025, 3, 1))
    actions.loan_repay(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("1180000"),
        date=dt.date(2025, 2, 15),
    )
    assert selectors.outstanding_by_member(world.coop_a, world.member_a) == D("11000000.00")
    assert selectors.disbursed_total(world.coop_a, dt.date(2025, 1, 1), dt.date(2025, 1, 31)) == D(
        "12000000.00"
    )
    assert selectors.disbursed_total(world.coop_a, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == D(
        "14000000.00"
    )
    assert selectors.jasa_paid_by_member(world.coop_a, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == {
        world.member_a.pk: D("180000.00")
    }
    assert selectors.outstanding_by_member(world.coop_b, world.member_a) == D("0.00")


def test_repay_from_exit(world, product):
    loan = disbursed_loan(world, product)  # flat, early payoff rule "berjalan"
    used = actions.loan_exit_repay(
        cooperative=world.coop_a,
        member=world.member_a,
        amount_available=D("20000000"),
        date=dt.date(2025, 1, 20),
        actor=world.pengurus_a,
        source_ref="KEL-1",
    )
    assert used == D("12180000.00")  # all pokok + the running period's jasa
    loan.refresh_from_db()
    assert loan.status == "lunas"
    assert Repayment.objects.get(loan=loan).kind == "keluar"
    assert balance(world.coop_a, "simpanan_keluar") == D("-12180000.00")
    loan2 = disbursed_loan(world, product, date=dt.date(2025, 2, 1))
    used = actions.loan_exit_repay(
        cooperative=world.coop_a,
        member=world.member_a,
        amount_available=D("500000"),
        date=dt.date(2025, 2, 2),
        actor=SYSTEM,
    )
    assert used == D("500000.00")
    loan2.refresh_from_db()
    assert loan2.status == "aktif" and loan2.outstanding == D("12000000.00") - D("320000.00")
    assert_books(world.coop_a)


def test_writeoff_and_recovery(world, product):
    loan = disbursed_loan(world, product)
    with pytest.raises(NotAllowed):
        actions.loan_writeoff_request(
            actor=world.kasir_a, cooperative=world.coop_a, number=loan.number, reason="x"
        )
    actions.loan_writeoff_request(
        actor=world.pengurus_a,
        cooperative=world.coop_a,
        number=loan.number,
        reason="Anggota pindah tanpa alamat",
    )
    before = snapshot(world.coop_a)
    with pytest.raises(NotAllowed):
        actions.loan_writeoff_approve(actor=world.pengurus_a, cooperative=world.coop_a, number=loan.number)
    with pytest.raises(NotAllowed):
        actions.loan_writeoff_approve(actor=world.manajer_a, cooperative=world.coop_a, number=loan.number)
    assert snapshot(world.coop_a) == before
    from kopdig.tenancy.models import Role
    from kopdig.tenancy.tests.factories import UserFactory

    ketua = UserFactory(username="a-ketua")
    Role.objects.create(cooperative=world.coop_a, user=ketua, kind="pengurus")
    actions.loan_writeoff_approve(
        actor=ketua, cooperative=world.coop_a, number=loan.number, date=dt.date(2025, 12, 31)
    )
    loan.refresh_from_db()
    assert loan.status == "dihapus" and loan.written_off_amount == D("12000000.00") and loan.outstanding == 0
    assert balance(world.coop_a, "piutang_pinjaman") == 0
    assert balance(world.coop_a, "cadangan_risiko") == D("-12000000.00")
    with pytest.raises(DomainError):
        actions.loan_repay(
            actor=world.kasir_a, cooperative=world.coop_a, number=loan.number, amount=D("1000")
        )
    rep = actions.loan_recover(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        amount=D("500000"),
        date=dt.date(2026, 1, 5),
    )
    assert rep.kind == "pemulihan"
    assert balance(world.coop_a, "pendapatan_pemulihan") == D("500000.00")
    with pytest.raises(DomainError):
        actions.loan_recover(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            number=loan.number,
            amount=D("11500000.01"),
            date=dt.date(2026, 1, 5),
        )
    assert_books(world.coop_a)


def test_reject_and_cancel_with_reason(world, product):
    a = actions.loan_apply(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member=world.member_a,
        product=product,
        principal=D("5000000"),
        term=10,
        purpose="Renovasi",
        applied_on=dt.date(2025, 1, 2),
    )
    with pytest.raises(DomainError):
        actions.loan_reject(actor=world.pengurus_a, cooperative=world.coop_a, number=a.number, reason="")
    actions.loan_reject(
        actor=world.pengurus_a, cooperative=world.coop_a, number=a.number, reason="Kapasitas kurang"
    )
    b = actions.loan_apply(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member=world.member_a,
        product=product,
        principal=D("5000000"),
        term=10,
        purpose="Renovasi",
        applied_on=dt.date(2025, 1, 2),
    )
    actions.loan_approve(actor=world.manajer_a, cooperative=world.coop_a, number=b.number)
    actions.loan_cancel(
        actor=world.kasir_a, cooperative=world.coop_a, number=b.number, reason="Anggota mundur"
    )
    assert list(Loan.objects.order_by("number").values_list("status", "decision_reason")) == [
        ("ditolak", "Kapasitas kurang"),
        ("dibatalkan", "Anggota mundur"),
    ]
    with pytest.raises(DomainError):
        actions.loan_disburse(actor=world.kasir_a, cooperative=world.coop_a, number=b.number)
    assert not JournalEntry.objects.filter(cooperative=world.coop_a).exists()


def test_disburse_to_sukarela(world):
    product = make_product(world.pengurus_a, world.coop_a, code="SK", disburse_to="sukarela")
    loan = disbursed_loan(world, product, principal="10000000", term=10)
    # fees: 1% provisi 100,000 + admin 50,000; net 9,850,000 credited to the member's sukarela
    assert balance(world.coop_a, "piutang_pinjaman") == D("10000000.00")
    assert balance(world.coop_a, "simpanan_sukarela") == D("9850000.00")
    assert balance(world.coop_a, "pendapatan_provisi") == D("150000.00")
    assert balance(world.coop_a, "kas") == D("0.00")
    loan.refresh_from_db()
    assert loan.disbursed_to == "sukarela" and loan.disbursement_entry is not None
    assert_books(world.coop_a)


def test_savings_multiple_allows_within_limit(world):
    savings_sukarela_credit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        date=dt.date(2025, 1, 1),
        contra_account="kas",
        source_type="test",
        credits=[(world.member_a, D("1000000"), "Setoran", "T1")],
    )
    product = make_product(world.pengurus_a, world.coop_a, code="X3B", max_savings_multiple=D("3"))
    kw = dict(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member=world.member_a,
        product=product,
        term=12,
        purpose="x",
        applied_on=dt.date(2025, 1, 2),
    )
    with pytest.raises(DomainError, match="3"):
        actions.loan_apply(principal=D("3000000.01"), **kw)
    assert actions.loan_apply(principal=D("3000000"), **kw).principal == D("3000000.00")
