"""RAT pages: roles (pengawas writes only its report, Dinas reads), the member's ballot by login
and by personal link, invitations, minutes and RAT book with the right figures."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from kopdig.rat import actions, documents
from kopdig.rat.models import Attendance, Invitation, OpenVote, ReportSection

from . import factories as f

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    c.force_login(user)
    return c


def test_pengurus_pages_render(voting_world):
    w = voting_world
    base = f"/k/{w.coop_a.slug}/rat/"
    c = login(w.pengurus_a)
    for url in (
        base,
        base + "aturan/",
        f"{base}{w.meeting.code}/",
        f"{base}{w.meeting.code}/hadir/",
        f"{base}{w.meeting.code}/berhak-suara/",
        f"{base}{w.meeting.code}/laporan/",
    ):
        assert c.get(url).status_code == 200, url


def test_outsider_404_and_dinas_reads_only(voting_world):
    w = voting_world
    url = f"/k/{w.coop_a.slug}/rat/{w.meeting.code}/"
    assert login(w.pengurus_b).get(url).status_code == 404
    d = login(w.dinas)
    assert d.get(url).status_code == 200
    assert d.get(url + "buku-rat.pdf")["Content-Type"] == "application/pdf"
    assert d.post(url + "tutup/").status_code == 403
    assert login(w.dinas_other).get(url).status_code == 404


def test_pengawas_writes_only_its_report(voting_world):
    w = voting_world
    url = f"/k/{w.coop_a.slug}/rat/{w.meeting.code}/"
    c = login(w.pengawas_a)
    c.post(url + "laporan/bagian/", {"key": "kelembagaan", "text": "Rapat pengurus rutin."})
    assert ReportSection.objects.get().author == "pengawas"
    assert c.post(url + "tutup/").status_code == 403
    assert c.post(url + "acara/").status_code == 403


def test_desk_checks_in_by_number(voting_world):
    w = voting_world
    url = f"/k/{w.coop_a.slug}/rat/{w.meeting.code}/hadir/"
    login(w.kasir_a).post(url, {"number": "00008"})
    assert Attendance.objects.filter(member__number="00008").exists()


def test_member_votes_by_login_and_by_personal_link(voting_world):
    w = voting_world
    lpj = f.item(w.meeting, "lpj")
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=lpj.code)
    c = login(w.anggota_a)
    assert c.get(f"/k/{w.coop_a.slug}/rat/")["Location"].endswith(f"/rat/{w.meeting.code}/surat-suara/")
    c.post(f"/k/{w.coop_a.slug}/rat/{w.meeting.code}/surat-suara/", {"item": lpj.code, "choice": "for"})
    token = actions.invitations_issue(
        actor=w.kasir_a, cooperative=w.coop_a, code=w.meeting.code, numbers=["00002"]
    )["00002"]
    anon = Client()
    page = anon.get(f"/rat/{w.coop_a.slug}/{token}/")
    assert page.status_code == 200 and "Anggota 00002" in page.content.decode()
    anon.post(f"/rat/{w.coop_a.slug}/{token}/", {"item": lpj.code, "choice": "against"})
    assert dict(OpenVote.objects.values_list("member__number", "choice")) == {
        "00001": "for",
        "00002": "against",
    }
    assert "sudah tercatat" in anon.get(f"/rat/{w.coop_a.slug}/{token}/").content.decode()
    assert anon.get(f"/rat/{w.coop_a.slug}/bukan-token/").status_code == 404
    report = anon.get(f"/rat/{w.coop_a.slug}/{token}/laporan/")  # read on the phone, no password
    assert report.status_code == 200
    text = report.content.decode()
    assert "Laporan tahunan" in text and "Rp 2.000.000,00" in text and "Simpan RAPB" not in text
    assert anon.get(f"/rat/{w.coop_a.slug}/bukan-token/laporan/").status_code == 404
    assert anon.get(f"/rat/{w.coop_b.slug}/{token}/laporan/").status_code == 404
    assert Invitation.objects.get(member__number="00002").token_hash != token


def test_invitation_letters_pdf_and_whatsapp_link(voting_world):
    w = voting_world
    url = f"/k/{w.coop_a.slug}/rat/{w.meeting.code}/"
    c = login(w.kasir_a)
    old = dict(Invitation.objects.values_list("member__number", "token_hash"))
    resp = c.post(url + "undangan.pdf", {"numbers": "00001,00002"})
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    new = dict(Invitation.objects.values_list("member__number", "token_hash"))
    assert {n for n in old if old[n] != new[n]} == {"00001", "00002"}
    w.members[2].phone = "0812-3456-789"
    w.members[2].save()
    resp = c.post(url + "undangan/00003/wa/")
    assert resp["Location"].startswith("https://wa.me/628123456789?text=")
    assert Invitation.objects.get(member__number="00003").whatsapp_at is not None
    assert "<svg" in documents.qr_svg("https://example.org/x")


def test_minutes_and_book_show_the_figures(voting_world):
    w = voting_world
    shu = f.item(w.meeting, "shu")
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=shu.code)
    for m in w.members[:3]:
        actions.vote_cast(
            actor=None, cooperative=w.coop_a, item_code=shu.code, choice="for", token=w.tokens[m.number]
        )
    actions.vote_cast(
        actor=None, cooperative=w.coop_a, item_code=shu.code, choice="abstain", token=w.tokens["00004"]
    )
    actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=shu.code)
    html = render_to_string("rat/minutes_pdf.html", documents.minutes_context(w.coop_a, w.meeting))
    assert "Penetapan pembagian SHU" in html and "Disetujui" in html
    assert '<td class="num" data-testid="eligible">6</td>' in html
    book = render_to_string("rat/book_pdf.html", documents.book_context(w.coop_a, w.meeting))
    assert "Rp 2.000.000,00" in book and "BUKU RAPAT ANGGOTA TAHUNAN" in book
    assert "hadir 6" in book
    resp = login(w.pengurus_a).get(f"/k/{w.coop_a.slug}/rat/{w.meeting.code}/berita-acara.pdf")
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF")


def test_audit_page_shows_human_labels_of_rat_actions(voting_world):
    w = voting_world
    from kopdig.audit.labels import action_label, key_label

    lpj = f.item(w.meeting, "lpj")
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=lpj.code)
    actions.vote_cast(
        actor=None, cooperative=w.coop_a, item_code=lpj.code, choice="for", token=w.tokens["00002"]
    )
    actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=lpj.code)
    assert action_label("vote_cast") == "Suara diberikan"
    assert action_label("meeting_publish") == "RAT diumumkan"
    assert key_label("against", "rat.AgendaItem") == "tidak setuju"
    html = login(w.pengurus_a).get(f"/k/{w.coop_a.slug}/audit/").content.decode()
    for label in (
        "RAT diumumkan",
        "Kehadiran RAT",
        "Pemungutan suara dibuka",
        "Suara diberikan",
        "Mata acara diputuskan",
    ):
        assert label in html, label
    for raw in ("vote_cast", "meeting_publish", "item_close", "Vote cast", "Item close"):
        assert raw not in html, raw
