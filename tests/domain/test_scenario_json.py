"""The fast scenario readers (msgspec: into structs, and into columns) accept exactly what the
scenario parser accepts, with the same errors, and a scenario read any way clears to the same
plan."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_clearing import scenarios
from test_scenario import BAD_INPUT, KEYS, Mutation, json_values, scenario

from peerconomy.domain.clearing import clear_scenario
from peerconomy.domain.scenario import (
    ScenarioError,
    load_scenario_file,
    parse_scenario,
)
from peerconomy.domain.scenario_columns import read_columns, read_columns_file
from peerconomy.domain.scenario_json import decode_scenario, read_scenario_file

EXAMPLES = Path(__file__).parents[2] / "examples"
READERS = pytest.mark.parametrize("read", [decode_scenario, read_columns],
                                  ids=["structs", "columns"])
FILE_READERS = pytest.mark.parametrize("read_file", [read_scenario_file, read_columns_file],
                                       ids=["structs", "columns"])


def message(read: Callable[[], object]) -> str:
    with pytest.raises(ScenarioError) as refused:
        read()
    return str(refused.value)


@FILE_READERS
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_clears_to_the_same_plan_read_either_way(
    path: Path, read_file: Callable[[Path], Any]
) -> None:
    assert clear_scenario(read_file(path)) == clear_scenario(load_scenario_file(path))


@READERS
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenarios())
def test_a_random_pool_clears_to_the_same_plan_read_either_way(
    read: Callable[[str], Any], data: dict[str, Any]
) -> None:
    fast = read(json.dumps(data))
    assert clear_scenario(fast) == clear_scenario(parse_scenario(data))


@READERS
@pytest.mark.parametrize(
    ("mutate", "expected"),
    [pytest.param(mutate, expected, id=case) for case, mutate, expected in BAD_INPUT],
)
def test_bad_input_gets_the_parsers_own_message(
    read: Callable[[str], Any], mutate: Mutation, expected: str
) -> None:
    data = scenario()
    mutate(data)
    assert message(lambda: read(json.dumps(data))) == expected


@READERS
@settings(max_examples=60, deadline=None)
@given(data=st.dictionaries(st.sampled_from(KEYS), json_values, max_size=9))
def test_junk_is_refused_alike_or_read_alike(
    read: Callable[[str], Any], data: dict[str, Any]
) -> None:
    text = json.dumps(data)
    try:
        slow = parse_scenario(data)
    except ScenarioError as refused:
        assert message(lambda: read(text)) == str(refused)
    else:
        assert clear_scenario(read(text)) == clear_scenario(slow)


@pytest.mark.parametrize(
    ("content", "write"),
    [
        ("{", "text"),
        ("[1, 2]", "text"),
        (b"\xff\xfe{}", "bytes"),
        ('{"format": "peerconomy-scenario/1", "participants": [{"id": 1}], "projects": []}',
         "text"),
    ],
    ids=["malformed", "not an object", "not utf-8", "bad field"],
)
@FILE_READERS
def test_a_bad_file_gets_the_same_message(tmp_path: Path, content: str | bytes, write: str,
                                          read_file: Callable[[Path], Any]) -> None:
    path = tmp_path / "pool.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    assert message(lambda: read_file(path)) == message(lambda: load_scenario_file(path))


@FILE_READERS
def test_a_missing_file_gets_the_same_message(tmp_path: Path,
                                              read_file: Callable[[Path], Any]) -> None:
    path = tmp_path / "nowhere.json"
    assert message(lambda: read_file(path)) == message(lambda: load_scenario_file(path))


@FILE_READERS
def test_a_leading_byte_order_mark_is_no_error(tmp_path: Path,
                                               read_file: Callable[[Path], Any]) -> None:
    path = tmp_path / "pool.json"
    path.write_text("\ufeff" + json.dumps(scenario()), encoding="utf-8")
    assert clear_scenario(read_file(path)) == clear_scenario(load_scenario_file(path))
