"""Programme pages: the Dinas's events, participants, attendance, certificates, reach, follow-ups,
agreements and organisations; the participant's personal page (QR link, no login); the public
certificate check; the cooperative's invitations and certificates. Views validate input, fetch
through selectors and call one action."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdig.lib.documents import pdf_response, xlsx_response
from kopdig.lib.errors import DomainError
from kopdig.members import selectors as member_selectors
from kopdig.tenancy.access import APPROVERS, coop_view, dinas_kabupaten_ids, dinas_view, public_view
from kopdig.tenancy.models import Region

from . import actions, cohorts, documents, exports, selectors
from .forms import (
    AgreementForm,
    CoopParticipantForm,
    EvaluationForm,
    EventForm,
    FollowUpForm,
    MaterialForm,
    OrganisationForm,
    ParticipantForm,
    ProgressForm,
    SettingsForm,
)
from .models import Evaluation, Event, Participation

PAGE = 50


def _kab(request) -> Region:
    return Region.objects.get(pk=sorted(request.kabupaten_ids)[0])


def _fail(request, exc):
    messages.error(request, str(exc))


def _year(request, default=None) -> int:
    try:
        year = int(request.GET.get("year") or default or timezone.localdate().year)
    except ValueError:
        raise Http404 from None
    if not 1900 <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


# --- events -----------------------------------------------------------------------------------


@dinas_view
def event_list(request):
    year = request.GET.get("year") or ""
    qs = selectors.event_list(
        request.kabupaten_ids,
        year=_year(request) if year else None,
        kind=request.GET.get("kind", ""),
        search=request.GET.get("q", "")[:100],
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response("kegiatan.xlsx", exports.events(qs))
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request, "programs/event_list.html", {"page": page, "kinds": Event.Kind.choices, "year": year}
    )


def _event_form_save(request, form, event=None):
    data = dict(form.cleaned_data)
    co = data.pop("co_organisers")
    try:
        return actions.event_save(
            actor=request.user, kabupaten=_kab(request), event=event, co_organisers=co, **data
        )
    except DomainError as exc:
        form.add_error(None, str(exc))
        return None


@dinas_view
def event_new(request):
    form = EventForm(request.POST or None, kabupaten_ids=request.kabupaten_ids, initial={"status": "open"})
    if request.method == "POST" and form.is_valid():
        event = _event_form_save(request, form)
        if event:
            messages.success(request, _("Kegiatan %(code)s disimpan.") % {"code": event.code})
            return redirect("programs:event_detail", code=event.code)
    return render(request, "programs/event_form.html", {"form": form})


@dinas_view
def event_edit(request, code):
    event = selectors.event_get(request.kabupaten_ids, code)
    form = EventForm(
        request.POST or None, kabupaten_ids=request.kabupaten_ids, initial=EventForm.initial_from(event)
    )
    if request.method == "POST" and form.is_valid() and _event_form_save(request, form, event):
        messages.success(request, _("Kegiatan disimpan."))
        return redirect("programs:event_detail", code=event.code)
    return render(request, "programs/event_form.html", {"form": form, "event": event})


@dinas_view
def event_detail(request, code):
    event = selectors.event_get(request.kabupaten_ids, code)
    rows = list(selectors.participants(event))
    return render(
        request,
        "programs/event_detail.html",
        {
            "event": event,
            "rows": rows,
            "days": selectors.event_days(event),
            "registered": [r for r in rows if r.status == Participation.Status.REGISTERED],
            "waiting": [r for r in rows if r.status == Participation.Status.WAITING],
            "form": ParticipantForm(kabupaten_ids=request.kabupaten_ids),
            "material_form": MaterialForm(),
            "evaluation": selectors.evaluation_summary(event),
            "before_after": selectors.before_after(event),
            "follow_ups": event.follow_ups.all(),
            "agreements": event.agreements.all(),
            "materials": event.materials.select_related("speaker__person"),
            "need": cohorts.required_days(event.days, event.min_days),
        },
    )


@dinas_view
@require_POST
def participant_add(request, code):
    event = selectors.event_get(request.kabupaten_ids, code)
    form = ParticipantForm(request.POST, kabupaten_ids=request.kabupaten_ids)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, error.as_text())
        return redirect("programs:event_detail", code=code)
    d = form.cleaned_data
    try:
        person = actions.person_save(
            actor=request.user,
            kabupaten=event.kabupaten,
            nik=d["nik"],
            name=d["name"],
            phone=d["phone"],
            position=d["position"],
            cooperative=d["cooperative"],
            organisation=d["organisation"],
        )
        p, _raw = actions.participant_register(
            actor=request.user, event=event, person=person, role=d["role"], topic=d["topic"]
        )
        messages.success(
            request, _("%(name)s: %(status)s.") % {"name": person.name, "status": p.get_status_display()}
        )
    except DomainError as exc:
        _fail(request, exc)
    return redirect("programs:event_detail", code=code)


def _participation(event, person_code) -> Participation:
    p = event.participations.select_related("person", "event").filter(person__code=person_code).first()
    if p is None:
        raise Http404
    return p


@dinas_view
@require_POST
def participant_cancel(request, code, person):
    event = selectors.event_get(request.kabupaten_ids, code)
    try:
        promoted = actions.participant_cancel(actor=request.user, participation=_participation(event, person))
        messages.success(
            request,
            _("Pendaftaran dibatalkan.")
            + (
                " " + _("%(name)s naik dari daftar tunggu.") % {"name": promoted.person.name}
                if promoted
                else ""
            ),
        )
    except DomainError as exc:
        _fail(request, exc)
    return redirect("programs:event_detail", code=code)


@dinas_view
@require_POST
def invitations(request, code):
    """Invitation letters with each participant's personal QR (new links: older letters' QR stop working)."""
    event = selectors.event_get(request.kabupaten_ids, code)
    only = request.POST.get("person", "")
    targets = [
        p
        for p in selectors.participants(event).exclude(status=Participation.Status.CANCELLED)
        if not only or p.person.code == only
    ]
    issued = [(p, actions.participant_reissue_link(actor=request.user, participation=p)) for p in targets]
    context = {
        **documents.invitation_context(request, event, issued),
        "dinas_signatures": [(_("Kepala Dinas"), "")],
    }
    return pdf_response("programs/pdf/invitations.html", context, f"undangan-{event.code}.pdf", request)


@dinas_view
def attendance(request, code, day):
    event = selectors.event_get(request.kabupaten_ids, code)
    try:
        day = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if not event.start_date <= day <= event.end_date:
        raise Http404
    if request.method == "POST":
        try:
            present = {int(x) for x in request.POST.getlist("present")}
            r = actions.attendance_list_save(actor=request.user, event=event, day=day, present=present)
            messages.success(
                request, _("Daftar hadir disimpan (+%(a)d, −%(r)d).") % {"a": r["added"], "r": r["removed"]}
            )
        except (DomainError, ValueError) as exc:
            _fail(request, exc)
        return redirect("programs:attendance", code=code, day=day.isoformat())
    days, rows = selectors.attendance_matrix(event)
    i = days.index(day)
    return render(
        request,
        "programs/attendance.html",
        {
            "event": event,
            "day": day,
            "days": days,
            "rows": [{"p": r["p"], "present": r["days"][i]} for r in rows],
        },
    )


@dinas_view
def attendance_pdf(request, code):
    event = selectors.event_get(request.kabupaten_ids, code)
    days, rows = selectors.attendance_matrix(event)
    return pdf_response(
        "programs/pdf/attendance.html",
        {"event": event, "days": days, "rows": rows, "period": documents.event_period(event), "coop": None},
        f"daftar-hadir-{event.code}.pdf",
        request,
    )


@dinas_view
def participants_xlsx(request, code):
    event = selectors.event_get(request.kabupaten_ids, code)
    days, rows = selectors.attendance_matrix(event)
    return xlsx_response(
        f"peserta-{event.code}.xlsx", exports.participants(event, selectors.participants(event), days, rows)
    )


@dinas_view
@require_POST
def certificates_issue(request, code):
    event = selectors.event_get(request.kabupaten_ids, code)
    try:
        issued = actions.certificates_issue(actor=request.user, event=event)
        messages.success(request, _("%(n)d sertifikat diterbitkan.") % {"n": len(issued)})
    except DomainError as exc:
        _fail(request, exc)
    return redirect("programs:event_detail", code=code)


@dinas_view
def certificates_pdf(request, code):
    event = selectors.event_get(request.kabupaten_ids, code)
    certs = (
        event.participations.select_related("person", "cooperative", "person__organisation")
        .exclude(certificate_number="")
        .order_by("certificate_number")
    )
    person = request.GET.get("person")
    if person:
        certs = certs.filter(person__code=person)
    if not certs:
        raise Http404
    return pdf_response(
        "programs/pdf/certificates.html",
        documents.certificate_context(request, event, certs),
        f"sertifikat-{event.code}.pdf",
        request,
    )


@dinas_view
@require_POST
def material_add(request, code):
    event = selectors.event_get(request.kabupaten_ids, code)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.material_add(
                actor=request.user,
                event=event,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
            messages.success(request, _("Materi ditambahkan."))
        except DomainError as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("Judul dan berkas materi wajib diisi."))
    return redirect("programs:event_detail", code=code)


def _file(field, name):
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)


@dinas_view
def material_download(request, code, material):
    event = selectors.event_get(request.kabupaten_ids, code)
    m = event.materials.filter(code=material).first()
    if m is None:
        raise Http404
    return _file(m.file, m.file.name.rsplit("/", 1)[-1])


# --- reach and reports ------------------------------------------------------------------------


@dinas_view
def reach(request):
    year = _year(request)
    data = selectors.reach(request.kabupaten_ids, year)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"jangkauan-program-{year}.xlsx", exports.reach(data))
    return render(
        request,
        "programs/reach.html",
        {"r": data, "year": year, "years": range(timezone.localdate().year, 2017, -1)},
    )


@dinas_view
def annual_report(request, year):
    if not 1900 <= year <= timezone.localdate().year + 1:
        raise Http404
    kab = _kab(request)
    events = selectors.with_evaluation_averages(
        selectors.event_list(request.kabupaten_ids, year=year).order_by("start_date")
    )
    return pdf_response(
        "programs/pdf/annual_report.html",
        {
            "year": year,
            "kabupaten": kab,
            "events": events,
            "r": selectors.reach(request.kabupaten_ids, year),
            "board": selectors.follow_up_board(request.kabupaten_ids),
            "coop": None,
            "dinas_signatures": [(_("Kepala Dinas"), "")],
        },
        f"laporan-program-{year}.pdf",
        request,
    )


# --- follow-ups, agreements, organisations, settings ------------------------------------------


@dinas_view
def follow_ups(request):
    form = FollowUpForm(request.POST or None, kabupaten_ids=request.kabupaten_ids)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        event = request.POST.get("event")
        if event:
            d["event"] = selectors.event_get(request.kabupaten_ids, event)
        try:
            actions.follow_up_save(actor=request.user, kabupaten=_kab(request), **d)
            messages.success(request, _("Tindak lanjut dicatat."))
            return redirect(request.POST.get("next") or "programs:follow_ups")
        except DomainError as exc:
            form.add_error(None, str(exc))
    board = selectors.follow_up_board(request.kabupaten_ids)
    if request.GET.get("format") == "xlsx":
        return xlsx_response("tindak-lanjut.xlsx", exports.follow_ups(board))
    return render(
        request, "programs/follow_ups.html", {"board": board, "form": form, "progress_form": ProgressForm()}
    )


@dinas_view
@require_POST
def follow_up_progress(request, code):
    f = selectors.follow_up_get(request.kabupaten_ids, code)
    return _progress(request, f, "programs:follow_ups")


def _progress(request, follow_up, back, **kwargs):
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.follow_up_progress(
                actor=request.user,
                follow_up=follow_up,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
            )
            messages.success(request, _("Kemajuan tindak lanjut disimpan."))
        except DomainError as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("Status tidak valid."))
    return redirect(back, **kwargs)


@dinas_view
def agreements(request):
    form = AgreementForm(request.POST or None, request.FILES or None, kabupaten_ids=request.kabupaten_ids)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        orgs, coops = d.pop("organisations"), d.pop("cooperatives")
        d["document"] = d["document"] or ""
        try:
            actions.agreement_save(
                actor=request.user,
                kabupaten=_kab(request),
                organisations=list(orgs),
                cooperatives=list(coops),
                **d,
            )
            messages.success(request, _("Nota kesepahaman dicatat."))
            return redirect("programs:agreements")
        except DomainError as exc:
            form.add_error(None, str(exc))
    qs = selectors.agreements(request.kabupaten_ids)
    if request.GET.get("format") == "xlsx":
        return xlsx_response("nota-kesepahaman.xlsx", exports.agreements(qs))
    return render(
        request, "programs/agreements.html", {"items": qs, "form": form, "today": timezone.localdate()}
    )


@dinas_view
def agreement_document(request, code):
    a = selectors.agreement_get(request.kabupaten_ids, code)
    return _file(a.document, f"mou-{a.code}.pdf")


@dinas_view
def organisations(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.organisation_save(actor=request.user, kabupaten=_kab(request), **form.cleaned_data)
            messages.success(request, _("Lembaga disimpan."))
            return redirect("programs:organisations")
        except DomainError as exc:
            form.add_error(None, str(exc))
    qs = selectors.organisations(
        request.kabupaten_ids, kind=request.GET.get("kind", ""), search=request.GET.get("q", "")[:100]
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response("lembaga.xlsx", exports.organisations(qs))
    return render(
        request,
        "programs/organisations.html",
        {"page": Paginator(qs, PAGE).get_page(request.GET.get("page")), "form": form},
    )


@dinas_view
def settings_page(request):
    current = selectors.program_settings(_kab(request).pk)
    form = SettingsForm(
        request.POST or None,
        initial={
            "cohorts": current.cohorts,
            "youth_min_age": current.youth_min_age,
            "youth_max_age": current.youth_max_age,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.program_settings_update(
                actor=request.user,
                kabupaten=_kab(request),
                cohorts_list=d["cohorts"],
                youth_min_age=d["youth_min_age"],
                youth_max_age=d["youth_max_age"],
            )
            messages.success(request, _("Pengaturan program disimpan."))
            return redirect("programs:settings")
        except DomainError as exc:
            form.add_error(None, str(exc))
    return render(request, "programs/settings.html", {"form": form})


# --- the participant's personal link (no login) and the public certificate check -------------


def _by_token(token) -> Participation:
    p = actions.participation_by_token(token)
    if p is None:
        raise Http404
    return p


@public_view
def participant(request, token):
    """The personal QR link: a Dinas officer of the event's kabupaten sees the check-in; anyone
    else (the participant) sees the event, their attendance, the evaluation and the certificate."""
    p = _by_token(token)
    if p.kabupaten_id in dinas_kabupaten_ids(request.user):
        return render(
            request,
            "programs/check_in.html",
            {
                "p": p,
                "event": p.event,
                "today": timezone.localdate(),
                "token": token,
                "attended": set(p.attendances.values_list("day", flat=True)),
            },
        )
    speakers = p.event.participations.filter(role=Participation.Role.NARASUMBER).select_related("person")
    form = EvaluationForm(request.POST or None, speakers=speakers)
    if request.method == "POST" and form.is_valid():
        try:
            actions.evaluation_submit(
                participation=p,
                rating=form.cleaned_data["rating"],
                speaker_ratings=form.speaker_ratings(),
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Terima kasih, evaluasi Anda tersimpan."))
            return redirect("programs:participant", token=token)
        except DomainError as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "programs/participant.html",
        {
            "p": p,
            "event": p.event,
            "form": form,
            "token": token,
            "attended": sorted(p.attendances.values_list("day", flat=True)),
            "evaluated": Evaluation.objects.filter(participation=p).exists(),
            "materials": p.event.materials.all(),
            "period": documents.event_period(p.event),
        },
    )


@public_view
@require_POST
def participant_check_in(request, token):
    p = _by_token(token)
    if p.kabupaten_id not in dinas_kabupaten_ids(request.user):
        raise Http404
    try:
        _att, created = actions.attendance_check_in(
            actor=request.user, event=p.event, participation=p, day=timezone.localdate()
        )
        if created:
            messages.success(request, _("%(name)s tercatat hadir hari ini.") % {"name": p.person.name})
        else:
            messages.info(request, _("%(name)s sudah tercatat hadir hari ini.") % {"name": p.person.name})
    except DomainError as exc:
        _fail(request, exc)
    return redirect("programs:participant", token=token)


@public_view
def participant_certificate(request, token):
    p = _by_token(token)
    if not p.certificate_number:
        raise Http404
    return pdf_response(
        "programs/pdf/certificates.html",
        documents.certificate_context(request, p.event, [p]),
        "sertifikat.pdf",
        request,
    )


@public_view
def participant_material(request, token, material):
    p = _by_token(token)
    m = p.event.materials.filter(code=material).first()
    if m is None:
        raise Http404
    return _file(m.file, m.file.name.rsplit("/", 1)[-1])


@public_view
def verify(request):
    """Public check of a certificate: number plus its keyed code. Shows only name, event, date, number."""
    number, code = request.GET.get("n", "")[:40], request.GET.get("c", "")[:20]
    p = selectors.certificate_find(number) if number else None
    valid = p is not None and cohorts.certificate_valid(number, code, actions.certificate_key())
    return render(
        request,
        "programs/verify.html",
        {"p": p if valid else None, "number": number, "asked": bool(number)},
        status=200 if valid or not number else 404,
    )


# --- the cooperative side ---------------------------------------------------------------------


@coop_view(APPROVERS, dinas_read=True)
def coop_home(request):
    coop = request.coop
    return render(
        request,
        "programs/coop_home.html",
        {
            "coop": coop,
            "events": selectors.coop_events(coop),
            "rows": selectors.coop_participations(coop),
            "board": selectors.follow_up_board(None, cooperative=coop),
            "form": CoopParticipantForm(),
            "progress_form": ProgressForm(),
        },
    )


@coop_view(APPROVERS)
@require_POST
def coop_register(request, code):
    coop = request.coop
    event = Event.objects.filter(kabupaten_id=coop.kabupaten_id, code=code).first()
    if event is None:
        raise Http404
    form = CoopParticipantForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("programs:coop_home", slug=coop.slug)
    d = form.cleaned_data
    member = member_selectors.member_get(coop, d["member_number"]) if d["member_number"] else None
    if d["member_number"] and member is None:
        messages.error(request, _("Anggota nomor %(n)s tidak ditemukan.") % {"n": d["member_number"]})
        return redirect("programs:coop_home", slug=coop.slug)
    try:
        person = actions.person_save(
            actor=request.user,
            kabupaten=event.kabupaten,
            cooperative=coop,
            member=member,
            nik=member.nik if member else d["nik"],
            name=member.name if member else d["name"],
            phone=d["phone"] or (member.phone if member else ""),
            position=d["position"],
        )
        p, _raw = actions.participant_register(actor=request.user, event=event, person=person)
        messages.success(
            request, _("%(name)s: %(status)s.") % {"name": person.name, "status": p.get_status_display()}
        )
    except DomainError as exc:
        _fail(request, exc)
    return redirect("programs:coop_home", slug=coop.slug)


@coop_view(APPROVERS, dinas_read=True)
def coop_certificate(request, code, person):
    p = (
        selectors.coop_participations(request.coop)
        .filter(event__code=code, person__code=person)
        .exclude(certificate_number="")
        .first()
    )
    if p is None:
        raise Http404
    return pdf_response(
        "programs/pdf/certificates.html",
        documents.certificate_context(request, p.event, [p]),
        "sertifikat.pdf",
        request,
    )


@coop_view(APPROVERS)
@require_POST
def coop_follow_up(request, code):
    f = selectors.follow_up_get(None, code, cooperative=request.coop)
    return _progress(request, f, "programs:coop_home", slug=request.coop.slug)


@coop_view({"anggota"})
def my_certificates(request):
    member = member_selectors.own_member(request.coop, request.user)
    rows = selectors.member_certificates(member) if member else []
    return render(request, "programs/my_certificates.html", {"coop": request.coop, "rows": rows})


@coop_view({"anggota"})
def my_certificate(request, code):
    member = member_selectors.own_member(request.coop, request.user)
    p = next(
        (r for r in (selectors.member_certificates(member) if member else []) if r.event.code == code), None
    )
    if p is None:
        raise Http404
    return pdf_response(
        "programs/pdf/certificates.html",
        documents.certificate_context(request, p.event, [p]),
        "sertifikat.pdf",
        request,
    )
