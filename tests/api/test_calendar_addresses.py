"""Secret calendar and feed addresses, fetched as a calendar app and a feed reader would:
without a session, a cookie or a token.

The seaside flats (private) go weekly in Berlin from Monday 23 March 2026, so period 1's
offers close on Friday 27 March at 18:00 CET and, once it is settled, period 2's on Friday 3
April at 18:00 CEST: the clocks go forward between them. The harbour kiosk is a pick-up
point; ben collects there, ana has chosen none. The calendars are read with two iCalendar
parsers, ``icalendar`` and ``vobject``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from fastapi.testclient import TestClient
from seaside import Headers

from fakes import quick_hashing
from peerconomy.asgi import create_app
from peerconomy.http.settings import AppSettings
from peerconomy.store.memory import MemoryStore

POOL = "/api/v1/pools/seaside"
BASE = "http://127.0.0.1:8000"
BERLIN = ZoneInfo("Europe/Berlin")
WEEKLY = {"period_length": "1 week", "starts_on": "2026-03-23", "time_zone": "Europe/Berlin"}
KIOSK = {"id": "kiosk", "name": "Hafenkiosk \N{ANCHOR}", "address": "Am Hafen 1",
         "opening_times": "Sat 14:00-18:00"}


@pytest.fixture(autouse=True)
def quick_password_hashing() -> Iterator[None]:
    """Argon2 at its least cost: four people sign up for each test here."""
    with quick_hashing():
        yield


@pytest.fixture
def client(store: MemoryStore) -> Iterator[TestClient]:
    """The site with its pages (the secret addresses are served beside them)."""
    app = create_app(store, AppSettings(signup="open", secret_key="seaside test key"))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def weekly(client: TestClient, people: dict[str, Headers]) -> dict[str, Headers]:
    """The seaside flats weekly, the kiosk ben chose, period 1 cleared."""
    ana = people["ana"]
    assert client.patch(POOL, json=WEEKLY, headers=ana).status_code == 200
    assert client.post(f"{POOL}/pickup-points", json=KIOSK, headers=ana).status_code == 201
    assert client.put(f"{POOL}/me/pickup", json={"pickup_point": "kiosk"},
                      headers=people["ben"]).status_code == 200
    assert client.post(f"{POOL}/period/clear", headers=ana).status_code == 200
    return people


def _path(url: str) -> str:
    assert url.startswith(BASE + "/"), url
    return url.removeprefix(BASE)


def _calendar_url(client: TestClient, who: Headers) -> str:
    answer = client.get("/api/v1/me", headers=who)
    assert answer.status_code == 200, answer.text
    url = answer.json()["calendar_url"]
    assert isinstance(url, str)
    return _path(url)


def _fetch(client: TestClient, path: str) -> Any:
    """What a calendar app gets at ``path``: no cookie, no token."""
    client.cookies.clear()
    return client.get(path, follow_redirects=False)


def _events(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_a_member_subscribes_with_the_address_their_account_gives(
    client: TestClient, weekly: dict[str, Headers],
) -> None:
    ben = weekly["ben"]
    path = _calendar_url(client, ben)
    assert path == _calendar_url(client, ben)  # the same address every time it is asked
    answer = _fetch(client, path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert answer.headers["cache-control"] == "no-store"
    assert "set-cookie" not in answer.headers
    events = _events(answer.content)
    assert set(events) == {"seaside/period-1@127.0.0.1", "seaside/period-1/offers-close@127.0.0.1",
                           "seaside/period-1/pickup/ben@127.0.0.1"}
    closing = events["seaside/period-1/offers-close@127.0.0.1"]
    assert closing["DTSTART"].dt == datetime(2026, 3, 27, 18, 0, tzinfo=BERLIN)
    assert closing["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(closing["SUMMARY"]) == "seaside: offers close (period 1)"
    days = events["seaside/period-1@127.0.0.1"]
    assert (days["DTSTART"].dt, days["DTEND"].dt) == (date(2026, 3, 23), date(2026, 3, 30))
    assert str(days["TRANSP"]) == "TRANSPARENT"
    pickup = events["seaside/period-1/pickup/ben@127.0.0.1"]
    assert str(pickup["LOCATION"]) == "Hafenkiosk \N{ANCHOR}, Am Hafen 1"
    assert (pickup["DTSTART"].dt, pickup["DTEND"].dt) == (date(2026, 3, 28), date(2026, 3, 30))
    assert str(pickup["DESCRIPTION"]).splitlines()[0] == "Opening times: Sat 14:00-18:00"
    assert all(isinstance(e["DTSTAMP"].dt, datetime) for e in events.values())


def test_the_deadlines_keep_their_local_hour_across_the_change_to_summer_time(
    client: TestClient, weekly: dict[str, Headers],
) -> None:
    assert client.post(f"{POOL}/period/settle", headers=weekly["ana"]).status_code == 200
    body = _fetch(client, _calendar_url(client, weekly["ben"])).content
    events = _events(body)
    first = events["seaside/period-1/offers-close@127.0.0.1"]["DTSTART"].dt
    second = events["seaside/period-2/offers-close@127.0.0.1"]["DTSTART"].dt
    assert (first.hour, second.hour) == (18, 18)
    assert (first.utcoffset(), second.utcoffset()) == (timedelta(hours=1), timedelta(hours=2))
    # a second, independent parser reads the same moments
    parsed = vobject.readOne(body.decode())
    read = {e.uid.value: e.dtstart.value for e in parsed.vevent_list}
    moment = read["seaside/period-2/offers-close@127.0.0.1"]
    assert moment.replace(tzinfo=None) == datetime(2026, 4, 3, 18, 0)
    assert moment.utcoffset() == timedelta(hours=2)
    assert read["seaside/period-1/offers-close@127.0.0.1"].utcoffset() == timedelta(hours=1)
    assert read["seaside/period-2@127.0.0.1"] == date(2026, 3, 30)


def test_renewing_makes_a_new_address_and_the_old_one_is_gone_at_once(
    client: TestClient, weekly: dict[str, Headers],
) -> None:
    ben = weekly["ben"]
    old = _calendar_url(client, ben)
    old_pool = _path(client.get("/api/v1/me/calendar", headers=ben).json()["pools"][0]
                     ["calendar_url"])
    renewed = client.post("/api/v1/me/calendar", headers=ben)
    assert renewed.status_code == 200, renewed.text
    new = _path(renewed.json()["calendar_url"])
    assert new != old and _calendar_url(client, ben) == new
    assert _fetch(client, old).status_code == 404
    assert _fetch(client, old_pool).status_code == 404
    assert _fetch(client, new).status_code == 200


def test_someone_elses_address_shows_nothing_of_yours(
    client: TestClient, weekly: dict[str, Headers],
) -> None:
    anas = _events(_fetch(client, _calendar_url(client, weekly["ana"])).content)
    assert [uid for uid in anas if "/pickup/" in uid] == ["seaside/period-1/pickup/ana@127.0.0.1"]
    assert str(anas["seaside/period-1/pickup/ana@127.0.0.1"]["SUMMARY"]) == (
        "seaside: pick-up (choose a pick-up point)")
    assert "LOCATION" not in anas["seaside/period-1/pickup/ana@127.0.0.1"]
    cleos = _events(_fetch(client, _calendar_url(client, weekly["cleo"])).content)
    assert cleos == {}  # cleo is in no pool


def test_a_member_who_leaves_no_longer_sees_the_pool(
    client: TestClient, weekly: dict[str, Headers],
) -> None:
    ben = weekly["ben"]
    path = _calendar_url(client, ben)
    pool = client.get("/api/v1/me/calendar", headers=ben).json()["pools"]
    assert [p["pool"] for p in pool] == ["seaside"]
    assert client.delete(f"{POOL}/members/ben", headers=weekly["ana"]).status_code == 200
    assert _events(_fetch(client, path).content) == {}
    assert _fetch(client, _path(pool[0]["calendar_url"])).status_code == 404
    assert _fetch(client, _path(pool[0]["feed_url"])).status_code == 404
    assert client.get("/api/v1/me/calendar", headers=ben).json()["pools"] == []


def test_the_pools_calendar_and_its_private_feed_work_without_a_session(
    client: TestClient, weekly: dict[str, Headers],
) -> None:
    [seaside] = client.get("/api/v1/me/calendar", headers=weekly["ben"]).json()["pools"]
    calendar = _fetch(client, _path(seaside["calendar_url"]))
    assert calendar.status_code == 200
    assert set(_events(calendar.content)) == {"seaside/period-1@127.0.0.1",
                                              "seaside/period-1/offers-close@127.0.0.1"}
    assert "X-WR-CALNAME:seaside: open slots" in calendar.text
    assert _fetch(client, "/pools/seaside/hints.atom").status_code == 303  # sign in first
    feed = _fetch(client, _path(seaside["feed_url"]))
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert feed.headers["cache-control"] == "no-store"
    assert f'href="{seaside["feed_url"]}" rel="self"' in feed.text
    # cleo's address is good, but not for a pool she is not in
    cleos = client.get("/api/v1/me/calendar", headers=weekly["cleo"]).json()
    token = _path(cleos["calendar_url"]).removeprefix("/calendar/").removesuffix(".ics")
    assert _fetch(client, f"/pools/seaside/hints/{token}.atom").status_code == 404
    assert _fetch(client, f"/pools/seaside/calendar/{token}.ics").status_code == 404


@pytest.mark.parametrize("token", ["1" * 20, "0123456789abcdef" + "A" * 43, "x" * 5000,
                                   "%E2%9A%93", "..", "0123456789abcdef%2F" + "A" * 40])
def test_an_unknown_or_malformed_address_is_not_found(
    client: TestClient, people: dict[str, Headers], token: str,
) -> None:
    for path in (f"/calendar/{token}.ics", f"/pools/seaside/calendar/{token}.ics",
                 f"/pools/seaside/hints/{token}.atom"):
        answer = _fetch(client, path)
        assert answer.status_code == 404, (path, answer.status_code)


def test_a_nul_in_the_address_is_refused_before_anything_looks_at_it(
    client: TestClient, people: dict[str, Headers],
) -> None:
    answer = _fetch(client, "/calendar/%00%00.ics")
    assert answer.status_code == 422  # the hardening's refusal of a NUL anywhere in a path


def test_me_gives_the_calendar_address_in_its_schema(client: TestClient,
                                                     people: dict[str, Headers]) -> None:
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schema["MeOut"]["properties"]["calendar_url"]["type"] == "string"
    assert "calendar_url" in schema["MeOut"]["required"]
    assert "calendar_url" not in schema["UserOut"]["properties"]  # a sign-up's answer
    assert set(schema["CalendarOut"]["required"]) == {"calendar_url", "pools"}
    assert set(schema["PoolAddressesOut"]["required"]) == {"pool", "calendar_url", "feed_url"}
    changed = client.patch("/api/v1/me", json={"locale": "de"}, headers=people["ben"]).json()
    assert changed["calendar_url"] == BASE + _calendar_url(client, people["ben"])


def test_the_calendar_speaks_its_owners_language(client: TestClient,
                                                 weekly: dict[str, Headers]) -> None:
    assert client.patch("/api/v1/me", json={"locale": "de"},
                        headers=weekly["ben"]).status_code == 200
    answer = _fetch(client, _calendar_url(client, weekly["ben"]))
    assert answer.headers["content-language"] == "de"
    events = _events(answer.content)
    assert str(events["seaside/period-1/offers-close@127.0.0.1"]["SUMMARY"]) == (
        "seaside: Angebote schließen (Periode 1)")


def test_a_client_guessing_addresses_is_answered_429_for_a_while(
    client: TestClient, people: dict[str, Headers],
) -> None:
    good = _calendar_url(client, people["ben"])
    for n in range(20):
        assert _fetch(client, f"/calendar/{n:016x}{'A' * 43}.ics").status_code == 404
    locked = _fetch(client, good)
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) == 15 * 60
    assert "too many unknown addresses" in locked.text
