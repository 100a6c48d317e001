"""Hostile forms: every form that changes something, posted by the person it is meant for (with
the session's CSRF token) with random fields: missing ones, empty ones, text, numbers of every
kind (``1,5``, ``-1``, ``1e309``, ``nan``), huge strings, unicode, control characters, and
random path segments (``/offers/<task>``).

Whatever is posted, the answer is a success (2xx, or a 3xx redirect) or a refusal (4xx) that
says something; never a server error. And a refusal changes nothing: the store's data
(everything but the sign-in bookkeeping: sessions and sign-in limits) is as it was.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import fields
from typing import Any
from urllib.parse import quote

import pytest
from browsing import Browser
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerconomy.services import periods
from peerconomy.store.memory import MemoryStore
from peerconomy.web.clearing import ClearingJobs

EXAMPLES = int(os.environ.get("PEERCONOMY_FUZZ_EXAMPLES", "20"))
"""Posts per form (``PEERCONOMY_FUZZ_EXAMPLES=200`` asks for more)."""
BOOKKEEPING = frozenset({"sessions", "sign_in_limits"})
"""What a refused form may change: a session's last use, a failed sign-in counted."""

numbers = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats().map(str),
    st.sampled_from(["", " ", "0", "-1", "1", "2", "1,5", "1.5", "1e309", "-1e309", "nan",
                     "inf", "-inf", "NaN", "0x10", "1_000", "9" * 400, "٣", "1 2"]),
)
texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "ana", "ben", "cleo", "seaside", "flats", "stairs", "laundry",
                     "sea-view", "guest-bed", "good:sea-view", "good:guest-bed", "type:flat",
                     "good:", "type:", ":", "member", "coordinator", "de", "en", "open",
                     "approval", "on", "/", "//evil.example", "\x00", "\u202e", "😀" * 50,
                     "a" * 5000, "x" * 200_000, "<script>alert(1)</script>", "'; drop--"]),
)
values = st.one_of(numbers, texts)
"""One field's value."""
segments = st.one_of(
    st.sampled_from(["stairs", "garden", "laundry", "sea-view", "ben-guests", "1", "2", "0",
                     "-1", "99999999999999999999", "flats", "ben", "dora", "approve", "decline",
                     "0123456789ab.nope", "%00", "..", "a" * 300]),
    st.text(st.characters(codec="utf-8", exclude_characters="/?#"), min_size=1, max_size=20),
)


PLAUSIBLE: dict[str, list[str]] = {
    "hours": ["1", "2", "1,5", "0.25"], "min_weight": ["1", "1.2", "0,8"], "period": ["1", ""],
    "quantity": ["1", "2"], "term": ["", "3", "26"], "max_cost:good:sea-view": ["3", "4,5"],
    "task": ["garden", "stairs"],
    "role": ["member", "coordinator"], "days": ["7", "1"], "project": ["boats", "flats2"],
    "tasks": ["sail: 2 h fixed\nrepair"], "goods": ["boat-trip: effort, recipe sail 1"],
    "name": ["hillside", "zoe"], "admission": ["open", "approval"], "public": ["on"],
    "email": ["zoe@x.example", "ben@seaside.example"],
    "password": ["zoe by the sea", "ben by the sea"],
    "display_name": ["Zoe"], "next": ["/", "/account"], "login": ["ben", "nobody"],
    "lang": ["de", "en"], "locale": ["de", ""], "old_password": ["ben by the sea"],
    "new_password": ["ben by the lake"], "label": ["laptop"], "user": ["cleo", "ben"],
    "member": ["", "ben"], "members": ["id,display_name\nflat-4,Dora\n", "id\nben\n"],
    "contact_visible": ["1", ""], "description": ["Am Hang", "Zwei Zeilen\r\nmit Umbruch"],
    "place": ["die Scheune", "Hinterhof", ""], "contact": ["ben", "", "dora"],
    # path segments
    "{task}": ["stairs", "garden", "laundry"], "{wish}": ["ben-guests"], "{log_id}": ["1", "2"],
    "{holding}": ["1", "2"], "{shift}": ["1", "2"],
    "date": ["2026-05-09", "2026-02-30"], "start": ["09:00", "5:30"], "end": ["12:00", "08:00"],
    "slots": ["1", "2", "0"],
    "worked_on": ["", "2026-05-09", "2999-01-01"], "note": ["", "Hedge cut\nbin emptied"],
    "shift": ["", "1"],
    "{number}": ["1"], "{user}": ["cleo", "dora"], "{decision}": ["approve", "decline"],
    "{project}": ["flats"], "{code}": ["0123456789ab.nope"], "{token_id}": ["0123456789ab"],
    "{token}": ["not-a-signed-link"], "pool": ["seaside", "hillside"],
    "period_opened": ["on", ""], "plan_cleared": ["on"], "work_awaits_confirmation": [""],
    "offers_closing": ["on", ""], "logs_waiting": [""], "shift_tomorrow": ["on", ""],
    "shift_unlogged": [""],
    "invitation": ["", "0123456789ab.nope"],
    "every": ["week", "day"], "first": ["2026-05-02"], "until": ["2026-05-30", "2026-05-01"],
    "weekdays": ["sat", "mon", ""], "interval": ["1", "2"], "with": ["ana", "ana/1", "ana/x"],
    "answer": ["accept", "decline", "withdraw"], "following": ["1", ""], "{swap}": ["1"],
    "shift_choice": ["1", ""], "shifts": ["1", "2", ""],
}
"""Values a person would give, so that many posts get through (the others are hostile)."""


