"""The columnar reader: the long lists as arrays, read a batch at a time, and the same
columns as a scenario read any other way. (That it accepts and refuses exactly what the
parser does is in ``test_scenario_json``, beside the struct reader.)"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from test_clearing import scenarios
from test_scenario import scenario

from peerconomy.domain import scenario_columns
from peerconomy.domain.clearing import clear_scenario
from peerconomy.domain.scenario import ScenarioError, parse_scenario
from peerconomy.domain.scenario_columns import ScenarioColumns, columns_of, read_columns

ARRAYS = ("participant_capacity", "participant_exempt", "offer_participant", "offer_task",
          "offer_hours", "offer_min_weight", "wish_participant", "wish_quantity", "wish_term",
          "alt_wish",
          "alt_good", "alt_type", "alt_max_cost")


def same_columns(a: ScenarioColumns, b: ScenarioColumns) -> bool:
    return (a.participant_ids == b.participant_ids and a.wish_ids == b.wish_ids
            and a.product_types == b.product_types
            and all(np.array_equal(getattr(a, k), getattr(b, k), equal_nan=k == "alt_max_cost")
                    for k in ARRAYS))


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two items a batch, so every list of a test scenario spans several batches."""
    monkeypatch.setattr(scenario_columns, "BATCH", 2)


def test_the_workshop_as_columns() -> None:
    data = scenario()
    columns = read_columns(json.dumps(data))
    assert columns.participant_ids == ["ana", "ben"]
    assert columns.participant_capacity.tolist() == [40.0, math.inf]  # ben: no limit
    assert columns.offer_participant.tolist() == [0, 1]
    assert columns.offer_task.tolist() == [0, 1]  # assemble, paint
    assert columns.product_types == ["bicycle", "flat"]
    wishes = data["wishes"]
    assert columns.wish_ids == [w["id"] for w in wishes]
    n_alts = [len(w["alternatives"]) for w in wishes]
    assert columns.alt_wish.tolist() == [i for i, n in enumerate(n_alts) for _ in range(n)]
    flat = [alt for w in wishes for alt in w["alternatives"]]
    goods = [g["id"] for g in data["goods"]]
    assert columns.alt_good.tolist() == [
        goods.index(alt["good"]) if "good" in alt else -1 for alt in flat]
    assert columns.alt_type.tolist() == [
        columns.product_types.index(alt["product_type"]) if "product_type" in alt else -1
        for alt in flat]
    assert [None if math.isnan(c) else c for c in columns.alt_max_cost.tolist()] == [
        alt.get("max_cost") for alt in flat]


@pytest.mark.usefixtures("small_batches")
@settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=scenarios())
def test_read_in_small_batches_a_pool_has_the_parsers_columns_and_plan(
    data: dict[str, Any],
) -> None:
    parsed = parse_scenario(data)
    read = read_columns(json.dumps(data))
    assert same_columns(read, columns_of(parsed))
    assert clear_scenario(read) == clear_scenario(parsed)


def _many_wishes(n: int) -> dict[str, Any]:
    data = scenario()
    data["wishes"] = [
        {"participant": "ben", "id": f"w{i}", "alternatives": [{"good": "bike"}]}
        for i in range(n)
    ]
    return data


@pytest.mark.usefixtures("small_batches")
@pytest.mark.parametrize(
    ("place", "change", "expected"),
    [
        ("wishes", {"alternatives": [{"good": "boat"}]},
         "wishes[7].alternatives[0].good: unknown good 'boat'"),
        ("wishes", {"alternatives": [{"product_type": "boat"}]},
         "wishes[7].alternatives[0].product_type: unknown product type 'boat'"),
        ("wishes", {"participant": "cyd"}, "wishes[7].participant: unknown participant 'cyd'"),
        ("wishes", {"quantity": 0}, "wishes[7].quantity: must be >= 1, got 0"),
        ("wishes", {"id": "w2"}, "wishes[7].id: duplicate id 'w2' (also wishes[2])"),
        ("wishes", {"alternatives": [{"good": "bike"}, {"good": "flat_a"}]},
         "wishes[7].alternatives: mixes auction and non-auction goods"),
    ],
    ids=["unknown good", "unknown type", "unknown participant", "bad field", "duplicate id",
         "mixed kinds"],
)
def test_a_bad_item_in_a_late_batch_is_named_by_its_place(
    place: str, change: dict[str, Any], expected: str,
) -> None:
    data = _many_wishes(9)
    data[place][7].update(change)
    with pytest.raises(ScenarioError) as refused:
        read_columns(json.dumps(data))
    assert str(refused.value) == expected


@pytest.mark.usefixtures("small_batches")
def test_a_duplicate_offer_in_another_batch_is_found() -> None:
    data = scenario()
    data["offers"] += [
        {"participant": "ben", "task": "cleaning", "hours": 1, "min_weight": 1.0},
        {"participant": "ana", "task": "assemble", "hours": 2, "min_weight": 2.0},
    ]
    with pytest.raises(ScenarioError, match=r"^offers\[3\]: duplicate offer by 'ana'"):
        read_columns(json.dumps(data))


def test_a_wish_in_a_pool_without_goods_names_an_unknown_good() -> None:
    data = scenario()
    data["goods"] = []
    data["wishes"] = [{"participant": "ana", "id": "w", "alternatives": [{"good": "bike"}]}]
    with pytest.raises(ScenarioError) as refused:
        read_columns(json.dumps(data))
    assert str(refused.value) == "wishes[0].alternatives[0].good: unknown good 'bike'"


def test_columns_of_columns_are_themselves() -> None:
    columns = read_columns(json.dumps(scenario()))
    assert columns_of(columns) is columns
