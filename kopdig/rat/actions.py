"""RAT writes: settings, scheduling, publication (eligibility snapshot), invitations, the
laporan tahunan parts, attendance, votes, item and meeting close.

Every action runs in ``action_atomic()``, checks the actor with ``require_role`` (votes: the
member, by login or by the personal invitation token), writes one audit row and refuses with an
Indonesian message, writing nothing. Closing the SHU item runs the SHU app's approval in the
same transaction (``batch()``); closing the meeting fills the Dinas RAT record and the officer
registry through the Dinas action, also in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets

from django.db import IntegrityError
from django.db.models import Count, Exists
from django.utils import timezone

from kopdig import audit
from kopdig.api.idempotency import purge
from kopdig.dinas import actions as dinas_actions
from kopdig.lib.errors import DomainError, NotAllowed
from kopdig.lib.money import q
from kopdig.lib.tokens import hash_token, new_secret
from kopdig.lib.transactions import action_atomic, batch
from kopdig.members.models import Member
from kopdig.savings import selectors as savings_selectors
from kopdig.shu import actions as shu_actions
from kopdig.tenancy.access import ALL_COOP, BOARD, STAFF, SUPERVISORS, require_role

from . import eligibility, tally
from .models import (
    AgendaItem,
    Attendance,
    Candidate,
    Choice,
    EligibleMember,
    Invitation,
    Meeting,
    OpenVote,
    RapbLine,
    RatSettings,
    ReportSection,
    SecretBallot,
    Turnout,
)

M = Meeting.Status
I = AgendaItem.Status  # noqa: E741
VOTE_ENDPOINT = "rat.vote.{code}"


class RatError(DomainError):
    pass


class RatDuplicate(RatError):
    """A second check-in or vote of the same member (the unique row refused it): 409 in the API."""

    status = 409


def _today() -> dt.date:
    return timezone.localdate()


def settings_of(cooperative) -> RatSettings:
    return RatSettings.objects.filter(cooperative=cooperative).first() or RatSettings(cooperative=cooperative)


def _meeting(cooperative, code: str, *, lock: bool = True) -> Meeting:
    qs = Meeting.objects.select_for_update() if lock else Meeting.objects
    meeting = qs.filter(cooperative=cooperative, code=code).first()
    if meeting is None:
        raise RatError("Rapat tidak ditemukan.")
    return meeting


def _item(cooperative, code: str, *, lock: bool = True, related: bool = False) -> AgendaItem:
    qs = AgendaItem.objects.select_for_update(of=("self",)) if lock else AgendaItem.objects
    if related:
        qs = qs.select_related("meeting")
    item = qs.filter(cooperative=cooperative, code=code).first()
    if item is None:
        raise RatError("Mata acara tidak ditemukan.")
    return item


# --- settings and schedule -----------------------------------------------------------------


def rat_settings_save(
    *,
    actor,
    cooperative,
    notice_days: int,
    quorum_first: str,
    quorum_second: str,
    min_member_months: int,
    require_pokok: bool,
    max_wajib_arrears_months: int | None,
    term_years: int,
) -> RatSettings:
    """Save the RAT rules of the AD/ART (pengurus)."""
    require_role(actor, cooperative, BOARD, "mengubah aturan RAT")
    tally.parse_quorum(quorum_first)
    tally.parse_quorum(quorum_second)
    if not 1 <= int(notice_days) <= 90:
        raise RatError("Masa pemberitahuan harus 1–90 hari.")
    if not 1 <= int(term_years) <= 10:
        raise RatError("Masa jabatan harus 1–10 tahun.")
    values = {
        "notice_days": int(notice_days),
        "quorum_first": quorum_first.replace(" ", ""),
        "quorum_second": quorum_second.replace(" ", ""),
        "min_member_months": int(min_member_months),
        "require_pokok": bool(require_pokok),
        "max_wajib_arrears_months": max_wajib_arrears_months,
        "term_years": int(term_years),
    }
    with action_atomic():
        obj, _created = RatSettings.objects.select_for_update().get_or_create(cooperative=cooperative)
        before = audit.snapshot(obj, list(values))
        for k, v in values.items():
            setattr(obj, k, v)
        obj.save()
        audit.record(
            actor,
            "rat_settings_save",
            cooperative=cooperative,
            obj=obj,
            summary="Aturan RAT",
            before=before,
            after=values,
        )
    return obj


DEFAULT_AGENDA = [
    (AgendaItem.Kind.LPJ, "Laporan pertanggungjawaban pengurus tahun buku {y}"),
    (AgendaItem.Kind.STATEMENTS, "Pengesahan laporan keuangan tahun buku {y}"),
    (AgendaItem.Kind.SHU, "Penetapan pembagian SHU tahun buku {y}"),
    (AgendaItem.Kind.RAPB, "Rencana kerja dan RAPB tahun {n}"),
]


def _check_schedule(cooperative, book_year: int, date: dt.date) -> None:
    if date <= dt.date(book_year, 12, 31):
        raise RatError(f"RAT tahun buku {book_year} diadakan setelah 31 Desember {book_year}.")
    notice = settings_of(cooperative).notice_days
    earliest = _today() + dt.timedelta(days=notice)
    if date < earliest:
        raise RatError(
            f"Tanggal RAT terlalu dekat: anggota harus diberi tahu paling lambat {notice} hari "
            f"sebelumnya (paling cepat {earliest:%d-%m-%Y})."
        )


def meeting_schedule(
    *,
    actor,
    cooperative,
    book_year: int,
    date: dt.date,
    first_call: dt.time,
    second_call: dt.time | None = None,
    venue: str = "",
    online_url: str = "",
    decision_number: str = "",
    code: str | None = None,
) -> Meeting:
    """Schedule (or, while still a draft, reschedule) the RAT of ``book_year``. Refused inside
    the notice period. A new meeting gets the standard agenda (LPJ, statements, SHU, RAPB)."""
    require_role(actor, cooperative, BOARD, "menjadwalkan RAT")
    _check_schedule(cooperative, book_year, date)
    if not venue.strip() and not online_url.strip():
        raise RatError("Isi tempat rapat atau tautan rapat daring.")
    if second_call and second_call <= first_call:
        raise RatError("Panggilan kedua harus sesudah panggilan pertama.")
    values = {
        "date": date,
        "first_call": first_call,
        "second_call": second_call,
        "venue": venue.strip(),
        "online_url": online_url.strip(),
        "decision_number": decision_number.strip() or f"{date.year}/RAT/{book_year}",
    }
    with action_atomic():
        if code:
            meeting = _meeting(cooperative, code)
            if meeting.status != M.DRAFT:
                raise RatError("Rapat yang sudah diumumkan tidak dapat dijadwalkan ulang.")
            for k, v in values.items():
                setattr(meeting, k, v)
            meeting.save()
        else:
            if (
                Meeting.objects.filter(cooperative=cooperative, book_year=book_year)
                .exclude(status=M.POSTPONED)
                .exists()
            ):
                raise RatError(f"RAT tahun buku {book_year} sudah dijadwalkan.")
            meeting = Meeting.objects.create(cooperative=cooperative, book_year=book_year, **values)
            AgendaItem.objects.bulk_create(
                AgendaItem(
                    cooperative=cooperative,
                    meeting=meeting,
                    position=i + 1,
                    kind=kind,
                    title=title.format(y=book_year, n=book_year + 2),
                )
                for i, (kind, title) in enumerate(DEFAULT_AGENDA)
            )
        audit.record(
            actor,
            "meeting_schedule",
            cooperative=cooperative,
            obj=meeting,
            ref=meeting.code,
            summary=f"RAT tahun buku {book_year}: {date:%d-%m-%Y}",
            after=values,
        )
    return meeting


def agenda_item_save(
    *,
    actor,
    cooperative,
    meeting_code: str,
    kind: str,
    title: str,
    mode: str = AgendaItem.Mode.VOTE,
    ballot: str = AgendaItem.Ballot.OPEN,
    threshold: str = AgendaItem.Threshold.MAJORITY,
    seats: int = 0,
    candidates=(),
    code: str | None = None,
) -> AgendaItem:
    """Add (code None) or change an agenda item that has not been put to the meeting yet.

    ``candidates``: (name, position, member_number or "") for elections."""
    require_role(actor, cooperative, BOARD, "menyusun acara RAT")
    _check_item_values(kind, mode, ballot, threshold, seats, candidates, title)
    with action_atomic():
        meeting = _meeting(cooperative, meeting_code)
        if meeting.status in (M.CLOSED, M.POSTPONED):
            raise RatError("Rapat sudah selesai.")
        if code:
            item = _item(cooperative, code)
            if item.meeting_id != meeting.pk or item.status != I.PENDING:
                raise RatError("Mata acara yang sudah dibuka tidak dapat diubah.")
        else:
            item = AgendaItem(cooperative=cooperative, meeting=meeting, position=meeting.items.count() + 1)
        item.kind, item.title, item.mode, item.ballot = kind, title.strip(), mode, ballot
        item.threshold, item.seats = threshold, int(seats) if kind.startswith("el_") else 0
        item.save()
        _write_candidates(cooperative, item, candidates)
        audit.record(
            actor,
            "agenda_item_save",
            cooperative=cooperative,
            obj=item,
            ref=item.code,
            summary=item.title[:200],
            after={"kind": kind, "mode": mode, "ballot": ballot, "threshold": threshold, "seats": item.seats},
        )
    return item


def _check_item_values(kind, mode, ballot, threshold, seats, candidates, title) -> None:
    if kind not in AgendaItem.Kind.values or mode not in AgendaItem.Mode.values:
        raise RatError("Jenis mata acara atau cara keputusan tidak dikenal.")
    if ballot not in AgendaItem.Ballot.values or threshold not in AgendaItem.Threshold.values:
        raise RatError("Jenis pemungutan suara atau ambang keputusan tidak dikenal.")
    if not (title or "").strip():
        raise RatError("Judul mata acara wajib diisi.")
    if kind.startswith("el_"):
        if mode != AgendaItem.Mode.VOTE:
            raise RatError("Pemilihan dilakukan dengan pemungutan suara.")
        if int(seats) < 1 or len(candidates) < 1:
            raise RatError("Pemilihan memerlukan jumlah kursi dan paling sedikit satu calon.")


def _write_candidates(cooperative, item, candidates) -> None:
    if not item.is_election:
        return
    item.candidates.all().delete()
    numbers = {c[2] for c in candidates if len(c) > 2 and c[2]}
    members = {m.number: m for m in Member.objects.filter(cooperative=cooperative, number__in=numbers)}
    Candidate.objects.bulk_create(
        Candidate(
            cooperative=cooperative,
            item=item,
            order=i,
            name=c[0].strip(),
            position=c[1] or "anggota",
            member=members.get(c[2]) if len(c) > 2 else None,
        )
        for i, c in enumerate(candidates)
    )


# --- publication: the eligible-member snapshot --------------------------------------------


def _snapshot_rows(cooperative, meeting, rules: RatSettings, today: dt.date) -> list[EligibleMember]:
    pokok_product = savings_selectors.products(cooperative).filter(kind="pokok").first()
    rule = eligibility.Rule(
        rules.min_member_months,
        rules.require_pokok,
        pokok_product.amount if pokok_product else q(0),
        rules.max_wajib_arrears_months,
    )
    pokok = savings_selectors.simpanan_by_member(cooperative, date=today, kinds=("pokok",))
    arrears = {}
    if rules.max_wajib_arrears_months is not None:
        arrears = dict(
            savings_selectors.arrears_list(
                cooperative, min_months=rules.max_wajib_arrears_months + 1, as_of=today
            ).values_list("id", "months")
        )
    rows = []
    members = (
        Member.objects.filter(cooperative=cooperative, status__in=[Member.Status.AKTIF, Member.Status.CALON])
        .order_by("number")
        .values_list("id", "status", "joined_on")
    )
    for member_id, status, joined_on in members:
        reasons = eligibility.exclusion_reasons(
            rule,
            active=status == Member.Status.AKTIF,
            joined_on=joined_on,
            on=meeting.date,
            pokok=pokok.get(member_id, q(0)),
            arrears_months=arrears.get(member_id, 0),
        )
        rows.append(
            EligibleMember(
                cooperative_id=cooperative.pk,
                meeting_id=meeting.pk,
                member_id=member_id,
                eligible=not reasons,
                reasons=",".join(reasons),
            )
        )
    return rows


def meeting_publish(*, actor, cooperative, code: str) -> Meeting:
    """Announce the meeting: freeze the eligible-member list (who may vote and why each excluded
    member is excluded) and the quorum figures. Refused inside the notice period."""
    require_role(actor, cooperative, BOARD, "mengumumkan RAT")
    rules = settings_of(cooperative)
    with action_atomic():
        meeting = _meeting(cooperative, code)
        if meeting.status != M.DRAFT:
            raise RatError("Rapat ini sudah diumumkan.")
        _check_schedule(cooperative, meeting.book_year, meeting.date)
        rows = _snapshot_rows(cooperative, meeting, rules, _today())
        EligibleMember.objects.bulk_create(rows, batch_size=2000)
        n = sum(1 for r in rows if r.eligible)
        meeting.eligible_count = n
        meeting.quorum_first_rule, meeting.quorum_second_rule = rules.quorum_first, rules.quorum_second
        meeting.quorum_first_required = tally.quorum_required(rules.quorum_first, n)
        meeting.quorum_second_required = tally.quorum_required(rules.quorum_second, n)
        meeting.status, meeting.published_at = M.PUBLISHED, timezone.now()
        meeting.save()
        audit.record(
            actor,
            "meeting_publish",
            cooperative=cooperative,
            obj=meeting,
            ref=meeting.code,
            summary=f"RAT {meeting.book_year} diumumkan: {n} anggota berhak suara dari {len(rows)}",
            after={
                "eligible": n,
                "invited": len(rows),
                "quorum_first": meeting.quorum_first_required,
                "quorum_second": meeting.quorum_second_required,
            },
        )
    return meeting


# --- invitations ---------------------------------------------------------------------------


def invitations_issue(*, actor, cooperative, code: str, numbers=None, via: str = "letter") -> dict[str, str]:
    """Issue each member's personal ballot token (new each time; only its hash is stored, an
    earlier token stops working) and record the notice (``letter`` or ``whatsapp``).

    Returns {member number: raw token} for the letters or the wa.me links. ``numbers`` None =
    every invited member."""
    require_role(actor, cooperative, STAFF, "mengirim undangan RAT")
    if via not in ("letter", "whatsapp"):
        raise RatError("Cara pemberitahuan tidak dikenal.")
    with action_atomic():
        meeting = _meeting(cooperative, code)
        if meeting.status not in (M.PUBLISHED, M.OPEN):
            raise RatError("Undangan dikirim setelah rapat diumumkan dan sebelum rapat selesai.")
        qs = EligibleMember.objects.filter(cooperative=cooperative, meeting=meeting).select_related("member")
        if numbers is not None:
            qs = qs.filter(member__number__in=list(numbers))
        invited = [(e.member_id, e.member.number) for e in qs]
        if not invited:
            raise RatError("Tidak ada anggota undangan yang dipilih.")
        raw = {number: new_secret() for _, number in invited}
        now = timezone.now()
        Invitation.objects.filter(
            cooperative=cooperative, meeting=meeting, member_id__in=[m for m, _ in invited]
        ).delete()
        stamp = {"letter_at": now} if via == "letter" else {"whatsapp_at": now}
        Invitation.objects.bulk_create(
            (
                Invitation(
                    cooperative=cooperative,
                    meeting=meeting,
                    member_id=m,
                    token_hash=hash_token(raw[n]),
                    **stamp,
                )
                for m, n in invited
            ),
            batch_size=2000,
        )
        audit.record(
            actor,
            "invitations_issue",
            cooperative=cooperative,
            obj=meeting,
            ref=meeting.code,
            summary=f"Undangan RAT {meeting.book_year}: {len(invited)} anggota ({via})",
            after={"count": len(invited), "via": via},
        )
    return raw


def invitation_member(cooperative, token: str):
    """(meeting, member) of a personal token, or RatError."""
    inv = (
        Invitation.objects.select_related("meeting", "member")
        .filter(cooperative=cooperative, token_hash=hash_token(token or ""))
        .first()
    )
    if inv is None:
        raise NotAllowed("Tautan undangan tidak berlaku.")
    return inv.meeting, inv.member


# --- the laporan tahunan -------------------------------------------------------------------


def report_section_save(*, actor, cooperative, code: str, author: str, key: str, text: str) -> ReportSection:
    """Write a part of the laporan tahunan: LPJ sections by the pengurus, the pengawas report
    (kelembagaan, usaha, keuangan) by a pengawas."""
    keys = dict(ReportSection.LPJ_KEYS if author == "pengurus" else ReportSection.PENGAWAS_KEYS)
    if author not in ReportSection.Author.values or key not in keys:
        raise RatError("Bagian laporan tidak dikenal.")
    require_role(
        actor, cooperative, BOARD if author == "pengurus" else SUPERVISORS, "menulis bagian laporan ini"
    )
    with action_atomic():
        meeting = _meeting(cooperative, code)
        if meeting.status in (M.CLOSED, M.POSTPONED):
            raise RatError("Rapat sudah selesai; laporannya tidak dapat diubah.")
        section, _ = ReportSection.objects.update_or_create(
            cooperative=cooperative,
            meeting=meeting,
            author=author,
            key=key,
            defaults={"text": text.strip(), "written_by": actor if actor.is_authenticated else None},
        )
        audit.record(
            actor,
            "report_section_save",
            cooperative=cooperative,
            obj=section,
            ref=meeting.code,
            summary=f"Laporan {author}: {keys[key]}",
            after={"chars": len(section.text)},
        )
    return section


def rapb_lines_save(*, actor, cooperative, code: str, lines) -> int:
    """Replace the RAPB lines: (group, name, amount). All are validated first."""
    require_role(actor, cooperative, BOARD, "menyusun RAPB")
    clean = []
    for i, (group, name, amount) in enumerate(lines, start=1):
        if group not in RapbLine.Group.values or not (name or "").strip():
            raise RatError(f"Baris {i}: kelompok atau uraian tidak valid.")
        try:
            amount = q(amount)
        except (ValueError, TypeError, ArithmeticError):
            raise RatError(f"Baris {i}: jumlah '{amount}' tidak valid.") from None
        clean.append((group, name.strip()[:150], amount))
    with action_atomic():
        meeting = _meeting(cooperative, code)
        if meeting.status in (M.CLOSED, M.POSTPONED):
            raise RatError("Rapat sudah selesai; RAPB tidak dapat diubah.")
        RapbLine.objects.filter(cooperative=cooperative, meeting=meeting).delete()
        RapbLine.objects.bulk_create(
            RapbLine(cooperative=cooperative, meeting=meeting, position=i, group=g, name=n, amount=a)
            for i, (g, n, a) in enumerate(clean)
        )
        audit.record(
            actor,
            "rapb_lines_save",
            cooperative=cooperative,
            obj=meeting,
            ref=meeting.code,
            summary=f"RAPB: {len(clean)} baris",
            after={"lines": len(clean)},
        )
    return len(clean)


def annual_report_ready(*, actor, cooperative, code: str) -> Meeting:
    """The pengurus declares the laporan tahunan complete (today); the pages warn when that is
    less than 30 days before the meeting."""
    require_role(actor, cooperative, BOARD, "menyatakan laporan tahunan siap")
    with action_atomic():
        meeting = _meeting(cooperative, code)
        meeting.report_ready_on = _today()
        meeting.save(update_fields=["report_ready_on"])
        audit.record(
            actor,
            "annual_report_ready",
            cooperative=cooperative,
            obj=meeting,
            ref=meeting.code,
            summary=f"Laporan tahunan {meeting.book_year} siap",
            after={"on": meeting.report_ready_on},
        )
    return meeting


# --- attendance ----------------------------------------------------------------------------


def _member_of_actor(cooperative, actor) -> Member:
    require_role(actor, cooperative, ALL_COOP, "ikut RAT")
    member = Member.objects.filter(cooperative=cooperative, user_id=actor.pk).first()
    if member is None:
        raise NotAllowed("Akun Anda tidak terhubung dengan data anggota koperasi ini.")
    return member


def attendance_check_in(
    *, actor, cooperative, code: str, number: str = "", token: str = "", online: bool = False
) -> Attendance:
    """Record a member present. At the desk (kasir/pengurus/manajer) by member number or the
    invitation QR token; online by the member themselves (login or personal link)."""
    member, by = _check_in_member(cooperative, actor, number=number, token=token, online=online)
    try:
        with action_atomic():
            meeting = _meeting(cooperative, code, lock=False)
            if meeting.status not in (M.PUBLISHED, M.OPEN):
                raise RatError("Daftar hadir dibuka setelah rapat diumumkan dan sebelum rapat selesai.")
            if online and not meeting.online_url:
                raise RatError("Rapat ini tidak diadakan secara daring.")
            if not EligibleMember.objects.filter(
                cooperative=cooperative, meeting=meeting, member=member
            ).exists():
                raise RatError(f"Anggota {member.number} tidak termasuk daftar undangan rapat ini.")
            att = Attendance.objects.create(
                cooperative=cooperative,
                meeting=meeting,
                member=member,
                checked_in_at=timezone.now(),
                mode=Attendance.Mode.ONLINE if online else Attendance.Mode.VENUE,
                checked_in_by=by,
            )
            audit.record(
                actor,
                "attendance_check_in",
                cooperative=cooperative,
                obj=att,
                ref=member.number,
                summary=f"Hadir RAT {meeting.book_year}: {member.number} {member.name}",
                after={"mode": att.mode},
            )
    except IntegrityError:  # the unique (meeting, member) row: also a concurrent double check-in
        raise RatDuplicate(f"Anggota {member.number} sudah tercatat hadir.") from None
    return att


def _check_in_member(cooperative, actor, *, number, token, online):
    if online:
        if token:
            return invitation_member(cooperative, token)[1], None
        return _member_of_actor(cooperative, actor), actor
    require_role(actor, cooperative, STAFF, "mencatat kehadiran RAT")
    if token:
        return invitation_member(cooperative, token)[1], actor
    member = Member.objects.filter(cooperative=cooperative, number=(number or "").strip()).first()
    if member is None:
        raise RatError(f"Anggota nomor {number} tidak ditemukan.")
    return member, actor


def present_eligible(cooperative, meeting) -> int:
    eligible = EligibleMember.objects.filter(cooperative=cooperative, meeting=meeting, eligible=True)
    return Attendance.objects.filter(
        cooperative=cooperative, meeting=meeting, member_id__in=eligible.values("member_id")
    ).count()


def meeting_open(*, actor, cooperative, code: str, call: str) -> Meeting:
    """Open the meeting at the first or second call when the eligible members present reach
    that call's quorum; otherwise refused with the figures (the meeting may be postponed)."""
    require_role(actor, cooperative, BOARD, "membuka RAT")
    if call not in Meeting.Call.values:
        raise RatError("Panggilan tidak dikenal.")
    with action_atomic():
        meeting = _meeting(cooperative, code)
        if meeting.status != M.PUBLISHED:
            raise RatError("Hanya rapat yang sudah diumumkan dan belum dibuka yang dapat dibuka.")
        present = present_eligible(cooperative, meeting)
        need = meeting.quorum_first_required if call == "first" else meeting.quorum_second_required
        if present < need:
            raise RatError(
                f"Kuorum {Meeting.Call(call).label.lower()} belum tercapai: hadir {present} dari "
                f"{meeting.eligible_count} anggota berhak suara, diperlukan {need}."
            )
        meeting.status, meeting.call, meeting.present_at_open = M.OPEN, call, present
        meeting.opened_at = timezone.now()
        meeting.save()
        audit.record(
            actor,
            "meeting_open",
            cooperative=cooperative,
            obj=meeting,
            ref=meeting.code,
            summary=f"RAT {meeting.book_year} dibuka ({meeting.get_call_display()}): hadir {present}",
            after={"call": call, "present": present, "required": need},
        )
    return meeting


