"""Business-network API: offers, needs, matches, introductions, agreements, realisation and
evaluation.

- ``/coops/{slug}/network/…``: a cooperative's pengurus or manajer for their own cooperative. It
  sees the offers of the network (published), its own listings and introductions, only the
  agreements it is a party to and only its own realisation figures; another cooperative's
  agreement answers 404. Publishing a listing and reporting realisation accept an
  ``Idempotency-Key``.
- ``/dinas/network/…``: the Dinas officers of the kabupaten, everything of it (others 403).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Header, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BeforeValidator, ValidationInfo, WithJsonSchema

from kopdig.api.common import (
    Choice,
    Limit,
    Money,
    Offset,
    Paging,
    PlannedDate,
    QueryDate,
    Text,
    api_coop,
    page,
    responses,
)
from kopdig.api.idempotency import run_once
from kopdig.lib import validation
from kopdig.programs import selectors as program_selectors
from kopdig.programs.models import Organisation
from kopdig.tenancy.access import APPROVERS, dinas_kabupaten_ids
from kopdig.tenancy.models import Cooperative, Region
from kopdig.usaha.models import Category

from . import actions, selectors
from .models import AgreementEvaluation, AgreementParty, Listing, TradeAgreement

router = Router(tags=["jejaring"])


def _qty(value, info: ValidationInfo) -> Decimal:
    return validation.amount(value, info.field_name or "jumlah", max_digits=14, decimal_places=3)


# A quantity (up to 3 decimals, >= 0): a decimal string or an integer.
Quantity = Annotated[
    Decimal,
    BeforeValidator(_qty),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^[0-9]{1,11}(\.[0-9]{1,3})?$"},
                {"type": "integer", "minimum": 0, "maximum": 10**11 - 1},
            ]
        }
    ),
]


def _kab(request) -> set[int]:
    kab = dinas_kabupaten_ids(request.user)
    if not kab:
        raise HttpError(403, "Hanya petugas Dinas yang dapat mengakses data ini.")
    return kab


def _one_kab(request) -> Region:
    return Region.objects.get(pk=sorted(_kab(request))[0])


def _s(value) -> str | None:
    return None if value is None else str(value)


# --- listings ---------------------------------------------------------------------------------


class PartyOut(Schema):
    type: str
    id: str
    name: str


class ListingOut(Schema):
    code: str
    kind: str
    need_type: str
    party: PartyOut
    kecamatan: str | None
    commodity: str
    category: str
    quantity_per_month: str | None
    unit: str
    price_min: str | None
    price_max: str | None
    quality: str
    certifications: str
    note: str
    product: str | None
    active: bool


class ListingList(Schema):
    items: list[ListingOut]
    count: int


def _party(obj) -> dict:
    if obj.cooperative_id:
        return {"type": "cooperative", "id": obj.cooperative.slug, "name": obj.cooperative.name}
    return {"type": "organisation", "id": obj.organisation.code, "name": obj.organisation.name}


def listing_out(x) -> dict:
    return {
        "code": x.code,
        "kind": x.kind,
        "need_type": x.need_type,
        "party": _party(x),
        "kecamatan": x.cooperative.kecamatan.name
        if x.cooperative_id and x.cooperative.kecamatan_id
        else None,
        "commodity": x.commodity,
        "category": x.category,
        "quantity_per_month": _s(x.quantity_per_month),
        "unit": x.unit,
        "price_min": _s(x.price_min),
        "price_max": _s(x.price_max),
        "quality": x.quality,
        "certifications": x.certifications,
        "note": x.note,
        "product": x.product.code if x.product_id else None,
        "active": x.active,
    }


class ListingFilters(Schema):
    kind: Choice(["", *Listing.Kind.values]) = ""
    category: Choice(["", *Category.values]) = ""
    q: Text(100) = ""
    limit: Limit = 100
    offset: Offset = 0


class ListingIn(Schema):
    kind: Choice(Listing.Kind.values)
    commodity: Text(120, min_length=1)
    category: Choice(Category.values) = Category.LAINNYA
    need_type: Choice(["", *Listing.NeedType.values]) = ""
    quantity_per_month: Quantity | None = None
    unit: Text(20, min_length=1) = "kg"
    price_min: Money | None = None
    price_max: Money | None = None
    quality: Text(200) = ""
    certifications: Text(200) = ""
    note: Text(2000) = ""


class DinasListingIn(ListingIn):
    cooperative: Text(60) = ""
    organisation: Text(12) = ""


def _fields(data: ListingIn) -> dict:
    d = data.dict()
    for key in ("kind", "cooperative", "organisation"):
        d.pop(key, None)
    return d


@router.get("/coops/{slug}/network/listings", response=responses(ListingList))
def coop_listings(request, slug: str, paging: Query[Paging]):
    """The cooperative's own offers and needs."""
    coop = api_coop(request, slug, APPROVERS, dinas_read=True).cooperative
    qs = selectors.listing_list([coop.kabupaten_id], cooperative=coop)
    return page(qs, paging.limit, paging.offset, listing_out)


