"""Reminders by mail, on the in-memory store, with a clock moved by hand (never a sleep).

The workshop goes weekly: period 1 runs Monday 4 May to Sunday 10 May 2026 and its offers
close on Friday at 18:00 in Berlin (16:00 UTC). Ana coordinates; ana, ben, chiara and dario
have offered. Five more have joined and offered nothing: eva (who wished for a bicycle),
fritz (who reads German), gus (exempt from work), hana (who turned this reminder off) and
ivo (whose email is not verified yet). Two days before the deadline eva and fritz are
reminded, once. After the clearing, ben logs 4 h of painting; a day later those who may
confirm it (chiara, assigned to paint too, and ana, the coordinator) are reminded, at most
once a day, until someone confirms it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from peerconomy.domain.account import User
from peerconomy.domain.pool import Member, WorkLog
from peerconomy.domain.scenario import Alternative, Offer, Wish
from peerconomy.domain.schedule import PeriodLength
from peerconomy.mailer import catalog
from peerconomy.services import (
    collecting,
    labels,
    mail_settings,
    periods,
    pools,
    scheduler,
    work,
)
from peerconomy.services.notices import Notice
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

MONDAY = date(2026, 5, 4)
DEADLINE = datetime(2026, 5, 8, 16, 0, tzinfo=UTC)  # Friday 18:00 in Berlin
JOINED = datetime(2026, 5, 1, tzinfo=UTC)
LOCALES = {"fritz": "de"}


def account(uow: MemoryUnitOfWork, name: str, *, verified: bool = True) -> None:
    """An account for ``name``, claiming the workshop's member of that name."""
    uow.accounts.add_user(User(name, f"{name}@workshop.example", "-", JOINED,
                               locale=LOCALES.get(name),
                               email_verified_at=JOINED if verified else None))
    found = uow.pools.member("workshop", name)
    assert found is not None
    uow.pools.put_member("workshop", Member(found.id, found.capacity, found.exempt,
                                            found.role, account=name))


@pytest.fixture
def weekly(store: MemoryStore, uow: MemoryUnitOfWork) -> MemoryStore:
    """The workshop, weekly from Monday 4 May, with everyone's accounts."""
    pools.update_settings(store.unit_of_work(), "workshop", period_length=PeriodLength(1, "weeks"),
                          time_zone="Europe/Berlin", starts_on=MONDAY, actor="ana")
    with store.unit_of_work() as setup:
        setup.pools.add_members("workshop", [Member("eva"), Member("fritz"),
                                             Member("gus", exempt=True), Member("hana"),
                                             Member("ivo")])
        for name in ("ana", "ben", "chiara", "dario", "eva", "fritz", "gus", "hana"):
            account(setup, name)
        account(setup, "ivo", verified=False)
        setup.commit()
    mail_settings.set_notices(store.unit_of_work(), "hana", "workshop", {"offers_closing": False})
    collecting.make_wish(store.unit_of_work(), "workshop", Wish(
        participant="eva", id="eva-bike", alternatives=[Alternative(good="bicycle")]),
        now=JOINED)
    return store


def reminders(store: MemoryStore, kind: str) -> list[Notice]:
    """The reminders of ``kind`` in the outbox, oldest first."""
    with store.unit_of_work() as uow:
        queued = [Notice.from_json(m.notice) for m in uow.mail.outbox()]
    return [n for n in queued if n.unsubscribe is not None and n.unsubscribe[2] == kind]


def counts(store: MemoryStore, now: datetime) -> dict[str, int]:
    done = scheduler.tick(store.unit_of_work, now)
    assert done.failed == ()
    return dict(done.counts)


def test_49_hours_before_the_deadline_nobody_is_reminded(weekly: MemoryStore) -> None:
    assert counts(weekly, DEADLINE - timedelta(hours=49))["reminders that offers close"] == 0
    assert reminders(weekly, "offers_closing") == []


