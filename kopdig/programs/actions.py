"""Writes of the programmes app: settings, organisations, persons, events, participants and the
waiting list, attendance, materials, evaluations, certificates, agreements and follow-ups.

Every action runs in ``action_atomic()``, checks the actor (a Dinas officer of the kabupaten;
where said, a cooperative's pengurus or the participant through their personal link) and writes
one audit row. Programme data is supervision data: nothing here touches a cooperative's books.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from kopdig import audit
from kopdig.lib.errors import DomainError, NotAllowed
from kopdig.lib.nik import nik_error
from kopdig.lib.tokens import hash_token, new_secret
from kopdig.lib.transactions import action_atomic
from kopdig.tenancy.access import APPROVERS, SYSTEM, require_dinas, require_role
from kopdig.tenancy.models import Cooperative, Region

from . import cohorts
from .models import (
    Agreement,
    Attendance,
    Evaluation,
    Event,
    FollowUp,
    Material,
    Organisation,
    Participation,
    Person,
    ProgramSettings,
)

EVENT_FIELDS = [
    "kind",
    "title",
    "objectives",
    "start_date",
    "end_date",
    "venue",
    "kecamatan",
    "organiser",
    "budget_line",
    "budget",
    "realised_cost",
    "capacity",
    "target_jenis",
    "target_kelompok",
    "target_note",
    "min_days",
    "status",
]
ORGANISATION_FIELDS = ["name", "kind", "region", "address", "contact", "phone"]
FOLLOW_UP_FIELDS = [
    "what",
    "owner_section",
    "owner_cooperative",
    "owner_organisation",
    "deadline",
    "event",
    "agreement",
]
AGREEMENT_FIELDS = ["number", "subject", "signed_on", "valid_until", "event", "dinas_party", "document"]
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp"}


class ProgramError(DomainError):
    pass


def _audit(actor, action, *, kabupaten_id, obj=None, ref="", summary="", before=None, after=None, coop=None):
    audit.record(
        None if actor is SYSTEM else actor,
        action,
        kabupaten=kabupaten_id,
        cooperative=coop,
        obj=obj,
        ref=ref,
        summary=summary,
        before=before,
        after=after,
    )


# --- settings and registries ------------------------------------------------------------------


def program_settings_update(*, actor, kabupaten, cohorts_list, youth_min_age: int, youth_max_age: int):
    require_dinas(actor, kabupaten.pk, "mengubah pengaturan program")
    error = cohorts.cohorts_error(cohorts_list)
    if error:
        raise ProgramError(error)
    if not 0 < youth_min_age <= youth_max_age <= 100:
        raise ProgramError("Rentang usia pemuda tidak valid.")
    with action_atomic():
        obj, _ = ProgramSettings.objects.select_for_update().get_or_create(kabupaten=kabupaten)
        before = {"cohorts": obj.cohorts, "youth": [obj.youth_min_age, obj.youth_max_age]}
        obj.cohorts, obj.youth_min_age, obj.youth_max_age = cohorts_list, youth_min_age, youth_max_age
        obj.save()
        _audit(
            actor,
            "program_settings_update",
            kabupaten_id=kabupaten.pk,
            before=before,
            after={"cohorts": cohorts_list, "youth": [youth_min_age, youth_max_age]},
        )
    return obj


def organisation_save(*, actor, kabupaten, organisation=None, **fields) -> Organisation:
    """Create an organisation of the Dinas's registry, or change one."""
    require_dinas(actor, kabupaten.pk, "mengubah registri lembaga")
    _only(fields, ORGANISATION_FIELDS)
    name = (fields.get("name") or getattr(organisation, "name", "")).strip()
    if not name:
        raise ProgramError("Nama lembaga wajib diisi.")
    with action_atomic():
        obj = organisation or Organisation(kabupaten=kabupaten)
        before = audit.snapshot(obj, list(fields)) if organisation else None
        for key, value in fields.items():
            setattr(obj, key, value)
        obj.name = name
        if Organisation.objects.filter(kabupaten=kabupaten, name__iexact=name).exclude(pk=obj.pk).exists():
            raise ProgramError(f"Lembaga '{name}' sudah ada di registri.")
        obj.save()
        _audit(
            actor,
            "organisation_save",
            kabupaten_id=kabupaten.pk,
            obj=obj,
            ref=obj.name,
            before=before,
            after=audit.snapshot(obj, list(fields)),
        )
    return obj


