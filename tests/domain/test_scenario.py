"""The scenario format: what a valid scenario is, and what each kind of bad input is told."""

from __future__ import annotations

import copy
import dataclasses
import gc
import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerconomy.domain.scenario import (
    Alternative,
    Participant,
    Scenario,
    ScenarioError,
    load_scenario_file,
    parse_scenario,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

Data = dict[str, Any]


def scenario() -> Data:
    """A small valid scenario (docs/design.md's, plus an auction good) to break in each test."""
    return {
        "format": "peerconomy-scenario/1",
        "settings": {"max_weight": 5.0, "seed": 0, "weight_estimates": {"paint": 1.5}},
        "participants": [
            {"id": "ana", "capacity": 40, "exempt": False},
            {"id": "ben"},
        ],
        "projects": [{"id": "bikes"}, {"id": "house"}],
        "tasks": [
            {"id": "assemble", "project": "bikes", "fixed_hours": 0},
            {"id": "paint", "project": "bikes"},
            {"id": "cleaning", "project": "house", "fixed_hours": 2},
        ],
        "goods": [
            {
                "id": "bike",
                "project": "bikes",
                "model": "effort",
                "capacity": 20,
                "recipe": {"assemble": 2.0, "paint": 1},
                "product_type": "bicycle",
            },
            {
                "id": "flat_a",
                "project": "house",
                "model": "auction",
                "capacity": 1,
                "recipe": {"cleaning": 4},
                "product_type": "flat",
            },
        ],
        "offers": [
            {"participant": "ana", "task": "assemble", "hours": 10, "min_weight": 1.0},
            {"participant": "ben", "task": "paint", "hours": 3.5, "min_weight": 1.2},
        ],
        "wishes": [
            {
                "participant": "ana",
                "id": "w1",
                "quantity": 1,
                "alternatives": [{"good": "bike", "max_cost": 8.0}],
            },
            {
                "participant": "ben",
                "id": "w2",
                "alternatives": [{"product_type": "flat", "max_cost": 12}],
            },
        ],
    }


def rejected(data: Data) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    return str(caught.value)


# --- valid input ---------------------------------------------------------------------------


def test_a_valid_scenario_parses_into_frozen_models() -> None:
    s = parse_scenario(scenario())

    assert s.participants[0] == Participant(id="ana", capacity=40.0, exempt=False)
    assert s.goods[0].recipe == {"assemble": 2.0, "paint": 1.0}
    assert s.wishes[1].alternatives == [Alternative(product_type="flat", max_cost=12.0)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.participants[0].capacity = 1.0  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        s.participants = []  # type: ignore[misc]


def test_a_parsed_scenario_round_trips_through_json() -> None:
    s = parse_scenario(scenario())

    again = parse_scenario(json.loads(s.model_dump_json()))

    assert again == s


def test_absent_keys_take_their_documented_defaults() -> None:
    s = parse_scenario(
        {
            "format": "peerconomy-scenario/1",
            "participants": [{"id": "ana"}],
            "projects": [{"id": "bikes"}],
            "tasks": [{"id": "assemble", "project": "bikes"}],
            "goods": [{"id": "bike", "project": "bikes", "model": "effort"}],
            "wishes": [{"participant": "ana", "id": "w1", "alternatives": [{"good": "bike"}]}],
        }
    )

    assert (s.settings.max_weight, s.settings.seed, s.settings.weight_estimates) == (5.0, 0, {})
    assert (s.participants[0].capacity, s.participants[0].exempt) == (None, False)
    assert s.tasks[0].fixed_hours == 0.0
    assert (s.goods[0].capacity, s.goods[0].recipe, s.goods[0].product_type) == (None, {}, None)
    assert s.offers == []
    assert s.wishes[0].quantity == 1
    assert s.wishes[0].alternatives[0].max_cost is None


def test_integers_are_numbers_and_numbers_may_be_zero_where_allowed() -> None:
    data = scenario()
    data["participants"][0]["capacity"] = 0
    data["offers"][0]["hours"] = 0
    data["wishes"][0]["alternatives"][0]["max_cost"] = 0

    s = parse_scenario(data)

    assert s.participants[0].capacity == 0.0
    assert isinstance(s.offers[0].hours, float)


def test_a_wish_may_name_alternatives_of_one_kind_by_good_and_by_product_type() -> None:
    data = scenario()
    data["wishes"][1]["alternatives"].append({"good": "flat_a", "max_cost": 10})

    assert len(parse_scenario(data).wishes[1].alternatives) == 2


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_every_example_is_a_valid_scenario(path: Path) -> None:
    s = load_scenario_file(path)

    assert s.participants and s.projects and s.goods and s.wishes


def test_parsing_leaves_the_garbage_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    parse_scenario(scenario())
    assert gc.isenabled()
    with pytest.raises(ScenarioError):
        parse_scenario({})
    assert gc.isenabled()
    gc.disable()
    try:
        parse_scenario(scenario())
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- bad input: one rule, one message ------------------------------------------------------

Mutation = Callable[[Data], object]

BAD_INPUT: list[tuple[str, Mutation, str]] = [
    (
        "a negative number",
        lambda d: d["participants"][0].update(capacity=-3),
        "participants[0].capacity: must be >= 0, got -3",
    ),
    (
        "a negative seed (the lottery's generator takes none)",
        lambda d: d["settings"].update(seed=-1),
        "settings.seed: must be >= 0, got -1",
    ),
    (
        "a weight that is not positive",
        lambda d: d["settings"].update(max_weight=0),
        "settings.max_weight: must be >= 1, got 0",  # a pool's max weight: 1 to 1000
    ),
    (
        "a string for a number",
        lambda d: d["offers"][1].update(hours="abc"),
        "offers[1].hours: must be a number, got 'abc'",
    ),
    (
        "a numeric string for a number",
        lambda d: d["offers"][1].update(min_weight="1.5"),
        "offers[1].min_weight: must be a number, got '1.5'",
    ),
    (
        "a boolean for a number",
        lambda d: d["participants"][0].update(capacity=True),
        "participants[0].capacity: must be a number, got true",
    ),
    (
        "NaN",
        lambda d: d["goods"][0]["recipe"].update(paint=float("nan")),
        "goods[0].recipe.paint: must be a finite number, got NaN",
    ),
    (
        "infinity",
        lambda d: d["wishes"][0]["alternatives"][0].update(max_cost=float("inf")),
        "wishes[0].alternatives[0].max_cost: must be a finite number, got Infinity",
    ),
    (
        "a fraction for a count",
        lambda d: d["goods"][1].update(capacity=1.5),
        "goods[1].capacity: must be an integer, got 1.5",
    ),
    (
        "a quantity below one",
        lambda d: d["wishes"][0].update(quantity=0),
        "wishes[0].quantity: must be >= 1, got 0",
    ),
    (
        "a term of no periods",
        lambda d: d["wishes"][0].update(term=0),
        "wishes[0].term: must be >= 1, got 0",
    ),
    (
        "a negative term",
        lambda d: d["wishes"][0].update(term=-1),
        "wishes[0].term: must be >= 1, got -1",
    ),
    (
        "a fraction for a term",
        lambda d: d["wishes"][0].update(term=2.5),
        "wishes[0].term: must be an integer, got 2.5",
    ),
    (
        "a huge term",
        lambda d: d["wishes"][0].update(term=10_001),
        "wishes[0].term: must be <= 10000, got 10001",
    ),
    (
        "a string for a term",
        lambda d: d["wishes"][0].update(term="26"),
        "wishes[0].term: must be an integer, got '26'",
    ),
    (
        "a string for a flag",
        lambda d: d["participants"][0].update(exempt="yes"),
        "participants[0].exempt: must be true or false, got 'yes'",
    ),
    (
        "a number for an id",
        lambda d: d["projects"][0].update(id=7),
        "projects[0].id: must be a string, got 7",
    ),
    (
        "an empty id",
        lambda d: d["participants"][1].update(id=""),
        "participants[1].id: must not be empty",
    ),
    (
        "an unknown key",
        lambda d: d["participants"][0].update(colour="red"),
        "participants[0].colour: unknown key 'colour'",
    ),
    (
        "an unknown top-level key",
        lambda d: d.update(period=3),
        "period: unknown key 'period'",
    ),
    (
        "a missing key",
        lambda d: d["offers"][0].pop("min_weight"),
        "offers[0].min_weight: field required",
    ),
    (
        "a missing format",
        lambda d: d.pop("format"),
        "format: field required",
    ),
    (
        "another format",
        lambda d: d.update(format="peerconomy-scenario/2"),
        "format: must be 'peerconomy-scenario/1', got 'peerconomy-scenario/2'",
    ),
    (
        "an unknown good model",
        lambda d: d["goods"][0].update(model="barter"),
        "goods[0].model: must be one of 'flat_rate', 'flat_allocation', 'effort', 'auction',"
        " got 'barter'",
    ),
    (
        "an object where a list belongs",
        lambda d: d.update(offers={}),
        "offers: must be a list, got {}",
    ),
    (
        "a list where an object belongs",
        lambda d: d.update(settings=[1, 2]),
        "settings: must be an object, got [1, 2]",
    ),
    (
        "a wish without alternatives",
        lambda d: d["wishes"][1].update(alternatives=[]),
        "wishes[1].alternatives: must have at least 1 item, got []",
    ),
    (
        "an empty key in a recipe",
        lambda d: d["goods"][0]["recipe"].update({"": 1}),
        "goods[0].recipe: bad key '': must not be empty",
    ),
    (
        "a duplicate participant id",
        lambda d: d["participants"].append({"id": "ana"}),
        "participants[2].id: duplicate id 'ana' (also participants[0])",
    ),
    (
        "a duplicate project id",
        lambda d: d["projects"].append({"id": "bikes"}),
        "projects[2].id: duplicate id 'bikes' (also projects[0])",
    ),
    (
        "a duplicate task id",
        lambda d: d["tasks"].append({"id": "paint", "project": "house"}),
        "tasks[3].id: duplicate id 'paint' (also tasks[1])",
    ),
    (
        "a duplicate good id",
        lambda d: d["goods"].append({"id": "bike", "project": "bikes", "model": "effort"}),
        "goods[2].id: duplicate id 'bike' (also goods[0])",
    ),
    (
        "a duplicate wish id",
        lambda d: d["wishes"][1].update(id="w1"),
        "wishes[1].id: duplicate id 'w1' (also wishes[0])",
    ),
    (
        "a task of an unknown project",
        lambda d: d["tasks"][2].update(project="garden"),
        "tasks[2].project: unknown project 'garden'",
    ),
    (
        "a good of an unknown project",
        lambda d: d["goods"][1].update(project="garden"),
        "goods[1].project: unknown project 'garden'",
    ),
    (
        "a recipe naming an unknown task",
        lambda d: d["goods"][0]["recipe"].update(sweep=1),
        "goods[0].recipe.sweep: unknown task 'sweep'",
    ),
    (
        "a recipe key that is no plain word",  # a task id follows the identifier rule
        lambda d: d["goods"][0]["recipe"].update({"oil change": 1}),
        "goods[0].recipe: bad key 'oil change': must be 1 to 100 letters (a-z, A-Z), digits,"
        " '.', '_', '-' or '/', starting with a letter or digit, got 'oil change'",
    ),
    (
        "a recipe key that names an unknown task",
        lambda d: d["goods"][0]["recipe"].update({"oil_change": 1}),
        "goods[0].recipe.oil_change: unknown task 'oil_change'",
    ),
    (
        "a weight estimate for an unknown task",
        lambda d: d["settings"]["weight_estimates"].update(sweep=2),
        "settings.weight_estimates.sweep: unknown task 'sweep'",
    ),
    (
        "an offer by an unknown participant",
        lambda d: d["offers"][1].update(participant="zoe"),
        "offers[1].participant: unknown participant 'zoe'",
    ),
    (
        "an offer on an unknown task",
        lambda d: d["offers"][0].update(task="sweep"),
        "offers[0].task: unknown task 'sweep'",
    ),
    (
        "a second offer by one participant on one task",
        lambda d: d["offers"].append(
            {"participant": "ana", "task": "assemble", "hours": 1, "min_weight": 2}
        ),
        "offers[2]: duplicate offer by 'ana' on task 'assemble' (also offers[0])",
    ),
    (
        "a wish by an unknown participant",
        lambda d: d["wishes"][0].update(participant="zoe"),
        "wishes[0].participant: unknown participant 'zoe'",
    ),
    (
        "an alternative naming an unknown good",
        lambda d: d["wishes"][0]["alternatives"].append({"good": "trike"}),
        "wishes[0].alternatives[1].good: unknown good 'trike'",
    ),
    (
        "an alternative naming an unknown product type",
        lambda d: d["wishes"][1]["alternatives"].append({"product_type": "castle"}),
        "wishes[1].alternatives[1].product_type: unknown product type 'castle'",
    ),
    (
        "an alternative naming neither good nor product type",
        lambda d: d["wishes"][0]["alternatives"].append({"max_cost": 3}),
        "wishes[0].alternatives[1]: must name a 'good' or a 'product_type'",
    ),
    (
        "an alternative naming both good and product type",
        lambda d: d["wishes"][0]["alternatives"][0].update(product_type="bicycle"),
        "wishes[0].alternatives[0]: must name either 'good' or 'product_type', not both",
    ),
    (
        "a wish mixing auction and non-auction goods",
        lambda d: d["wishes"][0]["alternatives"].append({"good": "flat_a"}),
        "wishes[0].alternatives: mixes auction and non-auction goods",
    ),
    (
        "a product type made as auction and non-auction goods",
        lambda d: (
            d["goods"][1].update(product_type="bicycle")
            or d["wishes"][0]["alternatives"].append({"product_type": "bicycle"})
        ),
        "wishes[0].alternatives[1].product_type: mixes auction and non-auction goods",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(mutate, message, id=case) for case, mutate, message in BAD_INPUT],
)
def test_bad_input_is_rejected_with_a_message_naming_the_field(
    mutate: Mutation, message: str
) -> None:
    data = scenario()
    mutate(data)

    assert rejected(data) == message


def test_a_scenario_error_is_a_value_error_with_its_path_and_reason() -> None:
    data = scenario()
    data["participants"][0]["capacity"] = -3

    with pytest.raises(ValueError, match=r"^participants\[0\]\.capacity: ") as caught:
        parse_scenario(data)

    assert isinstance(caught.value, ScenarioError)
    assert caught.value.path == "participants[0].capacity"
    assert caught.value.reason == "must be >= 0, got -3"
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_scenario_error_survives_pickling() -> None:
    err = ScenarioError("offers[1].hours", "must be >= 0, got -1")

    again = pickle.loads(pickle.dumps(err))

    assert (type(again), again.path, again.reason, str(again)) == (
        ScenarioError,
        err.path,
        err.reason,
        str(err),
    )


def test_a_long_bad_value_is_shortened_in_the_message() -> None:
    data = scenario()
    data["participants"][0]["capacity"] = "x" * 500

    message = rejected(data)

    assert message.startswith("participants[0].capacity: must be a number, got 'xxx")
    assert message.endswith("...") and len(message) < 120


def test_a_top_level_that_is_not_an_object_is_rejected() -> None:
    assert rejected([1, 2]) == "<scenario>: must be an object, got [1, 2]"  # type: ignore[arg-type]


# --- files ---------------------------------------------------------------------------------


def test_a_scenario_file_is_read_as_utf8_json(tmp_path: Path) -> None:
    data = scenario()  # ids are ASCII (the identifier rule); a product type is free text
    data["goods"][0]["product_type"] = "Fahrräder für Jürgen"
    path = tmp_path / "pool.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    assert load_scenario_file(path).goods[0].product_type == "Fahrräder für Jürgen"
    assert load_scenario_file(str(path)) == parse_scenario(data)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(mutate, message, id=case) for case, mutate, message in BAD_INPUT],
)
def test_bad_input_in_a_file_gets_the_same_message(
    mutate: Mutation, message: str, tmp_path: Path
) -> None:
    data = scenario()
    mutate(data)
    path = tmp_path / "pool.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(path)

    assert str(caught.value) == message


