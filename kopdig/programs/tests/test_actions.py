"""Programme actions: capacity and waiting list, target groups, attendance, evaluation,
certificates, follow-ups and agreements; every refusal leaves nothing written."""

import datetime as dt

import pytest

from kopdig.audit.models import AuditLog
from kopdig.lib.errors import NotAllowed
from kopdig.programs import actions, selectors
from kopdig.programs.models import (
    Attendance,
    Evaluation,
    Event,
    FollowUp,
    Organisation,
    Participation,
    Person,
)
from kopdig.tenancy.access import SYSTEM

from .conftest import NIK_MAN_1960, NIK_MAN_1990, NIK_MAN_2004, NIK_WOMAN_1975, NIK_WOMAN_1999

pytestmark = pytest.mark.django_db


def test_person_identity_comes_from_the_nik(world, person):
    p = person(NIK_WOMAN_1999, "Dewi Lestari")
    assert (p.gender, p.birth_date) == ("P", dt.date(1999, 3, 12))
    m = person(NIK_MAN_1990, "Ahmad Fauzi")
    assert (m.gender, m.birth_date) == ("L", dt.date(1990, 6, 5))


def test_invalid_nik_is_refused_and_nothing_written(world):
    with pytest.raises(actions.ProgramError, match="16 angka"):
        actions.person_save(actor=world.dinas, kabupaten=world.kab, nik="12345", name="X")
    with pytest.raises(actions.ProgramError, match="tanggal lahir"):
        actions.person_save(actor=world.dinas, kabupaten=world.kab, nik="3513149913900001", name="X")
    assert not Person.objects.exists()


def test_capacity_fills_then_waiting_list_then_cancel_promotes(world, event, person):
    a, b, c, d = (
        person(n, name)
        for n, name in [
            (NIK_MAN_1990, "A"),
            (NIK_WOMAN_1999, "B"),
            (NIK_WOMAN_1975, "C"),
            (NIK_MAN_1960, "D"),
        ]
    )
    pa, _ = actions.participant_register(actor=world.dinas, event=event, person=a)
    pb, _ = actions.participant_register(actor=world.dinas, event=event, person=b)
    pc, _ = actions.participant_register(actor=world.dinas, event=event, person=c)
    pd, _ = actions.participant_register(actor=world.dinas, event=event, person=d)
    assert [pa.status, pb.status, pc.status, pd.status] == ["registered", "registered", "waiting", "waiting"]
    assert (pc.waiting_position, pd.waiting_position) == (1, 2)
    speaker = person(NIK_MAN_2004, "Narasumber")
    ps, _ = actions.participant_register(actor=world.dinas, event=event, person=speaker, role="narasumber")
    assert ps.status == "registered"  # speakers do not count against the capacity
    promoted = actions.participant_cancel(actor=world.dinas, participation=pb)
    assert promoted.pk == pc.pk
    assert dict(Participation.objects.values_list("person__name", "status")) == {
        "A": "registered",
        "B": "cancelled",
        "C": "registered",
        "D": "waiting",
        "Narasumber": "registered",
    }


def test_a_person_twice_is_refused(world, event, person):
    a = person(NIK_MAN_1990, "A")
    actions.participant_register(actor=world.dinas, event=event, person=a)
    logs = AuditLog.objects.count()
    with pytest.raises(actions.ProgramError, match="sudah terdaftar"):
        actions.participant_register(actor=world.dinas, event=event, person=a)
    assert Participation.objects.count() == 1 and AuditLog.objects.count() == logs


def test_target_group_refuses_other_cooperatives(world, event, person):
    actions.event_save(actor=world.dinas, kabupaten=world.kab, event=event, target_jenis=["simpan_pinjam"])
    event.refresh_from_db()
    a = person(NIK_MAN_1990, "A", cooperative=world.coop_a)  # a KSU
    with pytest.raises(actions.ProgramError, match="sasaran"):
        actions.participant_register(actor=world.dinas, event=event, person=a)
    b = person(NIK_WOMAN_1999, "B", cooperative=world.coop_b)  # a KSP
    assert actions.participant_register(actor=world.dinas, event=event, person=b)[0].status == "registered"


