"""Reads of the business network: listings, ranked candidates for a need, agreements with their
realisation (books or reported), the evaluation report of a network, the network graph.
Every read takes the kabupaten ids (or the cooperative) explicitly; queries are bounded."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache

from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone

from kopdig.dinas import selectors as dinas_selectors
from kopdig.health import selectors as health_selectors
from kopdig.lib.money import ZERO
from kopdig.programs import selectors as program_selectors
from kopdig.usaha import selectors as usaha_selectors
from kopdig.usaha.models import PurchaseLine, SaleLine

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


@lru_cache(maxsize=4096)
def _split(code: str) -> tuple[str, ...]:
    """'35.13.14.2001' → ('35', '35.13', '35.13.14', '35.13.14.2001')."""
    parts = code.split(".") if code else []
    return tuple(".".join(parts[: i + 1]) for i in range(len(parts)))


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
    return _split(code)


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


OFFER_COLUMNS = (
    "pk",
    "code",
    "commodity",
    "category",
    "quantity_per_month",
    "cooperative_id",
    "cooperative__desa__code",
    "cooperative__kecamatan__code",
    "organisation__region__code",
)


def candidates(need: Listing, *, limit: int = 20) -> list[tuple[Listing, matching.Match]]:
    """The offers that may serve the need, ranked by the stated signals (``matching``). The SQL
    pre-filter keeps offers of the same category or sharing a word of the commodity; they are
    read as plain rows (bench/network: 20,000 offers), only the top ``limit`` as listings."""
    words = matching.words(need.commodity)
    text = Q(category=need.category)
    for w in words:
        text |= Q(commodity__icontains=w)
    rows = list(
        Listing.objects.filter(kabupaten_id=need.kabupaten_id, kind=Listing.Kind.OFFER, active=True)
        .filter(text)
        .exclude(cooperative=need.cooperative_id, organisation=need.organisation_id)
        .values_list(*OFFER_COLUMNS)
    )
    coop_ids = {r[5] for r in rows if r[5]} | ({need.cooperative_id} if need.cooperative_id else set())
    predicates, rat = _trust([need.kabupaten_id], coop_ids)
    offers = [
        matching.Side(
            code=code,
            commodity=commodity,
            category=category,
            quantity=qty,
            regions=_split(desa or kec or org_region or ""),
            predicate=predicates.get(coop) if coop else None,
            rat_held=rat.get(coop) if coop else None,
            listed=pk,
        )
        for pk, code, commodity, category, qty, coop, desa, kec, org_region in rows
    ]
    ranked = matching.rank(_side(need, predicates, rat), offers, limit)
    by_pk = Listing.objects.select_related(*LISTING_RELATED).in_bulk([m.offer.listed for m in ranked])
    return [(by_pk[m.offer.listed], m) for m in ranked]


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
    return "reported", {r.month: (r.volume, r.value) for r in party.realisations.all()}


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
    agreements = list(
        agreement_list(kabupaten_ids)
        .filter(event=event)
        .prefetch_related("evaluations", "parties__realisations")
        .order_by("code")
    )
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
    """Nodes (parties) and edges (agreements between each pair, weighted by realised value).
    Three queries whatever the size (bench/network: 5,000 agreements), plus the books of the few
    agreements with a party on Kopdig; parties are read as plain rows, not models."""
    qs = TradeAgreement.objects.filter(kabupaten_id__in=kabupaten_ids)
    if commodity:
        qs = qs.filter(commodity__icontains=commodity)
    if year:
        qs = qs.filter(start__year=year)
    if kecamatan:
        qs = qs.filter(parties__cooperative__kecamatan__code=kecamatan)
    ids = qs.values("pk")
    parties = defaultdict(list)
    for row in (
        AgreementParty.objects.filter(agreement__in=ids)
        .order_by("agreement_id", "pk")
        .values_list(
            "agreement_id",
            "role",
            "cooperative_id",
            "cooperative__name",
            "cooperative__on_kopdig",
            "organisation_id",
            "organisation__name",
            "pk",
            "agreement__code",
        )
    ):
        parties[row[0]].append(row)
    value = _realised_values(ids, parties)
    nodes, edges = {}, defaultdict(lambda: {"value": ZERO, "agreements": 0})
    for aid, rows in parties.items():
        keys = []
        for _a, _role, coop_id, coop_name, _on, org_id, org_name, _pk, _code in rows:
            key = ("c", coop_id) if coop_id else ("o", org_id)
            name = coop_name if coop_id else org_name
            nodes.setdefault(key, {"name": name, "external": coop_id is None, "value": ZERO})
            nodes[key]["value"] += value.get(aid, ZERO)
            keys.append(key)
        for i, x in enumerate(keys):
            for y in keys[i + 1 :]:
                edge = edges[(x, y) if x <= y else (y, x)]
                edge["value"] += value.get(aid, ZERO)
                edge["agreements"] += 1
    return {"nodes": nodes, "edges": dict(edges), "agreements": len(parties)}


def _realised_values(ids, parties: dict) -> dict[int, Decimal]:
    """{agreement id: realised value}, counted as ``realised_by_month`` counts it (the sellers'
    figures, else the buyers'; a party on Kopdig from its books, the others as reported) with
    one SQL aggregate per source instead of one read per agreement (bench/network). The books
    are the sums ``usaha.selectors.trade_totals`` makes: sale lines net of discounts for a
    seller, purchase lines for a buyer, carrying the agreement's code."""
    reported = dict(
        Realisation.objects.filter(agreement__in=ids)
        .values_list("party_id")
        .annotate(v=Sum("value"))
        .order_by()
    )
    on_books = [r for rows in parties.values() for r in rows if r[4]]
    coop_ids, refs = {r[2] for r in on_books}, {r[8] for r in on_books}
    sales = {
        (c, ref): v
        for c, ref, v in SaleLine.objects.filter(cooperative_id__in=coop_ids, sale__trade_ref__in=refs)
        .values_list("cooperative_id", "sale__trade_ref")
        .annotate(v=Sum("net"))
        .order_by()
    }
    purchases = {
        (c, ref): v
        for c, ref, v in PurchaseLine.objects.filter(
            cooperative_id__in=coop_ids, purchase__trade_ref__in=refs
        )
        .values_list("cooperative_id", "purchase__trade_ref")
        .annotate(v=Sum("total"))
        .order_by()
    }
    out = {}
    for aid, rows in parties.items():
        figures = []
        for _a, role, coop_id, _n, on_kopdig, _o, _on, pk, code in rows:
            books = purchases if role == AgreementParty.Role.BUYER else sales
            value = books.get((coop_id, code)) if on_kopdig else reported.get(pk)
            if value is not None:
                figures.append((role == AgreementParty.Role.SELLER, value))
        counted = [v for seller, v in figures if seller] or [v for seller, v in figures if not seller]
        out[aid] = sum(counted, ZERO)
    return out
