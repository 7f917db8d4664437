"""RAT API: meetings, agenda items with results, attendance check-in, votes (Idempotency-Key on
check-in and vote; a secret vote's key keeps only a salted digest, purged when the item closes)."""

from __future__ import annotations

from ninja import Router, Schema, Status
from ninja.errors import HttpError

from kopdig.api.common import Limit, Offset, Text, api_coop, page, responses
from kopdig.api.idempotency import run_once
from kopdig.tenancy.access import ALL_COOP, READERS, STAFF

from . import actions, selectors
from .models import AgendaItem

router = Router(tags=["rat"])


class MeetingOut(Schema):
    code: str
    book_year: int
    date: str
    first_call: str
    second_call: str | None
    venue: str
    online_url: str
    status: str
    decision_number: str
    eligible: int
    quorum_first: int
    quorum_second: int
    call: str | None


class MeetingList(Schema):
    items: list[MeetingOut]
    count: int


class MeetingDetailOut(MeetingOut):
    present: int
    present_eligible: int
    first_reached: bool
    second_reached: bool


class CandidateOut(Schema):
    code: str
    name: str
    position: str
    votes: int | None
    elected: bool


class ItemOut(Schema):
    code: str
    position: int
    kind: str
    title: str
    mode: str
    ballot: str
    threshold: str
    seats: int
    status: str
    candidates: list[CandidateOut]
    result: dict | None


class ItemList(Schema):
    items: list[ItemOut]
    count: int


class ResultsOut(Schema):
    meeting: MeetingOut
    items: list[ItemOut]
    count: int


class CheckInOut(Schema):
    member: str
    mode: str
    checked_in_at: str


class VoteOut(Schema):
    item: str
    member: str
    voted: bool
    secret: bool
    choice: str | None
    candidate: str | None


def _meeting_out(m) -> dict:
    return {
        "code": m.code,
        "book_year": m.book_year,
        "date": m.date.isoformat(),
        "first_call": m.first_call.isoformat(timespec="minutes"),
        "second_call": m.second_call.isoformat(timespec="minutes") if m.second_call else None,
        "venue": m.venue,
        "online_url": m.online_url,
        "status": m.status,
        "decision_number": m.decision_number,
        "eligible": m.eligible_count,
        "quorum_first": m.quorum_first_required,
        "quorum_second": m.quorum_second_required,
        "call": m.call or None,
    }


def _item_out(it: AgendaItem) -> dict:
    closed = it.status == AgendaItem.Status.CLOSED
    return {
        "code": it.code,
        "position": it.position,
        "kind": it.kind,
        "title": it.title,
        "mode": it.mode,
        "ballot": it.ballot,
        "threshold": it.threshold,
        "seats": it.seats,
        "status": it.status,
        "candidates": [
            {
                "code": c.code,
                "name": c.name,
                "position": c.position,
                "votes": c.votes if closed else None,
                "elected": c.elected,
            }
            for c in it.candidates.all()
        ],
        "result": {
            "for": it.votes_for,
            "against": it.votes_against,
            "abstain": it.votes_abstain,
            "turnout": it.turnout,
            "passed": it.passed,
            "hand_counted": it.hand_counted,
            "needs_runoff": it.needs_runoff,
            "shu_outcome": it.shu_outcome or None,
        }
        if closed
        else None,
    }


def _meeting(access, code):
    meeting = selectors.meeting_get(access.cooperative, code)
    if meeting is None:
        raise HttpError(404, "Tidak ditemukan.")
    return meeting


@router.get("/coops/{slug}/rat/meetings", response=responses(MeetingList))
def meetings(request, slug: str, limit: Limit = 100, offset: Offset = 0):
    """The cooperative's RAT meetings, newest book year first: {"items", "count"}."""
    access = api_coop(request, slug, ALL_COOP, dinas_read=True)
    return page(selectors.meeting_list(access.cooperative), limit, offset, _meeting_out)


