"""Misreporting: a member's utility from a plan, at the auction's prices and in full, worked by
hand on three seaside flats, and the auction's truthfulness on small random auctions."""

from __future__ import annotations

import math
from typing import Any

import mesa
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerconomy.domain.clearing import clear_scenario
from peerconomy.domain.scenario import Scenario, parse_scenario
from peerconomy.sim.agents import Member, Strategy, Traits
from peerconomy.sim.misreport import (
    BID_FACTORS,
    Gains,
    auction_utility,
    misreport_gains,
    utility,
)

# Three flats, one each, upkept by cleaning (2 hours a flat). Stage 1 prices cleaning at the
# estimated weight 1.5, so each flat's effort is 3. Bids over that effort: x 10 for A or 8 for
# B, y 9 for A, z 5 for B, w 2 for C. The auction gives A to y and B to x (9 + 8 beats
# x's A and z's B, 10 + 5), and C to w; the least competitive premiums are B 5 (z's bid over
# effort) and A 7 (x must not prefer A: 8 - 5 >= 10 - premium A); C is not contested: 0.
# u alone offers cleaning, at 1, and does the 6 hours at weight 1.
FLATS: dict[str, Any] = {
    "format": "peerconomy-scenario/1",
    "settings": {"weight_estimates": {"cleaning": 1.5}},
    "participants": [{"id": p} for p in ("u", "x", "y", "z", "w")],
    "projects": [{"id": "house"}],
    "tasks": [{"id": "cleaning", "project": "house"}],
    "goods": [{"id": g, "project": "house", "model": "auction", "capacity": 1,
               "recipe": {"cleaning": 2}} for g in ("flat_a", "flat_b", "flat_c")],
    "offers": [{"participant": "u", "task": "cleaning", "hours": 20, "min_weight": 1.0}],
    "wishes": [
        {"participant": "x", "id": "x_flat", "alternatives": [
            {"good": "flat_a", "max_cost": 13}, {"good": "flat_b", "max_cost": 11}]},
        {"participant": "y", "id": "y_flat", "alternatives": [{"good": "flat_a", "max_cost": 12}]},
        {"participant": "z", "id": "z_flat", "alternatives": [{"good": "flat_b", "max_cost": 8}]},
        {"participant": "w", "id": "w_flat", "alternatives": [{"good": "flat_c", "max_cost": 5}]},
    ],
}
GOODS = {"flat_a": 0, "flat_b": 1, "flat_c": 2}
TRUE_VALUES = {  # what each flat is worth to each, as they bid it
    "u": [0.0, 0.0, 0.0], "x": [13.0, 11.0, 0.0], "y": [12.0, 0.0, 0.0],
    "z": [0.0, 8.0, 0.0], "w": [0.0, 0.0, 5.0],
}
U_DISUTILITY = 0.5


def _members(truthful: set[str], names: list[str] | None = None) -> list[Member]:
    """Members of a stand-in model that knows only the task index ``utility`` reads."""
    pool = mesa.Model(rng=np.random.default_rng(0))
    pool.task_index = {"cleaning": 0}
    names = names or list(TRUE_VALUES)
    made = []
    for name in names:
        strategy: Strategy = "truthful" if name in truthful else "shading"
        disutility = U_DISUTILITY if name == "u" else 1.0
        values = np.array(TRUE_VALUES.get(name, [0.0, 0.0, 0.0]))
        made.append(Member(pool, name, Traits(np.array([disutility]), values, 20.0, strategy),
                           0.0))
    return made


@pytest.fixture
def flats() -> tuple[Scenario, dict[str, Any]]:
    scenario = parse_scenario(FLATS)
    return scenario, clear_scenario(scenario)


def _values(name: str) -> np.ndarray:
    return np.array(TRUE_VALUES[name])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("x", 11 - (3 + 5)),  # flat B: its effort 3 plus premium 5
        ("y", 12 - (3 + 7)),  # flat A: premium 7
        ("w", 5 - (3 + 0)),  # flat C, uncontested
        ("z", 0),  # lost
        ("u", 0),  # wished for nothing
    ],
)
def test_at_the_auctions_prices_a_winner_gains_their_value_less_effort_and_premium(
    flats: tuple[Scenario, dict[str, Any]], name: str, expected: float
) -> None:
    scenario, plan = flats
    member = next(m for m in _members(set()) if m.name == name)
    assert auction_utility(plan, scenario, member, _values(name), GOODS) == pytest.approx(
        expected)


