"""Concurrent runs of the same billing period (issue 11.5): the second waits for the first,
every cooperative is billed once, and nobody sees a UniqueViolation."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from kopdig.members.models import Member
from kopdig.savings.models import Due, Run


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_billing_commands_bill_every_cooperative_once(world, admit):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent workers (SQLite serialises writers)")
    for n in range(1, 7):
        admit(name=f"Anggota A{n}", n=n)
    for n in range(7, 10):
        admit(name=f"Anggota B{n}", n=n, coop=world.coop_b, actor=world.pengurus_b)
    barrier = threading.Barrier(2)
    outputs, errors = [], []

    def run():
        out, err = StringIO(), StringIO()
        try:
            barrier.wait()
            call_command("savings_run", "billing", "--period", "2025-03", stdout=out, stderr=err)
            outputs.append(out.getvalue())
        except BaseException as exc:
            errors.append((exc, err.getvalue()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for coop in (world.coop_a, world.coop_b):
        active = Member.objects.filter(cooperative=coop, status="aktif").count()
        assert Due.objects.filter(cooperative=coop, period="2025-03-01").count() == active > 0
        run = Run.objects.get(cooperative=coop, kind="billing", period="2025-03-01")
        assert (run.status, run.done, run.total) == ("done", active, active)
    assert all(f"{world.coop_a.slug}: " in out and f"{world.coop_b.slug}: " in out for out in outputs)
