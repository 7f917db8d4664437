"""Pages: the examiner's page with live (HTMX) scores, the report PDF, the Dinas lists and Excel,
the cooperative side (results, follow-ups, self-assessment), the API."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from kopdig.health import actions, selectors
from kopdig.health.models import Assessment, Examination, FollowUp, Rubric
from kopdig.tenancy.models import Cooperative

from .conftest import login
from .test_actions import ready

pytestmark = pytest.mark.django_db


def exam_url(exam, tail=""):
    return f"/dinas/kesehatan/koperasi/{exam.cooperative.slug}/{exam.code}/{tail}"


def test_examiner_opens_and_answers_with_live_scores(books, examiner):
    c = login(examiner)
    resp = c.post(
        f"/dinas/kesehatan/koperasi/{books.coop_a.slug}/",
        {"year": 2025, "rubric": selectors.rubric_get("kkpkk").pk},
    )
    exam = Examination.objects.get()
    assert resp["Location"] == exam_url(exam)
    page = c.get(exam_url(exam)).content.decode()
    assert "Pemeriksaan 2025" in page and "Piutang Pinjaman Anggota" in page and "posisi-keuangan" in page
    data = {f"item-p{n}": "1" if n <= 5 else "0" for n in range(1, 8)}
    resp = c.post(
        exam_url(exam, "jawab/prinsip_koperasi/"),
        {**data, "note": "Dilihat dari AD/ART"},
        HTTP_HX_REQUEST="true",
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and 'hx-swap-oob="true"' in html and "5 dari 7 butir terpenuhi" in html
    assert Assessment.objects.get().items == {f"p{n}": n <= 5 for n in range(1, 8)}


def test_refused_answer_shows_the_message_and_writes_nothing(books, examiner, examiner2):
    exam = actions.examination_open(
        actor=examiner, cooperative=books.coop_a, year=2025, rubric=selectors.rubric_get("kkpkk")
    )
    resp = login(examiner2).post(
        exam_url(exam, "jawab/prinsip_koperasi/"), {"item-p1": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "pemeriksa yang membuka" in resp.content.decode() and not Assessment.objects.exists()


def test_report_pdf_shows_figures_scores_and_recommendations(books, examiner, kepala):
    exam = ready(books, examiner)
    actions.followup_add(
        actor=examiner, examination=exam, recommendation="Susun SOP likuiditas", deadline=dt.date(2026, 3, 31)
    )
    exam = actions.examination_approve(
        actor=kepala, examination=actions.examination_submit(actor=examiner, examination=exam)
    )
    resp = login(examiner).get(exam_url(exam, "laporan.pdf"))
    assert resp["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.content)).pages)
    for needle in (
        "KSU Sejahtera Bersama",
        "Rp 138.700.000,00",
        "Ekuitas / total aset",
        "Prinsip Koperasi",
        "Susun SOP likuiditas",
        exam.get_predicate_display(),
        "Kepala Bidang",
    ):
        assert needle in text, needle


def test_dinas_index_lists_tiles_chart_and_excel_with_kuk(books, examiner, kepala):
    exam = ready(books, examiner)
    actions.examination_approve(
        actor=kepala, examination=actions.examination_submit(actor=examiner, examination=exam)
    )
    c = login(books.dinas)
    page = c.get("/dinas/kesehatan/?year=2025")
    html = page.content.decode()
    assert page.status_code == 200 and "KSU Sejahtera Bersama" in html and "<svg" in html
    wb = load_workbook(io.BytesIO(c.get("/dinas/kesehatan/?year=2025&format=xlsx").content))
    rows = list(wb.active.values)
    assert rows[0][8] == "KUK" and rows[1][0] == "KSU Sejahtera Bersama" and rows[1][8] == 2
    assert c.get("/dinas/kesehatan/belum-diperiksa/").status_code == 200
    trend = c.get(f"/dinas/kesehatan/koperasi/{books.coop_a.slug}/")
    assert trend.status_code == 200 and "2025" in trend.content.decode()


def test_other_kabupaten_and_coop_roles_see_nothing(books, examiner, examiner_other):
    exam = actions.examination_open(
        actor=examiner, cooperative=books.coop_a, year=2025, rubric=selectors.rubric_get("kkpkk")
    )
    assert login(examiner_other).get(exam_url(exam)).status_code == 404
    assert login(books.pengurus_a).get(exam_url(exam)).status_code == 403
    assert login(books.pengurus_a).get("/dinas/kesehatan/").status_code == 403


def test_cooperative_answers_follow_up(books, examiner, kepala):
    exam = ready(books, examiner)
    fu = actions.followup_add(
        actor=examiner,
        examination=exam,
        recommendation="Perbarui daftar anggota",
        deadline=dt.date(2020, 1, 1),
    )
    exam = actions.examination_submit(actor=examiner, examination=exam)
    actions.examination_publish(
        actor=kepala, examination=actions.examination_approve(actor=kepala, examination=exam)
    )
    c = login(books.pengurus_a)
    page = c.get(f"/k/{books.coop_a.slug}/kesehatan/").content.decode()
    assert "Perbarui daftar anggota" in page and "terlambat" in page
    home = c.get(f"/k/{books.coop_a.slug}/").content.decode()
    assert 'data-testid="health-widget"' in home and "1 terlambat" in home
    assert (
        login(books.pengawas_a)
        .post(f"/k/{books.coop_a.slug}/kesehatan/tindak-lanjut/{fu.code}/", {"response": "x"})
        .status_code
        == 403
    )
    c.post(f"/k/{books.coop_a.slug}/kesehatan/tindak-lanjut/{fu.code}/", {"response": "Sudah diperbarui"})
    fu.refresh_from_db()
    assert fu.status == FollowUp.Status.ANSWERED and fu.response == "Sudah diperbarui"
    assert c.get(f"/k/{books.coop_a.slug}/kesehatan/{exam.code}/laporan.pdf").status_code == 200


def test_self_assessment_is_a_dry_run(books):
    c = login(books.pengurus_a)
    before = (Examination.objects.count(), Assessment.objects.count())
    resp = c.post(
        f"/k/{books.coop_a.slug}/kesehatan/penilaian-mandiri/",
        {"year": 2025, "rubric": selectors.rubric_get("kkpkk").pk, "item-p1": "1"},
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and "Ekuitas / total aset" in html and "belum semua dijawab" in html
    assert (Examination.objects.count(), Assessment.objects.count()) == before
    assert login(books.kasir_a).get(f"/k/{books.coop_a.slug}/kesehatan/penilaian-mandiri/").status_code == 403


def test_api_reads(books, examiner, kepala, api_client):
    exam = ready(books, examiner)
    exam = actions.examination_approve(
        actor=kepala, examination=actions.examination_submit(actor=examiner, examination=exam)
    )
    data = api_client.as_user(books.dinas).get("/api/v1/health/rubrics").json()
    assert data["count"] == 2 and {r["code"] for r in data["items"]} == {"kkpkk", "perdep-06-2016"}
    res = api_client.get("/api/v1/dinas/health/results/2025").json()
    assert (
        res["count"] == 1
        and res["items"][0]["kuk_class"] == 2
        and res["items"][0]["total"] == str(exam.total)
    )
    coop = api_client.as_user(books.pengurus_a)
    assert coop.get(f"/api/v1/coops/{books.coop_a.slug}/health/examinations").json() == {
        "items": [],
        "count": 0,
    }
    assert coop.get(f"/api/v1/coops/{books.coop_a.slug}/health/examinations/{exam.code}").status_code == 404
    actions.examination_publish(actor=kepala, examination=exam)
    assert coop.get(f"/api/v1/coops/{books.coop_a.slug}/health/examinations").json()["count"] == 1
    assert coop.get("/api/v1/dinas/health/examinations").status_code == 403


def _approved(world, examiner, n):
    rubric = selectors.rubric_get("kkpkk")
    for i in range(n):
        c = Cooperative.objects.create(
            slug=f"qc-{n}-{i}",
            name=f"Koperasi QC {i}",
            jenis="konsumen",
            kabupaten=world.kab,
            kecamatan=world.coop_a.kecamatan,
        )
        Examination.objects.create(
            cooperative=c,
            year=2025,
            rubric=rubric,
            figures_source="reported",
            examiner=examiner,
            status="approved",
            total="70.00",
            predicate="cukup_sehat",
            kuk_class=1 + i % 4,
        )


def test_dinas_index_query_count_does_not_grow(world, examiner, django_assert_max_num_queries):
    c = login(world.dinas)
    _approved(world, examiner, 2)
    with CaptureQueriesContext(connection) as small:
        assert c.get("/dinas/kesehatan/?year=2025").status_code == 200
    _approved(world, examiner, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        resp = c.get("/dinas/kesehatan/?year=2025")
    assert len(resp.context["rows"]) == 14


def test_self_assessment_without_an_active_rubric_says_so(books):
    Rubric.objects.update(active=False)
    resp = login(books.pengurus_a).get(f"/k/{books.coop_a.slug}/kesehatan/penilaian-mandiri/")
    assert resp.status_code == 200 and "Belum ada rubrik kesehatan yang aktif" in resp.content.decode()
