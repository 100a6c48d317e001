"""``examples/farm_week.sh``: the farm's real week set up with the command line alone. Every
``peerconomy`` line of the script runs here as written (its variables filled in), then the
coordinator clears period 1: the period is dated a week from Monday and closes on Friday at
18:00 in Berlin, the members are placed on the milking, harvest and weeding shifts of that
week, and the pick-up lists give each member their goods at the point they chose; on SQLite
and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from cli_commands import ok
from peerconomy.services import shifts, views
from peerconomy.store.sql import open_store

REPOSITORY = Path(__file__).resolve().parents[2]
SCRIPT = REPOSITORY / "examples" / "farm_week.sh"
MONDAY = date(2027, 5, 3)
SEASON_END = date(2027, 10, 31)  # 26 weeks, the last day included
POINTS = {"ana": "hofladen", "ben": "nord", "chiara": "hofladen", "dario": "hofladen",
          "emil": "nord", "fatima": "nord", "greta": "hofladen", "hugo": "nord"}
SHIFT_LENGTH = {"milking": 1.5, "harvest": 4.0, "weeding": 2.0}


def script_commands(db: str) -> list[list[str]]:
    """The script's ``peerconomy`` commands, continuation lines joined, its variables filled
    in, ``--db`` last (as :func:`cli_commands.ok` adds it) and the program's name dropped."""
    text = SCRIPT.read_text(encoding="utf-8").replace("\\\n", " ")
    values = {"DB": db, "MONDAY": MONDAY.isoformat(), "SEASON_END": SEASON_END.isoformat()}
    commands = []
    for line in text.splitlines():
        if not line.startswith("peerconomy "):
            continue
        line = re.sub(r"\$(\w+)", lambda found: values[found.group(1)], line)
        words = shlex.split(line)[1:]
        at = words.index("--db")
        assert words[at + 1] == db, "each command names the script's database"
        commands.append(words[:at] + words[at + 2:])
    return commands


@pytest.fixture
def farm_week(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(REPOSITORY)  # the script runs from the repository's root ...
    commands = script_commands(db_url)
    assert len(commands) == 15
    for words in commands:  # ... and writes the invitations beside it: here, to tmp_path
        words = [str(tmp_path / w) if w == "farm-invitations.csv" else w for w in words]
        ok(db_url, *words)
    return db_url


def test_the_script_names_its_dates_as_the_test_fills_them_in() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert 'MONDAY="${MONDAY:-' in text and "weeks=26, days=-1" in text
    assert (SEASON_END - MONDAY).days == 26 * 7 - 1


def test_the_farm_s_week_dated_on_shifts_and_by_pick_up_point(farm_week: str) -> None:
    """Period 1 runs a week from Monday and closes on Friday at 18:00 in Berlin; the season
    has its shifts; clearing places each member on the week's shifts (the hours that fit no
    shift reported beside them) and lists their goods at the point they chose."""
    shown = json.loads(ok(farm_week, "pool", "settings", "--pool", "farm", "--json"))
    assert shown["name"] == "Solawi am Hang"
    assert (shown["period_length"], shown["time_zone"], shown["auto_clear"]) == (
        "1 week", "Europe/Berlin", True)
    assert shown["period"] == {"number": 1, "state": "collecting", "starts_on": "2027-05-03",
                               "ends_on": "2027-05-09",
                               "collect_until": "2027-05-07T16:00:00+00:00"}  # 18:00 CEST

    listed = json.loads(ok(farm_week, "shift", "list", "--pool", "farm", "--json"))
    assert Counter(s["task"] for s in listed) == {"milking": 182, "harvest": 26, "weeding": 52}
    first = {s["task"]: s for s in reversed(listed)}  # each task's first shift
    assert {t: (s["date"], s["start"], s["end"], s["place"], s["slots"])
            for t, s in first.items()} == {
        "milking": ("2027-05-03", "05:30", "07:00", "Stall", 2),
        "harvest": ("2027-05-08", "08:00", "12:00", "Gemüseacker", 4),  # a Saturday
        "weeding": ("2027-05-04", "17:00", "19:00", "Gemüseacker", 3),  # a Tuesday
    }
    assert max(s["date"] for s in listed) == "2027-10-31"
    table = ok(farm_week, "shift", "list", "--pool", "farm", "--task", "milking")
    assert "shifts of Solawi am Hang" in table and "Melken" in table and "milking" not in table

    ok(farm_week, "period", "clear", "--pool", "farm")
    store = open_store(farm_week)
    try:
        assigned: Counter[tuple[str, str]] = Counter()
        for a in views.assignments(store.unit_of_work(), "farm", 1):
            assigned[a.participant, a.task] += a.hours
        placed: Counter[tuple[str, str]] = Counter()
        reported: dict[tuple[str, str], tuple[float, float]] = {}
        for who in POINTS:
            mine = shifts.my_shifts(store.unit_of_work(), "farm", who)
            for held in mine.shifts:
                s = held.shift
                assert MONDAY <= s.day <= date(2027, 5, 9), "only period 1's week"
                placed[who, s.task] += (s.end.hour - s.start.hour) + (
                    s.end.minute - s.start.minute) / 60
            reported |= {(h.participant, h.task): (h.assigned, h.placed) for h in mine.hours}
        plan = views.plan(store.unit_of_work(), "farm", 1)
        assert plan is not None
        allocated: Counter[tuple[str, str]] = Counter()
        for a in plan.data.allocations:
            allocated[a.participant, a.good] += a.quantity
    finally:
        store.close()
    on_shifts = {k: h for k, h in assigned.items() if k[1] in SHIFT_LENGTH}
    assert set(reported) == set(on_shifts)
    for (who, task), hours in on_shifts.items():
        assert reported[who, task] == (hours, placed[who, task])
        # whole shifts, never more than half a shift beyond the assignment; short only where
        # the week has no more shifts for them (two weeding evenings: 4 hours at most)
        assert placed[who, task] <= hours + SHIFT_LENGTH[task] / 2
        if task == "weeding" and hours > 4:
            assert placed[who, task] == 4
        else:
            assert placed[who, task] >= hours - SHIFT_LENGTH[task] / 2, (who, task)
    assert placed[("chiara", "weeding")] == 4 < assigned[("chiara", "weeding")]

    rows = list(csv.DictReader(io.StringIO(
        ok(farm_week, "period", "distribution", "--pool", "farm", "--csv"))))
    listed_goods: Counter[tuple[str, str]] = Counter()
    for row in rows:
        assert row["pickup_point"] == POINTS[row["participant"]], row
        listed_goods[row["participant"], row["good"]] += int(row["quantity"])
    assert listed_goods == allocated
    assert {r["pickup_point_name"] for r in rows} == {"Hofladen", "Stadtteilladen Nord"}
