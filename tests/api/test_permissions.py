"""The permission matrix: every route of the application (the API, the pages and the rest:
docs, schema, static files), called by each kind of caller of a private pool: anonymous, an
outsider (signed in, coordinating another pool, not a member of this one), a member and a
coordinator.

Each route is listed with the least standing it needs; a route of ``app.routes`` that is not
listed (or a listed one that is gone) fails :func:`test_every_route_is_in_the_matrix`. A
caller below the route's standing is refused: on the API, anonymous callers of account routes
with 401, people outside a private pool with 404 (the pool is not revealed), members on
coordinators' routes with 403; on the pages, anonymous callers are sent to sign in, outsiders
get 404 and members 403 likewise. A caller at or above it gets past the check (the step itself
may still be refused for other reasons, e.g. 409 for a period in the wrong state, never 401 or
403), and nobody gets a server error. The API is called with personal tokens, the pages in a
browser session of each caller's own, with the session's CSRF token.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from contextlib import ExitStack
from enum import IntEnum
from http.cookiejar import Cookie
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from seaside import FLATS, Headers, sign_up
from starlette.routing import Mount

from peerconomy.asgi import create_app
from peerconomy.http.settings import AppSettings
from peerconomy.services import users
from peerconomy.store.memory import MemoryStore


class Need(IntEnum):
    ANYONE = 0
    USER = 1
    MEMBER = 2
    COORDINATOR = 3
    SESSION = 4
    """A signed-in browser's session: a bearer token is never enough (401 anonymous, else
    403), as the API is called with tokens here. Making API tokens needs it."""


P = "/api/v1/pools/{pool}"
MATRIX: dict[tuple[str, str], tuple[Need, dict[str, Any] | None]] = {
    ("POST", "/api/v1/auth/signup"): (
        Need.ANYONE, {"name": "zoe", "email": "zoe@x.example", "password": "zoe by the sea"}),
    ("POST", "/api/v1/auth/tokens"): (
        Need.ANYONE, {"login": "ben", "password": "ben by the sea"}),
    ("POST", "/api/v1/auth/password-reset"): (Need.ANYONE, {"email": "ben@seaside.example"}),
    ("POST", "/api/v1/auth/password-reset/{code}"): (Need.ANYONE, {"password": "long enough"}),
    ("POST", "/api/v1/auth/verify-email/{token}"): (Need.ANYONE, None),
    ("POST", "/api/v1/unsubscribe/{token}"): (Need.ANYONE, None),
    ("GET", "/api/v1/unsubscribe/{token}"): (Need.ANYONE, None),
    ("GET", "/api/v1/me"): (Need.USER, None),
    ("PATCH", "/api/v1/me"): (Need.USER, {"display_name": "Someone"}),
    ("GET", "/api/v1/me/tokens"): (Need.USER, None),
    ("GET", "/api/v1/me/export"): (Need.USER, None),
    ("DELETE", "/api/v1/me"): (Need.USER, {"password": "{who} by the sea"}),
    ("POST", "/api/v1/me/tokens"): (Need.SESSION, {"label": "laptop"}),
    ("DELETE", "/api/v1/me/tokens/{token_id}"): (Need.USER, None),
    ("GET", "/api/v1/me/calendar"): (Need.USER, None),
    ("POST", "/api/v1/me/calendar"): (Need.USER, None),
    ("GET", "/api/v1/pools"): (Need.ANYONE, None),
    ("POST", "/api/v1/pools"): (Need.USER, {"name": "hillside"}),
    ("POST", "/api/v1/invitations/{code}/accept"): (Need.USER, None),
    # a private pool is not found by whoever is outside it, also when asking to join
    ("POST", P + "/join"): (Need.MEMBER, None),
    ("GET", P): (Need.MEMBER, None),
    ("PATCH", P): (Need.COORDINATOR, {"public": True}),
    ("GET", P + "/requests"): (Need.COORDINATOR, None),
    ("POST", P + "/requests/{user}"): (Need.COORDINATOR, {"approve": True}),
    ("POST", P + "/invitations"): (Need.COORDINATOR, {}),
    ("GET", P + "/members"): (Need.MEMBER, None),
    ("POST", P + "/members"): (Need.COORDINATOR, {"id": "dora"}),
    ("POST", P + "/members/{participant}/link"): (Need.COORDINATOR, {"user": "cleo"}),
    ("PATCH", P + "/members/{participant}"): (Need.COORDINATOR, {"exempt": True}),
    ("DELETE", P + "/members/{participant}"): (Need.COORDINATOR, None),
    ("GET", P + "/projects"): (Need.MEMBER, None),
    ("POST", P + "/projects"): (Need.COORDINATOR, {"id": "boats"}),
    ("POST", P + "/projects/{project}/leave"): (Need.COORDINATOR, None),
    ("POST", P + "/projects/{project}/fork"): (Need.COORDINATOR, {"project": "flats2"}),
    ("PATCH", P + "/goods/{good}"): (Need.COORDINATOR, {"capacity": 2}),
    ("PATCH", P + "/projects/{project}"): (Need.COORDINATOR, {"name": "Ferienwohnungen"}),
    ("PATCH", P + "/tasks/{task}"): (Need.COORDINATOR, {"place": "im Keller"}),
    ("GET", P + "/period"): (Need.MEMBER, None),
    ("POST", P + "/period/clear"): (Need.COORDINATOR, None),
    ("GET", P + "/period/preview"): (Need.MEMBER, None),
    ("POST", P + "/period/reopen"): (Need.COORDINATOR, None),
    ("POST", P + "/period/settle"): (Need.COORDINATOR, None),
    ("POST", P + "/periods/{number}/close"): (Need.COORDINATOR, None),
    ("GET", P + "/periods/{number}/plan"): (Need.MEMBER, None),
    ("GET", P + "/periods/{number}/plans"): (Need.MEMBER, None),
    ("GET", P + "/offers"): (Need.MEMBER, None),
    ("PUT", P + "/offers/{task}"): (Need.MEMBER, {"hours": 1}),
    ("DELETE", P + "/offers/{task}"): (Need.MEMBER, None),
    ("GET", P + "/wishes"): (Need.MEMBER, None),
    ("POST", P + "/wishes"): (Need.MEMBER, {"alternatives": [{"good": "guest-bed"}]}),
    ("PUT", P + "/wishes/{wish}"): (Need.MEMBER, {"alternatives": [{"good": "guest-bed"}]}),
    ("DELETE", P + "/wishes/{wish}"): (Need.MEMBER, None),
    ("GET", P + "/work"): (Need.MEMBER, None),
    ("POST", P + "/work"): (Need.MEMBER, {"task": "garden", "hours": 1}),
    ("POST", P + "/work/{log_id}/confirm"): (Need.MEMBER, None),
    ("POST", P + "/work/{log_id}/reject"): (Need.COORDINATOR, None),
    ("DELETE", P + "/work/{log_id}"): (Need.MEMBER, None),
    ("GET", P + "/holdings"): (Need.MEMBER, None),
    ("POST", P + "/holdings/{holding}/notice"): (Need.MEMBER, None),
    ("GET", P + "/hints"): (Need.MEMBER, None),
    ("GET", P + "/pickup-points"): (Need.MEMBER, None),
    ("POST", P + "/pickup-points"): (Need.COORDINATOR, {"id": "kiosk", "name": "Kiosk"}),
    ("PATCH", P + "/pickup-points/{point}"): (Need.COORDINATOR, {"active": False}),
    ("GET", P + "/me/pickup"): (Need.MEMBER, None),
    ("PUT", P + "/me/pickup"): (Need.MEMBER, {"pickup_point": None}),
    ("GET", P + "/me/notices"): (Need.MEMBER, None),
    ("PUT", P + "/me/notices"): (Need.MEMBER, {"offers_closing": False}),
    ("GET", P + "/periods/{number}/distribution"): (Need.COORDINATOR, None),
    ("GET", P + "/me"): (Need.MEMBER, None),
    ("PATCH", P + "/me"): (Need.MEMBER, {"contact_visible": True}),
    ("GET", P + "/tasks"): (Need.MEMBER, None),
    ("POST", P + "/tasks/{task}/shifts"): (
        Need.COORDINATOR, {"date": "2026-05-09", "start": "09:00", "end": "12:00"}),
    ("POST", P + "/tasks/{task}/shifts/repeat"): (
        Need.COORDINATOR, {"every": "week", "first": "2026-05-02", "until": "2026-05-30",
                           "start": "09:00", "end": "12:00", "weekdays": ["sat"]}),
    ("PATCH", P + "/tasks/{task}/shifts/{shift}"): (Need.COORDINATOR, {"cancelled": True}),
    ("GET", P + "/me/shifts"): (Need.MEMBER, None),
    ("POST", P + "/me/shifts/{shift}/hand-back"): (Need.MEMBER, None),
    ("POST", P + "/shifts/{shift}/take"): (Need.MEMBER, None),
    ("POST", P + "/me/shifts/{shift}/swaps"): (Need.MEMBER, {"to": "ana"}),
    ("GET", P + "/me/swaps"): (Need.MEMBER, None),
    ("POST", P + "/swaps/{swap}/accept"): (Need.MEMBER, None),
    ("POST", P + "/swaps/{swap}/decline"): (Need.MEMBER, None),
    ("POST", P + "/swaps/{swap}/withdraw"): (Need.MEMBER, None),
    ("GET", P + "/me/follows"): (Need.MEMBER, None),
    ("PUT", P + "/projects/{project}/follow"): (Need.MEMBER, None),
    ("DELETE", P + "/projects/{project}/follow"): (Need.MEMBER, None),
    ("GET", P + "/goods"): (Need.MEMBER, None),
    ("GET", P + "/ledger/balances"): (Need.MEMBER, None),
    ("GET", P + "/ledger/statement"): (Need.MEMBER, None),
    ("GET", P + "/ledger/history"): (Need.MEMBER, None),
    ("GET", P + "/ledger/export"): (Need.MEMBER, None),
    ("POST", P + "/ledger/transactions/{transaction}/correct"): (
        Need.COORDINATOR, {"reason": "typo"}),
    ("GET", P + "/audit"): (Need.COORDINATOR, None),
}
PATH_VALUES = {
    "pool": "seaside", "token_id": "0123456789ab", "code": "0123456789ab.nope",
    "user": "dora", "participant": "ana", "project": "flats", "number": "1", "task": "garden",
    "wish": "ben-guests", "log_id": "1", "holding": "1", "transaction": "p1-shares",
    "good": "guest-bed", "point": "harbour", "shift": "1", "swap": "1",
    "token": "not-a-signed-link",
}
CALLERS = {"anonymous": Need.ANYONE, "outsider": Need.USER, "member": Need.MEMBER,
           "coordinator": Need.COORDINATOR}
WHO = {"outsider": "cleo", "member": "ben", "coordinator": "ana"}


PAGES: dict[tuple[str, str], tuple[Need, dict[str, Any] | None]] = {
    ("GET", "/"): (Need.ANYONE, None),
    ("GET", "/signup"): (Need.ANYONE, None),
    ("POST", "/signup"): (
        Need.ANYONE, {"name": "zoe", "email": "zoe@x.example", "password": "zoe by the sea"}),
    ("GET", "/signin"): (Need.ANYONE, None),
    ("POST", "/signin"): (Need.ANYONE, {"login": "ben", "password": "ben by the sea"}),
    ("POST", "/signout"): (Need.ANYONE, {}),
    ("GET", "/verify/{token}"): (Need.ANYONE, None),
    ("GET", "/unsubscribe/{token}"): (Need.ANYONE, None),
    ("POST", "/unsubscribe/{token}"): (Need.ANYONE, {}),
    ("POST", "/account/notices"): (Need.MEMBER, {"pool": "seaside"}),
    ("POST", "/account/verify-email"): (Need.USER, {}),
    ("GET", "/reset"): (Need.ANYONE, None),
    ("POST", "/reset"): (Need.ANYONE, {"email": "ben@seaside.example"}),
    ("GET", "/reset/{code}"): (Need.ANYONE, None),
    ("POST", "/reset/{code}"): (Need.ANYONE, {"password": "long enough"}),
    ("POST", "/language"): (Need.ANYONE, {"lang": "de"}),
    ("GET", "/invitations/{code}"): (Need.ANYONE, None),
    ("POST", "/invitations/{code}"): (Need.USER, {}),
    ("POST", "/pools"): (Need.USER, {"name": "hillside"}),
    ("GET", "/account"): (Need.USER, None),
    ("POST", "/account"): (Need.USER, {"display_name": "Someone"}),
    ("POST", "/account/password"): (
        Need.USER, {"old_password": "{who} by the sea", "new_password": "{who} by the lake"}),
    ("POST", "/account/sessions/end-others"): (Need.USER, {}),
    ("POST", "/account/tokens"): (Need.USER, {"label": "laptop"}),
    ("POST", "/account/tokens/{token_id}/revoke"): (Need.USER, {}),
    ("GET", "/account/export"): (Need.USER, None),
    ("POST", "/account/calendar"): (Need.USER, {}),
    ("POST", "/account/delete"): (Need.USER, {"password": "{who} by the sea"}),
    ("POST", "/pools/{pool}/contact"): (Need.MEMBER, {"contact_visible": "1"}),
    ("POST", "/pools/{pool}/join"): (Need.MEMBER, {}),
    ("GET", "/pools/{pool}"): (Need.MEMBER, None),
    ("GET", "/pools/{pool}/tasks"): (Need.MEMBER, None),
    ("GET", "/pools/{pool}/goods"): (Need.MEMBER, None),
    ("GET", "/pools/{pool}/hints"): (Need.MEMBER, None),
    ("GET", "/pools/{pool}/hints.atom"): (Need.MEMBER, None),
    ("GET", "/pools/{pool}/ledger"): (Need.MEMBER, None),
    ("GET", "/pools/{pool}/ledger.{fmt}"): (Need.MEMBER, None),
    ("GET", "/pools/{pool}/projects"): (Need.MEMBER, None),
    ("POST", "/pools/{pool}/offers/{task}"): (Need.MEMBER, {"hours": "1", "min_weight": "1"}),
    ("POST", "/pools/{pool}/offers/{task}/withdraw"): (Need.MEMBER, {}),
    ("POST", "/pools/{pool}/tasks/{task}/shifts"): (
        Need.COORDINATOR, {"date": "2026-05-09", "start": "09:00", "end": "12:00"}),
    ("POST", "/pools/{pool}/tasks/{task}/shifts/{shift}/cancel"): (Need.COORDINATOR, {}),
    ("POST", "/pools/{pool}/tasks/{task}/shifts/repeat"): (
        Need.COORDINATOR, {"every": "week", "first": "2026-05-02", "until": "2026-05-30",
                           "start": "09:00", "end": "12:00", "weekdays": "sat"}),
    ("POST", "/pools/{pool}/shifts/{shift}/take"): (Need.MEMBER, {}),
    ("POST", "/pools/{pool}/me/shifts/{shift}/hand-back"): (Need.MEMBER, {}),
    ("POST", "/pools/{pool}/me/shifts/{shift}/swap"): (Need.MEMBER, {"with": "ana"}),
    ("POST", "/pools/{pool}/swaps/{swap}/answer"): (Need.MEMBER, {"answer": "accept"}),
    ("POST", "/pools/{pool}/projects/{project}/follow"): (Need.MEMBER, {"following": "1"}),
    ("POST", "/pools/{pool}/wishes"): (Need.MEMBER, {"alternative": "good:guest-bed"}),
    ("POST", "/pools/{pool}/wishes/{wish}/withdraw"): (Need.MEMBER, {}),
    ("POST", "/pools/{pool}/work"): (Need.MEMBER, {"task": "garden", "hours": "1"}),
    ("POST", "/pools/{pool}/work/{log_id}/confirm"): (Need.MEMBER, {}),
    ("POST", "/pools/{pool}/work/{log_id}/reject"): (Need.COORDINATOR, {}),
    ("POST", "/pools/{pool}/work/{log_id}/withdraw"): (Need.MEMBER, {}),
    ("POST", "/pools/{pool}/holdings/{holding}/notice"): (Need.MEMBER, {}),
    ("GET", "/pools/{pool}/period"): (Need.COORDINATOR, None),
    ("GET", "/pools/{pool}/period/clearing"): (Need.COORDINATOR, None),
    ("GET", "/pools/{pool}/audit"): (Need.COORDINATOR, None),
    ("POST", "/pools/{pool}/period/clear"): (Need.COORDINATOR, {}),
    ("POST", "/pools/{pool}/period/reopen"): (Need.COORDINATOR, {}),
    ("POST", "/pools/{pool}/period/settle"): (Need.COORDINATOR, {}),
    ("POST", "/pools/{pool}/periods/{number}/close"): (Need.COORDINATOR, {}),
    ("POST", "/pools/{pool}/requests/{user}/{decision}"): (Need.COORDINATOR, {}),
    ("POST", "/pools/{pool}/invitations"): (Need.COORDINATOR, {"role": "member"}),
    ("POST", "/pools/{pool}/projects"): (
        Need.COORDINATOR, {"project": "boats", "tasks": "", "goods": ""}),
    ("POST", "/pools/{pool}/projects/{project}/fork"): (Need.COORDINATOR, {"project": "flats2"}),
    ("POST", "/pools/{pool}/projects/{project}/leave"): (Need.COORDINATOR, {"version": "1"}),
    ("POST", "/pools/{pool}/goods/{good}/capacity"): (
        Need.COORDINATOR, {"capacity": "2", "version": "1"}),
    ("POST", "/pools/{pool}/projects/{project}/names"): (
        Need.COORDINATOR, {"name": "Ferienwohnungen", "version": "1"}),
    ("POST", "/pools/{pool}/tasks/{task}/names"): (
        Need.COORDINATOR, {"place": "im Keller", "version": "1"}),
    ("POST", "/pools/{pool}/goods/{good}/names"): (
        Need.COORDINATOR, {"name": "Gästebett", "version": "1"}),
    ("POST", "/pools/{pool}/members/{participant}"): (
        Need.COORDINATOR, {"role": "coordinator", "version": "1"}),
    ("POST", "/pools/{pool}/members/{participant}/link"): (
        Need.COORDINATOR, {"user": "cleo", "version": "1"}),
    ("POST", "/pools/{pool}/member-list"): (Need.COORDINATOR, {"members": "id\nflat-4\n"}),
    ("GET", "/pools/{pool}/pickup-points"): (Need.COORDINATOR, None),
    ("POST", "/pools/{pool}/pickup-points"): (Need.COORDINATOR, {"id": "kiosk", "name": "Kiosk"}),
    ("POST", "/pools/{pool}/pickup-points/{point}"): (
        Need.COORDINATOR, {"name": "Kiosk", "version": "1"}),
    ("POST", "/pools/{pool}/pickup"): (Need.MEMBER, {"pickup_point": ""}),
    ("GET", "/pools/{pool}/periods/{number}/distribution"): (Need.COORDINATOR, None),
    ("POST", "/pools/{pool}/settings"): (
        Need.COORDINATOR, {"admission": "open", "max_weight": "5", "version": "1"}),
}
"""The pages: a form's fields as posted (``{who}``: the caller's name), None for a GET."""
OTHERS: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/openapi.json"): "/api/v1/openapi.json",
    ("GET", "/api/docs"): "/api/docs",
    ("GET", "/api/docs/assets/{path}"): "/api/docs/assets/swagger-ui-bundle.js",
    ("GET", "/static/{path}"): "/static/style.css",
    ("GET", "/favicon.ico"): "/favicon.ico",
    ("GET", "/health"): "/health",
}
"""Routes anybody may fetch, each with a path to try it on (the health check too: a probe
signs in nowhere)."""
BY_SECRET: dict[tuple[str, str], str] = {
    ("GET", "/calendar/{token}.ics"): "/calendar/{token}.ics",
    ("GET", "/pools/{pool}/calendar/{token}.ics"): "/pools/seaside/calendar/{token}.ics",
    ("GET", "/pools/{pool}/hints/{token}.atom"): "/pools/seaside/hints/{token}.atom",
}
"""Secret addresses (a member's calendar, a pool's calendar and feed): the token in the
address decides, whoever's session the request carries, or none."""
PAGE_VALUES = {**PATH_VALUES, "fmt": "csv", "decision": "approve"}


