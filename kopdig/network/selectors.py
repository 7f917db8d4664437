"""Reads of the business network: listings, ranked candidates for a need, agreements with their
realisation (books or reported), the evaluation report of a network, the network graph.
Every read takes the kabupaten ids (or the cooperative) explicitly; queries are bounded."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from kopdig.dinas import selectors as dinas_selectors
from kopdig.health import selectors as health_selectors
from kopdig.lib.money import ZERO
from kopdig.programs import selectors as program_selectors
from kopdig.usaha import selectors as usaha_selectors

from . import matching
from . import realisation as kernel
from .models import AgreementEvaluation, AgreementParty, Introduction, Listing, Realisation, TradeAgreement

LISTING_RELATED = ("cooperative__kecamatan", "cooperative__desa", "organisation__region", "product")


def listing_list(
    kabupaten_ids,
    *,
    kind: str = "",
    category: str = "",
    kecamatan: str = "",
    search: str = "",
    cooperative=None,
):
    qs = Listing.objects.filter(kabupaten_id__in=kabupaten_ids, active=True).select_related(*LISTING_RELATED)
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category=category)
    if kecamatan:
        qs = qs.filter(cooperative__kecamatan__code=kecamatan)
    if search:
        qs = qs.filter(commodity__icontains=search)
    if cooperative is not None:
        qs = qs.filter(cooperative=cooperative)
    return qs


def listing_get(kabupaten_ids, code: str) -> Listing:
    obj = (
        Listing.objects.select_related(*LISTING_RELATED)
        .filter(kabupaten_id__in=kabupaten_ids, code=code)
        .first()
    )
    if obj is None:
        raise Http404
    return obj


def _regions(listing) -> tuple[str, ...]:
    """Province, kabupaten, kecamatan, desa codes of a party (as far as known)."""
    if listing.cooperative_id:
        c = listing.cooperative
        code = c.desa.code if c.desa_id else c.kecamatan.code if c.kecamatan_id else ""
    else:
        code = (
            listing.organisation.region.code
            if listing.organisation and listing.organisation.region_id
            else ""
        )
    parts = code.split(".") if code else []
    return tuple(".".join(parts[: i + 1]) for i in range(len(parts)))


def _trust(kabupaten_ids, coop_ids) -> tuple[dict, dict]:
    """({coop id: latest published predicate}, {coop id: RAT held for the last book year})."""
    predicates = {
        e.cooperative_id: e.predicate
        for e in health_selectors.latest_results(kabupaten_ids)
        if e.cooperative_id in coop_ids and e.status == "published"
    }
    last = dinas_selectors.last_book_year()
    held = dinas_selectors.last_rat_years(coop_ids)
    return predicates, {c: held.get(c, 0) >= last for c in coop_ids}


def _side(listing, predicates, rat) -> matching.Side:
    coop = listing.cooperative_id
    return matching.Side(
        code=listing.code,
        commodity=listing.commodity,
        category=listing.category,
        quantity=listing.quantity_per_month,
        regions=_regions(listing),
        predicate=predicates.get(coop) if coop else None,
        rat_held=rat.get(coop) if coop else None,
        listed=listing.pk,
    )


def candidates(need: Listing, *, limit: int = 20) -> list[tuple[Listing, matching.Match]]:
    """The offers that may serve the need, ranked by the stated signals (``matching``)."""
    words = matching.words(need.commodity)
    text = Q(category=need.category)
    for w in words:
        text |= Q(commodity__icontains=w)
    offers = list(
        listing_list([need.kabupaten_id], kind=Listing.Kind.OFFER)
        .filter(text)
        .exclude(cooperative=need.cooperative_id, organisation=need.organisation_id)
    )
    coop_ids = {o.cooperative_id for o in offers if o.cooperative_id}
    predicates, rat = _trust([need.kabupaten_id], coop_ids)
    by_code = {o.code: o for o in offers}
    ranked = matching.rank(_side(need, predicates, rat), [_side(o, predicates, rat) for o in offers], limit)
    return [(by_code[m.offer.code], m) for m in ranked]


def meeting(event) -> dict:
    """A temu usaha (a programme event): its participants' parties (the cooperatives they
    represent, the organisations of the others, and the parties of the introductions recorded
    there), their active offers and needs, for each need the
    participants' offers that fit it (ranked by ``matching``), and the introductions made there."""
    parts = [
        p for p in program_selectors.participants(event) if p.status == "registered" and p.role == "peserta"
    ]
    coop_ids = {p.cooperative_id for p in parts if p.cooperative_id}
    org_ids = {p.person.organisation_id for p in parts if not p.cooperative_id and p.person.organisation_id}
    intros = list(introductions([event.kabupaten_id]).filter(event=event))
    for i in intros:  # parties met there (a partner's delegate may not be on the list)
        for x in (i.need, i.offer):
            if x.cooperative_id:
                coop_ids.add(x.cooperative_id)
            else:
                org_ids.add(x.organisation_id)
    listings = list(
        listing_list([event.kabupaten_id]).filter(
            Q(cooperative_id__in=coop_ids) | Q(organisation_id__in=org_ids)
        )
    )
    offers = [x for x in listings if x.kind == Listing.Kind.OFFER]
    needs = [x for x in listings if x.kind == Listing.Kind.NEED]
    predicates, rat = _trust([event.kabupaten_id], {x.cooperative_id for x in listings if x.cooperative_id})
    sides = {x.code: _side(x, predicates, rat) for x in listings}
    by_code = {x.code: x for x in offers}
    pairs = []
    for need in needs:
        own = [o for o in offers if o.party != need.party]
        ranked = matching.rank(sides[need.code], [sides[o.code] for o in own], limit=5)
        pairs.append((need, [(by_code[m.offer.code], m) for m in ranked]))
    return {
        "event": event,
        "parties": len(coop_ids) + len(org_ids),
        "offers": offers,
        "needs": needs,
        "pairs": pairs,
        "introductions": intros,
    }


