import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kopdig.loans.schedule import (
    ANUITAS,
    FLAT,
    MENURUN,
    METHODS,
    WEEKLY,
    ScheduleError,
    annuity_payment,
    build_schedule,
    schedule_totals,
)

D = Decimal
FIRST = dt.date(2025, 1, 31)


def sched(p, r, n, method, **kw):
    return build_schedule(
        principal=p,
        rate_monthly_percent=r,
        periods=n,
        method=method,
        first_due_date=kw.pop("first", FIRST),
        **kw,
    )


def test_flat_12m_by_hand():
    s = sched("12000000", "1.5", 12, FLAT)
    assert [i.total for i in s] == [D("1180000.00")] * 12
    assert [i.pokok for i in s] == [D("1000000.00")] * 12
    assert schedule_totals(s)["jasa"] == D("2160000.00")  # P·r·n
    assert s[0].remaining == D("11000000.00") and s[-1].remaining == D("0.00")


def test_flat_rounding_last_absorbs():
    # P = 1,000,000, n = 3: pokok 333,333.33 ×2 and 333,333.34; jasa 2% = 20,000.
    s = sched("1000000", "2", 3, FLAT)
    assert [i.pokok for i in s] == [D("333333.33"), D("333333.33"), D("333333.34")]
    assert [i.jasa for i in s] == [D("20000.00")] * 3
    assert [i.total for i in s] == [D("353333.33"), D("353333.33"), D("353333.34")]


def test_menurun_by_hand():
    s = sched("12000000", "1.5", 12, MENURUN)
    assert schedule_totals(s)["jasa"] == D("1170000.00")  # P·r·(n+1)/2
    assert s[0].jasa == D("180000.00") and s[0].total == D("1180000.00")
    assert s[5].jasa == D("105000.00")  # (12M − 5M) × 1.5%
    assert s[-1].jasa == D("15000.00") and s[-1].total == D("1015000.00")
    # P = 5,000,000, r = 2%, n = 3: pokok 1,666,666.67 / .67 / .66; jasa 100,000 / 66,666.67 / 33,333.33
    s = sched("5000000", "2", 3, MENURUN)
    assert [i.pokok for i in s] == [D("1666666.67"), D("1666666.67"), D("1666666.66")]
    assert [i.jasa for i in s] == [D("100000.00"), D("66666.67"), D("33333.33")]


def test_anuitas_by_hand():
    # A = 12,000,000 × 0.015 / (1 − 1.015^−12) = 1,100,159.9148… → 1,100,159.91
    assert annuity_payment(D("12000000"), D("0.015"), 12) == D("1100159.91")
    s = sched("12000000", "1.5", 12, ANUITAS)
    assert [i.total for i in s[:-1]] == [D("1100159.91")] * 11
    assert s[0].jasa == D("180000.00") and s[0].pokok == D("920159.91")
    assert s[1].jasa == D("166197.60")  # 11,079,840.09 × 1.5% = 166,197.60135
    assert s[-1].pokok == D("1083901.44") and s[-1].jasa == D("16258.52") and s[-1].total == D("1100159.96")
    assert schedule_totals(s)["jasa"] == D("1201918.97")
    # P = 1,000,000, r = 0: equal pokok.
    s = sched("1000000", "0", 3, ANUITAS)
    assert [i.total for i in s] == [D("333333.33"), D("333333.33"), D("333333.34")]


def test_grace_jasa_only_then_amortise():
    s = sched("6000000", "1", 6, MENURUN, grace_periods=2)
    assert [i.pokok for i in s] == [D("0.00")] * 2 + [D("1500000.00")] * 4
    assert [i.jasa for i in s[:3]] == [D("60000.00")] * 3
    assert s[3].jasa == D("45000.00")
    s = sched("6000000", "1", 6, FLAT, grace_periods=2)
    assert [i.total for i in s] == [D("60000.00")] * 2 + [D("1560000.00")] * 4


def test_weekly_dates_and_rate():
    s = sched("5200000", "1", 4, FLAT, frequency=WEEKLY, first=dt.date(2025, 3, 3))
    assert [i.due_date for i in s] == [
        dt.date(2025, 3, 3),
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 17),
        dt.date(2025, 3, 24),
    ]
    assert s[0].jasa == D("12000.00")  # 5,200,000 × 1% × 12/52


def test_monthly_dates_clamp_to_month_end():
    s = sched("1200000", "1", 4, FLAT)
    assert [i.due_date for i in s] == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
        dt.date(2025, 4, 30),
    ]


def test_rounding_unit_up_last_absorbs():
    s = sched("1000000", "2", 3, FLAT, rounding_unit="100")
    assert [i.total for i in s] == [D("353400.00"), D("353400.00"), D("353200.00")]
    assert sum(i.pokok for i in s) == D("1000000.00")


def test_invalid_input():
    with pytest.raises(ScheduleError):
        sched("0", "1", 3, FLAT)
    with pytest.raises(ScheduleError):
        sched("100", "1", 3, "bunga_berbunga")
    with pytest.raises(ScheduleError):
        sched("100", "1", 3, FLAT, grace_periods=3)


@settings(max_examples=150, deadline=None)
@given(
    p=st.integers(min_value=1, max_value=10**11).map(lambda c: D(c) / 100),
    r=st.integers(min_value=0, max_value=500).map(lambda b: D(b) / 100),
    n=st.integers(min_value=1, max_value=60),
    method=st.sampled_from(METHODS),
    grace=st.integers(min_value=0, max_value=5),
    unit=st.sampled_from([None, "100", "1000"]),
    weekly=st.booleans(),
)
def test_principal_sums_exactly(p, r, n, method, grace, unit, weekly):
    grace = min(grace, n - 1)
    s = sched(
        p, r, n, method, grace_periods=grace, rounding_unit=unit, frequency="weekly" if weekly else "monthly"
    )
    assert sum(i.pokok for i in s) == p.quantize(D("0.01"))
    assert all(i.pokok >= 0 and i.jasa >= 0 for i in s)
    assert all(i.total == i.pokok + i.jasa for i in s)
    assert s[-1].remaining == 0
    assert all(x.as_tuple().exponent == -2 for i in s for x in (i.pokok, i.jasa, i.total))
