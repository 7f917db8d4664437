"""Writes of the business network: listings (offers and needs), introductions and their answers,
trade agreements with their parties and status, reported realisation, evaluations.

Every action runs in ``action_atomic()``, checks the actor and writes one audit row. A
cooperative's pengurus or manajer acts for their own cooperative; the Dinas officer of the
kabupaten for anyone (also for external parties, who have no login).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kopdig import audit
from kopdig.lib.dates import add_months
from kopdig.lib.errors import DomainError, NotAllowed
from kopdig.lib.transactions import action_atomic
from kopdig.tenancy.access import APPROVERS, SYSTEM, require_dinas, require_role

from .models import AgreementEvaluation, AgreementParty, Introduction, Listing, Realisation, TradeAgreement

LISTING_FIELDS = [
    "need_type",
    "product",
    "commodity",
    "category",
    "quantity_per_month",
    "unit",
    "price_min",
    "price_max",
    "quality",
    "certifications",
    "note",
    "active",
]
AGREEMENT_FIELDS = [
    "subject",
    "commodity",
    "category",
    "unit",
    "planned_volume",
    "planned_value",
    "price_terms",
    "start",
    "end",
    "event",
    "introduction",
    "document",
]
DEFAULT_EVALUATIONS = [6, 12]


class NetworkError(DomainError):
    pass


def _user(actor):
    return None if actor is SYSTEM or not getattr(actor, "is_authenticated", False) else actor


def _audit(actor, action, *, kabupaten_id, obj=None, ref="", summary="", coop=None, before=None, after=None):
    audit.record(
        _user(actor),
        action,
        kabupaten=kabupaten_id,
        cooperative=coop,
        obj=obj,
        ref=ref,
        summary=summary,
        before=before,
        after=after,
    )


def _require_party(actor, kabupaten_id, cooperative) -> None:
    """The Dinas of the kabupaten for anyone; a cooperative's pengurus/manajer for itself."""
    try:
        require_dinas(actor, kabupaten_id, "mengelola jejaring usaha")
        return
    except NotAllowed:
        if cooperative is None:
            raise
    require_role(actor, cooperative, APPROVERS, "mengelola jejaring usaha")


def _check_listing(fields):
    if not (fields.get("commodity") or "").strip():
        raise NetworkError("Komoditas wajib diisi.")
    lo, hi = fields.get("price_min"), fields.get("price_max")
    for v in (lo, hi, fields.get("quantity_per_month")):
        if v is not None and v < 0:
            raise NetworkError("Jumlah dan harga tidak boleh negatif.")
    if lo is not None and hi is not None and hi < lo:
        raise NetworkError("Harga tertinggi tidak boleh di bawah harga terendah.")


