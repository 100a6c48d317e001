"""The one rule for text people read (``domain/text.py``), at every kind of door that takes
it: a pick-up point's texts, a shift's place and note, a work log's note, the display names,
places and descriptions the services take, and the scenario's two readers. Each refusal is
the same at each of them: the field named, the same reason, nothing let through."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerconomy.domain.bounds import MAX_SHIFT_NOTE, MAX_SHIFT_PLACE, MAX_WORK_NOTE
from peerconomy.domain.names import DESCRIPTION, NAME, PLACE
from peerconomy.domain.pickup import (
    MAX_ADDRESS,
    MAX_NAME,
    MAX_OPENING_TIMES,
    PickupPoint,
    checked,
)
from peerconomy.domain.refusal import InputError
from peerconomy.domain.scenario import parse_scenario
from peerconomy.domain.scenario_json import decode_scenario
from peerconomy.domain.shifts import Shift, check_shift
from peerconomy.domain.text import TextKind, check_text, optional_text, text_problem
from peerconomy.domain.work_log import check_note

FARM = Path(__file__).resolve().parents[2] / "examples" / "farm.json"
HARVEST = Shift("harvest", date(2026, 5, 9), time(9), time(12))


@dataclass(frozen=True)
class Door:
    """One caller of the rule: what it names the field, the kind of text it takes, and the
    text it keeps of ``value`` (raising the refusal)."""

    name: str
    field: str
    kind: TextKind
    take: Callable[[Any], str | None]
    required: bool = False
    reader: bool = False
    """A scenario reader: it checks the text as written (the services trim it)."""


def _scenario(field: str, value: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FARM.read_text(encoding="utf-8"))
    data["tasks"][0][field] = value
    return data


def _parsed(field: str) -> Callable[[Any], str | None]:
    def take(value: Any) -> str | None:
        task = parse_scenario(_scenario(field, value)).tasks[0]
        return getattr(task, field)  # type: ignore[no-any-return]
    return take


def _decoded(field: str) -> Callable[[Any], str | None]:
    def take(value: Any) -> str | None:
        raw = json.dumps(_scenario(field, value)).encode()
        return getattr(decode_scenario(raw).tasks[0], field)  # type: ignore[no-any-return]
    return take


DOORS = [
    Door("pick-up point's name", "name", TextKind(MAX_NAME),
         lambda v: checked(PickupPoint("hofladen", v)).name, required=True),
    Door("pick-up point's address", "address", TextKind(MAX_ADDRESS),
         lambda v: checked(PickupPoint("hofladen", "Hofladen", address=v)).address),
    Door("pick-up point's opening times", "opening_times", TextKind(MAX_OPENING_TIMES),
         lambda v: checked(PickupPoint("hofladen", "Hofladen", opening_times=v))
         .opening_times),
    Door("shift's place", "place", TextKind(MAX_SHIFT_PLACE),
         lambda v: check_shift(replace(HARVEST, place=v)).place),
    Door("shift's note", "note", TextKind(MAX_SHIFT_NOTE, lines=True),
         lambda v: check_shift(replace(HARVEST, note=v)).note),
    Door("work log's note", "note", TextKind(MAX_WORK_NOTE, lines=True), check_note),
    Door("display name", "display_name", NAME,
         lambda v: optional_text(v, "display_name", NAME)),
    Door("task's place", "place", PLACE, lambda v: optional_text(v, "place", PLACE)),
    Door("description", "description", DESCRIPTION,
         lambda v: optional_text(v, "description", DESCRIPTION)),
    Door("scenario task's name", "tasks[0].name", NAME, _parsed("name"), reader=True),
    Door("scenario task's description", "tasks[0].description", DESCRIPTION,
         _parsed("description"), reader=True),
    Door("struct reader's task name", "tasks[0].name", NAME, _decoded("name"), reader=True),
    Door("struct reader's task place", "tasks[0].place", PLACE, _decoded("place"),
         reader=True),
]
ONE_LINE = [door for door in DOORS if not door.kind.lines]
LINES = [door for door in DOORS if door.kind.lines]

REFUSED_EVERYWHERE = [
    ("Hof\x00laden", "holds a NUL character"),
    ("Hof\x1b[31mladen", "holds a control character (0x001b)"),
    ("Hof\x07", "holds a control character (0x0007)"),
    ("Hof\x7fladen", "holds a control character (0x007f)"),
    ("Hof\x9bladen", "holds a control character (0x009b)"),
    ("Hofladen\x1f", "holds a control character (0x001f)"),  # a control that strip() drops
    ("Hof\ud800", "holds a lone surrogate (not valid Unicode)"),
    ("Hof\u202eladen", "holds a character that reorders text (0x202e)"),
    ("\u202aHofladen", "holds a character that reorders text (0x202a)"),
    ("Hof\u2067laden\u2069", "holds a character that reorders text (0x2067)"),
    ("Hof\rladen", "holds a control character (0x000d)"),  # a carriage return alone
]
"""Text no door takes, and why (one line takes the carriage return as a line break)."""


def _refusal(door: Door, value: object) -> tuple[str, str]:
    with pytest.raises(InputError) as refused:
        door.take(value)
    return refused.value.path, refused.value.reason


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.name)
@pytest.mark.parametrize(("value", "reason"), REFUSED_EVERYWHERE)
def test_text_that_is_not_text_is_refused_at_every_door(door: Door, value: str,
                                                        reason: str) -> None:
    if not door.kind.lines and "\r" in value:
        reason = "holds a line break (0x000d): must be one line"
    assert _refusal(door, value) == (door.field, reason)


@pytest.mark.parametrize("door", ONE_LINE, ids=lambda door: door.name)
@pytest.mark.parametrize("value", ["zwei\nZeilen", "zwei\r\nZeilen", "zwei\u2028Zeilen",
                                   "zwei\u2029Zeilen"])
def test_one_line_holds_no_line_break(door: Door, value: str) -> None:
    code = ord(value[4])
    assert _refusal(door, value) == (
        door.field, f"holds a line break ({code:#06x}): must be one line")


@pytest.mark.parametrize("door", ONE_LINE, ids=lambda door: door.name)
def test_one_line_holds_no_tab(door: Door) -> None:
    assert _refusal(door, "Hof\tladen") == (door.field, "holds a control character (0x0009)")


@pytest.mark.parametrize("door", LINES, ids=lambda door: door.name)
def test_text_of_several_lines_keeps_line_feeds_and_tabs_and_makes_a_form_s_plain(
    door: Door
) -> None:
    kept = door.take(" Erst\r\ndann\tdas\nund\u2028dies ")
    if door.reader:  # kept as written
        assert kept == " Erst\r\ndann\tdas\nund\u2028dies "
    else:
        assert kept == "Erst\ndann\tdas\nund\u2028dies"


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.name)
def test_text_over_its_bound_is_refused(door: Door) -> None:
    most = door.kind.most
    assert door.take("ä" * most) == "ä" * most
    assert _refusal(door, "x" * (most + 1)) == (
        door.field, f"must be at most {most} characters, got {most + 1}")
    assert _refusal(door, "x" * 10_000) == (
        door.field, f"must be at most {most} characters, got 10000")


@pytest.mark.parametrize("door", [d for d in DOORS if not d.reader],
                         ids=lambda door: door.name)
def test_the_spaces_around_are_dropped_and_not_counted(door: Door) -> None:
    most = door.kind.most
    assert door.take(f"  {'x' * most}\u00a0") == "x" * most


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.name)
def test_anything_but_a_string_is_refused(door: Door) -> None:
    assert _refusal(door, 3) == (door.field, "must be a string, got 3")


@pytest.mark.parametrize("door", [d for d in DOORS if not d.reader],
                         ids=lambda door: door.name)
def test_blank_text_is_refused_where_required_else_nothing(door: Door) -> None:
    if door.required:
        assert _refusal(door, "   ") == (door.field, "must not be empty")
    else:
        assert door.take("   ") in ("", None)


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.name)
@pytest.mark.parametrize("value", [
    "Hofladen Müller 🥕", "\u0415rnte", "\uff25\uff52\uff4e\uff54\uff45",  # alike letters
    "\u05e9\u05dc\u05d5\u05dd \u200f\u05e9\u05d5\u05e7\u200e",  # direction marks stay
    "Zoë\u00a0& <b>Co</b>"])
def test_any_unicode_text_is_kept_as_written(door: Door, value: str) -> None:
    assert door.take(value) == value


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs"),
                             blacklist_characters="\u2028\u2029\u202a\u202b\u202c\u202d"
                                                  "\u202e\u2066\u2067\u2068\u2069"),
               max_size=100))
def test_any_text_without_what_the_rule_refuses_is_a_name(text: str) -> None:
    assert text_problem(text, lines=False) is None
    assert optional_text(text, "name", NAME) == (text.strip() or None)


@given(st.text(max_size=20),
       st.sampled_from(["\x00", "\x07", "\x1b", "\n", "\r", "\x7f", "\x85", "\u2028", "\u202e",
                        "\u2066", "\ud800"]),
       st.text(max_size=20))
def test_a_refused_character_anywhere_is_refused_whatever_is_around_it(
    before: str, refused: str, after: str
) -> None:
    text = before + refused + after
    assert text_problem(text, lines=False) is not None
    with pytest.raises(InputError) as caught:
        check_text(text, "tasks[3].place", PLACE)
    assert caught.value.path == "tasks[3].place"