def meeting_postpone(*, actor, cooperative, code: str, reason: str = "") -> Meeting:
    """Record that the quorum was not reached: the meeting is postponed (a new one may be scheduled)."""
    require_role(actor, cooperative, BOARD, "menunda RAT")
    with action_atomic():
        meeting = _meeting(cooperative, code)
        if meeting.status != M.PUBLISHED:
            raise RatError("Hanya rapat yang belum dibuka yang dapat ditunda.")
        meeting.status, meeting.closed_at = M.POSTPONED, timezone.now()
        meeting.present_total = present_eligible(cooperative, meeting)
        meeting.save()
        audit.record(
            actor,
            "meeting_postpone",
            cooperative=cooperative,
            obj=meeting,
            ref=meeting.code,
            summary=f"RAT {meeting.book_year} ditunda: tidak kuorum" + (f" ({reason})" if reason else ""),
            after={"present": meeting.present_total},
        )
    return meeting


# --- votes ---------------------------------------------------------------------------------


def item_open(*, actor, cooperative, code: str) -> AgendaItem:
    """Open the vote on an item (the meeting must be open)."""
    require_role(actor, cooperative, BOARD, "membuka pemungutan suara")
    with action_atomic():
        item = _item(cooperative, code)
        if item.meeting.status != M.OPEN:
            raise RatError("Rapat belum dibuka atau sudah selesai.")
        if item.mode != AgendaItem.Mode.VOTE:
            raise RatError("Mata acara ini diputuskan dengan musyawarah, tanpa pemungutan suara.")
        if item.status != I.PENDING:
            raise RatError("Pemungutan suara mata acara ini sudah dibuka atau sudah diputuskan.")
        item.status = I.OPEN
        item.idem_salt = secrets.token_hex(32) if item.ballot == AgendaItem.Ballot.SECRET else ""
        item.save(update_fields=["status", "idem_salt"])
        audit.record(
            actor,
            "item_open",
            cooperative=cooperative,
            obj=item,
            ref=item.code,
            summary=f"Pemungutan suara dibuka: {item.title}"[:255],
        )
    return item


