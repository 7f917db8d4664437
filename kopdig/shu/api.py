"""SHU API: simulate with an allocation (no write), and one member's SHU for a year."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.errors import HttpError

from kopdig.api.common import api_coop, page
from kopdig.lib.money import D
from kopdig.tenancy.access import ALL_COOP, READERS

from . import engine, selectors
from .models import ShuMemberShare, ShuYear

router = Router(tags=["shu"])


class LineIn(Schema):
    name: str
    percent: str | float | int
    role: str
    account: str = ""


class SimulateIn(Schema):
    year: int
    shu: str | None = None
    allocation: list[LineIn] | None = None
    tax_percent: str | None = None


def _dec(value, what):
    if isinstance(value, float):
        value = repr(value)
    try:
        return D(value)
    except (ValueError, TypeError):
        raise engine.AllocationInvalid(f"{what} '{value}' bukan angka yang valid.") from None


@router.post("/coops/{slug}/shu/simulate")
def simulate(request, slug: str, data: SimulateIn):
    """Pools and every member's JM, JU and total (decimal strings) for the year; writes nothing.

    Refused (422) when the allocation does not total exactly 100 or lacks exactly one
    jasa_modal and one jasa_usaha line."""
    access = api_coop(request, slug, READERS)
    coop = access.cooperative
    lines = None
    if data.allocation is not None:
        lines = [engine.AllocLine(ln.name, _dec(ln.percent, "Persentase"), ln.role, ln.account) for ln in data.allocation]
        engine.validate_lines(lines)
    sy = selectors.shu_year_get(coop, data.year) or ShuYear(cooperative=coop, year=data.year)
    sim = selectors.simulate(
        coop, sy, lines=lines, shu_override=_dec(data.shu, "SHU") if data.shu not in (None, "") else None,
        tax_percent=_dec(data.tax_percent, "Pajak") if data.tax_percent not in (None, "") else None,
    )
    r = sim.result
    return {
        "year": data.year,
        "shu": str(r.shu),
        "member_shu": str(r.member_shu),
        "non_member_shu": str(r.non_member_shu),
        "pools": [{"name": ln.name, "role": ln.role, "percent": str(ln.percent), "amount": str(ln.amount)}
                  for ln in r.lines],
        "non_member_pools": [{"name": ln.name, "role": ln.role, "percent": str(ln.percent), "amount": str(ln.amount)}
                             for ln in r.non_member_lines],
        "jm_pool": str(r.jm_pool),
        "ju_pool": str(r.ju_pool),
        "members": [{"number": m.key, "simpanan": str(m.simpanan), "transaksi": str(m.transaksi), "jm": str(m.jm),
                     "ju": str(m.ju), "total": str(m.total), "tax": str(m.tax), "net": str(m.net)}
                    for m in r.members],
    }


def _share_out(share) -> dict:
    return {
        "number": share.member.number, "name": share.member.name, "status": share.status,
        "simpanan": str(share.simpanan), "transaksi": str(share.transaksi), "jm": str(share.jm), "ju": str(share.ju),
        "total": str(share.total), "tax": str(share.tax), "net": str(share.net),
        "receipt_number": share.receipt_number, "paid_on": share.paid_on.isoformat() if share.paid_on else None,
    }


@router.get("/coops/{slug}/shu/{year}/members")
def member_shares(request, slug: str, year: int, limit: int = 100, offset: int = 0):
    """The approved per-member SHU of the year, in member-number order: {"items", "count"}."""
    access = api_coop(request, slug, READERS, dinas_read=True)
    qs = (ShuMemberShare.objects.filter(cooperative=access.cooperative, shu_year__year=year)
          .select_related("member").order_by("member__number"))
    return page(qs, limit, offset, _share_out)


@router.get("/coops/{slug}/shu/{year}/members/{number}")
def member_share(request, slug: str, year: int, number: str):
    """A member's approved SHU for the year (an anggota may read only their own)."""
    access = api_coop(request, slug, ALL_COOP)
    coop = access.cooperative
    share = (ShuMemberShare.objects.select_related("member", "shu_year")
             .filter(cooperative=coop, shu_year__year=year, member__number=number).first())
    if share is None or (access.role == "anggota" and share.member.user_id != request.user.pk):
        raise HttpError(404, "Tidak ditemukan.")
    sy = share.shu_year
    return {"year": year, **_share_out(share), "rat_date": sy.rat_date.isoformat() if sy.rat_date else None,
            "rat_reference": sy.rat_reference}
