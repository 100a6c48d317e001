"""Names people read on the shift pages, the seaside's garden named "Gartenpflege", its
project "Wohnungen" and its guest bed "Gästebett", ana "Ana Asmus" and ben "Ben Brandt": *My
shifts*, the swap texts, the hint board's open slots and their Atom entries, the messages
after adding, taking, handing back and swapping a shift, the shifts to log, the work log
lines and what ben takes home all show the names; the ids stay in the forms and addresses.

The flats gone weekly from Monday 4 May 2026, the clock on Tuesday; ana makes Saturday
garden shifts (9:00 to 11:00, Hinterhof) and ben names the first in his offer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from browsing import Browser, text_of
from fastapi import FastAPI

from fakes import Clock
from peerconomy.services import labels, logged_work, periods, projects
from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]
DASH = "\u2013"
ME = "/pools/seaside"
ATOM = "{http://www.w3.org/2005/Atom}"
WEEKLY = {"admission": "approval", "max_weight": "5", "version": "1",
          "period_length": "1 week", "starts_on": "2026-05-04", "close_days": "2",
          "close_time": "18:00", "time_zone": "Europe/Berlin"}
RULE = {"every": "week", "interval": "1", "weekdays": ["sat"], "first": "2026-05-04",
        "until": "2026-05-17", "start": "09:00", "end": "11:00", "place": "Hinterhof",
        "slots": "2"}
SHIFT = f"Sat, May 9, 09:00{DASH}11:00: Gartenpflege · Hinterhof"


@pytest.fixture
def clock(app: FastAPI) -> Iterator[Clock]:
    """The site's clock on Tuesday 5 May 2026 (its own clock again afterwards)."""
    found, before = Clock(), app.state.clock
    found.now = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
    app.state.clock = found
    yield found
    app.state.clock = before


@pytest.fixture
def named(collected: People, store: MemoryStore, clock: Clock) -> People:
    """The seaside with its names, the garden's Saturday shifts made, ben's offer naming
    the first."""
    labels.name_task(store.unit_of_work(), "seaside", "garden", name="Gartenpflege")
    labels.name_project(store.unit_of_work(), "seaside", "flats", name="Wohnungen")
    projects.change_good(store.unit_of_work(), "seaside", "guest-bed", name="Gästebett")
    with store.unit_of_work() as uow:
        for member in uow.pools.members("seaside"):
            shown = {"ana": "Ana Asmus", "ben": "Ben Brandt"}.get(member.id, "")
            uow.pools.put_member("seaside", replace(member, display_name=shown))
        uow.commit()
    ana, ben = collected["ana"], collected["ben"]
    ana.submit(f"{ME}/settings", WEEKLY, form_on=f"{ME}/projects")
    ana.submit(f"{ME}/tasks/garden/shifts/repeat", RULE, form_on=f"{ME}/tasks")
    said = ana.text(f"{ME}/tasks")
    assert "Shifts added to Gartenpflege: 2, 2026-05-09 to 2026-05-16." in said
    ben.submit(f"{ME}/offers/garden", {"hours": "2", "min_weight": "1", "shift_choice": "1",
                                       "shifts": ["1"]}, form_on=f"{ME}/tasks")
    return collected


def test_my_shifts_the_swap_texts_and_the_messages_show_the_names(
        named: People, store: MemoryStore, clock: Clock) -> None:
    ana, ben = named["ana"], named["ben"]
    periods.clear_period(store.unit_of_work(), "seaside", now=clock.now)
    page = ben.page(ME)
    mine = text_of(page)
    assert f"My shifts {SHIFT}" in mine and ": garden" not in mine
    assert "Ana Asmus takes it over" in mine
    assert '<option value="ana">' in page  # the form still sends the id
    ben.submit(f"{ME}/me/shifts/1/hand-back", {}, form_on=ME)
    assert ("Shift handed back: Gartenpflege on 2026-05-09. It is an open slot now."
            in ben.text(ME))
    ana.submit(f"{ME}/shifts/1/take", {}, form_on=f"{ME}/hints")
    said = ana.text(ME)
    assert "You are on the shift: Gartenpflege on 2026-05-09." in said and SHIFT in said
    ana.submit(f"{ME}/me/shifts/1/swap", {"with": "ben"}, form_on=ME)
    said = ana.text(ME)
    assert "Swap proposed to Ben Brandt: they are told and may accept." in said
    assert f"To Ben Brandt: {SHIFT} — waiting for an answer" in said
    offered = ben.text(ME)
    assert f"Ana Asmus asks you to take over their shift {SHIFT}" in offered
    assert "garden" not in offered.replace("Gartenpflege", "")
    ana.submit(f"{ME}/tasks/garden/shifts/2/cancel", {}, form_on=f"{ME}/tasks")
    assert "Shift cancelled: Gartenpflege on 2026-05-16." in ana.text(f"{ME}/tasks")
    ben.submit(f"{ME}/projects/flats/follow", {"following": "1"}, form_on=f"{ME}/projects")
    assert "You follow Wohnungen: you hear of its open slots." in ben.text(f"{ME}/projects")
    german = ben.text(ME, **{"Accept-Language": "de"})
    assert f"Sa., 9. Mai, 09:00{DASH}11:00: Gartenpflege · Hinterhof" in german
    assert ("Ana Asmus bittet dich, die Schicht zu übernehmen Sa., 9. Mai, 09:00"
            f"{DASH}11:00: Gartenpflege · Hinterhof") in german


