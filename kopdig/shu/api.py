"""SHU API: simulate with an allocation (no write), and one member's SHU for a year."""

from __future__ import annotations

from ninja import Field, Router, Schema
from ninja.errors import HttpError

from kopdig.api.common import Choice, Limit, Offset, Rate, SignedMoney, Text, Year, api_coop, page, responses
from kopdig.tenancy.access import ALL_COOP, READERS

from . import engine, selectors
from .models import ShuMemberShare, ShuYear

router = Router(tags=["shu"])


class ShuAllocationLineIn(Schema):
    name: Text(100, min_length=1)
    percent: Rate
    role: Choice(engine.ROLES)
    account: Text(40) = ""


class ShuSimulateIn(Schema):
    year: Year
    shu: SignedMoney | None = None
    allocation: list[ShuAllocationLineIn] | None = Field(default=None, max_length=50)
    tax_percent: Rate | None = None


class ShuPoolOut(Schema):
    name: str
    role: str
    percent: str
    amount: str


class ShuMemberSimOut(Schema):
    number: str
    simpanan: str
    transaksi: str
    jm: str
    ju: str
    total: str
    tax: str
    net: str


class ShuSimulationOut(Schema):
    year: int
    shu: str
    member_shu: str
    non_member_shu: str
    pools: list[ShuPoolOut]
    non_member_pools: list[ShuPoolOut]
    jm_pool: str
    ju_pool: str
    members: list[ShuMemberSimOut]


class ShuShareOut(Schema):
    number: str
    name: str
    status: str
    simpanan: str
    transaksi: str
    jm: str
    ju: str
    total: str
    tax: str
    net: str
    receipt_number: str
    paid_on: str | None


class ShuShareList(Schema):
    items: list[ShuShareOut]
    count: int


class ShuShareDetailOut(ShuShareOut):
    year: int
    rat_date: str | None
    rat_reference: str


@router.post("/coops/{slug}/shu/simulate", response=responses(ShuSimulationOut))
def simulate(request, slug: str, data: ShuSimulateIn):
    """Pools and every member's JM, JU and total (decimal strings) for the year; writes nothing.

    Refused (422) when the allocation does not total exactly 100 or lacks exactly one
    jasa_modal and one jasa_usaha line."""
    access = api_coop(request, slug, READERS)
    coop = access.cooperative
    lines = None
    if data.allocation is not None:
        lines = [engine.AllocLine(ln.name, ln.percent, ln.role, ln.account) for ln in data.allocation]
        engine.validate_lines(lines)
    sy = selectors.shu_year_get(coop, data.year) or ShuYear(cooperative=coop, year=data.year)
    sim = selectors.simulate(coop, sy, lines=lines, shu_override=data.shu, tax_percent=data.tax_percent)
    r = sim.result
    return {
        "year": data.year,
        "shu": str(r.shu),
        "member_shu": str(r.member_shu),
        "non_member_shu": str(r.non_member_shu),
        "pools": [
            {"name": ln.name, "role": ln.role, "percent": str(ln.percent), "amount": str(ln.amount)}
            for ln in r.lines
        ],
        "non_member_pools": [
            {"name": ln.name, "role": ln.role, "percent": str(ln.percent), "amount": str(ln.amount)}
            for ln in r.non_member_lines
        ],
        "jm_pool": str(r.jm_pool),
        "ju_pool": str(r.ju_pool),
        "members": [
            {
                "number": m.key,
                "simpanan": str(m.simpanan),
                "transaksi": str(m.transaksi),
                "jm": str(m.jm),
                "ju": str(m.ju),
                "total": str(m.total),
                "tax": str(m.tax),
                "net": str(m.net),
            }
            for m in r.members
        ],
    }


def _share_out(share) -> dict:
    return {
        "number": share.member.number,
        "name": share.member.name,
        "status": share.status,
        "simpanan": str(share.simpanan),
        "transaksi": str(share.transaksi),
        "jm": str(share.jm),
        "ju": str(share.ju),
        "total": str(share.total),
        "tax": str(share.tax),
        "net": str(share.net),
        "receipt_number": share.receipt_number,
        "paid_on": share.paid_on.isoformat() if share.paid_on else None,
    }


@router.get("/coops/{slug}/shu/{year}/members", response=responses(ShuShareList))
def member_shares(request, slug: str, year: Year, limit: Limit = 100, offset: Offset = 0):
    """The approved per-member SHU of the year, in member-number order: {"items", "count"}."""
    access = api_coop(request, slug, READERS, dinas_read=True)
    qs = (
        ShuMemberShare.objects.filter(cooperative=access.cooperative, shu_year__year=year)
        .select_related("member")
        .order_by("member__number")
    )
    return page(qs, limit, offset, _share_out)


@router.get("/coops/{slug}/shu/{year}/members/{number}", response=responses(ShuShareDetailOut))
def member_share(request, slug: str, year: Year, number: str):
    """A member's approved SHU for the year: readers and the Dinas (like the list); an anggota
    only their own."""
    access = api_coop(request, slug, ALL_COOP, dinas_read=True)
    coop = access.cooperative
    share = (
        ShuMemberShare.objects.select_related("member", "shu_year")
        .filter(cooperative=coop, shu_year__year=year, member__number=number)
        .first()
    )
    if share is None or (access.role == "anggota" and share.member.user_id != request.user.pk):
        raise HttpError(404, "Tidak ditemukan.")
    sy = share.shu_year
    return {
        "year": year,
        **_share_out(share),
        "rat_date": sy.rat_date.isoformat() if sy.rat_date else None,
        "rat_reference": sy.rat_reference,
    }
