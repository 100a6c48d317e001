"""Members' calendars and their secret addresses, on the in-memory store.

The farm (examples/farm.json) goes weekly in Berlin from Monday 23 March 2026: period 1 runs
to Sunday 29 March, the night the clocks go forward, and its offers close on Friday 27 March
at 18:00 CET (17:00 UTC); period 2 runs from Monday 30 March and closes on Friday 3 April at
18:00 CEST (16:00 UTC). Ana and Ben have accounts and are members; Ana collects at the
Hofladen, Ben has chosen no pick-up point. Ana is also a member of the seaside flats, which
keep UTC and are undated.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import icalendar
import pytest

from peerconomy.domain.account import User
from peerconomy.domain.pickup import PickupPoint
from peerconomy.domain.scenario import parse_scenario
from peerconomy.domain.schedule import PeriodLength
from peerconomy.domain.shifts import Shift
from peerconomy.services import (
    calendar_keys,
    calendars,
    membership,
    password_reset,
    periods,
    pickup,
    pools,
    shifts,
)
from peerconomy.services.calendars import CalendarEntry, CalendarScope
from peerconomy.services.errors import NotFoundError
from peerconomy.services.pools import import_scenario
from peerconomy.services.ports import UnitOfWork
from peerconomy.services.security import TooManyGuessesError
from peerconomy.store.memory import MemoryStore
from peerconomy.web.ical import calendar_text

FARM = parse_scenario(json.loads(
    (Path(__file__).parents[2] / "examples" / "farm.json").read_text()))
MONDAY = date(2026, 3, 23)
FIRST_CLOSE = datetime(2026, 3, 27, 17, 0, tzinfo=UTC)  # Friday 18:00 CET
SECOND_CLOSE = datetime(2026, 4, 3, 16, 0, tzinfo=UTC)  # Friday 18:00 CEST
NOW = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)
KEY = "farm site key"
HOFLADEN = PickupPoint("hofladen", "Hofladen", "Dorfstraße 1, 12345 Feldheim",
                       "Sa 9:00\u201312:00")


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    with store.unit_of_work() as uow:
        for name, locale in (("ana", "de"), ("ben", None)):
            uow.accounts.add_user(User(name, f"{name}@farm.example", "x", NOW, locale=locale))
        uow.commit()
    import_scenario(store.unit_of_work(), "farm", FARM, coordinators=["ana"])
    pools.update_settings(store.unit_of_work(), "farm", period_length=PeriodLength(1, "weeks"),
                          time_zone="Europe/Berlin", starts_on=MONDAY)
    membership.link_members(store.unit_of_work(), "farm", {"ana": "ana", "ben": "ben"})
    pickup.add_point(store.unit_of_work(), "farm", HOFLADEN)
    pickup.choose_point(store.unit_of_work(), "farm", "ana", "hofladen")
    membership.found_pool(store.unit_of_work(), "seaside", "ana")
    return store


def _user(store: MemoryStore, name: str) -> User:
    with store.unit_of_work() as uow:
        found = uow.accounts.user(name)
    assert found is not None
    return found


def _entries(store: MemoryStore, name: str) -> dict[str, CalendarEntry]:
    calendar = calendars.member_calendar(store.unit_of_work(), _user(store, name))
    return {entry.uid: entry for entry in calendar.entries}


def test_a_member_sees_the_period_and_its_deadline_in_the_pools_time_zone(
    store: MemoryStore,
) -> None:
    entries = _entries(store, "ben")
    assert list(entries) == ["farm/period-1", "farm/period-1/offers-close"]
    days, closing = entries.values()
    assert (days.starts, days.ends, days.busy) == (MONDAY, date(2026, 3, 29), False)
    assert days.summary.written() == "farm: period 1"
    assert (closing.starts, closing.ends, closing.time_zone) == (
        FIRST_CLOSE, None, "Europe/Berlin")
    assert closing.summary.written() == "farm: offers close (period 1)"


def test_the_deadline_keeps_its_local_hour_across_the_change_to_summer_time(
    store: MemoryStore,
) -> None:
    periods.clear_period(store.unit_of_work(), "farm")
    periods.settle_period(store.unit_of_work(), "farm")
    entries = _entries(store, "ben")
    first = entries["farm/period-1/offers-close"].starts
    second = entries["farm/period-2/offers-close"].starts
    assert (first, second) == (FIRST_CLOSE, SECOND_CLOSE)
    assert entries["farm/period-2"].starts == date(2026, 3, 30)


def test_a_member_with_goods_sees_their_pick_up_at_their_point(store: MemoryStore) -> None:
    assert "farm/period-1/pickup/ana" not in _entries(store, "ana")  # nothing cleared yet
    periods.clear_period(store.unit_of_work(), "farm")
    entry = _entries(store, "ana")["farm/period-1/pickup/ana"]
    # from the day after offers close to the period's last day, all day, not blocked
    assert (entry.starts, entry.ends, entry.busy) == (date(2026, 3, 28), date(2026, 3, 29),
                                                      False)
    assert entry.summary.written() == "farm: pick-up at Hofladen"
    assert entry.location == "Hofladen, Dorfstraße 1, 12345 Feldheim"
    assert [line.written() for line in entry.description] == [
        "Opening times: Sa 9:00\u201312:00", "vegetable_share: 1", "mill_bread: 2",
        "milk_share: 1"]


def test_a_member_without_a_point_is_asked_to_choose_one(store: MemoryStore) -> None:
    plan = periods.clear_period(store.unit_of_work(), "farm")
    assert any(a.participant == "ben" for a in plan.data.allocations)
    entries = _entries(store, "ben")
    entry = entries["farm/period-1/pickup/ben"]
    assert entry.summary.written() == "farm: pick-up (choose a pick-up point)"
    assert entry.location == ""
    assert "farm/period-1/pickup/ana" not in entries  # nothing of ana's


def test_a_member_who_leaves_no_longer_sees_the_pool(store: MemoryStore) -> None:
    periods.clear_period(store.unit_of_work(), "farm")
    assert any(uid.startswith("farm/") for uid in _entries(store, "ben"))
    pools.remove_member(store.unit_of_work(), "farm", "ben")
    assert _entries(store, "ben") == {}
    with pytest.raises(NotFoundError, match="no pool 'farm'"):
        calendars.pool_calendar(store.unit_of_work(), _user(store, "ben"), "farm")
    with pytest.raises(NotFoundError, match="no pool 'farm'"):
        calendars.member_of(store.unit_of_work(), _user(store, "ben"), "farm")


def test_the_pools_calendar_lists_its_periods_for_a_member_and_hides_it_from_others(
    store: MemoryStore,
) -> None:
    ana = _user(store, "ana")
    calendar = calendars.pool_calendar(store.unit_of_work(), ana, "farm")
    assert calendar.uid == "pool/farm"
    assert [e.uid for e in calendar.entries] == ["farm/period-1",
                                                 "farm/period-1/offers-close"]
    with pytest.raises(NotFoundError, match="no pool 'elsewhere'"):
        calendars.pool_calendar(store.unit_of_work(), ana, "elsewhere")


def test_another_source_plugs_in_with_its_entries(store: MemoryStore) -> None:
    """What the shifts add: a source of the member's placements, asked pool by pool."""
    def placements(uow: UnitOfWork, scope: CalendarScope) -> list[CalendarEntry]:
        assert scope.member is not None
        start = datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
        return [CalendarEntry(f"{scope.pool.name}/shift/7/{scope.member.id}",
                              calendars.text("Harvest"), start, start + timedelta(hours=3),
                              scope.time_zone, location="Feld 3", cancelled=True)]

    calendar = calendars.member_calendar(
        store.unit_of_work(), _user(store, "ana"),
        sources=(*calendars.MEMBER_SOURCES, placements))
    shifts = [e for e in calendar.entries if "/shift/" in e.uid]
    assert [e.uid for e in shifts] == ["farm/shift/7/ana", "seaside/shift/7/ana"]
    assert (shifts[0].location, shifts[0].cancelled, shifts[0].time_zone) == (
        "Feld 3", True, "Europe/Berlin")
    assert shifts[1].time_zone == "UTC"
    assert calendar.locale == "de"


