"""Browser journey on a 360 px phone: the pengurus of a cooperative posts a need on the network
page, sees it listed, and accepts the introduction to another cooperative's offer."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kopdig.network import actions
from kopdig.network.models import Introduction, Listing
from kopdig.tenancy.access import SYSTEM
from kopdig.tests.browser import browser, login  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_overflow(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the viewport"


def test_pengurus_posts_a_need_and_accepts_an_introduction_on_a_phone(browser, live_server, world):  # noqa: F811
    offer = actions.listing_save(
        actor=SYSTEM,
        kabupaten=world.kab,
        kind=Listing.Kind.OFFER,
        cooperative=world.coop_b,
        commodity="Gula kelapa",
        category="pertanian",
        quantity_per_month=Decimal(500),
        unit="kg",
        price_min=Decimal(14000),
        price_max=Decimal(16000),
    )
    home = live_server.url + reverse("network:coop_home", kwargs={"slug": world.coop_a.slug})

    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        login(page, live_server.url, world.pengurus_a.username, world.password)
        page.goto(home)
        _no_overflow(page)
        form = page.locator("[data-testid=listing-form]")
        form.locator("select[name=kind]").select_option("need")
        form.locator("input[name=commodity]").fill("Gula kelapa")
        form.locator("select[name=category]").select_option("pertanian")
        form.locator("select[name=need_type]").select_option("input")
        form.locator("input[name=quantity_per_month]").fill("300")
        form.locator("input[name=unit]").fill("kg")
        form.locator("input[name=price_min]").fill("13000")
        form.locator("input[name=price_max]").fill("15500")
        form.locator("input[name=certifications]").fill("halal")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        mine = page.locator("[data-testid=my-listings]")
        expect(mine).to_contain_text("Gula kelapa")
        expect(mine).to_contain_text("300 kg/bulan")
        expect(page.locator("body")).to_contain_text("Daftar jejaring disimpan.")
        _no_overflow(page)

        need = Listing.objects.get(cooperative=world.coop_a, kind=Listing.Kind.NEED)
        intro = actions.introduction_propose(actor=world.dinas, need=need, offer=offer, score=Decimal(90))
        actions.introduction_answer(actor=world.pengurus_b, introduction=intro, side="offer", accept=True)

        page.goto(home)
        intros = page.locator("[data-testid=intros]")
        expect(intros).to_contain_text("menunggu jawaban")
        _no_overflow(page)
        with page.expect_navigation():
            page.click(f"[data-testid=accept-{intro.code}]")
        expect(page.locator("body")).to_contain_text("Jawaban Anda tersimpan.")
        expect(intros).to_contain_text("diterima kedua pihak")
        expect(page.locator(f"[data-testid=accept-{intro.code}]")).to_have_count(0)
        _no_overflow(page)
    finally:
        context.close()

    assert (
        need.kabupaten_id,
        need.commodity,
        need.category,
        need.need_type,
        need.quantity_per_month,
        need.unit,
        need.price_min,
        need.price_max,
        need.certifications,
        need.active,
    ) == (
        world.kab.pk,
        "Gula kelapa",
        "pertanian",
        "input",
        Decimal(300),
        "kg",
        Decimal(13000),
        Decimal(15500),
        "halal",
        True,
    )
    intro = Introduction.objects.get(pk=intro.pk)
    assert (intro.need_answer, intro.offer_answer, intro.status) == ("accepted", "accepted", "accepted")
    assert Introduction.objects.count() == 1
