"""Browser journey (Playwright on Debian's Chromium): a teller on a phone finds a member, deposits,
confirms, and gets the kuitansi. Skips with a reason where Chromium is missing, fails instead when KOPDIG_BROWSER_REQUIRED=1."""

import os

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    """A 360 px page on the shared chromium fixture (which fails instead of skipping when
    KOPDIG_BROWSER_REQUIRED is set)."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    yield context.new_page()
    context.close()


@pytest.mark.django_db(transaction=True)
def test_teller_deposit_journey(world, admit, sukarela, live_server, phone):
    from kopdig.savings.models import Receipt, SavingsAccount

    m = admit(name="Budi Santoso")
    number = sukarela(m)
    page = phone
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", world.kasir_a.username)
    page.fill("input[name=password]", world.password)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    page.goto(f"{live_server.url}/k/ksu-sejahtera/simpanan/")
    page.fill("#member-q", "budi")
    page.click("[data-testid=member-search-results] a")
    page.select_option("select[name=account]", number)
    page.fill("input[name=amount]", "50000")
    shots = os.environ.get("KOPDIG_SCREENSHOTS")  # a folder: save what the teller saw
    if shots:
        page.screenshot(path=os.path.join(shots, "teller.png"), full_page=True)
    page.click("[data-testid=teller-form] button[type=submit]")
    page.wait_for_selector("[data-testid=teller-confirm]")
    assert "lima puluh ribu rupiah" in page.inner_text("[data-testid=teller-confirm]").lower()
    page.click("[data-testid=teller-confirm-btn]")
    page.wait_for_selector("[data-testid=receipt]")
    text = page.inner_text("[data-testid=receipt]")
    if shots:
        page.screenshot(path=os.path.join(shots, "receipt.png"), full_page=True)
    assert "Lima puluh ribu rupiah" in text and "KW-" in text
    # the kuitansi names the account and the balance after (a labelled card on a phone: the head is hidden)
    assert number in text and "Saldo sesudah" in page.inner_html("[data-testid=receipt-lines]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on a phone
    assert SavingsAccount.objects.get(number=number).balance == 50000
    assert Receipt.objects.filter(cooperative=world.coop_a, type="setoran", amount=50000).count() == 1
