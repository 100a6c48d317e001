"""Shifts on the seaside's pages, the flats gone weekly from Monday 4 May 2026: ana adds a
garden shift on Saturday on the tasks page (which then lists it with its free places) and
may cancel it; a shift with bad times is refused naming the field; after the clearing, ben's
*My period* lists his shifts with day, time and place, in his language."""

from __future__ import annotations

from browsing import Browser, text_of

from peerconomy.services import periods
from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]
DASH = "\u2013"  # between a shift's start and end
WEEKLY = {"admission": "approval", "max_weight": "5", "version": "1",
          "period_length": "1 week", "starts_on": "2026-05-04", "close_days": "2",
          "close_time": "18:00", "time_zone": "Europe/Berlin"}
GARDEN = {"date": "2026-05-09", "start": "09:00", "end": "11:00", "place": "Hinterhof",
          "slots": "2"}


def test_a_coordinator_adds_a_shift_and_a_member_finds_it_in_my_period(
        collected: People, store: MemoryStore) -> None:
    ana, ben = collected["ana"], collected["ben"]
    ana.submit("/pools/seaside/settings", WEEKLY, form_on="/pools/seaside/projects")
    ana.submit("/pools/seaside/tasks/garden/shifts", GARDEN, form_on="/pools/seaside/tasks")
    listed = text_of(ben.page("/pools/seaside/tasks"))
    assert f"Sat, May 9, 09:00{DASH}11:00 · Hinterhof · 2 of 2 places free" in listed
    assert "Cancel the shift" not in ben.page("/pools/seaside/tasks")
    assert "Add a shift" in ana.page("/pools/seaside/tasks")
    periods.clear_period(store.unit_of_work(), "seaside")
    mine = text_of(ben.page("/pools/seaside"))
    assert "My shifts" in mine
    assert f"Sat, May 9, 09:00{DASH}11:00: garden · Hinterhof" in mine
    german = text_of(ben.page("/pools/seaside", **{"Accept-Language": "de"}))
    assert "Meine Schichten" in german and f"Sa., 9. Mai, 09:00{DASH}11:00: garden" in german
    ana.submit("/pools/seaside/tasks/garden/shifts/1/cancel", {},
               form_on="/pools/seaside/tasks")
    assert "cancelled" in text_of(ben.page("/pools/seaside/tasks"))
    assert f"09:00{DASH}11:00: garden" not in text_of(ben.page("/pools/seaside"))


def test_a_shift_ending_as_it_starts_is_refused_naming_the_field(
        people: People, store: MemoryStore) -> None:
    ana = people["ana"]
    answer = ana.post("/pools/seaside/tasks/garden/shifts", {**GARDEN, "end": "09:00"},
                      form_on="/pools/seaside/tasks")
    assert answer.status_code == 422
    assert "end: must differ from start" in answer.text
    with store.unit_of_work() as uow:
        assert uow.shifts.of_pool("seaside") == []
