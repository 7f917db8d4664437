"""Browser journey: the pengurus edits the allocation on a phone, the simulation recomputes
(HTMX, nothing saved), then saves."""

import pytest
from playwright.sync_api import expect

from kopdig.shu.models import ShuYear
from kopdig.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_edit_percentages_recompute_and_save(browser, live_server, shu_world):
    from kopdig.shu import actions

    w = shu_world
    actions.shu_year_save(actor=w.pengurus_a, cooperative=w.coop_a, year=w.year, transaksi_basis="volume")
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        login(page, live_server.url, w.pengurus_a.username, w.password)
        page.goto(f"{live_server.url}/k/{w.coop_a.slug}/shu/{w.year}/")
        assert page.inner_text("[data-testid=pool-jasa_modal]").strip() == "Rp 400.000,00"
        # Cadangan 40 → 30, JM 20 → 30: recomputed without saving.
        page.fill("[data-testid=pct-1]", "30")
        page.fill("[data-testid=pct-2]", "30")
        # expect() polls from Playwright's side: no string evaluated in the page (the CSP forbids eval).
        expect(page.locator("[data-testid=pool-jasa_modal]")).to_have_text("Rp 600.000,00")
        assert ShuYear.objects.get().lines.get(role="jasa_modal").percent == 20
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"page is {overflow}px wider than the viewport"
        page.click("text=Simpan pengaturan")
        page.wait_for_load_state("networkidle")
        assert ShuYear.objects.get().lines.get(role="jasa_modal").percent == 30
    finally:
        context.close()