def test_47_hours_before_those_who_offered_nothing_are_reminded_once(weekly: MemoryStore
                                                                     ) -> None:
    assert counts(weekly, DEADLINE - timedelta(hours=47))["reminders that offers close"] == 2
    sent = reminders(weekly, "offers_closing")
    # not ana, ben, chiara, dario (they offered), gus (exempt), hana (turned it off), ivo
    # (unverified); eva did wish, but offered nothing
    assert sorted((n.to, n.locale) for n in sent) == [
        ("eva@workshop.example", ""), ("fritz@workshop.example", "de")]
    assert {n.unsubscribe for n in sent} == {("eva", "workshop", "offers_closing"),
                                             ("fritz", "workshop", "offers_closing")}
    eva = next(n for n in sent if n.to.startswith("eva"))
    subject, body = eva.written()
    assert subject == "[workshop] Offers close Fri, May 8 18:00"
    assert ("Offers and wishes for period 1 of pool workshop close Fri, May 8 18:00"
            " (Europe/Berlin), and you have offered no hours yet.") in body
    assert "/pools/workshop/tasks" in body
    fritz = next(n for n in sent if n.to.startswith("fritz"))
    subject, body = fritz.written(catalog("de"), "de")
    assert subject == "[workshop] Angebote schließen Fr., 8. Mai 18:00"
    assert "Periode 1" in body and "Europe/Berlin" in body
    # later ticks, before and at the deadline, send nothing more
    for later in (DEADLINE - timedelta(hours=46), DEADLINE - timedelta(minutes=1), DEADLINE):
        assert counts(weekly, later)["reminders that offers close"] == 0
    assert len(reminders(weekly, "offers_closing")) == 2


def test_an_offer_made_in_time_spares_the_reminder(weekly: MemoryStore) -> None:
    collecting.make_offer(weekly.unit_of_work(), "workshop",
                          Offer(participant="eva", task="paint", hours=2, min_weight=1.0),
                          now=JOINED)
    counts(weekly, DEADLINE - timedelta(hours=47))
    assert [n.to for n in reminders(weekly, "offers_closing")] == ["fritz@workshop.example"]


def test_each_period_reminds_once_more(weekly: MemoryStore) -> None:
    counts(weekly, DEADLINE - timedelta(hours=40))
    periods.clear_period(weekly.unit_of_work(), "workshop", now=DEADLINE)
    periods.settle_period(weekly.unit_of_work(), "workshop", on=date(2026, 5, 11))
    # period 2: offers (carried over) and the same people; its deadline a week later
    assert counts(weekly, DEADLINE + timedelta(days=7, hours=-40))[
        "reminders that offers close"] == 2
    assert len(reminders(weekly, "offers_closing")) == 4


def test_an_undated_pool_gets_no_reminder_that_offers_close(store: MemoryStore,
                                                            uow: MemoryUnitOfWork) -> None:
    with store.unit_of_work() as setup:
        setup.pools.add_members("workshop", [Member("eva")])
        account(setup, "eva")
        setup.commit()
    assert counts(store, datetime(2026, 5, 8, tzinfo=UTC))["reminders that offers close"] == 0


LOGGED = DEADLINE + timedelta(hours=2)


@pytest.fixture
def logged(weekly: MemoryStore) -> MemoryStore:
    """Period 1 cleared at the deadline; ben logged 4 h of painting two hours later."""
    periods.clear_period(weekly.unit_of_work(), "workshop", now=DEADLINE)
    with weekly.unit_of_work() as uow:
        painters = {a.participant for a in uow.periods.assignments("workshop", 1)
                    if a.task == "paint"}
    assert painters == {"ben", "chiara"}
    work.log_work(weekly.unit_of_work(), "workshop", "ben", "paint", 4, now=LOGGED)
    return weekly


