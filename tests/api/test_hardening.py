"""Web hardening: CSRF on every changing route, security headers on every answer, limits on
what a request may bring (413), no stack trace for the client (500), the session cookie's
flags.

The seaside flats are made through the API with tokens (ana coordinates, ben is a member,
cleo asked to join); then ana signs in on the sign-in page, as a browser does, and her
session cookie is what the CSRF tests send.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import anyio
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from seaside import FLATS, Headers, sign_up

from fakes import quick_hashing
from peerconomy.asgi import create_app
from peerconomy.http import app as app_module
from peerconomy.http.hardening import CONTENT_SECURITY_POLICY, Hardening
from peerconomy.http.sessions import SESSION_COOKIE
from peerconomy.http.settings import AppSettings
from peerconomy.store.memory import MemoryStore

CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def changing_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) of ``app`` that may change something."""
    return sorted(
        (method, route.path)
        for route in iter_route_contexts(app.routes)  # into the included routers
        if isinstance(route.original_route, APIRoute) and route.path
        for method in (route.methods or set()) & CHANGING
    )


ROUTES = changing_routes(create_app(MemoryStore(), AppSettings(signup="open", secret_key="k")))

# what a forger would send to each route: enough that, with the token, most would go through
API_BODIES: dict[str, Any] = {
    "/api/v1/auth/signup": {"name": "mallory", "email": "m@x.example",
                            "password": "mallory by the sea"},
    "/api/v1/auth/tokens": {"login": "ana", "password": "ana by the sea"},
    "/api/v1/me": {"display_name": "Forged"},
    "/api/v1/me/tokens": {"label": "forged"},
    "/api/v1/pools": {"name": "forged"},
    "/api/v1/pools/{pool}/requests/{user}": {"approve": True},
    "/api/v1/pools/{pool}": {"public": True},
    "/api/v1/pools/{pool}/goods/{good}": {"capacity": 1},
    "/api/v1/pools/{pool}/members/{participant}": {"exempt": True},
    "/api/v1/pools/{pool}/projects": {"id": "boats"},
    "/api/v1/pools/{pool}/projects/{project}/fork": {"project": "flats2"},
    "/api/v1/pools/{pool}/offers/{task}": {"hours": 1, "min_weight": 1},
    "/api/v1/pools/{pool}/wishes": {"id": "forged", "alternatives": [{"good": "guest-bed"}]},
    "/api/v1/pools/{pool}/work": {"task": "stairs", "hours": 1},
    "/api/v1/pools/{pool}/ledger/transactions/{transaction}/correct": {"reason": "forged"},
}
FORM = {
    "name": "forged", "admission": "open", "public": "on", "display_name": "Forged",
    "locale": "de", "lang": "de", "label": "forged", "task": "stairs", "hours": "1",
    "min_weight": "1", "alternative": "good:guest-bed", "quantity": "1", "role": "member",
    "days": "7", "project": "forged", "tasks": "mopping 1", "goods": "", "next": "/",
    "login": "ana", "password": "ana by the sea", "current": "ana by the sea",
    "new": "a new password here", "email": "forged@x.example", "capacity": "1",
    "max_weight": "5", "version": "1",
}
"""What a forged form carries (every field any of the pages' forms has)."""


def sign_in(client: TestClient, name: str) -> str:
    """Sign in on the sign-in page as a browser does; the session's CSRF token."""
    found = TOKEN.search(client.get("/signin").text)
    assert found is not None
    answer = client.post("/signin", data={"login": name, "password": f"{name} by the sea",
                                          "csrf_token": found.group(1), "next": "/"})
    assert answer.status_code == 303, answer.text
    found = TOKEN.search(client.get("/").text)
    assert found is not None
    return found.group(1)


