"""Browser journeys at 360 px (Playwright on Debian's Chromium): a cashier sells on the POS and
gets the nota; a visitor of the public market sends an order inquiry."""

import datetime as dt
import os

import pytest

from kopdig.tests.browser import login

from .. import actions
from ..models import Inquiry, Sale

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(browser):
    return browser.new_page(viewport={"width": 360, "height": 740})


def _shot(page, name):
    shots = os.environ.get("KOPDIG_SCREENSHOTS")
    if shots:
        page.screenshot(path=os.path.join(shots, name), full_page=True)


def test_cashier_sells_on_the_pos_at_360px(shop, browser, live_server):
    actions.purchase_record(
        actor=shop.kasir_a,
        cooperative=shop.coop_a,
        date=dt.date.today(),
        supplier_name="UD",
        lines=[{"product": "beras", "qty": 10, "unit_cost": "50000"}],
    )
    page = _phone(browser)
    login(page, live_server.url, shop.kasir_a.username, shop.password)
    page.goto(f"{live_server.url}/k/{shop.coop_a.slug}/usaha/kasir/")
    page.locator("input[name=product]").first.fill("beras")
    page.locator("input[name=qty]").first.fill("2")
    page.fill("input[name=member]", "00001")
    _shot(page, "usaha-pos.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("[data-testid=pos-form] button[type=submit]")
    page.wait_for_selector("[data-testid=sale]")
    text = page.inner_text("[data-testid=sale]")
    _shot(page, "usaha-nota.png")
    assert "Rp 120.000,00" in text and "seratus dua puluh ribu rupiah" in text.lower()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert Sale.objects.get().total == 120000


def test_visitor_sends_an_inquiry_at_360px(shop, browser, live_server):
    page = _phone(browser)
    page.goto(f"{live_server.url}/pasar/")
    page.click("[data-testid=market-products] a")
    page.wait_for_selector("[data-testid=market-product]")
    assert "Keripik Kentang" in page.inner_text("[data-testid=market-product]")
    page.fill("[data-testid=inquiry-form] input[name=name]", "Ani Wisatawan")
    page.fill("[data-testid=inquiry-form] input[name=phone]", "081234567890")
    page.fill("[data-testid=inquiry-form] textarea[name=message]", "Kirim ke hotel di Cemoro Lawang")
    _shot(page, "market-product.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("[data-testid=inquiry-form] button[type=submit]")
    page.wait_for_selector("[data-testid=inquiry-sent]")
    inquiry = Inquiry.objects.get()
    assert inquiry.name == "Ani Wisatawan" and inquiry.product.code == "keripik"
