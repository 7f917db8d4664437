"""The SHU slip as PDF on the one base, read back as text."""

import pytest
from django.test import Client

from kopdig.tests.pdf import pdf_text

from .test_views_api import _distributed

pytestmark = pytest.mark.django_db


def test_slip_pdf_reads_back(shu_world):
    w = shu_world
    _distributed(w)
    c = Client()
    c.force_login(w.anggota_a)
    text = pdf_text(c.get(f"/k/{w.coop_a.slug}/shu/{w.year}/anggota/00001/slip.pdf").content)
    assert text.startswith(w.coop_a.name)
    assert f"Slip Sisa Hasil Usaha tahun buku {w.year}" in text and "RAT-1" in text
    assert "Diterima Rp 150.000,00" in text and text.endswith("Halaman 1 / 1")