@router.post("/coops/{slug}/network/listings", response=responses({201: ListingOut}))
def coop_listing_create(
    request, slug: str, data: ListingIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
):
    """Publish an offer or a need (a second active one of the same commodity: 422)."""
    coop = api_coop(request, slug, APPROVERS).cooperative

    def run():
        x = actions.listing_save(
            actor=request.user, kabupaten=coop.kabupaten, kind=data.kind, cooperative=coop, **_fields(data)
        )
        return 201, listing_out(selectors.listing_get([coop.kabupaten_id], x.code))

    status, payload = run_once(
        user=request.user,
        cooperative=coop,
        endpoint="network.listing_create",
        key=idempotency_key,
        body=data.dict(),
        fn=run,
    )
    return Status(status, payload)


@router.get("/coops/{slug}/network/offers", response=responses(ListingList))
def coop_offers(request, slug: str, f: Query[ListingFilters]):
    """Offers published to the network by the other parties of the kabupaten."""
    coop = api_coop(request, slug, APPROVERS, dinas_read=True).cooperative
    qs = selectors.listing_list(
        [coop.kabupaten_id], kind=Listing.Kind.OFFER, category=f.category, search=f.q
    ).exclude(cooperative=coop)
    return page(qs, f.limit, f.offset, listing_out)


@router.get("/dinas/network/listings", response=responses(ListingList))
def dinas_listings(request, f: Query[ListingFilters]):
    qs = selectors.listing_list(_kab(request), kind=f.kind, category=f.category, search=f.q)
    return page(qs, f.limit, f.offset, listing_out)


@router.post("/dinas/network/listings", response=responses({201: ListingOut}))
def dinas_listing_create(request, data: DinasListingIn):
    """An offer or a need of a registry cooperative (``cooperative``: its slug) or of an external
    party (``organisation``: its code); exactly one of them."""
    kab = _kab(request)
    coop = Cooperative.objects.filter(kabupaten_id__in=kab, slug=data.cooperative).first()
    org = Organisation.objects.filter(kabupaten_id__in=kab, code=data.organisation).first()
    if (data.cooperative and coop is None) or (data.organisation and org is None):
        raise HttpError(404, "Pihak tidak ditemukan.")
    x = actions.listing_save(
        actor=request.user,
        kabupaten=_one_kab(request),
        kind=data.kind,
        cooperative=coop,
        organisation=org,
        **_fields(data),
    )
    return Status(201, listing_out(selectors.listing_get(kab, x.code)))


# --- matches and introductions ------------------------------------------------------------------


class MatchOut(Schema):
    offer: ListingOut
    score: Decimal
    signals: dict[str, Decimal]
    nearness: str


class MatchList(Schema):
    items: list[MatchOut]
    count: int
    weights: dict[str, int]
    tie_break: list[str]


WEIGHTS = {"commodity": 40, "quantity": 20, "nearness": 20, "health": 10, "rat": 10}
TIE_BREAK = ["score", "nearness", "quantity", "listed", "code"]


def _matches(need, paging) -> dict:
    ranked = selectors.candidates(need, limit=200)
    out = page(
        ranked,
        paging.limit,
        paging.offset,
        lambda om: {
            "offer": listing_out(om[0]),
            "score": om[1].score,
            "signals": om[1].signals,
            "nearness": om[1].nearness,
        },
    )
    return {**out, "weights": WEIGHTS, "tie_break": TIE_BREAK}


def _coop_need(coop, code):
    need = selectors.listing_get([coop.kabupaten_id], code)
    if need.cooperative_id != coop.pk or need.kind != Listing.Kind.NEED:
        raise HttpError(404, "Tidak ditemukan.")
    return need