def test_pengurus_registers_own_people_only_while_open(world, event):
    p = actions.person_save(
        actor=world.pengurus_a,
        kabupaten=world.kab,
        cooperative=world.coop_a,
        member=world.member_a,
        nik=world.member_a.nik,
        name=world.member_a.name,
    )
    part, raw = actions.participant_register(actor=world.pengurus_a, event=event, person=p)
    assert part.cooperative == world.coop_a and len(raw) > 20 and part.token_hash != raw
    with pytest.raises(NotAllowed):
        actions.person_save(
            actor=world.pengurus_b, kabupaten=world.kab, cooperative=world.coop_a, nik=NIK_MAN_1990, name="X"
        )
    with pytest.raises(NotAllowed):
        actions.participant_register(actor=world.pengurus_b, event=event, person=p)
    actions.event_save(actor=world.dinas, kabupaten=world.kab, event=event, status=Event.Status.CLOSED)
    event.refresh_from_db()
    q = actions.person_save(
        actor=world.pengurus_a, kabupaten=world.kab, cooperative=world.coop_a, nik=NIK_MAN_1990, name="Y"
    )
    with pytest.raises(actions.ProgramError, match="tidak dibuka"):
        actions.participant_register(actor=world.pengurus_a, event=event, person=q)


def test_other_kabupaten_officer_cannot_touch_the_event(world, event, person):
    a = person(NIK_MAN_1990, "A")
    with pytest.raises(NotAllowed):
        actions.participant_register(actor=world.dinas_other, event=event, person=a)
    with pytest.raises(NotAllowed):
        actions.event_save(actor=world.dinas_other, kabupaten=world.kab, event=event, title="Diubah")
    assert Event.objects.get().title == "Pelatihan kemasan dan pemasaran daring"


def test_check_in_once_a_day_only_on_event_days_only_for_this_event(world, event, person):
    a = person(NIK_MAN_1990, "A")
    pa, _ = actions.participant_register(actor=world.dinas, event=event, person=a)
    other = actions.event_save(
        actor=world.dinas,
        kabupaten=world.kab,
        kind="rakor",
        title="Rakor",
        start_date=dt.date(2021, 9, 13),
        end_date=dt.date(2021, 9, 13),
    )
    _, created = actions.attendance_check_in(
        actor=world.dinas, event=event, participation=pa, day=dt.date(2021, 9, 13)
    )
    _, again = actions.attendance_check_in(
        actor=world.dinas, event=event, participation=pa, day=dt.date(2021, 9, 13)
    )
    assert created and not again and Attendance.objects.count() == 1
    with pytest.raises(actions.ProgramError, match="kegiatan lain"):
        actions.attendance_check_in(
            actor=world.dinas, event=other, participation=pa, day=dt.date(2021, 9, 13)
        )
    with pytest.raises(actions.ProgramError, match="bukan hari kegiatan"):
        actions.attendance_check_in(
            actor=world.dinas, event=event, participation=pa, day=dt.date(2021, 9, 16)
        )
    with pytest.raises(NotAllowed):
        actions.attendance_check_in(
            actor=world.pengurus_a, event=event, participation=pa, day=dt.date(2021, 9, 14)
        )
    assert Attendance.objects.count() == 1


def test_waiting_participant_cannot_check_in(world, event, person):
    parts = [
        actions.participant_register(actor=world.dinas, event=event, person=person(n, n))[0]
        for n in (NIK_MAN_1990, NIK_WOMAN_1999, NIK_WOMAN_1975)
    ]
    with pytest.raises(actions.ProgramError, match="Daftar tunggu"):
        actions.attendance_check_in(
            actor=world.dinas, event=event, participation=parts[2], day=dt.date(2021, 9, 13)
        )