def _app(store: MemoryStore) -> FastAPI:
    return create_app(store, AppSettings(signup="open", secret_key="k"), pages=True)


def _routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every route of ``app`` as (method, path); a mount as one GET of ``{path}`` under it.

    FastAPI keeps an included router as one entry of ``app.routes`` and lists its routes
    (with their prefix) as its effective route contexts."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        if isinstance(route, Mount):
            found.add(("GET", route.path + "/{path}"))
            continue
        inner = getattr(route, "effective_route_contexts", None)
        for each in inner() if inner is not None else [route]:
            assert isinstance(each.path, str) and each.methods, f"a route of no kind: {each!r}"
            found.update((m, each.path) for m in each.methods if m != "HEAD")
    return found


def test_every_route_is_in_the_matrix() -> None:
    app = _app(MemoryStore())
    listed = [*MATRIX, *PAGES, *OTHERS, *BY_SECRET]
    assert len(listed) == len(set(listed))
    assert _routes(app) == set(listed)
    schema = {(m.upper(), path) for path, ops in app.openapi()["paths"].items() for m in ops}
    assert schema == set(MATRIX)


Seaside = tuple[TestClient, MemoryStore, dict[str, Headers], dict[str, TestClient]]


def _sign_in(browser: TestClient, name: str) -> None:
    token = _csrf(browser, "/signin")
    answer = browser.post("/signin", data={"login": name, "password": f"{name} by the sea",
                                           "next": "/", "csrf_token": token})
    assert answer.status_code == 303, answer.text