class Seaside:
    """The app, its store as the seaside left it, and the values of the path's parts."""

    def __init__(self, settings: AppSettings | None = None) -> None:
        self.store = MemoryStore()
        self.app = create_app(self.store,
                              settings or AppSettings(signup="open", secret_key="seaside key"))
        self.client = TestClient(self.app, follow_redirects=False)
        self.headers: dict[str, Headers] = {}

    def populate(self) -> None:
        client = self.client
        for name in ("root", "ana", "ben", "cleo"):
            self.headers[name] = sign_up(client, name)
        ana = self.headers["ana"]
        assert client.post("/api/v1/pools", json={"name": "seaside"},
                           headers=ana).status_code == 201
        assert client.post("/api/v1/pools/seaside/projects", json=FLATS,
                           headers=ana).status_code == 201
        code = client.post("/api/v1/pools/seaside/invitations", json={},
                           headers=ana).json()["code"]
        assert client.post(f"/api/v1/invitations/{code}/accept",
                           headers=self.headers["ben"]).status_code == 201
        # the pool is private: cleo, outside it, does not find it
        assert client.post("/api/v1/pools/seaside/join",
                           headers=self.headers["cleo"]).status_code == 404
        assert client.put("/api/v1/pools/seaside/offers/stairs", json={"hours": 2},
                          headers=ana).status_code == 200
        wish = {"id": "ana-room", "alternatives": [{"good": "sea-view"}]}
        assert client.post("/api/v1/pools/seaside/wishes", json=wish,
                           headers=ana).status_code == 201
        self.code = client.post("/api/v1/pools/seaside/invitations", json={},
                                headers=ana).json()["code"]
        token_id = next(t.id for t in self.store.state.tokens.values() if t.user == "ana")
        self.parts = {
            "pool": "seaside", "task": "stairs", "wish": "ana-room", "number": "1",
            "log_id": "1", "holding": "1", "point": "kiosk", "user": "cleo", "decision": "approve",
            "participant": "ben", "shift": "1",
            "project": "flats", "code": self.code, "token_id": token_id,
            "transaction": "t1", "good": "guest-bed", "token": "not-a-signed-link",
            "swap": "1",
        }

    def url(self, path: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda part: self.parts[part.group(1)], path)


@pytest.fixture(scope="module", autouse=True)
def quick_password_hashing() -> Iterator[None]:
    """Argon2 at its least cost (the hashing is not what these tests are about)."""
    with quick_hashing():
        yield


@pytest.fixture(scope="module")
def seaside() -> Iterator[tuple[Seaside, Any, str]]:
    """The seaside made once for the module; ana signed in (her session's CSRF token)."""
    made = Seaside()
    with made.client:
        made.populate()
        token = sign_in(made.client, "ana")
        yield made, made.store.state.copy(), token


@pytest.fixture
def site(seaside: tuple[Seaside, Any, str]) -> tuple[Seaside, str]:
    """The seaside as it was made (each test starts from a copy); ana's CSRF token."""
    made, saved, token = seaside
    made.store.state = saved.copy()
    return made, token


def still_signed_in(made: Seaside) -> None:
    me = made.client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["name"] == "ana", me.text


# CSRF


def test_the_changing_routes_are_all_found() -> None:
    apis = [path for _, path in ROUTES if path.startswith("/api/")]
    pages = [path for _, path in ROUTES if not path.startswith("/api/")]
    assert len(apis) >= 25 and len(pages) >= 20, ROUTES
    assert ("PUT", "/api/v1/pools/{pool}/offers/{task}") in ROUTES
    assert ("POST", "/pools/{pool}/work/{log_id}/confirm") in ROUTES


@pytest.mark.parametrize("token", [None, "", "forged-token"], ids=["none", "empty", "wrong"])
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_change_with_the_session_cookie_and_no_csrf_token_is_refused(
        site: tuple[Seaside, str], method: str, path: str, token: str | None) -> None:
    made, _ = site
    before = made.store.state.copy()
    url = made.url(path)
    if path.startswith("/api/"):
        headers = {} if token is None else {"X-CSRF-Token": token}
        body = API_BODIES.get(path)
        answer = made.client.request(method, url, json=body, headers=headers)
        assert answer.status_code == 403, (method, url, answer.text)
        assert "CSRF" in answer.json()["detail"]
    else:
        form = dict(FORM) if token is None else {**FORM, "csrf_token": token}
        answer = made.client.request(method, url, data=form, headers={"HX-Request": "true"})
        assert answer.status_code == 403, (method, url, answer.text[:500])
        assert "CSRF token missing or wrong" in answer.text
    assert made.store.state == before, (method, url)
    still_signed_in(made)


