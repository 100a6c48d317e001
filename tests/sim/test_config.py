"""A simulation's TOML configuration: what a minimal one means, how a bad one is refused (the
field's path and the bad value named), and the points of a sweep."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from peerconomy.domain.refusal import InputError
from peerconomy.sim.config import (
    SimulationConfig,
    load_config,
    parse_config,
    sweep_points,
    with_value,
)
from peerconomy.sim.rules import PRESETS, AllocationRule

EXAMPLES = Path(__file__).parents[2] / "examples" / "simulations"

MINIMAL = """
projects = ["bakery"]

[[tasks]]
id = "bake"
project = "bakery"

[[goods]]
id = "bread"
project = "bakery"
recipe = { bake = 0.5 }
"""


def _minimal() -> dict[str, Any]:
    return {
        "projects": ["bakery", "garden"],
        "tasks": [{"id": "bake", "project": "bakery"}, {"id": "weed", "project": "garden"}],
        "goods": [
            {"id": "bread", "project": "bakery", "recipe": {"bake": 0.5}},
            {"id": "salad", "project": "garden", "recipe": {"weed": 0.2}},
        ],
    }


def _refused(change: Any) -> InputError:
    data = _minimal()
    change(data)
    with pytest.raises(InputError) as raised:
        parse_config(data)
    return raised.value


# --- loading -----------------------------------------------------------------------------


def test_a_minimal_config_loads_with_the_documented_defaults(tmp_path: Path) -> None:
    path = tmp_path / "bakery.toml"
    path.write_text(MINIMAL)
    config = load_config(path)
    assert (config.name, config.periods, config.seed) == ("simulation", 12, 0)
    assert config.rules == ["auction"]
    assert config.compared_rules() == [PRESETS["auction"]]
    assert config.max_weight == 5.0 and config.coordinate_product_types
    assert config.misreport_samples == 0 and config.sweep == {} and config.sweep_mode == "grid"
    task, good = config.tasks[0], config.goods[0]
    assert (task.disutility, task.fixed_hours, task.fixed_weight) == ((0.5, 1.5), 0.0, 1.0)
    assert good.recipe == {"bake": 0.5}
    assert good.capacity is None and good.units == 1 and not good.scarce
    assert good.planning == "fixed" and good.value == (0.5, 3.0)
    agents = config.agents
    assert (agents.count, agents.capacity, agents.offers) == (50, (8.0, 16.0), 3)
    assert agents.strategies.truthful == 1.0
    assert agents.strategies.shading == agents.strategies.luxury == 0.0


def test_a_missing_file_is_named() -> None:
    with pytest.raises(InputError, match="no such file") as raised:
        load_config("/nowhere/at/all.toml")
    assert raised.value.path == "/nowhere/at/all.toml"


def test_a_file_that_is_not_toml_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("periods = = 3\n")
    with pytest.raises(InputError, match="not valid TOML") as raised:
        load_config(path)
    assert raised.value.path == str(path)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.stem)
def test_every_example_simulation_loads_and_its_sweep_points_are_valid(path: Path) -> None:
    config = load_config(path)
    for point in sweep_points(config):
        for setting, value in point.items():
            assert _at(with_value(config, setting, value), setting) == value


def test_a_rule_may_be_named_or_spelled_out() -> None:
    mine = {"name": "raffle", "scarce": "flat_rate", "other": "flat_allocation"}
    config = parse_config({**_minimal(), "rules": ["effort", mine]})
    assert config.compared_rules() == [
        PRESETS["effort"], AllocationRule(name="raffle", scarce="flat_rate",
                                          other="flat_allocation"),
    ]


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (lambda d: d.update(agents={"count": 1}), "agents.count", ["must be >= 2", "got 1"]),
        (lambda d: d["tasks"][0].update(disutility=[2, 1]), "tasks[0].disutility",
         ["low <= high", "[2.0, 1.0]"]),
        (lambda d: d["goods"][1].update(value=[3, 0.5]), "goods[1].value",
         ["low <= high", "[3.0, 0.5]"]),
        (lambda d: d["goods"][0].update(recipe={"knead": 1}), "goods[0].recipe",
         ["no task 'knead'"]),
        (lambda d: d["tasks"].append({"id": "bake", "project": "garden"}), "tasks[2].id",
         ["'bake'", "used twice"]),
        (lambda d: d["goods"][1].update(id="bread"), "goods[1].id", ["'bread'", "used twice"]),
        (lambda d: d["tasks"][1].update(project="orchard"), "tasks[1].project",
         ["no project 'orchard'"]),
        (lambda d: d.update(rules=["auction", "potlatch"]), "rules[1]",
         ["must be one of", "'potlatch'"]),
        (lambda d: d.update(colour="red"), "colour", ["unknown key 'colour'"]),
        (lambda d: d["tasks"][0].update(colour="red"), "tasks[0].colour",
         ["unknown key 'colour'"]),
        (lambda d: d.update(periods="ten"), "periods", ["'ten'"]),
        (lambda d: d.update(periods=0), "periods", ["must be >= 1", "got 0"]),
        (lambda d: d["goods"][0].update(recipe={"bake": 0}), "goods[0].recipe.bake",
         ["must be > 0", "got 0"]),
        (lambda d: d["goods"][0].update(planning="sometimes"), "goods[0].planning",
         ["'sometimes'"]),
        (lambda d: d.update(agents={"shortfall_chance": 1.5}), "agents.shortfall_chance",
         ["must be <= 1", "got 1.5"]),
        (lambda d: d.update(agents={"strategies": {"truthful": 0}}),
         "agents.strategies.truthful", ["at least one strategy"]),
        (lambda d: d.update(agents={"strategies": {"shade": 1}}), "agents.strategies.shade",
         ["must be < 1", "got 1"]),
        (lambda d: d.update(rules=[]), "rules", ["at least 1 item"]),
        (lambda d: d.update(sweep={"agents.headcount": [2, 3]}), "sweep",
         ["'agents.headcount' names no setting"]),
        (lambda d: d.update(sweep={"tasks.0.id": ["x"]}), "sweep", ["'tasks.0.id'"]),
        (lambda d: d.update(sweep={"seed": [1, 2], "agents.count": [2, 3, 4]}, sweep_mode="zip"),
         "sweep", ["zip", "as long"]),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_bad_field_is_refused_naming_its_path_and_the_bad_value(
    change: Any, path: str, words: list[str]
) -> None:
    error = _refused(change)
    assert error.path == path
    for word in words:
        assert word in error.reason
    assert str(error).startswith(f"{path}: ")


def test_a_reversed_capacity_range_is_refused_like_the_other_ranges() -> None:
    error = _refused(lambda d: d.update(agents={"capacity": [16, 8]}))
    assert error.path == "agents.capacity"


def test_a_bad_field_of_a_spelled_out_rule_is_named() -> None:
    error = _refused(lambda d: d.update(rules=["auction", {"name": "mine", "scarce": "bogus"}]))
    assert error.path == "rules[1].scarce"
    assert "'bogus'" in error.reason


# --- sweeps ------------------------------------------------------------------------------


def _at(config: SimulationConfig, path: str) -> Any:
    node: Any = config
    for step in path.split("."):
        node = getattr(node, step)
    return node


def test_with_value_changes_one_setting_and_leaves_the_original_alone() -> None:
    config = parse_config(_minimal())
    changed = with_value(config, "agents.strategies.luxury", 0.25)
    assert changed.agents.strategies.luxury == 0.25
    assert config.agents.strategies.luxury == 0.0
    unchanged = copy.deepcopy(config.model_dump())
    del unchanged["agents"]["strategies"]["luxury"]
    again = changed.model_dump()
    del again["agents"]["strategies"]["luxury"]
    assert again == unchanged


def test_with_value_validates_the_changed_config() -> None:
    config = parse_config(_minimal())
    with pytest.raises(InputError) as raised:
        with_value(config, "agents.count", 1)
    assert raised.value.path == "agents.count"


def test_without_a_sweep_there_is_one_point_the_config_itself() -> None:
    assert sweep_points(parse_config(_minimal())) == [{}]


def test_a_grid_sweep_takes_every_combination_first_path_slowest() -> None:
    config = parse_config({**_minimal(), "sweep": {"agents.count": [2, 3], "seed": [7, 8, 9]}})
    assert sweep_points(config) == [
        {"agents.count": 2, "seed": 7}, {"agents.count": 2, "seed": 8},
        {"agents.count": 2, "seed": 9}, {"agents.count": 3, "seed": 7},
        {"agents.count": 3, "seed": 8}, {"agents.count": 3, "seed": 9},
    ]


def test_a_zip_sweep_takes_the_values_side_by_side() -> None:
    config = parse_config({
        **_minimal(), "sweep_mode": "zip",
        "sweep": {"agents.strategies.luxury": [0.0, 0.5, 1.0],
                  "agents.strategies.laziness": [1.0, 0.5, 0.0]},
    })
    assert sweep_points(config) == [
        {"agents.strategies.luxury": 0.0, "agents.strategies.laziness": 1.0},
        {"agents.strategies.luxury": 0.5, "agents.strategies.laziness": 0.5},
        {"agents.strategies.luxury": 1.0, "agents.strategies.laziness": 0.0},
    ]
