"""Races on a real database: concurrent double votes of one member leave one vote."""

import threading

import pytest
from django.db import connection

from kopdig.lib.errors import DomainError
from kopdig.rat import actions
from kopdig.rat.models import OpenVote, SecretBallot, Turnout

pytestmark = pytest.mark.django_db(transaction=True)


def _race(fn, n=6):
    barrier = threading.Barrier(n)
    outcomes = []

    def run():
        try:
            barrier.wait()
            fn()
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.parametrize("ballot", ["open", "secret"])
def test_concurrent_double_votes_leave_one(open_meeting, ballot):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers: PostgreSQL (SQLite serialises writers)")
    w = open_meeting
    item = actions.agenda_item_save(
        actor=w.pengurus_a,
        cooperative=w.coop_a,
        meeting_code=w.meeting.code,
        kind="other",
        title="Usulan",
        ballot=ballot,
    )
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=item.code)
    outcomes = _race(
        lambda: actions.vote_cast(actor=w.anggota_a, cooperative=w.coop_a, item_code=item.code, choice="for")
    )
    assert outcomes.count("ok") == 1
    assert all("sudah memberikan suara" in o for o in outcomes if o != "ok")
    if ballot == "open":
        assert OpenVote.objects.filter(item=item).count() == 1
    else:
        assert (
            Turnout.objects.filter(item=item).count() == 1
            and SecretBallot.objects.filter(item=item).count() == 1
        )
