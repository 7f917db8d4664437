"""RAT actions: schedule, publish (eligibility snapshot), attendance, quorum, votes, decisions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kopdig.audit.models import AuditLog
from kopdig.dinas.models import CoopOfficer, RatRecord
from kopdig.lib.errors import DomainError, NotAllowed
from kopdig.rat import actions
from kopdig.rat.models import AgendaItem, Attendance, EligibleMember, Meeting, OpenVote, SecretBallot, Turnout
from kopdig.shu.models import ShuYear

from . import factories as f

pytestmark = pytest.mark.django_db


def test_schedule_inside_notice_period_refused_nothing_written(rat_world):
    w = rat_world
    with pytest.raises(DomainError, match="paling lambat 7 hari"):
        f.scheduled(w, date=timezone.localdate() + dt.timedelta(days=6))
    assert not Meeting.objects.exists() and not AuditLog.objects.filter(action="meeting_schedule").exists()


def test_schedule_creates_standard_agenda(rat_world):
    meeting = f.scheduled(rat_world)
    assert list(meeting.items.values_list("kind", flat=True)) == ["lpj", "statements", "shu", "rapb"]


def test_publish_freezes_snapshot_with_each_exclusion_reason(rat_world):
    w = rat_world
    meeting = f.scheduled(w)
    actions.meeting_publish(actor=w.pengurus_a, cooperative=w.coop_a, code=meeting.code)
    meeting.refresh_from_db()
    rows = {e.member.number: e for e in EligibleMember.objects.select_related("member")}
    assert len(rows) == 10
    assert {n for n, e in rows.items() if e.eligible} == {m.number for m in w.members}
    assert {n: e.reasons for n, e in rows.items() if not e.eligible} == w.excluded
    assert meeting.eligible_count == 6
    assert meeting.quorum_first_required == 4  # ⌊6/2⌋ + 1
    assert meeting.quorum_second_required == 2  # ⌈6/5⌉
    assert meeting.status == "published"


def test_publish_by_kasir_refused(rat_world):
    meeting = f.scheduled(rat_world)
    with pytest.raises(NotAllowed):
        actions.meeting_publish(actor=rat_world.kasir_a, cooperative=rat_world.coop_a, code=meeting.code)
    assert not EligibleMember.objects.exists()


def test_quorum_first_call_fails_second_call_opens(rat_world):
    w = rat_world
    meeting = f.publish_and_arrive(w, f.scheduled(w))
    for m in w.members[:3]:
        f.check_in(w, meeting, m.number)
    f.check_in(w, meeting, "00007")  # a calon anggota attends but does not count
    with pytest.raises(DomainError, match="hadir 3 dari 6 anggota berhak suara, diperlukan 4"):
        actions.meeting_open(actor=w.pengurus_a, cooperative=w.coop_a, code=meeting.code, call="first")
    actions.meeting_open(actor=w.pengurus_a, cooperative=w.coop_a, code=meeting.code, call="second")
    meeting.refresh_from_db()
    assert meeting.call == "second" and meeting.present_at_open == 3


def test_check_in_twice_refused(rat_world):
    w = rat_world
    meeting = f.publish_and_arrive(w, f.scheduled(w))
    f.check_in(w, meeting, "00002")
    with pytest.raises(DomainError, match="sudah tercatat hadir"):
        f.check_in(w, meeting, "00002")
    assert Attendance.objects.count() == 1


def test_check_in_by_invitation_token_and_online_self(rat_world):
    w = rat_world
    meeting = f.publish_and_arrive(w, f.scheduled(w))
    tokens = actions.invitations_issue(
        actor=w.kasir_a, cooperative=w.coop_a, code=meeting.code, numbers=["00002", "00003"]
    )
    actions.attendance_check_in(
        actor=w.kasir_a, cooperative=w.coop_a, code=meeting.code, token=tokens["00002"]
    )
    actions.attendance_check_in(
        actor=None, cooperative=w.coop_a, code=meeting.code, token=tokens["00003"], online=True
    )
    actions.attendance_check_in(actor=w.anggota_a, cooperative=w.coop_a, code=meeting.code, online=True)
    modes = dict(Attendance.objects.values_list("member__number", "mode"))
    assert modes == {"00002": "venue", "00003": "online", "00001": "online"}


def _vote(w, item, number_or_user, choice="for", **kw):
    if isinstance(number_or_user, str):
        return actions.vote_cast(
            actor=None,
            cooperative=w.coop_a,
            item_code=item.code,
            choice=choice,
            token=w.tokens[number_or_user],
            **kw,
        )
    return actions.vote_cast(
        actor=number_or_user, cooperative=w.coop_a, item_code=item.code, choice=choice, **kw
    )


@pytest.fixture
def voting(open_meeting):
    w = open_meeting
    w.tokens = actions.invitations_issue(actor=w.pengurus_a, cooperative=w.coop_a, code=w.meeting.code)
    return w


def test_open_vote_refusals_write_nothing(voting):
    w = voting
    lpj = f.item(w.meeting, "lpj")
    with pytest.raises(DomainError, match="tidak sedang dibuka"):
        _vote(w, lpj, "00002")
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=lpj.code)
    with pytest.raises(NotAllowed, match="tidak berhak suara.*tunggakan simpanan wajib"):
        _vote(w, lpj, "00010")
    f.check_in(w, w.meeting, "00008")
    with pytest.raises(NotAllowed, match="belum cukup lama"):
        _vote(w, lpj, "00008")
    receipt = _vote(w, lpj, w.anggota_a, "against")
    assert receipt["choice"] == "against" and receipt["member"] == "00001"
    with pytest.raises(DomainError, match="sudah memberikan suara"):
        _vote(w, lpj, "00001")
    assert OpenVote.objects.count() == 1
    actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=lpj.code)
    with pytest.raises(DomainError, match="tidak sedang dibuka"):
        _vote(w, lpj, "00002")
    with pytest.raises(DomainError, match="sudah diputuskan"):
        actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=lpj.code)
    assert OpenVote.objects.count() == 1


def test_not_checked_in_member_cannot_vote(rat_world):
    w = rat_world
    meeting = f.publish_and_arrive(w, f.scheduled(w))
    for m in w.members[1:5]:
        f.check_in(w, meeting, m.number)
    actions.meeting_open(actor=w.pengurus_a, cooperative=w.coop_a, code=meeting.code, call="first")
    lpj = f.item(meeting, "lpj")
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=lpj.code)
    with pytest.raises(NotAllowed, match="belum tercatat hadir"):
        actions.vote_cast(actor=w.anggota_a, cooperative=w.coop_a, item_code=lpj.code, choice="for")
    assert not OpenVote.objects.exists()


@pytest.mark.parametrize(
    "threshold, votes, passed",
    [
        ("majority", ["for", "for", "against", "abstain", "abstain", "abstain"], True),
        ("majority", ["for", "against", "abstain"], False),
        ("two_thirds", ["for", "for", "against", "abstain"], True),
        ("two_thirds", ["for", "for", "against", "against"], False),
        ("three_quarters", ["for", "for", "for", "against", "abstain", "abstain"], True),
        ("three_quarters", ["for", "for", "against"], False),
    ],
)
def test_thresholds_with_abstentions_apart(voting, threshold, votes, passed):
    w = voting
    item = actions.agenda_item_save(
        actor=w.pengurus_a,
        cooperative=w.coop_a,
        meeting_code=w.meeting.code,
        kind="adart",
        title="Perubahan AD Pasal 12",
        threshold=threshold,
    )
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=item.code)
    for m, choice in zip(w.members, votes, strict=False):
        _vote(w, item, m.number, choice)
    item = actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=item.code)
    assert item.passed is passed
    assert (item.votes_for, item.votes_against, item.votes_abstain) == (
        votes.count("for"),
        votes.count("against"),
        votes.count("abstain"),
    )
    assert item.turnout == len(votes)


def test_shu_item_passed_approves_shu_with_rat_date_and_number(voting):
    w = voting
    shu = f.item(w.meeting, "shu")
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=shu.code)
    for m in w.members[:4]:
        _vote(w, shu, m.number, "for")
    shu = actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=shu.code)
    sy = ShuYear.objects.get(cooperative=w.coop_a, year=w.year)
    assert shu.shu_outcome == "approved"
    assert sy.status == "approved" and sy.rat_date == w.meeting.date
    assert sy.rat_reference == f"01/RAT/{w.year}" and sy.shu_amount == Decimal("2000000.00")


def test_shu_item_amended_records_and_approves_the_amended_lines(voting):
    w = voting
    shu = f.item(w.meeting, "shu")
    lines = [
        {"name": "Cadangan", "percent": Decimal("50"), "role": "cadangan", "account_key": "cadangan"},
        {"name": "Jasa modal", "percent": Decimal("20"), "role": "jasa_modal", "account_key": ""},
        {"name": "Jasa usaha", "percent": Decimal("30"), "role": "jasa_usaha", "account_key": ""},
    ]
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=shu.code)
    _vote(w, shu, "00002", "for")
    shu = actions.item_close(
        actor=w.pengurus_a, cooperative=w.coop_a, item_code=shu.code, amended_lines=lines
    )
    sy = ShuYear.objects.get(cooperative=w.coop_a, year=w.year)
    assert shu.shu_outcome == "amended" and sy.status == "approved"
    assert sy.lines.get(role="cadangan", pool="anggota").amount == Decimal("1000000.00")


def test_shu_item_rejected_leaves_year_closed_with_reason(voting):
    w = voting
    shu = f.item(w.meeting, "shu")
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=shu.code)
    _vote(w, shu, "00002", "against")
    shu = actions.item_close(
        actor=w.pengurus_a, cooperative=w.coop_a, item_code=shu.code, note="Cadangan terlalu kecil"
    )
    assert shu.shu_outcome == "rejected" and shu.note == "Cadangan terlalu kecil"
    assert ShuYear.objects.get(cooperative=w.coop_a, year=w.year).status == "closed"


def test_shu_approval_failure_rolls_back_the_item_close(voting):
    w = voting
    Meeting.objects.filter(pk=w.meeting.pk).update(decision_number="")
    shu = f.item(w.meeting, "shu")
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=shu.code)
    _vote(w, shu, "00002", "for")
    with pytest.raises(DomainError, match="nomor keputusan"):
        actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=shu.code)
    shu.refresh_from_db()
    assert shu.status == "open" and shu.passed is None
    assert ShuYear.objects.get(cooperative=w.coop_a, year=w.year).status == "closed"


def test_election_tie_for_last_seat_adds_runoff(voting):
    w = voting
    w.tokens = actions.invitations_issue(actor=w.pengurus_a, cooperative=w.coop_a, code=w.meeting.code)
    item = f.election(w, seats=2, ballot="open")
    ana, budi, citra = item.candidates.order_by("order")
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=item.code)
    for number, cand in zip(
        ["00001", "00002", "00003", "00004", "00005"], [ana, ana, budi, citra, ana], strict=True
    ):
        _vote(w, item, number, candidate_code=cand.code)
    item = actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=item.code)
    assert item.needs_runoff
    assert list(item.candidates.filter(elected=True).values_list("name", flat=True)) == ["Ana"]
    runoff = item.runoffs.get()
    assert runoff.seats == 1 and sorted(runoff.candidates.values_list("name", flat=True)) == ["Budi", "Citra"]


def test_hand_counted_totals_decide_the_item(voting):
    w = voting
    rapb = f.item(w.meeting, "rapb")
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=rapb.code)
    with pytest.raises(DomainError, match="melebihi"):
        actions.item_totals_enter(actor=w.pengurus_a, cooperative=w.coop_a, item_code=rapb.code, votes_for=7)
    actions.item_totals_enter(
        actor=w.pengurus_a,
        cooperative=w.coop_a,
        item_code=rapb.code,
        votes_for=4,
        votes_against=1,
        votes_abstain=1,
    )
    rapb = actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=rapb.code)
    assert rapb.hand_counted and rapb.passed and rapb.turnout == 6


def _decide_everything(w):
    for item in w.meeting.items.exclude(status="closed"):
        if item.status == "pending":
            actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=item.code)
        for m in w.members[:4]:
            _vote(
                w,
                item,
                m.number,
                "for",
                candidate_code=item.candidates.first().code if item.is_election else "",
            )
        actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=item.code)


def test_secret_ballot_leaves_no_voter_choice_link(voting, api_client):
    w = voting
    item = f.election(w, seats=1, names=("Ana", "Budi"))
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=item.code)
    ana, budi = item.candidates.order_by("order")
    api_client.as_user(w.anggota_a)
    resp = api_client.post(
        f"/api/v1/coops/{w.coop_a.slug}/rat/items/{item.code}/vote",
        {"candidate": budi.code},
        headers={"Idempotency-Key": "k-1"},
    )
    assert resp.status_code == 200, resp.content
    assert "Budi" not in resp.content.decode() and budi.code not in resp.content.decode()
    for number, cand in (("00002", ana), ("00003", ana)):
        _vote(w, item, number, candidate_code=cand.code)
    from kopdig.api.models import IdempotencyKey

    stored = IdempotencyKey.objects.get(key="k-1")
    assert budi.code not in str(stored.request_hash) + str(stored.response)
    item = actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=item.code)
    assert list(item.candidates.filter(elected=True).values_list("name", flat=True)) == ["Ana"]
    ballot_fields = {fld.name for fld in SecretBallot._meta.get_fields()}
    assert ballot_fields == {"id", "cooperative", "item", "choice", "candidate"}
    assert {fld.name for fld in Turnout._meta.get_fields()} == {"id", "cooperative", "item", "member"}
    assert (
        Turnout.objects.filter(item=item).count() == 3 and SecretBallot.objects.filter(item=item).count() == 3
    )
    assert not IdempotencyKey.objects.filter(endpoint__startswith="rat.vote").exists()
    item.refresh_from_db()
    assert item.idem_salt == ""
    for log in AuditLog.objects.filter(action="vote_cast", object_ref=item.code):
        assert log.after is None and ana.code not in log.summary and "Ana" not in log.summary
        assert "Budi" not in log.summary


def test_meeting_close_fills_dinas_record_and_officers(voting):
    w = voting
    item = f.election(w, seats=1, names=("Ana", "Budi"))
    _decide_everything(w)
    CoopOfficer.objects.create(
        cooperative=w.coop_a, body="pengurus", position="ketua", name="Lama", term_start=dt.date(2020, 1, 1)
    )
    RatRecord.objects.create(cooperative=w.coop_a, year=w.year, held_on=None, source="dinas")
    with pytest.raises(NotAllowed):
        actions.meeting_close(actor=w.pengurus_b, cooperative=w.coop_a, code=w.meeting.code)
    assert RatRecord.objects.get(cooperative=w.coop_a, year=w.year).source == "dinas"
    actions.meeting_close(
        actor=w.pengurus_a, cooperative=w.coop_a, code=w.meeting.code, chair_name="H. Slamet"
    )
    rec = RatRecord.objects.get(cooperative=w.coop_a, year=w.year)
    assert rec.source == "kopdig" and rec.held_on == w.meeting.date
    assert AuditLog.objects.get(action="rat_held_record").before == {"held_on": None, "source": "dinas"}
    ana = CoopOfficer.objects.get(cooperative=w.coop_a, name="Ana")
    assert ana.position == "ketua" and ana.term_start == w.meeting.date
    assert ana.term_end == w.meeting.date.replace(year=w.meeting.date.year + 5) - dt.timedelta(days=1)
    assert CoopOfficer.objects.get(name="Lama").term_end == w.meeting.date
    assert item.candidates.get(name="Ana").elected


def test_meeting_close_refused_with_items_pending(voting):
    w = voting
    with pytest.raises(DomainError, match="belum diputuskan"):
        actions.meeting_close(actor=w.pengurus_a, cooperative=w.coop_a, code=w.meeting.code)
    assert not RatRecord.objects.exists() and Meeting.objects.get().status == "open"


def test_pengawas_writes_only_the_pengawas_report(voting):
    w = voting
    actions.report_section_save(
        actor=w.pengawas_a,
        cooperative=w.coop_a,
        code=w.meeting.code,
        author="pengawas",
        key="keuangan",
        text="Pembukuan tertib.",
    )
    with pytest.raises(NotAllowed):
        actions.report_section_save(
            actor=w.pengawas_a,
            cooperative=w.coop_a,
            code=w.meeting.code,
            author="pengurus",
            key="usaha",
            text="x",
        )
    with pytest.raises(NotAllowed):
        actions.item_close(
            actor=w.pengawas_a, cooperative=w.coop_a, item_code=f.item(w.meeting, "lpj").code, agreed=True
        )
    with pytest.raises(NotAllowed):
        actions.report_section_save(
            actor=w.dinas, cooperative=w.coop_a, code=w.meeting.code, author="pengawas", key="usaha", text="x"
        )


def test_musyawarah_item_recorded_as_agreed(voting):
    w = voting
    item = actions.agenda_item_save(
        actor=w.pengurus_a,
        cooperative=w.coop_a,
        meeting_code=w.meeting.code,
        kind="other",
        title="Tempat RAT berikutnya",
        mode="musyawarah",
    )
    item = actions.item_close(actor=w.pengurus_a, cooperative=w.coop_a, item_code=item.code, agreed=True)
    assert item.passed and item.votes_for is None and item.status == AgendaItem.Status.CLOSED


def test_vote_query_count_guard(voting, django_assert_max_num_queries):
    w = voting
    item = f.election(w, seats=1, names=("Ana", "Budi"))
    actions.item_open(actor=w.pengurus_a, cooperative=w.coop_a, code=item.code)
    cand = item.candidates.first()
    with django_assert_max_num_queries(9):
        actions.vote_cast(
            actor=None,
            cooperative=w.coop_a,
            item_code=item.code,
            candidate_code=cand.code,
            token=w.tokens["00002"],
        )


def test_kopdig_rat_record_takes_precedence_over_typing(voting):
    w = voting
    from kopdig.dinas import actions as dinas_actions

    RatRecord.objects.create(cooperative=w.coop_a, year=w.year, held_on=None, source="dinas")
    _decide_everything(w)
    actions.meeting_close(actor=w.pengurus_a, cooperative=w.coop_a, code=w.meeting.code)
    rows = AuditLog.objects.count()
    typed = w.meeting.date - dt.timedelta(days=1)
    for who in (w.dinas, w.pengurus_a):
        with pytest.raises(DomainError, match="diselenggarakan di Kopdig"):
            dinas_actions.rat_record_save(actor=who, cooperative=w.coop_a, year=w.year, held_on=typed)
    rec = RatRecord.objects.get(cooperative=w.coop_a, year=w.year)
    assert (rec.source, rec.held_on) == ("kopdig", w.meeting.date)
    assert AuditLog.objects.count() == rows
    # the typed record's values stay in the history
    assert AuditLog.objects.get(action="rat_held_record").before == {"held_on": None, "source": "dinas"}