def secret_idempotency_body(item: AgendaItem, body) -> dict:
    """What the Idempotency-Key store keeps of a secret vote: an HMAC with the item's salt (not
    the body, not a plain hash that could be matched against the few options). The salt and
    the keys are deleted when the item closes."""
    digest = hmac.new(item.idem_salt.encode(), json.dumps(body, sort_keys=True).encode(), hashlib.sha256)
    return {"d": digest.hexdigest()}


def _voter(cooperative, actor, token) -> Member:
    if token:
        return invitation_member(cooperative, token)[1]
    return _member_of_actor(cooperative, actor)


def _check_vote(cooperative, item, member, choice, candidate_code):
    meeting = item.meeting
    if meeting.status != M.OPEN or item.status != I.OPEN:
        raise RatError("Pemungutan suara untuk mata acara ini tidak sedang dibuka.")
    present = Attendance.objects.filter(cooperative=cooperative, meeting_id=meeting.pk, member=member)
    snap = (
        EligibleMember.objects.filter(cooperative=cooperative, meeting_id=meeting.pk, member=member)
        .annotate(present=Exists(present))
        .first()
    )
    if snap is None or not snap.eligible:
        why = ", ".join(snap.reason_labels) if snap else "tidak termasuk daftar undangan"
        raise NotAllowed(f"Anggota {member.number} tidak berhak suara pada rapat ini ({why.lower()}).")
    if not snap.present:
        raise NotAllowed(f"Anggota {member.number} belum tercatat hadir.")
    if item.is_election:
        cand = Candidate.objects.filter(cooperative=cooperative, item=item, code=candidate_code or "").first()
        if cand is None:
            raise RatError("Pilih salah satu calon.")
        return Choice.CANDIDATE, cand
    if choice not in (Choice.FOR, Choice.AGAINST, Choice.ABSTAIN):
        raise RatError("Pilihan suara tidak dikenal.")
    return choice, None


