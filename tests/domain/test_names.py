"""Names people read: one rule for display names, places and descriptions, read alike by the
scenario's parser, its struct reader and the services (the rule itself, at every door that
takes it, in ``test_text.py``); and the input hash, which leaves them out, so a scenario
hashes as it did before names existed.

The farm (``examples/farm.json``) calls its weeding "Jäten" and its vegetable share
"Gemüsekiste".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerconomy.domain.names import (
    Labels,
    check_contacts,
    shown_name,
)
from peerconomy.domain.refusal import InputError, ScenarioError
from peerconomy.domain.scenario import Project, Task, load_scenario_file, parse_scenario
from peerconomy.domain.scenario_json import decode_scenario
from peerconomy.services.periods import input_hash

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HASHES = {
    "workshop": "8b0c191868aca7e4c500630b82054e606ede763774bec5846417ee343f1f36f9",
    "farm": "489a4c48acbe93561be7a1ebdba5a4fde0fc5b684e81b7b385b2ac63198777b7",
    "seaside_flats": "b6788b16f40345451778b966a9a3538dee5eaeda0b0f5ac9f111f776e5bc09a6",
}
"""The input hashes of the examples as the version before names cleared them (a8ff86d): the
farm has named its tasks and goods since, the others not."""


@pytest.mark.parametrize("example", sorted(HASHES))
def test_an_example_hashes_as_it_did_before_names_existed(example: str) -> None:
    assert input_hash(load_scenario_file(EXAMPLES / f"{example}.json")) == HASHES[example]


def _farm() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "farm.json").read_text(encoding="utf-8"))
    return data


def _without_names(data: dict[str, Any]) -> dict[str, Any]:
    plain = json.loads(json.dumps(data))
    for kind in ("projects", "tasks", "goods"):
        for part in plain[kind]:
            for key in ("name", "description", "place", "contact"):
                part.pop(key, None)
    return plain


def test_the_farm_reads_its_names_and_hashes_as_without_them() -> None:
    named = parse_scenario(_farm())
    weeding = next(t for t in named.tasks if t.id == "weeding")
    assert (weeding.name, weeding.place) == ("Jäten", "Gemüseacker")
    assert next(g for g in named.goods if g.id == "vegetable_share").name == "Gemüsekiste"
    assert input_hash(named) == input_hash(parse_scenario(_without_names(_farm())))


@given(st.text(max_size=30))
def test_renaming_a_task_never_changes_the_input_hash(name: str) -> None:
    data = _farm()
    data["tasks"][0]["name"] = name
    try:
        renamed = parse_scenario(data)
    except ScenarioError as error:  # a name the rule refuses is refused by its path
        assert error.path == "tasks[0].name"
        return
    assert input_hash(renamed) == HASHES["farm"]


@pytest.mark.parametrize(("name", "reason"), [
    ("Jä\x00ten", "holds a NUL character"),
    ("Jäten\x1b[31m", "holds a control character (0x001b)"),
    ("zwei\nZeilen", "holds a line break (0x000a): must be one line"),
    ("Jä\u202eten", "holds a character that reorders text (0x202e)"),
    ("x" * 101, "must be at most 100 characters, got 101"),
    ("", "must not be empty"),
    (3, "must be a string, got 3"),
])
def test_a_bad_name_in_a_scenario_is_refused_by_its_path(name: object, reason: str) -> None:
    data = _farm()
    data["goods"][2]["name"] = name
    with pytest.raises(ScenarioError) as refused:
        parse_scenario(data)
    assert (refused.value.path, refused.value.reason) == ("goods[2].name", reason)


def test_the_struct_reader_refuses_the_names_the_parser_refuses() -> None:
    data = _farm()
    data["tasks"][1]["description"] = "Glocke\x07"
    with pytest.raises(ScenarioError) as refused:
        decode_scenario(msgspec.json.encode(data))
    assert refused.value.path == "tasks[1].description"
    data["tasks"][1]["description"] = "zwei\nZeilen\tmit Tab"  # a description spans lines
    assert decode_scenario(msgspec.json.encode(data)).tasks[1].description == (
        "zwei\nZeilen\tmit Tab")


def test_a_lone_surrogate_in_a_scenario_file_is_no_text(tmp_path: Path) -> None:
    text = (EXAMPLES / "farm.json").read_text(encoding="utf-8").replace(
        '"name": "Jäten"', '"name": "J\\ud800ten"')
    file = tmp_path / "farm.json"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError):
        load_scenario_file(file)


def test_a_task_s_contact_is_an_id() -> None:
    data = _farm()
    data["tasks"][0]["contact"] = "Ana Müller"
    with pytest.raises(ScenarioError) as refused:
        parse_scenario(data)
    assert refused.value.path == "tasks[0].contact"


def test_the_shown_name_is_the_display_name_else_the_id() -> None:
    assert shown_name(Task(id="weeding", project="vegetables", name="Jäten")) == "Jäten"
    assert shown_name(Project(id="dairy")) == "dairy"
    labels = Labels.of("Solawi", tasks=[Task(id="weeding", project="v", name="Jäten"),
                                        Task(id="harvest", project="v")])
    assert (labels.task("weeding"), labels.task("harvest"), labels.good("gone")) == (
        "Jäten", "harvest", "gone")


def test_a_contact_must_be_a_member_of_the_pool() -> None:
    check_contacts([None, "ana"], {"ana", "ben"}, "farm")
    with pytest.raises(InputError) as refused:
        check_contacts([None, "cleo"], {"ana", "ben"}, "farm")
    assert (refused.value.path, refused.value.reason) == (
        "tasks[1].contact", "must be a member of pool 'farm', got 'cleo'")

