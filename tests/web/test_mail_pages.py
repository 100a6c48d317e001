"""Mail through the pages: steps taken on the pages mail the members as those taken over the
API do; the account page chooses which notices come and verifies the email; an unsubscribe
link works without signing in; and who may sign up, as the site's setting says."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from browsing import Browser, clear, invite, text_of
from fastapi import FastAPI

from fakes import Outbox
from peerconomy.mailer import Mailer
from peerconomy.services.notices import N_, Notice, text
from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]
Browsers = Callable[[], Browser]


@pytest.fixture
def outbox(app: FastAPI) -> Iterator[Outbox]:
    """What the site mails from now on (what was queued before is set aside)."""
    app.state.outbox.flush()
    before, app.state.mailer = app.state.mailer, Outbox(app)
    try:
        yield app.state.mailer
    finally:
        app.state.mailer = before


@pytest.fixture
def signup(app: FastAPI) -> Iterator[Callable[[str], None]]:
    """Sets the site's sign-up setting for one test."""
    before = app.state.settings

    def set_to(mode: str) -> None:
        app.state.settings = replace(before, signup=mode)

    yield set_to
    app.state.settings = before


def verified(store: MemoryStore, *names: str) -> None:
    """These people have followed the link mailed to them at sign-up."""
    with store.unit_of_work() as uow:
        for name in names:
            user = uow.accounts.user(name)
            assert user is not None
            uow.accounts.put_user(replace(user, email_verified_at=datetime.now(UTC)))
        uow.commit()


def subjects(outbox: Outbox, to: str) -> list[str]:
    return [n.written()[0] for n in outbox.sent if n.to == to]


def test_clearing_logging_work_and_settling_on_the_pages_mail_the_members(
    collected: People, store: MemoryStore, outbox: Outbox
) -> None:
    # Before, only the API's routes sent notices: clearing from the period page sent none.
    verified(store, "ana", "ben")
    ana, ben = collected["ana"], collected["ben"]
    clear(ana)
    ben.submit("/pools/seaside/work", {"task": "garden", "hours": "2"}, form_on="/pools/seaside")
    ana.submit("/pools/seaside/work/1/confirm", form_on="/pools/seaside")
    ana.submit("/pools/seaside/period/settle", form_on="/pools/seaside/period")
    assert subjects(outbox, "ben@seaside.example") == [
        "[seaside] Period 1 is cleared", "[seaside] Period 2 is open"]
    assert subjects(outbox, "ana@seaside.example") == [
        "[seaside] Period 1 is cleared", "[seaside] ben's work awaits confirmation",
        "[seaside] Period 2 is open"]
    assert subjects(outbox, "cleo@seaside.example") == []  # not in the pool


def test_the_account_page_turns_kinds_of_notice_off_per_pool(
    collected: People, store: MemoryStore, outbox: Outbox
) -> None:
    verified(store, "ana", "ben")
    ben = collected["ben"]
    page = ben.page("/account")
    assert 'name="plan_cleared" value="on" checked' in page
    assert "Your email address is not confirmed yet" not in page
    ben.submit("/account/notices", {"pool": "seaside", "period_opened": "on"},
               form_on="/account")
    page = ben.page("/account")
    assert 'name="plan_cleared" value="on" checked' not in page
    assert 'name="period_opened" value="on" checked' in page
    clear(collected["ana"])
    assert subjects(outbox, "ben@seaside.example") == []
    assert subjects(outbox, "ana@seaside.example") == ["[seaside] Period 1 is cleared"]
    refused = collected["cleo"].post("/account/notices", {"pool": "seaside"},
                                     form_on="/account")
    assert refused.status_code == 404  # not her pool


def test_the_reminders_are_chosen_on_the_account_page_and_by_their_link(
    app: FastAPI, collected: People, store: MemoryStore, browser: Browsers
) -> None:
    ben = collected["ben"]
    page = ben.page("/account")
    assert 'name="offers_closing" value="on" checked' in page
    assert 'name="logs_waiting" value="on" checked' in page
    assert 'name="shift_tomorrow" value="on" checked' in page
    assert 'name="shift_unlogged" value="on" checked' in page
    assert "Reminder: offers close in two days and I offered nothing" in text_of(page)
    assert "Reminder: a shift of mine begins within a day" in text_of(page)
    assert ("Reminder: a shift of mine has ended and I have not logged it"
            in text_of(page))
    ben.submit("/account/notices", {"pool": "seaside", "period_opened": "on",
                                    "plan_cleared": "on", "work_awaits_confirmation": "on",
                                    "shift_cancelled": "on", "shift_swap": "on",
                                    "open_slot": "on", "offers_closing": "on",
                                    "shift_tomorrow": "on"},
              form_on="/account")
    with store.unit_of_work() as uow:
        assert uow.mail.turned_off("ben") == {("seaside", "logs_waiting"),
                                              ("seaside", "shift_unlogged")}
    # the link at the foot of a reminder turns its kind off, and the page names it
    reminder = Notice("ben@seaside.example", text(N_("Reset your password")), (),
                      unsubscribe=("ben", "seaside", "offers_closing"))
    mailer = Mailer("smtp://127.0.0.1", "pool@seaside.example",
                    base_url="http://testserver", secret_key=app.state.settings.secret_key)
    urls = mailer.unsubscribe_urls(reminder)
    assert urls is not None
    path = urls[0].removeprefix("http://testserver")
    answer = browser().post(path, {}, form_on=path)
    assert answer.status_code == 200
    assert ("You get no more notices of this kind from pool seaside: Reminder: offers close in"
            " two days and I offered nothing") in text_of(answer.text)
    with store.unit_of_work() as uow:
        assert uow.mail.turned_off("ben") == {("seaside", "logs_waiting"),
                                              ("seaside", "shift_unlogged"),
                                              ("seaside", "offers_closing")}


