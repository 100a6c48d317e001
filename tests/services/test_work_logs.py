"""Logging what was done in the workshop's week from Monday 4 May 2026 (Berlin): the clearing
placed ana on the assembly shifts of Saturday and Sunday (1, 2; 9:00 to 13:00), ben on both
too and on Thursday's painting (4; 17:00 to 20:00), chiara on Wednesday's painting (3).

A member logs a shift once it has ended, in one step, its day and hours filled in; a log
carries a day and a note, which those who confirm it see with the shift's time and place;
the worker withdraws a log while it awaits confirmation; hours beyond an assignment are
shown as such and still earn nothing."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from test_shift_services import MONDAY, SATURDAY, SUNDAY, weekend, weekly

from peerconomy.domain.refusal import ConflictError, InputError, NotAllowedError, NotFoundError
from peerconomy.services import logged_work, overview, periods, work
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

CLEARED_AT = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
SATURDAY_AFTERNOON = datetime(2026, 5, 9, 12, 0, tzinfo=UTC)  # 14:00 in Berlin
NEXT_MONDAY = datetime(2026, 5, 11, 7, 0, tzinfo=UTC)


@pytest.fixture
def week(store: MemoryStore, uow: MemoryUnitOfWork) -> MemoryStore:
    """The workshop's dated week, its shifts added and its plan cleared and placed."""
    weekly(store)
    weekend(store)
    periods.clear_period(store.unit_of_work(), "workshop", now=CLEARED_AT)
    return store


def audit_actions(store: MemoryStore) -> list[str]:
    with store.unit_of_work() as reading:
        return [e.action for e in reading.audit.entries("workshop", limit=100)]


def test_an_ended_shift_is_logged_in_one_step_with_its_day_and_hours(week: MemoryStore) -> None:
    to_log = logged_work.shifts_to_log(week.unit_of_work(), "workshop", "ana",
                                       SATURDAY_AFTERNOON)
    assert [(s.shift.id, s.task_name, s.hours) for s in to_log] == [(1, "assemble", 4.0)]
    log = work.log_shift(week.unit_of_work(), "workshop", "ana", 1, now=SATURDAY_AFTERNOON,
                         actor="ana")
    assert (log.participant, log.task, log.hours, log.worked_on, log.shift, log.status) == (
        "ana", "assemble", 4.0, SATURDAY, 1, "pending")
    assert log.note == "" and log.logged_at == SATURDAY_AFTERNOON
    assert audit_actions(week)[0] == "work.log"
    assert logged_work.shifts_to_log(week.unit_of_work(), "workshop", "ana",
                                     SATURDAY_AFTERNOON) == []


def test_a_shift_not_yet_ended_is_refused_and_nothing_is_logged(week: MemoryStore) -> None:
    with pytest.raises(ConflictError, match=re.escape(
            "shift 2 ends at 2026-05-10 13:00: log it once it has ended")):
        work.log_shift(week.unit_of_work(), "workshop", "ana", 2, now=SATURDAY_AFTERNOON)
    still_on = SATURDAY_AFTERNOON - timedelta(hours=1, minutes=30)  # 12:30 in Berlin
    with pytest.raises(ConflictError, match="shift 1 ends at 2026-05-09 13:00"):
        work.log_shift(week.unit_of_work(), "workshop", "ana", 1, now=still_on)
    assert logged_work.logged_work(week.unit_of_work(), "workshop") == []


def test_a_shift_is_logged_once_per_person(week: MemoryStore) -> None:
    first = work.log_shift(week.unit_of_work(), "workshop", "ben", 1, now=NEXT_MONDAY)
    with pytest.raises(ConflictError, match=f"shift 1 is logged already, as work log"
                                            f" {first.id} \\(pending\\)"):
        work.log_shift(week.unit_of_work(), "workshop", "ben", 1, hours=2, now=NEXT_MONDAY)
    other = work.log_shift(week.unit_of_work(), "workshop", "ana", 1, now=NEXT_MONDAY)
    assert [line.log.id for line in logged_work.logged_work(week.unit_of_work(), "workshop")
            ] == [first.id, other.id]


def test_only_a_shift_one_was_placed_on_is_logged_from_it(week: MemoryStore) -> None:
    for shift in (3, 99):  # chiara's painting, and no shift at all
        with pytest.raises(InputError, match=re.escape(
                f"shift: must be a shift 'ana' was placed on in period 1, got {shift}")):
            work.log_shift(week.unit_of_work(), "workshop", "ana", shift, now=NEXT_MONDAY)
    assert logged_work.logged_work(week.unit_of_work(), "workshop") == []


