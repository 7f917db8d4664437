"""Health pages: the Dinas side (/dinas/kesehatan/…: lists, rubrics, the examiner's page with
live scores, approval, the report PDF, Excel) and the cooperative side (/k/<slug>/kesehatan/…:
published results, follow-ups to answer, self-assessment). Views validate, fetch through the
access helpers and selectors, and call one action."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdig.dinas import selectors as dinas_selectors
from kopdig.lib.documents import pdf_response, xlsx_response
from kopdig.lib.errors import DomainError
from kopdig.tenancy.access import APPROVERS, BOARD, coop_view, dinas_view
from kopdig.tenancy.models import Cooperative

from . import actions, charts, forms, scoring, selectors
from .models import Evidence, Examination, FollowUp, Predicate
from .rubrics import rubric_from_workbook

COOP_READERS = {"pengurus", "manajer", "pengawas"}


def _run(request, fn, **kwargs):
    """Call one action; a refusal becomes a message (nothing was written). Returns the result or None."""
    try:
        return fn(actor=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, str(exc))
        return None


def _year(request, default=None) -> int:
    try:
        return int(request.GET.get("year") or default or dinas_selectors.last_book_year())
    except ValueError:
        return dinas_selectors.last_book_year()


# --------------------------------------------------------------------------- Dinas lists


@dinas_view
def dinas_index(request):
    """Results of a book year: tiles by predicate, under supervision, pending approval, overdue
    follow-ups, a chart by predicate × jenis and × kecamatan, the list (Excel with KUK)."""
    kab, year = request.kabupaten_ids, _year(request)
    predicate = request.GET.get("predicate", "")
    results = selectors.latest_results(kab, year)
    rows = [e for e in results if not predicate or e.predicate == predicate]
    if request.GET.get("format") == "xlsx":
        return _export(rows, year)
    matrix = selectors.predicate_matrix(results)
    ctx = {
        "year": year,
        "years": list(range(year - 4, year + 2)),
        "predicate": predicate,
        "rows": rows,
        "tiles": [(p, label, sum(1 for e in results if e.predicate == p)) for p, label in Predicate.choices],
        "pending": selectors.pending_for_kepala(kab),
        "overdue": selectors.overdue_followups(kab),
        "never": selectors.never_examined(kab).count(),
        "drafts": selectors.examination_list(kab, status="draft")[:20],
        "chart_jenis": charts.predicate_bars(_("Predikat menurut jenis"), matrix["jenis"], _jenis_label),
        "chart_kecamatan": charts.predicate_bars(_("Predikat menurut kecamatan"), matrix["kecamatan"], str),
        "predicates": Predicate.choices,
    }
    return render(request, "health/dinas_index.html", ctx)


def _jenis_label(key):
    return dict(Cooperative.Jenis.choices).get(key, key)


def _export(rows, year):
    header = [
        _("Koperasi"),
        _("Jenis"),
        _("Kecamatan"),
        _("Tahun buku"),
        _("Versi"),
        _("Rubrik"),
        _("Skor total"),
        _("Predikat"),
        _("KUK"),
        _("Status"),
        _("Disetujui"),
    ]
    data = [
        (
            e.cooperative.name,
            e.cooperative.get_jenis_display(),
            e.cooperative.kecamatan.name if e.cooperative.kecamatan_id else "",
            e.year,
            e.version,
            e.rubric.code,
            e.total,
            e.get_predicate_display(),
            e.kuk_class or "",
            e.get_status_display(),
            e.approved_at.date().isoformat() if e.approved_at else "",
        )
        for e in rows
    ]
    return xlsx_response(f"kesehatan-koperasi-{year}.xlsx", [(f"Kesehatan {year}", header, data)])


@dinas_view
def never_examined(request):
    coops = selectors.never_examined(request.kabupaten_ids)
    return render(request, "health/never_examined.html", {"coops": coops[:500], "count": coops.count()})


@dinas_view
def coop_health(request, slug):
    """One cooperative: its examinations over the years (trend) and opening a new one."""
    coop = dinas_selectors.coop_get(request.kabupaten_ids, slug)
    form = forms.OpenForm(
        request.POST or None,
        initial={"year": dinas_selectors.last_book_year(), "rubric": selectors.rubric_for(coop)},
    )
    if request.method == "POST" and form.is_valid():
        exam = _run(
            request,
            actions.examination_open,
            cooperative=coop,
            year=form.cleaned_data["year"],
            rubric=form.cleaned_data["rubric"],
        )
        if exam:
            return redirect("health:exam", slug=coop.slug, code=exam.code)
    trend = selectors.trend(coop)
    chart = charts.trend_line(_("Skor total per tahun buku"), trend)
    return render(
        request,
        "health/coop_health.html",
        {"c": coop, "form": form, "trend": trend, "chart": chart, "exams": selectors.examinations_of(coop)},
    )


# --------------------------------------------------------------------------- the examination


def _exam(request, slug, code) -> Examination:
    return selectors.examination_for_dinas(request.kabupaten_ids, slug, code)


def _blocks(result, indicators, answers, evidence=None) -> list[dict]:
    """Per aspect, per indicator: the result, the rubric row, the answer and its item marks."""

    def row(r):
        ind, answer = indicators[r.code], answers.get(r.code, {})
        marks = [(item, (answer.get("items") or {}).get(item.code)) for item in ind.items.all()]
        return {
            "r": r,
            "ind": ind,
            "answer": answer,
            "marks": marks,
            "evidence": (evidence or {}).get(r.code, []),
        }

    return [{"aspect": a, "rows": [row(r) for r in a.indicators]} for a in result.aspects]


def exam_context(exam, result=None) -> dict:
    values, figs = selectors.examination_figures(exam)
    result = result or selectors.examination_result(exam, values)
    indicators = selectors.indicators_by_code(exam.rubric)
    answers, evidence = selectors.answers_of(exam), selectors.evidence_of(exam)
    blocks = _blocks(result, indicators, answers, evidence)
    figure_rows = (
        [(f.label, f.value, f.accounts, f.note) for f in figs.values()]
        if figs
        else [(scoring.FIGURES[n], values.get(n), [], "") for n in scoring.FIGURES]
    )
    return {
        "exam": exam,
        "c": exam.cooperative,
        "coop": None,
        "result": result,
        "blocks": blocks,
        "figure_rows": figure_rows,
        "followups": selectors.followups_of(exam),
        "today": timezone.localdate(),
        "predicate_label": dict(Predicate.choices).get(result.predicate, ""),
    }


@dinas_view
def exam_page(request, slug, code):
    exam = _exam(request, slug, code)
    ctx = exam_context(exam)
    ctx.update(
        {
            "kuk_form": forms.KukForm(initial={"kuk_class": exam.kuk_class, "summary": exam.summary}),
            "fu_form": forms.FollowUpForm(),
            "return_form": forms.ReturnForm(),
            "figures_form": forms.FiguresForm(initial=selectors.decode_figures(exam.figures)),
            "evidence_form": forms.EvidenceForm(),
        }
    )
    return render(request, "health/exam.html", ctx)


@dinas_view
@require_POST
def exam_answer(request, slug, code, indicator):
    """Save one indicator's answer; an HTMX call gets the indicator and the live scores back."""
    exam = _exam(request, slug, code)
    ind = selectors.indicators_by_code(exam.rubric).get(indicator)
    if ind is None:
        raise Http404
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        _run(
            request,
            actions.assessment_save,
            examination=exam,
            indicator_code=indicator,
            items=forms.item_marks(request.POST, ind),
            manual_score=form.cleaned_data["manual_score"],
            not_applicable=form.cleaned_data["not_applicable"],
            note=form.cleaned_data["note"],
        )
    else:
        messages.error(request, _("Skor manual bukan angka yang valid."))
    if not request.htmx:
        return redirect(reverse("health:exam", args=[slug, code]) + f"#ind-{indicator}")
    ctx = exam_context(exam)
    ctx["block_row"] = next(row for b in ctx["blocks"] for row in b["rows"] if row["r"].code == indicator)
    ctx["errors"] = [str(m) for m in messages.get_messages(request)]
    return render(request, "health/_answer_response.html", ctx)


