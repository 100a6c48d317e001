"""``peerconomy shift mine|open|take|hand-back|swap|follow`` on SQLite and PostgreSQL: the
workshop's dated week (UTC) began three days ago and is cleared. Assembly ("Montage", two
places) is on the day before yesterday (shift 1, begun), tomorrow (2) and the day after (3);
painting ("Lackieren", one place) tomorrow (4), the day after (5) and the day after that (6).
Ana is placed on 1 and 3, Ben on 1, 2 and 5, Chiara on 4, Dario on none. Ben hands back
tomorrow's assembly and Dario takes it; Ben swaps his painting with Chiara's; Ana follows
the workshop. After each step every member's shifts are pinned; tables and messages name
tasks, the project and members as people read them. Bad input is one line naming the field
and exit code 2, and changes nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from cli_commands import WORKSHOP, ok, refused
from peerconomy.domain.schedule import PeriodLength
from peerconomy.domain.shifts import Shift
from peerconomy.services import labels, pools, shifts
from peerconomy.store.sql import open_store

TODAY = datetime.now(UTC).date()
BEGUN = TODAY - timedelta(days=2)
NAMES = {"ana": "Ana Kovač", "ben": "Ben Braun", "chiara": "Chiara", "dario": "Dario"}
PLACED = {"ana": [1, 3], "ben": [1, 2, 5], "chiara": [4], "dario": []}


def _day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


@pytest.fixture
def week(db_url: str) -> str:
    """The workshop's week cleared, its tasks, project and members named."""
    ok(db_url, "pool", "import", str(WORKSHOP), "--pool", "workshop", "--coordinator", "ana")
    with open_store(db_url) as store:
        pools.update_settings(store.unit_of_work(), "workshop",
                              period_length=PeriodLength(1, "weeks"), time_zone="UTC",
                              starts_on=TODAY - timedelta(days=3), actor="ana")
        for offset in (-2, 1, 2):
            shifts.add_shift(store.unit_of_work(), "workshop", Shift(
                "assemble", TODAY + timedelta(days=offset), time(9), time(13), "Werkstatt", 2))
        for offset in (1, 2, 3):
            shifts.add_shift(store.unit_of_work(), "workshop", Shift(
                "paint", TODAY + timedelta(days=offset), time(17), time(20), "Lackierraum"))
        labels.name_task(store.unit_of_work(), "workshop", "assemble", name="Montage")
        labels.name_task(store.unit_of_work(), "workshop", "paint", name="Lackieren")
        labels.name_project(store.unit_of_work(), "workshop", "workshop",
                            name="Fahrradwerkstatt")
        with store.unit_of_work() as uow:
            for member in uow.pools.members("workshop"):
                uow.pools.put_member("workshop", replace(member,
                                                         display_name=NAMES[member.id]))
            uow.commit()
    ok(db_url, "period", "clear", "--pool", "workshop")
    assert held(db_url) == PLACED
    return db_url