def _only(fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _person_identity(nik: str) -> tuple[str, dt.date, str]:
    nik = "".join(str(nik or "").split())
    error = nik_error(nik)
    if error:
        raise ProgramError(error)
    gender = "P" if int(nik[6:8]) > 40 else "L"
    return nik, cohorts.nik_birth_date(nik, timezone.localdate()), gender


def person_save(
    *,
    actor,
    kabupaten,
    nik: str,
    name: str,
    phone: str = "",
    position: str = "",
    cooperative: Cooperative | None = None,
    organisation: Organisation | None = None,
    member=None,
) -> Person:
    """The person with this NIK in the kabupaten, created or updated (birth date and gender from the
    NIK). A cooperative's pengurus may register their own people; the Dinas anyone."""
    who = _require_registrar(actor, kabupaten, cooperative)
    nik, birth_date, gender = _person_identity(nik)
    name = (name or "").strip()
    if not name:
        raise ProgramError("Nama peserta wajib diisi.")
    if cooperative is not None and cooperative.kabupaten_id != kabupaten.pk:
        raise ProgramError("Koperasi tidak berada di kabupaten ini.")
    with action_atomic():
        person = Person.objects.select_for_update().filter(kabupaten=kabupaten, nik=nik).first()
        if who == "coop" and person is not None and person.cooperative_id not in (None, cooperative.pk):
            raise ProgramError(
                "NIK ini sudah terdaftar untuk koperasi lain; hubungi Dinas untuk mengubahnya."
            )
        before = audit.snapshot(person, ["name", "cooperative", "organisation"]) if person else None
        person = person or Person(kabupaten=kabupaten, nik=nik)
        person.name, person.birth_date, person.gender = name[:150], birth_date, gender
        person.phone, person.position = phone[:20], position[:100]
        person.cooperative = cooperative or person.cooperative
        person.organisation = organisation or person.organisation
        person.member = member or person.member
        person.save()
        _audit(
            actor,
            "person_save",
            kabupaten_id=kabupaten.pk,
            obj=person,
            ref=person.name,
            before=before,
            after=audit.snapshot(person, ["name", "cooperative", "organisation"]),
        )
    return person


def _require_registrar(actor, kabupaten, cooperative) -> str:
    """'dinas' for an officer of the kabupaten; 'coop' for the pengurus/manajer of ``cooperative``."""
    try:
        require_dinas(actor, kabupaten.pk, "mendaftarkan peserta")
        return "dinas"
    except NotAllowed:
        if cooperative is None:
            raise
    require_role(actor, cooperative, APPROVERS, "mendaftarkan peserta program")
    return "coop"


# --- events -----------------------------------------------------------------------------------


def _check_event_fields(kabupaten, fields, current=None):
    start = fields.get("start_date", getattr(current, "start_date", None))
    end = fields.get("end_date", getattr(current, "end_date", None))
    if not start or not end:
        raise ProgramError("Tanggal mulai dan selesai wajib diisi.")
    if end < start:
        raise ProgramError("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    if (end - start).days > 60:
        raise ProgramError("Satu kegiatan paling lama 60 hari.")
    kec = fields.get("kecamatan")
    if kec is not None and (kec.level != Region.Level.KECAMATAN or kec.parent_id != kabupaten.pk):
        raise ProgramError("Kecamatan tidak berada di kabupaten ini.")
    for key in ("budget", "realised_cost"):
        if fields.get(key) is not None and fields[key] < 0:
            raise ProgramError("Anggaran dan realisasi biaya tidak boleh negatif.")
    if fields.get("min_days") is not None and fields["min_days"] > (end - start).days + 1:
        raise ProgramError("Hari hadir minimal melebihi lama kegiatan.")


def _next_event_code(kabupaten, year: int) -> str:
    prefix = f"{year}-"
    last = (
        Event.objects.filter(kabupaten=kabupaten, code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    n = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{n:03d}"


def event_save(*, actor, kabupaten, event: Event | None = None, co_organisers=None, **fields) -> Event:
    """Create a programme event (numbered per kabupaten and year: 2021-003) or change one."""
    require_dinas(actor, kabupaten.pk, "mengatur kegiatan program")
    _only(fields, EVENT_FIELDS)
    _check_event_fields(kabupaten, fields, event)
    with action_atomic():
        if event is None:
            Region.objects.select_for_update().filter(pk=kabupaten.pk).first()  # serialise numbering
            event = Event(
                kabupaten=kabupaten,
                created_by=None if actor is SYSTEM else actor,
                code=_next_event_code(kabupaten, fields["start_date"].year),
            )
            before = None
        else:
            event = Event.objects.select_for_update().get(pk=event.pk)
            before = audit.snapshot(event, list(fields))
        for key, value in fields.items():
            setattr(event, key, value)
        event.save()
        if co_organisers is not None:
            event.co_organisers.set(co_organisers)
        _audit(
            actor,
            "event_save",
            kabupaten_id=kabupaten.pk,
            obj=event,
            ref=event.code,
            before=before,
            after=audit.snapshot(event, list(fields)),
        )
    return event


def _registered_count(event) -> int:
    return event.participations.filter(
        status=Participation.Status.REGISTERED, role=Participation.Role.PESERTA
    ).count()


def _check_target(event, cooperative, role):
    if role != Participation.Role.PESERTA or cooperative is None:
        return
    if event.target_jenis and cooperative.jenis not in event.target_jenis:
        raise ProgramError(f"{cooperative.name} tidak termasuk sasaran kegiatan ini (jenis koperasi).")
    if event.target_kelompok and cooperative.kelompok not in event.target_kelompok:
        raise ProgramError(f"{cooperative.name} tidak termasuk sasaran kegiatan ini (kelompok koperasi).")


def participant_register(
    *, actor, event: Event, person: Person, role: str = Participation.Role.PESERTA, topic: str = ""
) -> tuple[Participation, str]:
    """Register a person for an event: registered while there is room, else on the waiting list
    (speakers and committee are never counted against the capacity). Returns the participation
    and the raw token of the personal QR link (shown once; only its hash is kept)."""
    who = _require_registrar(actor, event.kabupaten, person.cooperative)
    if who == "coop" and event.status != Event.Status.OPEN:
        raise ProgramError("Pendaftaran kegiatan ini tidak dibuka.")
    if event.status in (Event.Status.DONE, Event.Status.CANCELLED):
        raise ProgramError("Kegiatan ini sudah selesai atau dibatalkan.")
    if role not in Participation.Role.values:
        raise ProgramError("Peran peserta tidak dikenal.")
    _check_target(event, person.cooperative, role)
    raw = new_secret()
    with action_atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if Participation.objects.filter(event=event, person=person).exists():
            raise ProgramError(f"{person.name} sudah terdaftar pada kegiatan ini.")
        p = Participation(
            kabupaten_id=event.kabupaten_id,
            event=event,
            person=person,
            role=role,
            topic=topic[:200],
            cooperative=person.cooperative,
            token_hash=hash_token(raw),
            registered_by=None if actor is SYSTEM else actor,
        )
        if (
            role == Participation.Role.PESERTA
            and event.capacity
            and _registered_count(event) >= event.capacity
        ):
            p.status = Participation.Status.WAITING
            p.waiting_position = event.participations.filter(status=Participation.Status.WAITING).count() + 1
        p.save()
        _audit(
            actor,
            "participant_register",
            kabupaten_id=event.kabupaten_id,
            obj=p,
            ref=event.code,
            coop=person.cooperative,
            summary=f"{person.name}: {p.get_status_display()}",
        )
    return p, raw


def participant_cancel(*, actor, participation: Participation) -> Participation | None:
    """Cancel a registration; the first on the waiting list takes the place. Returns the promoted one."""
    _require_registrar(actor, participation.event.kabupaten, participation.person.cooperative)
    with action_atomic():
        event = Event.objects.select_for_update().get(pk=participation.event_id)
        p = Participation.objects.select_for_update().get(pk=participation.pk)
        if p.status == Participation.Status.CANCELLED:
            raise ProgramError("Pendaftaran ini sudah dibatalkan.")
        was = p.status
        p.status, p.waiting_position = Participation.Status.CANCELLED, None
        p.save(update_fields=["status", "waiting_position"])
        promoted = None
        if was == Participation.Status.REGISTERED and p.role == Participation.Role.PESERTA:
            promoted = (
                event.participations.select_for_update()
                .filter(status=Participation.Status.WAITING)
                .order_by("waiting_position")
                .first()
            )
            if promoted:
                promoted.status, promoted.waiting_position = Participation.Status.REGISTERED, None
                promoted.save(update_fields=["status", "waiting_position"])
        _audit(
            actor,
            "participant_cancel",
            kabupaten_id=event.kabupaten_id,
            obj=p,
            ref=event.code,
            summary=p.person.name + (f"; {promoted.person.name} naik dari daftar tunggu" if promoted else ""),
        )
    return promoted


def participant_reissue_link(*, actor, participation: Participation) -> str:
    """A new personal QR link (the old one stops working): for a lost invitation."""
    require_dinas(actor, participation.kabupaten_id, "menerbitkan ulang tautan peserta")
    raw = new_secret()
    with action_atomic():
        Participation.objects.filter(pk=participation.pk).update(token_hash=hash_token(raw))
        _audit(
            actor,
            "participant_reissue_link",
            kabupaten_id=participation.kabupaten_id,
            obj=participation,
            ref=participation.event.code,
            summary=participation.person.name,
        )
    return raw


def participation_by_token(raw: str) -> Participation | None:
    """The participation a personal link opens (None for an unknown or cancelled one)."""
    if not raw:
        return None
    return (
        Participation.objects.select_related("event", "person", "cooperative")
        .filter(token_hash=hash_token(raw))
        .exclude(status=Participation.Status.CANCELLED)
        .first()
    )


# --- attendance -------------------------------------------------------------------------------


def _check_day(event, day: dt.date):
    if not event.start_date <= day <= event.end_date:
        raise ProgramError(f"Tanggal {day:%d-%m-%Y} bukan hari kegiatan ini.")


def attendance_check_in(
    *, actor, event: Event, participation: Participation, day: dt.date, method: str = Attendance.Method.QR
) -> tuple[Attendance, bool]:
    """Record that a participant attended ``day`` (a Dinas officer scans the QR or ticks the list).
    Returns (attendance, created): a second scan the same day changes nothing."""
    require_dinas(actor, event.kabupaten_id, "mencatat kehadiran")
    if participation.event_id != event.pk:
        raise ProgramError("QR ini milik peserta kegiatan lain.")
    if participation.status != Participation.Status.REGISTERED:
        raise ProgramError(
            f"{participation.person.name} tidak terdaftar sebagai peserta (status: "
            f"{participation.get_status_display()})."
        )
    _check_day(event, day)
    with action_atomic():
        try:
            with (
                transaction.atomic()
            ):  # a savepoint: a second scan the same day keeps the outer action usable
                att = Attendance.objects.create(
                    kabupaten_id=event.kabupaten_id,
                    participation=participation,
                    day=day,
                    method=method,
                    checked_by=None if actor is SYSTEM else actor,
                )
        except IntegrityError:  # already checked in that day (or a concurrent scan of the same QR won)
            return Attendance.objects.get(participation=participation, day=day), False
        _audit(
            actor,
            "attendance_check_in",
            kabupaten_id=event.kabupaten_id,
            obj=att,
            ref=event.code,
            summary=f"{participation.person.name}, {day:%d-%m-%Y}",
        )
    return att, True


def attendance_list_save(*, actor, event: Event, day: dt.date, present: set[int]) -> dict:
    """The officer's ticked list for ``day``: participations in ``present`` (ids) are marked
    present, the others not. Returns {"added": n, "removed": n}."""
    require_dinas(actor, event.kabupaten_id, "mencatat kehadiran")
    _check_day(event, day)
    with action_atomic():
        registered = dict(
            event.participations.filter(status=Participation.Status.REGISTERED).values_list(
                "pk", "person__name"
            )
        )
        unknown = set(present) - set(registered)
        if unknown:
            raise ProgramError("Daftar hadir memuat orang yang bukan peserta terdaftar kegiatan ini.")
        have = set(
            Attendance.objects.filter(participation__event=event, day=day).values_list(
                "participation_id", flat=True
            )
        )
        add, remove = set(present) - have, have - set(present)
        Attendance.objects.bulk_create(
            [
                Attendance(
                    kabupaten_id=event.kabupaten_id,
                    participation_id=pid,
                    day=day,
                    method=Attendance.Method.LIST,
                    checked_by=None if actor is SYSTEM else actor,
                )
                for pid in sorted(add)
            ]
        )
        Attendance.objects.filter(participation__event=event, day=day, participation_id__in=remove).delete()
        _audit(
            actor,
            "attendance_list_save",
            kabupaten_id=event.kabupaten_id,
            obj=event,
            ref=event.code,
            summary=f"{day:%d-%m-%Y}: +{len(add)} / -{len(remove)}",
        )
    return {"added": len(add), "removed": len(remove)}


# --- materials and evaluation -----------------------------------------------------------------


def _check_file(upload, what: str):
    if upload is None:
        return
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ProgramError(f"{what} terlalu besar (maksimal 10 MB).")
    if getattr(upload, "content_type", None) not in EVIDENCE_TYPES:
        raise ProgramError(f"{what} harus berupa PDF atau foto (JPEG, PNG, WebP).")


def material_add(
    *, actor, event: Event, title: str, upload, speaker: Participation | None = None
) -> Material:
    require_dinas(actor, event.kabupaten_id, "menambah materi")
    if not (title or "").strip():
        raise ProgramError("Judul materi wajib diisi.")
    if upload is None:
        raise ProgramError("Berkas materi wajib diunggah.")
    if upload.size > 4 * MAX_EVIDENCE_BYTES:
        raise ProgramError("Berkas materi terlalu besar (maksimal 40 MB).")
    if speaker is not None and speaker.event_id != event.pk:
        raise ProgramError("Narasumber bukan dari kegiatan ini.")
    with action_atomic():
        m = Material.objects.create(
            kabupaten_id=event.kabupaten_id,
            event=event,
            title=title.strip()[:200],
            speaker=speaker,
            file=upload,
        )
        _audit(actor, "material_add", kabupaten_id=event.kabupaten_id, obj=m, ref=event.code, summary=m.title)
    return m


def evaluation_submit(
    *, participation: Participation, rating: int, speaker_ratings: dict | None = None, comment: str = ""
) -> Evaluation:
    """A participant's evaluation, through their personal link (the link is the credential: the
    audit names no user). Only a participant who attended at least one day, once."""
    if participation.status != Participation.Status.REGISTERED:
        raise ProgramError("Hanya peserta terdaftar yang dapat mengisi evaluasi.")
    if not participation.attendances.exists():
        raise ProgramError("Evaluasi dapat diisi setelah Anda tercatat hadir.")
    if not 1 <= int(rating) <= 5:
        raise ProgramError("Nilai kegiatan harus 1 sampai 5.")
    speakers = set(
        Participation.objects.filter(
            event_id=participation.event_id, role=Participation.Role.NARASUMBER
        ).values_list("pk", flat=True)
    )
    clean = {}
    for key, value in (speaker_ratings or {}).items():
        if int(key) not in speakers or not 1 <= int(value) <= 5:
            raise ProgramError("Nilai narasumber tidak valid.")
        clean[str(int(key))] = int(value)
    with action_atomic():
        if Evaluation.objects.filter(participation=participation).exists():
            raise ProgramError("Anda sudah mengisi evaluasi kegiatan ini.")
        ev = Evaluation.objects.create(
            kabupaten_id=participation.kabupaten_id,
            participation=participation,
            event_id=participation.event_id,
            rating=int(rating),
            speaker_ratings=clean,
            comment=(comment or "")[:2000],
        )
        _audit(
            SYSTEM,
            "evaluation_submit",
            kabupaten_id=participation.kabupaten_id,
            obj=ev,
            ref=participation.event.code,
            summary="evaluasi peserta",
        )
    return ev


# --- certificates -----------------------------------------------------------------------------


def certificate_key() -> bytes:
    return ("kopdig-certificate:" + settings.SECRET_KEY).encode()


def _days_attended(participation) -> int:
    return participation.attendances.count()


def certificates_issue(*, actor, event: Event, on: dt.date | None = None) -> list[Participation]:
    """Number a certificate for every registered participant who met the attendance rule and has
    none yet (gapless per event: SERT/2021-003/001). Returns the newly numbered participations."""
    require_dinas(actor, event.kabupaten_id, "menerbitkan sertifikat")
    on = on or timezone.localdate()
    with action_atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        need = cohorts.required_days(event.days, event.min_days)
        rows = list(
            event.participations.select_for_update()
            .filter(
                status=Participation.Status.REGISTERED, role=Participation.Role.PESERTA, certificate_number=""
            )
            .order_by("person__name", "pk")
        )
        counts = _attendance_counts(event)
        issued = []
        for p in rows:
            if counts.get(p.pk, 0) < need:
                continue
            event.certificate_count += 1
            p.certificate_number = f"SERT/{event.code}/{event.certificate_count:03d}"
            p.certificate_issued_on = on
            issued.append(p)
        Participation.objects.bulk_update(issued, ["certificate_number", "certificate_issued_on"])
        event.save(update_fields=["certificate_count"])
        _audit(
            actor,
            "certificates_issue",
            kabupaten_id=event.kabupaten_id,
            obj=event,
            ref=event.code,
            summary=f"{len(issued)} sertifikat diterbitkan",
        )
    return issued


def _attendance_counts(event) -> dict[int, int]:
    return dict(
        Attendance.objects.filter(participation__event=event)
        .values("participation_id")
        .annotate(n=Count("pk"))
        .values_list("participation_id", "n")
    )


def certificate_issue(*, actor, participation: Participation, on: dt.date | None = None) -> Participation:
    """One participant's certificate; refused when the attendance rule is not met."""
    event = participation.event
    need = cohorts.required_days(event.days, event.min_days)
    if participation.certificate_number:
        return participation
    if (
        participation.status != Participation.Status.REGISTERED
        or participation.role != Participation.Role.PESERTA
    ):
        raise ProgramError("Sertifikat hanya untuk peserta terdaftar.")
    if _days_attended(participation) < need:
        raise ProgramError(
            f"{participation.person.name} hadir {_days_attended(participation)} dari {need} hari "
            "yang disyaratkan: belum berhak sertifikat."
        )
    issued = certificates_issue(actor=actor, event=event, on=on)
    return next((p for p in issued if p.pk == participation.pk), participation)


# --- agreements and follow-ups ----------------------------------------------------------------


def agreement_save(
    *, actor, kabupaten, agreement: Agreement | None = None, organisations=None, cooperatives=None, **fields
) -> Agreement:
    require_dinas(actor, kabupaten.pk, "mencatat nota kesepahaman")
    _only(fields, AGREEMENT_FIELDS)
    signed = fields.get("signed_on", getattr(agreement, "signed_on", None))
    until = fields.get("valid_until", getattr(agreement, "valid_until", None))
    if signed is None or not (fields.get("subject") or getattr(agreement, "subject", "")).strip():
        raise ProgramError("Perihal dan tanggal penandatanganan wajib diisi.")
    if until is not None and until < signed:
        raise ProgramError("Masa berlaku tidak boleh berakhir sebelum tanggal penandatanganan.")
    parties = (
        len(organisations or []) + len(cooperatives or []) + (1 if fields.get("dinas_party", True) else 0)
    )
    if agreement is None and parties < 2:
        raise ProgramError("Nota kesepahaman memerlukan sedikitnya dua pihak.")
    _check_file(fields.get("document") or None, "Dokumen")
    with action_atomic():
        obj = agreement or Agreement(kabupaten=kabupaten)
        for key, value in fields.items():
            setattr(obj, key, value)
        obj.save()
        if organisations is not None:
            obj.organisations.set(organisations)
        if cooperatives is not None:
            obj.cooperatives.set(cooperatives)
        _audit(
            actor,
            "agreement_save",
            kabupaten_id=kabupaten.pk,
            obj=obj,
            ref=obj.number or obj.code,
            summary=obj.subject[:200],
        )
    return obj


def follow_up_save(*, actor, kabupaten, follow_up: FollowUp | None = None, **fields) -> FollowUp:
    require_dinas(actor, kabupaten.pk, "mencatat tindak lanjut")
    _only(fields, FOLLOW_UP_FIELDS)
    if not (fields.get("what") or getattr(follow_up, "what", "")).strip():
        raise ProgramError("Uraian tindak lanjut wajib diisi.")
    if not fields.get("deadline", getattr(follow_up, "deadline", None)):
        raise ProgramError("Tenggat tindak lanjut wajib diisi.")
    owners = [fields.get(k) for k in ("owner_section", "owner_cooperative", "owner_organisation")]
    if follow_up is None and not any(owners):
        raise ProgramError("Tentukan penanggung jawab: bidang Dinas, koperasi atau lembaga.")
    with action_atomic():
        obj = follow_up or FollowUp(kabupaten=kabupaten)
        before = audit.snapshot(obj, list(fields)) if follow_up else None
        for key, value in fields.items():
            setattr(obj, key, value)
        obj.save()
        _audit(
            actor,
            "follow_up_save",
            kabupaten_id=kabupaten.pk,
            obj=obj,
            ref=obj.code,
            summary=obj.what[:200],
            before=before,
            after=audit.snapshot(obj, list(fields)),
        )
    return obj


def follow_up_progress(
    *, actor, follow_up: FollowUp, status: str, note: str = "", evidence=None, on: dt.date | None = None
) -> FollowUp:
    """Report progress: the Dinas, or the pengurus of the cooperative that owns the follow-up."""
    if follow_up.owner_cooperative_id:
        _require_registrar(actor, follow_up.kabupaten, follow_up.owner_cooperative)
    else:
        require_dinas(actor, follow_up.kabupaten_id, "memperbarui tindak lanjut")
    if status not in FollowUp.Status.values:
        raise ProgramError("Status tindak lanjut tidak dikenal.")
    _check_file(evidence, "Bukti")
    with action_atomic():
        obj = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        before = {"status": obj.status}
        obj.status = status
        if note:
            obj.progress_note = (obj.progress_note + "\n" if obj.progress_note else "") + note[:1000]
        if evidence is not None:
            obj.evidence = evidence
        obj.done_on = (on or timezone.localdate()) if status == FollowUp.Status.DONE else None
        obj.save()
        _audit(
            actor,
            "follow_up_progress",
            kabupaten_id=obj.kabupaten_id,
            obj=obj,
            ref=obj.code,
            coop=obj.owner_cooperative,
            before=before,
            after={"status": status},
        )
    return obj