def _post_action(request, slug, code, fn, ok_message, **kwargs):
    exam = _exam(request, slug, code)
    if _run(request, fn, examination=exam, **kwargs) is not None:
        messages.success(request, ok_message)
    return redirect("health:exam", slug=slug, code=code)


@dinas_view
@require_POST
def exam_figures(request, slug, code):
    form = forms.FiguresForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa kembali angka yang diisi."))
        return redirect("health:exam", slug=slug, code=code)
    return _post_action(
        request,
        slug,
        code,
        actions.examination_figures_set,
        _("Angka disimpan."),
        figures={k: v for k, v in form.cleaned_data.items() if k in request.POST},
    )


@dinas_view
@require_POST
def exam_kuk(request, slug, code):
    form = forms.KukForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("KUK harus 1–4."))
        return redirect("health:exam", slug=slug, code=code)
    return _post_action(
        request,
        slug,
        code,
        actions.examination_update,
        _("Disimpan."),
        kuk_class=form.cleaned_data["kuk_class"],
        summary=form.cleaned_data["summary"],
    )


@dinas_view
@require_POST
def exam_evidence(request, slug, code, indicator):
    form = forms.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas bukti."))
        return redirect("health:exam", slug=slug, code=code)
    return _post_action(
        request,
        slug,
        code,
        actions.evidence_add,
        _("Bukti diunggah."),
        indicator_code=indicator,
        upload=form.cleaned_data["file"],
        item_code=form.cleaned_data["item_code"],
    )