def test_paying_their_bid_a_winner_gains_their_value_less_the_bid(
    flats: tuple[Scenario, dict[str, Any]],
) -> None:
    scenario, plan = flats
    x = _members(set(), ["x"])[0]
    bid_for_b = {("x_flat", "flat_b"): 11.0}
    assert auction_utility(plan, scenario, x, _values("x"), GOODS, bid_for_b) == 0
    worth_more = np.array([13.0, 14.0, 0.0])  # had flat B been worth 14 to x, who bid 11
    assert auction_utility(plan, scenario, x, worth_more, GOODS, bid_for_b) == 3


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # shares: every flat is auctioned; each takes 2 hours at weight 1 and is charged its
        # effort plus its premium (A 2 + 7, B 2 + 5, C 2); the premiums, 12, come back to the
        # five members in equal parts, 2.4 each
        ("x", 11 - 7 + 2.4),
        ("y", 12 - 9 + 2.4),
        ("w", 5 - 2 + 2.4),
        ("z", 2.4),
        # u does the 6 hours at weight 1 (credits 6) at a disutility of 0.5 an hour
        ("u", 6 - 6 * U_DISUTILITY + 2.4),
    ],
)
def test_in_full_a_members_utility_counts_goods_work_credits_and_share(
    flats: tuple[Scenario, dict[str, Any]], name: str, expected: float
) -> None:
    _, plan = flats
    member = next(m for m in _members(set()) if m.name == name)
    assert utility(plan, member, _values(name), GOODS) == pytest.approx(expected)


def _gains(flats: tuple[Scenario, dict[str, Any]], shading: set[str]) -> Gains:
    """The flats cleared again for every sampled member, ``shading`` ones shading."""
    scenario, plan = flats
    members = _members(shading)
    values = np.array([TRUE_VALUES[m.name] for m in members])
    return misreport_gains(scenario, plan, members, values, list(GOODS), 5,
                           np.random.default_rng(0))


def test_misreport_gains_on_the_flats_for_the_one_truthful_bidder(
    flats: tuple[Scenario, dict[str, Any]],
) -> None:
    gains = _gains(flats, shading={"x"})
    # x's bids scaled by 0.5 lose flat B to z; by 0.8, 0.95, 1.05, 1.25 x still wins B at
    # premium 5 (z's), so at the auction's prices no scaling gains anything
    assert gains.bids == pytest.approx(0, abs=1e-9)
    # in full: overbidding by 1.25 (A 16.25, B 13.75) raises A's premium to 7.5 (x must not
    # prefer A: 10.75 - 5 >= 13.25 - premium A), so premiums are 12.5 and x's refund is
    # 12.5 / 5 instead of 12 / 5: the gain is exactly the change in P over N, 0.1 (under
    # beta it was 7/3 - 42/18.5, B's cost falling with beta)
    assert gains.bids_in_full == pytest.approx(0.5 / 5)
    # u, the only one offering, shades; no truthful member offered: not measured
    assert math.isnan(gains.asks)


def test_paying_their_bid_the_truthful_bidder_gains_by_shading_by_a_fifth(
    flats: tuple[Scenario, dict[str, Any]],
) -> None:
    gains = _gains(flats, shading={"x"})
    # truthfully x pays 11 for B worth 11; shaded by 0.8 x still wins B and pays 8.8; by 0.5
    # x loses it; by 0.95 x pays 10.45
    assert gains.bids_pay_your_bid == pytest.approx(0.2 * 11)


def test_paying_their_bid_a_single_alternative_bidder_gains_the_most_shading_that_still_wins(
    flats: tuple[Scenario, dict[str, Any]],
) -> None:
    gains = _gains(flats, shading={"y"})
    # y keeps A while y's bid over effort plus x's 8 for B beats x's 10 for A plus z's 5:
    # (bid - 3) + 8 >= 15, a bid of 10 at least. Shaded by 0.95 (11.4) y still wins and
    # pays 0.6 less; by 0.8 (9.6) or 0.5 y loses A
    assert gains.bids_pay_your_bid == pytest.approx(0.05 * 12)
    assert gains.bids == pytest.approx(0, abs=1e-9)


def test_nothing_is_measured_without_a_truthful_member(
    flats: tuple[Scenario, dict[str, Any]],
) -> None:
    gains = _gains(flats, shading=set())
    assert all(math.isnan(g) for g in (gains.bids, gains.bids_pay_your_bid,
                                       gains.bids_in_full, gains.asks))


# --- truthfulness on small random auctions -------------------------------------------------


