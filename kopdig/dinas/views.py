"""Dinas pages: dashboard, registry, annual data, RAT compliance, settings; the invitation page;
the pengurus's own report to the Dinas. Views validate input and call one action."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdig.api.idempotency import run_once
from kopdig.lib import charts, validation
from kopdig.lib.documents import xlsx_response
from kopdig.lib.errors import DomainError
from kopdig.lib.tokens import form_token
from kopdig.tenancy.access import coop_view, dinas_view, public_view
from kopdig.tenancy.actions import cooperative_register
from kopdig.tenancy.models import Cooperative, Region

from . import actions, importer, selectors
from .forms import (
    AnnualReportForm,
    CooperativeForm,
    ImportForm,
    InviteForm,
    OfficerForm,
    RatForm,
    RegisterForm,
    SettingsForm,
    StaffForm,
    StatusForm,
)
from .models import FIGURE_LABELS, FIGURES, CoopOfficer, CoopStaff

PAGE_SIZE = 50


def _list_url(**params) -> str:
    return (
        reverse("dinas:coop_list") + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})
    )


def _kabupaten(request) -> Region:
    return Region.objects.get(pk=sorted(request.kabupaten_ids)[0])


# ---------------------------------------------------------------- dashboard


@dinas_view
def home(request):
    """Regency overview: counts, RAT compliance, totals and trends, each chart with its table."""
    d = selectors.dashboard_snapshot(request.kabupaten_ids)
    year = d["book_year"]
    millions = [
        {
            **t,
            "aset_m": int(t["aset"] / 1_000_000),
            "volume_m": int(t["volume_usaha"] / 1_000_000),
            "shu_m": int(t["shu"] / 1_000_000),
        }
        for t in d["totals"]
    ]
    charts_ = {
        "status": charts.pie(_("Status koperasi"), d["by_status"], href=lambda r: _list_url(status=r["key"])),
        "jenis": charts.bar(
            _("Menurut jenis"), d["by_jenis"], horizontal=True, href=lambda r: _list_url(jenis=r["key"])
        ),
        "kelompok": charts.bar(
            _("Menurut kelompok"),
            d["by_kelompok"],
            horizontal=True,
            href=lambda r: _list_url(kelompok=r["key"]),
        ),
        "kecamatan": charts.bar(
            _("Menurut kecamatan"),
            d["by_kecamatan"],
            horizontal=True,
            href=lambda r: _list_url(kecamatan=r["key"]),
        ),
        "kopdig": charts.pie(
            _("Pembukuan di Kopdig"),
            [
                {"key": "1", "label": _("Di Kopdig"), "n": d["on_kopdig"]},
                {"key": "0", "label": _("Belum di Kopdig"), "n": d["not_on_kopdig"]},
            ],
            href=lambda r: _list_url(on_kopdig=r["key"]),
        ),
        "rat": charts.line(
            _("Kepatuhan RAT (%)"),
            d["years"],
            [
                (
                    _("RAT diadakan"),
                    [float(r["rate"]) if r["rate"] is not None else None for r in d["rat_trend"]],
                ),
            ],
            show_legend=False,
        ),
        "members": charts.line(
            _("Jumlah anggota"),
            d["years"],
            [(_("Anggota"), [t["anggota"] for t in d["totals"]])],
            show_legend=False,
        ),
        "money": charts.line(
            _("Aset dan volume usaha (juta rupiah)"),
            d["years"],
            [
                (_("Aset"), [m["aset_m"] for m in millions]),
                (_("Volume usaha"), [m["volume_m"] for m in millions]),
            ],
        ),
        "shu": charts.line(
            _("SHU (juta rupiah)"),
            d["years"],
            [(_("SHU"), [m["shu_m"] for m in millions])],
            show_legend=False,
        ),
    }
    return render(
        request,
        "dinas/home.html",
        {"d": d, "charts": charts_, "year": year, "list_url": reverse("dinas:coop_list")},
    )


# ---------------------------------------------------------------- registry


def _filters(request) -> dict:
    return {k: request.GET.get(k, "").strip() for k in selectors.REGISTRY_FILTERS}


@dinas_view
def coop_list(request):
    filters = _filters(request)
    qs = selectors.coop_list(request.kabupaten_ids, filters)
    if request.GET.get("format") == "xlsx":
        return _export_registry(request, list(qs))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    last_rat = selectors.last_rat_years([c.pk for c in page.object_list])
    for c in page.object_list:
        c.last_rat = last_rat.get(c.pk)
    kab = request.kabupaten_ids
    ctx = {
        "page": page,
        "filters": filters,
        "kecamatan": Region.objects.filter(parent_id__in=kab).order_by("name"),
        "desa": Region.objects.filter(parent__code=filters["kecamatan"], parent__parent_id__in=kab).order_by(
            "name"
        )
        if filters["kecamatan"]
        else [],
        "jenis": Cooperative.Jenis.choices,
        "kelompok": Cooperative.Kelompok.choices,
        "statuses": Cooperative.Status.choices,
        "years": _years(),
    }
    return render(request, "dinas/coop_list.html", ctx)


def _years(n=10):
    last = selectors.last_book_year()
    return list(range(last, last - n, -1))


def _export_registry(request, coops):
    year = selectors.last_book_year()
    last_rat = selectors.last_rat_years([c.pk for c in coops])
    figures = {f.cooperative.pk: f for f in selectors.annual_table(request.kabupaten_ids, year, coops=coops)}
    rows = list(importer.export_rows(coops, last_rat, figures))
    return xlsx_response(
        f"registri-koperasi-{timezone.localdate():%Y%m%d}.xlsx",
        [(f"Koperasi {year}", importer.COLUMNS, rows)],
    )


def _form_kwargs(request):
    return {"kabupaten_ids": request.kabupaten_ids}


def _registry_fields(cleaned):
    return {k: v for k, v in cleaned.items() if k in actions.UPDATABLE_FIELDS or k == "on_kopdig"}


@dinas_view
def coop_register(request):
    """Register a new cooperative in the regency's registry."""
    form = RegisterForm(request.POST or None, **_form_kwargs(request))
    if request.method == "POST" and form.is_valid():
        data = _registry_fields(form.cleaned_data)
        name, jenis = data.pop("name"), data.pop("jenis")
        kab = data["kecamatan"].parent if data.get("kecamatan") else _kabupaten(request)
        try:
            coop = cooperative_register(actor=request.user, kabupaten=kab, name=name, jenis=jenis, **data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Koperasi terdaftar. Undang pengurus pertamanya ke Kopdig."))
            return redirect("dinas:coop_invite", slug=coop.slug)
    return render(request, "dinas/coop_form.html", {"form": form, "title": _("Daftarkan koperasi baru")})


@dinas_view
def coop_detail(request, slug):
    coop = selectors.coop_get(request.kabupaten_ids, slug)
    years = _years()
    ctx = {
        "c": coop,
        "officers": list(CoopOfficer.objects.filter(cooperative=coop)),
        "staff": list(CoopStaff.objects.filter(cooperative=coop)),
        "annual": selectors.annual_history(coop, years),
        "rat": selectors.suggested_status(coop),
        "history": selectors.coop_history(coop),
        "officer_form": OfficerForm(),
        "staff_form": StaffForm(),
        "rat_form": RatForm(),
        "status_form": StatusForm(initial={"status": coop.status}),
        "figure_labels": FIGURE_LABELS.values(),
    }
    return render(request, "dinas/coop_detail.html", ctx)


@dinas_view
def coop_edit(request, slug):
    coop = selectors.coop_get(request.kabupaten_ids, slug)
    form = CooperativeForm(
        request.POST or None, initial=CooperativeForm.initial_from(coop), **_form_kwargs(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.cooperative_update(
                actor=request.user, cooperative=coop, **_registry_fields(form.cleaned_data)
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Data registri disimpan."))
            return redirect("dinas:coop_detail", slug=coop.slug)
    return render(
        request, "dinas/coop_form.html", {"form": form, "title": _("Ubah data registri"), "c": coop}
    )


def _once(request, coop, name, data: dict, fn):
    """Run ``fn(data)`` once per form token (a double submit does nothing more)."""
    data = dict(data)
    token = data.pop("token", "") or None

    def call():
        fn(data)
        return 200, {}

    run_once(user=request.user, cooperative=coop, endpoint=f"ui:{name}", key=token, body=data, fn=call)


def _post_action(request, slug, form_class, fn):
    coop = selectors.coop_get(request.kabupaten_ids, slug)
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errs in form.errors.items():
            messages.error(
                request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errs)}"
            )
    else:
        try:
            _once(request, coop, form_class.__name__, form.cleaned_data, lambda d: fn(coop, d))
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Tersimpan."))
    return redirect("dinas:coop_detail", slug=coop.slug)


def _delete_action(request, slug, fn):
    """Run a delete action on a registry child row and go back to the cooperative's page."""
    coop = selectors.coop_get(request.kabupaten_ids, slug)
    try:
        fn(coop)
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("dinas:coop_detail", slug=coop.slug)


@require_POST
@dinas_view
def officer_add(request, slug):
    return _post_action(
        request,
        slug,
        OfficerForm,
        lambda c, d: actions.coop_officer_save(actor=request.user, cooperative=c, **d),
    )


@require_POST
@dinas_view
def officer_delete(request, slug, code):
    return _delete_action(
        request, slug, lambda c: actions.coop_officer_delete(actor=request.user, cooperative=c, code=code)
    )


@require_POST
@dinas_view
def staff_add(request, slug):
    return _post_action(
        request, slug, StaffForm, lambda c, d: actions.coop_staff_save(actor=request.user, cooperative=c, **d)
    )


@require_POST
@dinas_view
def staff_delete(request, slug, code):
    return _delete_action(
        request, slug, lambda c: actions.coop_staff_delete(actor=request.user, cooperative=c, code=code)
    )


@require_POST
@dinas_view
def rat_add(request, slug):
    return _post_action(
        request, slug, RatForm, lambda c, d: actions.rat_record_save(actor=request.user, cooperative=c, **d)
    )


@require_POST
@dinas_view
def rat_delete(request, slug, year):
    return _delete_action(
        request, slug, lambda c: actions.rat_record_delete(actor=request.user, cooperative=c, year=year)
    )


@require_POST
@dinas_view
def status_confirm(request, slug):
    return _post_action(
        request,
        slug,
        StatusForm,
        lambda c, d: actions.cooperative_status_confirm(actor=request.user, cooperative=c, **d),
    )


@dinas_view
def annual_edit(request, slug, year):
    coop = selectors.coop_get(request.kabupaten_ids, slug)
    return _annual_form(request, coop, year, reverse("dinas:coop_detail", args=[coop.slug]))


def _annual_form(request, coop, year, back):
    if coop.on_kopdig:
        messages.info(request, _("Koperasi ini membukukan di Kopdig: angkanya dihitung dari pembukuan."))
        return redirect(back)
    current = selectors.annual_figures(coop, year)
    initial = {name: f.value for name, f in current.figures.items()}
    form = AnnualReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.annual_report_save(actor=request.user, cooperative=coop, year=year, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Data tahunan disimpan."))
            return redirect(back)
    return render(request, "dinas/annual_form.html", {"form": form, "c": coop, "year": year, "back": back})


@dinas_view
def coop_invite(request, slug):
    """Invite the cooperative's first pengurus: a login with a one-time link to set the password."""
    coop = selectors.coop_get(request.kabupaten_ids, slug)
    form = InviteForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():
        try:
            _inv, raw = actions.pengurus_invite(
                actor=request.user,
                cooperative=coop,
                link_base=request.build_absolute_uri("/").rstrip("/"),
                **form.cleaned_data,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            link = request.build_absolute_uri(reverse("dinas:invitation", args=[raw]))
    return render(request, "dinas/invite.html", {"form": form, "c": coop, "link": link})


# ---------------------------------------------------------------- import


IMPORT_DIR = "dinas-import"


def _import_path(request, token):
    if not token.isalnum():
        raise Http404
    return f"{IMPORT_DIR}/{request.user.pk}-{token}.xlsx"


@dinas_view
def coop_import(request):
    """Upload a Dinas spreadsheet → preview (row by row validation) → confirm. A refused file writes nothing."""
    kab = _kabupaten(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = token = None
    if request.method == "POST" and "confirm" in request.POST:
        token = request.POST.get("token", "")
        path = _import_path(request, token)
        if not default_storage.exists(path):
            messages.error(request, _("Berkas impor tidak ditemukan; unggah lagi."))
            return redirect("dinas:coop_import")
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            raise Http404 from None
        with default_storage.open(path, "rb") as fh:
            plan = importer.parse(fh, kabupaten=kab, year=year)
        try:
            result = importer.registry_import(actor=request.user, kabupaten=kab, plan=plan)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            default_storage.delete(path)
            messages.success(
                request, _("Impor selesai: %(created)s koperasi baru, %(updated)s diubah.") % result
            )
            return redirect("dinas:coop_list")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        token = form_token()
        default_storage.save(_import_path(request, token), ContentFile(data))
        plan = importer.parse(io.BytesIO(data), kabupaten=kab, year=form.cleaned_data["year"])
        if plan.errors:  # a refused file cannot be confirmed: keep nothing of it
            default_storage.delete(_import_path(request, token))
            token = None
    return render(
        request,
        "dinas/import.html",
        {"form": form, "plan": plan, "token": token, "columns": importer.COLUMNS},
    )


@dinas_view
def import_template(request):
    return xlsx_response("format-impor-koperasi.xlsx", [("Koperasi", importer.COLUMNS, [])])


# ---------------------------------------------------------------- annual data and RAT of the regency


@dinas_view
def annual_latest(request):
    return redirect("dinas:annual_year", year=selectors.last_book_year())


def _valid_year(year: int) -> int:
    """A book year in lib.validation's range, else 404."""
    try:
        return validation.year(year)
    except validation.InvalidValue:
        raise Http404 from None


@dinas_view
def annual_year(request, year):
    """All cooperatives' figures for one book year (the ODS sheet); ?format=xlsx exports it."""
    _valid_year(year)
    rows = selectors.annual_table(request.kabupaten_ids, year)
    if request.GET.get("format") == "xlsx":
        return _export_annual(rows, year)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dinas/annual_year.html",
        {"page": page, "year": year, "years": _years(), "figure_labels": FIGURE_LABELS.values()},
    )


ODS_COLUMNS = [
    "No",
    "Nama Koperasi",
    "NIK",
    "No. Badan Hukum",
    "Tanggal Badan Hukum",
    "NPWP",
    "Alamat",
    "Desa",
    "Kecamatan",
    "Jenis",
    "Kelompok",
    "Bentuk",
    "KBLI",
    "Status",
    "RAT",
    "Tanggal RAT",
    "Anggota L",
    "Anggota P",
    "Manajer",
    "Karyawan",
    "Modal Sendiri",
    "Modal Luar",
    "Aset",
    "Volume Usaha",
    "SHU",
    "Sumber Data",
]


def _export_annual(rows, year):
    out = []
    for i, r in enumerate(rows, start=1):
        c = r.cooperative
        sources = {f.source for f in r.figures.values() if f.source}
        out.append(
            [
                i,
                c.name,
                c.nik,
                c.badan_hukum_number,
                c.badan_hukum_date,
                c.npwp,
                c.address,
                c.desa.name if c.desa_id else "",
                c.kecamatan.name if c.kecamatan_id else "",
                c.get_jenis_display(),
                c.get_kelompok_display(),
                c.get_bentuk_display(),
                c.kbli,
                c.get_status_display(),
                "Ya" if r.rat_held else "Tidak",
                r.rat_date,
                *[r.figures[name].value for name in FIGURES],
                {"books": "Pembukuan Kopdig", "reported": "Dilaporkan"}.get(sources.pop(), "")
                if len(sources) == 1
                else ", ".join(sorted(sources)),
            ]
        )
    return xlsx_response(f"data-koperasi-{year}.xlsx", [(f"ODS {year}", ODS_COLUMNS, out)])


@dinas_view
def rat_page(request):
    """RAT compliance for a book year: held by the deadline, late, missed, three years missed."""
    try:
        year = _valid_year(int(request.GET.get("year") or selectors.last_book_year()))
    except ValueError:
        raise Http404 from None
    rows = selectors.rat_compliance(request.kabupaten_ids, year)
    show = request.GET.get("show", "")
    summary = {
        "expected": len(rows),
        "on_time": sum(1 for r in rows if r.held and r.on_time is not False),
        "late": sum(1 for r in rows if r.on_time is False),
        "missed": sum(1 for r in rows if r.missed),
        "pending": sum(1 for r in rows if not r.held and not r.due),
        "candidates": sum(1 for r in rows if r.tidak_aktif_candidate),
    }
    filters = {
        "held": lambda r: r.held,
        "late": lambda r: r.on_time is False,
        "missed": lambda r: r.missed,
        "candidates": lambda r: r.tidak_aktif_candidate,
        "mismatch": lambda r: r.suggested_status and r.suggested_status != r.cooperative.status,
    }
    if show in filters:
        rows = [r for r in rows if filters[show](r)]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dinas/rat.html",
        {
            "page": page,
            "year": year,
            "years": _years(),
            "summary": summary,
            "show": show,
            "deadline": selectors.rat_deadline(year, selectors.deadline_months(request.kabupaten_ids)),
            "months": selectors.deadline_months(request.kabupaten_ids),
        },
    )


@dinas_view
def settings_page(request):
    kab = _kabupaten(request)
    current = selectors.dinas_settings(kab.pk)
    form = SettingsForm(request.POST or None, initial={"rat_deadline_months": current.rat_deadline_months})
    if request.method == "POST" and form.is_valid():
        try:
            actions.dinas_settings_update(actor=request.user, kabupaten=kab, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Pengaturan disimpan."))
            return redirect("dinas:settings")
    return render(request, "dinas/settings.html", {"form": form, "kab": kab})


# ---------------------------------------------------------------- invitation (public) and the pengurus's report


@public_view
def invitation(request, token):
    """The invitee sets a password (once) and lands on the cooperative's home page."""
    try:
        inv = actions.invitation_get(token)
    except actions.InvitationInvalid as exc:
        return render(request, "dinas/invitation.html", {"invalid": str(exc)}, status=404)
    form = SetPasswordForm(inv.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, coop = actions.invitation_accept(
                token=token,
                new_password1=form.cleaned_data["new_password1"],
                new_password2=form.cleaned_data["new_password2"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Kata sandi dibuat. Selamat datang di Kopdig."))
            return redirect("coop_home", slug=coop.slug)
    return render(request, "dinas/invitation.html", {"form": form, "inv": inv})


invitation.kopdig_public = True  # the invitee has no login yet; the one-time token is the credential


@coop_view({"pengurus"})
def coop_report(request):
    """The cooperative's own report to the Dinas: RAT held and (when not on Kopdig) annual figures."""
    coop = request.coop
    years = _years(5)
    form = RatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _once(
                request,
                coop,
                "rat_record_save",
                form.cleaned_data,
                lambda d: actions.rat_record_save(actor=request.user, cooperative=coop, **d),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("RAT dicatat."))
            return redirect("dinas:coop_report", slug=coop.slug)
    return render(
        request,
        "dinas/coop_report.html",
        {
            "annual": selectors.annual_history(coop, years),
            "form": form,
            "figure_labels": FIGURE_LABELS.values(),
            "staff": list(CoopStaff.objects.filter(cooperative=coop)),
            "staff_form": StaffForm(),
        },
    )


@coop_view({"pengurus"})
@require_POST
def coop_report_staff(request):
    """The pengurus keeps the cooperative's manajer/karyawan list (counted in the annual data)."""
    form = StaffForm(request.POST)
    if form.is_valid():
        try:
            _once(
                request,
                request.coop,
                "coop_staff_save",
                form.cleaned_data,
                lambda d: actions.coop_staff_save(actor=request.user, cooperative=request.coop, **d),
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Tersimpan."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("dinas:coop_report", slug=request.coop.slug)


@coop_view({"pengurus"})
@require_POST
def coop_report_staff_delete(request, code):
    try:
        actions.coop_staff_delete(actor=request.user, cooperative=request.coop, code=code)
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("dinas:coop_report", slug=request.coop.slug)


@coop_view({"pengurus"})
def coop_report_annual(request, year):
    return _annual_form(request, request.coop, year, reverse("dinas:coop_report", args=[request.coop.slug]))
