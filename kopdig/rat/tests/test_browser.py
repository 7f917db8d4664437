"""Browser journey: a member on a 360 px phone opens the personal invitation link, checks in
online, votes on an open item and a secret election, and sees the receipts."""

import pytest

from kopdig.rat import actions
from kopdig.rat.models import OpenVote, SecretBallot, Turnout
from kopdig.tests.browser import browser, login  # noqa: F401 (fixture)

from . import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_overflow(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the viewport"


def test_member_votes_on_a_phone(browser, live_server, rat_world):  # noqa: F811
    w = rat_world
    meeting = f.publish_and_arrive(w, f.scheduled(w))
    for m in w.members[1:5]:
        f.check_in(w, meeting, m.number)
    actions.meeting_open(actor=w.pengurus_a, cooperative=w.coop_a, code=meeting.code, call="first")
    w.meeting = meeting
    lpj = f.item(meeting, "lpj")
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=lpj.code)
    election = f.election(w, seats=1, names=("Ana", "Budi"))
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=election.code)
    token = actions.invitations_issue(
        actor=w.kasir_a, cooperative=w.coop_a, code=meeting.code, numbers=["00001"]
    )["00001"]
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/rat/{w.coop_a.slug}/{token}/")
        _no_overflow(page)
        page.click("[data-testid=check-in]")
        page.wait_for_load_state("networkidle")
        page.click("[data-testid=for-1]")
        page.wait_for_load_state("networkidle")
        assert "Setuju" in page.inner_text("[data-testid=receipt-1]")
        page.click(f"[data-testid=ballot-{election.position}] button:has-text('Budi')")
        page.wait_for_load_state("networkidle")
        receipt = page.inner_text(f"[data-testid=receipt-{election.position}]")
        assert "rahasia" in receipt and "Budi" not in receipt
        _no_overflow(page)
        # the same member, logged in, sees the same receipts
        login(page, live_server.url, w.anggota_a.username, w.password)
        page.goto(f"{live_server.url}/k/{w.coop_a.slug}/rat/{meeting.code}/surat-suara/")
        assert "sudah tercatat" in page.inner_text("[data-testid=receipt-1]")
        _no_overflow(page)
    finally:
        context.close()
    assert OpenVote.objects.get(item=lpj).member == w.member_a
    assert Turnout.objects.get(item=election).member == w.member_a
    assert SecretBallot.objects.get(item=election).candidate.name == "Budi"
