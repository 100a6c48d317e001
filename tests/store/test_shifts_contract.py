"""Shifts on every store: a pool's shifts come back as stored, numbered per pool and sorted
by day and time; the shifts an offer names are kept per period; placements are added,
listed and removed (all of a period, one shift's, or one member's on a shift); swap proposals
are numbered per pool and answered; follows are kept per project and member; a renamed
participant keeps all of theirs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Member, Period, Pool, PoolProject
from peerconomy.domain.scenario import Task
from peerconomy.domain.shift_exchange import SwapProposal
from peerconomy.domain.shifts import Shift
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore

Store = MemoryStore | SqlStore

SATURDAY = date(2026, 5, 9)
HARVEST = Shift("harvest", SATURDAY, time(9), time(12), "Feld 3", 4, "Bring gloves")
MILKING = Shift("milking", SATURDAY, time(5, 30), time(7), "Stall", 1)
NIGHT = Shift("milking", date(2026, 5, 8), time(22), time(6), "Stall", 1)


def _farm(store: Store) -> None:
    with store.unit_of_work() as uow:
        for pool in ("farm", "bakery"):
            uow.pools.add(Pool(pool))
            uow.pools.put_project(pool, PoolProject("veg"))
            uow.pools.add_tasks(pool, [Task(id="harvest", project="veg"),
                                       Task(id="milking", project="veg")])
            uow.pools.add_members(pool, [Member("ana"), Member("ben")])
            uow.periods.add(Period(pool, 1, PeriodState.COLLECTING))
        uow.commit()


def test_shifts_are_numbered_per_pool_and_come_back_by_day_and_time(store: Store) -> None:
    _farm(store)
    with store.unit_of_work() as uow:
        stored = uow.shifts.add("farm", [HARVEST, MILKING, NIGHT])
        other = uow.shifts.add("bakery", [HARVEST])
        uow.commit()
    assert [s.id for s in stored] == [1, 2, 3] and other[0].id == 1
    with store.unit_of_work() as uow:
        assert uow.shifts.of_pool("farm") == [replace(NIGHT, id=3), replace(MILKING, id=2),
                                              replace(HARVEST, id=1)]
        assert uow.shifts.of_pool("farm", task="harvest") == [replace(HARVEST, id=1)]
        assert uow.shifts.get("farm", 3) == replace(NIGHT, id=3)
        assert uow.shifts.get("farm", 4) is None and uow.shifts.get("cafe", 1) is None
        more = uow.shifts.add("farm", [MILKING])
        uow.shifts.put("farm", replace(HARVEST, id=1, cancelled=True, slots=2))
        uow.commit()
    assert more[0].id == 4
    with store.unit_of_work() as uow:
        assert uow.shifts.get("farm", 1) == replace(HARVEST, id=1, cancelled=True, slots=2)
        assert uow.shifts.get("bakery", 1) == replace(HARVEST, id=1)


def test_an_offers_shifts_are_kept_per_period_and_any_when_none_are_named(
        store: Store) -> None:
    _farm(store)
    with store.unit_of_work() as uow:
        uow.shifts.add("farm", [HARVEST, MILKING, NIGHT])
        uow.shifts.set_availability("farm", 1, "ben", "milking", [3, 2, 2])
        uow.shifts.set_availability("farm", 1, "ana", "harvest", [1])
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.shifts.availability("farm", 1) == {("ana", "harvest"): (1,),
                                                      ("ben", "milking"): (2, 3)}
        assert uow.shifts.availability("farm", 2) == {}
        uow.shifts.set_availability("farm", 1, "ben", "milking", [3])
        uow.shifts.set_availability("farm", 1, "ana", "harvest", None)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.shifts.availability("farm", 1) == {("ben", "milking"): (3,)}


def test_placements_are_added_listed_and_removed(store: Store) -> None:
    _farm(store)
    with store.unit_of_work() as uow:
        uow.shifts.add("farm", [HARVEST, MILKING, NIGHT])
        uow.shifts.add_placements("farm", 1, [(3, "ben"), (1, "ana"), (1, "ben")])
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.shifts.placements("farm", 1) == [(1, "ana"), (1, "ben"), (3, "ben")]
        assert uow.shifts.placements("bakery", 1) == []
        assert uow.shifts.remove_placements("farm", 1, shift=1) == [(1, "ana"), (1, "ben")]
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.shifts.placements("farm", 1) == [(3, "ben")]
        assert uow.shifts.remove_placements("farm", 1) == [(3, "ben")]
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.shifts.placements("farm", 1) == []


def test_the_pools_with_people_placed_on_shifts_of_some_days_are_found(store: Store) -> None:
    """Where the shift reminders look: pools with a placement on a shift, not cancelled, of
    a day in the range (both ends included)."""
    _farm(store)
    with store.unit_of_work() as uow:
        uow.pools.add(Pool("cafe"))
        uow.shifts.add("farm", [HARVEST, NIGHT])  # Saturday 9, Friday 8 May
        uow.shifts.add("bakery", [replace(HARVEST, day=date(2026, 5, 12)), MILKING])
        uow.shifts.add("cafe", [])
        uow.shifts.add_placements("farm", 1, [(1, "ana"), (2, "ben")])
        uow.shifts.add_placements("bakery", 1, [(1, "ana")])  # on the 12th; MILKING empty
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.shifts.placed_pools(date(2026, 5, 1), date(2026, 5, 31)) == ["bakery",
                                                                                 "farm"]
        assert uow.shifts.placed_pools(SATURDAY, SATURDAY) == ["farm"]  # nobody on MILKING
        assert uow.shifts.placed_pools(date(2026, 5, 8), date(2026, 5, 8)) == ["farm"]
        assert uow.shifts.placed_pools(date(2026, 5, 10), date(2026, 5, 12)) == ["bakery"]
        assert uow.shifts.placed_pools(date(2026, 5, 13), date(2026, 6, 1)) == []
        uow.shifts.put("bakery", replace(HARVEST, id=1, day=date(2026, 5, 12), cancelled=True))
        uow.shifts.remove_placements("farm", 1, shift=1)
        uow.commit()
    with store.unit_of_work() as uow:  # a cancelled shift's people are not looked for
        assert uow.shifts.placed_pools(date(2026, 5, 1), date(2026, 5, 31)) == ["farm"]
        assert uow.shifts.placed_pools(SATURDAY, SATURDAY) == []


def test_a_renamed_participant_keeps_their_shifts(store: Store) -> None:
    _farm(store)
    with store.unit_of_work() as uow:
        uow.shifts.add("farm", [HARVEST, MILKING])
        uow.shifts.set_availability("farm", 1, "ben", "milking", [2])
        uow.shifts.add_placements("farm", 1, [(2, "ben"), (1, "ana")])
        uow.pools.rename_participant("farm", "ben", "gone-1")
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.shifts.placements("farm", 1) == [(1, "ana"), (2, "gone-1")]
        assert uow.shifts.availability("farm", 1) == {("gone-1", "milking"): (2,)}


def test_a_rolled_back_shift_is_not_kept(store: Store) -> None:
    _farm(store)
    with store.unit_of_work() as uow:
        uow.shifts.add("farm", [HARVEST])
    with store.unit_of_work() as uow:
        assert uow.shifts.of_pool("farm") == []


AT = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)


def test_one_members_placement_is_removed_alone(store: Store) -> None:
    _farm(store)
    with store.unit_of_work() as uow:
        uow.shifts.add("farm", [HARVEST, MILKING])
        uow.shifts.add_placements("farm", 1, [(1, "ana"), (1, "ben"), (2, "ben")])
        assert uow.shifts.remove_placements("farm", 1, shift=1, participant="ben") == [
            (1, "ben")]
        assert uow.shifts.remove_placements("farm", 1, shift=2, participant="ana") == []
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.shifts.placements("farm", 1) == [(1, "ana"), (2, "ben")]


def test_swap_proposals_are_numbered_per_pool_listed_by_member_and_answered(
        store: Store) -> None:
    _farm(store)
    proposal = SwapProposal(1, "ben", 2, "ana", 1, AT)
    with store.unit_of_work() as uow:
        uow.shifts.add("farm", [HARVEST, MILKING])
        uow.shifts.add("bakery", [HARVEST])
        first = uow.shifts.add_swap("farm", proposal)
        second = uow.shifts.add_swap("farm", replace(proposal, their_shift=None, to="cleo"))
        other = uow.shifts.add_swap("bakery", replace(proposal, shift=1, their_shift=None))
        uow.commit()
    assert (first.id, second.id, other.id) == (1, 2, 1)
    with store.unit_of_work() as uow:
        assert uow.shifts.get_swap("farm", 1) == replace(proposal, id=1)
        assert uow.shifts.get_swap("farm", 3) is None
        assert [s.id for s in uow.shifts.swaps("farm")] == [1, 2]
        assert [s.id for s in uow.shifts.swaps("farm", participant="ana")] == [1]
        assert [s.id for s in uow.shifts.swaps("farm", participant="cleo")] == [2]
        later = AT + timedelta(hours=2)
        uow.shifts.put_swap("farm", replace(first, state="accepted", decided_at=later))
        uow.commit()
    with store.unit_of_work() as uow:
        answered = uow.shifts.get_swap("farm", 1)
        assert answered is not None
        assert (answered.state, answered.decided_at, answered.pending) == (
            "accepted", AT + timedelta(hours=2), False)
        assert uow.shifts.get_swap("bakery", 1) == replace(
            proposal, shift=1, their_shift=None, id=1)


def test_follows_are_kept_per_project_and_member(store: Store) -> None:
    _farm(store)
    with store.unit_of_work() as uow:
        uow.pools.put_project("farm", PoolProject("dairy"))
        uow.shifts.set_following("farm", "veg", "ben", True)
        uow.shifts.set_following("farm", "veg", "ana", True)
        uow.shifts.set_following("farm", "dairy", "ben", True)
        uow.shifts.set_following("farm", "dairy", "ben", True)  # twice: still once
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.shifts.followers("farm", "veg") == ["ana", "ben"]
        assert uow.shifts.followed("farm", "ben") == ["dairy", "veg"]
        assert uow.shifts.followers("bakery", "veg") == []
        uow.shifts.set_following("farm", "veg", "ben", False)
        uow.shifts.set_following("farm", "veg", "cleo", False)  # never followed: nothing
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.shifts.followers("farm", "veg") == ["ana"]
        assert uow.shifts.followed("farm", "ben") == ["dairy"]


def test_a_renamed_participant_keeps_their_swaps_and_follows(store: Store) -> None:
    _farm(store)
    with store.unit_of_work() as uow:
        uow.shifts.add("farm", [HARVEST, MILKING])
        uow.shifts.add_swap("farm", SwapProposal(1, "ben", 2, "ana", 1, AT))
        uow.shifts.add_swap("farm", SwapProposal(1, "ana", 1, "ben", None, AT))
        uow.shifts.set_following("farm", "veg", "ben", True)
        uow.pools.rename_participant("farm", "ben", "gone-1")
        uow.commit()
    with store.unit_of_work() as uow:
        assert [(s.proposer, s.to) for s in uow.shifts.swaps("farm")] == [
            ("gone-1", "ana"), ("ana", "gone-1")]
        assert uow.shifts.followers("farm", "veg") == ["gone-1"]
