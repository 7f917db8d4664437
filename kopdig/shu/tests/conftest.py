import datetime as dt

import pytest

from . import factories as f


@pytest.fixture
def shu_world(world):
    """Coop A with three members, pokok/wajib savings, a year of books (SHU 2,000,000) and volumes.

    Members: 00001 (fixture member_a), 00002, 00003 joined mid-year, 00004 left mid-year.
    """
    coop = world.coop_a
    year = f.last_year()
    m1 = world.member_a
    m2 = f.member(coop, "00002")
    m3 = f.member(coop, "00003", joined_on=dt.date(year, 7, 1))
    m4 = f.member(coop, "00004", status="keluar", left_on=dt.date(year, 9, 30))
    for m, amount in ((m1, "500000"), (m2, "2000000"), (m4, "1000000")):
        f.simpanan(coop, m, "pokok", amount, dt.date(year - 1, 12, 1))
    f.simpanan(coop, m3, "pokok", "1000000", dt.date(year, 7, 1))
    f.books(coop, year, revenue="3000000", expense="1000000")
    for m, amount in ((m1, "1000000"), (m2, "2000000"), (m3, "500000"), (m4, "500000")):
        f.volume(coop, year, m, amount)
    world.year = year
    world.members = [m1, m2, m3, m4]
    return world


from kopdig.tests.browser import browser  # noqa: E402,F401  (fixture for the browser journey)
