"""The monthly runs under faults (issue 11.5 and the kill -9 reproduction, PostgreSQL): two
concurrent runs of the same period (billing, jasa simpanan) — the second waits for the first,
every cooperative is done once and nobody sees a UniqueViolation; a billing worker killed with
SIGKILL inside a chunk, then rerun, bills every member exactly once."""

import datetime as dt
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from kopdig.api.tests.test_idempotency_faults import kill9, read_line, start_worker
from kopdig.ledger.selectors import verify
from kopdig.members.models import Member
from kopdig.savings import actions
from kopdig.savings.models import Due, Run, SavingsProduct, SavingsTransaction


def _needs_pg():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent workers (SQLite serialises writers)")


def _members(world, admit, sukarela=None):
    for n in range(1, 7):
        m = admit(name=f"Anggota A{n}", n=n)
        if sukarela is not None:
            actions.savings_deposit(
                actor=world.kasir_a,
                cooperative=world.coop_a,
                account=sukarela(m),
                amount="1000000",
                date=dt.date(2025, 1, 3),
            )
    for n in range(7, 10):
        admit(name=f"Anggota B{n}", n=n, coop=world.coop_b, actor=world.pengurus_b)


def _concurrently(n, fn):
    barrier = threading.Barrier(n)
    outputs, errors = [], []

    def run():
        out, err = StringIO(), StringIO()
        try:
            barrier.wait()
            fn(out, err)
            outputs.append(out.getvalue())
        except BaseException as exc:
            errors.append((exc, err.getvalue()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outputs, errors


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_billing_commands_bill_every_cooperative_once(world, admit):
    _needs_pg()
    _members(world, admit)
    outputs, errors = _concurrently(
        2,
        lambda out, err: call_command(
            "savings_run", "billing", "--period", "2025-03", stdout=out, stderr=err
        ),
    )
    assert errors == []
    for coop in (world.coop_a, world.coop_b):
        active = Member.objects.filter(cooperative=coop, status="aktif").count()
        assert Due.objects.filter(cooperative=coop, period="2025-03-01").count() == active > 0
        run = Run.objects.get(cooperative=coop, kind="billing", period="2025-03-01")
        assert (run.status, run.done, run.total) == ("done", active, active)
    assert all(f"{world.coop_a.slug}: " in out and f"{world.coop_b.slug}: " in out for out in outputs)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_interest_runs_pay_jasa_once(world, admit, sukarela):
    _needs_pg()
    SavingsProduct.objects.filter(cooperative=world.coop_a, code="sukarela").update(rate=Decimal("3.65"))
    _members(world, admit, sukarela)
    outputs, errors = _concurrently(
        2,
        lambda out, err: call_command(
            "savings_run", "interest", "--period", "2025-03", stdout=out, stderr=err
        ),
    )
    assert errors == []
    interest = SavingsTransaction.objects.filter(
        cooperative=world.coop_a, type="interest", period="2025-03-01"
    )
    # 1,000,000 × 3.65% × 31/365 per account, once each
    assert sorted(interest.values_list("amount", flat=True)) == [Decimal("3100.00")] * 6
    for coop in (world.coop_a, world.coop_b):
        run = Run.objects.get(cooperative=coop, kind="interest", period="2025-03-01")
        assert (run.status, run.done) == ("done", run.total)
    assert verify(world.coop_a) == [] and verify(world.coop_b) == []
    assert all(f"{world.coop_a.slug}: " in out and f"{world.coop_b.slug}: " in out for out in outputs)


@pytest.mark.django_db(transaction=True)
def test_billing_worker_killed_inside_a_chunk_then_rerun_bills_everyone_once(world, admit):
    _needs_pg()
    for n in range(1, 13):
        admit(name=f"Anggota A{n}", n=n)
    active = Member.objects.filter(cooperative=world.coop_a, status="aktif").count()
    worker = start_worker("kopdig.tests.run_worker", "billing", world.coop_a.slug, "2025-03")
    assert read_line(worker) == "inside"  # chunk 1 (5 members) committed, chunk 2 written, not committed
    kill9(worker)
    assert Due.objects.filter(cooperative=world.coop_a, period="2025-03-01").count() == 5
    run = Run.objects.get(cooperative=world.coop_a, kind="billing", period="2025-03-01")
    assert (run.status, run.done, run.total) == ("running", 5, active)
    out = StringIO()
    call_command("savings_run", "billing", "--period", "2025-03", "--coop", world.coop_a.slug, stdout=out)
    dues = Due.objects.filter(cooperative=world.coop_a, period="2025-03-01")
    assert dues.count() == dues.values("member").distinct().count() == active
    run.refresh_from_db()
    assert (run.status, run.done, run.total) == ("done", active, active)
    assert f"{world.coop_a.slug}: " in out.getvalue()
