"""Largest-remainder apportioning of a count over the months of its interval."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.services.reports.apportion import apportion, largest_remainder, months_covered

D = dt.date


def test_months_covered_counts_the_days_in_each_month():
    assert months_covered(D(2018, 9, 14), D(2018, 12, 20)) == [
        ("2018-09", 17), ("2018-10", 31), ("2018-11", 30), ("2018-12", 20)]
    assert months_covered(D(2018, 12, 31), D(2019, 1, 1)) == [("2018-12", 1), ("2019-01", 1)]
    assert months_covered(D(2020, 2, 1), D(2020, 2, 29)) == [("2020-02", 29)]


def test_the_seeded_groups_spread_as_the_readme_says():
    """Each group (same interval, same kind) is spread on its own; rows add the groups up."""
    start, end = D(2018, 9, 14), D(2018, 12, 20)
    groups = {"gov-meeting": 5, "working-talks": 5, "chief-meeting": 36, "other": 239}
    spread = {kind: [n for _, n in apportion(count, start, end)]
              for kind, count in groups.items()}
    assert spread == {"gov-meeting": [1, 2, 1, 1], "working-talks": [1, 2, 1, 1],
                      "chief-meeting": [6, 12, 11, 7], "other": [41, 76, 73, 49]}
    assert [sum(month) for month in zip(*spread.values(), strict=True)] == [49, 92, 86, 58]
    assert apportion(173, start, end) == [
        ("2018-09", 30), ("2018-10", 55), ("2018-11", 53), ("2018-12", 35)]
    # the groups' estimates are not the total's: 285 spread at once gives September 50
    assert [n for _, n in apportion(285, start, end)] == [50, 90, 87, 58]


def test_largest_remainder_gives_the_leftover_to_the_largest_remainders():
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]  # a tie goes to the earlier weight
    assert largest_remainder(5, [17, 31, 30, 20]) == [1, 2, 1, 1]
    assert largest_remainder(0, [3, 4]) == [0, 0]
    assert largest_remainder(7, [0, 5]) == [0, 7]
    assert largest_remainder(2, [1, 1, 1, 1]) == [1, 1, 0, 0]


def test_weights_must_have_a_positive_sum():
    with pytest.raises(ValueError, match="positive sum"):
        largest_remainder(3, [0, 0])
    with pytest.raises(ValueError):
        largest_remainder(3, [])


@given(count=st.integers(0, 10**6), weights=st.lists(st.integers(0, 400), min_size=1,
                                                     max_size=24).filter(any))
def test_shares_are_whole_sum_to_the_count_and_stay_within_one_of_exact(count, weights):
    shares = largest_remainder(count, weights)
    total = sum(weights)
    assert sum(shares) == count
    assert len(shares) == len(weights)
    for share, weight in zip(shares, weights, strict=True):
        exact = count * weight / total
        assert share >= 0 and abs(share - exact) < 1
        if weight == 0:
            assert share == 0
