"""A period through the forms: the coordinators' period page clears it (in the background,
the page polling), members log their work and confirm each other's (also by htmx), the
coordinators settle and close it; and who may do which."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import unquote

import pytest
from browsing import BLANK, HX, Browser, clear, day_of, invite, rows_of, text_of

from peerconomy.domain.pool import WorkLog
from peerconomy.services import lookup, periods
from peerconomy.store.memory import MemoryStore

People = dict[str, Browser]


def logs_in(store: MemoryStore, period: int = 1) -> list[WorkLog]:
    with store.unit_of_work() as uow:
        return list(uow.periods.work_logs("seaside", period))


def state_of(store: MemoryStore) -> str:
    with store.unit_of_work() as uow:
        return lookup.current_period(uow, "seaside").state.value


def log_work(who: Browser, task: str, hours: str) -> None:
    who.submit("/pools/seaside/work", {"task": task, "hours": hours}, form_on="/pools/seaside")


def test_a_whole_period_through_the_forms(collected: People, store: MemoryStore) -> None:
    ana, ben = collected["ana"], collected["ben"]
    period = ana.text("/pools/seaside/period")
    assert "seaside: period 1 The period is collecting offers and wishes." in period
    assert "No plan yet: the first period has not been cleared." in period

    clear(ana)
    page = ana.page("/pools/seaside/period")
    said = text_of(page)
    assert re.search(r"The plan is there \(cleared in [\d.]+ s\)\.", said)
    assert "The plan of period 1" in said
    assert "the period's weighted effort is 10 h, which the shares add up to" in said
    rows = rows_of(page)
    assert ["stairs", "1.5", "0"] in rows  # task, weight, open hours
    assert ["ben", "garden", "2"] in rows  # participant, task, hours
    assert ["sea-view", "2", "1", "3", "4"] in rows  # wished, given, premium, cost
    # shares, refunds (the sea-view's premium 3 comes back in halves) and credits
    assert ["ana", "6.5", "1.5", "6.5"] in rows and ["ben", "3.5", "1.5", "3.5"] in rows
    assert "The plan is there" not in ana.text("/pools/seaside/period"), "said once"

    # Ben's My period: his assignments and share; he logs his garden work.
    mine = ben.text("/pools/seaside")
    assert "The period is cleared: the work is being done." in mine
    assert "My share 3.5 h" in mine
    # share = goods + premiums + overhead - refund, each participant's pinned
    assert ("What my share is made of Effort of my goods 1 h Premiums charged 0 h"
            " Overhead and carried charges 4 h Refund of the premiums \N{MINUS SIGN}1.5 h") in mine
    assert ("Effort of my goods 1 h Premiums charged 3 h Overhead and carried charges 4 h"
            " Refund of the premiums \N{MINUS SIGN}1.5 h") in ana.text("/pools/seaside")
    log_work(ben, "garden", "2")
    mine = ben.text("/pools/seaside")
    assert "Your hours on garden are logged." in mine
    (logged,) = logs_in(store)
    assert f"2 h on garden, {day_of(logged)} — awaiting confirmation" in mine
    assert "My credits so far 0 h" in mine

    # Ana confirms it as htmx does: the row alone comes back, confirmed.
    assert (f"ben: 2 h on garden, {day_of(logged)} — awaiting confirmation"
            in ana.text("/pools/seaside"))
    fragment = ana.post(f"/pools/seaside/work/{logged.id}/confirm", form_on="/pools/seaside",
                        **HX)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith(f'<li id="work-{logged.id}">')
    assert "<html" not in fragment.text and "<form" not in fragment.text
    assert text_of(fragment.text) == f"ben: 2 h on garden, {day_of(logged)} — confirmed"
    assert "My credits so far 2 h" in ben.text("/pools/seaside")

    # Ana logs her stairs; ben confirms with the plain form (no htmx).
    log_work(ana, "stairs", "3")
    (_, hers) = logs_in(store)
    assert (f"ana: 3 h on stairs, {day_of(hers)} — awaiting confirmation"
            in ben.text("/pools/seaside"))
    assert ben.submit(f"/pools/seaside/work/{hers.id}/confirm",
                      form_on="/pools/seaside") == "/pools/seaside#confirm"
    mine = ana.text("/pools/seaside")
    assert "My credits so far 4.5 h" in mine  # 3 h at a weight of 1.5
    assert f"3 h on stairs, {day_of(hers)} — confirmed" in mine

    # Ana settles: the books get the period, period 2 collects.
    ana.submit("/pools/seaside/period/settle", form_on="/pools/seaside/period")
    period = ana.text("/pools/seaside/period")
    assert "The period is settled; period 2 collects offers and wishes." in period
    assert "seaside: period 2 The period is collecting offers and wishes." in period
    mine = ben.text("/pools/seaside")
    assert "My balance -1.5 h" in mine  # credit 2 less share 3.5
    assert f"My share {BLANK}" in mine
    assert "stairs: up to 2 h, at a weight of at least 1.5" in mine  # offers stand

    # Closing period 1 makes its books final.
    ana.submit("/pools/seaside/periods/1/close", form_on="/pools/seaside/period")
    assert "Period 1 is closed." in ana.text("/pools/seaside/period")
    with store.unit_of_work() as uow:
        closed = uow.periods.get("seaside", 1)
        assert closed is not None and closed.state.value == "closed"


def test_clearing_by_htmx_answers_with_the_progress_fragment(collected: People) -> None:
    ana = collected["ana"]
    answer = ana.post("/pools/seaside/period/clear", form_on="/pools/seaside/period", **HX)
    assert answer.status_code == 200
    assert answer.text.startswith('<div id="clearing" role="status" aria-live="polite"')
    assert "<html" not in answer.text
    while True:  # the page polls until the clearing is over, then reloads itself
        status = ana.get("/pools/seaside/period/clearing", **HX)
        if status.headers.get("HX-Refresh") == "true":
            break
        assert 'hx-get="/pools/seaside/period/clearing"' in status.text
        assert "Clearing the period…" in text_of(status.text)
    assert "The plan of period 1" in ana.text("/pools/seaside/period")


def test_a_period_is_cleared_once(cleared: People, store: MemoryStore) -> None:
    answer = cleared["ana"].post("/pools/seaside/period/clear",
                                 form_on="/pools/seaside/period")
    assert answer.status_code == 409
    assert state_of(store) == "cleared"


def test_a_collecting_period_is_not_settled(collected: People, store: MemoryStore) -> None:
    answer = collected["ana"].post("/pools/seaside/period/settle",
                                   form_on="/pools/seaside/period")
    assert answer.status_code == 409
    assert "That clashes with what is there" in text_of(answer.text)
    assert state_of(store) == "collecting"


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("/period/clear", {}),
        ("/period/settle", {}),
        ("/periods/1/close", {}),
        ("/invitations", {"role": "coordinator"}),
        ("/requests/cleo/approve", {}),
    ],
)
def test_a_member_may_not_run_the_period(
    collected: People, store: MemoryStore, action: str, data: dict[str, str]
) -> None:
    answer = collected["ben"].post("/pools/seaside" + action, data, form_on="/pools/seaside")
    assert answer.status_code == 403
    assert "only a coordinator of pool 'seaside' may" in text_of(answer.text)
    assert state_of(store) == "collecting"
    with store.unit_of_work() as uow:
        assert all(i.role == "member" for i in uow.accounts.invitations("seaside"))


def test_nobody_confirms_their_own_work(cleared: People, store: MemoryStore) -> None:
    ben = cleared["ben"]
    log_work(ben, "garden", "2")
    assert "Nothing awaits your confirmation." in ben.text("/pools/seaside")
    (logged,) = logs_in(store)
    answer = ben.post(f"/pools/seaside/work/{logged.id}/confirm", form_on="/pools/seaside")
    assert answer.status_code == 403
    assert "'ben' cannot confirm their own work" in text_of(answer.text)
    assert logs_in(store)[0].status == "pending"


def test_a_coordinator_rejects_work(cleared: People, store: MemoryStore) -> None:
    ana, ben = cleared["ana"], cleared["ben"]
    log_work(ben, "garden", "5")
    (logged,) = logs_in(store)
    assert f'action="/pools/seaside/work/{logged.id}/reject"' in ana.page("/pools/seaside")
    assert "/reject" not in ben.page("/pools/seaside")
    fragment = ana.post(f"/pools/seaside/work/{logged.id}/reject", form_on="/pools/seaside",
                        **HX)
    assert text_of(fragment.text) == f"ben: 5 h on garden, {day_of(logged)} — rejected"
    assert logs_in(store)[0].status == "rejected"
    assert "My credits so far 0 h" in ben.text("/pools/seaside")


def test_work_nobody_was_assigned_counts_once_a_coordinator_accepts_it(
    cleared: People, store: MemoryStore
) -> None:
    ana, ben = cleared["ana"], cleared["ben"]
    log_work(ben, "laundry", "1")  # the plan gave the laundry to ana
    said = ana.text("/pools/seaside")
    (logged,) = logs_in(store)
    assert (f"ben: 1 h on laundry, {day_of(logged)} (not assigned: a coordinator accepts"
            " it)") in said
    ana.submit(f"/pools/seaside/work/{logged.id}/confirm", form_on="/pools/seaside")
    assert logs_in(store)[0].status == "confirmed"


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"task": "garden", "hours": "abc"}, "hours: must be a number, got 'abc'"),
        ({"task": "garden", "hours": "-2"}, "hours: must be a finite number > 0, got -2.0"),
        ({"task": "garden", "hours": ""}, "hours: is missing"),
        ({"task": "sailing", "hours": "2"}, "no task 'sailing' in pool 'seaside'"),
    ],
)
def test_bad_work_is_refused_and_logs_nothing(
    cleared: People, store: MemoryStore, fields: dict[str, str], said: str
) -> None:
    answer = cleared["ben"].post("/pools/seaside/work", fields, form_on="/pools/seaside")
    assert answer.status_code in (404, 422)
    assert said in text_of(answer.text)
    assert logs_in(store) == []


def test_work_is_logged_only_in_a_cleared_period(collected: People, store: MemoryStore
                                                 ) -> None:
    ben = collected["ben"]
    assert "Log work" not in ben.text("/pools/seaside")
    answer = ben.post("/pools/seaside/work", {"task": "garden", "hours": "2"},
                      form_on="/pools/seaside")
    assert answer.status_code == 409
    assert logs_in(store) == []


def test_an_invitation_link_is_shown_once_and_lets_one_in_once(
    people: People) -> None:
    ana, cleo = people["ana"], people["cleo"]
    ana.submit("/pools/seaside/invitations", {"role": "coordinator", "days": "3"},
               form_on="/pools/seaside/period")
    page = ana.page("/pools/seaside/period")
    found = re.search(r'id="invitation-link">http://[^/]+(/invitations/[^<]+)<', page)
    assert found is not None
    link = found.group(1)
    assert link not in ana.page("/pools/seaside/period")
    assert cleo.submit(link, form_on=link) == "/pools/seaside"
    assert "You are a coordinator here." in cleo.text("/pools/seaside")
    assert cleo.get("/pools/seaside/period").status_code == 200
    answer = people["root"].post(link, form_on=link)
    assert answer.status_code in (404, 409)


def test_an_invitation_followed_before_signing_in_comes_back_after_it(
    people: People, browser: Callable[[], Browser]
) -> None:
    link = invite(people["ana"])
    someone = browser()
    page = someone.page(link)
    assert "You are invited to a pool" in text_of(page)
    found = re.search(r'href="(/signup\?invitation=[^"]+)"', page)
    assert found is not None  # the sign-up link carries the invitation's code, and comes back
    signup = found.group(1).replace("&amp;", "&")
    answer = someone.post("/signup", {"name": "dora", "email": "dora@seaside.example",
                                      "password": "dora by the sea",
                                      "next": unquote(signup.split("next=", 1)[1])},
                          form_on=signup)
    assert answer.status_code == 200  # signing up leads to signing in, which comes back
    to_sign_in = re.search(r'href="(/signin\?next=[^"]+)"', answer.text)
    assert to_sign_in is not None
    back = someone.submit("/signin", {"login": "dora", "password": "dora by the sea",
                                      "next": unquote(to_sign_in.group(1).split("next=")[1])},
                          form_on=to_sign_in.group(1))
    assert back == link
    assert someone.submit(link, form_on=link) == "/pools/seaside"
    assert "Welcome to the pool!" in someone.text("/pools/seaside")


def test_the_coordinator_reopens_a_cleared_period_from_its_page(
    cleared: People, store: MemoryStore
) -> None:
    ana = cleared["ana"]
    assert "Reopen the period" in ana.text("/pools/seaside/period")
    ana.submit("/pools/seaside/period/reopen", form_on="/pools/seaside/period")
    said = ana.text("/pools/seaside/period")
    assert ("The period collects offers and wishes again; its plan is withdrawn and kept in"
            " the period's history.") in said
    assert state_of(store) == "collecting"
    with store.unit_of_work() as uow:
        assert uow.periods.plan("seaside", 1) is None
        [withdrawn] = uow.periods.withdrawn_plans("seaside", 1)
    assert "Withdrawn plans of period 1" in said
    assert "by ana; weighted effort 10 h; Input hash:" in said
    assert withdrawn.plan.input_hash[:16] in said
    clear(ana)  # again: the same offers and wishes, the same plan
    with store.unit_of_work() as uow:
        again = uow.periods.plan("seaside", 1)
    assert again is not None and again.input_hash == withdrawn.plan.input_hash
    assert again.data == withdrawn.plan.data


def test_a_period_with_logged_work_is_not_reopened_from_its_page(
    cleared: People, store: MemoryStore
) -> None:
    log_work(cleared["ben"], "garden", "2")
    answer = cleared["ana"].post("/pools/seaside/period/reopen", form_on="/pools/seaside/period")
    assert answer.status_code == 409
    assert state_of(store) == "cleared"


def test_the_period_page_previews_the_plans_warnings(
    collected: People, store: MemoryStore
) -> None:
    ana = collected["ana"]
    page = ana.text("/pools/seaside/period")
    assert "If we cleared now: preview the plan and its warnings" in page
    assert 'hx-confirm="Clear the period now?' in ana.get("/pools/seaside/period").text
    said = ana.text("/pools/seaside/period?preview=1")
    assert "The plan's preview shows no warnings." in said
    assert "Provisional, nothing stored:" in said and "Provisional share" in said
    assert 'hx-confirm="Clear the period? The plan would have' in \
        ana.get("/pools/seaside/period?preview=1").text
    with store.unit_of_work() as uow:  # everyone can give a tenth of an hour: shares stand out
        for member in uow.pools.members("seaside"):
            uow.pools.put_member("seaside", replace(member, capacity=0.1))
        uow.commit()
    said = ana.text("/pools/seaside/period?preview=1")
    assert "more than ten times the pool's median capacity (0.1 h)" in said
    assert state_of(store) == "collecting"


def test_my_period_shows_what_the_plan_would_give_me_if_we_cleared_now(
    collected: People, store: MemoryStore
) -> None:
    ben = collected["ben"]
    assert "Show what the plan would give me" in ben.text("/pools/seaside")
    said = ben.text("/pools/seaside?preview=1")
    assert "My provisional share" in said and "nothing is stored" in said.lower()
    with store.unit_of_work() as uow:
        seen = periods.preview_period(uow, "seaside")
    mine = seen.of("ben")
    assert mine.share is not None and mine.assignments  # ben offered: the plan gives him work
    section = said[said.index("If we cleared now"):said.index("What to do next")]
    assert all(task in section for task, _, _ in mine.assignments)
    assert state_of(store) == "collecting"  # nothing stored
    with store.unit_of_work() as uow:
        assert uow.periods.plan("seaside", 1) is None
    clear(collected["ana"])  # the plan the clear keeps is the one ben saw
    with store.unit_of_work() as uow:
        kept = uow.periods.plan("seaside", 1)
    assert kept is not None and (kept.input_hash, kept.data) == (seen.input_hash, seen.plan)
    assert "If we cleared now" not in ben.text("/pools/seaside?preview=1")  # cleared