@router.get("/coops/{slug}/network/needs/{code}/matches", response=responses(MatchList))
def coop_matches(request, slug: str, code: str, paging: Query[Paging]):
    """Candidate offers for one of the cooperative's needs, best first, with each signal."""
    coop = api_coop(request, slug, APPROVERS, dinas_read=True).cooperative
    return _matches(_coop_need(coop, code), paging)


@router.get("/dinas/network/needs/{code}/matches", response=responses(MatchList))
def dinas_matches(request, code: str, paging: Query[Paging]):
    need = selectors.listing_get(_kab(request), code)
    if need.kind != Listing.Kind.NEED:
        raise HttpError(404, "Tidak ditemukan.")
    return _matches(need, paging)


class IntroductionOut(Schema):
    code: str
    need: ListingOut
    offer: ListingOut
    event: str | None
    score: Decimal
    reasons: list[str]
    need_answer: str
    offer_answer: str
    status: str


class IntroductionList(Schema):
    items: list[IntroductionOut]
    count: int


def intro_out(i) -> dict:
    return {
        "code": i.code,
        "need": listing_out(i.need),
        "offer": listing_out(i.offer),
        "event": i.event.code if i.event_id else None,
        "score": i.score,
        "reasons": [str(r) for r in i.reasons],
        "need_answer": i.need_answer,
        "offer_answer": i.offer_answer,
        "status": i.status,
    }


class ProposeIn(Schema):
    need: Text(12, min_length=1)
    offer: Text(12, min_length=1)
    event: Text(12) = ""
    note: Text(255) = ""


class AnswerIn(Schema):
    accept: bool
    side: Choice(["", "need", "offer"]) = ""


def _propose(request, kab_ids, data: ProposeIn, *, own=None):
    need = selectors.listing_get(kab_ids, data.need)
    offer = selectors.listing_get(kab_ids, data.offer)
    if own is not None and own.pk not in (need.cooperative_id, offer.cooperative_id):
        raise HttpError(404, "Tidak ditemukan.")
    event = program_selectors.event_get(kab_ids, data.event) if data.event else None
    match = next((m for o, m in selectors.candidates(need, limit=200) if o.pk == offer.pk), None)
    intro = actions.introduction_propose(
        actor=request.user,
        need=need,
        offer=offer,
        event=event,
        note=data.note,
        score=match.score if match else Decimal(0),
        reasons=[f"{k}: {v}" for k, v in (match.signals.items() if match else [])],
    )
    return Status(201, intro_out(selectors.introduction_get(kab_ids, intro.code)))


@router.get("/coops/{slug}/network/introductions", response=responses(IntroductionList))
def coop_introductions(request, slug: str, paging: Query[Paging]):
    coop = api_coop(request, slug, APPROVERS, dinas_read=True).cooperative
    return page(selectors.introductions_for(coop), paging.limit, paging.offset, intro_out)


@router.post("/coops/{slug}/network/introductions", response=responses({201: IntroductionOut}))
def coop_propose(request, slug: str, data: ProposeIn):
    """Propose an introduction between a need and an offer, one of them the cooperative's own."""
    coop = api_coop(request, slug, APPROVERS).cooperative
    return _propose(request, [coop.kabupaten_id], data, own=coop)


@router.post("/coops/{slug}/network/introductions/{code}/answer", response=responses(IntroductionOut))
def coop_answer(request, slug: str, code: str, data: AnswerIn):
    """The cooperative's answer for its side of the introduction."""
    coop = api_coop(request, slug, APPROVERS).cooperative
    intro = selectors.introduction_get(None, code, cooperative=coop)
    side = "need" if intro.need.cooperative_id == coop.pk else "offer"
    actions.introduction_answer(actor=request.user, introduction=intro, side=side, accept=data.accept)
    return intro_out(selectors.introduction_get(None, code, cooperative=coop))


@router.get("/dinas/network/introductions", response=responses(IntroductionList))
def dinas_introductions(request, paging: Query[Paging]):
    return page(selectors.introductions(_kab(request)), paging.limit, paging.offset, intro_out)


@router.post("/dinas/network/introductions", response=responses({201: IntroductionOut}))
def dinas_propose(request, data: ProposeIn):
    """Propose an introduction (``event``: the temu usaha where it was made)."""
    return _propose(request, _kab(request), data)


@router.post("/dinas/network/introductions/{code}/answer", response=responses(IntroductionOut))
def dinas_answer(request, code: str, data: AnswerIn):
    """The Dinas answers for an external party's side (``side``: need or offer)."""
    kab = _kab(request)
    intro = selectors.introduction_get(kab, code)
    if not data.side:
        raise HttpError(422, "Sebutkan pihak: need atau offer.")
    actions.introduction_answer(actor=request.user, introduction=intro, side=data.side, accept=data.accept)
    return intro_out(selectors.introduction_get(kab, code))


