"""Goods that last (issue 20, item 2): a unit won of a good with ``tenure`` is held for that
many periods. Held units are not on offer, are made all the same, and their holder is charged
the good's effort at this period's weights plus the premium locked when they were won, which
comes back to everyone with the period's other premiums."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_clearing import load, scenarios

import peerconomy
from peerconomy.domain.refusal import ScenarioError
from peerconomy.domain.scenario import parse_scenario
from peerconomy.domain.scenario_columns import read_columns
from peerconomy.domain.scenario_json import decode_scenario
from share_sums import adds_up

# --- the seaside flats, twelve periods a flat ------------------------------------------------


def second_period() -> dict[str, Any]:
    """The seaside flats a period after the first clear: ana holds sea-view flat B and ben
    sea-view flat A at the premium 12 they were won at, dario the garden flat at 4; their
    wishes were met (the pool withdraws them), chiara's and emil's still stand."""
    scenario = load("seaside_flats.json")
    scenario["holdings"] = [
        {"participant": "ana", "good": "flat_b_seaview", "quantity": 1, "premium": 12.0},
        {"participant": "ben", "good": "flat_a_seaview", "quantity": 1, "premium": 12.0},
        {"participant": "dario", "good": "flat_c_garden", "quantity": 1, "premium": 4.0},
    ]
    scenario["wishes"] = [w for w in scenario["wishes"] if w["participant"] in {"chiara", "emil"}]
    return scenario


def test_the_seaside_flats_are_won_for_twelve_periods_at_effort_plus_premium() -> None:
    plan = peerconomy.clear(load("seaside_flats.json"))

    assert [(w["participant"], w["good"], w["premium"], w["tenure"]) for w in plan["won"]] == [
        ("ana", "flat_b_seaview", 12.0, 12), ("ben", "flat_a_seaview", 12.0, 12),
        ("dario", "flat_c_garden", 4.0, 12)]
    # the winners pay the auction's price: effort (7, 7, 6 at the weights) + premium
    assert {a["participant"]: a["cost"] for a in plan["allocations"]} == {
        "ana": 19.0, "ben": 19.0, "dario": 10.0}
    assert plan["holdings"] == []


def test_a_held_flat_is_not_auctioned_again_its_holder_pays_effort_and_locked_premium() -> None:
    plan = peerconomy.clear(second_period())

    assert plan["allocations"] == [] and plan["won"] == []  # no flat was on offer
    assert all(g["allocated"] == 0 for g in plan["goods"].values())
    # the premiums are still the least at which nobody wants more than they get (chiara
    # would give 12 over a sea-view flat's effort, emil 4 over the garden flat's): nobody
    # is charged them, as no unit is on offer
    assert {g: r["premium"] for g, r in plan["goods"].items()} == {
        "flat_a_seaview": 12.0, "flat_b_seaview": 12.0, "flat_c_garden": 4.0}
    assert plan["production"] == {"flat_a_seaview": 1, "flat_b_seaview": 1, "flat_c_garden": 1}
    # upkeep is still needed: cleaning 4 + 4 + 3, repairs 2 + 2 + 2, gardening 5
    assert plan["weights"] == {"cleaning": 1.0, "gardening": 1.0, "repairs": 1.5}
    assert plan["holdings"] == [
        {"participant": "ana", "good": "flat_b_seaview", "quantity": 1, "premium": 12.0,
         "cost": 19.0},
        {"participant": "ben", "good": "flat_a_seaview", "quantity": 1, "premium": 12.0,
         "cost": 19.0},
        {"participant": "dario", "good": "flat_c_garden", "quantity": 1, "premium": 4.0,
         "cost": 10.0},
    ]
    # P = 12 + 12 + 4 = 28 locked premiums, back to the five households: 5.6 each; the
    # gardening (5 h at weight 1) is shared evenly: 1 each
    assert plan["refunds"] == {p: 5.6 for p in ("ana", "ben", "chiara", "dario", "emil")}
    assert plan["shares"] == pytest.approx(
        {"ana": 14.4, "ben": 14.4, "chiara": -4.6, "dario": 5.4, "emil": -4.6}, abs=1e-12)
    assert math.fsum(plan["shares"].values()) == plan["weighted_effort"] == 25.0
    # nothing is left to wish for: the unmet wishes are on the hint board
    assert {h["good"]: h["units"] for h in plan["hints"] if h["kind"] == "unmet_wish"} == {
        "flat_a_seaview": 2, "flat_b_seaview": 2, "flat_c_garden": 1}


def test_a_holder_pays_the_effort_at_the_current_weights_and_the_premium_locked_then() -> None:
    scenario = second_period()
    # chiara no longer repairs: dario covers 4 of the 6 hours, 2 stay uncovered at weight 5
    scenario["offers"] = [o for o in scenario["offers"] if o["participant"] != "chiara"]

    plan = peerconomy.clear(scenario)

    repairs = plan["weights"]["repairs"]
    assert repairs == 5.0
    held = {h["participant"]: h["cost"] for h in plan["holdings"]}
    assert held == {"ana": 4 * 1.0 + 2 * repairs + 12.0, "ben": 4 * 1.0 + 2 * repairs + 12.0,
                    "dario": 3 * 1.0 + 2 * repairs + 4.0}
    overhead = 5 * plan["weights"]["gardening"] / 5
    assert plan["shares"] == pytest.approx({
        "ana": held["ana"] + overhead - 5.6, "ben": held["ben"] + overhead - 5.6,
        "chiara": overhead - 5.6, "dario": held["dario"] + overhead - 5.6,
        "emil": overhead - 5.6}, abs=1e-12)


def test_a_good_partly_held_offers_what_is_left() -> None:
    scenario = load("seaside_flats.json")
    scenario["goods"][2]["capacity"] = 2  # two garden flats, dario holds one
    scenario["goods"][2]["limit"] = 2
    scenario["holdings"] = [{"participant": "dario", "good": "flat_c_garden", "premium": 4.0}]
    scenario["wishes"] = [w for w in scenario["wishes"] if w["participant"] != "dario"]

    plan = peerconomy.clear(scenario)

    assert plan["production"]["flat_c_garden"] == 2
    assert plan["goods"]["flat_c_garden"]["allocated"] == 1
    assert [(a["participant"], a["good"]) for a in plan["allocations"]
            if a["good"] == "flat_c_garden"] == [("emil", "flat_c_garden")]


def test_held_units_count_toward_the_limit() -> None:
    scenario = load("seaside_flats.json")
    scenario["goods"][2]["capacity"] = 2
    scenario["holdings"] = [{"participant": "dario", "good": "flat_c_garden", "premium": 4.0}]

    plan = peerconomy.clear(scenario)  # dario still wishes for it, but holds his limit of 1

    assert "dario" not in {a["participant"] for a in plan["allocations"]}


# --- bad holdings ------------------------------------------------------------------------------


@pytest.mark.parametrize(("holding", "path", "reason"), [
    ({"participant": "zoe", "good": "flat_c_garden"}, "holdings[0].participant",
     "unknown participant 'zoe'"),
    ({"participant": "ana", "good": "flat_z"}, "holdings[0].good", "unknown good 'flat_z'"),
    ({"participant": "ana", "good": "flat_c_garden", "quantity": 2}, "holdings[0].quantity",
     "2 units of 'flat_c_garden' held, more than its capacity 1"),
    ({"participant": "ana", "good": "flat_c_garden", "quantity": 0}, "holdings[0].quantity",
     "must be >= 1, got 0"),
    ({"participant": "ana", "good": "flat_c_garden", "premium": -1}, "holdings[0].premium",
     "must be >= 0, got -1"),
])
def test_a_bad_holding_is_refused_alike_by_every_reader(
    holding: dict[str, Any], path: str, reason: str
) -> None:
    scenario = load("seaside_flats.json")
    scenario["holdings"] = [holding]
    text = __import__("json").dumps(scenario)

    for read in (lambda: parse_scenario(scenario), lambda: decode_scenario(text),
                 lambda: read_columns(text)):
        with pytest.raises(ScenarioError) as refused:
            read()
        assert (refused.value.path, refused.value.reason) == (path, reason)


def test_a_tenure_out_of_bounds_is_refused() -> None:
    scenario = load("seaside_flats.json")
    scenario["goods"][0]["tenure"] = 0
    with pytest.raises(ScenarioError, match=r"goods\[0\].tenure: must be >= 1, got 0"):
        parse_scenario(scenario)
    scenario["goods"][0]["tenure"] = 1001
    with pytest.raises(ScenarioError, match=r"goods\[0\].tenure: must be <= 1000"):
        parse_scenario(scenario)


# --- on random pools -----------------------------------------------------------------------------


@st.composite
def with_holdings(draw: st.DrawFn, scenario: dict[str, Any]) -> dict[str, Any]:
    """The scenario with some goods lasting and some units held (within each good's
    capacity), at locked premiums."""
    out = copy.deepcopy(scenario)
    people = [p["id"] for p in out["participants"]]
    holdings = []
    for good in out["goods"]:
        if draw(st.booleans()):
            good["tenure"] = draw(st.integers(2, 12))
        room = good.get("capacity", 3)
        while room > 0 and draw(st.booleans()):
            units = draw(st.integers(1, room))
            room -= units
            holdings.append({"participant": draw(st.sampled_from(people)), "good": good["id"],
                             "quantity": units,
                             "premium": float(draw(st.sampled_from([0, 1.5, 4, 12])))})
    out["holdings"] = holdings
    return out


@settings(max_examples=150, deadline=None)
@given(data=st.data(), base=scenarios())
def test_with_holdings_the_shares_add_up_and_every_refund_is_equal(
    data: st.DataObject, base: dict[str, Any]
) -> None:
    scenario = data.draw(with_holdings(base))
    plan = peerconomy.clear(scenario)

    assert adds_up(list(plan["shares"].values()), plan["weighted_effort"])
    carrying = [p["id"] for p in scenario["participants"] if not p.get("exempt")] or [
        p["id"] for p in scenario["participants"]]
    assert len({plan["refunds"][p] for p in carrying}) <= 1
    auction = {g["id"] for g in scenario["goods"] if g["model"] == "auction"}
    premiums = math.fsum(
        [plan["goods"][a["good"]]["premium"] * a["quantity"] for a in plan["allocations"]
         if a["good"] in auction]
        + [h["premium"] * h["quantity"] for h in scenario["holdings"]])
    assert math.fsum(plan["refunds"].values()) == pytest.approx(premiums, rel=1e-9, abs=1e-9)
    for good in scenario["goods"]:
        held = sum(h["quantity"] for h in scenario["holdings"] if h["good"] == good["id"])
        allocated = plan["goods"][good["id"]]["allocated"]
        assert plan["production"][good["id"]] == allocated + held
        assert allocated + held <= good.get("capacity", math.inf)
        for p in {w["participant"] for w in scenario["wishes"]}:
            mine = sum(a["quantity"] for a in plan["allocations"]
                       if a["participant"] == p and a["good"] == good["id"])
            held_by_p = sum(h["quantity"] for h in scenario["holdings"]
                            if h["participant"] == p and h["good"] == good["id"])
            if "limit" in good and mine:
                assert mine + held_by_p <= good["limit"]
    won = {(w["wish"], w["good"]): w for w in plan["won"]}
    for a in plan["allocations"]:
        tenure = next(g.get("tenure", 1) for g in scenario["goods"] if g["id"] == a["good"])
        assert ((a["wish"], a["good"]) in won) == (tenure > 1)
