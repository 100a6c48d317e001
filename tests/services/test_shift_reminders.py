"""The shift reminders, on the in-memory store, with a clock moved by hand (never a sleep).

The workshop ("Fahrradwerkstatt" to its members) goes weekly in Berlin from Monday 4 May
2026; its period is cleared on Tuesday morning and places ana and ben on assembly ("Montage")
on Saturday (shift 1) and Sunday (2), 9:00 to 13:00 at the Werkstatt (7:00 to 11:00 UTC),
chiara on painting ("Lackieren") on Wednesday evening (3) and ben on Thursday's (4), 17:00 to
20:00 in the Lackierraum (15:00 to 18:00 UTC); Friday's painting (5) stays open. Ana reads
German. A day before each shift its people are reminded of it, once; from half a day after
it ended, for a week, those who have not logged its work are reminded to, once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from test_shift_services import SATURDAY, weekend, weekly

from peerconomy.domain.account import User
from peerconomy.domain.mail import NoticeKind
from peerconomy.domain.reminders import SHIFT_UNLOGGED_UNTIL, SHIFT_UNLOGGED_WAIT
from peerconomy.mailer import catalog
from peerconomy.services import (
    labels,
    logged_work,
    mail_settings,
    periods,
    pools,
    scheduler,
    shift_exchange,
    shifts,
    work,
)
from peerconomy.services.notices import Notice
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

POOL = "workshop"
CLEARED_AT = datetime(2026, 5, 5, 9, 0, tzinfo=UTC)  # Tuesday 11:00 in Berlin
BEGINS = {1: datetime(2026, 5, 9, 7, tzinfo=UTC), 2: datetime(2026, 5, 10, 7, tzinfo=UTC),
          3: datetime(2026, 5, 6, 15, tzinfo=UTC), 4: datetime(2026, 5, 7, 15, tzinfo=UTC)}
ENDS = {1: datetime(2026, 5, 9, 11, tzinfo=UTC), 2: datetime(2026, 5, 10, 11, tzinfo=UTC),
        3: datetime(2026, 5, 6, 18, tzinfo=UTC), 4: datetime(2026, 5, 7, 18, tzinfo=UTC)}
TOMORROW, UNLOGGED = "reminders of shifts tomorrow", "reminders of shifts to log"
MINUTE, DAY = timedelta(minutes=1), timedelta(days=1)


@pytest.fixture
def week(store: MemoryStore, uow: MemoryUnitOfWork) -> MemoryStore:
    """The workshop's week with its names, shifts and members' accounts, cleared and placed
    on Tuesday."""
    weekly(store)
    pools.update_settings(store.unit_of_work(), POOL, display_name="Fahrradwerkstatt")
    labels.name_task(store.unit_of_work(), POOL, "assemble", name="Montage")
    labels.name_task(store.unit_of_work(), POOL, "paint", name="Lackieren")
    weekend(store)
    with store.unit_of_work() as setup:
        for name in ("ana", "ben", "chiara", "dario"):
            setup.accounts.add_user(User(name, f"{name}@workshop.example", "-", CLEARED_AT,
                                         locale="de" if name == "ana" else None,
                                         email_verified_at=CLEARED_AT))
            member = setup.pools.member(POOL, name)
            assert member is not None
            setup.pools.put_member(POOL, replace(member, account=name))
        setup.commit()
    with store.unit_of_work() as edit:
        saturday = edit.shifts.get(POOL, 1)
        assert saturday is not None and saturday.day == SATURDAY
        edit.shifts.put(POOL, replace(saturday, note="Bring gloves\nand a lamp"))
        edit.commit()
    periods.clear_period(store.unit_of_work(), POOL, now=CLEARED_AT)
    assert placed(store) == [(1, "ana"), (1, "ben"), (2, "ana"), (2, "ben"), (3, "chiara"),
                             (4, "ben")]
    return store


def placed(store: MemoryStore) -> list[tuple[int, str]]:
    with store.unit_of_work() as uow:
        return uow.shifts.placements(POOL, 1)


def tick(store: MemoryStore, now: datetime) -> dict[str, int]:
    done = scheduler.tick(store.unit_of_work, now)
    assert done.failed == ()
    return dict(done.counts)


def mails(store: MemoryStore, kind: NoticeKind) -> list[Notice]:
    """The reminders of ``kind`` in the outbox, oldest first."""
    with store.unit_of_work() as uow:
        queued = [Notice.from_json(m.notice) for m in uow.mail.outbox()]
    return [n for n in queued if n.unsubscribe is not None and n.unsubscribe[2] == kind]


def sent(store: MemoryStore, kind: NoticeKind) -> list[tuple[str, str, datetime]]:
    """Each reminder of ``kind`` kept as sent: to whom, about what, when."""
    with store.unit_of_work() as uow:
        return [(r.member, r.subject, r.sent_at) for r in uow.mail.sent_reminders(
            POOL, kind, datetime(2026, 1, 1, tzinfo=UTC))]


def hourly(store: MemoryStore, first: datetime, last: datetime) -> None:
    """Tick every hour from ``first`` to ``last``."""
    now = first
    while now <= last:
        tick(store, now)
        now += timedelta(hours=1)


# a shift tomorrow

def test_a_day_before_each_shift_its_people_are_reminded_once(week: MemoryStore) -> None:
    hourly(week, CLEARED_AT, datetime(2026, 5, 11, 9, tzinfo=UTC))  # to the next Monday
    # each member once per shift, at the first tick from 24 hours before it begins
    assert sent(week, "shift_tomorrow") == [
        ("chiara", "shift:3", BEGINS[3] - DAY), ("ben", "shift:4", BEGINS[4] - DAY),
        ("ana", "shift:1", BEGINS[1] - DAY), ("ben", "shift:1", BEGINS[1] - DAY),
        ("ana", "shift:2", BEGINS[2] - DAY), ("ben", "shift:2", BEGINS[2] - DAY)]
    assert [(n.to, n.written()[0]) for n in mails(week, "shift_tomorrow")] == [
        ("chiara@workshop.example", "[Fahrradwerkstatt] Your shift: Lackieren, Wed, May 6 17:00"),
        ("ben@workshop.example", "[Fahrradwerkstatt] Your shift: Lackieren, Thu, May 7 17:00"),
        ("ana@workshop.example", "[Fahrradwerkstatt] Your shift: Montage, Sat, May 9 09:00"),
        ("ben@workshop.example", "[Fahrradwerkstatt] Your shift: Montage, Sat, May 9 09:00"),
        ("ana@workshop.example", "[Fahrradwerkstatt] Your shift: Montage, Sun, May 10 09:00"),
        ("ben@workshop.example", "[Fahrradwerkstatt] Your shift: Montage, Sun, May 10 09:00")]


def test_not_before_the_day_before_yes_within_it_and_once_only(week: MemoryStore) -> None:
    saturday = BEGINS[1]
    # Wednesday's and Thursday's shifts have begun: no reminder after the fact
    assert tick(week, saturday - DAY - MINUTE)[TOMORROW] == 0
    assert sent(week, "shift_tomorrow") == []
    assert tick(week, saturday - DAY + MINUTE)[TOMORROW] == 2  # ana and ben, Saturday's
    for later in (saturday - timedelta(hours=12), saturday - MINUTE):
        assert tick(week, later)[TOMORROW] == 0
    # as Saturday's begins, Sunday's is a day ahead: its reminders go, Saturday's not again
    assert tick(week, saturday)[TOMORROW] == 2
    assert [r[:2] for r in sent(week, "shift_tomorrow")] == [
        ("ana", "shift:1"), ("ben", "shift:1"), ("ana", "shift:2"), ("ben", "shift:2")]
    assert len(mails(week, "shift_tomorrow")) == 4


def test_the_reminder_says_what_when_and_where_in_the_readers_language(
        week: MemoryStore) -> None:
    tick(week, BEGINS[1] - timedelta(hours=20))
    ana, ben = mails(week, "shift_tomorrow")[-2:]
    assert (ana.to, ana.locale, ana.unsubscribe) == (
        "ana@workshop.example", "de", ("ana", POOL, "shift_tomorrow"))
    assert (ben.to, ben.unsubscribe) == ("ben@workshop.example", ("ben", POOL, "shift_tomorrow"))
    subject, body = ben.written()
    assert subject == "[Fahrradwerkstatt] Your shift: Montage, Sat, May 9 09:00"
    assert body == (
        "You are placed on a shift in pool Fahrradwerkstatt:\n"
        "  Task: Montage\n"
        "  When: Sat, May 9 09:00 to 13:00 (Europe/Berlin)\n"
        "  Place: Werkstatt\n"
        "  Note: Bring gloves\nand a lamp\n"
        "\n"
        "Cannot come? Hand the shift back or swap it on My period: /pools/workshop#shifts\n")
    subject, body = ana.written(catalog("de"), "de")
    assert subject == "[Fahrradwerkstatt] Deine Schicht: Montage, Sa., 9. Mai 09:00"
    assert body.splitlines()[:4] == [
        "Du bist im Pool Fahrradwerkstatt für eine Schicht eingeteilt:",
        "  Aufgabe: Montage", "  Wann: Sa., 9. Mai 09:00 bis 13:00 (Europe/Berlin)",
        "  Ort: Werkstatt"]


def test_a_member_who_turned_it_off_gets_none(week: MemoryStore) -> None:
    mail_settings.set_notices(week.unit_of_work(), "ben", POOL, {"shift_tomorrow": False})
    assert tick(week, BEGINS[1] - timedelta(hours=20))[TOMORROW] == 1
    assert [(n.to, n.written()[0]) for n in mails(week, "shift_tomorrow")] == [
        ("ana@workshop.example", "[Fahrradwerkstatt] Your shift: Montage, Sat, May 9 09:00")]
    assert [r[:2] for r in sent(week, "shift_tomorrow")] == [("ana", "shift:1")]


def test_a_cancelled_shift_reminds_nobody(week: MemoryStore) -> None:
    shifts.cancel_shift(week.unit_of_work(), POOL, 1, now=CLEARED_AT)
    assert tick(week, BEGINS[1] - timedelta(hours=20))[TOMORROW] == 0
    assert mails(week, "shift_tomorrow") == []


def test_whoever_is_on_the_shift_then_is_reminded(week: MemoryStore) -> None:
    shift_exchange.hand_back(week.unit_of_work(), POOL, "ben", 4, now=CLEARED_AT)
    shift_exchange.take_slot(week.unit_of_work(), POOL, "dario", 4, now=CLEARED_AT)
    tick(week, BEGINS[4] - timedelta(hours=2))
    assert [(n.to, n.written()[0]) for n in mails(week, "shift_tomorrow")] == [
        ("dario@workshop.example", "[Fahrradwerkstatt] Your shift: Lackieren, Thu, May 7 17:00")]


# work left unlogged after a shift

def test_half_a_day_after_a_shift_who_has_not_logged_it_is_reminded_once(
        week: MemoryStore) -> None:
    wednesday = ENDS[3]  # chiara's painting ends at 20:00 in Berlin
    assert tick(week, wednesday + SHIFT_UNLOGGED_WAIT - MINUTE)[UNLOGGED] == 0
    assert tick(week, wednesday + SHIFT_UNLOGGED_WAIT)[UNLOGGED] == 1
    [chiara] = mails(week, "shift_unlogged")
    assert (chiara.to, chiara.unsubscribe) == ("chiara@workshop.example",
                                               ("chiara", POOL, "shift_unlogged"))
    subject, body = chiara.written()
    assert subject == "[Fahrradwerkstatt] Log your shift: Lackieren, Wed, May 6 17:00"
    assert body == (
        "Your shift in pool Fahrradwerkstatt has ended, and you have not logged its work yet:\n"
        "  Task: Lackieren\n"
        "  When: Wed, May 6 17:00 to 20:00 (Europe/Berlin)\n"
        "  Place: Lackierraum\n"
        "\n"
        "Log it in one step on My period: /pools/workshop#to-log-3\n")
    # the link's form is there: My period offers that shift to log
    assert [t.shift.id for t in logged_work.shifts_to_log(
        week.unit_of_work(), POOL, "chiara", wednesday + SHIFT_UNLOGGED_WAIT)] == [3]
    # once only: not at the next ticks; three days later only ben's Thursday is new
    assert tick(week, wednesday + timedelta(hours=13))[UNLOGGED] == 0
    assert tick(week, wednesday + 3 * DAY)[UNLOGGED] == 1
    assert [r[:2] for r in sent(week, "shift_unlogged")] == [("chiara", "shift:3"),
                                                              ("ben", "shift:4")]


def test_each_member_hears_of_each_shift_they_left_unlogged(week: MemoryStore) -> None:
    # ben logs Thursday's shift from it; ana logs Saturday's assembly by hand, on its day
    work.log_shift(week.unit_of_work(), POOL, "ben", 4, now=ENDS[4] + timedelta(hours=1))
    work.log_work(week.unit_of_work(), POOL, "ana", "assemble", 4, worked_on=SATURDAY,
                  now=ENDS[1] + timedelta(hours=1))
    hourly(week, CLEARED_AT, datetime(2026, 5, 11, 12, tzinfo=UTC))
    assert sent(week, "shift_unlogged") == [
        ("chiara", "shift:3", ENDS[3] + SHIFT_UNLOGGED_WAIT),
        ("ben", "shift:1", ENDS[1] + SHIFT_UNLOGGED_WAIT),
        ("ana", "shift:2", ENDS[2] + SHIFT_UNLOGGED_WAIT),
        ("ben", "shift:2", ENDS[2] + SHIFT_UNLOGGED_WAIT)]
    assert [(n.to, n.written()[0]) for n in mails(week, "shift_unlogged")] == [
        ("chiara@workshop.example",
         "[Fahrradwerkstatt] Log your shift: Lackieren, Wed, May 6 17:00"),
        ("ben@workshop.example", "[Fahrradwerkstatt] Log your shift: Montage, Sat, May 9 09:00"),
        ("ana@workshop.example", "[Fahrradwerkstatt] Log your shift: Montage, Sun, May 10 09:00"),
        ("ben@workshop.example", "[Fahrradwerkstatt] Log your shift: Montage, Sun, May 10 09:00")]
    _, ana = mails(week, "shift_unlogged")[2].written(catalog("de"), "de")
    assert ana.splitlines()[0] == ("Deine Schicht im Pool Fahrradwerkstatt ist vorbei, und du"
                                   " hast ihre Arbeit noch nicht eingetragen:")
    assert ana.splitlines()[-1] == ("Trag sie in einem Schritt unter Meine Periode ein:"
                                    " /pools/workshop#to-log-2")


def test_a_member_who_turned_it_off_is_not_reminded_to_log(week: MemoryStore) -> None:
    mail_settings.set_notices(week.unit_of_work(), "chiara", POOL, {"shift_unlogged": False})
    assert tick(week, ENDS[3] + DAY)[UNLOGGED] == 0
    assert mails(week, "shift_unlogged") == []


def test_a_cancelled_shift_leaves_nothing_to_log(week: MemoryStore) -> None:
    shifts.cancel_shift(week.unit_of_work(), POOL, 3, now=CLEARED_AT)
    assert tick(week, ENDS[3] + DAY)[UNLOGGED] == 0
    assert mails(week, "shift_unlogged") == []


def test_shifts_ended_more_than_a_week_ago_are_left_alone(week: MemoryStore) -> None:
    # a scheduler first started on Wednesday the 13th, a week after chiara's painting ended
    first = ENDS[3] + SHIFT_UNLOGGED_UNTIL
    assert first == datetime(2026, 5, 13, 18, tzinfo=UTC)
    assert tick(week, first)[UNLOGGED] == 5
    assert [r[:2] for r in sent(week, "shift_unlogged")] == [
        ("ana", "shift:1"), ("ana", "shift:2"), ("ben", "shift:1"), ("ben", "shift:2"),
        ("ben", "shift:4")]


def test_a_settled_period_reminds_of_no_shift_to_log(week: MemoryStore) -> None:
    periods.settle_period(week.unit_of_work(), POOL, on=date(2026, 5, 11))
    assert tick(week, datetime(2026, 5, 11, 12, tzinfo=UTC))[UNLOGGED] == 0
    assert mails(week, "shift_unlogged") == []