def introductions_for(cooperative):
    return Introduction.objects.filter(
        Q(need__cooperative=cooperative) | Q(offer__cooperative=cooperative)
    ).select_related("need__cooperative", "need__organisation", "offer__cooperative", "offer__organisation")


def introductions(kabupaten_ids):
    return Introduction.objects.filter(kabupaten_id__in=kabupaten_ids).select_related(
        "need__cooperative", "need__organisation", "offer__cooperative", "offer__organisation"
    )


def introduction_get(kabupaten_ids, code: str, cooperative=None) -> Introduction:
    qs = introductions_for(cooperative) if cooperative is not None else introductions(kabupaten_ids)
    obj = qs.filter(code=code).first()
    if obj is None:
        raise Http404
    return obj


# --- agreements and realisation ---------------------------------------------------------------


def agreement_list(
    kabupaten_ids, *, cooperative=None, status: str = "", commodity: str = "", year: int | None = None
):
    qs = TradeAgreement.objects.filter(kabupaten_id__in=kabupaten_ids).prefetch_related(
        "parties__cooperative", "parties__organisation"
    )
    if cooperative is not None:
        qs = qs.filter(parties__cooperative=cooperative).distinct()
    if status:
        qs = qs.filter(status=status)
    if commodity:
        qs = qs.filter(commodity__icontains=commodity)
    if year:
        qs = qs.filter(start__year=year)
    return qs


def agreement_get(kabupaten_ids, code: str, cooperative=None) -> TradeAgreement:
    obj = agreement_list(kabupaten_ids, cooperative=cooperative).filter(code=code).first()
    if obj is None:
        raise Http404
    return obj


def _party_months(agreement, party) -> tuple[str, dict]:
    """(source, {month: (volume, value)}) of one party: its books when it keeps them on Kopdig
    (sales for a seller, purchases for a buyer), else what it reported."""
    if party.cooperative_id and party.cooperative.on_kopdig:
        side = "purchase" if party.role == AgreementParty.Role.BUYER else "sale"
        return "books", usaha_selectors.trade_totals(party.cooperative, agreement.code, side=side)
    rows = Realisation.objects.filter(party=party).values_list("month", "volume", "value")
    return "reported", {m: (v, val) for m, v, val in rows}


def realised_by_month(agreement, party=None) -> tuple[dict, dict, list]:
    """({month: volume}, {month: value}, per-party sources) of the agreement. What was traded is
    counted once, on the sellers' side; only when no seller has figures, on the buyers' side.
    With ``party``: that party's own figures only (what a cooperative party may see: another
    party's books and reports stay private to it and the Dinas)."""
    parties = [party] if party is not None else list(agreement.parties.all())
    per_party = [(p, *_party_months(agreement, p)) for p in parties]
    sellers = [x for x in per_party if x[0].role == AgreementParty.Role.SELLER and x[2]]
    counted = sellers or [x for x in per_party if x[0].role != AgreementParty.Role.SELLER and x[2]]
    volume, value = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    for _party, _source, months in counted:
        for month, (q, v) in months.items():
            volume[month] += q
            value[month] += v
    return dict(volume), dict(value), [{"party": p, "source": s} for p, s, _m in per_party]


