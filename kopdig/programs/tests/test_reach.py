"""The reach report on a worked example."""

import datetime as dt

import pytest

from kopdig.programs import actions, selectors
from kopdig.programs.models import Event, Organisation
from kopdig.tenancy.access import SYSTEM
from kopdig.tenancy.models import Cooperative

from .conftest import NIK_MAN_1960, NIK_MAN_1990, NIK_MAN_2004, NIK_WOMAN_1975, NIK_WOMAN_1999

pytestmark = pytest.mark.django_db


def _event(world, day, title):
    return actions.event_save(
        actor=SYSTEM,
        kabupaten=world.kab,
        kind=Event.Kind.RAKOR,
        title=title,
        start_date=day,
        end_date=day,
        status=Event.Status.OPEN,
    )


def test_reach_counts_a_worked_example(world, person):
    """2021: two events. Rakor: A (KSU coop_a, man 1990), B (KSP coop_b, woman 1999), U (university, man 2004).
    Pelatihan: A again, C (coop_a, woman 1975). D (man 1960, coop_b) registered then cancelled.
    A third active cooperative in the kabupaten is never reached; 2018's event reached nobody else."""
    third = Cooperative.objects.create(
        kabupaten=world.kab,
        name="Koperasi Tani Makmur",
        slug="tani-makmur",
        jenis="produsen",
        kecamatan=world.coop_a.kecamatan,
    )
    uni = actions.organisation_save(
        actor=SYSTEM, kabupaten=world.kab, name="Universitas Panca Marga", kind=Organisation.Kind.UNIVERSITAS
    )
    rakor = _event(world, dt.date(2021, 3, 10), "Rakor")
    pel = _event(world, dt.date(2021, 9, 13), "Pelatihan")
    a = person(NIK_MAN_1990, "A", cooperative=world.coop_a)
    b = person(NIK_WOMAN_1999, "B", cooperative=world.coop_b)
    u = person(NIK_MAN_2004, "U", organisation=uni)
    c = person(NIK_WOMAN_1975, "C", cooperative=world.coop_a)
    d = person(NIK_MAN_1960, "D", cooperative=world.coop_b)
    for ev, people in ((rakor, (a, b, u)), (pel, (a, c, d))):
        for p in people:
            actions.participant_register(actor=SYSTEM, event=ev, person=p)
    actions.participant_cancel(actor=SYSTEM, participation=pel.participations.get(person=d))

    r = selectors.reach([world.kab.pk], 2021)
    assert (r["events"], r["participations"]) == (2, 5)
    assert [c.slug for c in r["coops"]] == ["ksp-maju-jaya", "ksu-sejahtera"]
    assert {x["key"]: x["n"] for x in r["by_jenis"]} == {"serba_usaha": 1, "simpan_pinjam": 1}
    assert [c.slug for c in r["never_reached"]] == [third.slug]
    people = r["people"]
    assert people["n"] == 4 and people["gender"] == {"L": 2, "P": 2}
    assert {g["key"]: g["n"] for g in people["generations"]} == {
        "gen_z": 2,
        "milenial": 1,
        "gen_x": 1,
        "lebih_tua": 0,
    }
    # Youth at the event date: A is 30 at the rakor (16–30 inclusive), B 21, U 16; C is 46.
    assert people["youth"] == 3 and str(people["youth_share"]) == "75.0"
    # Baseline: the world's one member (Siti Aminah, born 1990 by her NIK? no birth date recorded) is not counted.
    assert r["baseline"]["members_n"] == 0
    assert selectors.reach([world.kab_other.pk], 2021)["participations"] == 0


def test_members_baseline_uses_birth_dates(world):
    world.member_a.birth_date = dt.date(1990, 1, 1)
    world.member_a.save()
    world.coop_a.on_kopdig = True
    world.coop_a.save()
    r = selectors.reach([world.kab.pk], 2021)
    assert r["baseline"]["members_n"] == 1
    assert {g["key"]: g["share"] for g in r["baseline"]["members"]}["milenial"] == 100
