"""Krippendorff's alpha (ordinal), percent agreement and spread: worked values and known properties."""
from __future__ import annotations

import pytest

from qa_app.services.calibration import krippendorff_alpha_ordinal, percent_agreement, spread

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the reliability data with missing values:
# 4 coders (A-D) x 12 units, values 1-5; "." is missing. Published: nominal .743, ordinal .815, interval .849.
#   A: 1 2 3 3 2 1 4 1 2 . . .
#   B: 1 2 3 3 2 2 4 1 2 5 . 3
#   C: . 3 3 3 2 3 4 2 2 5 1 .
#   D: 1 2 3 3 2 4 4 1 2 5 1 .
KRIPPENDORFF_2011 = [[1, 1, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
                     [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [5, 5, 5], [1, 1], [3]]


def test_literature_example_ordinal():
    assert krippendorff_alpha_ordinal(KRIPPENDORFF_2011) == pytest.approx(0.815, abs=5e-4)


def test_hand_computed_two_values():
    # units [1,1], [2,2], [1,2]: o11 = o22 = 2, o12 = o21 = 1; n1 = n2 = 3, n = 6; delta^2(1,2) = (6 - 3)^2 = 9.
    # D_o = (1/6)(1*9 + 1*9) = 3; D_e = (1/(6*5))(3*3*9 + 3*3*9) = 5.4; alpha = 1 - 3/5.4 = 4/9.
    assert krippendorff_alpha_ordinal([[1, 1], [2, 2], [1, 2]]) == pytest.approx(4 / 9)


def test_hand_computed_chance_level():
    # units [1,2], [1,1]: o12 = o21 = 1, o11 = 2; n1 = 3, n2 = 1, n = 4; delta^2 = (4 - 2)^2 = 4.
    # D_o = (1/4)(4 + 4) = 2; D_e = (1/12)(3*1*4*2) = 2; alpha = 0.
    assert krippendorff_alpha_ordinal([[1, 2], [1, 1]]) == pytest.approx(0.0)


def test_ordinal_metric_uses_the_marginals_between_values():
    # A 1-vs-3 disagreement is worse than 1-vs-2 with the same marginals elsewhere.
    near = krippendorff_alpha_ordinal([[1, 2], [1, 1], [2, 2], [3, 3]])
    far = krippendorff_alpha_ordinal([[1, 3], [1, 1], [2, 2], [3, 3]])
    assert far < near < 1.0


def test_perfect_agreement_is_one():
    assert krippendorff_alpha_ordinal([[1, 1, 1], [2, 2], [3, 3, 3]]) == 1.0
    assert krippendorff_alpha_ordinal([[0, 0], [0, 0]]) == 1.0  # no variation at all: no disagreement


def test_nothing_to_compare_is_none():
    assert krippendorff_alpha_ordinal([]) is None
    assert krippendorff_alpha_ordinal([[1, 2, 3]]) is None  # one unit
    assert krippendorff_alpha_ordinal([[1], [2], [3]]) is None  # no pairable values
    assert krippendorff_alpha_ordinal([[1, "na"], [None, 2]]) is None  # N/A and missing are not values


def test_alpha_is_order_invariant_within_units_and_across_units():
    a = krippendorff_alpha_ordinal(KRIPPENDORFF_2011)
    b = krippendorff_alpha_ordinal([list(reversed(u)) for u in reversed(KRIPPENDORFF_2011)])
    assert a == pytest.approx(b)


def test_percent_agreement_and_spread():
    assert percent_agreement([[1, 1, 0], [1, 1]]) == pytest.approx(100 * 2 / 4)  # pairs: 1 of 3, then 1 of 1
    assert percent_agreement([["na", "na"]]) == 100.0
    assert percent_agreement([[1], []]) is None
    assert spread([3, 1, 3, "na"]) == {"counts": [(1, 1), (3, 2), ("na", 1)], "range": 2}
    assert spread(["na"])["range"] is None
