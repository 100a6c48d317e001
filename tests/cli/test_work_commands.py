"""``peerconomy work log --shift|list|withdraw`` on SQLite and PostgreSQL: the workshop's week
began three days ago (it is a dated period in UTC); ana was placed on the assembly shifts of
the day before yesterday (ended) and of the day after tomorrow. She logs the ended one by its
id, ben confirms after reading it in the list with its date, time, place and note; a log
that awaits confirmation is withdrawn. Bad input is one line and exit code 2, storing
nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest

from cli_commands import WORKSHOP, ok, refused
from peerconomy.domain.schedule import PeriodLength
from peerconomy.domain.shifts import Shift
from peerconomy.services import pools, shifts
from peerconomy.store.sql import open_store

TODAY = datetime.now(UTC).date()
DONE, AHEAD = TODAY - timedelta(days=2), TODAY + timedelta(days=2)


@pytest.fixture
def placed(db_url: str) -> str:
    """The workshop's dated week cleared: ana on shift 1 (ended) and shift 2 (ahead)."""
    ok(db_url, "pool", "import", str(WORKSHOP), "--pool", "workshop", "--coordinator", "ana")
    with open_store(db_url) as store:
        pools.update_settings(store.unit_of_work(), "workshop",
                              period_length=PeriodLength(1, "weeks"), time_zone="UTC",
                              starts_on=TODAY - timedelta(days=3), actor="ana")
        for day in (DONE, AHEAD):
            shifts.add_shift(store.unit_of_work(), "workshop",
                             Shift("assemble", day, time(9), time(13), "Werkstatt", 2))
    ok(db_url, "period", "clear", "--pool", "workshop")
    return db_url


def listed(db: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(ok(db, "work", "list", "--pool", "workshop",
                                                  "--json"))
    return rows


def test_a_shift_is_logged_by_its_id_and_read_whole_before_confirming(placed: str) -> None:
    out = ok(placed, "work", "log", "--pool", "workshop", "--participant", "ana", "--shift",
             "1", "--note", "Wheels trued")
    assert f"work log 1: ana 4 h on assemble on {DONE}, shift 1 (pending)" in out
    (row,) = listed(placed)
    assert {k: row[k] for k in ("participant", "task_name", "worked_on", "shift_at", "hours",
                                "note", "status", "beyond_assignment")} == {
        "participant": "ana", "task_name": "assemble", "worked_on": DONE.isoformat(),
        "shift_at": f"{DONE} 09:00-13:00 Werkstatt", "hours": 4.0, "note": "Wheels trued",
        "status": "pending", "beyond_assignment": 0.0}
    table = ok(placed, "work", "list", "--pool", "workshop", "--status", "pending")
    assert "09:00-13:00" in table and "Werkstatt" in table and "Wheels" in table
    ok(placed, "work", "confirm", "--pool", "workshop", "--log", "1", "--by", "ben")
    assert [r["status"] for r in listed(placed)] == ["confirmed"]
    assert "is confirmed: only work that awaits confirmation may be withdrawn" in refused(
        placed, "work", "withdraw", "--pool", "workshop", "--log", "1", "--by", "ana")


def test_a_pending_log_is_withdrawn_by_its_worker(placed: str) -> None:
    ok(placed, "work", "log", "--pool", "workshop", "--participant", "ben", "--task",
       "paint", "--hours", "1.5", "--date", DONE.isoformat())
    assert "only 'ben' may withdraw their work; 'ana' may not" in refused(
        placed, "work", "withdraw", "--pool", "workshop", "--log", "1", "--by", "ana")
    assert "work log 1 withdrawn: ben 1.5 h on paint" in ok(
        placed, "work", "withdraw", "--pool", "workshop", "--log", "1", "--by", "ben")
    assert listed(placed) == []


@pytest.mark.parametrize(("args", "message"), [
    (["--shift", "2"], "error: shift 2 ends at "),
    (["--shift", "9"], "error: shift: must be a shift 'ana' was placed on in period 1,"
                       " got 9"),
    (["--shift", "1", "--task", "paint"], "error: task: must be the shift's task"
                                          " 'assemble' or left out, got 'paint'"),
    (["--shift", "1", "--confirmed-by", "ben"], "error: --confirmed-by: must be left out"),
    (["--shift", "1", "--hours", "nan"], "error: hours: must be a finite number > 0,"
                                         " got nan"),
    (["--task", "assemble", "--hours", "2", "--date", AHEAD.isoformat()],
     f"error: worked_on: must be today ({TODAY}) or earlier, got {AHEAD}"),
    (["--task", "assemble", "--hours", "2", "--date", "2026-02-30"],
     "error: --date: must be a date such as 2026-05-09, got '2026-02-30'"),
    (["--task", "assemble", "--hours", "2", "--note", "done\x1b[31m"],
     "error: note: holds a control character (0x001b)"),
    (["--task", "assemble"], "error: --hours: must say the hours worked"),
    (["--hours", "2"], "error: --task: must name the task worked on"),
])
def test_bad_work_is_one_line_and_stores_nothing(placed: str, args: list[str],
                                                 message: str) -> None:
    said = refused(placed, "work", "log", "--pool", "workshop", "--participant", "ana", *args)
    assert said.startswith(message), said
    assert listed(placed) == []


def test_a_bad_status_or_an_unknown_log_is_one_line(placed: str) -> None:
    assert refused(placed, "work", "list", "--pool", "workshop", "--status", "done") == (
        "error: --status: must be pending, confirmed or rejected, got 'done'\n")
    assert refused(placed, "work", "withdraw", "--pool", "workshop", "--log", "7", "--by",
                   "ana") == "error: no work log 7 in pool 'workshop'\n"
