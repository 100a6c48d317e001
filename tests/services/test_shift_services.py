"""Shifts in the workshop, weekly from Monday 4 May 2026 in Berlin: the coordinator adds
assembly shifts for the weekend and painting from a rule; clearing places each member's
assigned hours on them (ana 8 h and ben 6 h of assembly, ben 4 h and chiara 3 h of painting),
in the clearing's transaction; reopening withdraws them with the plan; cancelling a shift
removes its people's placement and tells them through the outbox."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from peerconomy.domain.account import User
from peerconomy.domain.refusal import ConflictError, InputError, NotFoundError
from peerconomy.domain.scenario import Offer
from peerconomy.domain.schedule import PeriodLength
from peerconomy.domain.shifts import Shift, ShiftRule
from peerconomy.services import collecting, periods, pools, shifts
from peerconomy.services.notices import Notice
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

MONDAY = date(2026, 5, 4)
SATURDAY, SUNDAY = date(2026, 5, 9), date(2026, 5, 10)
NOW = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)


def weekly(store: MemoryStore) -> None:
    pools.update_settings(store.unit_of_work(), "workshop", period_length=PeriodLength(1, "weeks"),
                          time_zone="Europe/Berlin", starts_on=MONDAY, actor="ana")


def weekend(store: MemoryStore) -> list[Shift]:
    """Assembly on Saturday and Sunday, 9:00 to 13:00, two places each (ids 1, 2); painting
    every evening from Wednesday to Friday, 17:00 to 20:00, one place (ids 3 to 5)."""
    made = [shifts.add_shift(store.unit_of_work(), "workshop",
                             Shift("assemble", day, time(9), time(13), "Werkstatt", 2),
                             actor="ana") for day in (SATURDAY, SUNDAY)]
    made += shifts.repeat_shifts(store.unit_of_work(), "workshop", ShiftRule(
        "paint", "day", date(2026, 5, 6), date(2026, 5, 8), time(17), time(20),
        place="Lackierraum"), actor="ana")
    return made


def placed(store: MemoryStore, number: int = 1) -> list[tuple[int, str]]:
    with store.unit_of_work() as uow:
        return uow.shifts.placements("workshop", number)


def test_clearing_places_each_members_hours_on_the_weeks_shifts(
        store: MemoryStore, uow: MemoryUnitOfWork) -> None:
    weekly(store)
    made = weekend(store)
    assert [s.id for s in made] == [1, 2, 3, 4, 5]
    periods.clear_period(store.unit_of_work(), "workshop", now=NOW)
    # assembly: 4-hour shifts, ana 8 h -> 2 shifts, ben 6 h -> 1.5 -> 2 shifts (2 places each)
    # painting: 3-hour shifts, ben 4 h -> 1 shift, chiara 3 h -> 1 shift
    assert placed(store) == [(1, "ana"), (1, "ben"), (2, "ana"), (2, "ben"), (3, "chiara"),
                             (4, "ben")]
    mine = shifts.my_shifts(store.unit_of_work(), "workshop", "ben")
    assert [(m.period, m.shift.id, m.shift.day) for m in mine.shifts] == [
        (1, 4, date(2026, 5, 7)), (1, 1, SATURDAY), (1, 2, SUNDAY)]
    assert [(h.task, h.assigned, h.placed) for h in mine.hours] == [
        ("assemble", 6.0, 8.0), ("paint", 4.0, 3.0)]
    rows = shifts.task_shifts(store.unit_of_work(), "workshop")
    assert [(r.shift.id, r.taken, r.free) for r in rows["assemble"]] == [(1, 2, 0), (2, 2, 0)]
    assert [(r.shift.id, r.taken, r.free) for r in rows["paint"]] == [
        (3, 1, 0), (4, 1, 0), (5, 0, 1)]


def test_an_offer_names_the_shifts_its_member_can_do(
        store: MemoryStore, uow: MemoryUnitOfWork) -> None:
    weekly(store)
    weekend(store)
    collecting.make_offer(store.unit_of_work(), "workshop",
                          Offer(participant="ben", task="paint", hours=4, min_weight=1.0),
                          shifts=[5], now=NOW)
    collecting.make_offer(store.unit_of_work(), "workshop",  # the web form keeps them
                          Offer(participant="ben", task="paint", hours=4, min_weight=1.0),
                          now=NOW)
    with store.unit_of_work() as reading:
        assert reading.shifts.availability("workshop", 1) == {("ben", "paint"): (5,)}
    periods.clear_period(store.unit_of_work(), "workshop", now=NOW)
    assert [s for s, who in placed(store) if who == "ben"] == [1, 2, 5]


def test_an_offer_naming_a_shift_of_another_task_or_period_is_refused(
        store: MemoryStore, uow: MemoryUnitOfWork) -> None:
    weekly(store)
    weekend(store)
    later = shifts.add_shift(store.unit_of_work(), "workshop",
                             Shift("paint", date(2026, 5, 12), time(17), time(20)))
    offer = Offer(participant="ben", task="paint", hours=4, min_weight=1.0)
    for named, reason in (([1], "must be a shift of task 'paint'"),
                          ([later.id], "must fall in period 1 (2026-05-04 to 2026-05-10)"),
                          ([], "must name at least one shift")):
        with pytest.raises(InputError, match=re.escape(reason)):
            collecting.make_offer(store.unit_of_work(), "workshop", offer, shifts=named,
                                  now=NOW)
    with store.unit_of_work() as reading:
        assert reading.shifts.availability("workshop", 1) == {}


def test_reopening_withdraws_the_placements_with_the_plan(
        store: MemoryStore, uow: MemoryUnitOfWork) -> None:
    weekly(store)
    weekend(store)
    periods.clear_period(store.unit_of_work(), "workshop", now=NOW)
    assert placed(store)
    periods.reopen_period(store.unit_of_work(), "workshop", now=NOW, actor="ana")
    assert placed(store) == []
    periods.clear_period(store.unit_of_work(), "workshop", now=NOW)
    assert len(placed(store)) == 6


def test_an_undated_period_and_a_pool_without_shifts_place_nothing(
        store: MemoryStore, uow: MemoryUnitOfWork) -> None:
    weekend(store)  # the workshop's periods are undated
    periods.clear_period(store.unit_of_work(), "workshop", now=NOW)
    assert placed(store) == []
    assert shifts.my_shifts(store.unit_of_work(), "workshop", "ana").shifts == ()


def test_cancelling_a_shift_removes_its_placements_and_tells_its_people(
        store: MemoryStore, uow: MemoryUnitOfWork) -> None:
    weekly(store)
    weekend(store)
    with store.unit_of_work() as setup:
        for name in ("ana", "ben", "chiara"):
            setup.accounts.add_user(User(name, f"{name}@example.org", "", NOW,
                                         email_verified_at=NOW))
            member = setup.pools.member("workshop", name)
            assert member is not None
            setup.pools.put_member("workshop", replace(member, account=name))
        setup.commit()
    periods.clear_period(store.unit_of_work(), "workshop", now=NOW)
    with store.unit_of_work() as reading:
        before = len(reading.mail.outbox())
    cancelled = shifts.cancel_shift(store.unit_of_work(), "workshop", 2, actor="ana", now=NOW)
    assert cancelled.cancelled
    assert placed(store) == [(1, "ana"), (1, "ben"), (3, "chiara"), (4, "ben")]
    with store.unit_of_work() as reading:
        queued = reading.mail.outbox()[before:]
        entry = reading.audit.entries("workshop", limit=1)[0]
    assert sorted(m.recipient for m in queued) == ["ana@example.org", "ben@example.org"]
    subject, body = Notice.from_json(queued[0].notice).written()
    assert subject == "[workshop] Shift cancelled: assemble on 2026-05-10"
    assert "from 09:00 to 13:00 at Werkstatt" in body
    assert (entry.action, entry.detail) == ("shift.cancel", {"people": ["ana", "ben"]})
    with pytest.raises(ConflictError, match="cancelled already"):
        shifts.cancel_shift(store.unit_of_work(), "workshop", 2, now=NOW)
    with pytest.raises(NotFoundError, match="no shift 9"):
        shifts.cancel_shift(store.unit_of_work(), "workshop", 9, now=NOW)


def test_a_shift_of_an_unknown_task_or_with_bad_times_changes_nothing(
        store: MemoryStore, uow: MemoryUnitOfWork) -> None:
    with pytest.raises(NotFoundError, match="no task 'weld'"):
        shifts.add_shift(store.unit_of_work(), "workshop",
                         Shift("weld", SATURDAY, time(9), time(13)))
    with pytest.raises(InputError, match=r"^end: must differ from start"):
        shifts.add_shift(store.unit_of_work(), "workshop",
                         Shift("assemble", SATURDAY, time(9), time(9)))
    with store.unit_of_work() as reading:
        assert reading.shifts.of_pool("workshop") == []