def test_a_leading_byte_order_mark_is_no_error(tmp_path: Path) -> None:
    path = tmp_path / "pool.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(scenario()).encode())

    assert load_scenario_file(path) == parse_scenario(scenario())


def file_error(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(path)
    return caught.value


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"

    assert str(file_error(path)) == f"{path}: cannot read file: No such file or directory"


def test_malformed_json_is_placed_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "pool.json"
    path.write_text('{\n  "format": "peerconomy-scenario/1",\n  "participants": [,]\n}\n')

    assert str(file_error(path)) == f"{path}:3:20: invalid JSON: Expecting value"


def test_a_file_that_is_not_utf8_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "pool.json"
    path.write_bytes(b'{"format": "peerconomy-scenario/1",\n "participants": [{"id": "j\xfc"}]}')

    assert str(file_error(path)) == f"{path}:2:28: not UTF-8 text"


def test_a_file_whose_top_level_is_not_an_object_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "pool.json"
    path.write_text("[]")

    assert str(file_error(path)) == f"{path}: must hold a JSON object, got []"


def test_a_problem_inside_a_file_is_named_by_its_field(tmp_path: Path) -> None:
    data = scenario()
    del data["projects"]
    path = tmp_path / "pool.json"
    path.write_text(json.dumps(data))

    assert str(file_error(path)) == "projects: field required"


# --- whatever comes in: a scenario or a ScenarioError, nothing else ------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 50)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["", "ana", "bike", "auction", "effort", "flat", "assemble", "x"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "participant", "good", "max_cost", "capacity", "colour", "x"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)

KEYS = [
    "format",
    "settings",
    "participants",
    "projects",
    "tasks",
    "goods",
    "offers",
    "wishes",
    "extra",
]


def outcome(load: Callable[[], Scenario]) -> Scenario | str:
    try:
        return load()
    except ScenarioError as err:
        assert "\n" not in str(err)
        assert err.path and err.reason
        assert str(err) == f"{err.path}: {err.reason}"
        return str(err)


def check_parses_or_explains(data: Any, directory: Path) -> None:
    """A dict gives a scenario or a ScenarioError, and the same one when read from a file."""
    from_dict = outcome(lambda: parse_scenario(data))
    path = directory / "pool.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert outcome(lambda: load_scenario_file(path)) == from_dict


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scenarios")


@given(data=st.dictionaries(st.sampled_from(KEYS), json_values, max_size=9))
def test_junk_either_parses_or_raises_a_scenario_error(data: Data, directory: Path) -> None:
    check_parses_or_explains(data, directory)


def places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside a JSON value, as paths of keys and indices."""
    found = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += places(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += places(inner, (*path, index))
    return found


PLACES = places(scenario())[1:]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    mutations=st.lists(
        st.tuples(
            st.sampled_from(PLACES),
            st.sampled_from(["replace", "delete", "add key", "copy"]),
            json_values,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_a_mutated_valid_scenario_either_parses_or_raises_a_scenario_error(
    mutations: list[tuple[tuple[Any, ...], str, Any]], directory: Path
) -> None:
    data: Any = copy.deepcopy(scenario())
    for place, action, value in mutations:
        parent: Any = data
        try:
            for step in place[:-1]:
                parent = parent[step]
            key = place[-1]
            target = parent[key]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this place
        if action == "replace":
            parent[key] = value
        elif action == "delete":
            del parent[key]
        elif action == "add key" and isinstance(target, dict):
            target["colour"] = value
        elif action == "copy" and isinstance(target, list) and target:
            target.append(copy.deepcopy(target[0]))
    check_parses_or_explains(data, directory)
