"""Screenshots of the main pages for the README, phone (360×740) and desktop (1280×800).

Run against a demo (``kopdig demo`` serves http://127.0.0.1:8000):

    .venv/bin/python scripts/screenshots.py [--base-url URL] [--out docs/screenshots]

Playwright drives Debian's chromium (/usr/bin/chromium, or $KOPDIG_CHROMIUM); no browser download.
Each page is reached the way a user reaches it (log in as the demo role, follow the first link of
its kind), so the script keeps working when the demo's numbers change.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("KOPDIG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
COOP = "ksp-sejahtera"
# name, demo user, start path, optional selector of the link to follow from there
PAGES = [
    ("coop-home", f"{COOP}-pengurus", f"/k/{COOP}/", None),
    ("passbook", f"{COOP}-anggota", f"/k/{COOP}/saya/simpanan/", "main a[href*='/simpanan/rekening/SS-']"),
    ("teller", f"{COOP}-kasir", f"/k/{COOP}/anggota/", "main a[href*='/anggota/0']"),
    ("loan", f"{COOP}-pengurus", f"/k/{COOP}/pinjaman/", "main a[href*='/pinjaman/PJ-']"),
    ("balance-sheet", f"{COOP}-pengurus", f"/k/{COOP}/buku/laporan/posisi-keuangan/", None),
    ("dinas-home", "dinas", "/dinas/", None),
]


def login(page, base, username):
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def shoot(browser, base, out: Path, name, user, path, follow):
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, device_scale_factor=1)
        page = context.new_page()
        login(page, base, user)
        page.goto(base + path)
        if follow:
            page.locator(follow).first.click()
        if name == "teller":  # from the member's page to the teller screen for that member
            page.locator("a[href*='/simpanan/anggota/']").first.click()
        page.wait_for_load_state("networkidle")
        target = out / f"{size}-{name}.png"
        page.screenshot(path=str(target))
        print(f"{target}  ({page.url})")
        context.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "screenshots"))
    opts = parser.parse_args(argv)
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, user, path, follow in PAGES:
            shoot(browser, opts.base_url.rstrip("/"), out, name, user, path, follow)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