@st.composite
def unit_auctions(draw: st.DrawFn) -> dict[str, Any]:
    """Auction goods of one task, unit wishes of one to two alternatives each."""
    n_goods = draw(st.integers(min_value=1, max_value=3))
    n_bidders = draw(st.integers(min_value=2, max_value=5))
    wishes = []
    for b in range(n_bidders):
        chosen = draw(st.lists(st.integers(min_value=0, max_value=n_goods - 1), min_size=1,
                               max_size=2, unique=True))
        wishes.append({"participant": f"b{b}", "id": f"b{b}_wish", "alternatives": [
            {"good": f"g{g}", "max_cost": draw(st.integers(min_value=0, max_value=15))}
            for g in chosen]})
    return {
        "format": "peerconomy-scenario/1",
        "settings": {"weight_estimates": {"t": draw(st.sampled_from([1.0, 1.5]))}},
        "participants": [{"id": f"b{b}"} for b in range(n_bidders)] + [{"id": "worker"}],
        "projects": [{"id": "p"}],
        "tasks": [{"id": "t", "project": "p"}],
        "goods": [{"id": f"g{g}", "project": "p", "model": "auction",
                   "capacity": draw(st.integers(min_value=1, max_value=2)),
                   "recipe": {"t": draw(st.integers(min_value=1, max_value=3))}}
                  for g in range(n_goods)],
        "offers": [{"participant": "worker", "task": "t", "hours": 100, "min_weight": 1.0}],
        "wishes": wishes,
    }


def _bidder(data: dict[str, Any], index: int) -> tuple[Member, np.ndarray, dict[str, int]]:
    """Bidder ``index`` as a truthful member: their bids are their values."""
    goods = {g["id"]: i for i, g in enumerate(data["goods"])}
    values = np.zeros(len(goods))
    for alternative in data["wishes"][index]["alternatives"]:
        values[goods[alternative["good"]]] = alternative["max_cost"]
    pool = mesa.Model(rng=np.random.default_rng(0))
    pool.task_index = {"t": 0}
    member = Member(pool, f"b{index}", Traits(np.ones(1), values, 10.0, "truthful"), 0.0)
    return member, values, goods


def _scaled(data: dict[str, Any], index: int, factor: float) -> dict[str, Any]:
    wish = data["wishes"][index]
    scaled = {**wish, "alternatives": [{**a, "max_cost": a["max_cost"] * factor}
                                       for a in wish["alternatives"]]}
    return {**data, "wishes": [scaled if i == index else w
                               for i, w in enumerate(data["wishes"])]}


@settings(max_examples=30, deadline=None)
@given(unit_auctions(), st.data())
def test_scaling_a_truthful_bid_never_pays_at_the_auctions_prices(
    data: dict[str, Any], pick: st.DataObject
) -> None:
    index = pick.draw(st.integers(min_value=0, max_value=len(data["wishes"]) - 1))
    factor = pick.draw(st.sampled_from(BID_FACTORS) | st.floats(min_value=0.2, max_value=3))
    member, values, goods = _bidder(data, index)
    scenario = parse_scenario(data)
    honest = auction_utility(clear_scenario(scenario), scenario, member, values, goods)
    lied = auction_utility(clear_scenario(parse_scenario(_scaled(data, index, factor))),
                           scenario, member, values, goods)
    assert honest >= -1e-9  # a winner never pays more than their bid
    assert lied <= honest + 1e-9


@settings(max_examples=30, deadline=None)
@given(unit_auctions(), st.data())
def test_paying_ones_bid_shading_it_by_a_fifth_gains_a_fifth_of_it_if_one_still_wins(
    data: dict[str, Any], pick: st.DataObject
) -> None:
    index = pick.draw(st.integers(min_value=0, max_value=len(data["wishes"]) - 1))
    wish = data["wishes"][index]
    wish["alternatives"] = wish["alternatives"][:1]  # one good: winning means winning it
    bid = float(wish["alternatives"][0]["max_cost"])
    good = wish["alternatives"][0]["good"]
    member, values, goods = _bidder(data, index)
    scenario = parse_scenario(data)
    shaded = clear_scenario(parse_scenario(_scaled(data, index, 0.8)))
    honest = auction_utility(clear_scenario(scenario), scenario, member, values, goods,
                             {(wish["id"], good): bid})
    lied = auction_utility(shaded, scenario, member, values, goods, {(wish["id"], good): 0.8 * bid})
    still_wins = any(a.participant == member.name for a in shaded.allocations)
    assert honest == 0  # truthfully, a winner pays what the flat is worth to them
    assert lied - honest == pytest.approx(0.2 * bid if still_wins else 0.0)
