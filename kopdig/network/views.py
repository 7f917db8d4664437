"""Business-network pages: the cooperative's offers, needs, matches, introductions, agreements
and monthly realisation; the Dinas's listings, matching, agreements, evaluations, the network
evaluation report and the graph. Views validate input, read through selectors, call one action."""

from __future__ import annotations

import heapq

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdig.lib.documents import pdf_response, xlsx_response
from kopdig.lib.errors import DomainError
from kopdig.programs import selectors as program_selectors
from kopdig.tenancy.access import APPROVERS, coop_view, dinas_view
from kopdig.tenancy.models import Region
from kopdig.usaha.models import Category

from . import actions, drawing, exports, selectors
from .forms import AgreementForm, DinasListingForm, EvaluationForm, ListingForm, RealisationForm, StatusForm
from .models import AgreementEvaluation, Listing, TradeAgreement

PAGE = 50


def _kab(request) -> Region:
    return Region.objects.get(pk=sorted(request.kabupaten_ids)[0])


def _fail(request, exc):
    messages.error(request, str(exc))


def _listing_fields(d: dict) -> dict:
    return {
        k: d[k]
        for k in (
            "commodity",
            "category",
            "need_type",
            "quantity_per_month",
            "unit",
            "price_min",
            "price_max",
            "quality",
            "certifications",
            "note",
        )
    }


# --- the cooperative --------------------------------------------------------------------------


@coop_view(APPROVERS, dinas_read=True)
def coop_home(request):
    coop = request.coop
    form = ListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.listing_save(
                actor=request.user,
                kabupaten=coop.kabupaten,
                kind=form.cleaned_data["kind"],
                cooperative=coop,
                **_listing_fields(form.cleaned_data),
            )
            messages.success(request, _("Daftar jejaring disimpan."))
            return redirect("network:coop_home", slug=coop.slug)
        except DomainError as exc:
            form.add_error(None, str(exc))
    mine = list(selectors.listing_list([coop.kabupaten_id], cooperative=coop))
    others = selectors.listing_list(
        [coop.kabupaten_id], kind=Listing.Kind.OFFER, search=request.GET.get("q", "")[:100]
    ).exclude(cooperative=coop)
    return render(
        request,
        "network/coop_home.html",
        {
            "coop": coop,
            "form": form,
            "mine": mine,
            "intros": selectors.introductions_for(coop),
            "offers": Paginator(others, 20).get_page(request.GET.get("page")),
            "agreements": selectors.agreement_list([coop.kabupaten_id], cooperative=coop),
        },
    )


@coop_view(APPROVERS, dinas_read=True)
def coop_matches(request, code):
    coop = request.coop
    need = selectors.listing_get([coop.kabupaten_id], code)
    if need.cooperative_id != coop.pk or need.kind != Listing.Kind.NEED:
        raise Http404
    return render(
        request, "network/matches.html", {"coop": coop, "need": need, "matches": selectors.candidates(need)}
    )


@coop_view(APPROVERS)
@require_POST
def coop_propose(request, code):
    coop = request.coop
    need = selectors.listing_get([coop.kabupaten_id], code)
    if need.cooperative_id != coop.pk:
        raise Http404
    _propose(request, need)
    return redirect("network:coop_home", slug=coop.slug)


def _propose(request, need, event=None):
    offer = selectors.listing_get([need.kabupaten_id], request.POST.get("offer", ""))
    match = next((m for o, m in selectors.candidates(need, limit=200) if o.pk == offer.pk), None)
    try:
        actions.introduction_propose(
            actor=request.user,
            need=need,
            offer=offer,
            event=event,
            score=match.score if match else 0,
            reasons=[f"{k}: {v}" for k, v in (match.signals.items() if match else [])],
        )
        messages.success(request, _("Perkenalan diusulkan; kedua pihak diminta menjawab."))
    except DomainError as exc:
        _fail(request, exc)


@coop_view(APPROVERS)
@require_POST
def coop_answer(request, code):
    coop = request.coop
    intro = selectors.introduction_get(None, code, cooperative=coop)
    side = "need" if intro.need.cooperative_id == coop.pk else "offer"
    try:
        actions.introduction_answer(
            actor=request.user, introduction=intro, side=side, accept=request.POST.get("answer") == "accept"
        )
        messages.success(request, _("Jawaban Anda tersimpan."))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("network:coop_home", slug=coop.slug)