def _value(name: str, hostile: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    plausible = PLAUSIBLE.get(name)
    return hostile if plausible is None else st.sampled_from(plausible) | hostile


FORMS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # path: (who posts it, the stage of the seaside it is posted in, its fields)
    "/pools/seaside/offers/{task}": ("ben", "collected", ("hours", "min_weight", "period",
                                                          "shift_choice", "shifts")),
    "/pools/seaside/offers/{task}/withdraw": ("ben", "collected", ()),
    "/pools/seaside/wishes": ("ben", "collected", ("quantity", "term", "period",
                                                   "max_cost:good:sea-view")),
    "/pools/seaside/wishes/{wish}/withdraw": ("ben", "collected", ()),
    "/pools/seaside/work": ("ben", "cleared", ("task", "hours", "worked_on", "note", "shift")),
    "/pools/seaside/work/{log_id}/confirm": ("ana", "worked", ()),
    "/pools/seaside/work/{log_id}/withdraw": ("ben", "worked", ()),
    "/pools/seaside/work/{log_id}/reject": ("ana", "worked", ()),
    "/pools/seaside/holdings/{holding}/notice": ("ben", "worked", ()),
    "/pools/seaside/tasks/{task}/shifts": ("ana", "collected", ("date", "start", "end",
                                                                "place", "slots")),
    "/pools/seaside/tasks/{task}/shifts/{shift}/cancel": ("ana", "collected", ()),
    "/pools/seaside/tasks/{task}/shifts/repeat": ("ana", "collected", (
        "every", "first", "until", "start", "end", "weekdays", "interval", "place", "slots")),
    "/pools/seaside/shifts/{shift}/take": ("ben", "cleared", ()),
    "/pools/seaside/me/shifts/{shift}/hand-back": ("ben", "cleared", ()),
    "/pools/seaside/me/shifts/{shift}/swap": ("ben", "cleared", ("with",)),
    "/pools/seaside/swaps/{swap}/answer": ("ben", "cleared", ("answer",)),
    "/pools/seaside/projects/{project}/follow": ("ben", "collected", ("following",)),
    "/pools/seaside/period/clear": ("ana", "collected", ()),
    "/pools/seaside/period/reopen": ("ana", "cleared", ()),
    "/pools/seaside/period/settle": ("ana", "worked", ()),
    "/pools/seaside/periods/{number}/close": ("ana", "worked", ()),
    "/pools/seaside/requests/{user}/{decision}": ("ana", "collected", ()),
    "/pools/seaside/invitations": ("ana", "collected", ("member", "role", "days")),
    "/pools/seaside/projects": ("ana", "collected", ("project", "tasks", "goods")),
    "/pools/seaside/projects/{project}/fork": ("ana", "collected", ("project",)),
    "/pools/seaside/projects/{project}/leave": ("ana", "collected", ("version",)),
    "/pools/seaside/goods/{good}/capacity": ("ana", "collected", ("capacity", "version")),
    "/pools/seaside/projects/{project}/names": ("ana", "collected", ("name", "description",
                                                                    "version")),
    "/pools/seaside/tasks/{task}/names": ("ana", "collected", ("name", "description", "place",
                                                              "contact", "version")),
    "/pools/seaside/goods/{good}/names": ("ana", "collected", ("name", "description",
                                                              "version")),
    "/pools/seaside/members/{participant}": ("ana", "collected", ("role", "capacity", "exempt",
                                                                 "version")),
    "/pools/seaside/members/{participant}/link": ("ana", "collected", ("user", "version")),
    "/pools/seaside/member-list": ("ana", "collected", ("members",)),
    "/pools/seaside/settings": ("ana", "collected", ("admission", "public",
                                                    "communal_validation", "max_weight",
                                                    "display_name", "description",
                                                    "period_length", "starts_on",
                                                    "close_days", "close_time", "time_zone",
                                                    "auto_clear",
                                                    "version")),
    "/pools/seaside/join": ("cleo", "collected", ()),
    "/pools": ("cleo", "collected", ("name", "admission", "public")),
    "/invitations/{code}": ("cleo", "collected", ()),
    "/signup": ("anonymous", "collected", ("name", "email", "password", "display_name",
                                           "invitation", "next")),
    "/signin": ("anonymous", "collected", ("login", "password", "next")),
    "/signout": ("ben", "collected", ()),
    "/language": ("anonymous", "collected", ("lang", "next")),
    "/reset": ("anonymous", "collected", ("email",)),
    "/reset/{code}": ("anonymous", "collected", ("password",)),
    "/account": ("ben", "collected", ("display_name", "locale")),
    "/account/password": ("ben", "collected", ("old_password", "new_password")),
    "/account/sessions/end-others": ("ben", "collected", ()),
    "/account/tokens": ("ben", "collected", ("label",)),
    "/account/tokens/{token_id}/revoke": ("ben", "collected", ()),
    "/account/calendar": ("ben", "collected", ()),
    "/account/notices": ("ben", "collected", ("pool", "period_opened", "plan_cleared",
                                              "work_awaits_confirmation", "offers_closing",
                                              "logs_waiting", "shift_tomorrow",
                                              "shift_unlogged")),
    "/account/verify-email": ("ben", "collected", ()),
    "/unsubscribe/{token}": ("anonymous", "collected", ()),
    "/account/delete": ("ben", "collected", ("password",)),
    "/pools/seaside/contact": ("ben", "collected", ("contact_visible",)),
    "/pools/seaside/pickup-points": ("ana", "collected", ("id", "name", "address",
                                                         "opening_times")),
    "/pools/seaside/pickup-points/{point}": ("ana", "collected", ("name", "address",
                                                                 "opening_times", "active",
                                                                 "version")),
    "/pools/seaside/pickup": ("ben", "collected", ("pickup_point",)),
}
"""Every form that changes something, as its page posts it (``{...}``: a path segment)."""
PEOPLE = ("root", "ana", "ben", "cleo")


