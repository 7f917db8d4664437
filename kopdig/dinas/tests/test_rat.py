"""RAT compliance: deadline setting, late/missed, three missed years, suggested status, confirmation."""

import datetime as dt

import pytest

from kopdig.dinas import actions, selectors
from kopdig.dinas.models import RatRecord
from kopdig.lib.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
YEAR = TODAY.year - 1


def _rec(coop, year, held_on):
    return RatRecord.objects.create(cooperative=coop, year=year, held_on=held_on, source="dinas")


def _row(rows, coop):
    return next(r for r in rows if r.cooperative.pk == coop.pk)


def test_compliance_with_deadline_of_3_and_6_months(world, plain_coops):
    on_time_3, late_3, missed = plain_coops
    y = YEAR - 1  # a year whose deadline has passed for either setting
    _rec(on_time_3, y, dt.date(y + 1, 3, 31))
    _rec(late_3, y, dt.date(y + 1, 5, 20))
    today = dt.date(y + 1, 12, 1)

    rows3 = selectors.rat_compliance({world.kab.pk}, y, months=3, today=today)
    assert selectors.rat_deadline(y, 3) == dt.date(y + 1, 3, 31)
    assert _row(rows3, on_time_3).on_time is True
    assert _row(rows3, late_3).on_time is False and _row(rows3, late_3).held
    assert _row(rows3, missed).missed and not _row(rows3, missed).held

    rows6 = selectors.rat_compliance({world.kab.pk}, y, months=6, today=today)
    assert selectors.rat_deadline(y, 6) == dt.date(y + 1, 6, 30)
    assert _row(rows6, on_time_3).on_time is True
    assert _row(rows6, late_3).on_time is True
    assert _row(rows6, missed).missed

    # Before the deadline a cooperative without a record is not (yet) counted as missed.
    early = selectors.rat_compliance({world.kab.pk}, y, months=6, today=dt.date(y + 1, 4, 1))
    assert not _row(early, missed).missed


def test_the_regency_setting_drives_the_page_and_api(world, plain_coops, dinas_client, api_client):
    coop = plain_coops[0]
    y = YEAR - 1
    _rec(coop, y, dt.date(y + 1, 5, 2))
    assert dinas_client.post("/dinas/pengaturan/", {"rat_deadline_months": "3"}).status_code == 302
    api = api_client.as_user(world.dinas)
    data = api.get(f"/api/v1/dinas/rat-compliance/{y}").json()
    assert data["deadline_months"] == 3 and data["deadline"] == f"{y + 1}-03-31"
    assert next(i for i in data["items"] if i["slug"] == coop.slug)["on_time"] is False
    actions.dinas_settings_update(actor=world.dinas, kabupaten=world.kab, rat_deadline_months=6)
    data = api.get(f"/api/v1/dinas/rat-compliance/{y}").json()
    assert next(i for i in data["items"] if i["slug"] == coop.slug)["on_time"] is True
    assert data["late"] == 0
    with pytest.raises(NotAllowed):
        actions.dinas_settings_update(actor=world.dinas_other, kabupaten=world.kab, rat_deadline_months=2)
    page = dinas_client.get("/dinas/rat/", {"year": y})
    assert page.status_code == 200 and page.context["summary"]["on_time"] >= 1


def test_three_missed_rats_make_a_tidak_aktif_candidate_confirmed_by_the_officer(
    world, plain_coops, dinas_client
):
    from kopdig.audit.models import AuditLog

    coop, held_once, _ = plain_coops
    today = dt.date(YEAR + 1, 9, 1) if TODAY <= dt.date(TODAY.year, 6, 30) else TODAY
    # held_once held its RAT two years ago, so it has missed only two in a row.
    _rec(held_once, YEAR - 2, dt.date(YEAR - 1, 4, 1))
    rows = selectors.rat_compliance({world.kab.pk}, YEAR, months=6, today=today)
    assert _row(rows, coop).missed_years == 3 and _row(rows, coop).tidak_aktif_candidate
    assert _row(rows, coop).suggested_status == "tidak_aktif"
    assert _row(rows, held_once).missed_years == 2 and not _row(rows, held_once).tidak_aktif_candidate
    assert _row(rows, held_once).suggested_status == "aktif"
    # A cooperative founded two years ago cannot have missed three.
    coop.founded_on = dt.date(YEAR - 1, 1, 1)
    assert (
        selectors.rat_compliance({world.kab.pk}, YEAR, months=6, today=today, coops=[coop])[0].missed_years
        == 2
    )
    coop.founded_on = None

    # Never automatic: the status changes only when the officer confirms it.
    coop.refresh_from_db()
    assert coop.status == "aktif"
    resp = dinas_client.post(
        f"/dinas/koperasi/{coop.slug}/status/", {"status": "tidak_aktif", "note": "3x tidak RAT"}
    )
    assert resp.status_code == 302
    coop.refresh_from_db()
    assert coop.status == "tidak_aktif"
    log = AuditLog.objects.get(cooperative=coop, action="cooperative_status_confirm")
    assert log.before == {"status": "aktif"} and log.after == {"status": "tidak_aktif"}
    with pytest.raises(NotAllowed):
        actions.cooperative_status_confirm(actor=world.pengurus_a, cooperative=coop, status="aktif")
    coop.refresh_from_db()
    assert coop.status == "tidak_aktif"


def test_rat_record_rules_and_pengurus_self_report(world, plain_coops):
    from kopdig.tenancy.models import Role

    from .conftest import login

    coop = plain_coops[0]
    with pytest.raises(DomainError):  # an RAT for a year is held after that year
        actions.rat_record_save(actor=world.dinas, cooperative=coop, year=YEAR, held_on=dt.date(YEAR, 6, 1))
    with pytest.raises(NotAllowed):
        actions.rat_record_save(actor=world.pengurus_b, cooperative=coop, year=YEAR, held_on=None)
    assert not RatRecord.objects.filter(cooperative=coop).exists()
    Role.objects.create(cooperative=coop, user=world.pengurus_b, kind="pengurus")
    client = login(world.pengurus_b)
    held = min(TODAY, dt.date(YEAR + 1, 3, 1))
    resp = client.post(f"/dinas/lapor/{coop.slug}/", {"year": YEAR, "held_on": held.isoformat()})
    assert resp.status_code == 302
    rec = RatRecord.objects.get(cooperative=coop, year=YEAR)
    assert rec.source == "pengurus" and rec.held_on == held
    # The pengurus of coop A cannot report for coop B's neighbour (not theirs): 404.
    assert login(world.pengurus_a).get(f"/dinas/lapor/{coop.slug}/").status_code == 404


def test_dashboard_rat_trend(world, plain_coops):
    y = YEAR - 1
    _rec(plain_coops[0], y, dt.date(y + 1, 2, 1))
    _rec(plain_coops[1], y, dt.date(y + 1, 9, 1))  # late with 6 months
    d = selectors.dashboard({world.kab.pk}, today=dt.date(YEAR + 1, 1, 15))
    row = next(r for r in d["rat_trend"] if r["year"] == y)
    assert row["expected"] == 5 and row["held"] == 2 and row["late"] == 1 and row["on_time"] == 1
    assert row["missed"] == 3
