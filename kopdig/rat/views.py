"""RAT pages (phone-first): the pengurus's meeting, rules, agenda and results, the attendance
desk, the laporan tahunan (pengawas writes only its report), invitations (PDF letters with QR,
wa.me links), the member's ballot (login or personal link), minutes and the RAT book (PDF;
Dinas read only)."""

from __future__ import annotations

import urllib.parse

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdig.lib.documents import UploadRefused, pdf_response, read_xlsx_rows
from kopdig.lib.errors import DomainError
from kopdig.members import selectors as member_selectors
from kopdig.tenancy.access import ALL_COOP, BOARD, READERS, STAFF, SUPERVISORS, coop_view, public_view
from kopdig.tenancy.models import Cooperative

from . import actions, documents, forms, selectors
from .models import Meeting, RapbLine


def _run(request, fn, ok: str, **kwargs) -> bool:
    try:
        fn(actor=request.user, cooperative=request.coop, **kwargs)
    except DomainError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, ok)
    return True


def _meeting_or_404(coop, code) -> Meeting:
    meeting = selectors.meeting_get(coop, code)
    if meeting is None:
        raise Http404
    return meeting


def _back(request, code):
    return redirect("rat:meeting", request.coop.slug, code)


@coop_view(ALL_COOP, dinas_read=True)
def index(request):
    coop = request.coop
    if request.access.role == "anggota":
        current = selectors.current_meeting(coop)
        if current is not None:
            return redirect("rat:ballot", coop.slug, current.code)
    form = forms.ScheduleForm(request.POST or None)
    if request.method == "POST":
        if request.access.role not in BOARD:
            raise Http404
        if form.is_valid() and _run(
            request, actions.meeting_schedule, _("RAT dijadwalkan."), **form.cleaned_data
        ):
            return redirect("rat:index", coop.slug)
    return render(
        request,
        "rat/index.html",
        {
            "coop": coop,
            "meetings": selectors.meeting_list(coop),
            "form": form,
            "can_edit": request.access.role in BOARD,
        },
    )


@coop_view(BOARD)
def rules(request):
    coop = request.coop
    current = actions.settings_of(coop)
    form = forms.SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in forms.SettingsForm.Meta.fields}
        if _run(request, actions.rat_settings_save, _("Aturan RAT disimpan."), **data):
            return redirect("rat:index", coop.slug)
    return render(request, "rat/rules.html", {"coop": coop, "form": form})


@coop_view(READERS, dinas_read=True)
def meeting(request, code):
    coop = request.coop
    m = _meeting_or_404(coop, code)
    return render(
        request,
        "rat/meeting.html",
        {
            "coop": coop,
            "meeting": m,
            "items": selectors.items(coop, m),
            "quorum": selectors.quorum(coop, m),
            "warning": selectors.report_warning(m),
            "item_form": forms.ItemForm(),
            "can_edit": request.access.role in BOARD,
            "is_staff": request.access.role in STAFF,
            "elected": selectors.elected(coop, m),
        },
    )


@coop_view(BOARD)
@require_POST
def publish(request, code):
    _run(
        request,
        actions.meeting_publish,
        _("RAT diumumkan; daftar anggota berhak suara dibekukan."),
        code=code,
    )
    return _back(request, code)


@coop_view(BOARD)
@require_POST
def open_meeting(request, code):
    _run(request, actions.meeting_open, _("Rapat dibuka."), code=code, call=request.POST.get("call", "first"))
    return _back(request, code)


@coop_view(BOARD)
@require_POST
def postpone(request, code):
    _run(
        request,
        actions.meeting_postpone,
        _("Rapat ditunda."),
        code=code,
        reason=request.POST.get("reason", ""),
    )
    return _back(request, code)


@coop_view(BOARD)
@require_POST
def close(request, code):
    _run(
        request,
        actions.meeting_close,
        _("Rapat ditutup; catatan RAT Dinas diperbarui."),
        code=code,
        chair_name=request.POST.get("chair_name", ""),
        secretary_name=request.POST.get("secretary_name", ""),
        witness_name=request.POST.get("witness_name", ""),
    )
    return _back(request, code)


@coop_view(BOARD)
@require_POST
def item_add(request, code):
    form = forms.ItemForm(request.POST)
    if form.is_valid():
        _run(
            request,
            actions.agenda_item_save,
            _("Mata acara disimpan."),
            meeting_code=code,
            **form.action_kwargs(),
        )
    else:
        messages.error(request, _("Periksa isian mata acara."))
    return _back(request, code)


@coop_view(BOARD)
@require_POST
def item_open(request, code, item):
    _run(request, actions.item_open, _("Pemungutan suara dibuka."), code=item)
    return _back(request, code)


