"""Writes of the Dinas app: registry changes, officers and staff, reported annual figures, RAT
records, status decisions, regency settings, invitations of a cooperative's first pengurus.

Every action is a durable transaction, checks that the actor is a Dinas officer of the
cooperative's kabupaten (or, where said, the cooperative's own pengurus) and writes an audit row.
Dinas users write supervision data only, never a cooperative's books or members.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kopdig import audit
from kopdig.lib.errors import DomainError, NotAllowed
from kopdig.lib.money import q
from kopdig.lib.tokens import hash_token, new_secret
from kopdig.lib.transactions import action_atomic, batch
from kopdig.tenancy.access import BOARD, require_dinas, require_role
from kopdig.tenancy.actions import role_grant, user_create
from kopdig.tenancy.models import Cooperative, Region, Role

from .models import (
    COUNT_FIGURES,
    FIGURES,
    AnnualReport,
    CoopOfficer,
    CoopStaff,
    DinasSettings,
    Invitation,
    RatRecord,
)

# Registry fields an officer may change with cooperative_update. Status has its own decision
# (cooperative_status_confirm); keeping books on Kopdig is set up by the tenancy app.
UPDATABLE_FIELDS = [
    "name",
    "badan_hukum_number",
    "badan_hukum_date",
    "nik",
    "npwp",
    "jenis",
    "kelompok",
    "bentuk",
    "has_usp",
    "kbli",
    "address",
    "kecamatan",
    "desa",
    "founded_on",
    "phone",
    "email",
    "open_loop",
]
INVITATION_DAYS = 7


class InvitationInvalid(DomainError):
    pass


def _reporter(actor, cooperative) -> str:
    """'dinas' for an officer of the kabupaten, 'pengurus' for the cooperative's own board."""
    try:
        require_dinas(actor, cooperative.kabupaten_id)
        return "dinas"
    except NotAllowed:
        pass
    try:
        require_role(actor, cooperative, BOARD)
    except NotAllowed:
        raise NotAllowed(
            "Hanya petugas Dinas atau pengurus koperasi ini yang dapat melaporkan data ini."
        ) from None
    return "pengurus"


def _check_regions(cooperative, fields):
    kec = fields.get("kecamatan", cooperative.kecamatan)
    desa = fields.get("desa", cooperative.desa)
    if kec is not None and (kec.level != Region.Level.KECAMATAN or kec.parent_id != cooperative.kabupaten_id):
        raise DomainError("Kecamatan tidak berada di kabupaten ini.")
    if desa is not None and (
        desa.level != Region.Level.DESA or (kec is not None and desa.parent_id != kec.pk)
    ):
        raise DomainError("Desa tidak berada di kecamatan yang dipilih.")


