"""SHU pages: the year's settings and simulation (HTMX recompute), the close/approve/allocate/
distribute buttons, the per-member table with its Excel export, SHU slips, volume import."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdig.api.idempotency import run_once
from kopdig.lib.documents import pdf_response, read_xlsx_rows, xlsx_response
from kopdig.lib.errors import DomainError
from kopdig.lib.money import D
from kopdig.lib.tokens import form_token
from kopdig.tenancy.access import ALL_COOP, APPROVERS, BOARD, READERS, STAFF, coop_view

from . import actions, engine, selectors
from .models import MemberVolume, ShuAllocationLine, ShuMemberShare, ShuYear
from .tasks import shu_distribute_task

PAGE = 100
SIMPANAN_KINDS = [("pokok", "Simpanan pokok"), ("wajib", "Simpanan wajib"), ("sukarela", "Simpanan sukarela")]
TARGETS = [
    "cadangan",
    "dana_shu_anggota",
    "dana_pengurus",
    "dana_karyawan",
    "dana_pendidikan",
    "dana_sosial",
    "dana_pdk",
    "shu_belum_dibagi",
]


def pct_str(value) -> str:
    """40.0000 -> '40', 2.5000 -> '2.5' (for form inputs)."""
    text = f"{D(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _year_or_new(coop, year: int) -> ShuYear:
    sy = selectors.shu_year_get(coop, year)
    return sy if sy is not None else ShuYear(cooperative=coop, year=year)


def _parse_lines(post, prefix: str) -> list[engine.AllocLine]:
    names = post.getlist(f"{prefix}_name")
    percents = post.getlist(f"{prefix}_percent")
    roles = post.getlist(f"{prefix}_role")
    accounts = post.getlist(f"{prefix}_account")
    out = []
    for i, name in enumerate(names):
        pct = (percents[i] if i < len(percents) else "").strip().replace(",", ".")
        if not name.strip() and not pct:
            continue
        try:
            percent = D(pct or "0")
        except ValueError:
            raise engine.AllocationInvalid(
                _("Persentase '%(v)s' pada baris '%(n)s' tidak valid.") % {"v": pct, "n": name}
            ) from None
        out.append(
            engine.AllocLine(
                name.strip(),
                percent,
                roles[i] if i < len(roles) else "other",
                accounts[i] if i < len(accounts) else "",
            )
        )
    return out


def _parse_settings(post) -> dict:
    override = post.get("shu_override", "").strip().replace(",", ".")
    try:
        out = {
            "lines": _parse_lines(post, "line"),
            "non_member_lines": _parse_lines(post, "nm"),
            "tax_percent": D(post.get("tax_percent") or "0"),
            "jasa_weight": D(post.get("jasa_weight") or "50"),
            "shu_override": D(override) if override else None,
        }
    except ValueError:
        raise engine.AllocationInvalid(_("Angka pada pengaturan SHU tidak valid.")) from None
    out["clear_override"] = not override
    out["simpanan_kinds"] = post.getlist("simpanan_kinds") or ["pokok", "wajib"]
    out["simpanan_basis"] = post.get("simpanan_basis") or ShuYear.SimpananBasis.AVERAGE
    out["transaksi_basis"] = post.get("transaksi_basis") or ShuYear.TransaksiBasis.JASA
    out["volume_kinds"] = post.getlist("volume_kinds")
    out["separate_non_member"] = post.get("separate_non_member") == "on"
    return out


def _apply_unsaved(sy: ShuYear, s: dict) -> ShuYear:
    """A copy of the year with the form's settings applied (not saved)."""
    tmp = ShuYear(**{f.attname: getattr(sy, f.attname) for f in ShuYear._meta.concrete_fields})
    tmp.shu_override = s["shu_override"]
    tmp.tax_percent = s["tax_percent"]
    tmp.jasa_weight = s["jasa_weight"]
    tmp.simpanan_kinds = ",".join(s["simpanan_kinds"])
    tmp.simpanan_basis = s["simpanan_basis"]
    tmp.transaksi_basis = s["transaksi_basis"]
    tmp.volume_kinds = ",".join(s["volume_kinds"])
    tmp.separate_non_member = s["separate_non_member"]
    return tmp