@dinas_view
def exam_evidence_file(request, slug, code, evidence):
    exam = _exam(request, slug, code)
    ev = Evidence.objects.filter(cooperative=exam.cooperative, examination=exam, code=evidence).first()
    if ev is None:
        raise Http404
    return FileResponse(ev.file.open("rb"), content_type=ev.content_type, filename=ev.name)


@dinas_view
@require_POST
def exam_submit(request, slug, code):
    return _post_action(
        request, slug, code, actions.examination_submit, _("Pemeriksaan diajukan untuk persetujuan.")
    )


@dinas_view
@require_POST
def exam_approve(request, slug, code):
    return _post_action(request, slug, code, actions.examination_approve, _("Pemeriksaan disetujui."))


@dinas_view
@require_POST
def exam_return(request, slug, code):
    form = forms.ReturnForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _post_action(
        request, slug, code, actions.examination_return, _("Pemeriksaan dikembalikan."), reason=reason
    )


@dinas_view
@require_POST
def exam_publish(request, slug, code):
    return _post_action(
        request, slug, code, actions.examination_publish, _("Hasil dipublikasikan ke koperasi.")
    )


@dinas_view
@require_POST
def exam_new_version(request, slug, code):
    exam = _exam(request, slug, code)
    new = _run(request, actions.examination_new_version, examination=exam)
    return redirect("health:exam", slug=slug, code=new.code if new else code)


@dinas_view
@require_POST
def followup_add(request, slug, code):
    form = forms.FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isi rekomendasi dan batas waktunya."))
        return redirect("health:exam", slug=slug, code=code)
    return _post_action(
        request,
        slug,
        code,
        actions.followup_add,
        _("Tindak lanjut ditambahkan."),
        recommendation=form.cleaned_data["recommendation"],
        deadline=form.cleaned_data["deadline"],
    )


@dinas_view
@require_POST
def followup_close(request, slug, code, followup):
    exam = _exam(request, slug, code)
    fu = FollowUp.objects.filter(cooperative=exam.cooperative, examination=exam, code=followup).first()
    if fu is None:
        raise Http404
    if _run(request, actions.followup_close, followup=fu, done=request.POST.get("done", "1") == "1"):
        messages.success(request, _("Status tindak lanjut diperbarui."))
    return redirect("health:exam", slug=slug, code=code)


def _report(request, exam):
    ctx = exam_context(exam)
    ctx["coop"] = exam.cooperative
    ctx["signatures"] = [(_("Pemeriksa"), exam.examiner.display_name)] + (
        [(_("Menyetujui"), exam.approved_by.display_name)] if exam.approved_by_id else []
    )
    return pdf_response(
        "health/report.html",
        ctx,
        f"pemeriksaan-{exam.cooperative.slug}-{exam.year}-v{exam.version}.pdf",
        request,
    )


@dinas_view
def exam_pdf(request, slug, code):
    return _report(request, _exam(request, slug, code))


