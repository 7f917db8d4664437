"""Members API: list/search, admit (POST → member_admit), detail by member number."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db.models import Q
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AfterValidator

from kopdig.api.common import Choice, EventDate, Limit, Offset, Text, api_coop, event_dates, page, responses
from kopdig.api.idempotency import run_once
from kopdig.lib import validation
from kopdig.tenancy.access import ALL_COOP, READERS, STAFF
from kopdig.tenancy.models import Region

from . import actions
from .models import Member

router = Router(tags=["anggota"])


class MemberOut(Schema):
    number: str
    nik: str
    name: str
    gender: Choice(Member.Gender.values)
    birth_place: str
    birth_date: str | None
    address: str
    kecamatan: str | None
    desa: str | None
    phone: str
    occupation: str
    heir_name: str
    heir_relation: str
    member_class: str
    status: Choice(Member.Status.values)
    joined_on: str
    left_on: str | None


class MemberList(Schema):
    items: list[MemberOut]
    count: int


REGION_CODE = r"^[0-9]{2}(\.[0-9]{2}){1,2}(\.[0-9]{4})?$"


def _birth_date(value: dt.date | None):
    return (
        validation.date_between(value, "birth_date", validation.EARLIEST, timezone.localdate())
        if value
        else None
    )


class MemberIn(Schema):
    nik: Text(16, min_length=16, pattern=r"^[0-9]{16}$")
    name: Text(150, min_length=1)
    gender: Choice(Member.Gender.values)
    joined_on: EventDate | None = None
    status: Choice(Member.Status.values) = "aktif"
    birth_place: Text(80) = ""
    birth_date: Annotated[dt.date, AfterValidator(_birth_date)] | None = None
    address: Text(255) = ""
    kecamatan: Text(13, pattern=REGION_CODE) | None = None  # region code, e.g. 35.13.14
    desa: Text(13, pattern=REGION_CODE) | None = None  # region code, e.g. 35.13.14.2001
    phone: Text(20) = ""
    occupation: Text(100) = ""
    heir_name: Text(150) = ""
    heir_relation: Text(50) = ""
    member_class: Text(30) = ""


class ListQuery(Schema):
    limit: Limit = 100
    offset: Offset = 0
    search: Text(150) = ""
    status: Choice(["", *Member.Status.values]) = ""


def member_out(m: Member) -> dict:
    return {
        "number": m.number,
        "nik": m.nik,
        "name": m.name,
        "gender": m.gender,
        "birth_place": m.birth_place,
        "birth_date": m.birth_date.isoformat() if m.birth_date else None,
        "address": m.address,
        "kecamatan": m.kecamatan.name if m.kecamatan_id else None,
        "desa": m.desa.name if m.desa_id else None,
        "phone": m.phone,
        "occupation": m.occupation,
        "heir_name": m.heir_name,
        "heir_relation": m.heir_relation,
        "member_class": m.member_class,
        "status": m.status,
        "joined_on": m.joined_on.isoformat(),
        "left_on": m.left_on.isoformat() if m.left_on else None,
    }


def visible_member(access, request, number: str) -> Member:
    """The member by number; an anggota sees only themself (others answer 404)."""
    qs = Member.objects.select_related("kecamatan", "desa").filter(
        cooperative=access.cooperative, number=number
    )
    if access.role == "anggota":
        qs = qs.filter(user=request.user)
    member = qs.first()
    if member is None:
        raise HttpError(404, "Tidak ditemukan.")
    return member


@router.get("/coops/{slug}/members", response=responses(MemberList))
def member_list(request, slug: str, params: Query[ListQuery]):
    """Members of the cooperative (staff and pengawas), searchable by name, number or NIK."""
    access = api_coop(request, slug, READERS, dinas_read=True)
    qs = (
        Member.objects.filter(cooperative=access.cooperative)
        .select_related("kecamatan", "desa")
        .order_by("number")
    )
    if params.search:
        s = params.search.strip()
        qs = qs.filter(Q(name__icontains=s) | Q(number__icontains=s) | Q(nik__startswith=s))
    if params.status:
        qs = qs.filter(status=params.status)
    return page(qs, params.limit, params.offset, member_out)


def _region(code, level):
    if not code:
        return None
    region = Region.objects.filter(code=code, level=level).first()
    if region is None:
        raise HttpError(422, f"Kode wilayah {code} tidak dikenal.")
    return region


@router.post("/coops/{slug}/members", response=responses({201: MemberOut}, 409))
def member_create(request, slug: str, data: MemberIn):
    """Admit a member (member_admit: NIK check, number, simpanan pokok posted). Honors Idempotency-Key."""
    access = api_coop(request, slug, STAFF)
    coop = access.cooperative
    event_dates(coop, joined_on=data.joined_on)
    body = data.dict()

    def fn():
        fields = {
            k: v
            for k, v in body.items()
            if k in actions.EDIT_FIELDS and k not in ("kecamatan", "desa", "name", "gender")
        }
        member = actions.member_admit(
            actor=request.user,
            cooperative=coop,
            nik=data.nik,
            name=data.name,
            gender=data.gender,
            joined_on=data.joined_on,
            status=data.status,
            kecamatan=_region(data.kecamatan, Region.Level.KECAMATAN),
            desa=_region(data.desa, Region.Level.DESA),
            **fields,
        )
        return 201, member_out(member)

    return Status(
        *run_once(
            user=request.user,
            cooperative=coop,
            endpoint="members.create",
            key=request.headers.get("Idempotency-Key"),
            body=body,
            fn=fn,
        )
    )


@router.get("/coops/{slug}/members/{number}", response=responses(MemberOut))
def member_detail(request, slug: str, number: str):
    access = api_coop(request, slug, ALL_COOP, dinas_read=True)
    return member_out(visible_member(access, request, number))
