"""Browser journey on a phone: the kasir simulates and enters an application, the pengurus
approves it, the kasir disburses and receives the first installment; pages fit 360 px."""

from decimal import Decimal
from pathlib import Path

import pytest

from kopdig.tests.browser import browser, login  # noqa: F401  (fixture)

from .conftest import make_product

CSS = Path(__file__).resolve().parents[2] / "static" / "kopdig" / "kopdig.css"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_overflow(page):
    page.add_style_tag(path=str(CSS))  # the live server does not serve /static/
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the viewport"


def test_loan_journey_on_a_phone(browser, live_server, world):  # noqa: F811
    from kopdig.loans.models import Loan, Repayment

    product = make_product(world.pengurus_a, world.coop_a)
    base = f"{live_server.url}/k/{world.coop_a.slug}/pinjaman"
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        login(page, live_server.url, world.kasir_a.username, world.password)
        page.goto(f"{base}/simulasi/?product={product.code}&principal=12000000&term=12")
        assert "1.180.000" in page.inner_text("[data-testid=preview]")
        _no_overflow(page)
        page.goto(f"{base}/baru/")
        page.select_option("#id_product", product.code)
        page.fill("#id_principal", "12000000")
        page.fill("#id_term", "12")
        page.fill("#id_member_number", world.member_a.number)
        page.fill("#id_purpose", "Modal warung")
        page.fill("#id_applied_on", "2025-01-15")
        page.click("[data-testid=apply-form] button.primary")
        page.wait_for_load_state("networkidle")
        loan = Loan.objects.get()
        assert page.inner_text("[data-testid=loan-number]").startswith(loan.number)
        _no_overflow(page)
        context.clear_cookies()
        login(page, live_server.url, world.pengurus_a.username, world.password)
        page.goto(f"{base}/{loan.number}/")
        page.fill("form[action$='/aksi/approve/'] #id_date", "2025-01-15")
        page.click("[data-testid=approve]")
        page.wait_for_load_state("networkidle")
        loan.refresh_from_db()
        assert loan.status == "disetujui"
        context.clear_cookies()
        login(page, live_server.url, world.kasir_a.username, world.password)
        page.goto(f"{base}/{loan.number}/")
        page.fill("form[action$='/aksi/disburse/'] #id_date", "2025-01-15")
        page.fill("form[action$='/aksi/disburse/'] #id_first_due_date", "2025-02-15")
        page.click("[data-testid=disburse]")
        page.wait_for_load_state("networkidle")
        page.fill("[data-testid=repay-form] #id_amount", "1180000")
        page.fill("[data-testid=repay-form] #id_date", "2025-02-15")
        page.click("[data-testid=repay-form] button.primary")
        page.wait_for_load_state("networkidle")
        assert Repayment.objects.get().jasa == Decimal("180000.00")
        loan.refresh_from_db()
        assert loan.outstanding == Decimal("11000000.00")
        assert "KP-2025-000001" in page.inner_text("[data-testid=repayments]")
        _no_overflow(page)
        context.clear_cookies()
        login(page, live_server.url, world.pengurus_a.username, world.password)
        for url in (f"{base}/", f"{base}/portofolio/", f"{base}/produk/", f"{base}/tunggakan/"):
            page.goto(url)
            _no_overflow(page)
    finally:
        context.close()