@coop_view(BOARD)
@require_POST
def item_close(request, code, item):
    agreed = request.POST.get("agreed")
    _run(
        request,
        actions.item_close,
        _("Mata acara diputuskan."),
        item_code=item,
        agreed=None if agreed is None else agreed == "1",
        note=request.POST.get("note", ""),
    )
    return _back(request, code)


@coop_view(BOARD)
@require_POST
def item_totals(request, code, item):
    try:
        figures = {k: int(request.POST.get(k) or 0) for k in ("votes_for", "votes_against", "votes_abstain")}
        cands = {k[5:]: int(v or 0) for k, v in request.POST.items() if k.startswith("cand_")}
    except ValueError:
        messages.error(request, _("Jumlah suara harus angka."))
        return _back(request, code)
    _run(
        request,
        actions.item_totals_enter,
        _("Hitungan manual dicatat."),
        item_code=item,
        candidate_votes=cands,
        **figures,
    )
    return _back(request, code)


@coop_view(STAFF)
def desk(request, code):
    """The attendance desk: type or scan the member number (or the invitation QR)."""
    coop = request.coop
    m = _meeting_or_404(coop, code)
    if request.method == "POST":
        value = (request.POST.get("number") or "").strip()
        token = value.rsplit("/", 2)[-2] if "/rat/" in value else ""
        _run(
            request,
            actions.attendance_check_in,
            _("Kehadiran dicatat."),
            code=code,
            number="" if token else value,
            token=token,
        )
        return redirect("rat:desk", coop.slug, code)
    return render(
        request,
        "rat/desk.html",
        {
            "coop": coop,
            "meeting": m,
            "quorum": selectors.quorum(coop, m),
            "attendance": selectors.attendance_list(coop, m),
        },
    )


@coop_view(READERS, dinas_read=True)
def eligibility(request, code):
    coop = request.coop
    m = _meeting_or_404(coop, code)
    return render(
        request,
        "rat/eligibility.html",
        {"coop": coop, "meeting": m, "rows": selectors.eligibility_list(coop, m)},
    )


@coop_view(ALL_COOP, dinas_read=True)
def report(request, code):
    """The laporan tahunan; the pengurus writes the LPJ sections, a pengawas the pengawas report."""
    coop = request.coop
    m = _meeting_or_404(coop, code)
    return render(
        request,
        "rat/report.html",
        {
            "coop": coop,
            "meeting": m,
            **selectors.annual_report(coop, m),
            "role": request.access.role,
            "groups": RapbLine.Group.choices,
        },
    )


@coop_view(BOARD | SUPERVISORS)
@require_POST
def section_save(request, code):
    author = "pengawas" if request.access.role in SUPERVISORS else "pengurus"
    _run(
        request,
        actions.report_section_save,
        _("Bagian laporan disimpan."),
        code=code,
        author=author,
        key=request.POST.get("key", ""),
        text=request.POST.get("text", ""),
    )
    return redirect("rat:report", request.coop.slug, code)


@coop_view(BOARD)
@require_POST
def report_ready(request, code):
    _run(request, actions.annual_report_ready, _("Laporan tahunan dinyatakan siap."), code=code)
    return redirect("rat:report", request.coop.slug, code)


@coop_view(BOARD)
@require_POST
def rapb_save(request, code):
    if request.FILES.get("file"):
        try:
            _header, rows = read_xlsx_rows(request.FILES["file"])
        except UploadRefused as exc:
            messages.error(request, str(exc))
            return redirect("rat:report", request.coop.slug, code)
        except Exception:
            messages.error(request, _("Berkas Excel tidak dapat dibaca."))
            return redirect("rat:report", request.coop.slug, code)
        lines = [
            (str(r.get("kelompok") or "").strip().lower(), str(r.get("uraian") or ""), r.get("jumlah"))
            for _n, r in rows
        ]
    else:
        lines = [
            (g, n, a)
            for g, n, a in zip(
                request.POST.getlist("group"),
                request.POST.getlist("name"),
                request.POST.getlist("amount"),
                strict=False,
            )
            if n.strip()
        ]
    _run(request, actions.rapb_lines_save, _("RAPB disimpan."), code=code, lines=lines)
    return redirect("rat:report", request.coop.slug, code)


# --- invitations ---------------------------------------------------------------------------


def _ballot_url(request, coop, token: str) -> str:
    return request.build_absolute_uri(reverse("rat:token_ballot", args=[coop.slug, token]))


@coop_view(STAFF)
@require_POST
def letters(request, code):
    """Invitation letters (PDF) for every invited member, or those listed: each with a fresh
    personal link and QR (issuing them records the notice)."""
    coop = request.coop
    m = _meeting_or_404(coop, code)
    numbers = [n.strip() for n in request.POST.get("numbers", "").split(",") if n.strip()] or None
    try:
        tokens = actions.invitations_issue(actor=request.user, cooperative=coop, code=code, numbers=numbers)
    except DomainError as exc:
        messages.error(request, str(exc))
        return _back(request, code)
    members = selectors.invited_members(coop, m, tokens.keys())
    links = {n: _ballot_url(request, coop, t) for n, t in tokens.items()}
    return pdf_response(
        "rat/invitations_pdf.html",
        documents.invitations_context(coop, m, members, links),
        f"undangan-rat-{m.book_year}.pdf",
        request,
    )