def _sim_context(request, coop, sy: ShuYear, *, settings: dict | None = None) -> dict:
    """The simulation (or the approved shares) for the page's table."""
    ctx = {"sim": None, "sim_error": None, "shares_page": None}
    if sy.pk and sy.status in (ShuYear.Status.APPROVED, ShuYear.Status.ALLOCATED, ShuYear.Status.DISTRIBUTED):
        ctx["shares_page"] = Paginator(selectors.shares_list(coop, sy), PAGE).get_page(
            request.GET.get("page")
        )
        ctx["share_totals"] = selectors.share_totals(coop, sy)
        ctx["status_counts"] = selectors.status_counts(coop, sy)
        ctx["pool_lines"] = list(sy.lines.all())
        return ctx
    try:
        if settings is not None:
            tmp = _apply_unsaved(sy, settings)
            sim = selectors.simulate(
                coop, tmp, lines=settings["lines"], non_member_lines=settings["non_member_lines"]
            )
        else:
            sim = selectors.simulate(coop, sy)
    except DomainError as exc:
        ctx["sim_error"] = str(exc)
        ctx["books"] = selectors.book_figures(coop, sy.year, sy if sy.pk else None)
        return ctx
    ctx["sim"] = sim
    ctx["books"] = sim.books
    ctx["totals"] = sim.result.totals
    rows = list(sim.rows())
    ctx["sim_page"] = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    ctx["member_count"] = len(rows)
    return ctx


@coop_view(READERS, dinas_read=True)
def index(request):
    coop = request.coop
    years = list(ShuYear.objects.filter(cooperative=coop).order_by("-year"))
    this_year = timezone.localdate().year
    known = {y.year for y in years}
    suggestions = [y for y in (this_year, this_year - 1) if y not in known]
    return render(request, "shu/index.html", {"years": years, "suggestions": suggestions})


@coop_view(READERS, dinas_read=True)
def year_detail(request, year: int):
    coop = request.coop
    if year < 1990 or year > timezone.localdate().year:
        raise Http404
    sy = _year_or_new(coop, year)
    if request.method == "POST":
        if not request.access.has(APPROVERS):
            raise PermissionDenied
        try:
            s = _parse_settings(request.POST)
            actions.shu_year_save(actor=request.user, cooperative=coop, year=year, **s)
            messages.success(request, _("Pengaturan SHU disimpan."))
            return redirect("shu:year", coop.slug, year)
        except DomainError as exc:
            messages.error(request, str(exc))
    lines = selectors.allocation_lines(sy if sy.pk else None)
    nm_lines = selectors.allocation_lines(sy if sy.pk else None, ShuAllocationLine.Pool.NON_ANGGOTA)
    for ln in (*lines, *nm_lines):
        ln.percent_str = pct_str(ln.percent)
    ctx = {
        "tax_str": pct_str(sy.tax_percent),
        "weight_str": pct_str(sy.jasa_weight),
        "sy": sy,
        "year": year,
        "lines": lines,
        "nm_lines": nm_lines,
        "roles": ShuAllocationLine.Role.choices,
        "targets": TARGETS,
        "simpanan_kinds": SIMPANAN_KINDS,
        "volume_kind_choices": MemberVolume.Kind.choices,
        "can_edit": request.access.has(APPROVERS) and not sy.is_locked_for_settings,
        "can_close": request.access.has(APPROVERS),
        "can_board": request.access.has(BOARD),
        "can_pay": request.access.has(STAFF),
        "year_ended": timezone.localdate() > dt.date(year, 12, 31),
        "today": timezone.localdate(),
        "form_token": form_token(),
        "volume_count": MemberVolume.objects.filter(cooperative=coop, year=year).count(),
    }
    ctx.update(_sim_context(request, coop, sy))
    return render(request, "shu/year.html", ctx)


