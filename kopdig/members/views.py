"""Member pages under /k/<slug>/anggota/. Views validate and call one action; they never save models."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdig.api.idempotency import run_once
from kopdig.lib.documents import UploadRefused, pdf_response, read_xlsx_rows, xlsx_response
from kopdig.lib.errors import DomainError
from kopdig.lib.tokens import form_token
from kopdig.savings import selectors as savings_selectors
from kopdig.tenancy.access import APPROVERS, READERS, STAFF, coop_view
from kopdig.tenancy.models import Region

from . import actions, selectors
from .forms import AdmitForm, EditForm, ExitForm, ImportForm, LoginForm
from .models import Member


def _member_or_404(request, number) -> Member:
    member = selectors.member_get(request.coop, number)
    if member is None:
        raise Http404
    return member


def _detail(request, member):
    return redirect("members:detail", request.coop.slug, member.number)


@coop_view(READERS, dinas_read=True)
def member_list(request):
    g = request.GET
    qs = selectors.member_list(
        request.coop,
        search=g.get("q", ""),
        status=g.get("status", ""),
        kecamatan=g.get("kecamatan", ""),
        gender=g.get("gender", ""),
    )
    if g.get("format") == "xlsx":
        sheet = ("Anggota", selectors.EXPORT_COLUMNS, selectors.export_rows(qs))
        return xlsx_response(f"anggota-{request.coop.slug}.xlsx", [sheet])
    page = Paginator(qs, 50).get_page(g.get("page"))
    kecamatan = Region.objects.filter(parent=request.coop.kabupaten).order_by("name")
    return render(
        request,
        "members/list.html",
        {
            "page": page,
            "statuses": Member.Status.choices,
            "kecamatan": kecamatan,
            "q": g.get("q", ""),
            "can_write": request.access.has(STAFF),
        },
    )


@coop_view(STAFF)
def member_search(request):
    """HTMX partial: members matching ?q= (teller screen and anywhere a member is picked)."""
    q = request.GET.get("q", "").strip()
    members = list(selectors.member_list(request.coop, search=q, status="aktif")[:15]) if len(q) >= 2 else []
    return render(
        request,
        "members/_search_results.html",
        {"members": members, "q": q, "target": request.GET.get("target", "teller")},
    )


@coop_view(STAFF)
def member_admit(request):
    form = AdmitForm(
        request.POST or None,
        cooperative=request.coop,
        initial={
            "joined_on": timezone.localdate(),
            "token": form_token(),
            "status": "aktif",
            "kecamatan": request.coop.kecamatan_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        token = d.pop("token")

        def go():
            m = actions.member_admit(actor=request.user, cooperative=request.coop, **d)
            return 201, {"number": m.number}

        try:
            _s, payload = run_once(
                user=request.user,
                cooperative=request.coop,
                endpoint="ui:member_admit",
                key=token,
                body=request.POST.dict(),
                fn=go,
            )
            messages.success(request, _("Anggota baru diterima; simpanan pokok tercatat."))
            return redirect("members:detail", request.coop.slug, payload["number"])
        except DomainError as exc:
            form.add_error(None, str(exc))
    return render(request, "members/form.html", {"form": form, "title": _("Penerimaan anggota baru")})


@coop_view(READERS | {"anggota"}, dinas_read=True)
def member_detail(request, number):
    member = _member_or_404(request, number)
    if request.access.role == "anggota" and member.user_id != request.user.pk:
        raise Http404
    summary = savings_selectors.member_summary(request.coop, member)
    accounts = savings_selectors.accounts_of_member(request.coop, member)
    ctx = {
        "m": member,
        "summary": summary,
        "accounts": accounts,
        "history": selectors.status_history(request.coop, member),
        "can_write": request.access.has(STAFF),
        "can_approve": request.access.has(APPROVERS),
        "login_form": LoginForm() if request.access.has(STAFF) else None,
        "login_username": actions.login_username(request.coop, member),
    }
    if request.access.has(APPROVERS) and member.status in ("aktif", "calon"):
        ctx["exit"] = actions.exit_preview(request.coop, member)
    return render(request, "members/detail.html", ctx)


@coop_view(STAFF)
def member_edit(request, number):
    member = _member_or_404(request, number)
    form = EditForm(
        request.POST or None,
        cooperative=request.coop,
        initial={f: getattr(member, f) for f in actions.EDIT_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.member_update(
                actor=request.user, cooperative=request.coop, number=member.number, **form.cleaned_data
            )
            messages.success(request, _("Data anggota disimpan."))
            return _detail(request, member)
        except DomainError as exc:
            form.add_error(None, str(exc))
    return render(request, "members/form.html", {"form": form, "title": _("Ubah data anggota"), "m": member})


@coop_view(READERS | {"anggota"}, dinas_read=True)
def member_card(request, number):
    member = _member_or_404(request, number)
    if request.access.role == "anggota" and member.user_id != request.user.pk:
        raise Http404
    return pdf_response(
        "members/card_pdf.html",
        {"m": member, "coop": request.coop},
        f"kartu-anggota-{member.number}.pdf",
        request,
    )


@coop_view(APPROVERS)
def member_exit(request, number):
    member = _member_or_404(request, number)
    preview = actions.exit_preview(request.coop, member)
    form = ExitForm(request.POST or None, initial={"date": timezone.localdate(), "token": form_token()})
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)

        def go():
            result = actions.member_exit(
                actor=request.user,
                cooperative=request.coop,
                number=member.number,
                status=d["status"],
                date=d["date"],
                reason=d["reason"],
            )
            return 200, {k: str(v) if v is not None else None for k, v in result.items()}

        try:
            _s, payload = run_once(
                user=request.user,
                cooperative=request.coop,
                endpoint="ui:member_exit",
                key=d["token"],
                body=request.POST.dict(),
                fn=go,
            )
            messages.success(request, _("Penyelesaian anggota keluar sudah diposting."))
            if payload.get("receipt"):
                return redirect("savings:receipt", request.coop.slug, payload["receipt"])
            return _detail(request, member)
        except DomainError as exc:
            form.add_error(None, str(exc))
    return render(request, "members/exit.html", {"m": member, "form": form, "p": preview})


@coop_view(APPROVERS)
@require_POST
def member_activate(request, number):
    member = _member_or_404(request, number)
    try:
        actions.member_activate(actor=request.user, cooperative=request.coop, number=member.number)
        messages.success(request, _("Calon anggota disahkan menjadi anggota aktif."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return _detail(request, member)


@coop_view(STAFF)
@require_POST
def member_login(request, number):
    member = _member_or_404(request, number)
    form = LoginForm(request.POST)
    if form.is_valid():
        try:
            user = actions.member_login_set(
                actor=request.user,
                cooperative=request.coop,
                number=member.number,
                password=form.cleaned_data["password1"],
            )
            messages.success(request, _("Login anggota diatur. Nama pengguna: %(u)s") % {"u": user.username})
        except DomainError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return _detail(request, member)


@coop_view(STAFF)
def member_import(request):
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"joined_on": timezone.localdate()}
    )
    errors = []
    if request.GET.get("template"):
        example = [
            [
                "3513145205850007",
                "Siti Rohmah",
                "P",
                "Probolinggo",
                "1985-05-12",
                "Dusun Krajan RT 01/RW 02",
                "Kraksaan",
                "",
                "081234567890",
                "Pedagang",
                "Ahmad Fauzi",
                "suami",
                "",
                "",
            ]
        ]
        return xlsx_response("template-impor-anggota.xlsx", [("Anggota", actions.IMPORT_COLUMNS, example)])
    if request.method == "POST" and form.is_valid():
        try:
            _header, rows = read_xlsx_rows(form.cleaned_data["file"])
        except UploadRefused as exc:
            form.add_error("file", str(exc))
            rows = None
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            form.add_error("file", _("Berkas bukan file Excel (.xlsx) yang valid."))
            rows = None
        if rows is not None:
            try:
                members = actions.member_import(
                    actor=request.user,
                    cooperative=request.coop,
                    rows=rows,
                    joined_on=form.cleaned_data["joined_on"],
                    pay_pokok=form.cleaned_data["pay_pokok"],
                )
                messages.success(request, _("%(n)d anggota diimpor.") % {"n": len(members)})
                return redirect("members:list", request.coop.slug)
            except actions.ImportErrors as exc:
                errors = exc.errors
                form.add_error(None, str(exc))
            except DomainError as exc:
                form.add_error(None, str(exc))
    return render(
        request,
        "members/import.html",
        {
            "form": form,
            "errors": errors,
            "columns": actions.IMPORT_COLUMNS,
            "template_url": reverse("members:import", args=[request.coop.slug]) + "?template=1",
        },
    )