@coop_view(STAFF)
@require_POST
def whatsapp(request, code, number):
    """A wa.me link with the invitation text and the member's fresh personal link."""
    coop = request.coop
    m = _meeting_or_404(coop, code)
    member = member_selectors.member_get(coop, number)
    if member is None or not member.phone:
        messages.error(request, _("Anggota tidak ditemukan atau tidak memiliki nomor HP."))
        return _back(request, code)
    try:
        token = actions.invitations_issue(
            actor=request.user, cooperative=coop, code=code, numbers=[number], via="whatsapp"
        )[number]
    except DomainError as exc:
        messages.error(request, str(exc))
        return _back(request, code)
    text = documents.whatsapp_text(coop, m, member, _ballot_url(request, coop, token))
    return HttpResponseRedirect(
        f"https://wa.me/{documents.wa_number(member.phone)}?text={urllib.parse.quote(text)}"
    )


# --- the member's ballot -------------------------------------------------------------------


def _ballot_page(request, coop, m, member, post_url, token=""):
    return render(
        request,
        "rat/ballot.html",
        {"coop": coop, **selectors.ballot(coop, m, member), "post_url": post_url, "token": token},
    )


def _vote_from_post(request, cooperative, actor, token):
    item = request.POST.get("item", "")
    try:
        if request.POST.get("check_in"):
            actions.attendance_check_in(
                actor=actor, cooperative=cooperative, code=request.POST["check_in"], token=token, online=True
            )
            messages.success(request, _("Anda tercatat hadir secara daring."))
        else:
            actions.vote_cast(
                actor=actor,
                cooperative=cooperative,
                item_code=item,
                token=token,
                choice=request.POST.get("choice", ""),
                candidate_code=request.POST.get("candidate", ""),
            )
            messages.success(request, _("Suara Anda sudah tercatat."))
    except DomainError as exc:
        messages.error(request, str(exc))


@coop_view(ALL_COOP)
def ballot(request, code):
    """The logged-in member's ballot (a pengurus who is also a member votes here as the member)."""
    coop = request.coop
    m = _meeting_or_404(coop, code)
    member = member_selectors.own_member(coop, request.user)
    if member is None:
        messages.error(request, _("Akun Anda tidak terhubung dengan data anggota."))
        return redirect("rat:index", coop.slug) if request.access.role != "anggota" else redirect("/")
    if request.method == "POST":
        _vote_from_post(request, coop, request.user, "")
        return redirect("rat:ballot", coop.slug, code)
    return _ballot_page(request, coop, m, member, reverse("rat:ballot", args=[coop.slug, code]))


@public_view
def token_ballot(request, slug, token):
    """The ballot opened by the member's personal link or QR (no password)."""
    coop = Cooperative.objects.filter(slug=slug).first()
    if coop is None:
        raise Http404
    try:
        m, member = actions.invitation_member(coop, token)
    except DomainError:
        raise Http404 from None
    if request.method == "POST":
        _vote_from_post(request, coop, None, token)
        return redirect("rat:token_ballot", slug, token)
    return _ballot_page(request, coop, m, member, reverse("rat:token_ballot", args=[slug, token]), token)


@public_view
def token_report(request, slug, token):
    """The laporan tahunan, read on the phone through the member's personal link (no password)."""
    coop = Cooperative.objects.filter(slug=slug).first()
    if coop is None:
        raise Http404
    try:
        m, _member = actions.invitation_member(coop, token)
    except DomainError:
        raise Http404 from None
    return render(
        request,
        "rat/report.html",
        {
            "coop": coop,
            "meeting": m,
            **selectors.annual_report(coop, m),
            "role": "anggota",
            "token": token,
            "groups": RapbLine.Group.choices,
        },
    )


# --- documents -----------------------------------------------------------------------------


@coop_view(READERS, dinas_read=True)
def minutes_pdf(request, code):
    coop = request.coop
    m = _meeting_or_404(coop, code)
    return pdf_response(
        "rat/minutes_pdf.html",
        documents.minutes_context(coop, m),
        f"berita-acara-rat-{m.book_year}.pdf",
        request,
    )


@coop_view(ALL_COOP, dinas_read=True)
def book_pdf(request, code):
    coop = request.coop
    m = _meeting_or_404(coop, code)
    return pdf_response(
        "rat/book_pdf.html", documents.book_context(coop, m), f"buku-rat-{m.book_year}.pdf", request
    )
