"""Browser journey on a 360 px phone: the officer scans a participant's QR (opens the personal
link) and checks them in; the participant opens the same link on their phone and rates the event."""

import datetime as dt

import pytest
from django.urls import reverse

from kopdig.programs import actions
from kopdig.programs.models import Attendance, Evaluation, Event
from kopdig.tenancy.access import SYSTEM
from kopdig.tests.browser import login

from .conftest import NIK_MAN_2004, NIK_WOMAN_1999

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_overflow(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the viewport"


def test_officer_checks_in_and_participant_rates_on_a_phone(browser, live_server, world):
    today = dt.date.today()
    event = actions.event_save(
        actor=SYSTEM,
        kabupaten=world.kab,
        kind=Event.Kind.WORKSHOP,
        title="Workshop kopwan",
        start_date=today,
        end_date=today,
        venue="Aula Dinas",
        status=Event.Status.OPEN,
    )
    ani = actions.person_save(actor=SYSTEM, kabupaten=world.kab, nik=NIK_WOMAN_1999, name="Ani Rahayu")
    p, raw = actions.participant_register(actor=SYSTEM, event=event, person=ani)
    speaker = actions.person_save(actor=SYSTEM, kabupaten=world.kab, nik=NIK_MAN_2004, name="Dr. Narasumber")
    sp, _ = actions.participant_register(actor=SYSTEM, event=event, person=speaker, role="narasumber")
    link = live_server.url + reverse("programs:participant", args=[raw])

    officer = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = officer.new_page()
        login(page, live_server.url, world.dinas.username, world.password)
        page.goto(link)
        _no_overflow(page)
        page.click("[data-testid=check-in-button]")
        page.wait_for_load_state("networkidle")
        assert "tercatat hadir" in page.inner_text("main")
    finally:
        officer.close()
    assert Attendance.objects.filter(participation=p, day=today).count() == 1

    member = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = member.new_page()
        page.goto(link)
        _no_overflow(page)
        assert "Ani Rahayu" in page.inner_text("[data-testid=participant-page]")
        page.check("input[name=rating][value='5']")
        page.select_option(f"select[name=speaker_{sp.pk}]", "4")
        page.fill("textarea[name=comment]", "Materi kemasan sangat berguna")
        page.click("[data-testid=evaluation-form] button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "evaluasi Anda" in page.inner_text("[data-testid=evaluation-form]")
        _no_overflow(page)
    finally:
        member.close()
    ev = Evaluation.objects.get()
    assert (ev.rating, ev.speaker_ratings, ev.comment) == (
        5,
        {str(sp.pk): 4},
        "Materi kemasan sangat berguna",
    )
