import datetime as dt
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from kopdig.loans import actions
from kopdig.loans.models import ArrearsRun, Loan, Repayment

from .conftest import assert_books, disbursed_loan, loan_outstanding_matches_ledger, make_member, make_product

D = Decimal


@pytest.mark.django_db(transaction=True)
def test_two_threads_repay_once_each(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are exercised on PostgreSQL; SQLite serialises writers")
    product = make_product(world.pengurus_a, world.coop_a, code="CC")
    loan = disbursed_loan(world, product)
    barrier = threading.Barrier(2)
    errors = []

    def pay(user):
        try:
            barrier.wait()
            actions.loan_repay(
                actor=user,
                cooperative=world.coop_a,
                number=loan.number,
                amount=D("1180000"),
                date=dt.date(2025, 2, 15),
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(u,)) for u in (world.kasir_a, world.manajer_a)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.outstanding == D("10000000.00")
    assert Repayment.objects.filter(loan=loan).count() == 2
    assert sorted(Repayment.objects.values_list("number", flat=True)) == ["KP-2025-000001", "KP-2025-000002"]
    assert set(loan.installments.filter(paid_on__isnull=False).values_list("number", flat=True)) == {1, 2}
    assert_books(world.coop_a)
    loan_outstanding_matches_ledger(world.coop_a)


@pytest.mark.django_db(transaction=True)
def test_two_repayments_exceeding_the_outstanding_amount_one_is_refused(world):
    """Owed in full: 1,000,000 pokok + 2 × 15,000 jasa = 1,030,000; two tellers take 700,000
    each at once: one posts, the other is refused as an overpayment (nothing of it written)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are exercised on PostgreSQL; SQLite serialises writers")
    from kopdig.loans.errors import Overpayment

    product = make_product(world.pengurus_a, world.coop_a, code="OV")
    loan = disbursed_loan(world, product, principal="1000000", term=2)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def pay(user):
        try:
            barrier.wait()
            actions.loan_repay(
                actor=user,
                cooperative=world.coop_a,
                number=loan.number,
                amount=D("700000"),
                date=dt.date(2025, 2, 15),
            )
            results.append("ok")
        except Overpayment:
            results.append("refused")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(u,)) for u in (world.kasir_a, world.manajer_a)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == ["ok", "refused"]
    rep = Repayment.objects.get(loan=loan)
    assert (rep.number, rep.amount) == ("KP-2025-000001", D("700000.00"))
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.outstanding == D("1000000.00") - rep.pokok
    assert rep.pokok + rep.jasa + rep.denda == D("700000.00")
    assert_books(world.coop_a)
    loan_outstanding_matches_ledger(world.coop_a)


def _loans_in_two_cooperatives(world, in_a=3):
    from kopdig.loans.actions import loan_apply, loan_approve, loan_disburse
    from kopdig.tenancy.models import Role
    from kopdig.tenancy.tests.factories import UserFactory

    product_a = make_product(world.pengurus_a, world.coop_a, code="TG")
    loans = [
        disbursed_loan(world, product_a, principal="1200000", member=make_member(world.coop_a, "Peminjam"))
        for _ in range(in_a)
    ]
    kasir_b = UserFactory(username="b-kasir")
    Role.objects.create(cooperative=world.coop_b, user=kasir_b, kind=Role.Kind.KASIR)
    product_b = make_product(world.pengurus_b, world.coop_b, code="TG")
    member_b = make_member(world.coop_b, "Peminjam B")
    day = dt.date(2025, 1, 15)
    loan = loan_apply(
        actor=kasir_b,
        cooperative=world.coop_b,
        member=member_b,
        product=product_b,
        principal=D("1200000"),
        term=12,
        purpose="Modal usaha",
        applied_on=day,
    )
    loan_approve(actor=world.pengurus_b, cooperative=world.coop_b, number=loan.number, date=day)
    loans.append(
        loan_disburse(
            actor=kasir_b,
            cooperative=world.coop_b,
            number=loan.number,
            date=day,
            first_due_date=dt.date(2025, 2, 15),
        )
    )
    return loans


def _arrears_state(coop):
    from kopdig.ledger.models import JournalEntry

    run = ArrearsRun.objects.get(cooperative=coop, date=dt.date(2025, 6, 30))
    reserves = JournalEntry.objects.filter(cooperative=coop, source_type="loans.reserve")
    return run, reserves


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_arrears_commands_finish_every_cooperative_once(world):
    """Two `loans_arrears` for the same date at once: no UniqueViolation, each cooperative's run
    is done with every loan processed and one cadangan entry."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent workers (SQLite serialises writers)")
    loans = _loans_in_two_cooperatives(world)
    barrier = threading.Barrier(2)
    outputs, errors = [], []

    def run():
        out = StringIO()
        try:
            barrier.wait()
            call_command("loans_arrears", "--date", "2025-06-30", stdout=out, stderr=StringIO())
            outputs.append(out.getvalue())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for coop, n in ((world.coop_a, 3), (world.coop_b, 1)):
        run, reserves = _arrears_state(coop)
        assert (run.status, run.processed, run.total) == ("selesai", n, n)
        assert reserves.count() == 1 and run.reserve_entry_id == reserves.get().pk
        assert_books(coop)
    # every loan missed its installments from 15 February: 135 days past due on 30 June
    assert {Loan.objects.get(pk=x.pk).days_past_due for x in loans} == {135}
    assert all(f"{world.coop_a.slug} 2025-06-30: 3 pinjaman" in out for out in outputs)
    assert all(f"{world.coop_b.slug} 2025-06-30: 1 pinjaman" in out for out in outputs)


@pytest.mark.django_db(transaction=True)
def test_arrears_worker_killed_inside_a_chunk_then_rerun_finishes_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a worker process killed with SIGKILL")
    from kopdig.api.tests.test_idempotency_faults import kill9, read_line, start_worker

    loans = _loans_in_two_cooperatives(world)[:3]
    worker = start_worker("kopdig.tests.run_worker", "arrears", world.coop_a.slug, "2025-06-30")
    assert read_line(worker) == "inside"  # chunk 1 (2 loans) committed, chunk 2 written, not committed
    kill9(worker)
    run, reserves = _arrears_state(world.coop_a)
    assert (run.status, run.processed, run.last_loan_id) == ("berjalan", 2, loans[1].pk)
    assert [Loan.objects.get(pk=x.pk).days_past_due for x in loans] == [135, 135, 0]
    assert not reserves.exists()
    call_command("loans_arrears", "--date", "2025-06-30", "--coop", world.coop_a.slug, stdout=StringIO())
    run, reserves = _arrears_state(world.coop_a)
    assert (run.status, run.processed, run.total) == ("selesai", 3, 3)
    assert reserves.count() == 1
    assert [Loan.objects.get(pk=x.pk).days_past_due for x in loans] == [135, 135, 135]
    assert_books(world.coop_a)
