"""Shifts changing hands in the workshop, weekly from Monday 4 May 2026 in Berlin, cleared on
Tuesday: ana and ben on assembly on Saturday (shift 1) and Sunday (2), chiara painting on
Wednesday evening (3), ben on Thursday (4), Friday's painting (5) open. Ben hands Thursday
back, dario takes it, ben swaps with chiara, the followers of the workshop hear of open
slots; the plan stays as it was cleared."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from peerconomy.domain.account import User
from peerconomy.domain.refusal import ConflictError, InputError, NotFoundError
from peerconomy.domain.schedule import PeriodLength
from peerconomy.domain.shifts import Shift, ShiftRule
from peerconomy.services import (
    hints,
    labels,
    mail_settings,
    periods,
    pools,
    shift_exchange,
    shifts,
)
from peerconomy.services.notices import Notice
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

MONDAY = date(2026, 5, 4)
SATURDAY, SUNDAY = date(2026, 5, 9), date(2026, 5, 10)
NOW = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
THURSDAY_EVENING = datetime(2026, 5, 7, 15, 30, tzinfo=UTC)  # 17:30 in Berlin
POOL = "workshop"


def placed(store: MemoryStore) -> list[tuple[int, str]]:
    with store.unit_of_work() as uow:
        return uow.shifts.placements(POOL, 1)


def outbox(store: MemoryStore) -> list[tuple[str, str, str]]:
    """Each queued notice: to whom, its subject and body."""
    with store.unit_of_work() as uow:
        return [(m.recipient, *Notice.from_json(m.notice).written())
                for m in uow.mail.outbox()]


@pytest.fixture
def week(store: MemoryStore, uow: MemoryUnitOfWork) -> MemoryStore:
    """The workshop's first week cleared, its members with verified accounts."""
    pools.update_settings(store.unit_of_work(), POOL, period_length=PeriodLength(1, "weeks"),
                          time_zone="Europe/Berlin", starts_on=MONDAY, actor="ana")
    for day in (SATURDAY, SUNDAY):
        shifts.add_shift(store.unit_of_work(), POOL,
                         Shift("assemble", day, time(9), time(13), "Werkstatt", 2))
    shifts.repeat_shifts(store.unit_of_work(), POOL, ShiftRule(
        "paint", "day", date(2026, 5, 6), date(2026, 5, 8), time(17), time(20),
        place="Lackierraum"))
    with store.unit_of_work() as setup:
        for name in ("ana", "ben", "chiara", "dario"):
            setup.accounts.add_user(User(name, f"{name}@example.org", "", NOW,
                                         email_verified_at=NOW))
            member = setup.pools.member(POOL, name)
            assert member is not None
            setup.pools.put_member(POOL, replace(member, account=name))
        setup.commit()
    periods.clear_period(store.unit_of_work(), POOL, now=NOW)
    assert placed(store) == [(1, "ana"), (1, "ben"), (2, "ana"), (2, "ben"), (3, "chiara"),
                             (4, "ben")]
    with store.unit_of_work() as reading:
        reading.mail.outbox()  # the plan's notices are queued; the tests count from here
    return store


def _assignments(store: MemoryStore) -> list[tuple[str, str, float]]:
    with store.unit_of_work() as uow:
        return [(a.participant, a.task, a.hours) for a in uow.periods.assignments(POOL, 1)]