def test_an_unsubscribe_link_works_without_signing_in(
    app: FastAPI, collected: People, store: MemoryStore, outbox: Outbox, browser: Browsers
) -> None:
    verified(store, "ben")
    clear(collected["ana"])
    (notice,) = [n for n in outbox.sent if n.to == "ben@seaside.example"]
    mailer = Mailer("smtp://127.0.0.1", "pool@seaside.example",
                    base_url="http://testserver", secret_key=app.state.settings.secret_key)
    urls = mailer.unsubscribe_urls(notice)
    assert urls is not None
    path = urls[0].removeprefix("http://testserver")
    stranger = browser()
    assert "Turn these notices off" in stranger.text(path)
    answer = stranger.post(path, {}, form_on=path)
    assert answer.status_code == 200
    assert ("You get no more notices of this kind from pool seaside: The plan is made"
            in text_of(answer.text))
    assert 'name="plan_cleared" value="on" checked' not in collected["ben"].page("/account")
    assert stranger.post(path[:-2] + "xx", {}, form_on=path).status_code == 404


def test_the_verification_link_confirms_the_email_and_can_be_mailed_again(
    app: FastAPI, people: People, outbox: Outbox, browser: Browsers
) -> None:
    cleo = people["cleo"]
    assert "Your email address is not confirmed yet" in cleo.text("/account")
    cleo.submit("/account/verify-email", {}, form_on="/account")
    (again,) = outbox.sent
    assert (again.to, again.written()[0]) == ("cleo@seaside.example",
                                              "Confirm your email address")
    mailer = Mailer("smtp://127.0.0.1", "pool@seaside.example",
                    base_url="http://testserver", secret_key=app.state.settings.secret_key)
    found = re.search(r"http://testserver(/verify/\S+)", again.written(links=mailer.link)[1])
    assert found is not None
    assert "your email address is confirmed" in browser().text(found.group(1))
    assert "Your email address is not confirmed yet" not in cleo.text("/account")


def test_where_sign_up_is_closed_the_page_says_so_and_makes_no_account(
    signup: Callable[[str], None], browser: Browsers, store: MemoryStore
) -> None:
    signup("closed")
    someone = browser()
    assert "Signing up is closed on this site." in someone.text("/signup")
    answer = someone.post("/signup", {"name": "zoe", "email": "zoe@x.example",
                                      "password": "zoe by the sea"}, form_on="/signin")
    assert answer.status_code == 403
    assert "Signing up is closed on this site." in text_of(answer.text)
    with store.unit_of_work() as uow:
        assert uow.accounts.user("zoe") is None


def test_where_sign_up_is_by_invitation_the_invitation_link_leads_to_it(
    signup: Callable[[str], None], people: People, browser: Browsers, store: MemoryStore
) -> None:
    signup("invite-only")
    link = invite(people["ana"])
    code = link.removeprefix("/invitations/")
    zoe = browser()
    fields = {"name": "zoe", "email": "zoe@x.example", "password": "zoe by the sea"}
    refused = zoe.post("/signup", fields, form_on="/signin")
    assert refused.status_code == 403
    assert "Signing up on this site needs an invitation link." in text_of(refused.text)
    wrong = zoe.post("/signup", {**fields, "invitation": code[:-2] + "xx"}, form_on="/signin")
    assert wrong.status_code == 422
    assert "This invitation code cannot be used" in text_of(wrong.text)
    with store.unit_of_work() as uow:
        assert uow.accounts.user("zoe") is None

    invited = zoe.page(link)
    found = re.search(r'href="(/signup\?invitation=[^"]+)"', invited)
    assert found is not None
    form = zoe.page(found.group(1).replace("&amp;", "&"))
    assert f'name="invitation" required value="{code}"' in form
    answer = zoe.post("/signup", {**fields, "invitation": code, "next": link},
                      form_on="/signin")
    assert answer.status_code == 200
    assert zoe.submit("/signin", {"login": "zoe", "password": "zoe by the sea",
                                  "next": link}, form_on="/signin") == link
    assert zoe.submit(link, form_on=link) == "/pools/seaside"


def test_the_notices_pages_are_in_german_too(people: People) -> None:
    ben = people["ben"]
    ben.submit("/language", {"lang": "de", "next": "/account"})
    page = text_of(ben.page("/account"))
    assert "Benachrichtigungen per E-Mail" in page
    assert "Der Plan steht (meine Zuteilungen und mein Anteil)" in page
    assert "Erinnerung: Arbeit, die ich bestätigen darf, wartet seit einem Tag" in page

