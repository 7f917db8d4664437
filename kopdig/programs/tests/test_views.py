"""Programme pages: the officer's pages render, another kabupaten gets 404, a cooperative's
roles get 403 on Dinas pages; the participant's link; the public certificate check; PDFs."""

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from kopdig.programs import actions, cohorts, documents
from kopdig.programs.models import Attendance, Evaluation, Participation
from kopdig.tenancy.access import SYSTEM

from .conftest import NIK_MAN_1990, NIK_MAN_2004, NIK_WOMAN_1999

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def held(world, event, person):
    """The 3-day training with two participants: Budi attended every day, Ani one day; a speaker."""
    budi, raw_budi = actions.participant_register(
        actor=SYSTEM, event=event, person=person(NIK_MAN_1990, "Budi Santoso", cooperative=world.coop_a)
    )
    ani, raw_ani = actions.participant_register(
        actor=SYSTEM, event=event, person=person(NIK_WOMAN_1999, "Ani Rahayu")
    )
    actions.participant_register(
        actor=SYSTEM,
        event=event,
        person=person(NIK_MAN_2004, "Dr. Narasumber"),
        role="narasumber",
        topic="Kemasan",
    )
    for day in (13, 14, 15):
        actions.attendance_check_in(actor=SYSTEM, event=event, participation=budi, day=dt.date(2021, 9, day))
    actions.attendance_check_in(actor=SYSTEM, event=event, participation=ani, day=dt.date(2021, 9, 13))
    actions.certificates_issue(actor=SYSTEM, event=event, on=dt.date(2021, 9, 15))
    budi.refresh_from_db()
    return {"budi": budi, "ani": ani, "raw_budi": raw_budi, "raw_ani": raw_ani}


def _dinas_urls(event, person_code):
    day = event.start_date.isoformat()
    return [
        reverse("programs:event_list"),
        reverse("programs:event_list") + "?year=2021&kind=pelatihan&q=kemasan",
        reverse("programs:event_new"),
        reverse("programs:reach"),
        reverse("programs:reach") + "?year=2021",
        reverse("programs:follow_ups"),
        reverse("programs:agreements"),
        reverse("programs:organisations"),
        reverse("programs:settings"),
        reverse("programs:event_detail", args=[event.code]),
        reverse("programs:event_edit", args=[event.code]),
        reverse("programs:attendance", args=[event.code, day]),
    ]


def test_every_dinas_page_renders_and_other_kabupaten_gets_404(world, event, held):
    officer, other, pengurus = login(world.dinas), login(world.dinas_other), login(world.pengurus_a)
    for url in _dinas_urls(event, held["budi"].person.code):
        assert officer.get(url).status_code == 200, url
        assert pengurus.get(url).status_code == 403, url
    for url in _dinas_urls(event, held["budi"].person.code)[9:]:
        assert other.get(url).status_code == 404, url


def test_exports_and_pdfs_render(world, event, held):
    c = login(world.dinas)
    for url in (
        reverse("programs:attendance_pdf", args=[event.code]),
        reverse("programs:certificates_pdf", args=[event.code]),
        reverse("programs:annual_report", args=[2021]),
    ):
        r = c.get(url)
        assert r.status_code == 200 and r.content[:4] == b"%PDF", url
    for url in (
        reverse("programs:event_list") + "?format=xlsx",
        reverse("programs:participants_xlsx", args=[event.code]),
        reverse("programs:reach") + "?year=2021&format=xlsx",
        reverse("programs:follow_ups") + "?format=xlsx",
        reverse("programs:agreements") + "?format=xlsx",
        reverse("programs:organisations") + "?format=xlsx",
    ):
        r = c.get(url)
        assert r.status_code == 200 and r.content[:2] == b"PK", url
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(c.get(reverse("programs:participants_xlsx", args=[event.code])).content))
    rows = {r[0]: r for r in wb.active.iter_rows(min_row=2, values_only=True)}
    assert rows["Budi Santoso"][8] == 3 and rows["Budi Santoso"][9] == "SERT/2021-001/001"
    assert rows["Ani Rahayu"][8] == 1 and rows["Ani Rahayu"][9] is None


def test_invitation_letters_reissue_the_personal_links(world, event, held):
    c = login(world.dinas)
    r = c.post(reverse("programs:invitations", args=[event.code]))
    assert r.status_code == 200 and r.content[:4] == b"%PDF"
    assert actions.participation_by_token(held["raw_budi"]) is None  # the old QR stopped working


def test_participant_page_evaluation_and_certificate(world, event, held):
    anon = Client()
    url = reverse("programs:participant", args=[held["raw_ani"]])
    r = anon.get(url)
    assert r.status_code == 200 and "Ani Rahayu" in r.content.decode()
    speaker = Participation.objects.get(role="narasumber")
    r = anon.post(url, {"rating": "4", f"speaker_{speaker.pk}": "5", "comment": "Sangat bermanfaat"})
    assert r.status_code == 302
    ev = Evaluation.objects.get()
    assert (ev.participation_id, ev.rating, ev.speaker_ratings, ev.comment) == (
        held["ani"].pk,
        4,
        {str(speaker.pk): 5},
        "Sangat bermanfaat",
    )
    assert anon.get(reverse("programs:participant_certificate", args=[held["raw_ani"]])).status_code == 404
    r = anon.get(reverse("programs:participant_certificate", args=[held["raw_budi"]]))
    assert r.status_code == 200 and r.content[:4] == b"%PDF"
    assert anon.get(reverse("programs:participant", args=["not-a-token"])).status_code == 404