def test_a_shift_handed_back_is_an_open_slot_on_the_hint_board_and_the_plan_stays(
        week: MemoryStore) -> None:
    planned = _assignments(week)
    before = shift_exchange.open_slots(week.unit_of_work(), POOL, now=NOW)
    assert [(o.shift.id, o.free) for o in before] == [(5, 1)]  # Friday nobody fills
    shift_exchange.hand_back(week.unit_of_work(), POOL, "ben", 4, now=NOW)
    assert placed(week) == [(1, "ana"), (1, "ben"), (2, "ana"), (2, "ben"), (3, "chiara")]
    board = hints.hint_board(week.unit_of_work(), POOL, now=NOW)
    assert [(o.shift.id, o.shift.day, o.project, o.free) for o in board.open_slots] == [
        (4, date(2026, 5, 7), "workshop", 1), (5, date(2026, 5, 8), "workshop", 1)]
    assert board.as_json()["open_slots"][0] == {
        "shift": 4, "task": "paint", "project": "workshop", "period": 1,
        "date": "2026-05-07", "start": "17:00", "end": "20:00", "place": "Lackierraum",
        "slots": 1, "free": 1}
    assert _assignments(week) == planned  # ben still owes his 4 h of painting
    mine = shifts.my_shifts(week.unit_of_work(), POOL, "ben")
    assert [(h.task, h.assigned, h.placed) for h in mine.hours] == [
        ("assemble", 6.0, 8.0), ("paint", 4.0, 0.0)]
    with week.unit_of_work() as uow:
        entry = uow.audit.entries(POOL, limit=1)[0]
    assert (entry.action, entry.actor, entry.subject) == ("shift.hand_back", "ben", "4")


def test_a_shift_not_ones_own_or_begun_is_not_handed_back(week: MemoryStore) -> None:
    with pytest.raises(NotFoundError, match="no shift of yours 4"):
        shift_exchange.hand_back(week.unit_of_work(), POOL, "chiara", 4, now=NOW)
    with pytest.raises(NotFoundError, match="no shift of yours 99"):
        shift_exchange.hand_back(week.unit_of_work(), POOL, "ben", 99, now=NOW)
    with pytest.raises(ConflictError, match="has begun"):
        shift_exchange.hand_back(week.unit_of_work(), POOL, "ben", 4, now=THURSDAY_EVENING)
    assert (4, "ben") in placed(week)
    assert [o.shift.id for o in shift_exchange.open_slots(
        week.unit_of_work(), POOL, now=THURSDAY_EVENING)] == [5]  # Thursday has begun


def test_a_member_takes_an_open_slot(week: MemoryStore) -> None:
    shift_exchange.take_slot(week.unit_of_work(), POOL, "dario", 5, now=NOW)
    assert (5, "dario") in placed(week)
    assert shift_exchange.open_slots(week.unit_of_work(), POOL, now=NOW) == []
    mine = shifts.my_shifts(week.unit_of_work(), POOL, "dario")
    assert [m.shift.id for m in mine.shifts] == [5]
    assert ("dario", "paint") not in {(p, t) for p, t, _ in _assignments(week)}
    for who, shift, reason in (
            ("chiara", 5, "shift 5 (paint on 2026-05-08) is full: its 1 places are taken"),
            ("dario", 5, "'dario' is on shift 5 (paint on 2026-05-08) already"),
            ("chiara", 1, "is full")):
        with pytest.raises(ConflictError, match=re.escape(reason)):
            shift_exchange.take_slot(week.unit_of_work(), POOL, who, shift, now=NOW)
    with pytest.raises(NotFoundError, match="no shift 99"):
        shift_exchange.take_slot(week.unit_of_work(), POOL, "dario", 99, now=NOW)
    with pytest.raises(NotFoundError, match="no participant 'zoe'"):
        shift_exchange.take_slot(week.unit_of_work(), POOL, "zoe", 4, now=NOW)


