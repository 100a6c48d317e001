"""The typed plan: what the clearing makes, read and written as the plan's JSON.

The JSON of the example plans is pinned (``plans/*.plan.json``, as ``peerconomy clear`` writes
them in ``peerconomy-plan/2``: with the premium refund, entries listed by id and the draws
following the ids; ``plans/v1/`` holds them as they were written in ``peerconomy-plan/1``,
before issue 20, and such a stored plan still reads back to the same text), and on random
small pools a plan read back from its JSON is the same plan and gives the same JSON, key for
key and in the same order.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from test_clearing import load, scenarios

import peerconomy
from peerconomy.domain.clearing import clear_scenario
from peerconomy.domain.plan import (
    PLAN_FORMAT,
    PLAN_FORMAT_V1,
    Allocation,
    ClearedPlan,
    GoodResult,
    Overproduction,
    TaskAssignment,
    UncoveredTask,
    Underproduction,
    UnmetWish,
)
from peerconomy.domain.scenario import parse_scenario

PINNED = Path(__file__).parent / "plans"


def as_text(data: dict[str, Any]) -> str:
    """JSON text as ``peerconomy clear`` writes it."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- the wire format is kept ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["workshop", "farm", "seaside_flats"])
def test_the_example_plans_are_byte_for_byte_what_they_were(name: str) -> None:
    pinned = (PINNED / f"{name}.plan.json").read_text(encoding="utf-8")

    assert as_text(peerconomy.clear(load(f"{name}.json"))) == pinned


@pytest.mark.parametrize("name", ["workshop", "farm", "seaside_flats"])
def test_a_kept_example_plan_reads_back_to_its_plan_and_its_text(name: str) -> None:
    pinned = (PINNED / f"{name}.plan.json").read_text(encoding="utf-8")

    plan = ClearedPlan.from_json(json.loads(pinned))

    assert plan == clear_scenario(parse_scenario(load(f"{name}.json")))
    assert as_text(plan.to_json()) == pinned


@pytest.mark.parametrize("name", ["workshop", "farm", "seaside_flats"])
def test_a_plan_stored_before_the_refund_reads_back_as_it_was(name: str) -> None:
    kept = (PINNED / "v1" / f"{name}.plan.json").read_text(encoding="utf-8")

    plan = ClearedPlan.from_json(json.loads(kept))

    assert plan.format == PLAN_FORMAT_V1 and plan.refunds == {}
    assert as_text(plan.to_json()) == kept


def test_a_first_format_plan_with_refunds_is_refused() -> None:
    with pytest.raises(msgspec.ValidationError, match="refunds"):
        ClearedPlan.from_json({"format": PLAN_FORMAT_V1, "refunds": {"ana": 1.0}})


@settings(max_examples=200, deadline=None)
@given(data=scenarios())
def test_a_plan_and_its_json_go_back_and_forth_unchanged(data: dict[str, Any]) -> None:
    plan = clear_scenario(parse_scenario(data))
    wire = peerconomy.clear(data)

    assert ClearedPlan.from_json(plan.to_json()) == plan
    assert json.dumps(ClearedPlan.from_json(wire).to_json()) == json.dumps(wire)
    assert ClearedPlan.from_json(json.loads(json.dumps(wire))) == plan  # as a store keeps it


# --- the parts ------------------------------------------------------------------------------


def test_the_plans_json_names_its_format_first_and_lists_its_sequences() -> None:
    plan = ClearedPlan(
        weights={"paint": 1.5},
        assignments=(TaskAssignment("ana", "paint", 2.0),),
        goods={"chair": GoodResult(wished=2, allocated=1, premium=0.0, unit_cost=3.0)},
        allocations=(Allocation("ben", "ben_chair", "chair", 1, 3.0),),
        hints=(UnmetWish("chair", 1),),
    )

    data = plan.to_json()

    assert list(data) == ["format", "weights", "assignments", "uncovered", "production",
                          "goods", "allocations", "holdings", "won", "shares", "refunds",
                          "credits", "weighted_effort", "hints"]
    assert data["format"] == PLAN_FORMAT
    assert data["allocations"] == [
        {"participant": "ben", "wish": "ben_chair", "good": "chair", "quantity": 1,
         "cost": 3.0}]
    assert data["goods"] == {"chair": {"wished": 2, "allocated": 1, "premium": 0.0,
                                       "unit_cost": 3.0}}
    assert data["hints"] == [{"kind": "unmet_wish", "good": "chair", "units": 1}]


def test_each_hint_says_its_kind_first() -> None:
    assert UncoveredTask("milking", 3.0, 4.0).to_json() == {
        "kind": "uncovered_task", "task": "milking", "hours": 3.0, "weight": 4.0}
    assert UnmetWish("bread", 2).kind == "unmet_wish"
    over = Overproduction(product_type="bread", project="bakery", units=9)
    assert list(over.to_json().items()) == [
        ("kind", "overproduction"), ("product_type", "bread"), ("project", "bakery"),
        ("units", 9)]
    under = Underproduction(good="cabin", project="farm", units=1)
    assert list(under.to_json()) == ["kind", "good", "project", "units"]
    assert (over.product, under.product) == ("bread", "cabin")


def test_the_hints_of_one_kind_come_in_the_boards_order() -> None:
    plan = ClearedPlan(hints=(UnmetWish("a", 1), UncoveredTask("t", 1.0, 2.0),
                              UnmetWish("b", 2)))

    assert plan.hints_of(UnmetWish) == [UnmetWish("a", 1), UnmetWish("b", 2)]


def test_an_empty_plan_asks_nothing_of_anybody() -> None:
    empty = ClearedPlan()

    assert empty.assignments == () and empty.shares == {} and empty.weighted_effort == 0.0
    assert ClearedPlan.from_json({"format": PLAN_FORMAT}) == empty


@pytest.mark.parametrize(("data", "where"), [
    ({"format": "peerconomy-plan/3"}, "$.format"),
    ({}, "format"),
    ({"format": PLAN_FORMAT, "weight": {}}, "weight"),
    ({"format": PLAN_FORMAT, "production": {"bread": 1.5}}, "$.production"),
    ({"format": PLAN_FORMAT, "hints": [{"kind": "rumour", "units": 1}]}, "$.hints[0].kind"),
])
def test_anything_but_a_plan_is_refused_naming_the_field(
    data: dict[str, Any], where: str
) -> None:
    with pytest.raises(msgspec.ValidationError, match=re.escape(where)):
        ClearedPlan.from_json(data)


def test_a_plan_is_frozen() -> None:
    plan = ClearedPlan(weighted_effort=1.0)

    with pytest.raises(AttributeError):
        plan.weighted_effort = 2.0  # type: ignore[misc]