@router.get("/coops/{slug}/rat/meetings/{code}", response=responses(MeetingDetailOut))
def meeting(request, slug: str, code: str):
    """One meeting with its quorum figures."""
    access = api_coop(request, slug, ALL_COOP, dinas_read=True)
    m = _meeting(access, code)
    qu = selectors.quorum(access.cooperative, m)
    return {
        **_meeting_out(m),
        "present": qu.present,
        "present_eligible": qu.present_eligible,
        "first_reached": qu.first_reached,
        "second_reached": qu.second_reached,
    }


@router.get("/coops/{slug}/rat/meetings/{code}/items", response=responses(ItemList))
def items(request, slug: str, code: str, limit: Limit = 100, offset: Offset = 0):
    """The agenda with each item's result once decided: {"items", "count"}."""
    access = api_coop(request, slug, ALL_COOP, dinas_read=True)
    return page(selectors.items(access.cooperative, _meeting(access, code)), limit, offset, _item_out)


class CheckInIn(Schema):
    number: Text(20) = ""
    token: Text(100) = ""
    online: bool = False


@router.post("/coops/{slug}/rat/meetings/{code}/attendance", response=responses({201: CheckInOut}, 409))
def check_in(request, slug: str, code: str, data: CheckInIn):
    """Check a member in: staff by member number or invitation token; a member online themselves."""
    access = api_coop(request, slug, ALL_COOP)
    if not data.online and access.role not in STAFF:
        raise HttpError(403, "Peran Anda tidak mengizinkan tindakan ini.")
    body = data.dict()

    def fn():
        att = actions.attendance_check_in(
            actor=request.user,
            cooperative=access.cooperative,
            code=code,
            number=data.number,
            token=data.token,
            online=data.online,
        )
        return 201, {
            "member": att.member.number,
            "mode": att.mode,
            "checked_in_at": att.checked_in_at.isoformat(),
        }

    return Status(
        *run_once(
            user=request.user,
            cooperative=access.cooperative,
            endpoint=f"rat.attendance.{code}",
            key=request.headers.get("Idempotency-Key"),
            body=body,
            fn=fn,
        )
    )


class VoteIn(Schema):
    choice: Text(10) = ""
    candidate: Text(12) = ""


@router.post("/coops/{slug}/rat/items/{code}/vote", response=responses(VoteOut, 409))
def vote(request, slug: str, code: str, data: VoteIn):
    """The caller's own vote as a member (for/against/abstain, or a candidate code). The answer
    of a secret vote says only that the member voted."""
    access = api_coop(request, slug, ALL_COOP)
    item = selectors.item_get(access.cooperative, code)
    if item is None:
        raise HttpError(404, "Tidak ditemukan.")
    body = data.dict()
    if item.ballot == AgendaItem.Ballot.SECRET:
        body = actions.secret_idempotency_body(item, body)

    def fn():
        return 200, actions.vote_cast(
            actor=request.user,
            cooperative=access.cooperative,
            item_code=code,
            choice=data.choice,
            candidate_code=data.candidate,
        )

    return Status(
        *run_once(
            user=request.user,
            cooperative=access.cooperative,
            endpoint=actions.VOTE_ENDPOINT.format(code=code),
            key=request.headers.get("Idempotency-Key"),
            body=body,
            fn=fn,
        )
    )


@router.get("/coops/{slug}/rat/meetings/{code}/results", response=responses(ResultsOut))
def results(request, slug: str, code: str):
    """Decided items with votes per option, turnout, passed, elected candidates."""
    access = api_coop(request, slug, READERS | ALL_COOP, dinas_read=True)
    m = _meeting(access, code)
    decided = [it for it in selectors.items(access.cooperative, m) if it.status == AgendaItem.Status.CLOSED]
    return {"meeting": _meeting_out(m), "items": [_item_out(it) for it in decided], "count": len(decided)}
