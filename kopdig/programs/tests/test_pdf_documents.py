"""The programme PDFs (attendance list, certificates, annual report) on the one base, read back as text."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from kopdig.programs import actions
from kopdig.tenancy.access import SYSTEM
from kopdig.tests.pdf import pdf_pages

from .conftest import NIK_MAN_1990, NIK_WOMAN_1999

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world, event, person):
    """Two participants of the training, both checked in, certificates issued."""
    budi, _raw = actions.participant_register(
        actor=SYSTEM, event=event, person=person(NIK_MAN_1990, "Budi Santoso", cooperative=world.coop_a)
    )
    ani, _raw = actions.participant_register(
        actor=SYSTEM, event=event, person=person(NIK_WOMAN_1999, "Ani Rahayu")
    )
    for day in (13, 14, 15):
        actions.attendance_check_in(actor=SYSTEM, event=event, participation=budi, day=dt.date(2021, 9, day))
    actions.attendance_check_in(actor=SYSTEM, event=event, participation=ani, day=dt.date(2021, 9, 13))
    actions.certificates_issue(actor=SYSTEM, event=event, on=dt.date(2021, 9, 15))
    return {"budi": budi, "ani": ani}


def test_programme_pdfs_read_back(world, event, held):
    c = Client()
    c.force_login(world.dinas)
    (attendance,) = pdf_pages(c.get(reverse("programs:attendance_pdf", args=[event.code])).content)
    assert (
        attendance.startswith("Dinas Koperasi Kabupaten Probolinggo")
        and "Budi Santoso KSU Sejahtera Bersama" in attendance
    )
    assert attendance.endswith(f"{event.code} Halaman 1 / 1")  # the event's code in the footer
    (certificate,) = pdf_pages(c.get(reverse("programs:certificates_pdf", args=[event.code])).content)
    assert f"SERTIFIKAT Nomor: SERT/{event.code}/001 diberikan kepada Budi Santoso" in certificate
    assert certificate.endswith("Periksa keaslian: pindai QR Halaman 1 / 1")
    (report,) = pdf_pages(c.get(reverse("programs:annual_report", args=[2021])).content)
    assert "Laporan program pembinaan koperasi tahun 2021" in report
    assert report.endswith("Laporan program pembinaan koperasi 2021 Halaman 1 / 1")