def test_a_secret_address_is_kept_until_renewed(store: MemoryStore) -> None:
    token = calendar_keys.address_token(store.unit_of_work(), "ana", KEY, now=NOW)
    assert calendar_keys.address_token(store.unit_of_work(), "ana", KEY) == token
    assert calendar_keys.owner(store.unit_of_work(), token).name == "ana"
    with store.unit_of_work() as uow:
        kept = uow.accounts.calendar_key("ana")
    assert kept is not None and token[16:] not in repr(kept)  # only its hash is stored
    renewed = calendar_keys.renew(store.unit_of_work(), "ana", KEY, now=NOW)
    assert renewed != token
    assert calendar_keys.owner(store.unit_of_work(), renewed).name == "ana"
    with pytest.raises(NotFoundError):
        calendar_keys.owner(store.unit_of_work(), token)
    assert calendar_keys.address_token(store.unit_of_work(), "ana", KEY) == renewed


def test_each_token_is_its_owners_alone(store: MemoryStore) -> None:
    anas = calendar_keys.address_token(store.unit_of_work(), "ana", KEY)
    bens = calendar_keys.address_token(store.unit_of_work(), "ben", KEY)
    assert anas != bens
    assert calendar_keys.owner(store.unit_of_work(), bens).name == "ben"
    forged = anas[:16] + bens[16:]  # ana's id with ben's secret
    with pytest.raises(NotFoundError):
        calendar_keys.owner(store.unit_of_work(), forged)