def mine(db: str, member: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(ok(
        db, "shift", "mine", "--pool", "workshop", "--member", member, "--json"))
    return rows


def held(db: str) -> dict[str, list[int]]:
    """Each member's shifts, by id, as ``shift mine`` lists them; the store agrees."""
    found = {m: [int(str(r["id"])) for r in mine(db, m)] for m in NAMES}
    with open_store(db) as store, store.unit_of_work() as uow:
        placements = uow.shifts.placements("workshop", 1)
    assert found == {m: sorted(id for id, who in placements if who == m) for m in NAMES}
    return found


def open_slots(db: str) -> list[tuple[int, int]]:
    rows = json.loads(ok(db, "shift", "open", "--pool", "workshop", "--json"))
    return [(r["id"], r["free"]) for r in rows]


def shift(db: str, *args: str) -> str:
    return ok(db, "shift", *args, "--pool", "workshop")


def test_a_members_shifts_and_the_open_slots_are_listed_by_the_names_people_read(
        week: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")  # each table on one line a row
    table = shift(week, "mine", "--member", "ben")
    assert "shifts of Ben Braun in workshop" in table
    rows = [line for line in table.splitlines() if "Werkstatt" in line or "Lackier" in line]
    assert [(r.split()[1], r.split()[5], r.split()[7]) for r in rows] == [
        ("1", "Montage", BEGUN.isoformat()), ("2", "Montage", _day(1)),
        ("5", "Lackieren", _day(2))]
    assert "assemble" not in table and "paint" not in table
    assert mine(week, "ana")[1] == {
        "period": 1, "id": 3, "task": "assemble", "task_name": "Montage", "date": _day(2),
        "start": "09:00", "end": "13:00", "place": "Werkstatt", "note": ""}
    assert open_slots(week) == [(2, 1), (3, 1), (6, 1)]  # shift 1 is full and begun
    listed = shift(week, "open")
    rows = [line for line in listed.splitlines() if "Werkstatt" in line or "Lackier" in line]
    assert [(r.split()[1], r.split()[3], r.split()[5], r.split()[13]) for r in rows] == [
        ("2", "Montage", "Fahrradwerkstatt", "1"), ("3", "Montage", "Fahrradwerkstatt", "1"),
        ("6", "Lackieren", "Fahrradwerkstatt", "1")]
    assert listed.count("workshop") == 1 and "paint" not in listed  # the pool, in the title
    assert json.loads(shift(week, "open", "--project", "workshop", "--json"))[2] == {
        "id": 6, "task": "paint", "task_name": "Lackieren", "date": _day(3),
        "start": "17:00", "end": "20:00", "place": "Lackierraum", "note": "", "period": 1,
        "project": "workshop", "project_name": "Fahrradwerkstatt", "free": 1}
    assert json.loads(shift(week, "open", "--project", "elsewhere", "--json")) == []


def test_a_shift_handed_back_is_an_open_slot_another_member_takes(week: str) -> None:
    assert (f"✓ Ben Braun handed back shift 2, Montage on {_day(1)}, 09:00-13:00 at"
            " Werkstatt: an open slot now") in " ".join(
        shift(week, "hand-back", "--member", "ben", "2").split())
    assert held(week) == {**PLACED, "ben": [1, 5]}
    assert open_slots(week) == [(2, 2), (3, 1), (6, 1)]

    assert f"✓ Dario is on shift 2, Montage on {_day(1)}" in shift(
        week, "take", "--member", "dario", "2")
    assert held(week) == {**PLACED, "ben": [1, 5], "dario": [2]}
    shift(week, "take", "--member", "ana", "6")
    assert held(week) == {"ana": [1, 3, 6], "ben": [1, 5], "chiara": [4], "dario": [2]}
    assert open_slots(week) == [(2, 1), (3, 1)]

    assert refused(week, "shift", "take", "--pool", "workshop", "--member", "dario",
                   "2") == f"error: 'dario' is on shift 2 (assemble on {_day(1)}) already\n"
    assert refused(week, "shift", "hand-back", "--pool", "workshop", "--member", "ben",
                   "1") == (f"error: shift 1 (assemble on {BEGUN.isoformat()}) has begun:"
                            " it cannot be handed back\n")
    assert held(week) == {"ana": [1, 3, 6], "ben": [1, 5], "chiara": [4], "dario": [2]}


def test_a_swap_accepted_exchanges_the_shifts_declined_or_withdrawn_changes_nothing(
        week: str) -> None:
    proposed = " ".join(shift(week, "swap", "propose", "--member", "ben", "5", "--to",
                              "chiara", "--their-shift", "4").split())
    assert proposed == (f"✓ swap 1 proposed to Chiara: shift 5, Lackieren on {_day(2)},"
                        f" 17:00-20:00 at Lackierraum for shift 4, Lackieren on {_day(1)},"
                        " 17:00-20:00 at Lackierraum")
    assert held(week) == PLACED  # nothing moves before Chiara accepts
    waiting = json.loads(shift(week, "swap", "list", "--member", "chiara", "--json"))
    assert [(s["id"], s["proposer_name"], s["shift"]["id"], s["their_shift"]["id"])
            for s in waiting["incoming"]] == [(1, "Ben Braun", 5, 4)]
    assert waiting["outgoing"] == []
    table = shift(week, "swap", "list", "--member", "ben")
    assert "Ben Braun" in table and "Chiara" in table and "Lackieren" in table
    assert "proposed" in table and "paint" not in table

    assert "✓ swap 1 accepted by Chiara" in shift(week, "swap", "accept", "--member",
                                                  "chiara", "1")
    assert held(week) == {**PLACED, "ben": [1, 2, 4], "chiara": [5]}
    assert json.loads(shift(week, "swap", "list", "--member", "chiara", "--json")) == {
        "incoming": [], "outgoing": []}

    shift(week, "swap", "propose", "--member", "ben", "4", "--to", "dario")
    assert "✓ swap 2 declined by Dario: shift 4, Lackieren" in shift(
        week, "swap", "decline", "--member", "dario", "2")
    shift(week, "swap", "propose", "--member", "ben", "4", "--to", "ana")
    assert "✓ swap 3 withdrawn by Ben Braun" in shift(week, "swap", "withdraw", "--member",
                                                      "ben", "3")
    assert held(week) == {**PLACED, "ben": [1, 2, 4], "chiara": [5]}

    assert refused(week, "shift", "swap", "accept", "--pool", "workshop", "--member",
                   "chiara", "1") == "error: swap 1 is accepted already\n"
    shift(week, "swap", "propose", "--member", "ben", "4", "--to", "dario")
    assert "✓ swap 4 accepted by Dario: shift 4, Lackieren" in shift(
        week, "swap", "accept", "--member", "dario", "4")
    assert held(week) == {"ana": [1, 3], "ben": [1, 2], "chiara": [5], "dario": [4]}


def test_a_member_follows_a_project_and_stops(week: str) -> None:
    assert shift(week, "following", "--member", "ana").strip() == "Ana Kovač follows no project"
    assert ("✓ Ana Kovač follows Fahrradwerkstatt: told of its new open slots" in
            " ".join(shift(week, "follow", "--member", "ana", "workshop").split()))
    assert json.loads(shift(week, "following", "--member", "ana", "--json")) == [
        {"id": "workshop", "name": "Fahrradwerkstatt"}]
    assert json.loads(shift(week, "following", "--member", "ben", "--json")) == []
    assert "✓ Ana Kovač no longer follows Fahrradwerkstatt" in shift(
        week, "unfollow", "--member", "ana", "workshop")
    assert json.loads(shift(week, "following", "--member", "ana", "--json")) == []


@pytest.mark.parametrize(("args", "message"), [
    (["take", "--member", "dario", "99"], "error: no shift 99 in pool 'workshop'"),
    (["take", "--member", "zoe", "2"], "error: no participant 'zoe' in pool 'workshop'"),
    (["take", "--member", "dario", "1"], "error: shift 1 (assemble on {begun}) has begun"),
    (["take", "--member", "a\x00b", "2"], "error: --member: holds a NUL character"),
    (["hand-back", "--member", "ben", "4"], "error: no shift of yours 4 in pool 'workshop'"),
    (["swap", "propose", "--member", "ben", "5", "--to", "ben"],
     "error: to: must be another member of the pool, got 'ben'"),
    (["swap", "propose", "--member", "ben", "5", "--to", "chiara", "--their-shift", "2"],
     "error: their_shift: must be a shift 'chiara' is placed on in period 1, got 2"),
    (["swap", "propose", "--member", "ben", "2", "--to", "chiara", "--their-shift", "4"],
     "error: their_shift: must be a shift of task 'assemble' (a swap keeps the tasks)"),
    (["swap", "propose", "--member", "ben", "1", "--to", "dario"],
     "error: shift 1 (assemble on {begun}) has begun: it cannot be swapped"),
    (["swap", "propose", "--member", "ben", "5", "--to", "a\udcffb"],
     "error: --to: holds a lone surrogate"),
    (["swap", "accept", "--member", "ben", "1"],
     "error: no swap proposal to answer 1 in pool 'workshop'"),
    (["follow", "--member", "ana", "nope"], "error: no project 'nope' in pool 'workshop'"),
    (["follow", "--member", "zoe", "workshop"],
     "error: no participant 'zoe' in pool 'workshop'"),
])
def test_bad_input_is_one_line_naming_the_field_and_changes_nothing(
        week: str, args: list[str], message: str) -> None:
    said = refused(week, "shift", *args, "--pool", "workshop")
    assert said.startswith(message.format(begun=BEGUN.isoformat())), said
    with open_store(week) as store, store.unit_of_work() as uow:
        assert sorted(uow.shifts.placements("workshop", 1)) == sorted(
            (id, who) for who, ids in PLACED.items() for id in ids)
        assert uow.shifts.swaps("workshop") == []
        assert [uow.shifts.followed("workshop", m) for m in NAMES] == [[], [], [], []]


def test_a_shift_or_swap_that_is_no_number_is_refused_with_exit_code_2(week: str) -> None:
    said = refused(week, "shift", "take", "--pool", "workshop", "--member", "dario", "0")
    assert said == ("error: SHIFT: 0 is not in the range 1<=x<=2147483647"
                    " (see peerconomy shift take --help)\n")
    assert held(week) == PLACED