def vote_cast(
    *, actor, cooperative, item_code: str, choice: str = "", candidate_code: str = "", token: str = ""
) -> dict:
    """One member's vote on an open item, once (the database enforces it: a second vote, also a
    concurrent one, fails on the unique turnout/open-vote row and rolls the whole action back).
    Only eligible members who are checked in vote. A secret vote writes a turnout row (who) and
    a ballot row (what) that share nothing but the item. Returns the receipt (never the choice
    of a secret vote)."""
    member = _voter(cooperative, actor, token)
    try:
        with action_atomic():
            # Locked: a close waits for the votes in flight.
            item = _item(cooperative, item_code, related=True)
            choice, cand = _check_vote(cooperative, item, member, choice, candidate_code)
            secret = item.ballot == AgendaItem.Ballot.SECRET
            if secret:
                Turnout.objects.create(cooperative=cooperative, item=item, member=member)
                SecretBallot.objects.create(cooperative=cooperative, item=item, choice=choice, candidate=cand)
            else:
                OpenVote.objects.create(
                    cooperative=cooperative,
                    item=item,
                    member=member,
                    choice=choice,
                    candidate=cand,
                    cast_at=timezone.now(),
                )
            audit.record(
                actor,
                "vote_cast",
                cooperative=cooperative,
                obj=item,
                ref=item.code,
                summary=f"{member.number} memberikan suara" + (" (rahasia)" if secret else ""),
                after=None
                if secret
                else {"member": member.number, "choice": choice, "candidate": cand.name if cand else None},
            )
    except IntegrityError:
        raise RatDuplicate(f"Anggota {member.number} sudah memberikan suara untuk mata acara ini.") from None
    return {
        "item": item.code,
        "member": member.number,
        "voted": True,
        "secret": secret,
        "choice": None if secret else choice,
        "candidate": None if secret or cand is None else cand.name,
    }


