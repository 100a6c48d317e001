"""The reference LP agrees with brute force, so the flow-core tests can lean on it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from reference import (
    brute_force_value,
    is_competitive,
    marginal_prices,
    optimal_flow,
    optimal_value,
    price_bounds,
)
from strategies import market, markets, tiny_integer_markets

from peerconomy.mechanisms.flow import Market

SEA_VIEW = market(
    [1, 1, 1],
    [1, 1],
    [(0, 0, 10, 1), (0, 1, 8, 1), (1, 0, 9, 1), (2, 1, 5, 1)],
)


def test_the_reference_solves_the_sea_view_flats_by_hand() -> None:
    value, flow = optimal_flow(SEA_VIEW)
    assert value == pytest.approx(17)
    np.testing.assert_allclose(flow, [0, 1, 1, 0], atol=1e-9)
    low, high = price_bounds(SEA_VIEW)
    np.testing.assert_allclose(low, [7, 5], atol=1e-9)
    np.testing.assert_allclose(high, [9, 7], atol=1e-9)


def test_competitiveness_rejects_prices_outside_the_lattice() -> None:
    flow = np.array([0.0, 1.0, 1.0, 0.0])
    assert is_competitive(SEA_VIEW, flow, np.array([7.0, 5.0]))
    assert is_competitive(SEA_VIEW, flow, np.array([9.0, 7.0]))
    assert is_competitive(SEA_VIEW, flow, np.array([8.0, 6.0]))
    assert not is_competitive(SEA_VIEW, flow, np.array([7.0, 4.9]))  # z would want B
    assert not is_competitive(SEA_VIEW, flow, np.array([6.9, 5.0]))  # x would prefer A
    assert not is_competitive(SEA_VIEW, flow, np.array([9.1, 7.0]))  # y would rather not buy
    assert not is_competitive(SEA_VIEW, np.array([1.0, 0.0, 0.0, 1.0]), np.array([7.0, 5.0]))


def test_a_column_without_capacity_has_no_greatest_price() -> None:
    m = market([1], [0], [(0, 0, 3, 1)])
    low, high = price_bounds(m)
    assert low[0] == pytest.approx(3) and high[0] == math.inf


def test_unlimited_columns_are_free() -> None:
    m = market([2, 1], [math.inf, 1], [(0, 0, 3, math.inf), (1, 0, 2, 1), (1, 1, 4, 1)])
    low, high = price_bounds(m)
    assert low[0] == high[0] == 0
    assert optimal_value(m) == pytest.approx(10)


@settings(max_examples=300, deadline=None)
@given(tiny_integer_markets())
def test_lp_value_equals_brute_force(m: Market) -> None:
    exact = brute_force_value(m)
    assert exact is not None
    assert math.isclose(optimal_value(m), exact, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=300, deadline=None)
@given(tiny_integer_markets())
def test_lp_price_bounds_equal_brute_force_marginal_values(m: Market) -> None:
    low, high = price_bounds(m)
    m_low, m_high = marginal_prices(m)
    np.testing.assert_allclose(low, m_low, atol=1e-7)
    np.testing.assert_allclose(high, m_high, atol=1e-7)


@settings(max_examples=300, deadline=None)
@given(markets())
def test_lp_price_bounds_equal_lp_marginal_values_on_a_cent_grid(m: Market) -> None:
    low, high = price_bounds(m)
    m_low, m_high = marginal_prices(m, step=0.01)
    np.testing.assert_allclose(low, m_low, atol=1e-6)
    np.testing.assert_allclose(high, m_high, atol=1e-6)


@settings(max_examples=300, deadline=None)
@given(markets())
def test_lp_flow_is_competitive_at_both_price_bounds(m: Market) -> None:
    _, flow = optimal_flow(m)
    low, high = price_bounds(m)
    assert is_competitive(m, flow, low)
    assert is_competitive(m, flow, high)
    assert np.all(low <= high + 1e-9)
