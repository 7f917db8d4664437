"""A ledger report as PDF on the one base: the identity letterhead, the table, page numbers."""

import pytest
from django.test import Client

from kopdig.tests.pdf import pdf_pages

pytestmark = pytest.mark.django_db


def test_report_pdf_reads_back(scenario):
    c = Client()
    c.force_login(scenario.pengurus_a)
    r = c.get(
        f"/k/{scenario.coop_a.slug}/buku/laporan/neraca-saldo/", {"date": "2025-01-31", "format": "pdf"}
    )
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pages = pdf_pages(r.content)
    assert pages[0].startswith(scenario.coop_a.name)
    assert all(page.endswith(f"Halaman {n} / {len(pages)}") for n, page in enumerate(pages, start=1))
    assert "Dicetak" in pages[-1]
