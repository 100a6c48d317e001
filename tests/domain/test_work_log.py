"""What a work log says of the work, on the farm: the day it was done (from the period's
first day, or a year back, to today), its note (plain text, lines allowed), what a log from
a shift takes from it (once it has ended; the night the clocks go forward, 22:00 to 06:00
lasts 7 hours), and the hours logged beyond an assignment (shown, never credited)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerconomy.domain.pool import Assignment, WorkLog
from peerconomy.domain.refusal import ConflictError, InputError
from peerconomy.domain.schedule import zone
from peerconomy.domain.shifts import Shift
from peerconomy.domain.work import beyond_assignment, credited_hours, may_withdraw
from peerconomy.domain.work_log import check_note, check_worked_on, from_shift, today_in

BERLIN = zone("Europe/Berlin")
SATURDAY = date(2026, 5, 9)
WEEK_BEGINS = date(2026, 5, 4)
NOW = datetime(2026, 5, 9, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("day", [SATURDAY, WEEK_BEGINS, date(2026, 5, 6)])
def test_a_day_of_the_period_up_to_today_is_taken(day: date) -> None:
    assert check_worked_on(day, today=SATURDAY, starts_on=WEEK_BEGINS) == day


@pytest.mark.parametrize(("day", "starts_on", "reason"), [
    (SATURDAY + timedelta(days=1), WEEK_BEGINS,
     "worked_on: must be today (2026-05-09) or earlier, got 2026-05-10"),
    (WEEK_BEGINS - timedelta(days=1), WEEK_BEGINS,
     "worked_on: must be on or after 2026-05-04 (the period's first day), got 2026-05-03"),
    (date(2025, 5, 7), None,
     "worked_on: must be on or after 2025-05-08 (366 days ago), got 2025-05-07"),
    (datetime(2026, 5, 8, 9, 0), None, "worked_on: must be a date such as 2026-05-09"),
    ("2026-05-08", None, "worked_on: must be a date such as 2026-05-09, got '2026-05-08'"),
])
def test_a_day_in_the_future_before_the_period_or_no_day_is_refused(
        day: object, starts_on: date | None, reason: str) -> None:
    with pytest.raises(InputError, match=re.escape(reason)):
        check_worked_on(day, today=SATURDAY, starts_on=starts_on)


def test_an_undated_periods_logs_go_back_a_year_and_the_calendar_holds() -> None:
    assert check_worked_on(date(2025, 5, 8), today=SATURDAY, starts_on=None) == date(
        2025, 5, 8)
    assert check_worked_on(date.min, today=date(1, 1, 2), starts_on=None) == date.min


def test_today_is_the_pools_day() -> None:
    late = datetime(2026, 5, 9, 22, 30, tzinfo=UTC)
    assert today_in(BERLIN, late) == date(2026, 5, 10)
    assert today_in(zone("UTC"), late) == SATURDAY


def test_a_note_is_trimmed_and_keeps_its_lines() -> None:
    assert check_note("  Beans, row 4\n\tand 5  ") == "Beans, row 4\n\tand 5"
    assert check_note("") == ""


@pytest.mark.parametrize(("note", "reason"), [
    ("done\x00", "note: holds a NUL character"),
    ("done\x1b[31m", "note: holds a control character (0x001b)"),
    ("\u202eenod", "note: holds a character that reorders text (0x202e)"),
    ("\ud800", "note: holds a lone surrogate"),
    ("x" * 1001, "note: must be at most 1000 characters, got 1001"),
    (3, "note: must be a string, got 3"),
])
def test_a_note_that_is_not_plain_text_is_refused(note: object, reason: str) -> None:
    with pytest.raises(InputError, match=re.escape(reason)):
        check_note(note)


def test_a_shift_gives_its_task_day_and_real_length_once_ended() -> None:
    harvest = Shift("harvest", SATURDAY, time(9), time(12), "Feld 3", 4, id=3)
    done = from_shift(harvest, BERLIN, NOW)
    assert (done.shift, done.task, done.worked_on, done.hours) == (3, "harvest", SATURDAY,
                                                                   3.0)
    night = Shift("milking", date(2026, 3, 28), time(22), time(6), id=4)  # clocks go forward
    assert from_shift(night, BERLIN, NOW).hours == 7.0
    assert from_shift(night, BERLIN, NOW).worked_on == date(2026, 3, 28)


def test_a_shift_is_logged_only_once_it_has_ended_and_never_when_cancelled() -> None:
    harvest = Shift("harvest", SATURDAY, time(9), time(15), id=3)  # ends 13:00 UTC
    with pytest.raises(ConflictError, match="shift 3 ends at 2026-05-09 15:00"):
        from_shift(harvest, BERLIN, NOW)
    assert from_shift(harvest, BERLIN, NOW + timedelta(hours=1)).hours == 6.0
    with pytest.raises(ConflictError, match="shift 3 is cancelled"):
        from_shift(Shift("harvest", SATURDAY, time(9), time(12), cancelled=True, id=3),
                   BERLIN, NOW)


def _log(id: int, who: str, task: str, hours: float, status: str = "pending") -> WorkLog:
    return WorkLog(id, "farm", 1, who, task, hours, NOW, True, status)  # type: ignore[arg-type]


def test_hours_beyond_an_assignment_per_person_and_task() -> None:
    plan = [Assignment("ana", "harvest", 4.0, 1.0), Assignment("ben", "harvest", 2.0, 1.0)]
    logs = [_log(1, "ana", "harvest", 3.0, "confirmed"), _log(2, "ana", "harvest", 2.5),
            _log(3, "ben", "harvest", 2.0), _log(4, "ben", "harvest", 9.0, "rejected"),
            _log(5, "ben", "weed", 5.0)]  # no assignment on the weeding: a coordinator's
    assert beyond_assignment(plan, logs) == {("ana", "harvest"): 1.5}


def test_only_the_worker_or_who_logged_it_withdraws_and_only_while_pending() -> None:
    log = _log(1, "ana", "harvest", 3.0)
    assert may_withdraw(log, "ana") and not may_withdraw(log, "ben")
    logged_for = WorkLog(2, "farm", 1, "ana", "harvest", 3.0, NOW, True, logged_by="cleo")
    assert may_withdraw(logged_for, "cleo")
    assert not may_withdraw(_log(3, "ana", "harvest", 3.0, "confirmed"), "ana")


@given(assigned=st.floats(0.25, 40), hours=st.lists(st.floats(0.25, 12), max_size=6),
       statuses=st.lists(st.sampled_from(["pending", "confirmed", "rejected"]), min_size=6,
                         max_size=6))
def test_beyond_and_credited_hours_together_are_the_hours_logged(
        assigned: float, hours: list[float], statuses: list[str]) -> None:
    """Confirmed, what earns credit and what is beyond the assignment add up to what was
    logged: the excess is shown, never credited."""
    plan = [Assignment("ana", "harvest", assigned, 1.0)]
    logs = [_log(i + 1, "ana", "harvest", h, statuses[i]) for i, h in enumerate(hours)]
    kept = sum(log.hours for log in logs if log.status != "rejected")
    beyond = beyond_assignment(plan, logs).get(("ana", "harvest"), 0.0)
    assert beyond == pytest.approx(max(kept - assigned, 0.0), abs=1e-6)
    confirmed_only = [log for log in logs if log.status == "confirmed"]
    credited = credited_hours(plan, {}, confirmed_only)[0].get(("ana", "harvest"), 0.0)
    assert credited <= assigned + 1e-9
    if all(log.status == "confirmed" for log in logs if log.status != "rejected"):
        assert credited + beyond == pytest.approx(kept, abs=1e-6)