# --------------------------------------------------------------------------- rubrics


@dinas_view
def rubric_list(request):
    form = forms.RubricImportForm()
    return render(
        request, "health/rubrics.html", {"rubrics": selectors.rubric_list(active_only=False), "form": form}
    )


@dinas_view
@require_POST
def rubric_import(request):
    form = forms.RubricImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas rubrik."))
        return redirect("health:rubrics")
    upload = form.cleaned_data["file"]
    try:
        data = rubric_from_workbook(upload) if upload.name.lower().endswith(".xlsx") else json.load(upload)
    except (ValueError, KeyError, OSError) as exc:
        messages.error(request, _("Berkas tidak dapat dibaca: %(e)s") % {"e": exc})
        return redirect("health:rubrics")
    rubric = _run(request, actions.rubric_import, data=data)
    if rubric:
        messages.success(request, _("Rubrik %(name)s dimuat.") % {"name": rubric})
    return redirect("health:rubrics")


@dinas_view
def rubric_detail(request, code, version):
    rubric = selectors.rubric_get(code, version)
    return render(
        request,
        "health/rubric_detail.html",
        {"rubric": rubric, "aspects": rubric.aspects.prefetch_related("indicators__items")},
    )


# --------------------------------------------------------------------------- cooperative side


@coop_view(COOP_READERS)
def coop_index(request):
    coop = request.coop
    return render(
        request,
        "health/coop_index.html",
        {
            "exams": selectors.examinations_of(coop, published_only=True),
            "followups": selectors.followups_for_coop(coop),
            "today": timezone.localdate(),
            "can_answer": request.access.has(BOARD),
            "answer_form": forms.FollowUpAnswerForm(),
        },
    )


def _published(request, code) -> Examination:
    exam = selectors.examination_get(request.coop, code)
    if not exam.is_visible_to_cooperative:
        raise Http404
    return exam


@coop_view(COOP_READERS)
def coop_exam(request, code):
    return render(
        request, "health/coop_exam.html", exam_context(_published(request, code)) | {"coop": request.coop}
    )


@coop_view(COOP_READERS)
def coop_exam_pdf(request, code):
    return _report(request, _published(request, code))


@coop_view(BOARD)
@require_POST
def coop_followup_answer(request, followup):
    fu = (
        FollowUp.objects.filter(cooperative=request.coop, code=followup).select_related("examination").first()
    )
    if fu is None or not fu.examination.is_visible_to_cooperative:
        raise Http404
    form = forms.FollowUpAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tanggapan tidak boleh kosong."))
    elif _run(request, actions.followup_answer, followup=fu, response=form.cleaned_data["response"]):
        messages.success(request, _("Tanggapan terkirim ke Dinas."))
    return redirect("health:coop_index", slug=request.coop.slug)


@coop_view(APPROVERS)
def coop_self_assessment(request):
    """A dry run of a rubric from the cooperative's own books and the answers posted in the
    form: nothing is stored, nothing is sent to the Dinas."""
    coop = request.coop
    if not coop.on_kopdig:
        raise PermissionDenied
    form = forms.SelfAssessmentForm(
        request.POST or request.GET or None,
        initial={"year": dinas_selectors.last_book_year(), "rubric": selectors.rubric_for(coop)},
    )
    rubric = form.cleaned_data["rubric"] if form.is_valid() else selectors.rubric_for(coop)
    year = form.cleaned_data["year"] if form.is_valid() else dinas_selectors.last_book_year()
    if rubric is None:
        return render(request, "health/self_assessment.html", {"form": form, "no_rubric": True})
    indicators = selectors.indicators_by_code(rubric)
    answers = {code: {"items": forms.item_marks(request.POST, ind)} for code, ind in indicators.items()}
    result, figs = selectors.self_assessment(coop, year, rubric, answers)
    blocks = _blocks(result, indicators, answers)
    return render(
        request,
        "health/self_assessment.html",
        {
            "form": form,
            "result": result,
            "blocks": blocks,
            "year": year,
            "rubric": rubric,
            "figure_rows": [(f.label, f.value, f.accounts, f.note) for f in figs.values()],
            "predicate_label": dict(Predicate.choices).get(result.predicate, ""),
        },
    )
