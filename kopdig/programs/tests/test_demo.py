"""The programme demo on the registry: the seed events with their sizes, certificates for those
who attended every day, the 2019 action plan and MoUs, an open training for the cooperatives."""

import datetime as dt

import pytest

from kopdig.programs import demo, selectors
from kopdig.programs.models import Agreement, Event, FollowUp, Participation
from kopdig.tenancy.demo import build_context

pytestmark = pytest.mark.django_db


def test_demo_builds_the_seed_history(world):
    ctx = build_context(today=dt.date(2026, 12, 4))
    ctx.kabupaten = world.kab
    demo.run(ctx)
    events = {e.start_date: e for e in Event.objects.filter(kabupaten=world.kab)}
    assert events[dt.date(2021, 9, 13)].days == 3 and events[dt.date(2022, 10, 31)].days == 2
    # The world has two active cooperatives: every seed event draws at most that many.
    assert Participation.objects.filter(event=events[dt.date(2018, 11, 23)]).count() == 2
    certified = Participation.objects.exclude(certificate_number="")
    for p in certified:
        assert p.attendances.count() == p.event.days
    assert FollowUp.objects.filter(event=events[dt.date(2019, 9, 3)]).count() == 5
    assert Agreement.objects.filter(event=events[dt.date(2019, 9, 3)]).count() == 4
    assert Event.objects.filter(status="open", start_date__gt=dt.date(2026, 12, 4)).count() == 1
    assert selectors.coop_events(world.coop_a, today=dt.date(2026, 12, 4))
    n = Event.objects.count()
    demo.run(ctx)  # idempotent
    assert Event.objects.count() == n