_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _csrf(browser: TestClient, url: str = "/") -> str:
    found = _TOKEN.search(browser.get(url).text)
    assert found is not None, f"no CSRF token on {url}"
    return found.group(1)


@pytest.fixture(scope="module")
def seaside() -> Iterator[Seaside]:
    """The pool once per module (sign-ups hash passwords slowly); each test restores it.
    Besides the API client, each caller has a browser signed in to a session of their own."""
    store = MemoryStore()
    app = _app(store)
    with ExitStack() as stack:
        client = stack.enter_context(TestClient(app))
        people = {name: sign_up(client, name) for name in ("root", "ana", "ben", "cleo")}
        users.set_admin(store.unit_of_work(), "root", True)
        ana = people["ana"]
        client.post("/api/v1/pools", json={"name": "seaside"}, headers=ana)
        client.post("/api/v1/pools/seaside/projects", json=FLATS, headers=ana)
        code = client.post("/api/v1/pools/seaside/invitations", json={},
                           headers=ana).json()["code"]
        client.post(f"/api/v1/invitations/{code}/accept", headers=people["ben"])
        client.post("/api/v1/pools/seaside/wishes", headers=people["ben"],
                    json={"id": "ben-guests", "alternatives": [{"good": "guest-bed"}]})
        # the outsider is no stranger to the site: cleo coordinates a pool of her own
        assert client.post("/api/v1/pools", json={"name": "lakeside"},
                           headers=people["cleo"]).status_code == 201
        client.cookies.clear()
        browsers = {
            caller: stack.enter_context(TestClient(app, follow_redirects=False))
            for caller in CALLERS
        }
        for caller, name in WHO.items():
            _sign_in(browsers[caller], name)
        _csrf(browsers["anonymous"], "/signin")  # a session (and a CSRF token) of its own
        yield client, store, people, browsers