def test_logs_waiting_a_day_remind_who_may_confirm_them_once_a_day(logged: MemoryStore
                                                                  ) -> None:
    key = "reminders of work to confirm"
    assert counts(logged, LOGGED + timedelta(hours=23))[key] == 0
    assert counts(logged, LOGGED + timedelta(hours=24, minutes=1))[key] == 2
    sent = reminders(logged, "logs_waiting")
    assert sorted(n.to for n in sent) == ["ana@workshop.example", "chiara@workshop.example"]
    subject, body = sent[0].written()
    assert subject == "[workshop] Work awaits your confirmation"
    assert ("Work logs in pool workshop that you may confirm have waited more than a day: 1."
            in body)
    assert "ben: 4.00 h of paint, logged Fri, May 8 20:00" in body
    assert "/pools/workshop#confirm" in body
    # at most once a day: not at the next ticks, nor after midnight in Berlin
    for later in (25, 30, 47):
        assert counts(logged, LOGGED + timedelta(hours=later))[key] == 0
    assert counts(logged, LOGGED + timedelta(hours=48, minutes=2))[key] == 2
    assert len(reminders(logged, "logs_waiting")) == 4


def test_a_confirmed_log_reminds_nobody(logged: MemoryStore) -> None:
    [log] = work_logs(logged)
    work.confirm_work(logged.unit_of_work(), "workshop", log.id, "chiara")
    assert counts(logged, LOGGED + timedelta(days=2))["reminders of work to confirm"] == 0


def test_turned_off_the_reminder_of_waiting_logs_stays_away(logged: MemoryStore) -> None:
    mail_settings.set_notices(logged.unit_of_work(), "chiara", "workshop",
                              {"logs_waiting": False})
    counts(logged, LOGGED + timedelta(days=1, minutes=1))
    assert [n.to for n in reminders(logged, "logs_waiting")] == ["ana@workshop.example"]


def test_a_settled_period_reminds_of_no_logs(logged: MemoryStore) -> None:
    periods.settle_period(logged.unit_of_work(), "workshop", on=date(2026, 5, 11))
    assert counts(logged, LOGGED + timedelta(days=2))["reminders of work to confirm"] == 0


def work_logs(store: MemoryStore) -> list[WorkLog]:
    with store.unit_of_work() as uow:
        return list(uow.periods.work_logs("workshop", 1))


def test_the_reminders_name_the_pool_its_tasks_and_people_as_people_read_them(
        logged: MemoryStore) -> None:
    """With display names, the pool is "Fahrradwerkstatt", painting "Lackieren" and ben
    "Ben Brandt" in both reminders; their links keep the ids."""
    pools.update_settings(logged.unit_of_work(), "workshop", display_name="Fahrradwerkstatt")
    labels.name_task(logged.unit_of_work(), "workshop", "paint", name="Lackieren")
    with logged.unit_of_work() as setup:
        ben = setup.pools.member("workshop", "ben")
        assert ben is not None
        setup.pools.put_member("workshop", replace(ben, display_name="Ben Brandt"))
        setup.commit()
    counts(logged, LOGGED + timedelta(hours=25))
    subject, body = reminders(logged, "logs_waiting")[0].written()
    assert subject == "[Fahrradwerkstatt] Work awaits your confirmation"
    assert ("Work logs in pool Fahrradwerkstatt that you may confirm have waited more than a"
            " day: 1.") in body
    assert "Ben Brandt: 4.00 h of Lackieren, logged Fri, May 8 20:00" in body
    assert "/pools/workshop#confirm" in body
    # the next period's deadline: its reminder that offers close names the pool so too
    periods.settle_period(logged.unit_of_work(), "workshop", on=date(2026, 5, 11))
    counts(logged, DEADLINE + timedelta(days=7, hours=-40))
    subject, body = reminders(logged, "offers_closing")[-1].written()
    assert subject == "[Fahrradwerkstatt] Offers close Fri, May 15 18:00"
    assert body.startswith("Offers and wishes for period 2 of pool Fahrradwerkstatt close"
                           " Fri, May 15 18:00 (Europe/Berlin)")
    assert "/pools/workshop/tasks" in body