@coop_view(READERS)
@require_POST
def recompute(request, year: int):
    """HTMX: recompute the simulation from the form's (unsaved) settings."""
    coop = request.coop
    sy = _year_or_new(coop, year)
    try:
        s = _parse_settings(request.POST)
        engine.validate_lines(s["lines"])
        ctx = _sim_context(request, coop, sy, settings=s)
    except DomainError as exc:
        ctx = {
            "sim": None,
            "sim_error": str(exc),
            "books": selectors.book_figures(coop, year, sy if sy.pk else None),
        }
    ctx.update({"sy": sy, "year": year, "unsaved": True})
    return render(request, "shu/_simulation.html", ctx)


def _action(request, fn, ok_message, **kwargs):
    """Run the action once per form token (a double submit does not run it twice: the second
    submit gets the first one's outcome), and report the outcome as a message."""

    token = (request.POST.get("token") or "").strip() or None
    body = {k: str(v) for k, v in kwargs.items()}

    def call():
        fn(actor=request.user, cooperative=request.coop, **kwargs)
        return 200, {}

    try:
        run_once(
            user=request.user,
            cooperative=request.coop,
            endpoint=f"ui:{fn.__name__}:{body.get('year', '')}:{body.get('number', '')}",
            key=token,
            body=body,
            fn=call,
        )
        messages.success(request, ok_message)
    except DomainError as exc:
        messages.error(request, str(exc))


@coop_view(APPROVERS)
@require_POST
def close(request, year: int):
    _action(request, actions.shu_year_close, _("Tahun buku %(y)s ditutup.") % {"y": year}, year=year)
    return redirect("shu:year", request.coop.slug, year)


@coop_view(BOARD)
@require_POST
def reopen(request, year: int):
    _action(
        request,
        actions.shu_year_reopen,
        _("Tahun buku %(y)s dibuka kembali.") % {"y": year},
        year=year,
        reason=request.POST.get("reason", "").strip(),
    )
    return redirect("shu:year", request.coop.slug, year)


@coop_view(BOARD)
@require_POST
def approve(request, year: int):
    try:
        rat_date = dt.date.fromisoformat(request.POST.get("rat_date", ""))
    except ValueError:
        messages.error(request, _("Tanggal keputusan RAT tidak valid."))
        return redirect("shu:year", request.coop.slug, year)
    _action(
        request,
        actions.shu_approve,
        _("Keputusan RAT dicatat; bagian SHU anggota ditetapkan."),
        year=year,
        rat_date=rat_date,
        rat_reference=request.POST.get("rat_reference", ""),
    )
    return redirect("shu:year", request.coop.slug, year)


@coop_view(APPROVERS)
@require_POST
def allocate(request, year: int):
    _action(request, actions.shu_allocate, _("Alokasi SHU diposting."), year=year)
    return redirect("shu:year", request.coop.slug, year)


INLINE_LIMIT = 2000


@coop_view(APPROVERS)
@require_POST
def distribute(request, year: int):
    coop = request.coop
    method = request.POST.get("method") or ShuYear.Method.TUNAI
    try:
        date = dt.date.fromisoformat(request.POST.get("date") or timezone.localdate().isoformat())
    except ValueError:
        messages.error(request, _("Tanggal pembagian tidak valid."))
        return redirect("shu:year", coop.slug, year)
    count = ShuMemberShare.objects.filter(cooperative=coop, shu_year__year=year).count()
    if count <= INLINE_LIMIT:
        _action(request, actions.shu_distribute, _("SHU dibagikan."), year=year, method=method, date=date)
    else:
        shu_distribute_task.enqueue(coop.slug, year, request.user.pk, method, date.isoformat())
        messages.success(
            request, _("Pembagian SHU berjalan di latar belakang; kemajuannya tampil di halaman ini.")
        )
    return redirect("shu:year", coop.slug, year)