def test_the_hours_of_a_shift_may_be_changed_and_a_note_added(week: MemoryStore) -> None:
    log = work.log_shift(week.unit_of_work(), "workshop", "ben", 4, hours=2.5,
                         note="  Primer only;\nthe second coat on Friday  ", now=NEXT_MONDAY)
    assert (log.task, log.hours, log.worked_on) == ("paint", 2.5, date(2026, 5, 7))
    assert log.note == "Primer only;\nthe second coat on Friday"
    for bad, reason in ((float("nan"), "hours: must be a finite number > 0, got nan"),
                        (0, "hours: must be a finite number > 0, got 0")):
        with pytest.raises(InputError, match=re.escape(reason)):
            work.log_shift(week.unit_of_work(), "workshop", "ben", 1, hours=bad,
                           now=NEXT_MONDAY)


def test_a_log_by_hand_is_dated_today_in_the_pools_time_zone(week: MemoryStore) -> None:
    late = datetime(2026, 5, 9, 22, 30, tzinfo=UTC)  # already Sunday 00:30 in Berlin
    log = work.log_work(week.unit_of_work(), "workshop", "chiara", "paint", 1.5, now=late)
    assert (log.worked_on, log.shift, log.note) == (SUNDAY, None, "")
    named = work.log_work(week.unit_of_work(), "workshop", "chiara", "paint", 1,
                          worked_on=MONDAY, note="Sanded the frames", now=late)
    assert (named.worked_on, named.note) == (MONDAY, "Sanded the frames")


@pytest.mark.parametrize("day, reason", [
    (date(2026, 5, 11), "worked_on: must be today (2026-05-10) or earlier, got 2026-05-11"),
    (date(2026, 5, 3),
     "worked_on: must be on or after 2026-05-04 (the period's first day), got 2026-05-03"),
])
def test_a_day_in_the_future_or_before_the_period_is_refused(
        week: MemoryStore, day: date, reason: str) -> None:
    late = datetime(2026, 5, 9, 22, 30, tzinfo=UTC)
    with pytest.raises(InputError, match=re.escape(reason)):
        work.log_work(week.unit_of_work(), "workshop", "chiara", "paint", 1, worked_on=day,
                      now=late)
    assert logged_work.logged_work(week.unit_of_work(), "workshop") == []


def test_an_undated_periods_logs_go_back_a_year(store: MemoryStore,
                                                uow: MemoryUnitOfWork) -> None:
    periods.clear_period(store.unit_of_work(), "workshop", now=CLEARED_AT)
    year_ago = date(2025, 5, 4)  # 366 days before 5 May 2026
    log = work.log_work(store.unit_of_work(), "workshop", "ana", "assemble", 2,
                        worked_on=year_ago, now=CLEARED_AT)
    assert log.worked_on == year_ago
    with pytest.raises(InputError, match=re.escape(
            "worked_on: must be on or after 2025-05-04 (366 days ago), got 2025-05-03")):
        work.log_work(store.unit_of_work(), "workshop", "ana", "assemble", 2,
                      worked_on=date(2025, 5, 3), now=CLEARED_AT)


@pytest.mark.parametrize("note, reason", [
    ("Done\x00", "note: holds a NUL character"),
    ("\u202eenod", "note: holds a character that reorders text (0x202e)"),
    ("x" * 1001, "note: must be at most 1000 characters, got 1001"),
])
def test_a_note_that_is_not_plain_text_is_refused(week: MemoryStore, note: str,
                                                  reason: str) -> None:
    with pytest.raises(InputError, match=re.escape(reason)):
        work.log_shift(week.unit_of_work(), "workshop", "ana", 1, note=note, now=NEXT_MONDAY)
    with pytest.raises(InputError, match=re.escape(reason)):
        work.log_work(week.unit_of_work(), "workshop", "ana", "assemble", 1, note=note,
                      now=NEXT_MONDAY)
    assert logged_work.logged_work(week.unit_of_work(), "workshop") == []


