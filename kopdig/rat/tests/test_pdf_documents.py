"""The RAT PDFs (RAT book, minutes, invitation letters) on the one base, read back as text."""

import pytest
from django.test import Client

from kopdig.tests.pdf import pdf_pages

pytestmark = pytest.mark.django_db


def _login(user):
    c = Client()
    c.force_login(user)
    return c


def _numbered(pages, coop) -> bool:
    return all(
        page.endswith(f"{coop.name} Halaman {n} / {len(pages)}") for n, page in enumerate(pages, start=1)
    )


def test_rat_book_minutes_and_invitations_read_back(voting_world):
    w = voting_world
    url = f"/k/{w.coop_a.slug}/rat/{w.meeting.code}/"
    c = _login(w.pengurus_a)
    book = pdf_pages(c.get(url + "buku-rat.pdf").content)
    assert (
        book[0].startswith(w.coop_a.name)
        and "BUKU RAPAT ANGGOTA TAHUNAN" in book[0]
        and _numbered(book, w.coop_a)
    )
    assert any("SHU Rp 2.000.000,00" in page for page in book)
    (minutes,) = pdf_pages(c.get(url + "berita-acara.pdf").content)
    assert "Berita Acara Rapat Anggota Tahunan" in minutes and "Pimpinan rapat" in minutes
    assert minutes.endswith(f"{w.coop_a.name} Halaman 1 / 1")
    letters = pdf_pages(c.post(url + "undangan.pdf", {"numbers": "00001,00002"}).content)
    assert len(letters) == 2 and _numbered(letters, w.coop_a)
    assert "No. anggota 00001" in letters[0] and "No. anggota 00002" in letters[1]
