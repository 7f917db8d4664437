"""Demo step: the RAT of every showcase cooperative for each closed book year, and one meeting
for the book year that closes next, scheduled and published.

Runs after the SHU and Dinas demos. A past meeting cannot go through ``meeting_schedule`` (its
date is long inside any notice period), so it is written by the bulk path below: the same rows
the actions write (snapshot, attendance, votes, results by the same kernel and helpers, audit
rows), then the Dinas record and officers through the Dinas action. The SHU decision of a past
year is the one the SHU demo recorded (its date and number are the meeting's). Idempotent: a
cooperative's year that already has a meeting is skipped.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.utils import timezone

from kopdig.audit.models import AuditLog
from kopdig.dinas import actions as dinas_actions
from kopdig.lib.errors import DomainError
from kopdig.lib.transactions import batch
from kopdig.members.models import Member
from kopdig.shu import selectors as shu_selectors
from kopdig.tenancy.access import SYSTEM

from . import actions, tally
from .models import (
    AgendaItem,
    Attendance,
    Candidate,
    EligibleMember,
    Meeting,
    OpenVote,
    SecretBallot,
    Turnout,
)

DECIDED = ("approved", "allocated", "distributed")
PATTERN = ["for"] * 17 + ["against"] * 2 + ["abstain"]
ELECTION_PATTERN = [0, 0, 0, 0, 1, 1, 1, 2, 2, 3]


def run(ctx):
    started = time.monotonic()
    today = ctx.today
    for i, coop in enumerate(ctx.showcase):
        if not Member.objects.filter(cooperative=coop).exists():
            ctx.log(f"  rat: {coop.slug} belum punya anggota, dilewati")
            continue
        years = [y for y in (today.year - 2, today.year - 1) if _closed(coop, y)]
        for y in years:
            if not Meeting.objects.filter(cooperative=coop, book_year=y).exists():
                with batch():
                    _held(ctx, coop, y, secret_election=(i == 0 and y == years[-1]))
    if ctx.showcase:
        _next_meeting(ctx, ctx.showcase[0])
    ctx.log(
        f"  rat: {Meeting.objects.filter(cooperative__in=ctx.showcase).count()} rapat "
        f"({time.monotonic() - started:.1f} s)"
    )


def _closed(coop, year) -> bool:
    sy = shu_selectors.shu_year_get(coop, year)
    return sy is not None and sy.status not in ("draft", "simulated")


def _meeting_row(ctx, coop, year) -> Meeting:
    sy = shu_selectors.shu_year_get(coop, year)
    date = sy.rat_date if sy.rat_date else min(dt.date(year + 1, 3, 15), ctx.today - dt.timedelta(days=1))
    rules = actions.settings_of(coop)
    return Meeting.objects.create(
        cooperative=coop,
        book_year=year,
        date=date,
        first_call=dt.time(9, 0),
        second_call=dt.time(9, 30),
        venue=f"Aula {coop.name}",
        decision_number=sy.rat_reference or f"{year + 1}/RAT/{coop.slug[:10].upper()}",
        status=Meeting.Status.PUBLISHED,
        published_at=timezone.make_aware(dt.datetime.combine(date - dt.timedelta(days=14), dt.time(8))),
        quorum_first_rule=rules.quorum_first,
        quorum_second_rule=rules.quorum_second,
        report_ready_on=date - dt.timedelta(days=35),
        chair_name="Ketua Pengurus",
        secretary_name="Sekretaris Pengurus",
        witness_name="Wakil Anggota",
    )


def _held(ctx, coop, year, *, secret_election: bool) -> None:
    rng = random.Random(f"rat-{coop.slug}-{year}")
    meeting = _meeting_row(ctx, coop, year)
    snapshot = actions._snapshot_rows(coop, meeting, actions.settings_of(coop), meeting.date)
    EligibleMember.objects.bulk_create(snapshot, batch_size=2000)
    eligible = [r.member_id for r in snapshot if r.eligible]
    meeting.eligible_count = len(eligible)
    meeting.quorum_first_required = tally.quorum_required(meeting.quorum_first_rule, len(eligible))
    meeting.quorum_second_required = tally.quorum_required(meeting.quorum_second_rule, len(eligible))
    present = [m for m in eligible if rng.random() < 0.78]
    if len(present) < meeting.quorum_first_required:
        present = eligible[: meeting.quorum_first_required]
    _attendance(coop, meeting, present)
    meeting.status, meeting.call, meeting.present_at_open = Meeting.Status.OPEN, "first", len(present)
    meeting.save()
    items = _agenda(coop, meeting, year, secret_election, rng)
    queue = list(items)
    while queue:
        item = queue.pop(0)
        _votes(coop, item, present, rng)
        _close(item)
        if item.needs_runoff:  # a tie for the last seat: the run-off is voted on the spot
            queue.extend(item.runoffs.all())
            items.extend(item.runoffs.all())
    meeting.status, meeting.present_total = Meeting.Status.CLOSED, len(present)
    meeting.closed_at = timezone.make_aware(dt.datetime.combine(meeting.date, dt.time(12, 30)))
    meeting.save()
    officers = actions._elected_officers(meeting, actions.settings_of(coop).term_years)
    dinas_actions.rat_held_record(
        actor=SYSTEM, cooperative=coop, year=year, held_on=meeting.date, officers=officers
    )
    _audit(coop, meeting, present, items)


def _attendance(coop, meeting, present) -> None:
    start = timezone.make_aware(dt.datetime.combine(meeting.date, dt.time(8, 0)))
    Attendance.objects.bulk_create(
        (
            Attendance(
                cooperative=coop,
                meeting=meeting,
                member_id=m,
                mode=Attendance.Mode.VENUE,
                checked_in_at=start + dt.timedelta(seconds=7 * i),
            )
            for i, m in enumerate(present)
        ),
        batch_size=2000,
    )


def _agenda(coop, meeting, year, secret_election, rng) -> list[AgendaItem]:
    sy = shu_selectors.shu_year_get(coop, year)
    shu_passed = sy.status in DECIDED
    items = [
        AgendaItem(
            cooperative=coop,
            meeting=meeting,
            position=i + 1,
            kind=kind,
            title=title.format(y=year, n=year + 2),
            status=AgendaItem.Status.OPEN,
        )
        for i, (kind, title) in enumerate(actions.DEFAULT_AGENDA)
    ]
    if not shu_passed:
        shu = items[2]
        shu.mode = AgendaItem.Mode.MUSYAWARAH
        shu.note = f"SHU tahun buku {year} tidak positif; tidak ada pembagian."
    if secret_election:
        items.append(
            AgendaItem(
                cooperative=coop,
                meeting=meeting,
                position=5,
                kind=AgendaItem.Kind.ELECTION_PENGURUS,
                title=f"Pemilihan pengurus masa jabatan {meeting.date.year}–{meeting.date.year + 5}",
                ballot=AgendaItem.Ballot.SECRET,
                seats=3,
                status=AgendaItem.Status.OPEN,
            )
        )
    AgendaItem.objects.bulk_create(items)
    items = list(AgendaItem.objects.filter(cooperative=coop, meeting=meeting).order_by("position"))
    if secret_election:
        names = list(Member.objects.filter(cooperative=coop, status="aktif").order_by("?")[:4])
        Candidate.objects.bulk_create(
            Candidate(
                cooperative=coop,
                item=items[-1],
                member=m,
                name=m.name,
                order=i,
                position=["ketua", "sekretaris", "bendahara", "anggota"][i],
            )
            for i, m in enumerate(names)
        )
    return items


def _votes(coop, item, present, rng) -> None:
    if item.mode == AgendaItem.Mode.MUSYAWARAH:
        return
    cands = list(item.candidates.order_by("order"))
    choices = []
    for i, _member in enumerate(present):
        if cands and item.runoff_of_id:
            choices.append(("candidate", cands[0 if rng.random() < 0.6 else rng.randrange(len(cands))].pk))
        elif cands:
            choices.append(("candidate", cands[ELECTION_PATTERN[i % len(ELECTION_PATTERN)] % len(cands)].pk))
        else:
            choices.append((rng.choice(PATTERN), None))
    if item.ballot == AgendaItem.Ballot.SECRET:
        Turnout.objects.bulk_create(
            (Turnout(cooperative=coop, item=item, member_id=m) for m in present), batch_size=2000
        )
        SecretBallot.objects.bulk_create(
            (SecretBallot(cooperative=coop, item=item, choice=c, candidate_id=k) for c, k in choices),
            batch_size=2000,
        )
        return
    cast_at = timezone.now()
    OpenVote.objects.bulk_create(
        (
            OpenVote(cooperative=coop, item=item, member_id=m, choice=c, candidate_id=k, cast_at=cast_at)
            for m, (c, k) in zip(present, choices, strict=True)
        ),
        batch_size=2000,
    )


def _close(item) -> None:
    if item.mode == AgendaItem.Mode.MUSYAWARAH:
        item.passed = True
    else:
        actions._close_vote(item)
        if item.ballot == AgendaItem.Ballot.SECRET:
            actions._seal_secret(item)
    if item.kind == AgendaItem.Kind.SHU and item.mode == AgendaItem.Mode.VOTE:
        item.shu_outcome = AgendaItem.ShuOutcome.APPROVED if item.passed else AgendaItem.ShuOutcome.REJECTED
    item.status = AgendaItem.Status.CLOSED
    item.save()


def _audit(coop, meeting, present, items) -> None:
    numbers = dict(Member.objects.filter(pk__in=present).values_list("pk", "number"))
    base = {"cooperative_id": coop.pk, "kabupaten_id": coop.kabupaten_id}
    rows = [
        AuditLog(
            action="meeting_publish",
            object_type="rat.Meeting",
            object_ref=meeting.code,
            summary=f"RAT {meeting.book_year} diumumkan: {meeting.eligible_count} anggota berhak suara",
            **base,
        )
    ]
    rows += [
        AuditLog(
            action="attendance_check_in",
            object_type="rat.Attendance",
            object_ref=numbers[m],
            summary=f"Hadir RAT {meeting.book_year}: {numbers[m]}",
            **base,
        )
        for m in present
    ]
    for item in items:
        if item.mode == AgendaItem.Mode.VOTE:
            secret = item.ballot == AgendaItem.Ballot.SECRET
            rows += [
                AuditLog(
                    action="vote_cast",
                    object_type="rat.AgendaItem",
                    object_ref=item.code,
                    summary=f"{numbers[m]} memberikan suara" + (" (rahasia)" if secret else ""),
                    **base,
                )
                for m in present
            ]
        rows.append(
            AuditLog(
                action="item_close",
                object_type="rat.AgendaItem",
                object_ref=item.code,
                summary=f"{'Diterima' if item.passed else 'Ditolak'}: {item.title}"[:255],
                **base,
            )
        )
    rows.append(
        AuditLog(
            action="meeting_close",
            object_type="rat.Meeting",
            object_ref=meeting.code,
            summary=f"RAT {meeting.book_year} selesai: hadir {len(present)}",
            **base,
        )
    )
    AuditLog.objects.bulk_create(rows, batch_size=2000)


def _next_meeting(ctx, coop) -> None:
    year = ctx.today.year
    if Meeting.objects.filter(cooperative=coop, book_year=year).exists():
        return
    date = max(
        dt.date(year + 1, 2, 20), ctx.today + dt.timedelta(days=actions.settings_of(coop).notice_days + 1)
    )
    try:
        with batch():
            m = actions.meeting_schedule(
                actor=SYSTEM,
                cooperative=coop,
                book_year=year,
                date=date,
                first_call=dt.time(9, 0),
                second_call=dt.time(9, 30),
                venue=f"Aula {coop.name}",
                online_url="https://meet.jit.si/kopdig-rat",
            )
            actions.meeting_publish(actor=SYSTEM, cooperative=coop, code=m.code)
    except DomainError as exc:
        ctx.log(f"  rat: {coop.slug} {year}: {exc}")
