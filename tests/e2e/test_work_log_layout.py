"""Logging a shift in Chromium on a 390 px phone: the orchard's week began three days ago,
ben was placed on the day before yesterday's harvest (09:00 to 12:00, at a place with a
100-character name in several scripts). His *My period* offers "Log it"; he opens the edit
path, logs 4.5 hours with a long note, and the page shows the log with its shift, the note,
a Withdraw button and the half hour beyond his assignment, all within the screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from e2e_support import ORCHARD, ORCHARD_PLACE, People, Person, Shots, api_as, signed_in_once
from playwright.sync_api import APIRequestContext, expect
from test_layout import _OVERFLOW

pytestmark = pytest.mark.postgres  # the server under test runs on PostgreSQL

PHONE = {"width": 390, "height": 844}
PLACE = ORCHARD_PLACE
NOTE = ("Äpfel gepflückt, Leiter zurück in die Scheune gebracht; " * 6).strip()
TODAY = datetime.now(UTC).date()


@pytest.fixture(scope="module")
def orchard(api: APIRequestContext) -> None:
    """The orchard's dated week cleared, ben on the harvest shift that ended two days ago."""
    ana, ben = (api_as(api, name, sign_up=True) for name in ("ana", "ben"))
    ana.post("/pools", {"name": "orchard", "admission": "open", "public": True})
    ana.post("/pools/orchard/projects", ORCHARD)
    ben.post("/pools/orchard/join")
    ana.call("PATCH", "/pools/orchard", {"period_length": "1 week", "time_zone": "UTC",
                                         "starts_on": str(TODAY - timedelta(days=3))})
    ana.post("/pools/orchard/tasks/harvest/shifts", {
        "date": str(TODAY - timedelta(days=2)), "start": "09:00", "end": "12:00",
        "place": PLACE, "slots": 2})
    ben.call("PUT", "/pools/orchard/offers/harvest", {"hours": 4, "min_weight": 1.0})
    ben.post("/pools/orchard/wishes", {"alternatives": [{"good": "apples"}]})
    ana.call("POST", "/pools/orchard/period/clear")


@pytest.fixture(scope="module")
def signed_in(people: People, orchard: None) -> Callable[[str], Person]:
    return signed_in_once(people)


def test_a_shift_is_logged_on_a_phone_and_all_of_it_fits(
        signed_in: Callable[[str], Person], shots: Shots) -> None:
    person = signed_in("ben")
    person.page.set_viewport_size(PHONE)
    page = person.go("/pools/orchard")
    to_log = page.locator("#to-log")
    expect(to_log.get_by_role("button", name="Log it").first).to_be_visible()
    assert PLACE in to_log.inner_text()
    shots.take(page, "work shift to log")
    assert page.evaluate(_OVERFLOW, PHONE["width"])["wider"] == []
    to_log.get_by_text("Change the hours or add a note").click()
    to_log.get_by_label("Hours worked").fill("4.5")
    to_log.get_by_label("Note for those who confirm it").fill(NOTE)
    to_log.locator("details").get_by_role("button", name="Log it").click()
    logs = page.locator("ul.logs")
    expect(logs).to_contain_text("4.5 h on harvest")
    expect(logs.get_by_role("button", name="Withdraw")).to_be_visible()
    expect(page.locator("p.beyond")).to_contain_text(
        "0.5 h of harvest beyond your assignment")
    assert NOTE in logs.inner_text() and PLACE in logs.inner_text()
    assert page.locator("#to-log").count() == 0
    shots.take(page, "work shift logged")
    found = page.evaluate(_OVERFLOW, PHONE["width"])
    assert found["scrollWidth"] <= PHONE["width"], found
    assert found["wider"] == [], found
