"""Two officers open the same examination at once: exactly one draft, the other is told why."""

import threading

import pytest
from django.db import connection, connections

from kopdig.health import actions, selectors
from kopdig.health.models import Examination

from .conftest import examiner, examiner2  # noqa: F401  (fixtures)


@pytest.mark.django_db(transaction=True)
def test_two_officers_open_at_once(world, examiner, examiner2):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are exercised on PostgreSQL; SQLite serialises them")
    rubric = selectors.rubric_get("kkpkk")
    barrier = threading.Barrier(2)
    outcomes = []

    def open_(user):
        try:
            barrier.wait()
            actions.examination_open(actor=user, cooperative=world.coop_a, year=2025, rubric=rubric)
            outcomes.append("ok")
        except Exception as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_, args=(u,)) for u in (examiner, examiner2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Examination.objects.filter(cooperative=world.coop_a).count() == 1
    assert outcomes.count("ok") == 1
    other = next(o for o in outcomes if o != "ok")
    assert "petugas lain" in other or "belum selesai" in other
