"""Dinas API: the registry, a cooperative's annual figures with their sources, RAT compliance.
Dinas officers only (others 403); a cooperative outside the officer's kabupaten answers 404."""

from __future__ import annotations

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kopdig.api.common import Choice, Limit, Offset, Text, Year, page, responses
from kopdig.tenancy.access import dinas_kabupaten_ids
from kopdig.tenancy.models import Cooperative

from . import selectors

router = Router(tags=["dinas"])


def _kab(request) -> set[int]:
    kab = dinas_kabupaten_ids(request.user)
    if not kab:
        raise HttpError(403, "Hanya petugas Dinas yang dapat mengakses data ini.")
    return kab


class CoopFilters(Schema):
    kecamatan: Text(100) = ""  # region code or name
    jenis: Text(40) = ""
    kelompok: Text(40) = ""
    status: Choice(["", *Cooperative.Status.values]) = ""
    q: Text(150) = ""
    on_kopdig: Choice(["", "1", "0"]) = ""
    limit: Limit = 100
    offset: Offset = 0


class DinasCoopOut(Schema):
    slug: str
    name: str
    nik: str
    badan_hukum_number: str
    jenis: str
    kelompok: str
    status: str
    kecamatan: str | None
    kecamatan_code: str | None
    desa: str | None
    on_kopdig: bool
    phone: str


class DinasCoopList(Schema):
    items: list[DinasCoopOut]
    count: int


def _coop_out(c) -> dict:
    return {
        "slug": c.slug,
        "name": c.name,
        "nik": c.nik,
        "badan_hukum_number": c.badan_hukum_number,
        "jenis": c.jenis,
        "kelompok": c.kelompok,
        "status": c.status,
        "kecamatan": c.kecamatan.name if c.kecamatan_id else None,
        "kecamatan_code": c.kecamatan.code if c.kecamatan_id else None,
        "desa": c.desa.name if c.desa_id else None,
        "on_kopdig": c.on_kopdig,
        "phone": c.phone,
    }


@router.get("/dinas/coops", response=responses(DinasCoopList))
def dinas_coops(request, filters: Query[CoopFilters]):
    """The registry of the officer's kabupaten, filtered (kecamatan by code or name)."""
    kab = _kab(request)
    f = filters.dict()
    kec = f.pop("kecamatan")
    limit, offset = f.pop("limit"), f.pop("offset")
    qs = selectors.coop_list(kab, f)
    if kec:
        qs = qs.filter(kecamatan__code=kec) if kec[:1].isdigit() else qs.filter(kecamatan__name__iexact=kec)
    return page(qs, limit, offset, _coop_out)


class FigureOut(Schema):
    value: str | int | None
    source: str | None


class AnnualOut(Schema):
    slug: str
    year: int
    rat_held: bool
    rat_date: str | None
    figures: dict[str, FigureOut]
    notes: list[str]


@router.get("/dinas/coops/{slug}/annual/{year}", response=responses(AnnualOut))
def dinas_coop_annual(request, slug: str, year: Year):
    """One cooperative's figures for a book year; each with its source: ``books`` or ``reported``.
    Money as strings with two decimals."""
    kab = _kab(request)
    coop = Cooperative.objects.filter(slug=slug, kabupaten_id__in=kab).first()
    if coop is None:
        raise HttpError(404, "Tidak ditemukan.")
    a = selectors.annual_figures(coop, year)
    figures = {}
    for name, f in a.figures.items():
        value = f.value
        if value is not None and name in selectors.MONEY_FIGURES:
            value = f"{value:.2f}"
        figures[name] = {"value": value, "source": f.source}
    return {
        "slug": coop.slug,
        "year": year,
        "rat_held": a.rat_held,
        "rat_date": a.rat_date.isoformat() if a.rat_date else None,
        "figures": figures,
        "notes": a.notes,
    }


class RatRowOut(Schema):
    slug: str
    name: str
    held: bool
    held_on: str | None
    on_time: bool | None
    missed: bool
    missed_years: int
    tidak_aktif_candidate: bool
    status: str
    suggested_status: str | None


class RatOut(Schema):
    year: int
    deadline: str
    deadline_months: int
    expected: int
    held: int
    on_time: int
    late: int
    missed: int
    tidak_aktif_candidates: int
    items: list[RatRowOut]
    count: int


@router.get("/dinas/rat-compliance/{year}", response=responses(RatOut))
def dinas_rat_compliance(request, year: Year, limit: Limit = 100, offset: Offset = 0):
    """RAT compliance of the kabupaten for a book year: summary plus the cooperatives (limit/offset)."""
    kab = _kab(request)
    months = selectors.deadline_months(kab)
    rows = selectors.rat_compliance(kab, year, months=months)
    paged = page(
        rows,
        limit,
        offset,
        lambda r: {
            "slug": r.cooperative.slug,
            "name": r.cooperative.name,
            "held": r.held,
            "held_on": r.held_on.isoformat() if r.held_on else None,
            "on_time": r.on_time,
            "missed": r.missed,
            "missed_years": r.missed_years,
            "tidak_aktif_candidate": r.tidak_aktif_candidate,
            "status": r.cooperative.status,
            "suggested_status": r.suggested_status,
        },
    )
    return {
        "year": year,
        "deadline": selectors.rat_deadline(year, months).isoformat(),
        "deadline_months": months,
        "expected": len(rows),
        "held": sum(r.held for r in rows),
        "on_time": sum(1 for r in rows if r.held and r.on_time is not False),
        "late": sum(1 for r in rows if r.on_time is False),
        "missed": sum(r.missed for r in rows),
        "tidak_aktif_candidates": sum(r.tidak_aktif_candidate for r in rows),
        **paged,
    }