def test_a_slot_overlapping_ones_shift_begun_cancelled_or_not_yet_cleared_is_not_taken(
        week: MemoryStore) -> None:
    overlapping = shifts.add_shift(week.unit_of_work(), POOL, Shift(
        "paint", SATURDAY, time(12), time(14)), now=NOW)
    with pytest.raises(ConflictError, match=re.escape(
            "overlaps shift 1 (assemble on 2026-05-09), which 'ana' is on")):
        shift_exchange.take_slot(week.unit_of_work(), POOL, "ana", overlapping.id, now=NOW)
    shift_exchange.hand_back(week.unit_of_work(), POOL, "ben", 4, now=NOW)
    with pytest.raises(ConflictError, match="has begun"):
        shift_exchange.take_slot(week.unit_of_work(), POOL, "dario", 4,
                                 now=THURSDAY_EVENING)
    shifts.cancel_shift(week.unit_of_work(), POOL, 5, now=NOW)
    with pytest.raises(ConflictError, match="is cancelled"):
        shift_exchange.take_slot(week.unit_of_work(), POOL, "dario", 5, now=NOW)
    next_week = shifts.add_shift(week.unit_of_work(), POOL, Shift(
        "paint", date(2026, 5, 13), time(17), time(20)), now=NOW)
    with pytest.raises(ConflictError, match="given out when its period is cleared"):
        shift_exchange.take_slot(week.unit_of_work(), POOL, "dario", next_week.id, now=NOW)
    assert [o.shift.id for o in shift_exchange.open_slots(week.unit_of_work(), POOL,
                                                          now=NOW)] == [4, overlapping.id]


def test_an_accepted_swap_exchanges_both_placements_and_tells_both(
        week: MemoryStore) -> None:
    sent = len(outbox(week))
    swap = shift_exchange.propose_swap(week.unit_of_work(), POOL, "ben", 4, "chiara", 3,
                                       now=NOW)
    assert (swap.id, swap.state, swap.period) == (1, "proposed", 1)
    proposal = outbox(week)[sent:]
    assert [(to, subject) for to, subject, _ in proposal] == [
        ("chiara@example.org", "[workshop] ben proposes a swap of shifts")]
    assert "paint on 2026-05-07 from 17:00 to 20:00 at Lackierraum" in proposal[0][2]
    assert "for yours:" in proposal[0][2]
    mine = shift_exchange.my_swaps(week.unit_of_work(), POOL, "chiara")
    assert [(v.swap.id, v.shift.id, v.their_shift and v.their_shift.id)
            for v in mine.incoming] == [(1, 4, 3)] and mine.outgoing == ()
    done = shift_exchange.answer_swap(week.unit_of_work(), POOL, "chiara", 1, "accepted",
                                      now=NOW)
    assert (done.state, done.decided_at) == ("accepted", NOW)
    assert [p for p in placed(week) if p[0] in (3, 4)] == [(3, "ben"), (4, "chiara")]
    assert [(to, subject) for to, subject, _ in outbox(week)[sent + 1:]] == [
        ("ben@example.org", "[workshop] chiara accepted your swap of shifts")]
    assert shift_exchange.my_swaps(week.unit_of_work(), POOL, "chiara").incoming == ()
    with pytest.raises(ConflictError, match="swap 1 is accepted already"):
        shift_exchange.answer_swap(week.unit_of_work(), POOL, "chiara", 1, "declined",
                                   now=NOW)


def test_a_declined_or_withdrawn_swap_leaves_both_placements(week: MemoryStore) -> None:
    before = placed(week)
    shift_exchange.propose_swap(week.unit_of_work(), POOL, "ben", 4, "chiara", 3, now=NOW)
    shift_exchange.propose_swap(week.unit_of_work(), POOL, "ben", 4, "dario", now=NOW)
    with pytest.raises(NotFoundError, match="no swap proposal to answer 1"):
        shift_exchange.answer_swap(week.unit_of_work(), POOL, "ben", 1, "accepted", now=NOW)
    with pytest.raises(NotFoundError, match="no swap proposal to answer 2"):
        shift_exchange.answer_swap(week.unit_of_work(), POOL, "dario", 2, "withdrawn",
                                   now=NOW)
    sent = len(outbox(week))
    shift_exchange.answer_swap(week.unit_of_work(), POOL, "chiara", 1, "declined", now=NOW)
    shift_exchange.answer_swap(week.unit_of_work(), POOL, "ben", 2, "withdrawn", now=NOW)
    assert placed(week) == before
    assert [(to, subject) for to, subject, _ in outbox(week)[sent:]] == [
        ("ben@example.org", "[workshop] chiara declined your swap of shifts"),
        ("dario@example.org", "[workshop] ben withdrew their swap of shifts")]