@coop_view(STAFF)
@require_POST
def pay(request, year: int, number: str):
    _action(
        request,
        actions.shu_share_pay,
        _("SHU anggota %(n)s dibayar.") % {"n": number},
        year=year,
        number=number,
    )
    return redirect("shu:year", request.coop.slug, year)


def _table_rows(coop, sy):
    if sy.pk and sy.status in (ShuYear.Status.APPROVED, ShuYear.Status.ALLOCATED, ShuYear.Status.DISTRIBUTED):
        for s in selectors.shares_list(coop, sy).iterator(chunk_size=2000):
            yield [
                s.member.number,
                s.member.name,
                s.simpanan,
                s.transaksi,
                s.jm,
                s.ju,
                s.total,
                s.tax,
                s.net,
                s.get_status_display(),
                s.receipt_number,
            ]
        return
    sim = selectors.simulate(coop, sy)
    for m, name, status, _left in sim.rows():
        yield [m.key, name, m.simpanan, m.transaksi, m.jm, m.ju, m.total, m.tax, m.net, status, ""]


@coop_view(READERS, dinas_read=True)
def export(request, year: int):
    coop = request.coop
    sy = _year_or_new(coop, year)
    header = [
        _("No. anggota"),
        _("Nama"),
        _("Simpanan"),
        _("Transaksi"),
        _("Jasa modal"),
        _("Jasa usaha"),
        _("Jumlah SHU"),
        _("Pajak"),
        _("Diterima"),
        _("Status"),
        _("No. bukti"),
    ]
    try:
        rows = list(_table_rows(coop, sy))
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("shu:year", coop.slug, year)
    return xlsx_response(f"shu-{coop.slug}-{year}.xlsx", [(f"SHU {year}", header, rows)])


@coop_view(ALL_COOP)
def slip(request, year: int, number: str):
    coop = request.coop
    share = (
        ShuMemberShare.objects.select_related("member", "shu_year")
        .filter(cooperative=coop, shu_year__year=year, member__number=number)
        .first()
    )
    if share is None:
        raise Http404
    if request.access.role == "anggota" and share.member.user_id != request.user.pk:
        raise Http404
    return pdf_response(
        "shu/slip.html",
        {"share": share, "sy": share.shu_year, "coop": coop, "lines": list(share.shu_year.lines.all())},
        f"slip-shu-{year}-{number}.pdf",
        request,
    )


@coop_view(STAFF)
def volumes(request, year: int):
    coop = request.coop
    if request.method == "POST":
        if not request.access.has(APPROVERS):
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Pilih berkas Excel."))
        else:
            try:
                _header, rows = read_xlsx_rows(upload)
                n = actions.member_volume_import(actor=request.user, cooperative=coop, year=year, rows=rows)
                messages.success(request, _("%(n)s baris volume transaksi diimpor.") % {"n": n})
                return redirect("shu:volumes", coop.slug, year)
            except DomainError as exc:
                messages.error(request, str(exc))
            except Exception:
                messages.error(request, _("Berkas bukan file Excel (.xlsx) yang dapat dibaca."))
    qs = (
        MemberVolume.objects.filter(cooperative=coop, year=year)
        .select_related("member")
        .order_by("member__number", "kind")
    )
    return render(
        request,
        "shu/volumes.html",
        {
            "year": year,
            "page": Paginator(qs, PAGE).get_page(request.GET.get("page")),
            "kinds": MemberVolume.Kind.choices,
            "can_edit": request.access.has(APPROVERS),
        },
    )


@coop_view(STAFF)
def volume_template(request, year: int):
    return xlsx_response(
        f"volume-{year}.xlsx",
        [("Volume", ["no_anggota", "jenis", "jumlah"], [["00001", "pembelian", 1500000]])],
    )
