"""Browser journey on a phone (360 px): the examiner opens an examination from the books,
answers a checklist and sees the score, with no horizontal overflow."""

from pathlib import Path

import pytest

from kopdig.health.models import Assessment, Examination
from kopdig.tests.browser import browser, login  # noqa: F401  (fixture)

CSS = Path(__file__).resolve().parents[2] / "static" / "kopdig" / "kopdig.css"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_overflow(page):
    page.add_style_tag(path=str(CSS))  # the live server does not serve /static/
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the viewport"


def test_examiner_journey_at_360px(browser, live_server, books, examiner):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        login(page, live_server.url, examiner.username, books.password)
        page.goto(f"{live_server.url}/dinas/kesehatan/")
        _no_overflow(page)
        page.goto(f"{live_server.url}/dinas/kesehatan/koperasi/{books.coop_a.slug}/")
        page.fill("#id_year", "2025")
        page.click("[data-testid=open]")
        page.wait_for_load_state("networkidle")
        assert "Pemeriksaan 2025" in page.inner_text("[data-testid=exam-title]")
        _no_overflow(page)
        assert "Rp 138.700.000,00" in page.inner_text("[data-testid=figures]")
        for n in range(1, 8):
            page.check(
                f"[data-testid=yes-prinsip_koperasi-p{n}]"
                if n <= 6
                else f"[data-testid=no-prinsip_koperasi-p{n}]"
            )
        page.click("[data-testid=save-prinsip_koperasi]")
        page.wait_for_selector("text=6 dari 7 butir terpenuhi")
        assert page.inner_text("[data-testid=score-prinsip_koperasi]").strip() == "4,00"
        _no_overflow(page)
        exam = Examination.objects.get()
        assert Assessment.objects.get(examination=exam).items["p7"] is False
    finally:
        context.close()
