"""``peerconomy shift list|add|repeat|cancel``: the workshop's assembly on Saturday and its
painting every evening of a week; bad input is one line and exit code 2, storing nothing."""

from __future__ import annotations

import json

import pytest

from cli_commands import WORKSHOP, ok, refused


def imported(db: str) -> None:
    ok(db, "pool", "import", str(WORKSHOP), "--pool", "workshop", "--coordinator", "ana")


def test_shifts_are_added_listed_and_cancelled(db_url: str) -> None:
    imported(db_url)
    assert "shift 1 of assemble on 2026-05-09, 09:00 to 13:00" in ok(
        db_url, "shift", "add", "--pool", "workshop", "assemble", "--date", "2026-05-09",
        "--start", "9:00", "--end", "13:00", "--place", "Werkstatt", "--slots", "2")
    assert "3 shifts of paint, ids 2 to 4, 2026-05-06 to 2026-05-08" in ok(
        db_url, "shift", "repeat", "--pool", "workshop", "paint", "--every", "day",
        "--from", "2026-05-06", "--until", "2026-05-08", "--start", "22:00", "--end", "06:00")
    listed = json.loads(ok(db_url, "shift", "list", "--pool", "workshop", "--json"))
    assert [(s["id"], s["task"], s["date"], s["start"], s["end"], s["free"])
            for s in listed] == [
        (2, "paint", "2026-05-06", "22:00", "06:00", 1),
        (3, "paint", "2026-05-07", "22:00", "06:00", 1),
        (4, "paint", "2026-05-08", "22:00", "06:00", 1),
        (1, "assemble", "2026-05-09", "09:00", "13:00", 2)]
    assert "Werkstatt" in ok(db_url, "shift", "list", "--pool", "workshop", "--task",
                             "assemble")
    assert "shift 3 of paint on 2026-05-07 cancelled" in ok(
        db_url, "shift", "cancel", "--pool", "workshop", "3")
    assert "cancelled already" in refused(db_url, "shift", "cancel", "--pool", "workshop", "3")
    listed = json.loads(ok(db_url, "shift", "list", "--pool", "workshop", "--json"))
    assert [s["cancelled"] for s in listed] == [False, True, False, False]


@pytest.mark.parametrize(("args", "message"), [
    (["add", "assemble", "--date", "2026-02-30", "--start", "9:00", "--end", "12:00"],
     "error: --date: must be a date such as 2026-05-09, got '2026-02-30'"),
    (["add", "assemble", "--date", "2026-05-09", "--start", "9", "--end", "12:00"],
     "error: --start: must be a time of day such as 09:00, got '9'"),
    (["add", "assemble", "--date", "2026-05-09", "--start", "9:00", "--end", "9:00"],
     "error: end: must differ from start"),
    (["add", "assemble", "--date", "2026-05-09", "--start", "9:00", "--end", "12:00",
      "--slots", "0"], "error: slots: must be a whole number from 1 to 100, got 0"),
    (["add", "weld", "--date", "2026-05-09", "--start", "9:00", "--end", "12:00"],
     "error: no task 'weld' in pool 'workshop'"),
    (["repeat", "paint", "--every", "month", "--from", "2026-05-06", "--until", "2026-05-08",
      "--start", "17:00", "--end", "20:00"], "error: every: must be 'day' or 'week'"),
    (["repeat", "paint", "--every", "week", "--from", "2026-05-06", "--until", "2026-05-08",
      "--start", "17:00", "--end", "20:00", "--on", "someday"], "error: --on: must name"),
    (["cancel", "99"], "error: no shift 99 in pool 'workshop'"),
])
def test_bad_input_is_one_line_and_stores_nothing(db_url: str, args: list[str],
                                                  message: str) -> None:
    imported(db_url)
    command, *rest = args
    assert refused(db_url, "shift", command, "--pool", "workshop", *rest).startswith(message)
    assert json.loads(ok(db_url, "shift", "list", "--pool", "workshop", "--json")) == []
