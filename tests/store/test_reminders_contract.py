"""The store contract for reminders: a reminder sent is kept once by its key (kind, pool,
member, subject) and found by pool, kind and time; the work logs waiting for confirmation
are found across pools, only in cleared periods; a member renamed (erased) keeps their
reminders under the new name. And on SQLite and PostgreSQL two schedulers ticking at once
mail each reminder exactly once: the workshop's eva and fritz, who offered nothing, two days
before the deadline; ana and chiara, who may confirm ben's painting, a day after he logged
it; the two placed on Saturday's assembly, the day before it and half a day after it.

Each contract test runs on the in-memory reference store and on the SQL store with SQLite
and with PostgreSQL (see ``conftest.py``)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from peerconomy.domain.account import User
from peerconomy.domain.period import PeriodState
from peerconomy.domain.pool import Member, Period, Pool, WorkLog
from peerconomy.domain.reminders import SentReminder
from peerconomy.domain.scenario import load_scenario_file
from peerconomy.domain.schedule import PeriodLength
from peerconomy.domain.shifts import Shift
from peerconomy.services import periods, pools, scheduler, shifts, work
from peerconomy.services.notices import Notice
from peerconomy.services.ports import Store as StoreLike
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore, open_store

Store = MemoryStore | SqlStore

WORKSHOP = Path(__file__).resolve().parents[2] / "examples" / "workshop.json"
MONDAY = date(2026, 5, 4)
DEADLINE = datetime(2026, 5, 8, 16, 0, tzinfo=UTC)
AT = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def sent(kind: str, member: str, subject: str, hours: int, pool: str = "farm"
         ) -> SentReminder:
    return SentReminder(kind, pool, member, subject,  # type: ignore[arg-type]
                        AT + timedelta(hours=hours))


def test_a_reminder_is_kept_once_by_its_key(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.pools.add(Pool("farm"))
        uow.pools.add(Pool("bakery"))
        assert uow.mail.claim_reminder(sent("offers_closing", "ana", "1", 0))
        assert uow.mail.claim_reminder(sent("offers_closing", "ben", "1", 1))
        assert uow.mail.claim_reminder(sent("offers_closing", "ana", "2", 2))
        assert uow.mail.claim_reminder(sent("logs_waiting", "ana", "2026-05-01", 3))
        assert uow.mail.claim_reminder(sent("offers_closing", "ana", "1", 0, pool="bakery"))
        uow.commit()
    with store.unit_of_work() as uow:  # the same key again, later: not kept
        assert not uow.mail.claim_reminder(sent("offers_closing", "ana", "1", 5))
        uow.commit()
    with store.unit_of_work() as uow:
        everything = uow.mail.sent_reminders("farm", "offers_closing", AT)
        assert everything == [sent("offers_closing", "ana", "1", 0),
                              sent("offers_closing", "ben", "1", 1),
                              sent("offers_closing", "ana", "2", 2)]
        assert uow.mail.sent_reminders("farm", "offers_closing", AT + timedelta(hours=1)) == [
            sent("offers_closing", "ben", "1", 1), sent("offers_closing", "ana", "2", 2)]
        assert uow.mail.sent_reminders("farm", "logs_waiting", AT) == [
            sent("logs_waiting", "ana", "2026-05-01", 3)]
        assert uow.mail.sent_reminders("bakery", "logs_waiting", AT) == []
        # a time in another zone is the same moment, and comes back in UTC
        elsewhere = (AT + timedelta(hours=2)).astimezone(timezone(timedelta(hours=-5)))
        [found] = uow.mail.sent_reminders("farm", "offers_closing", elsewhere)
        assert found.sent_at == AT + timedelta(hours=2)
        assert found.sent_at.utcoffset() == timedelta(0)


def test_work_awaiting_confirmation_is_found_in_cleared_periods(store: Store) -> None:
    def logged(pool: str, period: int, who: str, hours: int, status: str = "pending"
               ) -> WorkLog:
        return WorkLog(0, pool, period, who, "weed", 2.0, AT + timedelta(hours=hours), True,
                       status)  # type: ignore[arg-type]

    with store.unit_of_work() as uow:
        for name in ("farm", "bakery", "cafe"):
            uow.pools.add(Pool(name))
        uow.periods.add(Period("farm", 1, PeriodState.SETTLED))
        uow.periods.add(Period("farm", 2, PeriodState.CLEARED))
        uow.periods.add(Period("bakery", 1, PeriodState.CLEARED))
        uow.periods.add(Period("cafe", 1, PeriodState.COLLECTING))
        old = uow.periods.add_work_log(logged("farm", 1, "ana", 0))  # its period is settled
        ben = uow.periods.add_work_log(logged("farm", 2, "ben", 1))
        uow.periods.add_work_log(logged("farm", 2, "cleo", 2, "confirmed"))
        dora = uow.periods.add_work_log(logged("bakery", 1, "dora", 3))
        late = uow.periods.add_work_log(logged("farm", 2, "eli", 30))
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.periods.work_awaiting(AT + timedelta(hours=24)) == [ben, dora]
        assert uow.periods.work_awaiting(AT + timedelta(hours=3)) == [ben, dora]
        assert uow.periods.work_awaiting(AT + timedelta(hours=2)) == [ben]
        assert uow.periods.work_awaiting(AT + timedelta(hours=30)) == [ben, dora, late]
        assert old not in uow.periods.work_awaiting(AT + timedelta(days=9))


def test_an_erased_member_keeps_their_reminders_under_the_new_name(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.pools.add(Pool("farm"))
        uow.periods.add(Period("farm", 1, PeriodState.COLLECTING))
        uow.pools.add_members("farm", [Member("ana"), Member("ben")])
        uow.mail.claim_reminder(sent("offers_closing", "ana", "1", 0))
        uow.mail.claim_reminder(sent("offers_closing", "ben", "1", 0))
        uow.pools.rename_participant("farm", "ana", "gone-0a1b")
        uow.commit()
    with store.unit_of_work() as uow:
        assert [(r.member, r.subject) for r in uow.mail.sent_reminders(
            "farm", "offers_closing", AT)] == [("ben", "1"), ("gone-0a1b", "1")]
        assert not uow.mail.claim_reminder(sent("offers_closing", "gone-0a1b", "1", 4))


def workshop_with_accounts(store: StoreLike) -> None:
    """The workshop, weekly from Monday 4 May (offers close Friday 16:00 UTC); ana, ben,
    chiara and dario offered; eva and fritz joined and offered nothing; all have accounts
    with verified emails."""
    pools.import_scenario(store.unit_of_work(), "workshop", load_scenario_file(WORKSHOP),
                          coordinators=["ana"])
    pools.update_settings(store.unit_of_work(), "workshop",
                          period_length=PeriodLength(1, "weeks"), starts_on=MONDAY,
                          time_zone="Europe/Berlin")
    with store.unit_of_work() as uow:
        uow.pools.add_members("workshop", [Member("eva"), Member("fritz")])
        for m in uow.pools.members("workshop"):
            uow.accounts.add_user(User(m.id, f"{m.id}@workshop.example", "-", AT,
                                       email_verified_at=AT))
            uow.pools.put_member("workshop", Member(m.id, m.capacity, m.exempt, m.role,
                                                    account=m.id))
        uow.commit()


def tick_twice_at_once(store: StoreLike, now: datetime) -> list[dict[str, int]]:
    """Two schedulers' ticks at ``now``, started together; each one's counts."""
    start = threading.Barrier(2)
    counts: list[dict[str, int]] = []

    def tick() -> None:
        start.wait()
        done = scheduler.tick(store.unit_of_work, now)
        assert done.failed == ()
        counts.append(dict(done.counts))

    runners = [threading.Thread(target=tick) for _ in range(2)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    assert len(counts) == 2  # neither runner failed
    return counts


def reminded(store: StoreLike, kind: str) -> Counter[str]:
    """How many reminders of ``kind`` each address has in the outbox."""
    with store.unit_of_work() as uow:
        notices = [Notice.from_json(m.notice) for m in uow.mail.outbox()]
    return Counter(n.to for n in notices if n.unsubscribe and n.unsubscribe[2] == kind)


@pytest.mark.parametrize("run", range(3))
def test_two_ticks_at_once_remind_each_member_once(database_url: str, run: int) -> None:
    store = open_store(database_url)
    try:
        workshop_with_accounts(store)
        counts = tick_twice_at_once(store, DEADLINE - timedelta(hours=47))
        assert sorted(c["reminders that offers close"] for c in counts) == [0, 2]
        assert reminded(store, "offers_closing") == {"eva@workshop.example": 1,
                                                     "fritz@workshop.example": 1}
        with store.unit_of_work() as uow:
            assert sorted(r.member for r in uow.mail.sent_reminders(
                "workshop", "offers_closing", AT)) == ["eva", "fritz"]

        periods.clear_period(store.unit_of_work(), "workshop", now=DEADLINE)
        logged = DEADLINE + timedelta(hours=2)
        work.log_work(store.unit_of_work(), "workshop", "ben", "paint", 4, now=logged)
        counts = tick_twice_at_once(store, logged + timedelta(hours=25))
        assert sorted(c["reminders of work to confirm"] for c in counts) == [0, 2]
        assert reminded(store, "logs_waiting") == {"ana@workshop.example": 1,
                                                   "chiara@workshop.example": 1}
    finally:
        store.close()


@pytest.mark.parametrize("run", range(2))
def test_two_ticks_at_once_remind_each_member_of_their_shift_once(database_url: str,
                                                                   run: int) -> None:
    store = open_store(database_url)
    try:
        workshop_with_accounts(store)
        pools.update_settings(store.unit_of_work(), "workshop",
                              display_name="Fahrradwerkstatt")
        saturday = shifts.add_shift(store.unit_of_work(), "workshop", Shift(
            "assemble", date(2026, 5, 9), time(9), time(13), "Werkstatt", 2))
        periods.clear_period(store.unit_of_work(), "workshop", now=DEADLINE)
        with store.unit_of_work() as uow:
            assert uow.shifts.placements("workshop", 1) == [(saturday.id, "ana"),
                                                             (saturday.id, "ben")]
        begins = datetime(2026, 5, 9, 7, tzinfo=UTC)  # 9:00 in Berlin
        counts = tick_twice_at_once(store, begins - timedelta(hours=12))
        assert sorted(c["reminders of shifts tomorrow"] for c in counts) == [0, 2]
        assert reminded(store, "shift_tomorrow") == {"ana@workshop.example": 1,
                                                     "ben@workshop.example": 1}
        with store.unit_of_work() as uow:
            notices = [Notice.from_json(m.notice) for m in uow.mail.outbox()]
        assert {n.written()[0] for n in notices if n.unsubscribe
                and n.unsubscribe[2] == "shift_tomorrow"} == {
            "[Fahrradwerkstatt] Your shift: assemble, Sat, May 9 09:00"}

        ended = datetime(2026, 5, 9, 11, tzinfo=UTC)
        counts = tick_twice_at_once(store, ended + timedelta(hours=12))
        assert sorted(c["reminders of shifts to log"] for c in counts) == [0, 2]
        assert reminded(store, "shift_unlogged") == {"ana@workshop.example": 1,
                                                     "ben@workshop.example": 1}
        with store.unit_of_work() as uow:
            assert sorted((r.member, r.subject) for r in uow.mail.sent_reminders(
                "workshop", "shift_unlogged", AT)) == [("ana", f"shift:{saturday.id}"),
                                                       ("ben", f"shift:{saturday.id}")]
    finally:
        store.close()