def test_officer_scanning_the_qr_checks_in_today(world, held, settings):
    event = held["budi"].event
    today = dt.date.today()
    actions.event_save(actor=SYSTEM, kabupaten=world.kab, event=event, start_date=today, end_date=today)
    c = login(world.dinas)
    url = reverse("programs:participant", args=[held["raw_ani"]])
    assert "check-in-button" in c.get(url).content.decode()
    assert c.post(reverse("programs:participant_check_in", args=[held["raw_ani"]])).status_code == 302
    assert Attendance.objects.filter(participation=held["ani"], day=today).exists()
    # Anyone else posting the check-in gets 404, and nothing is written.
    n = Attendance.objects.count()
    assert (
        login(world.dinas_other)
        .post(reverse("programs:participant_check_in", args=[held["raw_ani"]]))
        .status_code
        == 404
    )
    assert Client().post(reverse("programs:participant_check_in", args=[held["raw_ani"]])).status_code == 404
    assert Attendance.objects.count() == n


def test_certificate_verification_shows_only_name_event_date_number(world, held):
    number = held["budi"].certificate_number
    link = documents.verification_url(None, number)
    code = re.search(r"c=(\w+)", link).group(1)
    assert code == cohorts.certificate_code(number, actions.certificate_key())
    r = Client().get(reverse("programs:verify"), {"n": number, "c": code})
    body = r.content.decode()
    assert r.status_code == 200 and "Budi Santoso" in body and number in body
    assert NIK_MAN_1990 not in body and world.coop_a.name not in body
    tampered = Client().get(reverse("programs:verify"), {"n": number.replace("001", "002"), "c": code})
    assert tampered.status_code == 404 and "Budi Santoso" not in tampered.content.decode()
    api = Client().get("/api/v1/program/certificates/verify", {"n": number, "c": code}).json()
    assert api["valid"] and api["name"] == "Budi Santoso"
    assert (
        not Client().get("/api/v1/program/certificates/verify", {"n": number, "c": "0" * 10}).json()["valid"]
    )


def test_cooperative_side_registers_and_sees_only_its_people(world, event, held):
    c = login(world.pengurus_a)
    r = c.get(reverse("programs:coop_home", args=[world.coop_a.slug]))
    body = r.content.decode()
    assert r.status_code == 200 and "Budi Santoso" in body and "Ani Rahayu" not in body
    event.capacity = None
    event.save()
    r = c.post(
        reverse("programs:coop_register", args=[world.coop_a.slug, event.code]),
        {"member_number": world.member_a.number},
    )
    assert r.status_code == 302
    p = Participation.objects.get(person__nik=world.member_a.nik)
    assert p.cooperative == world.coop_a and p.person.member == world.member_a
    assert (
        login(world.pengurus_b)
        .get(
            reverse(
                "programs:coop_certificate", args=[world.coop_b.slug, event.code, held["budi"].person.code]
            )
        )
        .status_code
        == 404
    )
    r = c.get(
        reverse("programs:coop_certificate", args=[world.coop_a.slug, event.code, held["budi"].person.code])
    )
    assert r.status_code == 200 and r.content[:4] == b"%PDF"


def test_member_sees_own_certificates(world, event):
    person = actions.person_save(
        actor=SYSTEM,
        kabupaten=world.kab,
        cooperative=world.coop_a,
        member=world.member_a,
        nik=world.member_a.nik,
        name=world.member_a.name,
    )
    p, _ = actions.participant_register(actor=SYSTEM, event=event, person=person)
    for day in (13, 14, 15):
        actions.attendance_check_in(actor=SYSTEM, event=event, participation=p, day=dt.date(2021, 9, day))
    actions.certificates_issue(actor=SYSTEM, event=event)
    c = login(world.anggota_a)
    r = c.get(reverse("programs:my_certificates", args=[world.coop_a.slug]))
    assert r.status_code == 200 and "SERT/2021-001/001" in r.content.decode()
    r = c.get(reverse("programs:my_certificate", args=[world.coop_a.slug, event.code]))
    assert r.status_code == 200 and r.content[:4] == b"%PDF"


def test_api_lists_events_participants_and_checks_in(world, event, held, api_client):
    api = api_client.as_user(world.dinas)
    data = api.get("/api/v1/dinas/program/events").json()
    assert (
        data["count"] == 1 and data["items"][0]["code"] == event.code and data["items"][0]["registered"] == 2
    )
    parts = api.get(f"/api/v1/dinas/program/events/{event.code}/participants").json()
    assert {p["name"]: p["days_attended"] for p in parts["items"]} == {
        "Budi Santoso": 3,
        "Ani Rahayu": 1,
        "Dr. Narasumber": 0,
    }
    r = api.post(
        f"/api/v1/dinas/program/events/{event.code}/check-in", {"token": held["raw_ani"], "day": "2021-09-14"}
    )
    assert r.status_code == 200 and r.json()["created"] and r.json()["days_attended"] == 2
    again = api.post(
        f"/api/v1/dinas/program/events/{event.code}/check-in", {"token": held["raw_ani"], "day": "2021-09-14"}
    )
    assert again.status_code == 200 and not again.json()["created"]
    bad_day = api.post(
        f"/api/v1/dinas/program/events/{event.code}/check-in", {"token": held["raw_ani"], "day": "2021-09-20"}
    )
    assert bad_day.status_code == 422 and "bukan hari kegiatan" in bad_day.json()["detail"]
    reach = api.get("/api/v1/dinas/program/reach/2021").json()
    assert reach["participations"] == 3 and reach["women"] == 1
    other = api_client.as_user(world.dinas_other)
    assert other.get(f"/api/v1/dinas/program/events/{event.code}/participants").status_code == 404
    assert api_client.as_user(world.pengurus_a).get("/api/v1/dinas/program/events").status_code == 403
