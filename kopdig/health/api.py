"""Health API: rubrics; examinations read by the Dinas of the kabupaten and, once published, by
the examined cooperative; the year's results. Lists answer {"items", "count"}."""

from __future__ import annotations

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kopdig.api.common import api_coop, page, responses
from kopdig.tenancy.access import dinas_kabupaten_ids

from . import selectors
from .models import Examination

router = Router(tags=["kesehatan"])
COOP_READERS = {"pengurus", "manajer", "pengawas"}


class Paging(Schema):
    limit: int = 100
    offset: int = 0


class RubricOut(Schema):
    code: str
    version: int
    name: str
    scheme: str
    cutoffs: dict
    cutoffs_unconfirmed: bool
    definition: dict


class ExamOut(Schema):
    code: str
    cooperative: str
    year: int
    version: int
    rubric: str
    rubric_version: int
    status: str
    figures_source: str
    total: str | None
    predicate: str
    kuk_class: int | None
    result: dict
    figures: dict


class RubricList(Schema):
    items: list[RubricOut]
    count: int


class ExamList(Schema):
    items: list[ExamOut]
    count: int


def rubric_out(r) -> dict:
    return {
        "code": r.code,
        "version": r.version,
        "name": r.name,
        "scheme": r.scheme,
        "cutoffs": {
            "sehat": str(r.cutoff_sehat),
            "cukup_sehat": str(r.cutoff_cukup),
            "dalam_pengawasan": str(r.cutoff_pengawasan),
        },
        "cutoffs_unconfirmed": r.cutoffs_unconfirmed,
        "definition": r.definition,
    }


def exam_out(e) -> dict:
    return {
        "code": e.code,
        "cooperative": e.cooperative.slug,
        "year": e.year,
        "version": e.version,
        "rubric": e.rubric.code,
        "rubric_version": e.rubric.version,
        "status": e.status,
        "figures_source": e.figures_source,
        "total": str(e.total) if e.total is not None else None,
        "predicate": e.predicate,
        "kuk_class": e.kuk_class,
        "result": e.result if e.is_frozen else {},
        "figures": e.figures if e.is_frozen else {},
    }


@router.get("/health/rubrics", response=responses(RubricList))
def rubrics(request, paging: Query[Paging]):
    """Every rubric version (reference data, readable by any signed-in user)."""
    return page(selectors.rubric_list(active_only=False), paging.limit, paging.offset, rubric_out)


def _kab(request):
    kab = dinas_kabupaten_ids(request.user)
    if not kab:
        raise HttpError(403, "Hanya petugas Dinas yang dapat membaca data ini.")
    return kab


class ExamFilter(Schema):
    year: int | None = None
    predicate: str = ""
    status: str = ""
    limit: int = 100
    offset: int = 0


@router.get("/dinas/health/examinations", response=responses(ExamList))
def dinas_examinations(request, f: Query[ExamFilter]):
    """Examinations of the officer's kabupaten (not superseded versions)."""
    qs = selectors.examination_list(_kab(request), year=f.year, predicate=f.predicate, status=f.status)
    return page(qs, f.limit, f.offset, exam_out)


@router.get("/dinas/health/results/{year}", response=responses(ExamList))
def dinas_results(request, year: int, paging: Query[Paging]):
    """The approved or published result per cooperative for a book year."""
    return page(selectors.latest_results(_kab(request), year), paging.limit, paging.offset, exam_out)


@router.get("/dinas/health/coops/{slug}/examinations/{code}", response=responses(ExamOut))
def dinas_examination(request, slug: str, code: str):
    return exam_out(selectors.examination_for_dinas(_kab(request), slug, code))


@router.get("/coops/{slug}/health/examinations", response=responses(ExamList))
def coop_examinations(request, slug: str, paging: Query[Paging]):
    """The cooperative's published examinations (pengurus, manajer, pengawas)."""
    access = api_coop(request, slug, COOP_READERS)
    return page(
        selectors.examinations_of(access.cooperative, published_only=True),
        paging.limit,
        paging.offset,
        exam_out,
    )


@router.get("/coops/{slug}/health/examinations/{code}", response=responses(ExamOut))
def coop_examination(request, slug: str, code: str):
    """One published examination of the cooperative (a draft or unpublished one answers 404)."""
    access = api_coop(request, slug, COOP_READERS)
    exam = selectors.examination_get(access.cooperative, code)
    if exam.status != Examination.Status.PUBLISHED:
        raise HttpError(404, "Tidak ditemukan.")
    return exam_out(exam)
