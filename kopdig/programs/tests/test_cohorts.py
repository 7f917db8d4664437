"""The pure rules: ages, generations, youth, the attendance rule, certificate codes."""

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kopdig.programs import cohorts
from kopdig.programs.models import default_cohorts

KEY = b"test-key"


def test_age_counts_whole_years_and_the_birthday_itself():
    born = dt.date(1996, 9, 3)
    assert cohorts.age_on(born, dt.date(2026, 9, 2)) == 29
    assert cohorts.age_on(born, dt.date(2026, 9, 3)) == 30
    assert cohorts.age_on(dt.date(2000, 2, 29), dt.date(2021, 2, 28)) == 20
    assert cohorts.age_on(dt.date(2000, 2, 29), dt.date(2021, 3, 1)) == 21


def test_nik_birth_date_century_and_women_plus_40():
    today = dt.date(2026, 12, 4)
    assert cohorts.nik_birth_date("3513141508040005", today) == dt.date(2004, 8, 15)
    assert cohorts.nik_birth_date("3513145203990002", today) == dt.date(1999, 3, 12)
    assert cohorts.nik_birth_date("3513140101200004", today) == dt.date(1920, 1, 1)  # not a six-year-old
    assert cohorts.nik_birth_date("3513146902000001", today) == dt.date(2000, 2, 29)


def test_generation_bounds_are_inclusive():
    c = default_cohorts()
    assert [cohorts.generation(y, c) for y in (2012, 1997, 1996, 1981, 1980, 1965, 1964, 1900)] == [
        "gen_z",
        "gen_z",
        "milenial",
        "milenial",
        "gen_x",
        "gen_x",
        "lebih_tua",
        "lebih_tua",
    ]
    assert cohorts.generation(2013, c) == cohorts.OTHER


def test_youth_is_16_to_30_inclusive():
    on = dt.date(2026, 12, 4)
    assert cohorts.is_youth(dt.date(2010, 12, 4), on)  # 16 today
    assert not cohorts.is_youth(dt.date(2010, 12, 5), on)  # 15
    assert cohorts.is_youth(dt.date(1996, 12, 5), on)  # 29… 30 tomorrow: still youth
    assert cohorts.is_youth(dt.date(1996, 12, 4), on)  # 30 today
    assert not cohorts.is_youth(dt.date(1995, 12, 4), on)  # 31


def test_attendance_rule_defaults_to_every_day():
    assert cohorts.required_days(3, None) == 3
    assert cohorts.required_days(3, 2) == 2
    assert cohorts.required_days(1, 5) == 1
    assert cohorts.attendance_met(3, 3, None) and not cohorts.attendance_met(2, 3, None)
    assert cohorts.attendance_met(2, 3, 2)


def test_certificate_code_verifies_and_a_tampered_number_does_not():
    number = "SERT/2021-003/007"
    code = cohorts.certificate_code(number, KEY)
    assert len(code) == 10 and cohorts.certificate_valid(number, code, KEY)
    assert cohorts.certificate_valid(number, code.upper(), KEY)
    assert not cohorts.certificate_valid("SERT/2021-003/008", code, KEY)
    assert not cohorts.certificate_valid(number, code, b"another-key")
    assert not cohorts.certificate_valid(number, "", KEY)


def test_cohort_settings_are_validated():
    assert cohorts.cohorts_error(default_cohorts()) is None
    assert "tumpang tindih" in cohorts.cohorts_error(
        [
            {"key": "a", "label": "A", "from": 1980, "to": 1990},
            {"key": "b", "label": "B", "from": 1990, "to": 2000},
        ]
    )
    assert cohorts.cohorts_error([{"key": "a", "label": "A", "from": 2000, "to": 1990}])
    assert cohorts.cohorts_error([]) and cohorts.cohorts_error([{"key": "a"}])


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.integers(min_value=1900, max_value=2030), max_size=60))
def test_generation_counts_count_everyone_once(years):
    counts = cohorts.generation_counts(years, default_cohorts())
    assert sum(counts.values()) == len(years)
    share = cohorts.shares(counts)
    if years:
        assert abs(sum(share.values()) - 100) <= len(share) * Decimal("0.05")