@coop_view(APPROVERS, dinas_read=True)
def coop_agreement(request, code):
    coop = request.coop
    agreement = selectors.agreement_get([coop.kabupaten_id], code, cooperative=coop)
    mine = agreement.parties.filter(cooperative=coop)
    form = RealisationForm(request.POST or None, parties=mine)
    if request.method == "POST" and not request.access.dinas and form.is_valid():
        d = form.cleaned_data
        try:
            actions.realisation_report(
                actor=request.user,
                agreement=agreement,
                party=d["party"],
                month=d["month"],
                volume=d["volume"],
                value=d["value"],
            )
            messages.success(request, _("Realisasi disimpan."))
            return redirect("network:coop_agreement", slug=coop.slug, code=code)
        except DomainError as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "network/agreement.html",
        {
            "coop": coop,
            "agreement": agreement,
            # a party sees its own figures; the whole agreement's only the Dinas (privacy rule)
            "progress": selectors.agreement_progress(
                agreement, party=None if request.access.dinas else mine.first()
            ),
            "form": form if not coop.on_kopdig else None,
        },
    )


# --- the Dinas --------------------------------------------------------------------------------


@dinas_view
def dinas_home(request):
    kab = request.kabupaten_ids
    form = DinasListingForm(request.POST or None, kabupaten_ids=kab)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.listing_save(
                actor=request.user,
                kabupaten=_kab(request),
                kind=d["kind"],
                cooperative=d["cooperative"],
                organisation=d["organisation"],
                **_listing_fields(d),
            )
            messages.success(request, _("Daftar jejaring disimpan."))
            return redirect("network:dinas_home")
        except DomainError as exc:
            form.add_error(None, str(exc))
    qs = selectors.listing_list(
        kab,
        kind=request.GET.get("kind", ""),
        category=request.GET.get("category", ""),
        search=request.GET.get("q", "")[:100],
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response("jejaring-penawaran-kebutuhan.xlsx", exports.listings(qs))
    return render(
        request,
        "network/dinas_home.html",
        {
            "page": Paginator(qs, PAGE).get_page(request.GET.get("page")),
            "form": form,
            "categories": Category.choices,
            "due": selectors.due_evaluations(kab),
            "intros": selectors.introductions(kab)[:20],
        },
    )


@dinas_view
def dinas_matches(request, code):
    need = selectors.listing_get(request.kabupaten_ids, code)
    if need.kind != Listing.Kind.NEED:
        raise Http404
    if request.method == "POST":
        _propose(request, need)
        return redirect("network:dinas_matches", code=code)
    return render(request, "network/matches.html", {"need": need, "matches": selectors.candidates(need)})


@dinas_view
@require_POST
def dinas_answer(request, code):
    """The Dinas answers for an external party (no login) of an introduction."""
    intro = selectors.introduction_get(request.kabupaten_ids, code)
    side = request.POST.get("side", "")
    try:
        actions.introduction_answer(
            actor=request.user, introduction=intro, side=side, accept=request.POST.get("answer") == "accept"
        )
        messages.success(request, _("Jawaban tersimpan."))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("network:dinas_home")


@dinas_view
def agreements(request):
    kab = request.kabupaten_ids
    form = AgreementForm(request.POST or None, request.FILES or None, kabupaten_ids=kab)
    if request.method == "POST" and form.is_valid():
        try:
            a = actions.trade_agreement_create(
                actor=request.user,
                kabupaten=_kab(request),
                parties=form.parties(),
                **form.fields_for_action(),
            )
            messages.success(request, _("Kerja sama %(code)s dicatat.") % {"code": a.code})
            return redirect("network:agreement", code=a.code)
        except DomainError as exc:
            form.add_error(None, str(exc))
    qs = selectors.agreement_list(
        kab, status=request.GET.get("status", ""), commodity=request.GET.get("q", "")[:100]
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response("kerja-sama.xlsx", exports.agreements(qs))
    return render(
        request,
        "network/agreements.html",
        {"items": qs, "form": form, "statuses": TradeAgreement.Status.choices},
    )


@dinas_view
def agreement(request, code):
    a = selectors.agreement_get(request.kabupaten_ids, code)
    return render(
        request,
        "network/agreement.html",
        {
            "agreement": a,
            "progress": selectors.agreement_progress(a),
            "status_form": StatusForm(initial={"status": a.status}),
            "evaluation_form": EvaluationForm(initial={"held_on": timezone.localdate()}),
            "evaluations": a.evaluations.all(),
            "dinas": True,
            "form": RealisationForm(
                parties=a.parties.filter(cooperative__on_kopdig=False)
                | a.parties.filter(cooperative__isnull=True)
            ),
        },
    )


@dinas_view
@require_POST
def agreement_status(request, code):
    a = selectors.agreement_get(request.kabupaten_ids, code)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            actions.trade_agreement_status(
                actor=request.user,
                agreement=a,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Status kerja sama disimpan."))
        except DomainError as exc:
            _fail(request, exc)
    return redirect("network:agreement", code=code)


@dinas_view
@require_POST
def agreement_realisation(request, code):
    a = selectors.agreement_get(request.kabupaten_ids, code)
    form = RealisationForm(request.POST, parties=a.parties.all())
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.realisation_report(
                actor=request.user,
                agreement=a,
                party=d["party"],
                month=d["month"],
                volume=d["volume"],
                value=d["value"],
            )
            messages.success(request, _("Realisasi disimpan."))
        except DomainError as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("Isian realisasi tidak lengkap."))
    return redirect("network:agreement", code=code)


@dinas_view
@require_POST
def evaluation(request, code, months):
    a = selectors.agreement_get(request.kabupaten_ids, code)
    ev = a.evaluations.filter(months_after=months).first()
    if ev is None:
        raise Http404
    form = EvaluationForm(request.POST)
    if form.is_valid():
        p = selectors.agreement_progress(a, today=form.cleaned_data["held_on"])
        try:
            actions.evaluation_record(
                actor=request.user,
                evaluation=ev,
                held_on=form.cleaned_data["held_on"],
                planned=p["planned"],
                realised=p["realised"],
                answers=form.answers(),
                judgement=form.cleaned_data["judgement"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Evaluasi dicatat."))
        except DomainError as exc:
            _fail(request, exc)
    return redirect("network:agreement", code=code)


@dinas_view
def meetings(request):
    """The temu usaha (programme events of that kind): their meeting pages and evaluations."""
    events = program_selectors.event_list(request.kabupaten_ids, kind="temu_usaha").order_by("-start_date")
    return render(request, "network/meetings.html", {"events": events})


@dinas_view
def meeting(request, code):
    """One temu usaha: the participants' offers and needs, the fitting pairs among them, and the
    introductions made at the meeting (proposed here, recorded with the event)."""
    event = program_selectors.event_get(request.kabupaten_ids, code)
    if request.method == "POST":
        need = selectors.listing_get(request.kabupaten_ids, request.POST.get("need", ""))
        _propose(request, need, event=event)
        return redirect("network:meeting", code=code)
    return render(request, "network/meeting.html", {"m": selectors.meeting(event), "event": event})


def _network_event(request, code):
    event = program_selectors.event_get(request.kabupaten_ids, code)
    return event, selectors.network_report(request.kabupaten_ids, event)


@dinas_view
def network_report(request, code):
    event, report = _network_event(request, code)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return xlsx_response(f"evaluasi-jejaring-{event.code}.xlsx", exports.network_report(report))
    if fmt == "pdf":
        return pdf_response(
            "network/pdf/report.html",
            {
                "r": report,
                "event": event,
                "coop": None,
                "signatures": [(_("Petugas Dinas"), request.user.display_name)],
            },
            f"evaluasi-jejaring-{event.code}.pdf",
            request,
        )
    return render(request, "network/report.html", {"r": report, "event": event})


@dinas_view
def network_graph(request):
    year = request.GET.get("year") or None
    try:
        year = int(year) if year else None
    except ValueError:
        raise Http404 from None
    g = selectors.graph(
        request.kabupaten_ids,
        commodity=request.GET.get("q", "")[:100],
        kecamatan=request.GET.get("kecamatan", ""),
        year=year,
    )
    edges = heapq.nlargest(100, g["edges"].items(), key=lambda kv: kv[1]["value"])
    rows = [{"a": g["nodes"][a]["name"], "b": g["nodes"][b]["name"], **e} for (a, b), e in edges]
    return render(
        request,
        "network/graph.html",
        {
            "svg": mark_safe(drawing.svg(g)),
            "g": g,
            "rows": rows,
            "kecamatan": Region.objects.filter(parent_id__in=request.kabupaten_ids),
        },
    )


@dinas_view
def evaluations_due(request):
    return render(
        request,
        "network/due.html",
        {
            "items": selectors.due_evaluations(request.kabupaten_ids),
            "all": AgreementEvaluation.objects.filter(kabupaten_id__in=request.kabupaten_ids).select_related(
                "agreement"
            ),
        },
    )
