"""The examination workflow: open → answer → submit (frozen) → approve (four-eyes) → publish;
refusals in Indonesian with nothing written; follow-ups; evidence files."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kopdig.audit.models import AuditLog
from kopdig.dinas.models import AnnualReport
from kopdig.health import actions, selectors
from kopdig.health.models import Assessment, Evidence, Examination, FollowUp
from kopdig.lib.errors import DomainError, NotAllowed
from kopdig.tenancy.models import DinasRole

from .conftest import login, post

pytestmark = pytest.mark.django_db
D = Decimal


def kkpkk():
    return selectors.rubric_get("kkpkk")


def answer_all(exam, actor, yes=True):
    for code, ind in selectors.indicators_by_code(exam.rubric).items():
        items = {i.code: yes for i in ind.items.all()}
        if items:
            actions.assessment_save(actor=actor, examination=exam, indicator_code=code, items=items)


def ready(books, examiner):
    exam = actions.examination_open(actor=examiner, cooperative=books.coop_a, year=2025, rubric=kkpkk())
    answer_all(exam, examiner)
    actions.examination_update(actor=examiner, examination=exam, kuk_class=2, summary="Cukup baik.")
    return exam


def test_only_a_pengawas_koperasi_of_the_kabupaten_opens(world, examiner_other, kepala):
    for actor in (world.dinas, examiner_other, kepala, world.pengurus_a):
        with pytest.raises(NotAllowed) as exc:
            actions.examination_open(actor=actor, cooperative=world.coop_a, year=2025, rubric=kkpkk())
        assert "Dinas" in str(exc.value)
    assert (
        not Examination.objects.exists() and not AuditLog.objects.filter(action="examination_open").exists()
    )


def test_full_journey_with_frozen_figures(books, examiner, kepala):
    exam = ready(books, examiner)
    assert exam.figures_source == "books" and exam.figures == {}
    live = selectors.examination_result(exam)
    assert live.complete and live.total is not None
    exam = actions.examination_submit(actor=examiner, examination=exam)
    assert exam.status == "submitted" and exam.total == live.total and exam.predicate == live.predicate
    assert D(exam.figures["total_aset"]) == D("138700000.00")
    # A posting after submission does not move the frozen examination.
    post(books, dt.date(2025, 12, 31), "Koreksi", ("kas", "1000000", 0), ("pendapatan_lain", 0, "1000000"))
    assert selectors.examination_figures(exam)[0]["total_aset"] == D("138700000.00")
    assert selectors.examination_result(exam).total == exam.total
    exam = actions.examination_approve(actor=kepala, examination=exam)
    assert exam.status == "approved" and exam.approved_by == kepala
    exam = actions.examination_publish(actor=kepala, examination=exam)
    assert exam.status == "published"
    assert [a.action for a in AuditLog.objects.filter(object_ref=exam.code).order_by("id")][-4:] == [
        "examination_update",
        "examination_submit",
        "examination_approve",
        "examination_publish",
    ]


def test_submit_refused_while_items_wait(books, examiner):
    exam = actions.examination_open(actor=examiner, cooperative=books.coop_a, year=2025, rubric=kkpkk())
    actions.assessment_save(
        actor=examiner, examination=exam, indicator_code="prinsip_koperasi", items={"p1": True}
    )
    with pytest.raises(DomainError, match="belum dinilai: Prinsip Koperasi"):
        actions.examination_submit(actor=examiner, examination=exam)
    exam.refresh_from_db()
    assert exam.status == "draft" and exam.figures == {} and exam.total is None


def test_four_eyes(books, examiner, kepala):
    exam = actions.examination_submit(actor=examiner, examination=ready(books, examiner))
    DinasRole.objects.filter(user=examiner).update(kind=DinasRole.Kind.KEPALA)  # promoted, still the examiner
    with pytest.raises(NotAllowed, match="empat mata"):
        actions.examination_approve(actor=examiner, examination=exam)
    exam.refresh_from_db()
    assert exam.status == "submitted" and exam.approved_by is None
    actions.examination_approve(actor=kepala, examination=exam)


def test_no_edit_after_approval_new_version_instead(books, examiner, examiner2, kepala):
    exam = actions.examination_submit(actor=examiner, examination=ready(books, examiner))
    exam = actions.examination_approve(actor=kepala, examination=exam)
    with pytest.raises(DomainError, match="versi baru"):
        actions.assessment_save(
            actor=examiner, examination=exam, indicator_code="prinsip_koperasi", items={"p1": False}
        )
    with pytest.raises(DomainError):
        actions.examination_update(actor=examiner, examination=exam, kuk_class=4)
    assert Assessment.objects.get(examination=exam, indicator__code="prinsip_koperasi").items["p1"] is True
    new = actions.examination_new_version(actor=examiner2, examination=exam)
    assert (new.version, new.status, new.supersedes, new.examiner) == (2, "draft", exam, examiner2)
    assert (
        Assessment.objects.filter(examination=new).count()
        == Assessment.objects.filter(examination=exam).count()
    )
    actions.assessment_save(
        actor=examiner2,
        examination=new,
        indicator_code="prinsip_koperasi",
        items={f"p{n}": n < 3 for n in range(1, 8)},
    )
    new = actions.examination_submit(actor=examiner2, examination=new)
    actions.examination_approve(actor=kepala, examination=new)
    exam.refresh_from_db()
    assert exam.status == "superseded" and new.total < exam.total


def test_other_examiner_cannot_edit_a_draft(books, examiner, examiner2):
    exam = actions.examination_open(actor=examiner, cooperative=books.coop_a, year=2025, rubric=kkpkk())
    with pytest.raises(NotAllowed, match="pemeriksa yang membuka"):
        actions.assessment_save(
            actor=examiner2, examination=exam, indicator_code="prinsip_koperasi", items={"p1": True}
        )
    assert not Assessment.objects.exists()


def test_reported_figures_for_a_cooperative_not_on_kopdig(world, examiner, kepala):
    coop = world.coop_b
    coop.on_kopdig = False
    coop.save()
    AnnualReport.objects.create(cooperative=coop, year=2024, modal_sendiri=D("90000000"), aset=D("300000000"))
    AnnualReport.objects.create(
        cooperative=coop,
        year=2025,
        modal_sendiri=D("100000000"),
        aset=D("400000000"),
        modal_luar=D("300000000"),
        shu=D("5000000"),
    )
    exam = actions.examination_open(actor=examiner, cooperative=coop, year=2025, rubric=kkpkk())
    values = selectors.examination_figures(exam)[0]
    assert values["total_ekuitas"] == D("100000000.00") and values["total_ekuitas_lalu"] == D("90000000.00")
    result = selectors.examination_result(exam)
    eq = {i.code: i for i in result.indicators()}
    assert eq["ekuitas_aset"].score == 3  # 25%
    assert eq["pertumbuhan_ekuitas"].score == 4  # 11.1%
    assert eq["kemandirian_operasional"].status == "not_computable"
    exam = actions.examination_figures_set(
        actor=examiner,
        examination=exam,
        figures={
            "partisipasi_neto": "50000000",
            "beban_usaha": "40000000",
            "beban_perkoperasian": "5000000",
            "pinjaman_neto": "200000000",
            "aset_produktif": "250000000",
        },
    )
    eq = {i.code: i for i in selectors.examination_result(exam).indicators()}
    # 50 / (40 + 5) = 111.1% → 3; 200 / 250 = 80% → 3
    assert eq["kemandirian_operasional"].score == 3 and eq["pinjaman_aset_produktif"].score == 3
    with pytest.raises(DomainError, match="bukan angka"):
        actions.examination_figures_set(actor=examiner, examination=exam, figures={"kas": "banyak"})


def test_followups_answered_by_pengurus_only_after_publication(books, examiner, kepala):
    exam = ready(books, examiner)
    fu = actions.followup_add(
        actor=examiner,
        examination=exam,
        recommendation="Lengkapi SOP pinjaman",
        deadline=dt.date(2026, 1, 31),
    )
    with pytest.raises(DomainError, match="belum dipublikasikan"):
        actions.followup_answer(actor=books.pengurus_a, followup=fu, response="Sedang disusun")
    exam = actions.examination_submit(actor=examiner, examination=exam)
    exam = actions.examination_publish(
        actor=kepala, examination=actions.examination_approve(actor=kepala, examination=exam)
    )
    with pytest.raises(DomainError, match="sudah disetujui"):
        actions.followup_add(
            actor=examiner, examination=exam, recommendation="X", deadline=dt.date(2026, 3, 1)
        )
    with pytest.raises(NotAllowed):
        actions.followup_answer(actor=books.kasir_a, followup=fu, response="Saya kasir")
    fu.refresh_from_db()
    assert fu.status == "open" and fu.response == ""
    assert fu.is_overdue(dt.date(2026, 2, 1)) and not fu.is_overdue(dt.date(2026, 1, 31))
    fu = actions.followup_answer(actor=books.pengurus_a, followup=fu, response="SOP disahkan RAT")
    assert fu.status == "answered"
    fu = actions.followup_close(actor=kepala, followup=fu)
    assert fu.status == "done" and not fu.is_overdue(dt.date(2027, 1, 1))
    overdue = selectors.overdue_followups([books.kab.pk], today=dt.date(2027, 1, 1))
    assert overdue == []


def test_evidence_type_and_size_checked(books, examiner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    exam = actions.examination_open(actor=examiner, cooperative=books.coop_a, year=2025, rubric=kkpkk())
    pdf = SimpleUploadedFile("akta.pdf", b"%PDF-1.4 akta", content_type="application/pdf")
    ev = actions.evidence_add(
        actor=examiner, examination=exam, indicator_code="kelembagaan_legalitas", upload=pdf
    )
    assert ev.size == 13 and ev.file.name.endswith(".pdf")
    fake = SimpleUploadedFile("foto.jpg", b"MZ not a photo", content_type="image/jpeg")
    with pytest.raises(DomainError, match="tidak sesuai"):
        actions.evidence_add(
            actor=examiner, examination=exam, indicator_code="kelembagaan_legalitas", upload=fake
        )
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload")
    with pytest.raises(DomainError, match="PDF atau foto"):
        actions.evidence_add(
            actor=examiner, examination=exam, indicator_code="kelembagaan_legalitas", upload=exe
        )
    big = SimpleUploadedFile("besar.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(DomainError, match="terlalu besar"):
        actions.evidence_add(
            actor=examiner, examination=exam, indicator_code="kelembagaan_legalitas", upload=big
        )
    assert Evidence.objects.count() == 1


def test_manual_score_range_and_kuk(books, examiner):
    exam = actions.examination_open(actor=examiner, cooperative=books.coop_a, year=2025, rubric=kkpkk())
    with pytest.raises(DomainError, match="antara 1 dan 4"):
        actions.assessment_save(
            actor=examiner, examination=exam, indicator_code="ekuitas_aset", manual_score="5"
        )
    with pytest.raises(DomainError, match="catatan alasan"):
        actions.assessment_save(
            actor=examiner, examination=exam, indicator_code="ekuitas_aset", manual_score="2"
        )
    with pytest.raises(DomainError, match="KUK"):
        actions.examination_update(actor=examiner, examination=exam, kuk_class=5)
    assert not Assessment.objects.exists()


def test_cooperative_sees_only_published(books, examiner, kepala):
    exam = actions.examination_submit(actor=examiner, examination=ready(books, examiner))
    c = login(books.pengurus_a)
    url = f"/k/{books.coop_a.slug}/kesehatan/{exam.code}/"
    assert c.get(url).status_code == 404
    actions.examination_approve(actor=kepala, examination=exam)
    assert c.get(url).status_code == 404
    actions.examination_publish(actor=kepala, examination=exam)
    assert c.get(url).status_code == 200
    assert login(books.pengurus_b).get(url).status_code == 404
    assert FollowUp.objects.count() == 0


def test_answers_save_many_at_once_all_or_nothing(books, examiner):
    exam = actions.examination_open(actor=examiner, cooperative=books.coop_a, year=2025, rubric=kkpkk())
    actions.assessment_save(actor=examiner, examination=exam, indicator_code="manajemen", items={"m1": True})
    n = actions.examination_answers_save(
        actor=examiner,
        examination=exam,
        answers={
            "manajemen": {"items": {"m1": False, "m2": True}},
            "kpmr": {"items": {"q1": True}, "note": "Wawancara"},
            "ekuitas_aset": {"not_applicable": "Koperasi baru berdiri"},
        },
    )
    assert n == 3 and Assessment.objects.filter(examination=exam).count() == 3
    assert Assessment.objects.get(examination=exam, indicator__code="manajemen").items == {
        "m1": False,
        "m2": True,
    }
    with pytest.raises(DomainError, match="Butir zz"):
        actions.examination_answers_save(
            actor=examiner,
            examination=exam,
            answers={"kpmr": {"items": {"q2": True}}, "manajemen": {"items": {"zz": True}}},
        )
    assert Assessment.objects.get(examination=exam, indicator__code="kpmr").items == {"q1": True}


def test_perdep_examination_with_weights_and_manual_nilai(books, examiner, kepala):
    """Perdep 06/2016: ratios with confirmed ladders score from the books; unconfirmed ones take
    the examiner's nilai; total = Σ nilai × weight / 100."""
    rubric = selectors.rubric_get("perdep-06-2016")
    exam = actions.examination_open(actor=examiner, cooperative=books.coop_a, year=2025, rubric=rubric)
    result = selectors.examination_result(exam)
    by = {i.code: i for i in result.indicators()}
    # 20 m members' participation / (20 m + 2 m non-members) = 90.9% → 100; kemandirian 15.2 / 7.3 > 100% → 100.
    assert by["rasio_partisipasi_bruto"].score == 100 and by["kemandirian_operasional_pelayanan"].score == 100
    assert by["rpm_pinjaman"].status == "not_computable"  # no arrears run in 2025
    answers = {
        i.code: {"manual_score": "50"} for i in result.indicators() if i.status == "unscored" and not i.items
    }
    answers.update({i.code: {"items": {"q1": True}} for i in result.indicators() if i.kind == "points"})
    answers.update(
        {
            "rpm_pinjaman": {"not_applicable": "Belum ada perhitungan kolektibilitas"},
            "cadangan_rpm": {"not_applicable": "Belum ada perhitungan kolektibilitas"},
            "modal_sendiri_pinjaman_berisiko": {"not_applicable": "Belum ada perhitungan kolektibilitas"},
            "pinjaman_berisiko_pinjaman": {"manual_score": "50", "note": "Dari daftar kolektibilitas manual"},
        }
    )
    actions.examination_answers_save(actor=examiner, examination=exam, answers=answers)
    actions.examination_update(actor=examiner, examination=exam, kuk_class=1)
    exam = actions.examination_submit(actor=examiner, examination=exam)
    assert exam.total is not None and exam.predicate
    kap = next(a for a in exam.result["aspects"] if a["code"] == "kap")
    # pinjaman anggota / total = 100% → 100 (weight 10); pinjaman berisiko manual 50 (weight 5): 1250/1500 = 83.33
    assert kap["score"] == "83.33"


def test_kepala_returns_a_submitted_examination_to_draft(books, examiner, kepala):
    exam = actions.examination_submit(actor=examiner, examination=ready(books, examiner))
    with pytest.raises(DomainError, match="alasan"):
        actions.examination_return(actor=kepala, examination=exam, reason=" ")
    with pytest.raises(NotAllowed):
        actions.examination_return(actor=examiner, examination=exam, reason="Saya sendiri")
    with pytest.raises(DomainError, match="sudah disetujui"):
        actions.examination_publish(actor=kepala, examination=exam)
    exam = actions.examination_return(actor=kepala, examination=exam, reason="Lengkapi bukti legalitas")
    assert exam.status == "draft" and exam.figures == {} and exam.submitted_at is None
    assert AuditLog.objects.filter(action="examination_return", summary__contains="bukti legalitas").exists()
