from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kopdig.lib.errors import DomainError
from kopdig.lib.money import ZERO

from .. import costing
from ..costing import Stock

D = Decimal


def test_moving_average_sequence_to_the_sen():
    s = Stock(D(0), ZERO)
    s = costing.receive(s, 10, "10000")  # avg 1000
    s = costing.receive(s, 5, "6500")  # 16500 / 15 = 1100
    s, cost = costing.issue(s, 4)
    assert cost == D("4400.00") and s == Stock(D(11), D("12100.00"))
    s = costing.receive(s, 3, "3350")  # 15450 / 14 = 1103.5714…
    s, cost = costing.issue(s, 1)
    assert cost == D("1103.57")
    s, cost = costing.issue(s, 13)  # the whole rest: exactly the remaining value
    assert cost == D("14346.43") and s == Stock(D(0), ZERO)


def test_issue_more_than_on_hand_is_refused():
    with pytest.raises(costing.NegativeStock):
        costing.issue(Stock(D(2), D("2000.00")), 3)


def test_consignment_split_percent_and_fixed():
    assert costing.consignment_split("15000", 1, percent="20") == (D("3000.00"), D("12000.00"))
    assert costing.consignment_split("10001", 3, percent="12.5") == (D("1250.13"), D("8750.87"))
    assert costing.consignment_split("9000", 3, fixed_per_unit="1500") == (D("4500.00"), D("4500.00"))
    assert costing.consignment_split("1000", 3, fixed_per_unit="1500") == (D("1000.00"), D("0.00"))


def test_discount_spread_sums_exactly():
    nets = costing.spread_discount(["10000", "20000", "3333"], "1000")
    assert sum(nets) == D("32333.00") and nets[1] < D("20000")
    with pytest.raises(DomainError):
        costing.spread_discount(["100"], "101")


ops = st.lists(st.tuples(st.booleans(), st.integers(1, 50), st.integers(0, 500_000)), min_size=1, max_size=40)


@settings(deadline=None)
@given(ops)
def test_costs_plus_remaining_value_equal_purchases(seq):
    s, bought, issued = Stock(D(0), ZERO), ZERO, ZERO
    for is_in, qty, cents in seq:
        if is_in:
            cost = D(cents) / 100
            s = costing.receive(s, qty, cost)
            bought += D(cents) / 100
        elif qty <= s.qty:
            s, cost = costing.issue(s, qty)
            assert cost >= 0 and s.value >= 0
            assert cost == cost.quantize(D("0.01"))
            issued += cost
    assert issued + s.value == bought
    if s.qty == 0:
        assert s.value == 0


@settings(deadline=None)
@given(st.integers(1, 10_000_000), st.integers(1, 100), st.decimals(0, 100, places=2))
def test_consignment_parts_sum_to_the_amount(cents, qty, pct):
    amount = D(cents) / 100
    commission, payable = costing.consignment_split(amount, qty, percent=pct)
    assert commission + payable == amount and commission >= 0 and payable >= 0