def test_confirmers_see_the_shift_day_and_note_they_vouch_for(week: MemoryStore) -> None:
    log = work.log_shift(week.unit_of_work(), "workshop", "ben", 1,
                         note="Wheels trued on two bikes", now=NEXT_MONDAY)
    seen = overview.my_period(week.unit_of_work(), "workshop", "ana")  # a co-worker
    assert [pending.id for pending in seen.to_confirm] == [log.id]
    line = seen.lines[log.id]
    assert line.task_name == "assemble" and line.log.note == "Wheels trued on two bikes"
    assert line.shift is not None
    assert (line.shift.day, line.shift.start.isoformat("minutes"),
            line.shift.end.isoformat("minutes"), line.shift.place) == (
        SATURDAY, "09:00", "13:00", "Werkstatt")
    assert line.log.worked_on == SATURDAY and line.log.hours == 4.0


def test_hours_beyond_the_assignment_are_shown_and_earn_nothing(week: MemoryStore) -> None:
    # ben was assigned 6 h of assembly and placed on two 4-hour shifts
    logs = [work.log_shift(week.unit_of_work(), "workshop", "ben", s, now=NEXT_MONDAY)
            for s in (1, 2)]
    ben = overview.my_period(week.unit_of_work(), "workshop", "ben")
    assert ben.beyond_assignment == {"assemble": 2.0}
    assert [ben.lines[log.id].beyond for log in logs] == [2.0, 2.0]
    ana = overview.my_period(week.unit_of_work(), "workshop", "ana")
    assert ana.beyond_assignment == {}
    for log in logs:
        work.confirm_work(week.unit_of_work(), "workshop", log.id, "ana")
    ben = overview.my_period(week.unit_of_work(), "workshop", "ben")
    assert ben.credits == pytest.approx(6.0 * ben.assignments[0].weight)
    assert ben.beyond_assignment == {"assemble": 2.0}


def test_a_member_withdraws_their_own_pending_log(week: MemoryStore) -> None:
    log = work.log_shift(week.unit_of_work(), "workshop", "ben", 1, now=NEXT_MONDAY)
    withdrawn = work.withdraw_work(week.unit_of_work(), "workshop", log.id, "ben",
                                   now=NEXT_MONDAY)
    assert withdrawn == log
    assert logged_work.logged_work(week.unit_of_work(), "workshop") == []
    with week.unit_of_work() as reading:
        entry = reading.audit.entries("workshop", limit=1)[0]
    assert (entry.action, entry.actor, entry.subject) == ("work.withdraw", "ben", str(log.id))
    assert entry.detail["shift"] == 1 and entry.detail["worked_on"] == "2026-05-09"
    again = work.log_shift(week.unit_of_work(), "workshop", "ben", 1, now=NEXT_MONDAY)
    assert again.id > log.id  # ids are never given twice
    assert [s.shift.id for s in logged_work.shifts_to_log(
        week.unit_of_work(), "workshop", "ben", NEXT_MONDAY)] == [4, 2]


def test_confirmed_or_someone_elses_work_cannot_be_withdrawn(week: MemoryStore) -> None:
    log = work.log_shift(week.unit_of_work(), "workshop", "ben", 1, now=NEXT_MONDAY)
    with pytest.raises(NotAllowedError, match="only 'ben' may withdraw their work; 'ana'"):
        work.withdraw_work(week.unit_of_work(), "workshop", log.id, "ana")
    work.confirm_work(week.unit_of_work(), "workshop", log.id, "ana")
    with pytest.raises(ConflictError, match=f"work log {log.id} is confirmed: only work that"
                                            " awaits confirmation may be withdrawn"):
        work.withdraw_work(week.unit_of_work(), "workshop", log.id, "ben")
    with pytest.raises(NotFoundError, match="no work log 99 in pool 'workshop'"):
        work.withdraw_work(week.unit_of_work(), "workshop", 99, "ben")
    assert [line.log.status for line in logged_work.logged_work(
        week.unit_of_work(), "workshop")] == ["confirmed"]
    assert "work.withdraw" not in audit_actions(week)


def test_whoever_logged_work_for_a_member_may_withdraw_it(week: MemoryStore) -> None:
    log = work.log_work(week.unit_of_work(), "workshop", "ben", "paint", 2, logged_by="ana",
                        now=NEXT_MONDAY)
    work.withdraw_work(week.unit_of_work(), "workshop", log.id, "ana", now=NEXT_MONDAY)
    assert logged_work.logged_work(week.unit_of_work(), "workshop") == []