def item_totals_enter(
    *,
    actor,
    cooperative,
    item_code: str,
    votes_for: int = 0,
    votes_against: int = 0,
    votes_abstain: int = 0,
    candidate_votes: dict | None = None,
) -> AgendaItem:
    """The secretary enters the totals of an open vote counted by hand in the room (recorded as
    such; they replace any votes cast on phones for this item)."""
    require_role(actor, cooperative, BOARD, "mencatat hasil hitung suara")
    with action_atomic():
        item = _item(cooperative, item_code)
        if item.status != I.OPEN or item.ballot != AgendaItem.Ballot.OPEN:
            raise RatError("Hitungan manual hanya untuk pemungutan suara terbuka yang sedang dibuka.")
        present = present_eligible(cooperative, item.meeting)
        figures = [int(votes_for), int(votes_against), int(votes_abstain)]
        cands = {c.code: c for c in item.candidates.all()}
        cand_votes = {k: int(v) for k, v in (candidate_votes or {}).items()}
        if set(cand_votes) - set(cands) or min(figures + list(cand_votes.values()) + [0]) < 0:
            raise RatError("Hitungan suara tidak valid.")
        total = sum(cand_votes.values()) if item.is_election else sum(figures)
        if total > present:
            raise RatError(f"Jumlah suara ({total}) melebihi anggota berhak suara yang hadir ({present}).")
        item.hand_counted = True
        item.votes_for, item.votes_against, item.votes_abstain = figures
        item.save()
        for code, c in cands.items():
            c.votes = cand_votes.get(code, 0)
            c.save(update_fields=["votes"])
        audit.record(
            actor,
            "item_totals_enter",
            cooperative=cooperative,
            obj=item,
            ref=item.code,
            summary=f"Hitungan manual: {item.title}"[:255],
            after={
                "for": figures[0],
                "against": figures[1],
                "abstain": figures[2],
                "candidates": {cands[k].name: v for k, v in cand_votes.items()},
            },
        )
    return item


