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


BULAN = ["", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September"]
BULAN += ["Oktober", "November", "Desember"]


def test_minutes_and_book_carry_the_decided_figures(voting_world):
    import datetime as dt

    from kopdig.rat import actions
    from kopdig.rat.models import Meeting

    from . import factories as f

    w = voting_world
    lpj, shu = f.item(w.meeting, "lpj"), f.item(w.meeting, "shu")
    for it, choices in ((lpj, ["for", "for", "for", "against", "abstain"]), (shu, ["for"] * 4)):
        actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=it.code)
        for m, choice in zip(w.members, choices, strict=False):
            actions.vote_cast(
                actor=None, cooperative=w.coop_a, item_code=it.code, choice=choice, token=w.tokens[m.number]
            )
        actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=it.code)
    actions.rapb_lines_save(
        actor=w.pengurus_a,
        cooperative=w.coop_a,
        code=w.meeting.code,
        lines=[("pendapatan", "Jasa pinjaman", "1234567"), ("beban", "Beban gaji", "250000.5")],
    )
    d = w.meeting.date
    c = _login(w.pengurus_a)
    url = f"/k/{w.coop_a.slug}/rat/{w.meeting.code}/"
    (minutes,) = pdf_pages(c.get(url + "berita-acara.pdf").content)
    assert f"Pada tanggal {d.day} {BULAN[d.month]} {d.year}" in minutes
    assert f"Nomor keputusan: 01/RAT/{w.year}" in minutes
    assert "Anggota diundang 10" in minutes and "Anggota berhak suara 6" in minutes
    assert "Kuorum panggilan pertama (1/2+1) 4" in minutes and "Kuorum panggilan kedua (1/5) 2" in minutes
    assert "Panggilan pertama, hadir 6" in minutes
    flat = minutes.replace(" ", "")  # the PDF text splits some kerned words ("T erbuka")
    assert f"pengurustahunbuku{w.year}Terbuka311Diterima" in flat
    assert f"SHUtahunbuku{w.year}Terbuka400Diterima(Disetujui)" in flat
    book = " ".join(pdf_pages(c.get(url + "buku-rat.pdf").content))
    assert "Jasa pinjaman Rp 1.234.567,00" in book and "Beban gaji Rp 250.000,50" in book
    assert f"pengurustahunbuku{w.year}Terbuka311Diterima" in book.replace(" ", "")
    # a fixed date reads as the issue's example
    Meeting.objects.filter(pk=w.meeting.pk).update(date=dt.date(2019, 9, 3))
    (minutes,) = pdf_pages(c.get(url + "berita-acara.pdf").content)
    assert "Pada tanggal 3 September 2019" in minutes