@pytest.fixture
def fresh(seaside: Seaside) -> Iterator[tuple[TestClient, dict[str, Headers]]]:
    client, store, people, browsers = seaside
    saved = copy.deepcopy(store.state)
    cookies: dict[str, list[Cookie]] = {c: list(b.cookies.jar) for c, b in browsers.items()}
    yield client, people
    store.state = saved
    for caller, browser in browsers.items():
        browser.cookies.clear()
        for cookie in cookies[caller]:
            browser.cookies.jar.set_cookie(copy.copy(cookie))


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize(("method", "path"), sorted(MATRIX))
def test_each_caller_is_let_through_or_refused_as_the_matrix_says(
    fresh: tuple[TestClient, dict[str, Headers]], method: str, path: str, caller: str
) -> None:
    client, people = fresh
    need, body = MATRIX[(method, path)]
    headers = people[WHO[caller]] if caller in WHO else {}
    url = path.format(**PATH_VALUES)
    who = WHO.get(caller, "nobody")
    if body is not None:  # a password in the body is the caller's own
        body = {k: v.format(who=who) if isinstance(v, str) else v for k, v in body.items()}
    answer = client.request(method, url, json=body, headers=headers)
    is_json = answer.headers.get("content-type", "").startswith(
        ("application/json", "application/problem+json"))
    found = answer.json() if is_json and answer.content else None
    detail = found.get("detail") if isinstance(found, dict) else None
    hidden = answer.status_code == 404 and detail == "no pool 'seaside'"
    assert answer.status_code < 500, (answer.status_code, answer.text[:500])
    if need is Need.SESSION:
        assert answer.status_code == (401 if caller == "anonymous" else 403), answer.status_code
    elif CALLERS[caller] >= need:
        assert answer.status_code not in (401, 403) and not hidden, (answer.status_code, detail)
    elif caller == "anonymous" and (need is Need.USER or path in SIGN_IN_FIRST):
        assert answer.status_code == 401, (answer.status_code, detail)
    elif need >= Need.MEMBER and CALLERS[caller] < Need.MEMBER:
        assert hidden, (answer.status_code, detail)
    else:
        assert answer.status_code == 403, (answer.status_code, detail)


