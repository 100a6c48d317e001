"""The demo's week from end to end, as issue 21 asks it to work: the demo pool run for two
weeks up to Monday 4 May 2026, its third week collecting. A member who offered nothing is
reminded 47 hours before the offers close, once; the period clears itself at its deadline
(the scheduler's tick with the clock moved, not a coordinator); ben then finds his shifts,
with their date, time and place, in the calendar his account's secret address gives, read
by a real iCalendar parser without a session; ana is reminded of her Saturday harvest
when the period clears (it begins within a day) and of logging it half a day after, once
each; and the distribution list of the period, as
CSV from the API, lists each member's goods at the pick-up point they chose and sums to the
plan's allocations. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from fastapi.testclient import TestClient
from rich.console import Console

from fakes import quick_hashing
from peerconomy.asgi import create_app
from peerconomy.demo import POOL_NAME, add_demo_accounts, run_demo
from peerconomy.demo.data import pickup_point_of
from peerconomy.domain.period import PeriodState
from peerconomy.domain.shifts import Shift
from peerconomy.http.settings import AppSettings
from peerconomy.services import accounts, collecting, scheduler, shifts, views
from peerconomy.services.notices import Notice
from peerconomy.store.sql import SqlStore, open_store

TODAY = date(2026, 5, 4)  # a Monday: period 3 runs to Sunday 10 May
BERLIN = ZoneInfo("Europe/Berlin")
DEADLINE = datetime(2026, 5, 8, 18, 0, tzinfo=BERLIN)  # two days before the last, at 18:00
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def demo(db_url: str) -> Iterator[SqlStore]:
    """The demo pool in ``db_url`` after two weeks, with ana's, ben's and chiara's accounts
    (their emails verified) and chiara's offers withdrawn: she has offered nothing."""
    store = open_store(db_url)
    try:
        with quick_hashing():
            run_demo(store.unit_of_work, Console(file=io.StringIO()), periods=2, today=TODAY)
            add_demo_accounts(store.unit_of_work)
        with store.unit_of_work() as uow:
            for name in ("ana", "ben", "chiara"):
                user = uow.accounts.user(name)
                assert user is not None
                uow.accounts.put_user(replace(user, email_verified_at=datetime(2026, 4, 1,
                                                                                tzinfo=UTC)))
            uow.commit()
        for offer in views.offers(store.unit_of_work(), POOL_NAME, 3):
            if offer.participant == "chiara":
                collecting.withdraw_offer(store.unit_of_work(), POOL_NAME, "chiara",
                                          offer.task, now=datetime(2026, 5, 4, 9, tzinfo=UTC))
        yield store
    finally:
        store.close()


def _tick(store: SqlStore, at: datetime) -> dict[str, int]:
    done = scheduler.tick(store.unit_of_work, at.astimezone(UTC))
    assert done.failed == ()
    return dict(done.counts)


def _reminded(store: SqlStore, kind: str) -> list[str]:
    """To whom the reminders of ``kind`` waiting in the outbox go, sorted (the site's own
    worker, while the app runs, gives up on mail at once here: no mail server)."""
    with store.unit_of_work() as uow:
        queued = [Notice.from_json(m.notice) for m in uow.mail.outbox() if m.notice]
    return sorted(n.to for n in queued if n.unsubscribe is not None and n.unsubscribe[2] == kind)