def test_a_shift_handed_over_outright_moves_to_the_other_member(week: MemoryStore) -> None:
    shift_exchange.propose_swap(week.unit_of_work(), POOL, "ben", 4, "dario", now=NOW)
    shift_exchange.answer_swap(week.unit_of_work(), POOL, "dario", 1, "accepted", now=NOW)
    assert [p for p in placed(week) if p[0] == 4] == [(4, "dario")]


def test_a_swap_of_a_begun_shift_or_of_another_task_is_refused(week: MemoryStore) -> None:
    with pytest.raises(ConflictError, match="has begun: it cannot be swapped"):
        shift_exchange.propose_swap(week.unit_of_work(), POOL, "ben", 4, "dario",
                                    now=THURSDAY_EVENING)
    with pytest.raises(InputError, match=re.escape(
            "their_shift: must be a shift of task 'paint' (a swap keeps the tasks), got 1")):
        shift_exchange.propose_swap(week.unit_of_work(), POOL, "chiara", 3, "ana", 1,
                                    now=NOW)
    with pytest.raises(InputError, match="their_shift: must be a shift 'dario' is placed on"):
        shift_exchange.propose_swap(week.unit_of_work(), POOL, "ben", 4, "dario", 3, now=NOW)
    with pytest.raises(InputError, match="to: must be another member of the pool, got 'ben'"):
        shift_exchange.propose_swap(week.unit_of_work(), POOL, "ben", 4, "ben", now=NOW)
    with pytest.raises(ConflictError, match="'ana' is on shift 1"):
        shift_exchange.propose_swap(week.unit_of_work(), POOL, "ben", 1, "ana", now=NOW)
    # proposed before Wednesday's shift began, accepted after: refused, nothing moves
    shift_exchange.propose_swap(week.unit_of_work(), POOL, "ben", 4, "chiara", 3, now=NOW)
    wednesday_evening = datetime(2026, 5, 6, 16, 0, tzinfo=UTC)
    with pytest.raises(ConflictError, match="has begun"):
        shift_exchange.answer_swap(week.unit_of_work(), POOL, "chiara", 1, "accepted",
                                   now=wednesday_evening)
    assert [p for p in placed(week) if p[0] in (3, 4)] == [(3, "chiara"), (4, "ben")]
    with week.unit_of_work() as uow:
        assert [s.state for s in uow.shifts.swaps(POOL)] == ["proposed"]


def test_accepting_a_swap_whose_shift_changed_hands_changes_nothing(
        week: MemoryStore) -> None:
    shift_exchange.propose_swap(week.unit_of_work(), POOL, "ben", 4, "chiara", 3, now=NOW)
    shift_exchange.hand_back(week.unit_of_work(), POOL, "ben", 4, now=NOW)
    with pytest.raises(ConflictError, match="swap 1 no longer fits"):
        shift_exchange.answer_swap(week.unit_of_work(), POOL, "chiara", 1, "accepted",
                                   now=NOW)
    assert [p for p in placed(week) if p[0] in (3, 4)] == [(3, "chiara")]


