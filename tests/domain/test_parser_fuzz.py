"""Hostile scenarios: whatever JSON (or bytes) comes in, the scenario parser and the two fast
readers either accept it or refuse it with a :class:`ScenarioError`, never another exception;
and they agree on which.

The inputs are random JSON values, random bytes, and valid scenarios (the small one of
``test_scenario``, the seaside flats of ``examples/``) broken by a few random mutations: a
key or item dropped, a value replaced by any JSON value, an unknown key added, an item
doubled, a number made negative, huge or fractional.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerconomy.domain.scenario import ScenarioError, parse_scenario, parse_scenario_json
from peerconomy.domain.scenario_columns import read_columns
from peerconomy.domain.scenario_json import decode_scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SMALL: dict[str, Any] = {
    "format": "peerconomy-scenario/1",
    "settings": {"max_weight": 5.0, "seed": 0, "weight_estimates": {"paint": 1.5}},
    "participants": [{"id": "ana", "capacity": 40, "exempt": False}, {"id": "ben"}],
    "projects": [{"id": "bikes"}, {"id": "house"}],
    "tasks": [
        {"id": "assemble", "project": "bikes", "fixed_hours": 0},
        {"id": "paint", "project": "bikes"},
        {"id": "cleaning", "project": "house", "fixed_hours": 2},
    ],
    "goods": [
        {"id": "bike", "project": "bikes", "model": "effort", "capacity": 20,
         "recipe": {"assemble": 2.0, "paint": 1}, "product_type": "bicycle", "limit": 2},
        {"id": "flat_a", "project": "house", "model": "auction", "capacity": 1,
         "recipe": {"cleaning": 1}},
        {"id": "flat_b", "project": "house", "model": "auction", "capacity": 1},
    ],
    "offers": [
        {"participant": "ana", "task": "assemble", "hours": 10, "min_weight": 1.0},
        {"participant": "ben", "task": "paint", "hours": 5},
    ],
    "wishes": [
        {"participant": "ana", "id": "w1", "quantity": 2, "alternatives": [{"good": "bike"}]},
        {"participant": "ben", "id": "w2",
         "alternatives": [{"good": "flat_a", "max_cost": 6}, {"good": "flat_b", "max_cost": 4}]},
    ],
}
BASES = [SMALL, json.loads((EXAMPLES / "seaside_flats.json").read_text())]
FUZZ = settings(max_examples=250, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
    st.sampled_from(["ana", "bike", "auction", "effort", "", "peerconomy-scenario/1", "\x00",
                     "\ud7ff\ue000", "a" * 500]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12,
)


def _containers(value: Any, found: list[Any]) -> list[Any]:
    """Every dict and list inside ``value`` (itself first)."""
    if isinstance(value, dict | list):
        found.append(value)
        for child in value.values() if isinstance(value, dict) else value:
            _containers(child, found)
    return found


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario broken by one to four random mutations."""
    scenario = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        place = draw(st.sampled_from(_containers(scenario, [])))
        keys = list(place) if isinstance(place, dict) else list(range(len(place)))
        op = draw(st.sampled_from(["drop", "replace", "unknown", "double", "number"]))
        if op == "unknown" and isinstance(place, dict):
            place[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
            continue
        if not keys:
            continue
        key = draw(st.sampled_from(keys))
        if op == "drop":
            del place[key]
        elif op == "replace":
            place[key] = draw(json_values)
        elif op == "double" and isinstance(place, list):
            place.append(copy.deepcopy(place[key]))
        elif op == "number" and isinstance(place[key], int | float) and not isinstance(
                place[key], bool):
            place[key] = draw(st.sampled_from([-place[key], place[key] * 1e300, 10**40,
                                               place[key] + 0.5, -1]))
    return scenario


def _outcome(read: Any, raw: Any) -> str:
    """``"ok"`` or ``"refused"``; any exception but a ScenarioError fails the test, and so
    does the fast readers' own complaint that they disagree with the parser."""
    try:
        read(raw)
    except ScenarioError as error:
        assert "please report" not in error.reason, (read, error)
        return "refused"
    return "ok"


def _all_readers(text: str) -> None:
    outcomes = {
        "parse_scenario_json": _outcome(parse_scenario_json, text),
        "decode_scenario": _outcome(decode_scenario, text),
        "read_columns": _outcome(read_columns, text.encode("utf-8", "surrogatepass")),
    }
    assert len(set(outcomes.values())) == 1, (outcomes, text[:2000])


@FUZZ
@given(mutated())
def test_a_broken_scenario_is_refused_with_a_scenario_error_by_every_reader(
    scenario: dict[str, Any],
) -> None:
    _outcome(parse_scenario, scenario)
    _all_readers(json.dumps(scenario))


@FUZZ
@given(st.dictionaries(st.sampled_from([*SMALL, "extra"]), json_values, max_size=8))
def test_any_mapping_of_scenario_keys_is_parsed_or_refused(data: dict[str, Any]) -> None:
    _outcome(parse_scenario, data)
    _all_readers(json.dumps(data))


@FUZZ
@given(json_values)
def test_any_json_value_is_parsed_or_refused(value: Any) -> None:
    _all_readers(json.dumps(value))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@FUZZ
@given(st.binary(max_size=200).filter(_is_utf8) | st.text(max_size=200).map(str.encode))
def test_any_utf8_bytes_are_read_or_refused(raw: bytes) -> None:
    for read in (parse_scenario_json, decode_scenario, read_columns):
        _outcome(read, raw)


@pytest.mark.parametrize(("read", "raw", "where"), [
    (parse_scenario_json, b"\x80{}", "<json>:1:1"),
    (decode_scenario, b"\x80{}", "<json>:1:1"),
    (read_columns, b'{"format":\n "\xff"}', "<json>:2:3"),
    (parse_scenario_json, '{"format": "\ud800"}', "<json>:1:13"),
    (decode_scenario, '{"format": "\ud800"}', "<json>:1:13"),
    (read_columns, '"\ud800"', "<json>:1:2"),
], ids=["parser-latin1", "decoder-latin1", "columns-latin1", "parser-surrogate",
        "decoder-surrogate", "columns-surrogate"])
def test_bytes_that_are_no_utf8_are_refused_with_a_scenario_error(read: Any, raw: Any,
                                                                  where: str) -> None:
    with pytest.raises(ScenarioError) as refused:
        read(raw)
    assert str(refused.value) == f"{where}: not UTF-8 text"
