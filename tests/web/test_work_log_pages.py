"""Logging what was done on the seaside's pages, the flats weekly from Monday 4 May 2026
(Berlin), ben placed on Saturday's garden shift (9:00 to 11:00, Hinterhof). On Saturday
noon his *My period* offers "Log it" for the shift; one tap logs it with its day and hours;
ana, confirming, reads the shift's time, place and ben's note; ben withdraws a log that
awaits confirmation; hours beyond his assignment are marked, in English and German."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from browsing import Browser, text_of
from fastapi import FastAPI

from fakes import Clock
from peerconomy.services import periods
from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]
DASH = "\u2013"
WEEKLY = {"admission": "approval", "max_weight": "5", "version": "1",
          "period_length": "1 week", "starts_on": "2026-05-04", "close_days": "2",
          "close_time": "18:00", "time_zone": "Europe/Berlin", "communal_validation": "on"}
GARDEN = {"date": "2026-05-09", "start": "09:00", "end": "11:00", "place": "Hinterhof",
          "slots": "1"}
ME = "/pools/seaside"


@pytest.fixture
def saturday(collected: People, store: MemoryStore, app: FastAPI,
             monkeypatch: pytest.MonkeyPatch) -> People:
    """The week cleared with ben on the garden shift; the clock at Saturday noon."""
    clock = Clock()
    clock.now = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(app.state, "clock", clock, raising=False)
    ana = collected["ana"]
    ana.submit(f"{ME}/settings", WEEKLY, form_on=f"{ME}/projects")
    ana.submit(f"{ME}/tasks/garden/shifts", GARDEN, form_on=f"{ME}/tasks")
    periods.clear_period(store.unit_of_work(), "seaside", now=clock.now)
    clock.now = datetime(2026, 5, 9, 10, 0, tzinfo=UTC)  # 12:00 in Berlin
    return collected


def test_a_shift_done_is_logged_with_one_tap(saturday: People, store: MemoryStore) -> None:
    ben = saturday["ben"]
    page = text_of(ben.page(ME))
    assert "Shifts done, not logged yet" in page
    assert f"Sat, May 9, 09:00{DASH}11:00: garden · Hinterhof — 2 h Log it" in page
    assert "Change the hours or add a note" in page
    ben.submit(f"{ME}/work", {"shift": "1"}, form_on=ME)
    with store.unit_of_work() as uow:
        (log,) = uow.periods.work_logs("seaside", 1)
    assert (log.participant, log.task, log.hours, log.shift) == ("ben", "garden", 2.0, 1)
    page = text_of(ben.page(ME))
    assert "Shifts done, not logged yet" not in page and "Log it" not in page
    assert (f"2 h on garden, Sat, May 9 (09:00{DASH}11:00, Hinterhof) — awaiting"
            " confirmation Withdraw") in page


def test_the_edit_path_changes_the_hours_and_adds_a_note_the_confirmer_reads(
        saturday: People) -> None:
    ana, ben = saturday["ana"], saturday["ben"]
    ben.submit(f"{ME}/work", {"shift": "1", "hours": "1,5",
                              "note": "Hedge cut;\r\nthe rest next week"},  # a browser's
               form_on=ME)  # line end, made plain
    seen = ana.page(ME)
    row = text_of(seen)
    assert (f"ben: 1.5 h on garden, Sat, May 9 (shift 09:00{DASH}11:00, Hinterhof)"
            in row)
    assert "Hedge cut;\nthe rest next week" in seen  # its lines kept (shown pre-line)


def test_a_shift_not_yet_ended_is_not_offered_and_refused(
        saturday: People, app: FastAPI) -> None:
    app.state.clock.now = datetime(2026, 5, 9, 8, 30, tzinfo=UTC)  # 10:30 in Berlin
    ben = saturday["ben"]
    assert "Log it" not in ben.page(ME)
    answer = ben.post(f"{ME}/work", {"shift": "1"}, form_on=ME)
    assert answer.status_code == 409
    assert "shift 1 ends at 2026-05-09 11:00: log it once it has ended" in answer.text


def test_hours_beyond_the_assignment_are_marked_and_a_log_is_withdrawn(
        saturday: People, store: MemoryStore) -> None:
    ben = saturday["ben"]
    ben.submit(f"{ME}/work", {"shift": "1"}, form_on=ME)
    ben.submit(f"{ME}/work", {"task": "garden", "hours": "1,5", "worked_on": "2026-05-08",
                              "note": "Watered"}, form_on=ME)
    page = text_of(ben.page(ME))
    assert "1.5 h of garden beyond your assignment: they earn no credit." in page
    assert "1.5 h on garden, Fri, May 8 — awaiting confirmation Watered Withdraw" in page
    german = text_of(ben.page(ME, **{"Accept-Language": "de"}))
    assert "1,5 h von garden über deine Zuteilung hinaus: sie bringen keine Gutschrift." in german
    assert "1,5 h für garden, Fr., 8. Mai — wartet auf Bestätigung Watered" in german
    with store.unit_of_work() as uow:
        extra = uow.periods.work_logs("seaside", 1)[1]
    ben.submit(f"{ME}/work/{extra.id}/withdraw", {}, form_on=ME)
    page = text_of(ben.page(ME))
    assert "beyond your assignment" not in page and "Watered" not in page
    with store.unit_of_work() as uow:
        assert [log.id for log in uow.periods.work_logs("seaside", 1)] == [extra.id - 1]


def test_a_day_in_the_future_is_refused_naming_the_field(saturday: People,
                                                         store: MemoryStore) -> None:
    answer = saturday["ben"].post(f"{ME}/work", {"task": "garden", "hours": "1",
                                                 "worked_on": "2026-05-10"}, form_on=ME)
    assert answer.status_code == 422
    assert "worked_on: must be today (2026-05-09) or earlier, got 2026-05-10" in answer.text
    with store.unit_of_work() as uow:
        assert uow.periods.work_logs("seaside", 1) == []