@pytest.mark.parametrize("hostile", ["a\x00b", "a\ud800b"], ids=["nul", "surrogate"])
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_change_carrying_hostile_text_is_refused_whole_on_every_route(
        site: tuple[Seaside, str], method: str, path: str, hostile: str) -> None:
    """With a valid CSRF token, so that only the text stops it: 422, nothing stored."""
    made, token = site
    before = made.store.state.copy()
    url = made.url(path)
    if path.startswith("/api/"):
        body = {**(API_BODIES.get(path) or {}), "label": hostile}
        answer = made.client.request(
            method, url, content=json.dumps(body).encode(),
            headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
        assert answer.status_code == 422, (method, url, answer.text)
        assert answer.json()["errors"][0]["loc"] == ["body", "label"]
    else:
        form = urlencode({**FORM, "csrf_token": token, "name": hostile},
                         errors="surrogatepass")  # as a browser would send it
        answer = made.client.request(method, url, content=form.encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        assert answer.status_code == 422, (method, url, answer.text[:500])
        assert ("name" if "\x00" in hostile else "UTF-8") in answer.text
    assert made.store.state == before, (method, url)
    still_signed_in(made)


def test_with_the_csrf_header_the_session_changes_through_the_api(
        site: tuple[Seaside, str]) -> None:
    made, token = site
    before = made.store.state.copy()
    answer = made.client.put("/api/v1/pools/seaside/offers/laundry",
                             json={"hours": 3}, headers={"X-CSRF-Token": token})
    assert answer.status_code == 200, answer.text
    assert made.store.state != before
    answer = made.client.patch("/api/v1/me", json={"display_name": "Ana"},
                               headers={"X-CSRF-Token": token})
    assert answer.status_code == 200 and answer.json()["display_name"] == "Ana"


def test_with_the_csrf_field_a_form_changes_through_the_pages(site: tuple[Seaside, str]
                                                              ) -> None:
    made, token = site
    answer = made.client.post("/pools/seaside/offers/laundry",
                              data={"hours": "3", "min_weight": "1", "csrf_token": token})
    assert answer.status_code == 303, answer.text[:500]
    offers = made.client.get("/api/v1/pools/seaside/offers").json()
    assert {"participant": "ana", "task": "laundry"}.items() <= offers[-1].items()


def test_a_bearer_token_needs_no_csrf_token_even_beside_a_session(
        site: tuple[Seaside, str]) -> None:
    made, _ = site
    answer = made.client.patch("/api/v1/me", json={"display_name": "Ben B."},
                               headers=made.headers["ben"])
    assert answer.status_code == 200 and answer.json()["name"] == "ben"


def test_without_a_session_the_api_needs_no_csrf_token() -> None:
    made = Seaside()
    with made.client:
        answer = made.client.post("/api/v1/auth/signup", json=API_BODIES["/api/v1/auth/signup"])
        assert answer.status_code == 201, answer.text


# headers


def header_checks(headers: Any, *, https: bool = False) -> None:
    policy = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]
    if https:
        assert headers["Strict-Transport-Security"].startswith("max-age=")
    else:
        assert "Strict-Transport-Security" not in headers


def test_every_kind_of_answer_carries_the_security_headers(site: tuple[Seaside, str]) -> None:
    made, _ = site
    anonymous = TestClient(made.app, follow_redirects=False)
    answers = {
        "page": made.client.get("/pools/seaside"),
        "signed-out page": anonymous.get("/signin"),
        "redirect": anonymous.get("/pools/seaside"),
        "api": made.client.get("/api/v1/pools"),
        "api refusal": anonymous.get("/api/v1/me"),
        "missing": made.client.get("/no/such/page"),
        "static": anonymous.get("/static/style.css"),
        "htmx": anonymous.get("/static/htmx.min.js"),
        "openapi": anonymous.get("/api/v1/openapi.json"),
    }
    assert answers["redirect"].status_code == 303
    assert answers["api refusal"].status_code == 401
    assert answers["missing"].status_code == 404
    for kind, answer in answers.items():
        assert answer.status_code < 500, kind
        header_checks(answer.headers)


def test_hsts_only_where_cookies_are_secure() -> None:
    app = create_app(MemoryStore(), AppSettings(signup="open", secret_key="k", secure_cookies=True))
    with TestClient(app, base_url="https://testserver") as client:
        header_checks(client.get("/signin").headers, https=True)
        header_checks(client.get("/api/v1/pools").headers, https=True)


@pytest.mark.parametrize("pages", [True, False])
def test_the_api_docs_load_swagger_ui_from_the_site_itself(pages: bool) -> None:
    app = create_app(MemoryStore(), AppSettings(signup="open", secret_key="k"), pages=pages)
    with TestClient(app) as client:
        answer = client.get("/api/docs")
        assert answer.status_code == 200
        policy = answer.headers["Content-Security-Policy"]
        # the site's own policy, images from data: URLs aside (Swagger UI's icons)
        assert policy == CONTENT_SECURITY_POLICY.replace("img-src 'self'", "img-src 'self' data:")
        assert "<script>" not in answer.text  # no inline script
        assets = re.findall(r'(?:src|href)="([^"]+)"', answer.text)
        assert len(assets) == 4
        for asset in assets:
            assert asset.startswith("/api/docs/assets/")  # same origin, nothing from a CDN
            served = client.get(asset)
            assert served.status_code == 200, asset
            header_checks(served.headers)
        bundle = client.get("/api/docs/assets/swagger-ui-bundle.js")
        assert bundle.headers["content-type"].startswith(("text/javascript",
                                                          "application/javascript"))
        assert "SwaggerUIBundle" in bundle.text
        assert "SwaggerUIBundle(" in client.get("/api/docs/assets/docs.js").text
    assert answer.headers["X-Frame-Options"] == "DENY"


def test_the_vendored_swagger_ui_says_its_version_and_licence() -> None:
    folder = Path(app_module.__file__).with_name("swagger_ui")
    readme = (folder / "README.md").read_text()
    assert f"version **{app_module.SWAGGER_UI_VERSION}**" in readme
    assert "Apache License" in (folder / "LICENSE").read_text()
    bundle = (folder / "swagger-ui-bundle.js").read_bytes()
    digest = hashlib.sha256(bundle).hexdigest()
    assert f"{digest}  swagger-ui-bundle.js" in readme  # the file is the one recorded


# caching


def test_no_answer_to_a_signed_in_caller_or_with_a_secret_is_stored(site: tuple[Seaside, str]
                                                                      ) -> None:
    made, token = site
    ana = made.client  # signed in by her session cookie
    anonymous = TestClient(made.app, follow_redirects=False)
    answers = {
        "session, API": ana.get("/api/v1/me"),
        "session, page": ana.get("/pools/seaside"),
        "session, refused": ana.get("/pools/nowhere/members"),
        "token": anonymous.get("/api/v1/pools", headers=made.headers["ben"]),
        "a new token": anonymous.post("/api/v1/auth/tokens", json={
            "login": "ben", "password": "ben by the sea"}),
        "an invitation link": ana.post("/api/v1/pools/seaside/invitations", json={},
                                       headers={"X-CSRF-Token": token}),
        "an invitation's page": anonymous.get(f"/invitations/{made.code}"),
        "a reset link's page": anonymous.get("/reset/some-code"),
    }
    for what, answer in answers.items():
        assert answer.headers.get("Cache-Control") == "no-store", what
    assert answers["a new token"].json()["token"]
    assert answers["an invitation link"].json()["link"]
    fresh = TestClient(made.app)
    for public in (ana.get("/static/style.css"), fresh.get("/api/v1/openapi.json")):
        assert public.status_code == 200
        assert "no-store" not in public.headers.get("Cache-Control", "")


# cookies


@pytest.mark.parametrize("secure", [False, True])
def test_the_session_cookie_is_http_only_same_site_and_secure_over_https(secure: bool) -> None:
    made = Seaside(AppSettings(signup="open", secret_key="k", secure_cookies=secure))
    base = "https://testserver" if secure else "http://testserver"
    with TestClient(made.app, base_url=base, follow_redirects=False) as client:
        sign_up(client, "ana")
        found = TOKEN.search(client.get("/signin").text)
        assert found is not None
        answer = client.post("/signin", data={"login": "ana", "password": "ana by the sea",
                                              "csrf_token": found.group(1)})
    assert answer.status_code == 303
    cookie = next(c for c in answer.headers.get_list("set-cookie")
                  if c.startswith(SESSION_COOKIE + "="))
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
    assert "httponly" in flags
    assert flags["samesite"].lower() in ("samesite=lax", "samesite=strict")
    assert ("secure" in flags) is secure
    assert flags["path"] == "path=/"


# limits


def too_large(answer: Any) -> None:
    assert answer.status_code == 413, answer.text[:300]
    detail = answer.json()["errors"]
    assert len(detail) == 1
    assert detail[0]["loc"] == ["body"] and detail[0]["type"] == "too_large"
    assert "limit" in detail[0]["msg"]


def test_an_api_body_over_the_limit_is_refused_and_nothing_is_stored() -> None:
    made = Seaside(AppSettings(signup="open", secret_key="k", max_body_bytes=2_000,
                               max_scenario_bytes=50_000))
    with made.client:
        made.populate()
        before = made.store.state.copy()
        wish = {"id": "big", "alternatives": [{"good": "guest-bed"}] * 200}
        answer = made.client.post("/api/v1/pools/seaside/wishes", json=wish,
                                  headers=made.headers["ana"])
        too_large(answer)
        header_checks(answer.headers)
        assert made.store.state == before
        small = {"id": "small", "alternatives": [{"good": "guest-bed"}]}
        assert made.client.post("/api/v1/pools/seaside/wishes", json=small,
                                headers=made.headers["ana"]).status_code == 201


def test_a_project_may_be_larger_than_other_bodies_up_to_the_scenario_limit() -> None:
    made = Seaside(AppSettings(signup="open", secret_key="k", max_body_bytes=2_000,
                               max_scenario_bytes=50_000))
    tasks = [{"id": f"chore{i:03d}", "project": "chores", "fixed_hours": 1} for i in range(100)]
    with made.client:
        made.populate()
        ana = made.headers["ana"]
        project = {"id": "chores", "tasks": tasks, "goods": []}
        answer = made.client.post("/api/v1/pools/seaside/projects", json=project, headers=ana)
        assert answer.status_code == 201, answer.text[:300]  # 5 kB: over 2 kB, under 50 kB
        before = made.store.state.copy()
        tasks = [{**t, "id": f"big{i:04d}"} for i, t in enumerate(tasks * 10)]
        huge = {"id": "huge", "tasks": [{**t, "project": "huge"} for t in tasks], "goods": []}
        too_large(made.client.post("/api/v1/pools/seaside/projects", json=huge, headers=ana))
        assert made.store.state == before


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read() -> None:
    made = Seaside(AppSettings(signup="open", secret_key="k", max_body_bytes=100))
    with made.client:
        answer = made.client.post("/api/v1/auth/signup", content=b"{}",
                                  headers={"Content-Length": "1000000",
                                           "Content-Type": "application/json"})
    too_large(answer)


def hardened(app: Any, method: str, path: str, received: Iterator[dict[str, Any]], *,
             limit: int = 4, headers: list[tuple[bytes, bytes]] | None = None
             ) -> list[dict[str, Any]]:
    """The messages :class:`Hardening` around ``app`` sends for one request whose body
    arrives as ``received`` (an iterator: what it did not read is left in it)."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(received)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": headers or []}
    anyio.run(Hardening(app, max_body_bytes=limit, max_scenario_bytes=limit, https=False),
              scope, receive, send)
    return sent


def test_a_streamed_body_is_counted_as_it_arrives() -> None:
    called: list[bytes] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover
        called.append((await receive())["body"])

    chunks = [{"type": "http.request", "body": b"x" * 400, "more_body": True}] * 10
    chunks.append({"type": "http.request", "body": b"", "more_body": False})
    received = iter(chunks)
    sent = hardened(app, "POST", "/api/v1/pools", received, limit=1_000,
                    headers=[(b"transfer-encoding", b"chunked")])
    assert called == []
    assert sent[0]["status"] == 413
    assert b'"too_large"' in sent[1]["body"]
    assert len(list(received)) == 11 - 3  # it stopped reading at the third chunk


def test_a_body_under_the_limit_reaches_the_app_whole() -> None:
    called: list[bytes] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        called.append((await receive())["body"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sent = hardened(app, "POST", "/x", iter([
        {"type": "http.request", "body": b"ab", "more_body": True},
        {"type": "http.request", "body": b"cd", "more_body": False},
    ]))
    assert called == [b"abcd"]
    assert sent[0]["status"] == 204
    assert (b"x-frame-options", b"DENY") in sent[0]["headers"]


@pytest.mark.parametrize(("given", "merged"), [
    ([b"Accept-Language, Cookie", b"Cookie"], b"Accept-Language, Cookie"),
    ([b"accept-language,  COOKIE ,cookie", b"Origin"], b"accept-language, COOKIE, Origin"),
    ([b"Cookie", b"*"], b"*"),
    ([b"Cookie"], b"Cookie"),
])
def test_vary_names_each_field_once_in_one_header(given: list[bytes], merged: bytes) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"vary", value) for value in given]})
        await send({"type": "http.response.body", "body": b""})

    sent = hardened(app, "GET", "/x", iter([{"type": "http.request", "body": b"",
                                            "more_body": False}]))
    assert [v for k, v in sent[0]["headers"] if k == b"vary"] == [merged]


def test_the_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.setenv("PEERCONOMY_SECRET_KEY", "k")
    defaults = AppSettings.from_environment(tmp_path)
    assert defaults.max_body_bytes == 1024 * 1024
    assert defaults.max_scenario_bytes > defaults.max_body_bytes
    monkeypatch.setenv("PEERCONOMY_MAX_BODY_BYTES", "5000")
    monkeypatch.setenv("PEERCONOMY_MAX_SCENARIO_BYTES", "90000")
    settings = AppSettings.from_environment(tmp_path)
    assert (settings.max_body_bytes, settings.max_scenario_bytes) == (5000, 90000)
    monkeypatch.setenv("PEERCONOMY_MAX_BODY_BYTES", "lots")
    with pytest.raises(ValueError, match=r"PEERCONOMY_MAX_BODY_BYTES.*'lots'"):
        AppSettings.from_environment(tmp_path)


# server errors


def test_an_unhandled_error_is_a_plain_500_and_logged(caplog: pytest.LogCaptureFixture
                                                      ) -> None:
    app = create_app(MemoryStore(), AppSettings(signup="open", secret_key="k"))

    @app.get("/api/v1/boom")
    def boom_api() -> None:
        raise RuntimeError("the secret at /srv/peerconomy/db.sqlite")

    @app.get("/boom")
    def boom_page() -> None:
        raise RuntimeError("the secret at /srv/peerconomy/db.sqlite")

    with caplog.at_level(logging.ERROR, logger="peerconomy.api"), \
            TestClient(app, raise_server_exceptions=False) as client:
        api = client.get("/api/v1/boom")
        page = client.get("/boom")
    for answer in (api, page):
        assert answer.status_code == 500
        assert "secret" not in answer.text and "Traceback" not in answer.text
        assert "RuntimeError" not in answer.text
        header_checks(answer.headers)
    detail = api.json()["detail"]
    assert detail.startswith("Something went wrong on the server (reference ")
    assert page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text
    references = re.findall(r"reference ([0-9a-f]{8})", api.text + page.text)
    assert len(references) == 2
    logged = [r for r in caplog.records if r.name == "peerconomy.api"]
    assert len(logged) == 2
    for record, reference in zip(logged, references, strict=True):
        assert reference in record.getMessage()
        assert record.exc_info is not None and "the secret" in str(record.exc_info[1])