def test_the_demo_s_week_reminds_clears_itself_and_lands_in_the_calendar(
    demo: SqlStore,
) -> None:
    period = views.latest_period(demo.unit_of_work(), POOL_NAME)
    assert period is not None
    assert (period.number, period.starts_on, period.ends_on, period.collect_until) == (
        3, TODAY, date(2026, 5, 10), DEADLINE.astimezone(UTC))

    # reminders through the outbox, at the right time, once
    assert _tick(demo, DEADLINE - timedelta(hours=49))["reminders that offers close"] == 0
    assert _tick(demo, DEADLINE - timedelta(hours=47))["reminders that offers close"] == 1
    assert _tick(demo, DEADLINE - timedelta(hours=46))["reminders that offers close"] == 0
    assert _reminded(demo, "offers_closing") == ["chiara@demo.example"]

    # the period clears itself at its deadline, not a minute before
    assert _tick(demo, DEADLINE - timedelta(minutes=1))["periods cleared at their deadline"] == 0
    assert _tick(demo, DEADLINE)["periods cleared at their deadline"] == 1
    cleared = views.latest_period(demo.unit_of_work(), POOL_NAME)
    assert cleared is not None and cleared.state is PeriodState.CLEARED

    # ben's shifts, in the calendar app: the address his account gives, no session
    placed = shifts.my_shifts(demo.unit_of_work(), POOL_NAME, "ben").shifts
    mine = {held.shift.id: held.shift for held in placed if held.period == 3}
    assert mine, "ben harvests and weeds: the clearing placed him on shifts"
    app = create_app(demo, AppSettings(secret_key="demo week key", base_url=BASE))
    with TestClient(app) as client:
        _, token = accounts.issue_token(demo.unit_of_work(), "ben", "calendar")
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        address = me.json()["calendar_url"].removeprefix(BASE)
        client.cookies.clear()
        answer = client.get(address)
        assert answer.status_code == 200, answer.text
        calendar = vobject.readOne(answer.content.decode())
        events = {e.uid.value: e for e in calendar.vevent_list}
        for number, shift in mine.items():
            event = events[f"{POOL_NAME}/shift/{number}/ben@127.0.0.1"]
            assert event.dtstart.value == datetime.combine(shift.day, shift.start, BERLIN)
            assert event.dtend.value == datetime.combine(shift.day, shift.end, BERLIN)
            assert event.location.value == shift.place
            task = {"harvesting": "Ernte", "weeding": "Jäten"}[shift.task]
            assert task in event.summary.value
        assert {e for e in events if "/shift/" in e} == {
            f"{POOL_NAME}/shift/{n}/ben@127.0.0.1" for n in mine}

        # the distribution list as CSV: each member at their point, the plan's allocations
        _, lead = accounts.issue_token(demo.unit_of_work(), "ana", "lists")
        listed = client.get(f"/api/v1/pools/{POOL_NAME}/periods/3/distribution",
                            params={"format": "csv"},
                            headers={"Authorization": f"Bearer {lead}"})
        assert listed.status_code == 200, listed.text
    rows = list(csv.DictReader(io.StringIO(listed.text)))
    got: Counter[tuple[str, str]] = Counter()
    for row in rows:
        assert row["pickup_point"] == pickup_point_of(row["participant"]), row
        got[row["participant"], row["good"]] += int(row["quantity"])
    plan = views.plan(demo.unit_of_work(), POOL_NAME, 3)
    assert plan is not None
    allocated: Counter[tuple[str, str]] = Counter()
    for a in plan.data.allocations:
        allocated[a.participant, a.good] += a.quantity
    assert got == allocated
    assert {r["pickup_point"] for r in rows} == {"hofladen", "nord"}

    # the shifts of ana (harvest) and ben (weeding): a day before each, once, its person is
    # reminded of it, at the clearing for those that begin within a day (the harvest on
    # Saturday morning), none for those that began before it; half a day after a shift
    # ends, of logging it, once (at the clearing, for those that ended before it: their
    # hours are theirs to log)
    def reminded(kind: str, who: str) -> list[str]:
        with demo.unit_of_work() as uow:
            sent = uow.mail.sent_reminders(POOL_NAME, kind, datetime(2026, 5, 1, tzinfo=UTC))
        return sorted(r.subject for r in sent if r.member == who)

    def span(shift: Shift) -> tuple[datetime, datetime]:
        return (datetime.combine(shift.day, shift.start, BERLIN),
                datetime.combine(shift.day, shift.end, BERLIN))

    day = timedelta(hours=24)
    theirs = {who: [h.shift for h in shifts.my_shifts(demo.unit_of_work(), POOL_NAME, who)
                    .shifts if h.period == 3] for who in ("ana", "ben")}
    for who, placed_on in theirs.items():
        assert reminded("shift_tomorrow", who) == sorted(
            f"shift:{s.id}" for s in placed_on if DEADLINE < span(s)[0] <= DEADLINE + day)
        assert reminded("shift_unlogged", who) == sorted(
            f"shift:{s.id}" for s in placed_on if span(s)[1] + timedelta(hours=12) <= DEADLINE)
    ahead = sorted((span(s), s.id, who) for who, placed_on in theirs.items()
                   for s in placed_on if span(s)[0] > DEADLINE)
    assert [who for *_, who in ahead] == ["ana"], "ana harvests on Saturday, after the clearing"
    assert reminded("shift_tomorrow", "ana") == [f"shift:{ahead[0][1]}"]
    for (_, ends), number, who in ahead:
        subject = f"shift:{number}"
        _tick(demo, ends - timedelta(hours=1))
        assert reminded("shift_tomorrow", who).count(subject) == 1  # once, however many ticks
        _tick(demo, ends + timedelta(hours=11))
        assert subject not in reminded("shift_unlogged", who)
        _tick(demo, ends + timedelta(hours=13))
        _tick(demo, ends + timedelta(hours=14))
        assert reminded("shift_unlogged", who).count(subject) == 1