def test_followers_hear_of_open_slots_unless_they_turned_it_off(week: MemoryStore) -> None:
    for who in ("dario", "chiara", "ben"):
        shift_exchange.follow(week.unit_of_work(), POOL, who, "workshop", True, now=NOW)
    mail_settings.set_notices(week.unit_of_work(), "chiara", POOL, {"open_slot": False})
    assert shift_exchange.followed(week.unit_of_work(), POOL, "dario") == ["workshop"]
    sent = len(outbox(week))
    shift_exchange.hand_back(week.unit_of_work(), POOL, "ben", 4, now=NOW)
    heard = outbox(week)[sent:]
    assert [(to, subject) for to, subject, _ in heard] == [
        ("dario@example.org", "[workshop] Open slot: paint on 2026-05-07")]
    assert "A shift of project workshop has 1 of 1 places free:" in heard[0][2]
    assert "/pools/workshop/hints" in heard[0][2]
    shifts.add_shift(week.unit_of_work(), POOL, Shift("paint", SATURDAY, time(14), time(16),
                                                      slots=3), now=NOW)
    assert [(to, subject) for to, subject, _ in outbox(week)[sent + 1:]] == [
        ("ben@example.org", "[workshop] Open slot: paint on 2026-05-09"),
        ("dario@example.org", "[workshop] Open slot: paint on 2026-05-09")]
    sent = len(outbox(week))
    shifts.cancel_shift(week.unit_of_work(), POOL, 3, now=NOW)  # not an open slot
    shift_exchange.follow(week.unit_of_work(), POOL, "dario", "workshop", False, now=NOW)
    shifts.add_shift(week.unit_of_work(), POOL, Shift("paint", date(2026, 5, 13), time(17),
                                                      time(20)), now=NOW)  # next week
    assert [(to, subject) for to, subject, _ in outbox(week)[sent:]] == [
        ("chiara@example.org", "[workshop] Shift cancelled: paint on 2026-05-06")]
    with pytest.raises(NotFoundError, match="no project 'boats'"):
        shift_exchange.follow(week.unit_of_work(), POOL, "dario", "boats", True, now=NOW)


def test_the_shift_notices_name_the_pool_its_tasks_and_people_as_people_read_them(
        week: MemoryStore) -> None:
    """With display names, the notices of a swap, an open slot and a cancelled shift say
    "Fahrradwerkstatt", "Lackieren", "Werkstatt" and "Ben Brandt", not the ids."""
    pools.update_settings(week.unit_of_work(), POOL, display_name="Fahrradwerkstatt")
    labels.name_project(week.unit_of_work(), POOL, "workshop", name="Werkstatt")
    labels.name_task(week.unit_of_work(), POOL, "paint", name="Lackieren")
    with week.unit_of_work() as setup:
        ben = setup.pools.member(POOL, "ben")
        assert ben is not None
        setup.pools.put_member(POOL, replace(ben, display_name="Ben Brandt"))
        setup.commit()
    shift_exchange.follow(week.unit_of_work(), POOL, "dario", "workshop", True, now=NOW)
    sent = len(outbox(week))
    shift_exchange.propose_swap(week.unit_of_work(), POOL, "ben", 4, "chiara", 3, now=NOW)
    shift_exchange.answer_swap(week.unit_of_work(), POOL, "chiara", 1, "accepted", now=NOW)
    shift_exchange.hand_back(week.unit_of_work(), POOL, "chiara", 4, now=NOW)
    shifts.cancel_shift(week.unit_of_work(), POOL, 3, now=NOW)
    told = outbox(week)[sent:]
    assert [(to, subject) for to, subject, _ in told] == [
        ("chiara@example.org", "[Fahrradwerkstatt] Ben Brandt proposes a swap of shifts"),
        ("ben@example.org", "[Fahrradwerkstatt] chiara accepted your swap of shifts"),
        ("dario@example.org", "[Fahrradwerkstatt] Open slot: Lackieren on 2026-05-07"),
        ("ben@example.org", "[Fahrradwerkstatt] Shift cancelled: Lackieren on 2026-05-06")]
    proposal, accepted, slot, cancelled = (body for _, _, body in told)
    assert proposal.splitlines()[:4] == [
        "Ben Brandt offers you their shift:",
        "  - Lackieren on 2026-05-07 from 17:00 to 20:00 at Lackierraum", "for yours:",
        "  - Lackieren on 2026-05-06 from 17:00 to 20:00 at Lackierraum"]
    assert "  - Lackieren on 2026-05-07 from 17:00 to 20:00 at Lackierraum" in accepted
    assert "A shift of project Werkstatt has 1 of 1 places free:" in slot
    assert "You hear of this because you follow project Werkstatt." in slot
    assert "/pools/workshop/hints" in slot  # links keep the ids
    assert cancelled.startswith("The shift of Lackieren on 2026-05-06 from 17:00 to 20:00 at"
                                " Lackierraum is cancelled")
