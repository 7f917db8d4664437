import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from kopdig.lib import validation as v
from kopdig.lib.errors import DomainError
from kopdig.lib.money import D, q

TODAY = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    "raw", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "1e9999", "1" * 19, "１２３", True]
)
def test_money_d_refuses_non_finite_huge_bool_and_non_ascii(raw):
    with pytest.raises(ValueError):
        D(raw)


def test_money_d_refuses_float_and_keeps_exact_values():
    with pytest.raises(TypeError):
        D(1e308)
    assert D("123456789012345678.99") == Decimal("123456789012345678.99")
    assert D(Decimal("0E+30")) == 0 and q("12.345") == Decimal("12.35")
    with pytest.raises(ValueError):
        D(Decimal("NaN"))


@pytest.mark.parametrize(
    "raw",
    [
        "1e3",
        "1E+2",
        "NaN",
        "Infinity",
        "１２３",
        "1.234",
        "12,5",
        "",
        " ",
        "0x10",
        "1" * 19,
        10**18,
        1.5,
        True,
        False,
        None,
        [1],
        "-5",
    ],
)
def test_amount_refuses_everything_but_plain_decimal_strings_and_ints(raw):
    with pytest.raises(v.InvalidValue) as exc:
        v.amount(raw, "jumlah")
    assert exc.value.field == "jumlah" and "jumlah: " in str(exc.value) and "18 digit" in str(exc.value)
    assert isinstance(exc.value, DomainError) and isinstance(exc.value, ValueError)


def test_amount_accepts_strings_ints_and_the_field_maximum():
    assert v.amount("1234567.89", "x") == Decimal("1234567.89")
    assert v.amount(" 15 ", "x") == Decimal("15")
    assert v.amount(15, "x") == Decimal("15")
    assert v.amount("1.50", "x") == Decimal("1.50") and v.amount("1.500", "x") == Decimal("1.500")
    assert v.amount("9" * 18 + ".99", "x") == Decimal("9" * 18 + ".99")
    assert v.amount("-3.00", "x", allow_negative=True) == Decimal("-3.00")
    with pytest.raises(v.InvalidValue, match="lebih dari 0"):
        v.positive_amount("0", "x")


def test_event_date_window_is_founding_to_today_plus_the_coops_days():
    coop = SimpleNamespace(founded_on=dt.date(2010, 3, 1), event_days_ahead=0)
    assert v.event_date(TODAY, "tanggal", coop, today=TODAY) == TODAY
    assert v.event_date(None, "tanggal", coop, today=TODAY) is None
    with pytest.raises(v.InvalidValue, match="tanggal: tanggal harus antara 2010-03-01 dan 2026-06-15"):
        v.event_date(dt.date(2026, 6, 16), "tanggal", coop, today=TODAY)
    with pytest.raises(v.InvalidValue):
        v.event_date(dt.date(2010, 2, 28), "tanggal", coop, today=TODAY)
    coop.event_days_ahead = 3
    assert v.event_date(dt.date(2026, 6, 18), "tanggal", coop, today=TODAY)
    with pytest.raises(v.InvalidValue, match="1900-01-01 dan 2026-06-15"):
        v.event_date(dt.date(1, 1, 1), "tanggal", None, today=TODAY)


def test_planned_query_dates_and_years():
    assert v.planned_date(dt.date(2056, 6, 15), "jatuh tempo", today=TODAY)
    with pytest.raises(v.InvalidValue, match="2056-06-15"):
        v.planned_date(dt.date(9999, 12, 31), "jatuh tempo", today=TODAY)
    assert v.planned_date(dt.date(2029, 2, 28), "x", today=dt.date(2024, 2, 29))
    assert v.query_date(dt.date(2100, 12, 31), "date") and v.query_date(None, "date") is None
    for bad in (dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(2101, 1, 1)):
        with pytest.raises(v.InvalidValue, match="1900-01-01 dan 2100-12-31"):
            v.query_date(bad, "date")
    assert v.year(1900, today=TODAY) == 1900 and v.year(2027, today=TODAY) == 2027
    for bad in (0, 1899, 2028, 99999, True, "2020"):
        with pytest.raises(v.InvalidValue, match="tahun harus antara 1900 dan 2027"):
            v.year(bad, today=TODAY)


def test_text_and_paging_bounds():
    assert v.text("  Budi ", "nama", 10) == "Budi"
    with pytest.raises(v.InvalidValue, match="nama: paling banyak 255 karakter"):
        v.text("x" * 100_000, "nama", 255)
    with pytest.raises(v.InvalidValue, match="wajib"):
        v.text(" ", "nama", 10, required=True)
    assert v.paging(1, 0) == (1, 0) and v.paging(500, v.MAX_OFFSET) == (500, v.MAX_OFFSET)
    for limit, offset in ((0, 0), (501, 0), (1, -1), (1, 2**63), (True, 0)):
        with pytest.raises(v.InvalidValue):
            v.paging(limit, offset)