def _posted_routes(app: FastAPI) -> set[str]:
    """The paths of the pages' POST routes (not the API's)."""
    found = set()
    for route in app.routes:
        inner = getattr(route, "effective_route_contexts", None)
        for each in inner() if inner is not None else [route]:
            path = getattr(each, "path", "")
            if "POST" in (getattr(each, "methods", None) or ()) and not path.startswith("/api/"):
                found.add(path)
    return found


def test_every_form_is_fuzzed(site: FastAPI) -> None:
    fuzzed = {path.replace("/pools/seaside", "/pools/{pool}") for path in FORMS}
    assert fuzzed == _posted_routes(site)


def snapshot(store: MemoryStore) -> dict[str, str]:
    """The store's data (all but the sign-in bookkeeping), as text to compare."""
    return {f.name: repr(getattr(store.state, f.name)) for f in fields(store.state)
            if f.name not in BOOKKEEPING}


class Fuzzing:
    """The seaside at each stage, and a browser for each person (and for nobody)."""

    def __init__(self, site: FastAPI, steps: dict[str, Any], clients: ExitStack) -> None:
        self.site = site
        self.store = MemoryStore()
        site.state.store, site.state.clearing = self.store, ClearingJobs()
        make: Callable[[], Browser] = lambda: Browser(  # noqa: E731
            clients.enter_context(TestClient(site, follow_redirects=False)))
        self.people = {name: make() for name in PEOPLE}
        self.anonymous = make()
        self.stages = dict(steps)
        steps["collected"].restore(self.store, self.people)
        periods.clear_period(self.store.unit_of_work(), "seaside")
        saved = type(steps["collected"])  # conftest's Saved
        self.stages["cleared"] = saved.of(self.store, self.people)
        ben, ana = self.people["ben"], self.people["ana"]
        ben.submit("/pools/seaside/work", {"task": "garden", "hours": "2"},
                   form_on="/pools/seaside")
        ana.submit("/pools/seaside/work", {"task": "stairs", "hours": "3"},
                   form_on="/pools/seaside")
        self.stages["worked"] = saved.of(self.store, self.people)
        self.tokens: dict[tuple[str, str], str] = {}

    def at(self, stage: str, who: str) -> tuple[Browser, str]:
        """``who``'s browser with the seaside at ``stage``; their CSRF token."""
        self.site.state.store, self.site.state.clearing = self.store, ClearingJobs()
        self.stages[stage].restore(self.store, self.people)
        browser = self.anonymous if who == "anonymous" else self.people[who]
        if who == "anonymous":
            browser.client.cookies.clear()
        key = (stage, who)
        if key not in self.tokens or who == "anonymous":
            self.tokens[key] = browser.csrf("/signin")
        return browser, self.tokens[key]


