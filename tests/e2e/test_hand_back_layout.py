"""Handing a shift back in Chromium on a 390 px phone: the orchard's week began three days
ago, ben was placed on tomorrow's harvest (09:00 to 12:00, one place, at a place with a
100-character name in several scripts). On *My period* its "Hand back" button lies within
the screen and is large enough to tap. Pressing it asks first: dismissed, nothing changes;
accepted, the page says the shift is an open slot now, no longer lists it among ben's
shifts, and the hint board lists it among the open slots with its date and "I'll do it";
the API agrees (ben holds no shift, the slot is open). All of it fits the screen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from e2e_support import (
    ORCHARD,
    ORCHARD_PLACE,
    Api,
    People,
    Person,
    Shots,
    accept_the_confirmation,
    api_as,
)
from playwright.sync_api import APIRequestContext, Dialog, expect
from test_layout import _OVERFLOW

pytestmark = pytest.mark.postgres  # the server under test runs on PostgreSQL

PHONE = {"width": 390, "height": 844}
PLACE = ORCHARD_PLACE
TOMORROW = datetime.now(UTC).date() + timedelta(days=1)
ASKED = ("Hand this shift back? Its place becomes an open slot for others; your assigned"
         " hours stay as planned.")


@pytest.fixture(scope="module")
def ben_api(api: APIRequestContext) -> Api:
    """The orchard's dated week cleared, ben on tomorrow's harvest shift (its one place);
    the API as ben."""
    ana, ben = (api_as(api, name, sign_up=True) for name in ("ana", "ben"))
    ana.post("/pools", {"name": "orchard", "admission": "open", "public": True})
    ana.post("/pools/orchard/projects", ORCHARD)
    ben.post("/pools/orchard/join")
    ana.call("PATCH", "/pools/orchard", {"period_length": "1 week", "time_zone": "UTC",
                                         "starts_on": str(TOMORROW - timedelta(days=4))})
    ana.post("/pools/orchard/tasks/harvest/shifts", {
        "date": str(TOMORROW), "start": "09:00", "end": "12:00", "place": PLACE, "slots": 1})
    ben.call("PUT", "/pools/orchard/offers/harvest", {"hours": 4, "min_weight": 1.0})
    ben.post("/pools/orchard/wishes", {"alternatives": [{"good": "apples"}]})
    ana.call("POST", "/pools/orchard/period/clear")
    return ben


def _my_shift_ids(ben: Api) -> list[int]:
    return [m["shift"]["id"] for m in ben.call("GET", "/pools/orchard/me/shifts")["shifts"]]


def _open_slots(ben: Api) -> list[tuple[int, str, int]]:
    """The open slots as the API's hint board lists them: shift, date, places free."""
    return [(o["shift"], o["date"], o["free"])
            for o in ben.call("GET", "/pools/orchard/hints")["open_slots"]]


@pytest.fixture(scope="module")
def ben(people: People, ben_api: Api) -> Person:
    person = people("ben")
    person.sign_in()
    person.page.set_viewport_size(PHONE)
    return person


def _fits(person: Person) -> None:
    found = person.page.evaluate(_OVERFLOW, PHONE["width"])
    assert found["scrollWidth"] <= PHONE["width"], found
    assert found["wider"] == [], found


def test_the_hand_back_button_fits_a_phone_and_asks_first(
        ben: Person, ben_api: Api, shots: Shots) -> None:
    assert _my_shift_ids(ben_api) == [1] and _open_slots(ben_api) == []
    page = ben.go("/pools/orchard")
    mine = page.locator("#shifts ul.shifts li")
    expect(mine).to_have_count(1)
    assert PLACE in mine.inner_text() and "harvest" in mine.inner_text()
    button = mine.get_by_role("button", name="Hand back")
    expect(button).to_be_visible()
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert box["height"] >= 24 and box["width"] >= 24, box  # a target a finger can hit
    shots.take(page, "hand back on a phone")
    _fits(ben)

    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    button.click()
    expect(page.locator("#shifts ul.shifts li")).to_have_count(1)
    assert asked == [ASKED]
    assert _my_shift_ids(ben_api) == [1] and _open_slots(ben_api) == []


def test_a_shift_handed_back_on_a_phone_is_an_open_slot_and_no_longer_his(
        ben: Person, ben_api: Api, shots: Shots) -> None:
    page = ben.go("/pools/orchard")
    asked = accept_the_confirmation(page)
    page.locator("#shifts ul.shifts li").get_by_role("button", name="Hand back").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Shift handed back: harvest on {TOMORROW.isoformat()}. It is an open slot now.")
    assert asked == [ASKED]
    expect(page.locator("#shifts ul.shifts")).to_have_count(0)  # no shift of his is left
    expect(page.get_by_role("button", name="Hand back")).to_have_count(0)
    assert PLACE not in page.locator("#shifts").inner_text()
    shots.take(page, "shift handed back")
    _fits(ben)
    assert _my_shift_ids(ben_api) == [] and _open_slots(ben_api) == [(1, str(TOMORROW), 1)]

    board = ben.go("/pools/orchard/hints")
    slots = board.locator("#open-slots + p + ul.shifts li")
    expect(slots).to_have_count(1)
    expect(slots).to_contain_text("1 of 1 places free")
    assert PLACE in slots.inner_text() and "09:00" in slots.inner_text()
    expect(slots.get_by_role("button", name="I'll do it")).to_be_visible()
    shots.take(board, "the open slot on the hint board")
    _fits(ben)