# --- decisions -----------------------------------------------------------------------------


def _counts(item) -> tuple[dict, dict, int]:
    """({choice: n}, {candidate_id: n}, turnout) from the rows (or the secretary's totals)."""
    if item.hand_counted:
        by_choice = {
            "for": item.votes_for or 0,
            "against": item.votes_against or 0,
            "abstain": item.votes_abstain or 0,
        }
        by_cand = {c.pk: c.votes or 0 for c in item.candidates.all()}
        return by_choice, by_cand, sum(by_cand.values()) if item.is_election else sum(by_choice.values())
    rows = item.secret_ballots if item.ballot == AgendaItem.Ballot.SECRET else item.open_votes
    by_choice, by_cand = {}, {}
    for choice, cand_id, n in rows.values_list("choice", "candidate_id").annotate(n=Count("pk")):
        by_choice[choice] = by_choice.get(choice, 0) + n
        if cand_id:
            by_cand[cand_id] = n
    return by_choice, by_cand, sum(by_choice.values())


def _close_vote(item) -> None:
    by_choice, by_cand, turnout = _counts(item)
    item.turnout = turnout
    if item.is_election:
        _close_election(item, by_cand)
        return
    d = tally.decide(
        item.threshold, by_choice.get("for", 0), by_choice.get("against", 0), by_choice.get("abstain", 0)
    )
    item.votes_for, item.votes_against, item.votes_abstain, item.passed = (
        d.votes_for,
        d.votes_against,
        d.votes_abstain,
        d.passed,
    )