SIGN_IN_FIRST = {P + "/join"}
"""Routes that ask anonymous callers to sign in before they look at the pool (which tells
nothing about it); signed-in outsiders of a private pool do not find it there."""


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize(("method", "path"), sorted(PAGES))
def test_each_caller_sees_the_pages_or_is_refused_as_the_matrix_says(
    seaside: Seaside, fresh: tuple[TestClient, dict[str, Headers]], method: str, path: str,
    caller: str,
) -> None:
    browser = seaside[3][caller]
    need, form = PAGES[(method, path)]
    url = path.format(**PAGE_VALUES)
    if form is None:
        answer = browser.get(url)
    else:
        who = WHO.get(caller, "nobody")
        fields = {k: v.format(who=who) for k, v in form.items()}
        answer = browser.post(url, data={**fields, "csrf_token": _csrf(browser, "/")})
    status, where = answer.status_code, answer.headers.get("location", "")
    to_sign_in = status == 303 and where.startswith("/signin?next=")
    hidden = status == 404 and "no pool" in answer.text
    assert status < 500, (status, answer.text[:500])
    if CALLERS[caller] >= need:
        assert status not in (401, 403) and not to_sign_in and not hidden, (status, where)
    elif caller == "anonymous":
        assert to_sign_in, (status, where)
    elif need >= Need.MEMBER and CALLERS[caller] < Need.MEMBER:
        assert hidden, (status, answer.text[:300])
    else:
        assert status == 403, (status, answer.text[:300])


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize("route", sorted(OTHERS))
def test_the_docs_schema_and_static_files_are_there_for_anybody(
    seaside: Seaside, route: tuple[str, str], caller: str
) -> None:
    answer = seaside[3][caller].get(OTHERS[route])
    assert answer.status_code == 200, answer.status_code


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize("route", sorted(BY_SECRET))
def test_a_secret_address_answers_its_token_whoever_asks(
    seaside: Seaside, fresh: tuple[TestClient, dict[str, Headers]], route: tuple[str, str],
    caller: str,
) -> None:
    client, people = fresh
    found = client.get("/api/v1/me/calendar", headers=people["ben"]).json()["calendar_url"]
    bens = found.rsplit("/", 1)[1].removesuffix(".ics")
    browser = seaside[3][caller]
    forged = bens[:-1] + ("B" if bens.endswith("A") else "A")
    for token, status in ((bens, 200), (forged, 404), ("not-a-token", 404)):
        answer = browser.get(BY_SECRET[route].format(token=token))
        assert answer.status_code == status, (token, answer.status_code, answer.text[:200])
        assert "set-cookie" not in answer.headers