def agreement_progress(agreement, today: dt.date | None = None, party=None) -> dict:
    """Planned against realised per month up to ``today`` (or the end); with ``party``, against
    that party's own figures only (``realised_by_month``)."""
    today = today or timezone.localdate()
    end = min(agreement.end or today, today)
    months = kernel.months_between(agreement.start, max(end, agreement.start))
    volume, value, sources = realised_by_month(agreement, party)
    rows = kernel.planned_vs_realised(months, agreement.planned_value, value)
    for row in rows:
        row["volume"] = volume.get(row["month"], ZERO)
    total = rows[-1] if rows else {"cum_planned": ZERO, "cum_realised": ZERO, "achievement": None}
    return {
        "rows": rows,
        "sources": sources,
        "planned": total["cum_planned"],
        "realised": total["cum_realised"],
        "achievement": total["achievement"],
    }


def due_evaluations(kabupaten_ids, today: dt.date | None = None):
    today = today or timezone.localdate()
    return (
        AgreementEvaluation.objects.filter(
            kabupaten_id__in=kabupaten_ids, held_on__isnull=True, due_on__lte=today
        )
        .select_related("agreement")
        .order_by("due_on")
    )


def network_report(kabupaten_ids, event) -> dict:
    """The evaluation of one network: every agreement that came out of one temu usaha, how many
    were signed, active, realised, with the values — the question the Dinas has to answer."""
    agreements = list(agreement_list(kabupaten_ids).filter(event=event).order_by("code"))
    rows = []
    for a in agreements:
        p = agreement_progress(a)
        rows.append(
            {
                "agreement": a,
                "planned": p["planned"],
                "realised": p["realised"],
                "achievement": p["achievement"],
                "evaluations": list(a.evaluations.all()),
            }
        )
    signed = [r for r in rows if r["agreement"].status != TradeAgreement.Status.DRAFT]
    intros = Introduction.objects.filter(kabupaten_id__in=kabupaten_ids, event=event)
    return {
        "event": event,
        "rows": rows,
        "agreements": len(rows),
        "signed": len(signed),
        "active": sum(1 for r in rows if r["agreement"].status == TradeAgreement.Status.ACTIVE),
        "realised": sum(1 for r in rows if r["realised"] > 0),
        "failed": sum(1 for r in rows if r["agreement"].status == TradeAgreement.Status.FAILED),
        "planned_value": sum((r["planned"] for r in rows), ZERO),
        "realised_value": sum((r["realised"] for r in rows), ZERO),
        "introductions": intros.count(),
        "accepted": sum(1 for i in intros if i.status == "accepted"),
    }


def graph(kabupaten_ids, *, commodity: str = "", kecamatan: str = "", year: int | None = None) -> dict:
    """Nodes (parties) and edges (agreements between each pair, weighted by realised value)."""
    agreements = agreement_list(kabupaten_ids, commodity=commodity, year=year)
    if kecamatan:
        agreements = agreements.filter(parties__cooperative__kecamatan__code=kecamatan).distinct()
    agreements = list(agreements)
    value = _realised_values(agreements)
    nodes, edges = {}, defaultdict(lambda: {"value": ZERO, "agreements": 0})
    for a in agreements:
        keys = []
        for p in a.parties.all():
            key = ("c", p.cooperative_id) if p.cooperative_id else ("o", p.organisation_id)
            nodes.setdefault(key, {"name": p.party_name, "external": p.cooperative_id is None, "value": ZERO})
            nodes[key]["value"] += value.get(a.pk, ZERO)
            keys.append(key)
        for i, x in enumerate(keys):
            for y in keys[i + 1 :]:
                edge = edges[tuple(sorted((x, y)))]
                edge["value"] += value.get(a.pk, ZERO)
                edge["agreements"] += 1
    return {"nodes": nodes, "edges": dict(edges), "agreements": len(agreements)}


def _realised_values(agreements) -> dict[int, Decimal]:
    """{agreement id: realised value}, counted as ``realised_by_month`` counts it: reported figures
    in one query; an agreement with a party whose books are on Kopdig is read from the books."""
    reported = defaultdict(lambda: ZERO)
    for aid, role, val in Realisation.objects.filter(agreement__in=agreements).values_list(
        "agreement_id", "party__role", "value"
    ):
        reported[(aid, role == AgreementParty.Role.SELLER)] += val
    out = {}
    for a in agreements:
        if any(p.cooperative_id and p.cooperative.on_kopdig for p in a.parties.all()):
            out[a.pk] = sum(realised_by_month(a)[1].values(), ZERO)
        else:
            out[a.pk] = reported.get((a.pk, True)) or reported.get((a.pk, False), ZERO)
    return out
