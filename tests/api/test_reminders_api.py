"""Reminders end to end: the seaside flats go weekly, the app's clock is moved by hand and its
worker ticks; the reminders arrive at a local SMTP server in each reader's language, and a
member turns them off over the API or by the link at the foot of the mail.

Ana coordinates and offers to garden, ben offers to do the stairs; cleo, who reads German,
has joined and offered nothing. Offers close on Friday 8 May 2026 at 18:00 in Berlin.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from seaside import Headers, sign_up
from test_mail import _body, inbox, seaside_by_mail, verify_everyone

from fakes import Clock
from smtp_inbox import Inbox

__all__ = ["inbox", "seaside_by_mail"]  # the fixtures, used here too

POOL = "/api/v1/pools/seaside"
DEADLINE = datetime(2026, 5, 8, 16, 0, tzinfo=UTC)  # Friday 18:00 in Berlin
WEEKLY = {"period_length": "1 week", "starts_on": "2026-05-04", "time_zone": "Europe/Berlin"}
Seaside = tuple[TestClient, dict[str, Headers], Clock, Inbox]


@pytest.fixture
def weekly(inbox: tuple[Inbox, int], seaside_by_mail: tuple[TestClient, dict[str, Headers]]
           ) -> Iterator[Seaside]:
    """The seaside flats, weekly; cleo (German) joined and offered nothing; the app's clock
    three days before the deadline; the mail so far forgotten."""
    mail, _ = inbox
    client, people = seaside_by_mail
    ana = people["ana"]
    people["cleo"] = cleo = sign_up(client, "cleo")
    verify_everyone(client, mail)
    assert client.patch("/api/v1/me", json={"locale": "de"}, headers=cleo).status_code == 200
    code = client.post(f"{POOL}/invitations", json={}, headers=ana).json()["code"]
    assert client.post(f"/api/v1/invitations/{code}/accept", headers=cleo).status_code == 201
    assert client.patch(POOL, json=WEEKLY, headers=ana).status_code == 200
    clock = Clock()
    clock.now = DEADLINE - timedelta(days=3)
    client.app.state.clock = clock  # type: ignore[attr-defined]
    client.app.state.outbox.flush()  # type: ignore[attr-defined]
    mail.messages.clear()
    yield client, people, clock, mail


def tick(client: TestClient) -> dict[str, int]:
    """One round of the app's worker at its clock's time (the scheduler, then the outbox)."""
    done = client.app.state.outbox.tick()  # type: ignore[attr-defined]
    assert done.failed == ()
    return dict(done.counts)


def test_two_days_before_the_deadline_who_offered_nothing_is_reminded_in_their_language(
    weekly: Seaside,
) -> None:
    client, _, clock, mail = weekly
    clock.now = DEADLINE - timedelta(hours=49)
    assert tick(client)["reminders that offers close"] == 0
    clock.now = DEADLINE - timedelta(hours=47)
    assert tick(client)["reminders that offers close"] == 1
    [reminder] = mail.messages
    assert reminder["To"] == "cleo@seaside.example"  # ana and ben offered
    assert reminder["Subject"] == "[seaside] Angebote schließen Fr., 8. Mai 18:00"
    assert reminder["Content-Language"] == "de"
    assert reminder["List-Unsubscribe"].startswith("<https://seaside.example/api/v1/unsubscribe/")
    said = _body(reminder)
    assert ("Angebote und Wünsche für Periode 1 des Pools seaside schließen Fr., 8. Mai 18:00"
            " (Europe/Berlin), und du hast noch keine Stunden angeboten.") in said
    assert "https://seaside.example/pools/seaside/tasks" in said
    clock.wait(hours=1)
    assert tick(client)["reminders that offers close"] == 0
    assert len(mail.messages) == 1


def test_a_member_turns_the_reminder_off_over_the_api(weekly: Seaside) -> None:
    client, people, clock, mail = weekly
    ben = people["ben"]
    assert client.delete(f"{POOL}/offers/stairs", headers=ben).status_code == 204
    wanted = client.get(f"{POOL}/me/notices", headers=ben)
    assert wanted.status_code == 200
    assert {s["kind"]: s["wanted"] for s in wanted.json()} == {
        "period_opened": True, "plan_cleared": True, "work_awaits_confirmation": True,
        "shift_cancelled": True, "shift_swap": True, "open_slot": True, "offers_closing": True,
        "logs_waiting": True, "shift_tomorrow": True, "shift_unlogged": True}
    changed = client.put(f"{POOL}/me/notices", json={"offers_closing": False}, headers=ben)
    assert changed.status_code == 200, changed.text
    assert [s["kind"] for s in changed.json() if not s["wanted"]] == ["offers_closing"]
    assert all(s["pool"] == "seaside" for s in changed.json())

    clock.now = DEADLINE - timedelta(hours=47)
    assert tick(client)["reminders that offers close"] == 1
    assert [m["To"] for m in mail.messages] == ["cleo@seaside.example"]


@pytest.mark.parametrize("body", [{"nonsense": False}, {"offers_closing": "perhaps"},
                                  ["offers_closing"], None])
def test_a_choice_of_notices_that_is_none_is_422_and_changes_nothing(
    weekly: Seaside, body: object,
) -> None:
    client, people, _, _ = weekly
    ben = people["ben"]
    refused = client.put(f"{POOL}/me/notices", json=body, headers=ben)
    assert refused.status_code == 422, refused.text
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert all(s["wanted"] for s in client.get(f"{POOL}/me/notices", headers=ben).json())


def test_the_link_at_the_foot_of_the_reminder_turns_it_off(weekly: Seaside) -> None:
    client, people, clock, mail = weekly
    cleo, ana = people["cleo"], people["ana"]
    clock.now = DEADLINE - timedelta(hours=47)
    tick(client)
    [reminder] = mail.messages
    link = re.search(r"https://seaside\.example/unsubscribe/(\S+)", _body(reminder))
    assert link is not None
    answer = client.post(f"/api/v1/unsubscribe/{link.group(1)}")
    assert answer.status_code == 200
    assert answer.json() == {"pool": "seaside", "kind": "offers_closing", "wanted": False}
    wanted = {s["kind"]: s["wanted"]
              for s in client.get(f"{POOL}/me/notices", headers=cleo).json()}
    assert wanted["offers_closing"] is False and wanted["logs_waiting"] is True

    # the next period: no reminder for cleo, who still offered nothing
    assert client.post(f"{POOL}/period/clear", headers=ana).status_code == 200
    assert client.post(f"{POOL}/period/settle", headers=ana).status_code == 200
    client.app.state.outbox.flush()  # type: ignore[attr-defined]
    assert [m["Subject"] for m in mail.to("cleo@seaside.example")][-1] == (
        "[seaside] Periode 2 ist offen")  # the notices she did not turn off still come
    mail.messages.clear()
    clock.now = DEADLINE + timedelta(days=7, hours=-47)
    assert tick(client)["reminders that offers close"] == 0
    assert mail.to("cleo@seaside.example") == []


def test_work_waiting_a_day_reminds_the_coordinator_with_a_link_to_confirm(
    weekly: Seaside,
) -> None:
    client, people, clock, mail = weekly
    ana, ben = people["ana"], people["ben"]
    clock.now = DEADLINE
    assert client.post(f"{POOL}/period/clear", headers=ana).status_code == 200
    logged = client.post(f"{POOL}/work", json={"task": "stairs", "hours": 4}, headers=ben)
    assert logged.status_code == 201, logged.text
    assert logged.json()["logged_at"] == "2026-05-08T16:00:00Z"  # by the app's clock
    tick(client)
    mail.messages.clear()
    clock.wait(hours=23)
    assert tick(client)["reminders of work to confirm"] == 0
    clock.wait(hours=2)
    assert tick(client)["reminders of work to confirm"] == 1
    [reminder] = mail.messages
    assert reminder["To"] == "ana@seaside.example"  # ben's own work; cleo is not assigned
    assert reminder["Subject"] == "[seaside] Work awaits your confirmation"
    said = _body(reminder)
    assert "Work logs in pool seaside that you may confirm have waited more than a day: 1." in said
    assert "ben: 4.00 h of stairs, logged Fri, May 8 18:00" in said
    assert "Confirm what you saw done: https://seaside.example/pools/seaside#confirm" in said
    clock.wait(hours=12)
    assert tick(client)["reminders of work to confirm"] == 0  # at most once a day


def test_the_shift_reminders_arrive_before_and_after_the_shift_with_their_links(
    weekly: Seaside,
) -> None:
    """Ben is placed on the stairs on Sunday 10 May, 10:00 to 12:00 in Berlin (8:00 to
    10:00 UTC), in the pool ana names "Seaside Flats": he hears of it a day before, and
    half a day after it ended, not having logged it, is asked to log it."""
    client, people, clock, mail = weekly
    ana, ben = people["ana"], people["ben"]
    assert client.patch(POOL, json={"display_name": "Seaside Flats"},
                        headers=ana).status_code == 200
    made = client.post(f"{POOL}/tasks/stairs/shifts", headers=ana, json={
        "date": "2026-05-10", "start": "10:00", "end": "12:00", "place": "Treppenhaus"})
    assert made.status_code == 201, made.text
    shift = made.json()["id"]
    clock.now = DEADLINE
    assert client.post(f"{POOL}/period/clear", headers=ana).status_code == 200
    assert [m["shift"]["id"] for m in client.get(f"{POOL}/me/shifts", headers=ben).json()[
        "shifts"]] == [shift]
    tick(client)
    mail.messages.clear()

    begins = datetime(2026, 5, 10, 8, 0, tzinfo=UTC)
    clock.now = begins - timedelta(hours=24, minutes=1)
    assert tick(client)["reminders of shifts tomorrow"] == 0
    clock.now = begins - timedelta(hours=23)
    assert tick(client)["reminders of shifts tomorrow"] == 1
    [tomorrow] = mail.messages
    assert tomorrow["To"] == "ben@seaside.example"
    assert tomorrow["Subject"] == "[Seaside Flats] Your shift: stairs, Sun, May 10 10:00"
    said = _body(tomorrow)
    assert "You are placed on a shift in pool Seaside Flats:" in said
    assert "When: Sun, May 10 10:00 to 12:00 (Europe/Berlin)" in said
    assert "Place: Treppenhaus" in said
    assert ("Cannot come? Hand the shift back or swap it on My period:"
            " https://seaside.example/pools/seaside#shifts") in said
    assert tomorrow["List-Unsubscribe"].startswith(
        "<https://seaside.example/api/v1/unsubscribe/")
    mail.messages.clear()

    ended = begins + timedelta(hours=2)
    clock.now = ended + timedelta(hours=11)
    assert tick(client)["reminders of shifts to log"] == 0
    clock.now = ended + timedelta(hours=12)
    assert tick(client)["reminders of shifts to log"] == 1
    [unlogged] = mail.messages
    assert unlogged["To"] == "ben@seaside.example"
    assert unlogged["Subject"] == "[Seaside Flats] Log your shift: stairs, Sun, May 10 10:00"
    assert (f"Log it in one step on My period: https://seaside.example/pools/seaside"
            f"#to-log-{shift}") in _body(unlogged)
    clock.wait(hours=1)
    assert tick(client)["reminders of shifts to log"] == 0
    assert len(mail.messages) == 1
