import datetime as dt

import pytest
from django.utils import timezone

from kopdig.shu.tests import factories as shu_f

from . import factories as f


@pytest.fixture
def rat_world(world):
    """Coop A with a closed SHU book year and members for every eligibility case.

    Eligible: 00001 (member_a, the anggota login), 00002, 00003, 00004, 00005, 00006.
    Excluded: 00007 calon (not_active), 00008 joined a month ago (too_new), 00009 no pokok,
    00010 four months of wajib in arrears (rule: at most 3).
    """
    coop = world.coop_a
    year = shu_f.last_year()
    today = timezone.localdate()
    members = [world.member_a] + [shu_f.member(coop, f"{n:05d}") for n in range(2, 7)]
    calon = shu_f.member(coop, "00007", status="calon")
    new = shu_f.member(coop, "00008", joined_on=today - dt.timedelta(days=30))
    shu_f.member(coop, "00009")  # no pokok
    arrears = shu_f.member(coop, "00010")
    amount = f.pokok_amount(coop)
    for m in members + [calon, new, arrears]:
        shu_f.simpanan(coop, m, "pokok", amount, dt.date(year - 1, 12, 1))
    f.arrears(coop, arrears, months=4)
    for m in members:
        shu_f.volume(coop, year, m, "1000000")
    shu_f.books(coop, year, revenue="3000000", expense="1000000")
    f.close_shu_year(world.pengurus_a, coop, year)
    f.rules(world.pengurus_a, coop)
    world.year = year
    world.members = members
    world.excluded = {"00007": "not_active", "00008": "too_new", "00009": "pokok", "00010": "wajib"}
    return world


@pytest.fixture
def open_meeting(rat_world):
    """The RAT of ``rat_world.year``, published, today, all six eligible members present, opened."""
    w = rat_world
    meeting = f.scheduled(w)
    meeting = f.publish_and_arrive(w, meeting)
    for m in w.members:
        f.check_in(w, meeting, m.number)
    from kopdig.rat import actions

    actions.meeting_open(actor=w.pengurus_a, cooperative=w.coop_a, code=meeting.code, call="first")
    meeting.refresh_from_db()
    w.meeting = meeting
    return w


@pytest.fixture
def voting_world(open_meeting):
    from kopdig.rat import actions

    w = open_meeting
    w.tokens = actions.invitations_issue(actor=w.pengurus_a, cooperative=w.coop_a, code=w.meeting.code)
    return w