def test_evaluation_only_after_attending_and_only_once(world, event, person):
    a = person(NIK_MAN_1990, "A")
    pa, raw = actions.participant_register(actor=world.dinas, event=event, person=a)
    sp, _ = actions.participant_register(
        actor=world.dinas, event=event, person=person(NIK_MAN_2004, "S"), role="narasumber"
    )
    assert actions.participation_by_token(raw).pk == pa.pk
    with pytest.raises(actions.ProgramError, match="setelah Anda tercatat hadir"):
        actions.evaluation_submit(participation=pa, rating=5)
    actions.attendance_check_in(actor=world.dinas, event=event, participation=pa, day=dt.date(2021, 9, 13))
    with pytest.raises(actions.ProgramError, match="narasumber"):
        actions.evaluation_submit(participation=pa, rating=4, speaker_ratings={str(pa.pk): 5})
    ev = actions.evaluation_submit(
        participation=pa, rating=4, speaker_ratings={str(sp.pk): 5}, comment="Bagus"
    )
    assert (ev.rating, ev.speaker_ratings) == (4, {str(sp.pk): 5})
    with pytest.raises(actions.ProgramError, match="sudah mengisi"):
        actions.evaluation_submit(participation=pa, rating=1)
    summary = selectors.evaluation_summary(event)
    assert summary["n"] == 1 and summary["avg"] == 4 and summary["speakers"][0]["avg"] == 5
    assert Evaluation.objects.count() == 1


def test_certificates_only_for_those_who_met_attendance_and_numbered_gapless(world, event, person):
    event.capacity = None
    event.save()
    parts = [
        actions.participant_register(actor=world.dinas, event=event, person=person(n, name))[0]
        for n, name in [(NIK_MAN_1990, "Budi"), (NIK_WOMAN_1999, "Ani"), (NIK_WOMAN_1975, "Citra")]
    ]
    budi, ani, citra = parts
    for day in (13, 14, 15):
        for p in (budi, ani):
            actions.attendance_check_in(
                actor=world.dinas, event=event, participation=p, day=dt.date(2021, 9, day)
            )
    actions.attendance_check_in(actor=world.dinas, event=event, participation=citra, day=dt.date(2021, 9, 13))
    with pytest.raises(actions.ProgramError, match="hadir 1 dari 3"):
        actions.certificate_issue(actor=world.dinas, participation=citra)
    issued = actions.certificates_issue(actor=world.dinas, event=event, on=dt.date(2021, 9, 15))
    assert [(p.person.name, p.certificate_number) for p in issued] == [
        ("Ani", "SERT/2021-001/001"),
        ("Budi", "SERT/2021-001/002"),
    ]
    assert actions.certificates_issue(actor=world.dinas, event=event) == []  # nobody twice
    citra.refresh_from_db()
    assert citra.certificate_number == ""
    actions.event_save(actor=world.dinas, kabupaten=world.kab, event=event, min_days=1)
    assert [p.certificate_number for p in actions.certificates_issue(actor=world.dinas, event=event)] == [
        "SERT/2021-001/003"
    ]


def test_attendance_list_adds_and_removes(world, event, person):
    event.capacity = None
    event.save()
    a, b = (
        actions.participant_register(actor=world.dinas, event=event, person=person(n, n))[0]
        for n in (NIK_MAN_1990, NIK_WOMAN_1999)
    )
    day = dt.date(2021, 9, 14)
    assert actions.attendance_list_save(actor=world.dinas, event=event, day=day, present={a.pk, b.pk}) == {
        "added": 2,
        "removed": 0,
    }
    assert actions.attendance_list_save(actor=world.dinas, event=event, day=day, present={a.pk}) == {
        "added": 0,
        "removed": 1,
    }
    assert list(Attendance.objects.values_list("participation_id", flat=True)) == [a.pk]
    with pytest.raises(actions.ProgramError, match="bukan peserta"):
        actions.attendance_list_save(actor=world.dinas, event=event, day=day, present={a.pk, 999999})
    assert Attendance.objects.count() == 1