def test_the_hint_board_and_its_feed_name_the_open_slots(
        named: People, store: MemoryStore, clock: Clock) -> None:
    ana = named["ana"]
    periods.clear_period(store.unit_of_work(), "seaside", now=clock.now)
    board = ana.text(f"{ME}/hints")
    assert (f"Sat, May 9, 09:00{DASH}11:00: Gartenpflege (Wohnungen) · Hinterhof · 1 of 2"
            " places free") in board
    assert "garden" not in board.replace("Gartenpflege", "") and "(flats)" not in board
    feed = ElementTree.fromstring(ana.get(f"{ME}/hints.atom").content)
    entries = {e.findtext(f"{ATOM}id", "").rsplit("/", 1)[-1]: (
        e.findtext(f"{ATOM}title", ""), e.findtext(f"{ATOM}summary", ""))
        for e in feed.iter(f"{ATOM}entry")}
    assert entries["1"] == (
        "1 open place: Gartenpflege on 2026-05-09, 09:00 to 11:00",
        "Project Wohnungen, at Hinterhof: take a place on the hint board.")
    for title, summary in entries.values():
        assert "garden" not in title + summary and "flats" not in title + summary


def test_work_to_log_and_logged_shows_the_task_s_name(
        named: People, store: MemoryStore, clock: Clock) -> None:
    ben = named["ben"]
    periods.clear_period(store.unit_of_work(), "seaside", now=clock.now)
    clock.now = datetime(2026, 5, 9, 10, 0, tzinfo=UTC)  # Saturday noon in Berlin
    assert f"{SHIFT} — 2 h Log it" in ben.text(ME)
    ben.submit(f"{ME}/work", {"shift": "1"}, form_on=ME)
    ben.submit(f"{ME}/work", {"task": "garden", "hours": "1", "worked_on": "2026-05-08"},
               form_on=ME)
    said = ben.text(ME)
    assert "Your hours on Gartenpflege are logged." in said
    assert f"2 h on Gartenpflege, Sat, May 9 (09:00{DASH}11:00, Hinterhof)" in said
    assert "1 h of Gartenpflege beyond your assignment: they earn no credit." in said
    assert "garden" not in said.replace("Gartenpflege", "")
    lines = logged_work.logged_work(store.unit_of_work(), "seaside", participant="ben")
    assert [(line.log.task, line.task_name) for line in lines] == [
        ("garden", "Gartenpflege"), ("garden", "Gartenpflege")]  # the id kept beside it


def test_what_a_member_takes_home_is_named(named: People, store: MemoryStore,
                                          clock: Clock) -> None:
    ana, ben = named["ana"], named["ben"]
    points = f"{ME}/pickup-points"
    ana.submit(points, {"id": "kiosk", "name": "Hafenkiosk", "address": "Am Hafen 1",
                        "opening_times": ""}, form_on=points)
    ben.submit(f"{ME}/pickup", {"pickup_point": "kiosk"}, form_on=ME)
    periods.clear_period(store.unit_of_work(), "seaside", now=clock.now)
    said = ben.text(ME)
    parcel = said.split("This period you take home:", 1)[1].split("Pick-up point", 1)[0]
    assert "\N{MULTIPLICATION SIGN} Gästebett" in parcel and "guest-bed" not in parcel


def test_hours_that_fit_no_shift_name_the_task(named: People, store: MemoryStore,
                                               clock: Clock) -> None:
    ana, ben = named["ana"], named["ben"]
    labels.name_task(store.unit_of_work(), "seaside", "stairs", name="Treppenhaus")
    ana.submit(f"{ME}/tasks/stairs/shifts", {"date": "2026-05-09", "start": "09:00",
                                             "end": "10:00", "place": "", "slots": "1"},
               form_on=f"{ME}/tasks")
    assert "Shift added: Treppenhaus on 2026-05-09." in ana.text(f"{ME}/tasks")
    periods.clear_period(store.unit_of_work(), "seaside", now=clock.now)
    said = ana.text(ME) + ben.text(ME)  # 4 h of stairs, 1 h of it on a shift
    assert "h of Treppenhaus fit no shift: ask the coordinator when to do them." in said
    assert "of stairs" not in said


def test_the_period_and_ledger_pages_name_the_members(named: People,
                                                    store: MemoryStore) -> None:
    with store.unit_of_work() as uow:  # a tenth of an hour each: shares stand out
        for member in uow.pools.members("seaside"):
            uow.pools.put_member("seaside", replace(member, capacity=0.1))
        uow.commit()
    said = named["ana"].text(f"{ME}/period?preview=1")
    assert "The plan would give Ana Asmus a share of 21.5 h" in said
    assert "Participant Provisional share Refund Ana Asmus 21.5 1.5 Ben Brandt 18.5 1.5" in said
    periods.clear_period(store.unit_of_work(), "seaside")
    said = named["ana"].text(f"{ME}/period")
    assert "Share Refund Credit if all assigned work is done Ana Asmus 21.5" in said
    assert "Participant Task Hours Ana Asmus" in said
    assert "Participant Balance Ana Asmus 0 Ben Brandt 0" in named["ben"].text(f"{ME}/ledger")


def test_a_fork_s_message_names_the_project_forked(named: People) -> None:
    ana = named["ana"]
    ana.submit(f"{ME}/projects/flats/fork", {"project": "annex"}, form_on=f"{ME}/projects")
    assert "annex is forked from Wohnungen." in ana.text(f"{ME}/projects")