def _clean_registry(cooperative, fields):
    unknown = set(fields) - set(UPDATABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown or protected registry fields: {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise DomainError("Nama koperasi wajib diisi.")
    if "jenis" in fields and fields["jenis"] not in Cooperative.Jenis.values:
        raise DomainError("Jenis koperasi tidak dikenal.")
    if "kelompok" in fields and fields["kelompok"] not in Cooperative.Kelompok.values:
        raise DomainError("Kelompok koperasi tidak dikenal.")
    if "bentuk" in fields and fields["bentuk"] not in Cooperative.Bentuk.values:
        raise DomainError("Bentuk koperasi tidak dikenal.")
    if fields.get("nik"):
        nik = str(fields["nik"]).strip()
        if not nik.isdigit() or len(nik) > 20:
            raise DomainError("NIK koperasi harus berupa angka.")
        fields["nik"] = nik
    _check_regions(cooperative, fields)
    return fields


def _audit_fields():
    return UPDATABLE_FIELDS + ["status"]


def cooperative_update(*, actor, cooperative: Cooperative, **fields) -> Cooperative:
    """Change registry fields of a cooperative (Dinas officer of its kabupaten); audited before/after."""
    require_dinas(actor, cooperative.kabupaten_id)
    with action_atomic():
        coop = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
        fields = _clean_registry(coop, dict(fields))
        _apply_registry(actor, coop, fields, "cooperative_update")
    return coop


def _apply_registry(actor, coop, fields, action, summary=""):
    """Inside a transaction: save changed fields and audit the difference. Not durable."""
    before = audit.snapshot(coop, list(fields))
    for name, value in fields.items():
        setattr(coop, name, value)
    after = audit.snapshot(coop, list(fields))
    b, a = audit.diff(before, after)
    if a:
        coop.save(update_fields=[f for f in fields if f in a])
        audit.record(
            actor,
            action,
            cooperative=coop,
            obj=coop,
            ref=coop.slug,
            summary=summary or coop.name,
            before=b,
            after=a,
        )
    return a


def cooperative_status_confirm(
    *, actor, cooperative: Cooperative, status: str, note: str = ""
) -> Cooperative:
    """The officer's decision on a cooperative's status (aktif / tidak aktif / dibubarkan). Never automatic."""
    require_dinas(actor, cooperative.kabupaten_id)
    if status not in Cooperative.Status.values:
        raise DomainError("Status tidak dikenal.")
    with action_atomic():
        coop = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
        before = coop.status
        coop.status = status
        coop.save(update_fields=["status"])
        audit.record(
            actor,
            "cooperative_status_confirm",
            cooperative=coop,
            obj=coop,
            ref=coop.slug,
            summary=note[:255],
            before={"status": before},
            after={"status": status},
        )
    return coop


# ---------------------------------------------------------------- officers and staff


def _dates_ok(start, end, message):
    if start and end and end < start:
        raise DomainError(message)


def _clean_name(name) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("Nama wajib diisi.")
    return name


def _person_for_update(model, cooperative, code: str, missing: str):
    person = model.objects.select_for_update().filter(cooperative=cooperative, code=code).first()
    if person is None:
        raise DomainError(missing)
    return person


def _person_save(actor, cooperative, model, code, values: dict, *, action: str, missing: str):
    """The one save of a cooperative's officer (CoopOfficer) or staff (CoopStaff) row, after the
    action checked access and input: add one (code None) or change the one with ``code``; audited
    before/after."""
    with action_atomic():
        before = None
        if code:
            person = _person_for_update(model, cooperative, code, missing)
            before = audit.snapshot(person, list(values))
            for k, v in values.items():
                setattr(person, k, v)
            person.save()
        else:
            person = model.objects.create(cooperative=cooperative, **values)
        audit.record(
            actor,
            action,
            cooperative=cooperative,
            obj=person,
            ref=person.code,
            summary=str(person),
            before=before,
            after=audit.snapshot(person, list(values)),
        )
    return person


def _person_delete(actor, cooperative, model, code: str, *, fields: list, action: str, missing: str) -> None:
    """The one delete of an officer or staff row; the audit row keeps ``fields`` of it."""
    with action_atomic():
        person = _person_for_update(model, cooperative, code, missing)
        snap = audit.snapshot(person, fields)
        person.delete()
        audit.record(actor, action, cooperative=cooperative, ref=code, summary=snap["name"], before=snap)


OFFICER_MISSING = "Pengurus/pengawas tidak ditemukan."
STAFF_MISSING = "Karyawan tidak ditemukan."


def coop_officer_save(
    *,
    actor,
    cooperative,
    body: str,
    position: str,
    name: str,
    phone: str = "",
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
    code: str | None = None,
) -> CoopOfficer:
    """Add (code None) or change a pengurus/pengawas member of a cooperative (Dinas officer)."""
    require_dinas(actor, cooperative.kabupaten_id)
    if body not in CoopOfficer.Body.values or position not in CoopOfficer.Position.values:
        raise DomainError("Organ atau jabatan tidak dikenal.")
    name = _clean_name(name)
    _dates_ok(term_start, term_end, "Akhir masa jabatan tidak boleh sebelum awalnya.")
    values = {
        "body": body,
        "position": position,
        "name": name,
        "phone": phone.strip(),
        "term_start": term_start,
        "term_end": term_end,
    }
    return _person_save(
        actor, cooperative, CoopOfficer, code, values, action="coop_officer_save", missing=OFFICER_MISSING
    )


def coop_officer_delete(*, actor, cooperative, code: str) -> None:
    require_dinas(actor, cooperative.kabupaten_id)
    _person_delete(
        actor,
        cooperative,
        CoopOfficer,
        code,
        fields=["body", "position", "name", "term_start", "term_end"],
        action="coop_officer_delete",
        missing=OFFICER_MISSING,
    )


def coop_staff_save(
    *,
    actor,
    cooperative,
    position: str,
    name: str,
    phone: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    code: str | None = None,
) -> CoopStaff:
    """Add (code None) or change a manajer/karyawan of a cooperative (Dinas officer or its pengurus)."""
    _reporter(actor, cooperative)
    if position not in CoopStaff.Position.values:
        raise DomainError("Jabatan tidak dikenal.")
    name = _clean_name(name)
    _dates_ok(since, until, "Tanggal berhenti tidak boleh sebelum tanggal mulai.")
    values = {"position": position, "name": name, "phone": phone.strip(), "since": since, "until": until}
    return _person_save(
        actor, cooperative, CoopStaff, code, values, action="coop_staff_save", missing=STAFF_MISSING
    )


def coop_staff_delete(*, actor, cooperative, code: str) -> None:
    _reporter(actor, cooperative)
    _person_delete(
        actor,
        cooperative,
        CoopStaff,
        code,
        fields=["position", "name", "since", "until"],
        action="coop_staff_delete",
        missing=STAFF_MISSING,
    )


# ---------------------------------------------------------------- annual figures and RAT


def _check_year(cooperative, year: int, today=None):
    today = today or timezone.localdate()
    if not isinstance(year, int) or year < 1945 or year >= today.year:
        raise DomainError("Tahun buku harus tahun yang sudah berakhir.")
    if cooperative.founded_on and year < cooperative.founded_on.year:
        raise DomainError("Koperasi belum berdiri pada tahun buku itu.")


def clean_figures(figures: dict) -> dict:
    """Validate reported figures: counts are whole numbers ≥ 0, money Decimal to the sen (aset and
    modal luar ≥ 0; modal sendiri and SHU may be negative). None clears a figure."""
    unknown = set(figures) - set(FIGURES)
    if unknown:
        raise TypeError(f"unknown figures: {sorted(unknown)}")
    out = {}
    for name, value in figures.items():
        if value in (None, ""):
            out[name] = None
            continue
        if name in COUNT_FIGURES:
            try:
                number = int(Decimal(str(value)))
            except Exception:
                raise DomainError(f"{name}: harus bilangan bulat.") from None
            if number < 0 or Decimal(str(value)) != number:
                raise DomainError(f"{name}: harus bilangan bulat tidak negatif.")
            out[name] = number
        else:
            if isinstance(value, float):
                value = str(value)
            try:
                amount = q(value)
            except (ValueError, TypeError):
                raise DomainError(f"{name}: bukan angka.") from None
            if name in ("aset", "modal_luar", "volume_usaha") and amount < 0:
                raise DomainError(f"{name}: tidak boleh negatif.")
            out[name] = amount
    return out


def _report_upsert(cooperative, year, figures, source):
    """Inside a transaction: store reported figures; returns (report, before, after). Not durable."""
    report, _created = AnnualReport.objects.select_for_update().get_or_create(
        cooperative=cooperative, year=year
    )
    before = {k: getattr(report, k) for k in figures}
    sources = dict(report.sources or {})
    for name, value in figures.items():
        if getattr(report, name) == value and (value is None or name in sources):
            continue  # unchanged: keeps who reported it
        setattr(report, name, value)
        if value is None:
            sources.pop(name, None)
        else:
            sources[name] = source
    report.sources = sources
    report.save()
    return report, *audit.diff(before, {k: getattr(report, k) for k in figures})


def annual_report_save(*, actor, cooperative, year: int, **figures) -> AnnualReport:
    """Record reported annual figures of a cooperative NOT on Kopdig (Dinas officer or its pengurus).
    A cooperative on Kopdig has its figures computed from its books: refused."""
    source = _reporter(actor, cooperative)
    if cooperative.on_kopdig:
        raise DomainError("Koperasi ini membukukan di Kopdig: angkanya dihitung dari pembukuan.")
    _check_year(cooperative, year)
    figures = clean_figures(figures)
    with action_atomic():
        report, before, after = _report_upsert(cooperative, year, figures, source)
        audit.record(
            actor,
            "annual_report_save",
            cooperative=cooperative,
            obj=report,
            ref=str(year),
            summary=f"Data tahunan {year} ({source})",
            before=before,
            after=after,
        )
    return report


def rat_record_save(*, actor, cooperative, year: int, held_on: dt.date | None) -> RatRecord:
    """Record that the RAT for book ``year`` was held on ``held_on`` (Dinas officer or the cooperative's pengurus)."""
    source = _reporter(actor, cooperative)
    _check_year(cooperative, year)
    if held_on is not None:
        if held_on <= dt.date(year, 12, 31):
            raise DomainError("RAT untuk suatu tahun buku diadakan setelah tahun buku itu berakhir.")
        if held_on > timezone.localdate():
            raise DomainError("Tanggal RAT tidak boleh di masa depan.")
    with action_atomic():
        rec, created = RatRecord.objects.select_for_update().get_or_create(
            cooperative=cooperative,
            year=year,
            defaults={"held_on": held_on, "source": source, "recorded_by": actor},
        )
        if not created and rec.source == RatRecord.Source.KOPDIG:
            # The RAT held on Kopdig takes precedence over a typed record.
            raise DomainError(
                f"RAT tahun buku {year} diselenggarakan di Kopdig; catatannya diisi dari rapat itu "
                "dan tidak dapat diubah dengan tangan."
            )
        before = None if created else {"held_on": rec.held_on, "source": rec.source}
        if not created:
            rec.held_on, rec.source, rec.recorded_by = held_on, source, actor
            rec.save()
        audit.record(
            actor,
            "rat_record_save",
            cooperative=cooperative,
            obj=rec,
            ref=str(year),
            summary=f"RAT tahun buku {year}",
            before=before,
            after={"held_on": held_on, "source": source},
        )
    return rec


def rat_held_record(*, actor, cooperative, year: int, held_on: dt.date, officers=()) -> RatRecord:
    """A RAT held on Kopdig closed with quorum (called by the RAT app inside its transaction):
    the RAT record of ``year`` gets source "kopdig" (it takes precedence over a typed record,
    whose values stay in the audit row), and the officers it elected enter the registry.

    ``officers``: dicts with body, position, name, phone, term_start, term_end. The sitting
    officers of an elected body end their term the day the new ones start."""
    require_role(actor, cooperative, BOARD, "mencatat hasil RAT")
    with action_atomic():
        rec, created = RatRecord.objects.select_for_update().get_or_create(
            cooperative=cooperative,
            year=year,
            defaults={
                "held_on": held_on,
                "source": RatRecord.Source.KOPDIG,
                "recorded_by": _user_or_none(actor),
            },
        )
        before = None if created else {"held_on": rec.held_on, "source": rec.source}
        if not created:
            rec.held_on, rec.source, rec.recorded_by = held_on, RatRecord.Source.KOPDIG, _user_or_none(actor)
            rec.save()
        for body in {o["body"] for o in officers}:
            CoopOfficer.objects.filter(cooperative=cooperative, body=body, term_start__lte=held_on).filter(
                Q(term_end__isnull=True) | Q(term_end__gt=held_on)
            ).update(term_end=held_on)
        CoopOfficer.objects.bulk_create(CoopOfficer(cooperative=cooperative, **o) for o in officers)
        audit.record(
            actor,
            "rat_held_record",
            cooperative=cooperative,
            obj=rec,
            ref=str(year),
            summary=f"RAT tahun buku {year} (Kopdig)",
            before=before,
            after={"held_on": held_on, "source": rec.source, "officers": [o["name"] for o in officers]},
        )
    return rec


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def rat_record_delete(*, actor, cooperative, year: int) -> None:
    """Remove a wrongly entered RAT record (Dinas officer)."""
    require_dinas(actor, cooperative.kabupaten_id)
    with action_atomic():
        rec = RatRecord.objects.select_for_update().filter(cooperative=cooperative, year=year).first()
        if rec is None:
            raise DomainError("Catatan RAT tidak ditemukan.")
        before = {"held_on": rec.held_on, "source": rec.source}
        rec.delete()
        audit.record(actor, "rat_record_delete", cooperative=cooperative, ref=str(year), before=before)


def dinas_settings_update(*, actor, kabupaten: Region, rat_deadline_months: int) -> DinasSettings:
    require_dinas(actor, kabupaten.pk)
    if not 1 <= int(rat_deadline_months) <= 12:
        raise DomainError("Batas waktu RAT harus 1–12 bulan.")
    with action_atomic():
        obj, _ = DinasSettings.objects.select_for_update().get_or_create(kabupaten=kabupaten)
        before = {"rat_deadline_months": obj.rat_deadline_months}
        obj.rat_deadline_months = int(rat_deadline_months)
        obj.save()
        audit.record(
            actor,
            "dinas_settings_update",
            kabupaten=kabupaten,
            ref=kabupaten.code,
            before=before,
            after={"rat_deadline_months": obj.rat_deadline_months},
        )
    return obj


# ---------------------------------------------------------------- invitation of the first pengurus


def pengurus_invite(
    *,
    actor,
    cooperative,
    username: str,
    name: str,
    email: str = "",
    phone: str = "",
    title: str = "Ketua",
    link_base: str = "",
) -> tuple[Invitation, str]:
    """Create the first pengurus's login (unusable password), grant the pengurus role and a one-time
    invitation link; returns (invitation, raw token). E-mails the link after commit when e-mail is on.

    One transaction: the user, the role, the invitation and their audit rows commit together.
    """
    require_dinas(actor, cooperative.kabupaten_id)
    if not (name or "").strip():
        raise DomainError("Nama pengurus wajib diisi.")
    raw = new_secret()
    with action_atomic():
        user = user_create(
            actor=actor,
            username=username,
            password=None,
            name=name.strip(),
            email=email.strip(),
            phone=phone.strip(),
        )
        inv = Invitation.objects.create(
            cooperative=cooperative,
            user=user,
            token_hash=hash_token(raw),
            created_by=actor,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        audit.record(
            actor,
            "pengurus_invite",
            cooperative=cooperative,
            obj=user,
            ref=user.username,
            summary=f"Undangan pengurus {name}",
            after={"username": user.username, "expires_at": inv.expires_at},
        )
        if settings.EMAIL_ENABLED and user.email:
            link = f"{link_base}/dinas/undangan/{raw}/"
            transaction.on_commit(lambda: _send_invitation(user.email, cooperative.name, link))
        with batch():
            role_grant(actor=actor, cooperative=cooperative, user=user, kind=Role.Kind.PENGURUS, title=title)
    return inv, raw


def _send_invitation(to, coop_name, link):
    send_mail(
        subject=f"Undangan Kopdig: {coop_name}",
        message=(
            f"Anda diundang sebagai pengurus {coop_name} di Kopdig.\n"
            f"Buka tautan ini untuk membuat kata sandi (berlaku {INVITATION_DAYS} hari, sekali pakai):\n{link}\n"
        ),
        from_email=None,
        recipient_list=[to],
        fail_silently=True,
    )


def invitation_get(raw: str) -> Invitation:
    """The open invitation of a raw token, else InvitationInvalid."""
    inv = (
        Invitation.objects.select_related("user", "cooperative")
        .filter(token_hash=hash_token(raw or ""))
        .first()
    )
    if inv is None or inv.used_at is not None or inv.expires_at <= timezone.now():
        raise InvitationInvalid("Tautan undangan tidak berlaku (sudah dipakai atau kedaluwarsa).")
    return inv


def invitation_accept(*, token: str, new_password1: str, new_password2: str):
    """Set the invitee's password through the invitation (once). Returns the user; raises
    InvitationInvalid or DomainError with the password form's messages."""
    with action_atomic():
        inv = invitation_get(token)
        inv = Invitation.objects.select_for_update().select_related("user", "cooperative").get(pk=inv.pk)
        if inv.used_at is not None:
            raise InvitationInvalid("Tautan undangan tidak berlaku (sudah dipakai atau kedaluwarsa).")
        form = SetPasswordForm(inv.user, {"new_password1": new_password1, "new_password2": new_password2})
        if not form.is_valid():
            raise DomainError(" ".join(str(e) for errs in form.errors.values() for e in errs), form=form)
        user = form.save()
        inv.used_at = timezone.now()
        inv.save(update_fields=["used_at"])
        audit.record(
            user,
            "invitation_accept",
            cooperative=inv.cooperative,
            obj=user,
            ref=user.username,
            summary="Kata sandi dibuat melalui undangan",
        )
    return user, inv.cooperative