def _close_election(item, by_cand) -> None:
    cands = list(item.candidates.all())
    result = tally.elect({c.pk: by_cand.get(c.pk, 0) for c in cands}, item.seats)
    for c in cands:
        c.votes, c.elected = by_cand.get(c.pk, 0), c.pk in result.elected
    Candidate.objects.bulk_update(cands, ["votes", "elected"])
    item.passed = bool(result.elected) or bool(result.runoff)
    if result.runoff:
        item.needs_runoff = True
        runoff = AgendaItem.objects.create(
            cooperative_id=item.cooperative_id,
            meeting_id=item.meeting_id,
            kind=item.kind,
            mode=item.mode,
            ballot=item.ballot,
            threshold=item.threshold,
            seats=result.runoff_seats,
            runoff_of=item,
            position=item.meeting.items.count() + 1,
            title=f"Pemilihan putaran kedua ({result.runoff_seats} kursi): {item.title}"[:200],
        )
        Candidate.objects.bulk_create(
            Candidate(
                cooperative_id=c.cooperative_id,
                item=runoff,
                name=c.name,
                position=c.position,
                member_id=c.member_id,
                order=c.order,
            )
            for c in cands
            if c.pk in result.runoff
        )


def _seal_secret(item) -> None:
    """After a secret vote: delete its idempotency keys and salt, and rewrite the ballots in a
    random order so that not even the storage order follows the turnout register."""
    purge(cooperative=item.cooperative, endpoint=VOTE_ENDPOINT.format(code=item.code))
    item.idem_salt = ""
    ballots = list(
        SecretBallot.objects.filter(cooperative_id=item.cooperative_id, item=item).values_list(
            "choice", "candidate_id"
        )
    )
    secrets.SystemRandom().shuffle(ballots)
    SecretBallot.objects.filter(cooperative_id=item.cooperative_id, item=item).delete()
    SecretBallot.objects.bulk_create(
        SecretBallot(cooperative_id=item.cooperative_id, item=item, choice=ch, candidate_id=c)
        for ch, c in ballots
    )