# --- agreements and realisation -----------------------------------------------------------------


class AgreementPartyOut(Schema):
    party: PartyOut
    role: str


class AgreementOut(Schema):
    code: str
    subject: str
    commodity: str
    category: str
    unit: str
    planned_volume: str | None
    planned_value: str | None
    price_terms: str
    start: dt.date
    end: dt.date | None
    status: str
    failure_reason: str
    event: str | None
    parties: list[AgreementPartyOut]
    evaluate_after_months: list[int]


class AgreementList(Schema):
    items: list[AgreementOut]
    count: int


def agreement_out(a) -> dict:
    return {
        "code": a.code,
        "subject": a.subject,
        "commodity": a.commodity,
        "category": a.category,
        "unit": a.unit,
        "planned_volume": _s(a.planned_volume),
        "planned_value": _s(a.planned_value),
        "price_terms": a.price_terms,
        "start": a.start,
        "end": a.end,
        "status": a.status,
        "failure_reason": a.failure_reason,
        "event": a.event.code if a.event_id else None,
        "parties": [{"party": _party(p), "role": p.role} for p in a.parties.all()],
        "evaluate_after_months": a.evaluate_after_months,
    }


class AgreementFilters(Schema):
    status: Choice(["", *TradeAgreement.Status.values]) = ""
    q: Text(100) = ""
    year: int | None = None
    limit: Limit = 100
    offset: Offset = 0


class MonthOut(Schema):
    month: dt.date
    volume: str
    planned: str
    realised: str
    cum_planned: str
    cum_realised: str
    achievement: str | None


class SourceOut(Schema):
    party: PartyOut
    source: str


class RealisationOut(Schema):
    agreement: str
    planned: str
    realised: str
    achievement: str | None
    months: list[MonthOut]
    sources: list[SourceOut]


def progress_out(a, p) -> dict:
    return {
        "agreement": a.code,
        "planned": str(p["planned"]),
        "realised": str(p["realised"]),
        "achievement": _s(p["achievement"]),
        "months": [
            {
                "month": r["month"],
                "volume": str(r["volume"]),
                "planned": str(r["planned"]),
                "realised": str(r["realised"]),
                "cum_planned": str(r["cum_planned"]),
                "cum_realised": str(r["cum_realised"]),
                "achievement": _s(r["achievement"]),
            }
            for r in p["rows"]
        ],
        "sources": [{"party": _party(s["party"]), "source": s["source"]} for s in p["sources"]],
    }


class RealisationIn(Schema):
    month: QueryDate
    volume: Quantity
    value: Money


class DinasRealisationIn(RealisationIn):
    cooperative: Text(60) = ""
    organisation: Text(12) = ""


def _check_year(year):
    if year is not None and not 1900 <= year <= 2100:
        raise HttpError(422, "Tahun harus 1900–2100.")


@router.get("/coops/{slug}/network/agreements", response=responses(AgreementList))
def coop_agreements(request, slug: str, f: Query[AgreementFilters]):
    """The agreements the cooperative is a party to."""
    _check_year(f.year)
    coop = api_coop(request, slug, APPROVERS, dinas_read=True).cooperative
    qs = selectors.agreement_list(
        [coop.kabupaten_id], cooperative=coop, status=f.status, commodity=f.q, year=f.year
    )
    return page(qs, f.limit, f.offset, agreement_out)


def _coop_agreement(request, slug, code, *, write=False):
    access = api_coop(request, slug, APPROVERS, dinas_read=not write)
    coop = access.cooperative
    a = selectors.agreement_get([coop.kabupaten_id], code, cooperative=coop)
    return access, coop, a, a.parties.filter(cooperative=coop).first()


@router.get("/coops/{slug}/network/agreements/{code}/realisation", response=responses(RealisationOut))
def coop_realisation(request, slug: str, code: str):
    """Planned against the cooperative's OWN realised figures (another party's stay private)."""
    access, _coop, a, mine = _coop_agreement(request, slug, code)
    return progress_out(a, selectors.agreement_progress(a, party=None if access.dinas else mine))


