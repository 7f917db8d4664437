"""Programmes API: events, participants, attendance check-in, certificate verification, reach.
Dinas officers of the kabupaten only (others 403); another kabupaten's event answers 404.
Certificate verification is public."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kopdig.api.common import page, responses
from kopdig.tenancy.access import dinas_kabupaten_ids

from . import actions, cohorts, selectors

router = Router(tags=["program"])


def _kab(request) -> set[int]:
    kab = dinas_kabupaten_ids(request.user)
    if not kab:
        raise HttpError(403, "Hanya petugas Dinas yang dapat mengakses data ini.")
    return kab


class EventFilters(Schema):
    year: int | None = None
    kind: str = ""
    limit: int = 100
    offset: int = 0


class ProgramEventOut(Schema):
    code: str
    kind: str
    title: str
    start_date: dt.date
    end_date: dt.date
    venue: str
    kecamatan: str | None
    capacity: int | None
    registered: int
    status: str


class ProgramEventList(Schema):
    items: list[ProgramEventOut]
    count: int


def _event_out(e) -> dict:
    return {
        "code": e.code,
        "kind": e.kind,
        "title": e.title,
        "start_date": e.start_date,
        "end_date": e.end_date,
        "venue": e.venue,
        "kecamatan": e.kecamatan.name if e.kecamatan_id else None,
        "capacity": e.capacity,
        "registered": e.n_registered,
        "status": e.status,
    }


@router.get("/dinas/program/events", response=responses(ProgramEventList))
def event_list(request, filters: Query[EventFilters]):
    """Programme events of the officer's kabupaten, newest first."""
    if filters.year is not None and not 1900 <= filters.year <= 2100:
        raise HttpError(422, "Tahun harus 1900–2100.")
    qs = selectors.event_list(_kab(request), year=filters.year, kind=filters.kind)
    return page(qs, filters.limit, filters.offset, _event_out)


class ParticipantOut(Schema):
    person: str
    name: str
    gender: str
    birth_year: int
    cooperative: str | None
    organisation: str | None
    role: str
    status: str
    days_attended: int
    certificate_number: str


class ParticipantList(Schema):
    items: list[ParticipantOut]
    count: int


class Paging(Schema):
    limit: int = 100
    offset: int = 0


def _participant_out(p) -> dict:
    return {
        "person": p.person.code,
        "name": p.person.name,
        "gender": p.person.gender,
        "birth_year": p.person.birth_date.year,
        "cooperative": p.cooperative.slug if p.cooperative_id else None,
        "organisation": p.person.organisation.name if p.person.organisation_id else None,
        "role": p.role,
        "status": p.status,
        "days_attended": p.days,
        "certificate_number": p.certificate_number,
    }


@router.get("/dinas/program/events/{code}/participants", response=responses(ParticipantList))
def participant_list(request, code: str, paging: Query[Paging]):
    event = selectors.event_get(_kab(request), code)
    return page(selectors.participants(event), paging.limit, paging.offset, _participant_out)


class CheckInIn(Schema):
    token: str
    day: dt.date | None = None


class CheckInOut(Schema):
    name: str
    day: dt.date
    created: bool
    days_attended: int


@router.post("/dinas/program/events/{code}/check-in", response=responses(CheckInOut))
def check_in(request, code: str, data: CheckInIn):
    """Record a participant's attendance from their QR token (the same scan twice changes nothing,
    so a client may retry without an Idempotency-Key)."""
    event = selectors.event_get(_kab(request), code)
    p = actions.participation_by_token(data.token.strip())
    if p is None:
        raise HttpError(404, "QR tidak dikenal.")
    day = data.day or timezone.localdate()
    _att, created = actions.attendance_check_in(actor=request.user, event=event, participation=p, day=day)
    return {"name": p.person.name, "day": day, "created": created, "days_attended": p.attendances.count()}


class VerifyOut(Schema):
    valid: bool
    number: str
    name: str | None = None
    event: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None


@router.get("/program/certificates/verify", response=responses(VerifyOut), auth=None)
def verify(request, n: str, c: str):
    """Public: is certificate number ``n`` with code ``c`` genuine? Only name, event and dates."""
    p = selectors.certificate_find(n[:40])
    if p is None or not cohorts.certificate_valid(n[:40], c[:20], actions.certificate_key()):
        return {"valid": False, "number": n[:40]}
    return {
        "valid": True,
        "number": p.certificate_number,
        "name": p.person.name,
        "event": p.event.title,
        "start_date": p.event.start_date,
        "end_date": p.event.end_date,
    }


class CountRow(Schema):
    key: str
    label: str
    n: int


class GenerationRow(Schema):
    key: str
    label: str
    n: int
    share: Decimal


class ReachOut(Schema):
    year: int
    events: int
    participations: int
    cooperatives: int
    never_reached: int
    people: int
    women: int
    men: int
    youth: int
    by_jenis: list[CountRow]
    by_kelompok: list[CountRow]
    by_kecamatan: list[CountRow]
    generations: list[GenerationRow]
    member_generations: list[GenerationRow]


@router.get("/dinas/program/reach/{year}", response=responses(ReachOut))
def reach(request, year: int):
    """The programme's reach in a year (cooperatives by jenis, kelompok, kecamatan; people by
    gender, generation and youth, beside the members of cooperatives on Kopdig)."""
    if not 1900 <= year <= 2100:
        raise HttpError(422, "Tahun harus 1900–2100.")
    r = selectors.reach(_kab(request), year)
    people = r["people"]
    return {
        "year": year,
        "events": r["events"],
        "participations": r["participations"],
        "cooperatives": len(r["coops"]),
        "never_reached": r["never_reached_n"],
        "people": people["n"],
        "women": people["gender"]["P"],
        "men": people["gender"]["L"],
        "youth": people["youth"],
        "by_jenis": r["by_jenis"],
        "by_kelompok": r["by_kelompok"],
        "by_kecamatan": r["by_kecamatan"],
        "generations": people["generations"],
        "member_generations": r["baseline"]["members"],
    }