def listing_save(
    *, actor, kabupaten, kind: str, cooperative=None, organisation=None, listing=None, **fields
) -> Listing:
    """Publish an offer or a need (or change one). A second active listing of the same kind and
    commodity by the same party is refused as a duplicate."""
    _require_party(actor, kabupaten.pk, cooperative if listing is None else listing.cooperative)
    unknown = set(fields) - set(LISTING_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if kind not in Listing.Kind.values:
        raise NetworkError("Jenis daftar harus penawaran atau kebutuhan.")
    if listing is None and (cooperative is None) == (organisation is None):
        raise NetworkError("Tentukan satu pihak: koperasi atau pihak luar.")
    merged = {k: getattr(listing, k) for k in LISTING_FIELDS} if listing else {}
    merged.update(fields)
    _check_listing(merged)
    product = merged.get("product")
    if (
        product is not None
        and (cooperative or listing.cooperative)
        and product.cooperative_id != (cooperative or listing.cooperative).pk
    ):
        raise NetworkError("Produk bukan dari katalog koperasi ini.")
    with action_atomic():
        obj = listing or Listing(
            kabupaten=kabupaten, kind=kind, cooperative=cooperative, organisation=organisation
        )
        for key, value in merged.items():
            setattr(obj, key, value.strip() if isinstance(value, str) else value)
        dupes = Listing.objects.filter(
            kabupaten=kabupaten,
            kind=obj.kind,
            active=True,
            cooperative=obj.cooperative,
            organisation=obj.organisation,
            commodity__iexact=obj.commodity,
        )
        if obj.active and dupes.exclude(pk=obj.pk).exists():
            raise NetworkError(f"{obj.get_kind_display()} '{obj.commodity}' dari pihak ini sudah ada.")
        obj.save()
        _audit(
            actor,
            "listing_save",
            kabupaten_id=kabupaten.pk,
            obj=obj,
            ref=obj.code,
            coop=obj.cooperative,
            summary=f"{obj.get_kind_display()}: {obj.commodity}",
        )
    return obj


def introduction_propose(
    *, actor, need: Listing, offer: Listing, score=Decimal(0), reasons=None, event=None, note: str = ""
) -> Introduction:
    """Propose that the owner of a need meets the owner of an offer (the Dinas, or the pengurus of
    either side). Both sides then accept or decline."""
    if need.kind != Listing.Kind.NEED or offer.kind != Listing.Kind.OFFER:
        raise NetworkError("Perkenalan menghubungkan satu kebutuhan dengan satu penawaran.")
    if need.kabupaten_id != offer.kabupaten_id:
        raise NotAllowed("Penawaran dan kebutuhan dari jejaring lain.")
    if need.party == offer.party:
        raise NetworkError("Kebutuhan dan penawaran dari pihak yang sama.")
    try:
        _require_party(actor, need.kabupaten_id, need.cooperative)
    except NotAllowed:
        _require_party(actor, need.kabupaten_id, offer.cooperative)
    with action_atomic():
        if Introduction.objects.filter(need=need, offer=offer).exists():
            raise NetworkError("Perkenalan ini sudah diusulkan.")
        intro = Introduction.objects.create(
            kabupaten_id=need.kabupaten_id,
            need=need,
            offer=offer,
            event=event,
            score=score,
            reasons=reasons or [],
            note=note[:255],
            proposed_by=_user(actor),
        )
        _audit(
            actor,
            "introduction_propose",
            kabupaten_id=need.kabupaten_id,
            obj=intro,
            ref=intro.code,
            summary=f"{need.party_name} ↔ {offer.party_name}: {need.commodity}",
        )
    return intro


def introduction_answer(*, actor, introduction: Introduction, side: str, accept: bool) -> Introduction:
    """The need's or the offer's side accepts or declines (its pengurus; the Dinas for an external
    party)."""
    if side not in ("need", "offer"):
        raise NetworkError("Pihak tidak dikenal.")
    listing = introduction.need if side == "need" else introduction.offer
    if listing.cooperative is not None:
        require_role(actor, listing.cooperative, APPROVERS, "menjawab perkenalan")
    else:
        require_dinas(actor, introduction.kabupaten_id, "menjawab perkenalan untuk pihak luar")
    with action_atomic():
        intro = Introduction.objects.select_for_update().get(pk=introduction.pk)
        field = f"{side}_answer"
        if getattr(intro, field) != Introduction.Answer.PENDING:
            raise NetworkError("Perkenalan ini sudah dijawab.")
        setattr(intro, field, Introduction.Answer.ACCEPTED if accept else Introduction.Answer.DECLINED)
        intro.save(update_fields=[field])
        _audit(
            actor,
            "introduction_answer",
            kabupaten_id=intro.kabupaten_id,
            obj=intro,
            ref=intro.code,
            coop=listing.cooperative,
            summary=f"{'menerima' if accept else 'menolak'} ({side})",
        )
    return intro


def _next_code(kabupaten, year: int) -> str:
    prefix = f"KS-{year}-"
    last = (
        TradeAgreement.objects.filter(kabupaten=kabupaten, code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:03d}"


def _check_parties(parties, kabupaten):
    if len(parties) < 2:
        raise NetworkError("Kerja sama memerlukan sedikitnya dua pihak.")
    seen = set()
    for p in parties:
        party = p.get("cooperative") or p.get("organisation")
        if party is None or (p.get("cooperative") and p.get("organisation")):
            raise NetworkError("Setiap pihak adalah satu koperasi atau satu pihak luar.")
        if party in seen:
            raise NetworkError(f"{party} tercantum dua kali.")
        seen.add(party)
        if p.get("role") not in AgreementParty.Role.values:
            raise NetworkError("Peran pihak tidak dikenal.")
        if p.get("cooperative") is not None and p["cooperative"].kabupaten_id != kabupaten.pk:
            raise NetworkError(f"{party} bukan koperasi kabupaten ini; catat sebagai pihak luar.")


def trade_agreement_create(
    *, actor, kabupaten, parties: list[dict], evaluate_after=None, **fields
) -> TradeAgreement:
    """Record an agreement between two or more parties (each {cooperative|organisation, role}).
    Its evaluations are scheduled at once (default 6 and 12 months after the start)."""
    require_dinas(actor, kabupaten.pk, "mencatat kerja sama")
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if not (fields.get("subject") or "").strip() or not (fields.get("commodity") or "").strip():
        raise NetworkError("Perihal dan komoditas wajib diisi.")
    start, end = fields.get("start"), fields.get("end")
    if start is None:
        raise NetworkError("Tanggal mulai wajib diisi.")
    if end is not None and end < start:
        raise NetworkError("Tanggal berakhir tidak boleh sebelum tanggal mulai.")
    for key in ("planned_volume", "planned_value"):
        if fields.get(key) is not None and fields[key] < 0:
            raise NetworkError("Rencana volume dan nilai tidak boleh negatif.")
    _check_parties(parties, kabupaten)
    months = sorted(set(evaluate_after or DEFAULT_EVALUATIONS))
    with action_atomic():
        agreement = TradeAgreement.objects.create(
            kabupaten=kabupaten,
            code=_next_code(kabupaten, start.year),
            evaluate_after_months=months,
            **fields,
        )
        AgreementParty.objects.bulk_create(
            [
                AgreementParty(
                    kabupaten=kabupaten,
                    agreement=agreement,
                    role=p["role"],
                    cooperative=p.get("cooperative"),
                    organisation=p.get("organisation"),
                )
                for p in parties
            ]
        )
        AgreementEvaluation.objects.bulk_create(
            [
                AgreementEvaluation(
                    kabupaten=kabupaten,
                    agreement=agreement,
                    months_after=m,
                    due_on=add_months(start, m),
                )
                for m in months
            ]
        )
        _audit(
            actor,
            "trade_agreement_create",
            kabupaten_id=kabupaten.pk,
            obj=agreement,
            ref=agreement.code,
            summary=agreement.subject[:200],
        )
    return agreement


def trade_agreement_status(
    *, actor, agreement: TradeAgreement, status: str, reason: str = ""
) -> TradeAgreement:
    require_dinas(actor, agreement.kabupaten_id, "mengubah status kerja sama")
    if status not in TradeAgreement.Status.values:
        raise NetworkError("Status kerja sama tidak dikenal.")
    if status == TradeAgreement.Status.FAILED and not reason.strip():
        raise NetworkError("Sebutkan alasan kerja sama gagal.")
    with action_atomic():
        obj = TradeAgreement.objects.select_for_update().get(pk=agreement.pk)
        before = obj.status
        obj.status, obj.failure_reason = status, reason.strip()[:255] if status == "failed" else ""
        obj.save(update_fields=["status", "failure_reason"])
        _audit(
            actor,
            "trade_agreement_status",
            kabupaten_id=obj.kabupaten_id,
            obj=obj,
            ref=obj.code,
            before={"status": before},
            after={"status": status, "reason": obj.failure_reason},
        )
    return obj


def realisation_report(
    *,
    actor,
    agreement: TradeAgreement,
    party: AgreementParty,
    month: dt.date,
    volume: Decimal,
    value: Decimal,
) -> Realisation:
    """A party's monthly figures (the short form on a phone). Refused for a cooperative that is
    not a party, and for a party whose books are on Kopdig (its figures come from them)."""
    if party.agreement_id != agreement.pk:
        raise NotAllowed("Pihak ini bukan pihak kerja sama tersebut.")
    _require_party(actor, agreement.kabupaten_id, party.cooperative)
    if party.cooperative is not None and party.cooperative.on_kopdig:
        raise NetworkError("Realisasi koperasi ini dihitung dari pembukuannya di Kopdig.")
    month = month.replace(day=1)
    if month < agreement.start.replace(day=1) or (agreement.end and month > agreement.end):
        raise NetworkError("Bulan di luar masa kerja sama.")
    if month > timezone.localdate():
        raise NetworkError("Realisasi tidak dapat dilaporkan untuk bulan yang belum berjalan.")
    if volume < 0 or value < 0:
        raise NetworkError("Volume dan nilai tidak boleh negatif.")
    with action_atomic():
        obj, created = Realisation.objects.select_for_update().get_or_create(
            party=party,
            month=month,
            defaults={
                "kabupaten_id": agreement.kabupaten_id,
                "agreement": agreement,
                "volume": volume,
                "value": value,
                "reported_by": _user(actor),
            },
        )
        before = None if created else {"volume": str(obj.volume), "value": str(obj.value)}
        if not created:
            obj.volume, obj.value, obj.reported_by = volume, value, _user(actor)
            obj.save()
        _audit(
            actor,
            "realisation_report",
            kabupaten_id=agreement.kabupaten_id,
            obj=obj,
            ref=agreement.code,
            coop=party.cooperative,
            before=before,
            after={"month": month.isoformat(), "volume": str(volume), "value": str(value)},
        )
    return obj


def evaluation_record(
    *,
    actor,
    evaluation: AgreementEvaluation,
    held_on: dt.date,
    planned: Decimal | None,
    realised: Decimal,
    answers: dict,
    judgement: str,
    note: str = "",
) -> AgreementEvaluation:
    """The officer's evaluation: the planned and realised values are frozen with it."""
    require_dinas(actor, evaluation.kabupaten_id, "mengevaluasi kerja sama")
    if judgement not in AgreementEvaluation.Judgement.values:
        raise NetworkError("Pilih keputusan: lanjutkan, perbaiki atau akhiri.")
    with action_atomic():
        obj = AgreementEvaluation.objects.select_for_update().get(pk=evaluation.pk)
        if obj.held_on is not None:
            raise NetworkError("Evaluasi ini sudah dicatat.")
        obj.held_on, obj.planned_value, obj.realised_value = held_on, planned, realised
        obj.answers, obj.judgement, obj.note, obj.officer = answers, judgement, note[:2000], _user(actor)
        obj.save()
        _audit(
            actor,
            "evaluation_record",
            kabupaten_id=obj.kabupaten_id,
            obj=obj,
            ref=obj.agreement.code,
            summary=f"{obj.months_after} bulan: {obj.get_judgement_display()}",
        )
    return obj