@pytest.mark.parametrize("token", ["", "1" * 20, "0123456789abcdef", "x" * 10_000,
                                   "0123456789abcdef" + "A" * 43, "\x00" * 59,
                                   "0123456789ABCDEF" + "A" * 43])
def test_an_unknown_or_malformed_token_is_not_found(store: MemoryStore, token: str) -> None:
    with pytest.raises(NotFoundError):
        calendar_keys.owner(store.unit_of_work(), token)


def test_a_new_site_key_renews_the_address_as_it_is_shown(store: MemoryStore) -> None:
    old = calendar_keys.address_token(store.unit_of_work(), "ana", KEY)
    new = calendar_keys.address_token(store.unit_of_work(), "ana", "another site key")
    assert new != old
    with pytest.raises(NotFoundError):
        calendar_keys.owner(store.unit_of_work(), old)
    assert calendar_keys.owner(store.unit_of_work(), new).name == "ana"


def test_a_disabled_account_has_no_calendar(store: MemoryStore) -> None:
    token = calendar_keys.address_token(store.unit_of_work(), "ben", KEY)
    with store.unit_of_work() as uow:
        uow.accounts.put_user(replace(_user(store, "ben"), disabled=True))
        uow.commit()
    with pytest.raises(NotFoundError):
        calendar_keys.owner(store.unit_of_work(), token)


def test_a_client_guessing_addresses_is_locked_out_for_a_while(store: MemoryStore) -> None:
    token = calendar_keys.address_token(store.unit_of_work(), "ana", KEY)
    for n in range(19):
        with pytest.raises(NotFoundError):
            calendar_keys.owner(store.unit_of_work(), f"{n:016x}" + "A" * 43,
                                client="203.0.113.9", now=NOW)
    # a known address is not counted, and another client is not locked
    for _ in range(5):
        calendar_keys.owner(store.unit_of_work(), token, client="203.0.113.9", now=NOW)
    with pytest.raises(NotFoundError):
        calendar_keys.owner(store.unit_of_work(), "guess", client="203.0.113.9", now=NOW)
    with pytest.raises(TooManyGuessesError) as locked:
        calendar_keys.owner(store.unit_of_work(), token, client="203.0.113.9", now=NOW)
    assert locked.value.seconds == 15 * 60
    assert calendar_keys.owner(store.unit_of_work(), token, client="198.51.100.7",
                               now=NOW).name == "ana"
    later = NOW + timedelta(minutes=15)
    assert calendar_keys.owner(store.unit_of_work(), token, client="203.0.113.9",
                               now=later).name == "ana"


def test_the_addresses_name_every_pool_the_member_is_in(store: MemoryStore) -> None:
    found = calendar_keys.addresses(store.unit_of_work(), "ana", KEY, "https://farm.example/")
    token = calendar_keys.address_token(store.unit_of_work(), "ana", KEY)
    assert found.calendar_url == f"https://farm.example/calendar/{token}.ics"
    assert [(p.pool, p.calendar_url, p.feed_url) for p in found.pools] == [
        (pool, f"https://farm.example/pools/{pool}/calendar/{token}.ics",
         f"https://farm.example/pools/{pool}/hints/{token}.atom")
        for pool in ("farm", "seaside")]
    renewed = calendar_keys.addresses(store.unit_of_work(), "ana", KEY,
                                      "https://farm.example", renewing=True)
    assert renewed.calendar_url != found.calendar_url


def test_a_password_reset_voids_the_address_and_a_new_one_is_shown(store: MemoryStore) -> None:
    """A reset is how an account is taken back: whoever held it may have copied the address."""
    token = calendar_keys.address_token(store.unit_of_work(), "ben", KEY)
    link = password_reset.request_reset(store.unit_of_work(), "ben@farm.example", now=NOW)
    assert link is not None
    password_reset.reset_password(store.unit_of_work(), link.code, "ben's new password",
                                  now=NOW)
    with pytest.raises(NotFoundError):
        calendar_keys.owner(store.unit_of_work(), token)
    shown = calendar_keys.address_token(store.unit_of_work(), "ben", KEY)
    assert shown != token
    assert calendar_keys.owner(store.unit_of_work(), shown).name == "ben"


