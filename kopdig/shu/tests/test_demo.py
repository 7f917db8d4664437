"""The SHU demo step: past year closed and distributed, current year simulated, idempotent."""

import datetime as dt
from types import SimpleNamespace

import pytest

from kopdig.audit.models import AuditLog
from kopdig.ledger.models import JournalEntry
from kopdig.shu import demo
from kopdig.shu.models import ShuYear

pytestmark = pytest.mark.django_db


def test_demo_runs_and_is_idempotent(shu_world):
    from kopdig.tenancy.models import Role
    from kopdig.tenancy.tests.factories import UserFactory

    w = shu_world
    Role.objects.create(
        cooperative=w.coop_a, user=UserFactory(username=f"{w.coop_a.slug}-pengurus"), kind="pengurus"
    )
    logs = []
    ctx = SimpleNamespace(today=dt.date.today(), showcase=[w.coop_a, w.coop_b], log=logs.append)
    demo.run(ctx)
    years = dict(ShuYear.objects.filter(cooperative=w.coop_a).values_list("year", "status"))
    # year-1 has only balance-sheet postings: closed (locked) with nothing to divide.
    assert years == {w.year - 1: "closed", w.year: "distributed", w.year + 1: "simulated"}
    assert any("ksp-maju-jaya" in line for line in logs)  # no members or books: skipped with a log line
    counts = (JournalEntry.objects.count(), AuditLog.objects.count())
    demo.run(ctx)
    assert (JournalEntry.objects.count(), AuditLog.objects.count()) == counts
