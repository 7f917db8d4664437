"""RAT reads: meetings, agenda with results, attendance and quorum figures, the member's ballot,
the laporan tahunan (statements with comparatives from the ledger, the SHU proposal, the written
sections, the RAPB). Every selector takes the cooperative explicitly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from kopdig.ledger import statements
from kopdig.lib.money import ZERO
from kopdig.shu import selectors as shu_selectors

from .models import (
    AgendaItem,
    Attendance,
    Candidate,
    EligibleMember,
    Meeting,
    OpenVote,
    RapbLine,
    ReportSection,
    Turnout,
)

READY_DAYS = 30


def meeting_list(cooperative):
    return Meeting.objects.filter(cooperative=cooperative).order_by("-book_year", "-date")


def meeting_get(cooperative, code: str) -> Meeting | None:
    return Meeting.objects.filter(cooperative=cooperative, code=code).first()


def current_meeting(cooperative) -> Meeting | None:
    """The meeting members act on now: open, else the next published one."""
    qs = Meeting.objects.filter(cooperative=cooperative)
    return (
        qs.filter(status=Meeting.Status.OPEN).order_by("-date").first()
        or qs.filter(status=Meeting.Status.PUBLISHED).order_by("date").first()
    )


def items(cooperative, meeting):
    """The agenda with candidates (one query each)."""
    cands = Prefetch("candidates", queryset=Candidate.objects.order_by("order", "name"))
    return list(
        AgendaItem.objects.filter(cooperative=cooperative, meeting=meeting)
        .prefetch_related(cands)
        .order_by("position")
    )


def item_get(cooperative, code: str) -> AgendaItem | None:
    return AgendaItem.objects.select_related("meeting").filter(cooperative=cooperative, code=code).first()


@dataclass(frozen=True)
class Quorum:
    eligible: int
    invited: int
    present: int
    present_eligible: int
    first_required: int
    second_required: int

    @property
    def first_reached(self) -> bool:
        return self.eligible > 0 and self.present_eligible >= self.first_required

    @property
    def second_reached(self) -> bool:
        return self.eligible > 0 and self.present_eligible >= self.second_required


def quorum(cooperative, meeting) -> Quorum:
    snap = EligibleMember.objects.filter(cooperative=cooperative, meeting=meeting).aggregate(
        invited=Count("id"), eligible=Count("id", filter=Q(eligible=True))
    )
    att = Attendance.objects.filter(cooperative=cooperative, meeting=meeting)
    eligible_ids = EligibleMember.objects.filter(cooperative=cooperative, meeting=meeting, eligible=True)
    return Quorum(
        snap["eligible"],
        snap["invited"],
        att.count(),
        att.filter(member_id__in=eligible_ids.values("member_id")).count(),
        meeting.quorum_first_required,
        meeting.quorum_second_required,
    )


def attendance_list(cooperative, meeting):
    return (
        Attendance.objects.filter(cooperative=cooperative, meeting=meeting)
        .select_related("member")
        .order_by("member__number")
    )


def eligibility_list(cooperative, meeting, *, eligible: bool | None = None):
    qs = EligibleMember.objects.filter(cooperative=cooperative, meeting=meeting).select_related("member")
    if eligible is not None:
        qs = qs.filter(eligible=eligible)
    return qs.order_by("member__number")


def invited_members(cooperative, meeting, numbers=None):
    qs = eligibility_list(cooperative, meeting)
    if numbers is not None:
        qs = qs.filter(member__number__in=list(numbers))
    return [e.member for e in qs]


# --- the member's ballot -------------------------------------------------------------------


@dataclass
class BallotLine:
    item: AgendaItem
    voted: bool
    my_choice: str | None  # open votes only
    my_candidate: str | None


def ballot(cooperative, meeting, member) -> dict:
    """The member's view of the meeting: eligible? present? and per voting item, voted or not
    (and their own choice for an open vote; never for a secret one)."""
    snap = EligibleMember.objects.filter(cooperative=cooperative, meeting=meeting, member=member).first()
    present = Attendance.objects.filter(cooperative=cooperative, meeting=meeting, member=member).exists()
    agenda = items(cooperative, meeting)
    open_votes = {
        v.item_id: v
        for v in OpenVote.objects.filter(
            cooperative=cooperative, item__meeting=meeting, member=member
        ).select_related("candidate")
    }
    secret = set(
        Turnout.objects.filter(cooperative=cooperative, item__meeting=meeting, member=member).values_list(
            "item_id", flat=True
        )
    )
    lines = []
    for it in agenda:
        v = open_votes.get(it.pk)
        lines.append(
            BallotLine(
                it,
                v is not None or it.pk in secret,
                v.choice if v else None,
                v.candidate.name if v and v.candidate_id else None,
            )
        )
    return {
        "meeting": meeting,
        "member": member,
        "snapshot": snap,
        "eligible": bool(snap and snap.eligible),
        "present": present,
        "lines": lines,
    }


# --- the laporan tahunan -------------------------------------------------------------------


def sections(cooperative, meeting) -> dict:
    have = {
        (s.author, s.key): s for s in ReportSection.objects.filter(cooperative=cooperative, meeting=meeting)
    }
    return {
        "pengurus": [(k, label, have.get(("pengurus", k))) for k, label in ReportSection.LPJ_KEYS],
        "pengawas": [(k, label, have.get(("pengawas", k))) for k, label in ReportSection.PENGAWAS_KEYS],
    }


def rapb(cooperative, meeting) -> dict:
    lines = list(
        RapbLine.objects.filter(cooperative=cooperative, meeting=meeting).order_by("group", "position")
    )
    totals = dict(
        RapbLine.objects.filter(cooperative=cooperative, meeting=meeting)
        .values("group")
        .annotate(s=Sum("amount"))
        .values_list("group", "s")
    )
    return {"lines": lines, "totals": {g: totals.get(g, ZERO) for g in RapbLine.Group.values}}


def shu_proposal(cooperative, year: int) -> dict | None:
    sy = shu_selectors.shu_year_get(cooperative, year)
    if sy is None:
        return None
    lines = [ln for ln in sy.lines.order_by("pool", "position")]
    amount = sy.shu_amount if sy.shu_amount is not None else sy.book_shu
    if sy.shu_amount is None and amount is not None:
        lines = _proposed_amounts(lines, amount)
    return {"year": sy, "amount": amount, "lines": lines}


def _proposed_amounts(lines, amount: Decimal):
    for ln in lines:
        if ln.pool == "anggota" and ln.amount is None:
            ln.amount = (amount * ln.percent / 100).quantize(Decimal("0.01"))
    return lines


def statements_of(cooperative, year: int) -> dict:
    end = dt.date(year, 12, 31)
    return {
        "balance_sheet": statements.balance_sheet(cooperative, end),
        "income": statements.income_statement(cooperative, dt.date(year, 1, 1), end),
    }


def report_warning(meeting, today: dt.date | None = None) -> str:
    """A warning when the laporan tahunan is not ready ≥ 30 days before the meeting ("" = fine)."""
    today = today or timezone.localdate()
    deadline = meeting.date - dt.timedelta(days=READY_DAYS)
    if meeting.report_ready_on and meeting.report_ready_on <= deadline:
        return ""
    if meeting.report_ready_on:
        return (
            f"Laporan tahunan baru siap {meeting.report_ready_on:%d-%m-%Y}, kurang dari {READY_DAYS} hari "
            "sebelum RAT."
        )
    if meeting.status in (Meeting.Status.CLOSED, Meeting.Status.POSTPONED):
        return ""
    when = "sudah lewat" if today > deadline else "paling lambat"
    return f"Laporan tahunan harus siap {READY_DAYS} hari sebelum RAT ({when} {deadline:%d-%m-%Y})."


def annual_report(cooperative, meeting) -> dict:
    return {
        "sections": sections(cooperative, meeting),
        "statements": statements_of(cooperative, meeting.book_year),
        "shu": shu_proposal(cooperative, meeting.book_year),
        "rapb": rapb(cooperative, meeting),
        "warning": report_warning(meeting),
    }


def elected(cooperative, meeting):
    return (
        Candidate.objects.filter(cooperative=cooperative, item__meeting=meeting, elected=True)
        .select_related("item")
        .order_by("item__position", "order")
    )
