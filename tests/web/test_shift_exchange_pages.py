"""Shifts changing hands on the seaside's pages, the flats gone weekly from Monday 4 May 2026
and the clock on Tuesday: ana makes Saturday garden shifts from a rule on the tasks page, ben
names one in his offer with its box; after the clearing ben hands his shift back from
*My period*, the hint board lists the open slot with its date and ana takes it ("I'll do
it"), hands it over to ben, who accepts; ben follows the flats from the projects page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from browsing import Browser, text_of
from fastapi import FastAPI

from fakes import Clock
from peerconomy.services import periods
from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]
DASH = "\u2013"
NOW = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
WEEKLY = {"admission": "approval", "max_weight": "5", "version": "1",
          "period_length": "1 week", "starts_on": "2026-05-04", "close_days": "2",
          "close_time": "18:00", "time_zone": "Europe/Berlin"}
RULE = {"every": "week", "interval": "1", "weekdays": ["sat"], "first": "2026-05-04",
        "until": "2026-05-17", "start": "09:00", "end": "11:00", "place": "Hinterhof",
        "slots": "2"}


@pytest.fixture
def tuesday(app: FastAPI) -> Iterator[Clock]:
    """The site's clock on Tuesday 5 May 2026 (its own clock again afterwards)."""
    clock, before = Clock(), app.state.clock
    clock.now = NOW
    app.state.clock = clock
    yield clock
    app.state.clock = before


def test_shifts_from_a_rule_an_offers_boxes_hand_back_take_and_swap(
        collected: People, store: MemoryStore, tuesday: Clock) -> None:
    ana, ben = collected["ana"], collected["ben"]
    ana.submit("/pools/seaside/settings", WEEKLY, form_on="/pools/seaside/projects")
    ana.submit("/pools/seaside/tasks/garden/shifts/repeat", RULE,
               form_on="/pools/seaside/tasks")
    tasks = text_of(ben.page("/pools/seaside/tasks"))
    assert f"Sat, May 9, 09:00{DASH}11:00 · Hinterhof · 2 of 2 places free" in tasks
    assert f"Sat, May 16, 09:00{DASH}11:00" in tasks  # next week's: not offered on now
    assert "Shifts you can do (none ticked: any)" in tasks
    ben.submit("/pools/seaside/offers/garden", {"hours": "2", "min_weight": "1",
                                                "shift_choice": "1", "shifts": ["1"]},
               form_on="/pools/seaside/tasks")
    with store.unit_of_work() as uow:
        assert uow.shifts.availability("seaside", 1) == {("ben", "garden"): (1,)}
    assert 'name="shifts" value="1" checked' in ben.page("/pools/seaside/tasks")
    periods.clear_period(store.unit_of_work(), "seaside", now=NOW)
    mine = ben.page("/pools/seaside")
    assert "Hand back" in mine and "ana takes it over" in mine
    assert ben.submit("/pools/seaside/me/shifts/1/hand-back", {},
                      form_on="/pools/seaside") == "/pools/seaside#shifts"
    assert f"09:00{DASH}11:00: garden" not in text_of(ben.page("/pools/seaside"))
    board = text_of(ana.page("/pools/seaside/hints"))
    assert (f"Sat, May 9, 09:00{DASH}11:00: garden (flats) · Hinterhof · 2 of 2 places free"
            in board)
    assert "I'll do it" in board
    ana.submit("/pools/seaside/shifts/1/take", {}, form_on="/pools/seaside/hints")
    assert f"Sat, May 9, 09:00{DASH}11:00: garden" in text_of(ana.page("/pools/seaside"))
    ana.submit("/pools/seaside/me/shifts/1/swap", {"with": "ben"}, form_on="/pools/seaside")
    offered = text_of(ben.page("/pools/seaside"))
    assert "ana asks you to take over their shift" in offered
    with store.unit_of_work() as uow:
        (swap,) = uow.shifts.swaps("seaside")
    ben.submit(f"/pools/seaside/swaps/{swap.id}/answer", {"answer": "accept"},
               form_on="/pools/seaside")
    assert f"Sat, May 9, 09:00{DASH}11:00: garden" in text_of(ben.page("/pools/seaside"))
    assert f"Sat, May 9, 09:00{DASH}11:00: garden" not in text_of(ana.page("/pools/seaside"))
    german = text_of(ben.page("/pools/seaside", **{"Accept-Language": "de"}))
    assert "Zurückgeben" in german and "Tauschen" in german


def test_a_full_shift_and_a_bad_swap_are_refused_naming_why(
        collected: People, store: MemoryStore, tuesday: Clock) -> None:
    ana, ben = collected["ana"], collected["ben"]
    ana.submit("/pools/seaside/settings", WEEKLY, form_on="/pools/seaside/projects")
    ana.submit("/pools/seaside/tasks/garden/shifts", {**RULE, "date": "2026-05-09",
                                                      "slots": "1"},
               form_on="/pools/seaside/tasks")
    periods.clear_period(store.unit_of_work(), "seaside", now=NOW)
    full = ana.post("/pools/seaside/shifts/1/take", {}, form_on="/pools/seaside/hints")
    assert full.status_code == 409 and "is full" in full.text
    bad = ben.post("/pools/seaside/me/shifts/1/swap", {"with": "ana/x"},
                   form_on="/pools/seaside")
    assert bad.status_code == 422 and "with: must name a member or a member&#39;s shift" in (
        bad.text)
    rule = ana.post("/pools/seaside/tasks/garden/shifts/repeat", {**RULE, "weekdays": "sun",
                                                                  "until": "2026-05-01"},
                    form_on="/pools/seaside/tasks")
    assert rule.status_code == 422 and "until: must be on or after first" in rule.text
    with store.unit_of_work() as uow:
        assert uow.shifts.swaps("seaside") == [] and len(uow.shifts.of_pool("seaside")) == 1


def test_a_member_follows_a_project_from_the_projects_page(
        collected: People, store: MemoryStore) -> None:
    ben = collected["ben"]
    assert "Follow: tell me of open slots" in ben.page("/pools/seaside/projects")
    ben.submit("/pools/seaside/projects/flats/follow", {"following": "1"},
               form_on="/pools/seaside/projects")
    assert "You follow this project" in text_of(ben.page("/pools/seaside/projects"))
    with store.unit_of_work() as uow:
        assert uow.shifts.followers("seaside", "flats") == ["ben"]
    ben.submit("/pools/seaside/projects/flats/follow", {}, form_on="/pools/seaside/projects")
    with store.unit_of_work() as uow:
        assert uow.shifts.followers("seaside", "flats") == []