@pytest.fixture(scope="module")
def fuzzing(site: FastAPI, seaside_steps: dict[str, Any]) -> Iterator[Fuzzing]:
    with ExitStack() as clients:
        yield Fuzzing(site, seaside_steps, clients)


@st.composite
def posts(draw: st.DrawFn, path: str, names: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    """A path with random segments and random fields for the form at ``path``."""
    url = path
    while "{" in url:
        start, end = url.index("{"), url.index("}")
        segment = draw(_value(url[start:end + 1], segments))
        url = url[:start] + quote(segment, safe="") + url[end + 1:]
    # a form as a person fills it in, the same with one field made hostile (or left out),
    # or every field hostile
    mode = draw(st.sampled_from(["plausible", "one hostile", "hostile"]))
    odd = draw(st.sampled_from(names)) if names and mode == "one hostile" else None
    data: dict[str, Any] = {}
    for name in names:
        if mode == "hostile" or name == odd or name not in PLAUSIBLE:
            value = draw(st.none() | _value(name, values))
        else:
            value = draw(st.sampled_from(PLAUSIBLE[name]))
        if value is not None:
            data[name] = value
    if path == "/pools/seaside/wishes":
        data["alternative"] = draw(st.lists(
            st.sampled_from(["good:sea-view", "good:guest-bed"]) | values, max_size=3))
    if draw(st.booleans()):  # a field no form has
        data[draw(st.text(min_size=1, max_size=10))] = draw(values)
    return url, data


def _wait_for_the_clearing(site: FastAPI) -> None:
    """A clearing the post started runs in a thread: let it finish before the next post."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job = site.state.clearing.get("seaside")
        if job is None or job.state != "running":
            return
        time.sleep(0.005)
    raise AssertionError("the clearing did not finish")


def _form_fuzz(path: str) -> Callable[[Fuzzing], None]:
    who, stage, names = FORMS[path]

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(post=posts(path, names))
    def fuzz(fuzzing: Fuzzing, post: tuple[str, dict[str, Any]]) -> None:
        url, data = post
        browser, token = fuzzing.at(stage, who)
        before = snapshot(fuzzing.store)
        answer = browser.client.post(url, data={**data, "csrf_token": token})
        status = answer.status_code
        assert status < 500, (url, data, status, answer.text[:1000])
        assert 200 <= status < 500, (url, status)
        if status >= 400:
            assert answer.text.strip(), (url, status)  # a refusal says why
            after = snapshot(fuzzing.store)
            changed = [name for name in before if before[name] != after[name]]
            assert not changed, (url, data, status, changed)
        _wait_for_the_clearing(fuzzing.site)

    return fuzz


@pytest.mark.parametrize("path", sorted(FORMS))
def test_a_form_posted_with_random_fields_is_done_or_refused_without_a_trace(
    fuzzing: Fuzzing, path: str
) -> None:
    _form_fuzz(path)(fuzzing)


@pytest.mark.parametrize("new", ["", " ", "x" * 101])
def test_forking_a_project_into_no_id_or_a_too_long_one_is_refused(
    fuzzing: Fuzzing, new: str
) -> None:
    """Found by the fuzzing: an empty id made the copied tasks invalid (a server error)."""
    ana, token = fuzzing.at("collected", "ana")
    before = snapshot(fuzzing.store)
    answer = ana.client.post("/pools/seaside/projects/flats/fork",
                             data={"project": new, "csrf_token": token})
    assert answer.status_code == 422, answer.text[:500]
    assert "project" in answer.text
    assert snapshot(fuzzing.store) == before