@router.post("/coops/{slug}/network/agreements/{code}/realisation", response=responses(RealisationOut))
def coop_realisation_report(
    request,
    slug: str,
    code: str,
    data: RealisationIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """The cooperative's figures of one month (a party whose books are on Kopdig: 422, its figures
    come from its sales and purchases carrying the agreement's code)."""
    _access, coop, a, mine = _coop_agreement(request, slug, code, write=True)

    def run():
        actions.realisation_report(
            actor=request.user,
            agreement=a,
            party=mine,
            month=data.month,
            volume=data.volume,
            value=data.value,
        )
        return 200, progress_out(a, selectors.agreement_progress(a, party=mine))

    status, payload = run_once(
        user=request.user,
        cooperative=coop,
        endpoint=f"network.realisation:{a.code}",
        key=idempotency_key,
        body=data.dict(),
        fn=run,
    )
    return Status(status, payload)


@router.get("/dinas/network/agreements", response=responses(AgreementList))
def dinas_agreements(request, f: Query[AgreementFilters]):
    _check_year(f.year)
    qs = selectors.agreement_list(_kab(request), status=f.status, commodity=f.q, year=f.year)
    return page(qs, f.limit, f.offset, agreement_out)


class PartyIn(Schema):
    cooperative: Text(60) = ""
    organisation: Text(12) = ""
    role: Choice(AgreementParty.Role.values)


class AgreementIn(Schema):
    subject: Text(255, min_length=1)
    commodity: Text(120, min_length=1)
    category: Choice(Category.values) = Category.LAINNYA
    unit: Text(20, min_length=1) = "kg"
    planned_volume: Quantity | None = None
    planned_value: Money | None = None
    price_terms: Text(255) = ""
    start: PlannedDate
    end: PlannedDate | None = None
    event: Text(12) = ""
    parties: list[PartyIn]
    evaluate_after_months: list[int] = []


def _parties(kab, parties: list[PartyIn]) -> list[dict]:
    coops = {
        c.slug: c
        for c in Cooperative.objects.filter(kabupaten_id__in=kab, slug__in=[p.cooperative for p in parties])
    }
    orgs = {
        o.code: o
        for o in Organisation.objects.filter(kabupaten_id__in=kab, code__in=[p.organisation for p in parties])
    }
    out = []
    for p in parties:
        coop, org = coops.get(p.cooperative), orgs.get(p.organisation)
        if (p.cooperative and coop is None) or (p.organisation and org is None):
            raise HttpError(404, "Pihak tidak ditemukan.")
        out.append({"cooperative": coop, "organisation": org, "role": p.role})
    return out


@router.post("/dinas/network/agreements", response=responses({201: AgreementOut}))
def dinas_agreement_create(request, data: AgreementIn):
    """Record an agreement between two or more parties; its evaluations are scheduled at once."""
    kab = _kab(request)
    if len(data.parties) > 50 or any(not 1 <= m <= 120 for m in data.evaluate_after_months):
        raise HttpError(422, "Paling banyak 50 pihak; evaluasi 1–120 bulan setelah mulai.")
    fields = data.dict(exclude={"parties", "evaluate_after_months", "event"})
    fields["event"] = program_selectors.event_get(kab, data.event) if data.event else None
    a = actions.trade_agreement_create(
        actor=request.user,
        kabupaten=_one_kab(request),
        parties=_parties(kab, data.parties),
        evaluate_after=data.evaluate_after_months or None,
        **fields,
    )
    return Status(201, agreement_out(selectors.agreement_get(kab, a.code)))


@router.get("/dinas/network/agreements/{code}", response=responses(AgreementOut))
def dinas_agreement(request, code: str):
    return agreement_out(selectors.agreement_get(_kab(request), code))


class StatusIn(Schema):
    status: Choice(TradeAgreement.Status.values)
    reason: Text(255) = ""


@router.post("/dinas/network/agreements/{code}/status", response=responses(AgreementOut))
def dinas_agreement_status(request, code: str, data: StatusIn):
    """Change the status (``failed`` needs a reason)."""
    kab = _kab(request)
    a = selectors.agreement_get(kab, code)
    actions.trade_agreement_status(actor=request.user, agreement=a, status=data.status, reason=data.reason)
    return agreement_out(selectors.agreement_get(kab, code))


@router.get("/dinas/network/agreements/{code}/realisation", response=responses(RealisationOut))
def dinas_realisation(request, code: str):
    """Planned against realised (every party; from the books where they are kept on Kopdig)."""
    a = selectors.agreement_get(_kab(request), code)
    return progress_out(a, selectors.agreement_progress(a))


@router.post("/dinas/network/agreements/{code}/realisation", response=responses(RealisationOut))
def dinas_realisation_report(request, code: str, data: DinasRealisationIn):
    """A party's figures of one month, entered by the officer (the same month again replaces them)."""
    a = selectors.agreement_get(_kab(request), code)
    party = (
        a.parties.filter(cooperative__slug=data.cooperative).first()
        if data.cooperative
        else a.parties.filter(organisation__code=data.organisation).first()
        if data.organisation
        else None
    )
    if party is None:
        raise HttpError(422, "Pihak ini bukan pihak kerja sama tersebut.")
    actions.realisation_report(
        actor=request.user, agreement=a, party=party, month=data.month, volume=data.volume, value=data.value
    )
    return progress_out(a, selectors.agreement_progress(a))


# --- evaluation -------------------------------------------------------------------------------


class EvaluationOut(Schema):
    agreement: str
    months_after: int
    due_on: dt.date
    held_on: dt.date | None
    planned_value: str | None
    realised_value: str | None
    answers: dict[str, bool]
    judgement: str
    note: str


class EvaluationList(Schema):
    items: list[EvaluationOut]
    count: int


def evaluation_out(e) -> dict:
    return {
        "agreement": e.agreement.code,
        "months_after": e.months_after,
        "due_on": e.due_on,
        "held_on": e.held_on,
        "planned_value": _s(e.planned_value),
        "realised_value": _s(e.realised_value),
        "answers": {k: bool(v) for k, v in (e.answers or {}).items()},
        "judgement": e.judgement,
        "note": e.note,
    }


class EvaluationFilters(Schema):
    due: bool = False
    limit: Limit = 100
    offset: Offset = 0


@router.get("/dinas/network/evaluations", response=responses(EvaluationList))
def dinas_evaluations(request, f: Query[EvaluationFilters]):
    """Scheduled evaluations (``due=true``: those due and not yet held)."""
    kab = _kab(request)
    qs = (
        selectors.due_evaluations(kab)
        if f.due
        else AgreementEvaluation.objects.filter(kabupaten_id__in=kab).select_related("agreement")
    )
    return page(qs, f.limit, f.offset, evaluation_out)


class EvaluationIn(Schema):
    held_on: QueryDate
    judgement: Choice(AgreementEvaluation.Judgement.values)
    answers: dict[str, bool] = {}
    note: Text(2000) = ""


@router.post("/dinas/network/agreements/{code}/evaluations/{months}", response=responses(EvaluationOut))
def dinas_evaluation_record(request, code: str, months: int, data: EvaluationIn):
    """Record the evaluation due ``months`` after the start: planned and realised are frozen from
    the figures up to ``held_on``."""
    a = selectors.agreement_get(_kab(request), code)
    ev = a.evaluations.filter(months_after=months).first()
    if ev is None:
        raise HttpError(404, "Tidak ditemukan.")
    if len(data.answers) > 20:
        raise HttpError(422, "Paling banyak 20 jawaban.")
    p = selectors.agreement_progress(a, today=data.held_on)
    ev = actions.evaluation_record(
        actor=request.user,
        evaluation=ev,
        held_on=data.held_on,
        planned=p["planned"],
        realised=p["realised"],
        answers={k[:40]: v for k, v in data.answers.items()},
        judgement=data.judgement,
        note=data.note,
    )
    return evaluation_out(ev)


class ReportOut(Schema):
    event: str
    title: str
    agreements: int
    signed: int
    active: int
    realised: int
    failed: int
    planned_value: str
    realised_value: str
    introductions: int
    accepted: int
    rows: list[dict]


@router.get("/dinas/network/events/{code}/report", response=responses(ReportOut))
def dinas_network_report(request, code: str):
    """The evaluation of the network that came out of one temu usaha."""
    kab = _kab(request)
    r = selectors.network_report(kab, program_selectors.event_get(kab, code))
    rows = [
        {
            "agreement": x["agreement"].code,
            "status": x["agreement"].status,
            "planned": str(x["planned"]),
            "realised": str(x["realised"]),
            "achievement": _s(x["achievement"]),
        }
        for x in r["rows"]
    ]
    return {
        **{
            k: r[k]
            for k in ("agreements", "signed", "active", "realised", "failed", "introductions", "accepted")
        },
        "event": r["event"].code,
        "title": r["event"].title,
        "planned_value": str(r["planned_value"]),
        "realised_value": str(r["realised_value"]),
        "rows": rows,
    }