def test_a_member_sees_their_shifts_and_the_pool_its_open_slots(store: MemoryStore) -> None:
    # the books on Saturday 28 March, 9:00 to 12:00 in Berlin (8:00 to 11:00 UTC, before
    # the clocks go forward that night), in the farm office, four places; the clear assigns
    # ana and greta hours of bookkeeping, so both are placed on it and two places stay open
    books = shifts.add_shift(store.unit_of_work(), "farm", Shift(
        "bookkeeping", date(2026, 3, 28), time(9), time(12), "Hofbüro", 4, "Bring receipts"))
    periods.clear_period(store.unit_of_work(), "farm", now=FIRST_CLOSE)
    with store.unit_of_work() as uow:
        placed = sorted(who for id, who in uow.shifts.placements("farm", 1) if id == books.id)
    assert placed == ["ana", "greta"]

    mine = _entries(store, "ana")[f"farm/shift/{books.id}/ana"]
    assert (mine.starts, mine.ends) == (datetime(2026, 3, 28, 8, tzinfo=UTC),
                                        datetime(2026, 3, 28, 11, tzinfo=UTC))
    assert (mine.time_zone, mine.location) == ("Europe/Berlin", "Hofbüro")
    assert dict(mine.summary.values)["task"] == "Buchhaltung"  # the task as people read it
    assert [dict(line.values)["note"] for line in mine.description] == ["Bring receipts"]

    open_slots = calendars.pool_calendar(store.unit_of_work(), _user(store, "ben"), "farm",
                                         now=FIRST_CLOSE)
    (slot,) = [e for e in open_slots.entries if e.uid == f"farm/shift/{books.id}/open"]
    assert (dict(slot.summary.values)["free"], dict(slot.summary.values)["slots"]) == (2, 4)
    assert (slot.starts, slot.location) == (datetime(2026, 3, 28, 8, tzinfo=UTC), "Hofbüro")
    # once the shift has begun it is no open slot any more
    later = calendars.pool_calendar(store.unit_of_work(), _user(store, "ben"), "farm",
                                    now=datetime(2026, 3, 28, 8, 30, tzinfo=UTC))
    assert not [e for e in later.entries if "/shift/" in e.uid]


def test_the_calendars_name_the_pool_as_people_read_it(store: MemoryStore) -> None:
    """A pool with a display name is called so in every entry's summary and in the name of
    its calendar of open slots (X-WR-CALNAME); the UIDs keep its id."""
    pools.update_settings(store.unit_of_work(), "farm", display_name="Hof Sonnenwiese")
    books = shifts.add_shift(store.unit_of_work(), "farm", Shift(
        "bookkeeping", date(2026, 3, 28), time(9), time(12), "Hofbüro", 4))
    periods.clear_period(store.unit_of_work(), "farm", now=FIRST_CLOSE)
    ana = {uid: e.summary.written() for uid, e in _entries(store, "ana").items()}
    assert ana == {
        "farm/period-1": "Hof Sonnenwiese: period 1",
        "farm/period-1/offers-close": "Hof Sonnenwiese: offers close (period 1)",
        "farm/period-1/pickup/ana": "Hof Sonnenwiese: pick-up at Hofladen",
        f"farm/shift/{books.id}/ana": "Hof Sonnenwiese: shift, Buchhaltung",
    }
    ben = {uid: e.summary.written() for uid, e in _entries(store, "ben").items()}
    assert ben["farm/period-1/pickup/ben"] == (
        "Hof Sonnenwiese: pick-up (choose a pick-up point)")
    open_slots = calendars.pool_calendar(store.unit_of_work(), _user(store, "ben"), "farm",
                                         now=FIRST_CLOSE)
    assert open_slots.uid == "pool/farm"
    assert open_slots.name.written() == "Hof Sonnenwiese: open slots"
    assert {e.uid: e.summary.written() for e in open_slots.entries}[
        f"farm/shift/{books.id}/open"] == "Hof Sonnenwiese: Buchhaltung, 2 of 4 places free"
    written = icalendar.Calendar.from_ical(calendar_text(
        open_slots, host="farm.example", now=FIRST_CLOSE, gettext=lambda m: m, locale="en"))
    assert written["X-WR-CALNAME"] == "Hof Sonnenwiese: open slots"
    # without a display name, the id again
    pools.update_settings(store.unit_of_work(), "farm", display_name=None)
    assert _entries(store, "ana")["farm/period-1"].summary.written() == "farm: period 1"
