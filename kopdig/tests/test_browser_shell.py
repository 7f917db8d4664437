"""Every demo role logs in at phone and desktop width, sees its home page in Indonesian, then in English."""

import pytest

from kopdig.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["pengurus", "manajer", "kasir", "pengawas", "anggota", "dinas", "admin"]
HOME_MARK = {"anggota": "[data-testid=member-home]", "dinas": "[data-testid=dinas-home]"}


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("role", ROLES)
def test_role_home_in_both_languages(browser, live_server, world, role, width):
    from kopdig.tenancy.tests.factories import UserFactory

    if role == "admin":
        user = UserFactory(username="root-admin", is_staff=True, is_superuser=True)
    elif role == "dinas":
        user = world.dinas
    else:
        user = getattr(world, f"{role}_a")
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        login(page, live_server.url, user.username, world.password)
        if role == "admin":
            assert page.url.endswith("/admin/")
            assert page.locator("#site-name").count() == 1
            return
        page.wait_for_selector(HOME_MARK.get(role, "[data-testid=coop-home]"))
        assert page.locator("html").get_attribute("lang") == "id"
        # The stylesheet is served and applied (mobile-first flex top bar).
        assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).display") == "flex"
        assert page.get_by_role("button", name="Keluar").is_visible()
        if role not in ("anggota", "dinas"):
            assert world.coop_a.name in page.inner_text("h1")
        # Nothing wider than the screen: the layout fits a 360 px phone.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"page is {overflow}px wider than the viewport"
        page.click("button[data-lang=en]")
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("button", name="Log out").is_visible()
        page.wait_for_selector(HOME_MARK.get(role, "[data-testid=coop-home]"))
    finally:
        context.close()


def test_static_assets_are_served_without_cdn(client):
    """The stylesheet and htmx come from the installed packages, served by the app itself."""
    page = client.get("/masuk/").content.decode()
    assert "https://" not in page.split("<body")[0]
    for path in ("/static/kopdig/kopdig.css", "/static/django_htmx/htmx-2.min.js"):
        resp = client.get(path)
        assert resp.status_code == 200, path
