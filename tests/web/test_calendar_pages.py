"""The calendar on a member's account page: the address to subscribe to, the addresses of
each of their pools, and the button that makes new ones (the old ones stop working)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from browsing import Browser, text_of

_ADDRESS = re.compile(r'id="calendar-url"[^>]*value="([^"]+)"')


def _address(who: Browser) -> str:
    found = _ADDRESS.search(who.page("/account"))
    assert found is not None, "no calendar address on the account page"
    return urlsplit(found.group(1)).path


def test_the_account_page_gives_the_address_and_makes_a_new_one(
    people: dict[str, Browser],
) -> None:
    ben = people["ben"]
    old = _address(ben)
    assert old.startswith("/calendar/") and old.endswith(".ics")
    assert _address(ben) == old  # shown again, unchanged
    page = ben.page("/account")
    assert "/pools/seaside/calendar/" in page and "/pools/seaside/hints/" in page
    assert ben.get(old).status_code == 200
    where = ben.submit("/account/calendar", form_on="/account")
    assert where == "/account#calendar"
    new = _address(ben)
    assert new != old
    assert ben.get(old).status_code == 404
    assert ben.get(new).status_code == 200
    assert _address(people["ana"]) not in (old, new)


def test_the_calendar_section_speaks_german(people: dict[str, Browser]) -> None:
    text = text_of(people["ben"].page("/account?lang=de"))
    assert "Kalender und Feeds" in text
    assert "Neue Adressen erstellen (die alten funktionieren dann nicht mehr)" in text


def test_the_pools_addresses_name_each_pool_as_people_read_it(
    people: dict[str, Browser],
) -> None:
    ana, ben = people["ana"], people["ben"]
    from_table = re.compile(r"<td>([^<]*)</td>\s*<td><a href=\"[^\"]*/pools/seaside/calendar/")
    found = from_table.search(ben.page("/account"))
    assert found is not None and found.group(1) == "seaside"  # no display name: its name
    ana.submit("/pools/seaside/settings", {
        "admission": "approval", "max_weight": "5", "display_name": "Strandhäuser am Meer",
        "description": "", "communal_validation": "on", "version": "1"},
        form_on="/pools/seaside/projects")
    found = from_table.search(ben.page("/account"))
    assert found is not None and found.group(1) == "Strandhäuser am Meer"
