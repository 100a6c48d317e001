"""Clearing a federation piecewise gives exactly the plan of its merged pool."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from federations import federation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import peerconomy
from peerconomy import ScenarioError
from peerconomy.domain.plan import ClearedPlan
from peerconomy.scale import (
    FEDERATION_FORMAT,
    clear_federation,
    load_federation,
    merge_pools,
    split_plan,
)

SEEDS = range(40)


def merged_plan(pools: dict[str, dict[str, Any]]) -> ClearedPlan:
    return ClearedPlan.from_json(peerconomy.clear(merge_pools(pools).merged))


# --- the plan is the merged pool's --------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_the_serial_federation_plan_is_the_merged_pools_plan(seed: int) -> None:
    pools = federation(seed)

    assert clear_federation(pools, serial=True) == merged_plan(pools)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n_pools=st.integers(2, 4), size=st.integers(1, 6))
def test_any_small_federation_clears_to_its_merged_pools_plan(
    seed: int, n_pools: int, size: int
) -> None:
    pools = federation(seed, n_pools, size)

    assert clear_federation(pools, serial=True) == merged_plan(pools)


def test_the_test_federations_link_pools_and_tie() -> None:
    """The seeds above cover what the decomposition must get right: wishes across pools,
    a product type made in two pools, and wishes whose alternatives are worth the same."""
    across = shared_type = tied = 0
    for seed in SEEDS:
        pools = federation(seed)
        owner = {g["id"]: name for name, pool in pools.items() for g in pool["goods"]}
        for name, pool in pools.items():
            for wish in pool["wishes"]:
                alts = wish["alternatives"]
                across += any(owner.get(a.get("good"), name) != name for a in alts)
                shared_type += any("product_type" in a for a in alts)
                costs = [a.get("max_cost") for a in alts]
                tied += len(costs) > 1 and len(set(costs)) < len(costs)
    assert across and shared_type and tied


@pytest.mark.usefixtures("local_ray")
@pytest.mark.parametrize("seed", [0, 3, 7, 11])
def test_the_federation_plan_on_ray_is_the_merged_pools_plan(seed: int) -> None:
    pools = federation(seed, n_pools=4, size=6)

    assert clear_federation(pools) == merged_plan(pools)


# --- each pool's part ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(10))
def test_every_entry_of_the_plan_lands_in_one_pools_part(seed: int) -> None:
    fed = merge_pools(federation(seed))
    plan = clear_federation(fed, serial=True)
    whole = plan.to_json()

    parts = split_plan(plan, fed)["pools"]

    assert list(parts) == sorted(fed.pools)
    for key in ("weights", "uncovered", "production", "goods", "shares", "credits"):
        joined = {k: v for part in parts.values() for k, v in part[key].items()}
        assert joined == whole[key]
    for key in ("assignments", "allocations", "hints"):
        assert sorted(map(json.dumps, (x for part in parts.values() for x in part[key]))) == (
            sorted(map(json.dumps, whole[key])))
    for name, part in parts.items():
        assert all(p in {q["id"] for q in fed.pools[name]["participants"]}
                   for p in part["shares"])


# --- the federation's input ---------------------------------------------------------------


def write(directory: Path, pools: dict[str, dict[str, Any]]) -> None:
    for name, pool in pools.items():
        (directory / f"{name}.json").write_text(json.dumps(pool), encoding="utf-8")


def test_a_directory_is_a_federation_of_its_json_files(tmp_path: Path) -> None:
    pools = federation(5)
    write(tmp_path, pools)

    fed = load_federation(tmp_path)

    assert fed.names == sorted(pools)
    assert clear_federation(fed, serial=True) == merged_plan(pools)


def test_federation_json_gives_the_settings(tmp_path: Path) -> None:
    pools = federation(6)
    for pool in pools.values():
        del pool["settings"]
    write(tmp_path, pools)
    header = {"format": FEDERATION_FORMAT, "settings": {"max_weight": 4.0, "seed": 9}}
    (tmp_path / "federation.json").write_text(json.dumps(header), encoding="utf-8")

    fed = load_federation(tmp_path)

    assert fed.merged["settings"] == header["settings"]
    assert "federation" not in fed.names


def test_an_id_in_two_pools_is_refused_naming_the_file_and_the_id() -> None:
    pools = federation(1, n_pools=2)
    pools["pool1"]["goods"][0]["id"] = pools["pool0"]["goods"][0]["id"]

    with pytest.raises(ScenarioError) as caught:
        merge_pools(pools)

    assert str(caught.value) == (
        f"pool1: goods[0].id: {pools['pool0']['goods'][0]['id']!r} is also a good of pool"
        " 'pool0' (pool0)")


def test_differing_settings_are_refused() -> None:
    pools = federation(1, n_pools=3)
    pools["pool2"]["settings"] = {"max_weight": 9.0}

    with pytest.raises(ScenarioError, match=r"^pool2: settings: differ from pool0's$"):
        merge_pools(pools)


def test_settings_given_alike_or_not_at_all_agree() -> None:
    pools = federation(2, n_pools=3)
    del pools["pool1"]["settings"]
    pools["pool2"]["settings"] = {**pools["pool2"]["settings"], "weight_estimates": {}}

    assert merge_pools(pools).merged["settings"] == pools["pool0"]["settings"]


def test_a_bad_field_is_named_in_its_pools_file(tmp_path: Path) -> None:
    pools = federation(4, n_pools=3)
    pools["pool2"]["tasks"][0]["fixed_hours"] = -1
    write(tmp_path, pools)

    with pytest.raises(ScenarioError) as caught:
        clear_federation(load_federation(tmp_path), serial=True)

    assert str(caught.value) == (
        f"{tmp_path / 'pool2.json'}: tasks[0].fixed_hours: must be >= 0, got -1")


def test_a_reference_to_another_pool_resolves_but_an_unknown_one_is_named() -> None:
    pools = federation(4, n_pools=2)
    pools["pool1"]["offers"].append(
        {"participant": pools["pool1"]["participants"][0]["id"], "task": "nowhere",
         "hours": 1.0, "min_weight": 1.0})

    with pytest.raises(ScenarioError) as caught:
        clear_federation(pools, serial=True)

    n = len(pools["pool1"]["offers"]) - 1
    assert str(caught.value) == f"pool1: offers[{n}].task: unknown task 'nowhere'"


@pytest.mark.parametrize(("content", "reason"), [
    ("[1, 2]", "must hold a JSON object, got list"),
    ("{", "invalid JSON"),
    ('{"format": "peerconomy-scenario/1", "colour": 1}', "colour: unknown key"),
])
def test_a_broken_pool_file_is_named(tmp_path: Path, content: str, reason: str) -> None:
    write(tmp_path, federation(0, n_pools=2))
    (tmp_path / "broken.json").write_text(content, encoding="utf-8")

    with pytest.raises(ScenarioError, match=r"broken\.json") as caught:
        load_federation(tmp_path)

    assert reason in str(caught.value)


def test_a_directory_without_pools_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="holds no pool"):
        load_federation(tmp_path)


@pytest.mark.parametrize("seed", range(10))
def test_renamed_pool_files_give_the_same_plan(seed: int) -> None:
    """Order does not decide: the pools taken in another order of their names (and each pool's
    lists reversed) give the same plan, entry for entry."""
    pools = federation(seed)
    names = sorted(pools)
    renamed = {f"z{len(names) - i:02d}-{name}": {
        key: value[::-1] if isinstance(value, list) else value
        for key, value in pools[name].items()
    } for i, name in enumerate(names)}

    assert clear_federation(renamed, serial=True).to_json() == (
        clear_federation(pools, serial=True).to_json())


def test_a_federation_holds_its_pools_holdings_and_splits_them_by_holder() -> None:
    """The seaside flats as two pools: the households with flats in one, the house and the
    others in the other; ben's held flat and its charge land in his pool's part."""
    seaside: dict[str, Any] = json.loads(
        (Path(__file__).parents[2] / "examples" / "seaside_flats.json").read_text())
    holders = {"ana", "ben"}
    pools = {
        "a": {"format": seaside["format"], "settings": seaside["settings"],
              "participants": [p for p in seaside["participants"] if p["id"] in holders],
              "projects": [], "offers": [o for o in seaside["offers"]
                                         if o["participant"] in holders],
              "wishes": [w for w in seaside["wishes"] if w["participant"] == "ana"],
              "holdings": [{"participant": "ben", "good": "flat_a_seaview", "premium": 12}]},
        "b": {"format": seaside["format"], "settings": seaside["settings"],
              "participants": [p for p in seaside["participants"] if p["id"] not in holders],
              "projects": seaside["projects"], "tasks": seaside["tasks"],
              "goods": seaside["goods"],
              "offers": [o for o in seaside["offers"] if o["participant"] not in holders],
              "wishes": [w for w in seaside["wishes"] if w["participant"] not in holders]},
    }
    fed = merge_pools(pools)

    plan = clear_federation(fed, serial=True)

    assert plan == merged_plan(pools)
    assert [(h.participant, h.good) for h in plan.holdings] == [("ben", "flat_a_seaview")]
    parts = split_plan(plan, fed)["pools"]
    assert [h["participant"] for h in parts["a"]["holdings"]] == ["ben"]
    assert parts["b"]["holdings"] == []
    assert {w["participant"] for part in parts.values() for w in part["won"]} == {
        w.participant for w in plan.won}
