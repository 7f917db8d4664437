"""RAT API: meetings, agenda, check-in and vote with Idempotency-Key (replay, conflict,
duplicate), results; another cooperative's meeting is a 404; the Dinas reads but never writes."""

import pytest

from kopdig.api.models import IdempotencyKey
from kopdig.audit.models import AuditLog
from kopdig.rat import actions
from kopdig.rat.models import Attendance, OpenVote

from . import factories as f

pytestmark = pytest.mark.django_db


def _base(w):
    return f"/api/v1/coops/{w.coop_a.slug}/rat"


def test_meetings_detail_and_items(voting_world, api_client):
    w = voting_world
    api_client.as_user(w.pengurus_a)
    listed = api_client.get(_base(w) + "/meetings").json()
    assert listed["count"] == 1
    (m,) = listed["items"]
    assert (m["code"], m["book_year"], m["status"], m["eligible"]) == (w.meeting.code, w.year, "open", 6)
    assert (m["quorum_first"], m["quorum_second"], m["call"]) == (4, 2, "first")
    detail = api_client.get(f"{_base(w)}/meetings/{w.meeting.code}").json()
    assert (detail["present"], detail["present_eligible"], detail["first_reached"]) == (6, 6, True)
    items = api_client.get(f"{_base(w)}/meetings/{w.meeting.code}/items").json()
    assert items["count"] == 4
    assert [it["kind"] for it in items["items"]] == ["lpj", "statements", "shu", "rapb"]
    assert all(it["result"] is None for it in items["items"])


def test_check_in_with_idempotency_key_replays_once(voting_world, api_client):
    w = voting_world
    api_client.as_user(w.kasir_a)
    url = f"{_base(w)}/meetings/{w.meeting.code}/attendance"
    first = api_client.post(url, {"number": "00007"}, headers={"Idempotency-Key": "ci-1"})
    assert first.status_code == 201, first.content
    again = api_client.post(url, {"number": "00007"}, headers={"Idempotency-Key": "ci-1"})
    assert again.status_code == 201 and again.json() == first.json()
    assert Attendance.objects.filter(meeting=w.meeting, member__number="00007").count() == 1
    assert AuditLog.objects.filter(action="attendance_check_in", object_ref="00007").count() == 1
    other = api_client.post(url, {"number": "00008"}, headers={"Idempotency-Key": "ci-1"})
    assert other.status_code == 422 and "isi berbeda" in other.json()["detail"]
    dup = api_client.post(url, {"number": "00007"}, headers={"Idempotency-Key": "ci-2"})
    assert dup.status_code == 409 and "sudah tercatat hadir" in dup.json()["detail"]
    assert not IdempotencyKey.objects.filter(key="ci-2").exists()
    assert Attendance.objects.filter(meeting=w.meeting).count() == 7


def test_vote_with_idempotency_key_and_results(voting_world, api_client):
    w = voting_world
    lpj = f.item(w.meeting, "lpj")
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=lpj.code)
    api_client.as_user(w.anggota_a)
    url = f"{_base(w)}/items/{lpj.code}/vote"
    first = api_client.post(url, {"choice": "for"}, headers={"Idempotency-Key": "v-1"})
    assert first.status_code == 200, first.content
    assert first.json() == {
        "item": lpj.code,
        "member": "00001",
        "voted": True,
        "secret": False,
        "choice": "for",
        "candidate": None,
    }
    assert api_client.post(url, {"choice": "for"}, headers={"Idempotency-Key": "v-1"}).json() == first.json()
    second = api_client.post(url, {"choice": "against"}, headers={"Idempotency-Key": "v-2"})
    assert second.status_code == 409 and "sudah memberikan suara" in second.json()["detail"]
    assert list(OpenVote.objects.filter(item=lpj).values_list("member__number", "choice")) == [
        ("00001", "for")
    ]
    bad = api_client.post(url, {"choice": "maybe"})
    assert bad.status_code == 422
    actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=lpj.code)
    closed = api_client.post(url, {"choice": "for"}, headers={"Idempotency-Key": "v-3"})
    assert closed.status_code == 422 and "tidak sedang dibuka" in closed.json()["detail"]
    results = api_client.get(f"{_base(w)}/meetings/{w.meeting.code}/results").json()
    assert results["count"] == 1
    (res,) = results["items"]
    assert res["code"] == lpj.code
    assert res["result"] == {
        "for": 1,
        "against": 0,
        "abstain": 0,
        "turnout": 1,
        "passed": True,
        "hand_counted": False,
        "needs_runoff": False,
        "shu_outcome": None,
    }


def test_other_cooperative_404_and_dinas_reads_only(voting_world, api_client):
    w = voting_world
    lpj = f.item(w.meeting, "lpj")
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=lpj.code)
    api_client.as_user(w.pengurus_b)
    slug_b = w.coop_b.slug
    assert api_client.get(f"/api/v1/coops/{slug_b}/rat/meetings/{w.meeting.code}").status_code == 404
    assert api_client.get(f"/api/v1/coops/{slug_b}/rat/meetings/{w.meeting.code}/items").status_code == 404
    assert (
        api_client.post(f"/api/v1/coops/{slug_b}/rat/items/{lpj.code}/vote", {"choice": "for"}).status_code
        == 404
    )
    api_client.as_user(w.dinas)
    assert api_client.get(f"{_base(w)}/meetings/{w.meeting.code}").status_code == 200
    assert api_client.get(f"{_base(w)}/meetings/{w.meeting.code}/results").status_code == 200
    assert api_client.post(
        f"{_base(w)}/meetings/{w.meeting.code}/attendance", {"number": "00007"}
    ).status_code in (403, 404)
    assert api_client.post(f"{_base(w)}/items/{lpj.code}/vote", {"choice": "for"}).status_code in (403, 404)
    api_client.as_user(w.anggota_a)  # a member checks in only online, not others at the desk
    desk = api_client.post(f"{_base(w)}/meetings/{w.meeting.code}/attendance", {"number": "00007"})
    assert desk.status_code == 403
    assert not OpenVote.objects.exists()
    assert not Attendance.objects.filter(member__number="00007").exists()