def test_follow_up_overdue_logic(world, event):
    f = actions.follow_up_save(
        actor=world.dinas,
        kabupaten=world.kab,
        what="FGD kurikulum koperasi mahasiswa",
        owner_cooperative=world.coop_a,
        deadline=dt.date(2021, 12, 31),
        event=event,
    )
    g = actions.follow_up_save(
        actor=world.dinas,
        kabupaten=world.kab,
        what="Penandatanganan MoU",
        owner_section="Bidang Kelembagaan",
        deadline=dt.date(2022, 3, 31),
    )
    board = selectors.follow_up_board([world.kab.pk], today=dt.date(2022, 1, 1))
    assert [x.pk for x in board["overdue"]] == [f.pk] and [x.pk for x in board["upcoming"]] == [g.pk]
    assert selectors.is_overdue(f, dt.date(2022, 1, 1)) and not selectors.is_overdue(f, dt.date(2021, 12, 31))
    actions.follow_up_progress(
        actor=world.pengurus_a, follow_up=f, status="done", note="FGD terlaksana", on=dt.date(2022, 1, 5)
    )
    with pytest.raises(NotAllowed):
        actions.follow_up_progress(actor=world.pengurus_b, follow_up=f, status="open")
    f.refresh_from_db()
    assert (f.status, f.done_on, f.progress_note) == ("done", dt.date(2022, 1, 5), "FGD terlaksana")
    board = selectors.follow_up_board([world.kab.pk], today=dt.date(2022, 1, 6))
    assert board["overdue"] == [] and [x.pk for x in board["done"]] == [f.pk]
    assert [x.pk for x in selectors.follow_up_board(None, cooperative=world.coop_a)["done"]] == [f.pk]
    with pytest.raises(actions.ProgramError, match="penanggung jawab"):
        actions.follow_up_save(actor=world.dinas, kabupaten=world.kab, what="X", deadline=dt.date(2022, 1, 1))
    assert FollowUp.objects.count() == 2


def test_agreement_needs_two_parties_and_ordered_dates(world):
    uni = actions.organisation_save(
        actor=world.dinas,
        kabupaten=world.kab,
        name="Universitas Panca Marga",
        kind=Organisation.Kind.UNIVERSITAS,
    )
    with pytest.raises(actions.ProgramError, match="dua pihak"):
        actions.agreement_save(
            actor=world.dinas,
            kabupaten=world.kab,
            subject="Kopma",
            signed_on=dt.date(2019, 9, 3),
            dinas_party=False,
            organisations=[uni],
        )
    with pytest.raises(actions.ProgramError, match="sebelum tanggal"):
        actions.agreement_save(
            actor=world.dinas,
            kabupaten=world.kab,
            subject="Kopma",
            signed_on=dt.date(2019, 9, 3),
            valid_until=dt.date(2019, 1, 1),
            organisations=[uni],
        )
    a = actions.agreement_save(
        actor=world.dinas,
        kabupaten=world.kab,
        subject="Kopma",
        signed_on=dt.date(2019, 9, 3),
        valid_until=dt.date(2022, 9, 3),
        organisations=[uni],
    )
    assert list(a.organisations.all()) == [uni]
    with pytest.raises(actions.ProgramError, match="sudah ada"):
        actions.organisation_save(
            actor=world.dinas,
            kabupaten=world.kab,
            name="universitas panca marga",
            kind=Organisation.Kind.UNIVERSITAS,
        )


def test_event_dates_must_be_ordered(world):
    with pytest.raises(actions.ProgramError, match="sebelum tanggal mulai"):
        actions.event_save(
            actor=world.dinas,
            kabupaten=world.kab,
            kind="rakor",
            title="X",
            start_date=dt.date(2022, 1, 2),
            end_date=dt.date(2022, 1, 1),
        )
    assert not Event.objects.exists()
    e = actions.event_save(
        actor=SYSTEM,
        kabupaten=world.kab,
        kind="rakor",
        title="X",
        start_date=dt.date(2022, 1, 2),
        end_date=dt.date(2022, 1, 2),
    )
    assert e.code == "2022-001"
