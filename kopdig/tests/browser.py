"""Playwright driving Debian's chromium (no browser download: /usr/bin/chromium)."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("KOPDIG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium():
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    if os.environ.get("KOPDIG_BROWSER_REQUIRED"):
        pytest.fail(f"chromium not found at {CHROMIUM} but KOPDIG_BROWSER_REQUIRED is set")
    pytest.skip(f"browser test skipped: chromium not installed at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"), args=ARGS
        )
        yield b
        b.close()


def login(page, base_url, username, password):
    page.goto(f"{base_url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
