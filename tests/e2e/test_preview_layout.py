"""The previews ("If we cleared now") on a 390 px phone, with the oddest values the rules
allow: ids of 100 characters that no line breaks (letters, digits, ``.``, ``_``, ``-``; a
``<script>`` can never be an id), a display name of 100 characters in several scripts, offers
of 10,000 hours at a weight of 1,000, a flat auctioned at the top of the bounds. *My
period*'s preview (a member's provisional share, its parts and assignments) and the
coordinator's period page (provisional weights, shares and refunds) must show all of it
without anything wider than the screen, in English and German."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_support import People, Person, Shots, api_as, signed_in_once
from playwright.sync_api import APIRequestContext, expect
from test_layout import _OVERFLOW

pytestmark = pytest.mark.postgres  # the server under test runs on PostgreSQL

PHONE = {"width": 390, "height": 844}
ODD = "x" + "-._" * 33  # 100 characters, a valid id with no place to break
LONG_TASK = "t" + "0123456789" * 9 + "abcdefghi"
LONG_GOOD = "dunes/" + "g" * 94
ODD_NAME = "Ünïcødé Ναυτίλος 名前 " * 4 + "end"

DUNES = {
    "id": "dunes",
    "tasks": [{"id": LONG_TASK, "project": "dunes", "fixed_hours": 10000},
              {"id": "sweep", "project": "dunes"}],
    "goods": [{"id": LONG_GOOD, "project": "dunes", "model": "auction", "capacity": 1,
               "recipe": {"sweep": 1}}],
}


@pytest.fixture(scope="module")
def dunes(api: APIRequestContext) -> None:
    """A collecting pool with the odd member, the long ids and the huge numbers."""
    ana, ben = (api_as(api, name, sign_up=True) for name in ("ana", "ben"))
    ana.post("/pools", {"name": "dunes", "admission": "open", "public": True})
    ana.post("/pools/dunes/projects", DUNES)
    ben.post("/pools/dunes/join")
    ana.post("/pools/dunes/members", {"id": ODD, "display_name": ODD_NAME[:100]})
    for who, participant, task, hours, weight in [
        (ben, None, LONG_TASK, 10000, 1000.0), (ana, ODD, LONG_TASK, 9999.5, 999.0),
        (ben, None, "sweep", 10000, 1.0), (ana, ODD, "sweep", 3, 1.0),
    ]:
        body = {"hours": hours, "min_weight": weight}
        if participant is not None:
            body["participant"] = participant
        who.call("PUT", f"/pools/dunes/offers/{task}", body)
    ben.post("/pools/dunes/wishes", {"alternatives": [{"good": LONG_GOOD, "max_cost": 10000}]})
    ana.post("/pools/dunes/wishes", {"participant": ODD, "id": "odd-flat",
                                     "alternatives": [{"good": LONG_GOOD, "max_cost": 9000}]})


@pytest.fixture(scope="module")
def signed_in(people: People, dunes: None) -> Callable[[str], Person]:
    return signed_in_once(people)


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize(("who", "path", "heading"), [
    ("ben", "/pools/dunes?preview=1", "#if-cleared-now"),
    ("ana", "/pools/dunes/period?preview=1", "#if-cleared-now"),
], ids=["my-period", "period-page"])
def test_the_preview_fits_a_phone_with_the_oddest_values_allowed(
    who: str, path: str, heading: str, lang: str, signed_in: Callable[[str], Person],
    shots: Shots,
) -> None:
    person = signed_in(who)
    person.page.set_viewport_size(PHONE)
    page = person.go(f"{path}&lang={lang}")
    expect(page.locator(heading)).to_be_visible()
    shots.take(page, f"preview {who} {lang}")
    seen = page.evaluate(_OVERFLOW, PHONE["width"])
    assert seen["scrollWidth"] <= PHONE["width"], seen
    assert seen["wider"] == [], seen
    text = page.locator("main").inner_text()
    assert "<script" not in page.content().split("<main", 1)[1].split("</main>", 1)[0]
    if who == "ben":  # his provisional share and what it is made of
        parts = ("What my provisional share is made of" if lang == "en"
                 else "Woraus sich mein vorläufiger Anteil zusammensetzt")
        assert parts in text
    else:  # the coordinator's provisional shares, with their refunds
        assert ("Refund" if lang == "en" else "Rückerstattung") in text
        assert ODD in text
