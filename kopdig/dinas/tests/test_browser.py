"""Browser journey on a phone: the Dinas officer opens the dashboard, clicks through to the
filtered registry, opens a cooperative and records its RAT."""

import datetime as dt
from pathlib import Path

import pytest

from kopdig.tests.browser import browser, login  # noqa: F401  (fixture)

CSS = Path(__file__).resolve().parents[2] / "static" / "kopdig" / "kopdig.css"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_overflow(page):
    page.add_style_tag(path=str(CSS))  # the live server does not serve /static/
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the viewport"


def test_dinas_dashboard_click_through_and_rat(browser, live_server, world, plain_coops):  # noqa: F811
    from kopdig.dinas.models import RatRecord

    year = dt.date.today().year - 1
    coop = plain_coops[0]
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        login(page, live_server.url, world.dinas.username, world.password)
        page.goto(f"{live_server.url}/dinas/")
        assert page.inner_text("[data-testid=total]").strip() == "5"
        _no_overflow(page)
        page.click("[data-testid=by-jenis] >> text=Konsumen")
        page.wait_for_load_state("networkidle")
        assert "jenis=konsumen" in page.url
        assert page.inner_text("[data-testid=count]").strip() == "3"
        _no_overflow(page)
        page.click(f"text={coop.name}")
        page.wait_for_load_state("networkidle")
        assert page.inner_text("[data-testid=coop-detail]").strip() == coop.name
        _no_overflow(page)
        page.fill("#id_year", str(year))
        page.fill("#id_held_on", dt.date(year + 1, 1, 20).isoformat())
        page.click("text=Simpan RAT")
        page.wait_for_load_state("networkidle")
        assert RatRecord.objects.get(cooperative=coop, year=year).held_on == dt.date(year + 1, 1, 20)
    finally:
        context.close()
