"""Pick-up points and distribution lists in Chromium: on a 390 px phone, *My period* (ben's
choice and what he takes home) and the coordinator's distribution lists fit the screen with
the longest names the rules allow (100 characters in several scripts); printed, the lists
hide the navigation and the buttons, are black on white, and each pick-up point's list
starts a new sheet."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_support import People, Person, Shots, api_as, signed_in_once
from playwright.sync_api import APIRequestContext, expect
from test_layout import _OVERFLOW

pytestmark = pytest.mark.postgres  # the server under test runs on PostgreSQL

PHONE = {"width": 390, "height": 844}
LONG_NAME = ("Stadtteilzentrum Ναυτίλος 名前 " * 4)[:100]
MARKET = {
    "id": "market",
    "tasks": [{"id": "pack", "project": "market"}],
    "goods": [{"id": "veg-box", "project": "market", "model": "effort",
               "recipe": {"pack": 0.5}}],
}


@pytest.fixture(scope="module")
def market(api: APIRequestContext) -> None:
    """A pool with two pick-up points, ben's choice of the long-named one, period 1 cleared."""
    ana, ben = (api_as(api, name, sign_up=True) for name in ("ana", "ben"))
    ana.post("/pools", {"name": "market", "admission": "open", "public": True})
    ana.post("/pools/market/projects", MARKET)
    ben.post("/pools/market/join")
    ana.post("/pools/market/pickup-points", {"id": "hofladen", "name": "Hofladen",
                                             "address": "Dorfstraße 1",
                                             "opening_times": "Sat 9:00\u201312:00"})
    ana.post("/pools/market/pickup-points", {"id": "zentrum", "name": LONG_NAME,
                                             "address": "Marktplatz 3 " * 20})
    ben.call("PUT", "/pools/market/me/pickup", {"pickup_point": "zentrum"})
    for who in (ana, ben):
        who.call("PUT", "/pools/market/offers/pack", {"hours": 5, "min_weight": 1.0})
        who.post("/pools/market/wishes", {"quantity": 2,
                                          "alternatives": [{"good": "veg-box"}]})
    ana.call("POST", "/pools/market/period/clear")


@pytest.fixture(scope="module")
def signed_in(people: People, market: None) -> Callable[[str], Person]:
    return signed_in_once(people)


@pytest.mark.parametrize(("who", "path", "seen"), [
    ("ben", "/pools/market", "#pickup"),
    ("ana", "/pools/market/periods/1/distribution", "section.sheet"),
], ids=["my-period", "distribution"])
def test_pick_up_fits_a_phone(who: str, path: str, seen: str,
                              signed_in: Callable[[str], Person], shots: Shots) -> None:
    person = signed_in(who)
    person.page.set_viewport_size(PHONE)
    page = person.go(path)
    expect(page.locator(seen).first).to_be_visible()
    shots.take(page, f"pick-up {who}")
    found = page.evaluate(_OVERFLOW, PHONE["width"])
    assert found["scrollWidth"] <= PHONE["width"], found
    assert found["wider"] == [], found
    assert LONG_NAME in page.locator("main").inner_text()


def test_the_printed_lists_are_a_sheet_per_point_black_on_white(
    signed_in: Callable[[str], Person], shots: Shots,
) -> None:
    page = signed_in("ana").go("/pools/market/periods/1/distribution")
    page.emulate_media(media="print")
    shots.take(page, "distribution printed")
    assert page.locator("header").is_hidden() and page.locator("nav.pool").is_hidden()
    assert page.locator("footer").is_hidden()
    sheets = page.locator("section.sheet")
    assert sheets.count() == 4  # Hofladen, the centre, ana's (she chose none), the packing
    breaks = [sheets.nth(i).evaluate("s => getComputedStyle(s).breakBefore")
              for i in range(sheets.count())]
    assert breaks == ["auto", "page", "page", "page"]
    colours = page.locator("main td").first.evaluate(
        "c => [getComputedStyle(c).color, getComputedStyle(c).backgroundColor]")
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    page.emulate_media(media="screen")
