import datetime as dt

import pytest

from kopdig.programs import actions
from kopdig.programs.models import Event
from kopdig.tenancy.access import SYSTEM

# Valid NIKs of Kabupaten Probolinggo (35.13): birth date in digits 7–12 (women: day + 40).
NIK_MAN_1990 = "3513140506900001"  # 5 June 1990, L
NIK_WOMAN_1999 = "3513145203990002"  # 12 March 1999, P
NIK_WOMAN_1975 = "3513146107750003"  # 21 July 1975, P
NIK_MAN_1960 = "3513140101600004"  # 1 January 1960, L
NIK_MAN_2004 = "3513141508040005"  # 15 August 2004, L


@pytest.fixture
def event(world):
    return actions.event_save(
        actor=world.dinas,
        kabupaten=world.kab,
        kind=Event.Kind.PELATIHAN,
        title="Pelatihan kemasan dan pemasaran daring",
        start_date=dt.date(2021, 9, 13),
        end_date=dt.date(2021, 9, 15),
        venue="Aula Kecamatan Paiton",
        capacity=2,
        status=Event.Status.OPEN,
    )


@pytest.fixture
def person(world):
    def make(nik, name, cooperative=None, organisation=None):
        return actions.person_save(
            actor=SYSTEM,
            kabupaten=world.kab,
            nik=nik,
            name=name,
            cooperative=cooperative,
            organisation=organisation,
        )

    return make


from kopdig.tests.browser import browser  # noqa: E402,F401  (fixture for the browser journey)
