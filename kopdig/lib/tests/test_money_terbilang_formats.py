import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kopdig.lib.formats import normalize_phone, rupiah, tanggal
from kopdig.lib.money import D, q, split
from kopdig.lib.terbilang import terbilang


@pytest.mark.parametrize(
    "amount, words",
    [
        ("1001000", "satu juta seribu rupiah"),
        ("111", "seratus sebelas rupiah"),
        (
            "1234567.50",
            "satu juta dua ratus tiga puluh empat ribu lima ratus enam puluh tujuh rupiah lima puluh sen",
        ),
        ("0", "nol rupiah"),
        ("10", "sepuluh rupiah"),
        ("11", "sebelas rupiah"),
        ("12", "dua belas rupiah"),
        ("1000", "seribu rupiah"),
        ("2000000000", "dua miliar rupiah"),
        ("100100", "seratus ribu seratus rupiah"),
        ("1000000000000", "satu triliun rupiah"),
        ("0.05", "nol rupiah lima sen"),
    ],
)
def test_terbilang(amount, words):
    assert terbilang(Decimal(amount)) == words


def test_rupiah_and_dates_in_indonesian():
    with translation.override("id"):
        assert rupiah(Decimal("1234567")) == "Rp 1.234.567,00"
        assert rupiah(Decimal("-5.5")) == "-Rp 5,50"
        assert rupiah(Decimal("-5.5"), parens=True) == "(Rp 5,50)"
        assert tanggal(dt.date(2019, 9, 3)) == "3 September 2019"
        assert tanggal(dt.date(2024, 8, 17)) == "17 Agustus 2024"
    with translation.override("en"):
        assert rupiah(Decimal("1234567")) == "Rp 1,234,567.00"


def test_phone_normalisation():
    assert normalize_phone("0812-3456-7890") == "+6281234567890"
    assert normalize_phone("62 812 3456 7890") == "+6281234567890"
    with pytest.raises(ValueError):
        normalize_phone("12345")


def test_money_refuses_float_and_rounds_half_up():
    with pytest.raises(TypeError):
        D(0.1)
    assert q("2.345") == Decimal("2.35")
    assert q("-2.345") == Decimal("-2.35")


def test_split_worked_example():
    assert split(Decimal("100.00"), [1, 1, 1]) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert split(Decimal("0"), [0, 0]) == [Decimal("0.00"), Decimal("0.00")]


@given(
    total=st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    weights=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=30).filter(
        lambda w: sum(w) > 0
    ),
)
def test_split_parts_sum_exactly(total, weights):
    parts = split(total, weights)
    assert sum(parts) == q(total)
    assert all(p >= 0 for p in parts)
    assert all(p == 0 for p, w in zip(parts, weights, strict=True) if w == 0)
    wsum = sum(weights)
    for p, w in zip(parts, weights, strict=True):
        assert abs(p - q(total) * w / wsum) < Decimal("0.01")
