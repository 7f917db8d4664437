"""The RAT demo step: a closed RAT per closed book year (with a secret election), the Dinas
record from it, the next year's meeting published; idempotent."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from kopdig.audit.models import AuditLog
from kopdig.dinas.models import CoopOfficer, RatRecord
from kopdig.rat import demo
from kopdig.rat.models import AgendaItem, Candidate, Meeting, SecretBallot, Turnout

pytestmark = pytest.mark.django_db


def test_demo_holds_past_rat_and_publishes_next(rat_world):
    w = rat_world
    logs = []
    ctx = SimpleNamespace(today=timezone.localdate(), showcase=[w.coop_a, w.coop_b], log=logs.append)
    demo.run(ctx)
    past = Meeting.objects.get(cooperative=w.coop_a, book_year=w.year)
    assert past.status == "closed" and past.call == "first"
    assert past.eligible_count == past.eligibility.filter(eligible=True).count() >= 6
    assert past.present_total >= past.quorum_first_required
    assert not past.items.exclude(status="closed").exists()
    election = past.items.get(kind=AgendaItem.Kind.ELECTION_PENGURUS, runoff_of=None)
    elected = Candidate.objects.filter(item__meeting=past, elected=True)
    assert election.ballot == "secret" and elected.count() == 3
    assert SecretBallot.objects.filter(item=election).count() == Turnout.objects.filter(item=election).count()
    rec = RatRecord.objects.get(cooperative=w.coop_a, year=w.year)
    assert rec.source == "kopdig" and rec.held_on == past.date
    assert CoopOfficer.objects.filter(cooperative=w.coop_a, term_start=past.date).count() == 3
    nxt = Meeting.objects.get(cooperative=w.coop_a, book_year=ctx.today.year)
    assert nxt.status == "published" and nxt.date > ctx.today + dt.timedelta(days=7)
    assert any("ksp-maju-jaya" in line for line in logs)
    counts = (Meeting.objects.count(), AuditLog.objects.count())
    demo.run(ctx)
    assert (Meeting.objects.count(), AuditLog.objects.count()) == counts
