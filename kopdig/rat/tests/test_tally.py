"""The RAT kernel: quorum, thresholds (abstentions apart), k-seat elections with run-offs."""

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kopdig.rat import tally


@pytest.mark.parametrize(
    "n, expected", [(0, 0), (1, 1), (2, 2), (3, 2), (10, 6), (11, 6), (100, 51), (10_000, 5001)]
)
def test_half_plus_one_is_floor_half_plus_one(n, expected):
    assert tally.quorum_required("1/2+1", n) == expected


@pytest.mark.parametrize(
    "rule, n, expected",
    [("1/5", 10, 2), ("1/5", 11, 3), ("2/3", 10, 7), ("2/3", 9, 6), ("1/1", 7, 7), ("1/3", 1, 1)],
)
def test_other_fractions_round_up(rule, n, expected):
    assert tally.quorum_required(rule, n) == expected


@pytest.mark.parametrize("rule", ["", "abc", "0/3", "3/2", "1/0", "1/2+2"])
def test_invalid_quorum_rules_refused(rule):
    with pytest.raises(tally.RuleInvalid):
        tally.quorum_required(rule, 10)


@given(st.integers(1, 50), st.integers(1, 50), st.integers(0, 100_000))
def test_fraction_quorum_is_the_least_count_reaching_the_fraction(a, b, n):
    if a > b:
        a, b = b, a
    need = tally.quorum_required(f"{a}/{b}", n)
    assert Fraction(need, 1) >= Fraction(n * a, b)
    assert need == 0 or Fraction(need - 1, 1) < Fraction(n * a, b)
    assert need == math.ceil(n * a / b) or n > 10**6


def test_worked_thresholds_with_abstentions_apart():
    # 60 for, 40 against, 100 abstain: majority passes (60 > 50), two thirds does not (60 < 66.7).
    assert tally.decide("majority", 60, 40, 100).passed
    assert not tally.decide("two_thirds", 60, 40, 100).passed
    assert tally.decide("majority", 60, 40, 100).turnout == 200
    # Exactly two thirds passes (at least); exactly half fails (more than half).
    assert tally.threshold_met("two_thirds", 20, 10)
    assert not tally.threshold_met("majority", 10, 10)
    assert tally.threshold_met("three_quarters", 30, 10)
    assert not tally.threshold_met("three_quarters", 29, 10)
    # Only abstentions: not passed.
    assert not tally.decide("majority", 0, 0, 12).passed


@given(
    st.sampled_from(sorted(tally.THRESHOLDS)),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
)
def test_threshold_matches_exact_fractions_and_ignores_abstentions(threshold, f, a, ab):
    share = {"majority": Fraction(1, 2), "two_thirds": Fraction(2, 3), "three_quarters": Fraction(3, 4)}[
        threshold
    ]
    cast = f + a
    expected = cast > 0 and (
        Fraction(f, cast) > share if threshold == "majority" else Fraction(f, cast) >= share
    )
    assert tally.decide(threshold, f, a, ab).passed == expected
    assert tally.decide(threshold, f, a, ab).passed == tally.decide(threshold, f, a, 0).passed


def test_worked_election_three_seats():
    result = tally.elect({"ana": 40, "budi": 35, "citra": 35, "dedi": 20}, 3)
    assert result.elected == ["ana", "budi", "citra"] and result.runoff == []


def test_tie_for_the_last_seat_goes_to_a_runoff():
    result = tally.elect({"ana": 40, "budi": 30, "citra": 30, "dedi": 30, "eko": 5}, 2)
    assert result.elected == ["ana"]
    assert result.runoff == ["budi", "citra", "dedi"] and result.runoff_seats == 1


def test_fewer_candidates_than_seats_all_elected():
    assert tally.elect({"ana": 3}, 3).elected == ["ana"]


@given(
    st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 30), min_size=1, max_size=12),
    st.integers(1, 6),
)
def test_election_properties(votes, seats):
    result = tally.elect(votes, seats)
    assert len(result.elected) <= seats
    assert set(result.elected).isdisjoint(result.runoff)
    if result.runoff:
        assert len(result.elected) + result.runoff_seats == seats
        assert len(result.runoff) > result.runoff_seats
        assert len({votes[k] for k in result.runoff}) == 1
    else:
        assert len(result.elected) == min(seats, len(votes))
    lowest_elected = min((votes[k] for k in result.elected), default=None)
    others = [v for k, v in votes.items() if k not in result.elected and k not in result.runoff]
    if lowest_elected is not None and others:
        assert lowest_elected > max(others)