def _shu_decision(actor, cooperative, meeting, item, amended_lines, note) -> None:
    """The RAT's SHU decision: approve (or amend and approve) through the SHU app, in this
    transaction; a rejection leaves the SHU year closed and unapproved, with the reason."""
    if not item.passed:
        item.shu_outcome = AgendaItem.ShuOutcome.REJECTED
        item.note = note or f"Usulan pembagian SHU {meeting.book_year} ditolak RAT."
        return
    if not meeting.decision_number:
        raise RatError("Isi nomor keputusan RAT sebelum memutuskan SHU.")
    with batch():
        if amended_lines:
            shu_actions.shu_year_save(
                actor=actor, cooperative=cooperative, year=meeting.book_year, lines=amended_lines
            )
        shu_actions.shu_approve(
            actor=actor,
            cooperative=cooperative,
            year=meeting.book_year,
            rat_date=meeting.date,
            rat_reference=meeting.decision_number,
        )
    item.shu_outcome = AgendaItem.ShuOutcome.AMENDED if amended_lines else AgendaItem.ShuOutcome.APPROVED


def item_close(
    *, actor, cooperative, item_code: str, agreed: bool | None = None, amended_lines=None, note: str = ""
) -> AgendaItem:
    """Decide an item: by musyawarah (``agreed``) or by counting the vote with the item's
    threshold (abstentions apart); an election elects its seats (a tie for the last seat adds a
    run-off item). The SHU item's decision runs the SHU approval in the same transaction."""
    require_role(actor, cooperative, BOARD, "memutuskan mata acara RAT")
    with action_atomic():
        item = _item(cooperative, item_code)
        meeting = item.meeting
        if item.status == I.CLOSED:
            raise RatError("Mata acara ini sudah diputuskan.")
        if meeting.status != M.OPEN:
            raise RatError("Rapat belum dibuka atau sudah selesai.")
        if item.mode == AgendaItem.Mode.MUSYAWARAH:
            if agreed is None:
                raise RatError("Catat hasil musyawarah: mufakat menerima atau menolak.")
            item.passed = bool(agreed)
        elif item.status != I.OPEN:
            raise RatError("Pemungutan suara mata acara ini belum dibuka.")
        else:
            _close_vote(item)
        if item.ballot == AgendaItem.Ballot.SECRET and item.mode == AgendaItem.Mode.VOTE:
            _seal_secret(item)
        item.note = note.strip()
        if item.kind == AgendaItem.Kind.SHU:
            _shu_decision(actor, cooperative, meeting, item, amended_lines, item.note)
        item.status = I.CLOSED
        item.save()
        audit.record(
            actor,
            "item_close",
            cooperative=cooperative,
            obj=item,
            ref=item.code,
            summary=f"{'Diterima' if item.passed else 'Ditolak'}: {item.title}"[:255],
            after={
                "for": item.votes_for,
                "against": item.votes_against,
                "abstain": item.votes_abstain,
                "turnout": item.turnout,
                "passed": item.passed,
                "shu": item.shu_outcome or None,
            },
        )
    return item


def _elected_officers(meeting, term_years: int) -> list[dict]:
    start = meeting.date
    try:
        end = start.replace(year=start.year + term_years) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + term_years, day=28)
    out = []
    for c in (
        Candidate.objects.filter(cooperative_id=meeting.cooperative_id, item__meeting=meeting, elected=True)
        .select_related("item", "member")
        .order_by("item__position", "order")
    ):
        out.append(
            {
                "body": "pengurus" if c.item.kind == AgendaItem.Kind.ELECTION_PENGURUS else "pengawas",
                "position": c.position,
                "name": c.name,
                "phone": c.member.phone if c.member else "",
                "term_start": start,
                "term_end": end,
            }
        )
    return out


def meeting_close(
    *, actor, cooperative, code: str, chair_name: str = "", secretary_name: str = "", witness_name: str = ""
) -> Meeting:
    """Close the meeting once every item is decided. A meeting that reached quorum fills the
    Dinas RAT record (source Kopdig) and puts the elected officers, with their terms, in the
    registry (same transaction)."""
    require_role(actor, cooperative, BOARD, "menutup RAT")
    with action_atomic():
        meeting = _meeting(cooperative, code)
        if meeting.status != M.OPEN:
            raise RatError("Hanya rapat yang sedang berlangsung yang dapat ditutup.")
        pending = list(meeting.items.exclude(status=I.CLOSED).values_list("title", flat=True))
        if pending:
            raise RatError("Masih ada mata acara yang belum diputuskan: " + "; ".join(pending[:5]))
        meeting.chair_name = chair_name.strip() or meeting.chair_name
        meeting.secretary_name = secretary_name.strip() or meeting.secretary_name
        meeting.witness_name = witness_name.strip() or meeting.witness_name
        meeting.present_total = Attendance.objects.filter(cooperative=cooperative, meeting=meeting).count()
        meeting.status, meeting.closed_at = M.CLOSED, timezone.now()
        meeting.save()
        officers = _elected_officers(meeting, settings_of(cooperative).term_years)
        with batch():
            dinas_actions.rat_held_record(
                actor=actor,
                cooperative=cooperative,
                year=meeting.book_year,
                held_on=meeting.date,
                officers=officers,
            )
        audit.record(
            actor,
            "meeting_close",
            cooperative=cooperative,
            obj=meeting,
            ref=meeting.code,
            summary=f"RAT {meeting.book_year} selesai: hadir {meeting.present_total}",
            after={"present": meeting.present_total, "officers": len(officers)},
        )
    return meeting
