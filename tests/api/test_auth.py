"""Sign-in safety through the API: lockouts answered 429 with ``Retry-After``, password
resets by a mailed one-time link, API tokens that stop working when revoked, and sessions
that end on the server (a copy of a signed-out cookie signs nobody in).

Dora has an account (password ``dora by the sea``); the app's clock is moved on by hand and
its mail is kept in an outbox instead of sent. Argon2 runs at its least cost here.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from http.cookiejar import Cookie
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from seaside import Headers, sign_up

from fakes import Clock, Outbox
from peerconomy.asgi import create_app
from peerconomy.domain.security import LimitRule
from peerconomy.http.clients import parse_trusted_proxies
from peerconomy.http.sessions import SESSION_COOKIE
from peerconomy.http.settings import AppSettings
from peerconomy.services import accounts, sessions
from peerconomy.services.security import SecurityPolicy
from peerconomy.store.memory import MemoryStore

TOKENS = "/api/v1/auth/tokens"
RESET = "/api/v1/auth/password-reset"


@pytest.fixture(autouse=True)
def quick_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its least cost: these tests sign in wrongly many times."""
    quick = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_HASHER", quick)
    monkeypatch.setattr(accounts, "_NOBODY", quick.hash("a password nobody has"))


@pytest.fixture
def app() -> FastAPI:
    made = create_app(MemoryStore(), AppSettings(signup="open", secret_key="dunes test key"),
                      pages=True)
    made.state.clock = Clock()
    made.state.mailer = Outbox(made)
    return made


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def dora(app: FastAPI, client: TestClient) -> Headers:
    """Dora's account; the mail that asks her to verify its email is read and set aside."""
    signed = sign_up(client, "dora")
    app.state.mailer.sent.clear()
    return signed


def token_for(client: TestClient, login: str, password: str) -> tuple[int, dict[str, object]]:
    answer = client.post(TOKENS, json={"login": login, "password": password})
    return answer.status_code, answer.json()


# --- lockout --------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_with_429_and_retry_after(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    for _ in range(5):
        assert token_for(client, "dora", "a guess")[0] == 401
    answer = client.post(TOKENS, json={"login": "dora", "password": "dora by the sea"})
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "900"
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json() == {
        "type": "about:blank", "title": "Too Many Requests", "status": 429,
        "detail": "too many failed sign-ins; try again in 15 minutes",
        "reason": "too_many_failed_sign_ins",
        "locked": "account",
        "retry_after": 900,
    }
    app.state.clock.wait(minutes=10)
    assert client.post(TOKENS, json={"login": "dora", "password": "a guess"}
                       ).headers["Retry-After"] == "300"
    app.state.clock.wait(minutes=5)
    assert token_for(client, "dora", "dora by the sea")[0] == 201


def test_a_lockout_answers_the_same_for_an_account_nobody_has(
    client: TestClient, dora: Headers
) -> None:
    answers = []
    for login in ("dora", "zoe"):
        for _ in range(6):
            answers.append(token_for(client, login, "a guess"))
    assert answers[5] == answers[11]
    assert answers[5][0] == 429


def test_many_failures_from_one_client_lock_it_on_every_account(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    for n in range(20):
        assert token_for(client, f"person{n}", "a guess")[0] == 401
    status, body = token_for(client, "dora", "dora by the sea")
    assert (status, body["locked"]) == (429, "client")
    app.state.clock.wait(minutes=15)
    assert token_for(client, "dora", "dora by the sea")[0] == 201


def test_the_site_can_set_its_own_limits(app: FastAPI, client: TestClient, dora: Headers
                                         ) -> None:
    minute = timedelta(minutes=1)
    app.state.security = SecurityPolicy(account_limit=LimitRule(2, minute, 60 * minute))
    for _ in range(2):
        token_for(client, "dora", "a guess")
    answer = client.post(TOKENS, json={"login": "dora", "password": "dora by the sea"})
    assert (answer.status_code, answer.headers["Retry-After"]) == (429, "3600")


def from_address(app: FastAPI, address: str) -> TestClient:
    """A client calling from ``address`` (the socket's peer)."""
    return TestClient(app, follow_redirects=False, client=(address, 50000))


def test_wrong_passwords_from_another_address_never_lock_the_owner_out(
    app: FastAPI, dora: Headers
) -> None:
    stranger, home = from_address(app, "198.51.100.66"), from_address(app, "203.0.113.9")
    for _ in range(3):  # a weapon would repeat it forever
        for _ in range(5):
            assert token_for(stranger, "dora", "a guess")[0] == 401
        status, body = token_for(stranger, "dora", "dora by the sea")
        assert (status, body["locked"]) == (429, "account")
        assert token_for(home, "dora", "dora by the sea")[0] == 201
        app.state.clock.wait(minutes=15)


def test_a_forwarded_for_header_is_believed_only_from_a_trusted_proxy(
    app: FastAPI, dora: Headers
) -> None:
    """Without a trusted proxy an attacker cannot pose as the owner's address (nor change
    their own) by sending X-Forwarded-For; behind a named proxy the header names the client."""
    local = from_address(app, "127.0.0.1")
    for n in range(5):
        answer = local.post(TOKENS, json={"login": "dora", "password": "a guess"},
                            headers={"X-Forwarded-For": f"198.51.100.{n}"})
        assert answer.status_code == 401
    assert token_for(local, "dora", "dora by the sea")[0] == 429  # all five from 127.0.0.1
    app.state.settings = replace(app.state.settings,
                                 trusted_proxies=parse_trusted_proxies("127.0.0.1"))
    for _ in range(5):
        local.post(TOKENS, json={"login": "dora", "password": "a guess"},
                   headers={"X-Forwarded-For": "198.51.100.66"})
    refused = local.post(TOKENS, json={"login": "dora", "password": "dora by the sea"},
                         headers={"X-Forwarded-For": "198.51.100.66"})
    assert refused.status_code == 429
    welcome = local.post(TOKENS, json={"login": "dora", "password": "dora by the sea"},
                         headers={"X-Forwarded-For": "203.0.113.9"})
    assert welcome.status_code == 201


def test_sign_ups_from_one_address_are_limited_with_429_and_retry_after(
    app: FastAPI, client: TestClient
) -> None:
    for n in range(20):
        answer = client.post("/api/v1/auth/signup", json={
            "name": f"person{n}", "email": f"p{n}@seaside.example", "password": "long enough"})
        assert answer.status_code == 201
    refused = client.post("/api/v1/auth/signup", json={
        "name": "zoe", "email": "zoe@seaside.example", "password": "long enough"})
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "3600")
    assert refused.json()["reason"] == "too_many_attempts"
    elsewhere = from_address(app, "203.0.113.9").post("/api/v1/auth/signup", json={
        "name": "zoe", "email": "zoe@seaside.example", "password": "long enough"})
    assert elsewhere.status_code == 201
    app.state.clock.wait(hours=1)
    assert client.post("/api/v1/auth/signup", json={
        "name": "yann", "email": "yann@seaside.example", "password": "long enough"},
    ).status_code == 201


def test_accepting_invitations_from_one_address_is_limited(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    """Sign-ups and acceptances share one count per address: dora's sign-up was the first."""
    app.state.security = SecurityPolicy(sign_up_limit=LimitRule(
        3, timedelta(hours=1), timedelta(hours=1)))
    assert client.post("/api/v1/pools", json={"name": "dunes"}, headers=dora).status_code == 201
    tries = [client.post(f"/api/v1/invitations/{code}/accept", headers=dora).status_code
             for code in ("nope.1", "nope.2", "nope.3")]
    assert tries == [404, 404, 429]


# --- password reset -------------------------------------------------------------------------


def _code(app: FastAPI, email: str) -> str:
    (notice,) = [n for n in app.state.mailer.sent if n.to == email]
    found = re.search(r"/reset/(\S+)", notice.written()[1])
    assert found is not None
    return found.group(1)


def test_a_reset_is_asked_for_with_the_same_answer_whoever_asks(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    answers = [client.post(RESET, json={"email": email})
               for email in ("dora@seaside.example", "zoe@seaside.example", "not an email")]
    assert {a.status_code for a in answers} == {202}
    assert len({a.text for a in answers}) == 1
    assert [n.to for n in app.state.mailer.sent] == ["dora@seaside.example"]


def test_a_fourth_link_within_the_hour_is_refused_with_429(
    client: TestClient, dora: Headers
) -> None:
    for email in ("dora@seaside.example", "zoe@seaside.example"):
        for _ in range(3):
            assert client.post(RESET, json={"email": email}).status_code == 202
        answer = client.post(RESET, json={"email": email})
        assert answer.status_code == 429
        assert answer.headers["Retry-After"] == "3600"
        assert answer.json() == {
            "type": "about:blank", "title": "Too Many Requests", "status": 429,
            "detail": "too many password-reset requests; try again in 60 minutes",
            "reason": "too_many_reset_requests", "locked": "account", "retry_after": 3600,
        }


def test_a_reset_link_sets_a_new_password_once(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    client.post(RESET, json={"email": "dora@seaside.example"})
    code = _code(app, "dora@seaside.example")
    assert client.post(f"{RESET}/{code}", json={"password": "short"}).status_code == 422
    assert client.post(f"{RESET}/{code}", json={"password": "dora in the dunes"}
                       ).status_code == 204
    assert token_for(client, "dora", "dora in the dunes")[0] == 201
    assert token_for(client, "dora", "dora by the sea")[0] == 401
    again = client.post(f"{RESET}/{code}", json={"password": "dora on the pier"})
    assert again.status_code == 409
    assert again.json()["detail"] == (
        "this password-reset link was used already; ask for a new one")


def test_an_expired_or_unknown_reset_link_is_refused(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    client.post(RESET, json={"email": "dora@seaside.example"})
    code = _code(app, "dora@seaside.example")
    forged = code.split(".")[0] + ".forged"
    assert client.post(f"{RESET}/{forged}", json={"password": "long enough"}
                       ).status_code == 404
    app.state.clock.wait(hours=1)
    late = client.post(f"{RESET}/{code}", json={"password": "long enough"})
    assert late.status_code == 409
    assert "expired" in late.json()["detail"]
    assert token_for(client, "dora", "dora by the sea")[0] == 201


# --- tokens ---------------------------------------------------------------------------------


def lifetime(token: dict[str, Any]) -> timedelta:
    """How long a listed token works, from its making to its expiry."""
    return datetime.fromisoformat(token["expires_at"]) - datetime.fromisoformat(
        token["created_at"])


def test_a_token_is_listed_without_its_secret_and_a_revoked_one_gets_401(
    client: TestClient, dora: Headers
) -> None:
    made = client.post(TOKENS, json={"login": "dora", "password": "dora by the sea",
                                     "label": "laptop", "scope": "read", "days": 7}).json()
    laptop = {"Authorization": f"Bearer {made['token']}"}
    assert client.get("/api/v1/me", headers=laptop).status_code == 200
    listed = client.get("/api/v1/me/tokens", headers=dora).json()
    assert [t["label"] for t in listed] == ["tests", "laptop"]
    assert all(t["token"] is None for t in listed)
    assert [(t["scope"], lifetime(t)) for t in listed] == [
        ("write", timedelta(days=90)), ("read", timedelta(days=7))]
    assert client.delete(f"/api/v1/me/tokens/{made['id']}", headers=dora).status_code == 200
    refused = client.get("/api/v1/me", headers=laptop)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/api/v1/me", headers=dora).status_code == 200


def read_token(client: TestClient, days: int = 90) -> Headers:
    made = client.post(TOKENS, json={"login": "dora", "password": "dora by the sea",
                                     "label": "cron", "scope": "read", "days": days})
    assert made.status_code == 201, made.text
    return {"Authorization": f"Bearer {made.json()['token']}"}


def test_a_read_token_reads_and_is_refused_403_on_any_change(
    client: TestClient, dora: Headers
) -> None:
    cron = read_token(client)
    assert client.get("/api/v1/me", headers=cron).status_code == 200
    refused = client.patch("/api/v1/me", json={"display_name": "Mallory"}, headers=cron)
    assert refused.status_code == 403
    assert "may only read" in refused.json()["detail"]
    assert client.get("/api/v1/me", headers=dora).json()["display_name"] == ""
    assert client.post("/api/v1/pools", json={"name": "dunes"}, headers=cron
                       ).status_code == 403


def test_a_token_expires_and_then_gets_401(app: FastAPI, client: TestClient, dora: Headers
                                          ) -> None:
    cron = read_token(client, days=2)
    app.state.clock.wait(days=1, hours=23)
    assert client.get("/api/v1/me", headers=cron).status_code == 200
    app.state.clock.wait(hours=1)
    expired = client.get("/api/v1/me", headers=cron)
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]


def test_a_token_lives_a_year_at_most(client: TestClient, dora: Headers) -> None:
    refused = client.post(TOKENS, json={"login": "dora", "password": "dora by the sea",
                                        "days": 366})
    assert refused.status_code == 422
    assert "days" in refused.text
    assert len(client.get("/api/v1/me/tokens", headers=dora).json()) == 1


def test_a_token_cannot_make_tokens_but_a_signed_in_browser_can(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    refused = client.post("/api/v1/me/tokens", json={"label": "forever"}, headers=dora)
    assert refused.status_code == 403
    assert "cannot make API tokens" in refused.json()["detail"]
    browser = _signed_in_browser(app, "dora", "dora by the sea")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/account").text)
    assert csrf is not None
    made = browser.post("/api/v1/me/tokens", json={"label": "laptop"},
                        headers={"X-CSRF-Token": csrf.group(1)})
    assert made.status_code == 201
    assert [t["label"] for t in client.get("/api/v1/me/tokens", headers=dora).json()] == [
        "tests", "laptop"]


def test_a_token_opens_no_page(app: FastAPI, client: TestClient, dora: Headers) -> None:
    """A bearer token is for the API: the account page (and its CSRF token, with which the
    owner's browsers could be signed out) is not shown to it."""
    page = client.get("/account", headers=dora)
    assert page.status_code in (303, 401)
    assert "dora@seaside.example" not in page.text
    browser = _signed_in_browser(app, "dora", "dora by the sea")
    ended = client.post("/account/sessions/end-others", headers=dora)
    assert ended.status_code != 303 or ended.headers["location"] != "/account"
    assert browser.get("/account").status_code == 200  # still signed in


# --- sessions -------------------------------------------------------------------------------


def _signed_in_browser(app: FastAPI, login: str, password: str) -> TestClient:
    browser = TestClient(app, follow_redirects=False)
    page = browser.get("/signin").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    answer = browser.post("/signin", data={"login": login, "password": password,
                                           "csrf_token": found.group(1)})
    assert answer.status_code == 303, answer.text
    return browser


def _cookies(browser: TestClient) -> list[Cookie]:
    return list(browser.cookies.jar)


KEY = "dunes test key"


def _session_of(browser: TestClient) -> dict[str, object]:
    """What the browser's session cookie holds: Starlette signs base64 of JSON with
    itsdangerous (the signature checked here with the app's key)."""
    signed = browser.cookies[SESSION_COOKIE].strip('"')
    held: dict[str, object] = json.loads(base64.b64decode(TimestampSigner(KEY).unsign(signed)))
    return held


def _with_session(app: FastAPI, held: dict[str, object]) -> TestClient:
    """A browser whose session cookie holds ``held``, signed with the app's key."""
    browser = TestClient(app, follow_redirects=False)
    data = base64.b64encode(json.dumps(held).encode())
    browser.cookies.set(SESSION_COOKIE, TimestampSigner(KEY).sign(data).decode(),
                        domain="testserver.local")
    return browser


def test_the_session_cookie_holds_the_session_id_and_nothing_of_the_account(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    browser = _signed_in_browser(app, "dora", "dora by the sea")
    browser.get("/account")
    held = _session_of(browser)
    assert isinstance(held["sid"], str) and len(held["sid"]) >= 32
    assert set(held) <= {"sid", "csrf_token", "lang", "flash"}
    assert "dora" not in json.dumps(held)  # neither the name nor dora@seaside.example


def test_the_pages_name_the_user_of_the_sessions_record(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    browser = _signed_in_browser(app, "dora", "dora by the sea")
    assert "Your account (dora)" in browser.get("/account").text
    missing = browser.get("/no/such/page")  # no route: the refusal's page checks the session
    assert missing.status_code == 404
    assert "Your account (dora)" in missing.text


def test_the_session_is_looked_up_once_per_request(
    app: FastAPI, client: TestClient, dora: Headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = _signed_in_browser(app, "dora", "dora by the sea")
    looked_up: list[str] = []
    lookup = sessions.session_user

    def counted(*args: Any, **kwargs: Any) -> str | None:
        looked_up.append("once")
        return lookup(*args, **kwargs)

    monkeypatch.setattr(sessions, "session_user", counted)
    for url, status in (("/account", 200), ("/", 200), ("/api/v1/me", 200),
                        ("/no/such/page", 404)):
        looked_up.clear()
        assert browser.get(url).status_code == status, url
        assert looked_up == ["once"], url


def test_a_name_in_an_old_cookie_is_ignored_and_dropped(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    sign_up(client, "eve")
    session_id = _session_of(_signed_in_browser(app, "dora", "dora by the sea"))["sid"]
    old = _with_session(app, {"sid": session_id, "user": "eve"})
    assert old.get("/api/v1/me").json()["name"] == "dora"
    assert "user" not in _session_of(old)
    name_only = _with_session(app, {"user": "dora"})
    assert name_only.get("/api/v1/me").status_code == 401
    assert "Your account" not in name_only.get("/signin").text


def test_a_session_signs_the_api_in_until_it_is_signed_out(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    browser = _signed_in_browser(app, "dora", "dora by the sea")
    kept = _cookies(browser)
    assert browser.get("/api/v1/me").json()["name"] == "dora"
    found = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/").text)
    assert found is not None
    assert browser.post("/signout", data={"csrf_token": found.group(1)}).status_code == 303
    replay = TestClient(app)
    for cookie in kept:
        replay.cookies.jar.set_cookie(cookie)
    assert replay.get("/api/v1/me").status_code == 401


def test_a_session_ends_at_its_age_however_busy(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    browser = _signed_in_browser(app, "dora", "dora by the sea")
    for _ in range(13):
        app.state.clock.wait(days=1)
        assert browser.get("/api/v1/me").status_code == 200
    app.state.clock.wait(days=1)
    assert browser.get("/api/v1/me").status_code == 401


def test_a_reset_revokes_the_accounts_api_tokens(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    assert client.get("/api/v1/me", headers=dora).status_code == 200
    client.post(RESET, json={"email": "dora@seaside.example"})
    code = _code(app, "dora@seaside.example")
    assert client.post(f"{RESET}/{code}", json={"password": "dora in the dunes"}
                       ).status_code == 204
    assert client.get("/api/v1/me", headers=dora).status_code == 401
    status, issued = token_for(client, "dora", "dora in the dunes")
    assert status == 201
    new = {"Authorization": f"Bearer {issued['token']}"}
    assert client.get("/api/v1/me", headers=new).status_code == 200  # a new token works


def test_a_reset_ends_every_session_of_the_account(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    browser = _signed_in_browser(app, "dora", "dora by the sea")
    client.post(RESET, json={"email": "dora@seaside.example"})
    code = _code(app, "dora@seaside.example")
    client.post(f"{RESET}/{code}", json={"password": "dora in the dunes"})
    assert browser.get("/api/v1/me").status_code == 401


# --- signing up -------------------------------------------------------------------------------

SIGNUP = "/api/v1/auth/signup"


def test_signing_up_with_a_known_email_answers_exactly_as_a_new_sign_up(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    # Before, a known email was answered 409 "an account with this email exists already".
    answers = [client.post(SIGNUP, json={"name": name, "email": email,
                                         "password": "long enough"})
               for name, email in (("emil", "emil@seaside.example"),
                                   ("fritz", "DORA@seaside.example"))]
    assert [a.status_code for a in answers] == [201, 201]
    shapes = [{k: v for k, v in a.json().items() if k not in ("name", "email")}
              for a in answers]
    assert shapes[0] == shapes[1] == {"display_name": "", "site_admin": False,
                                      "locale": None, "email_verified": False}
    assert answers[1].json()["email"] == "dora@seaside.example"
    assert [(n.to, n.written()[0]) for n in app.state.mailer.sent] == [
        ("emil@seaside.example", "Confirm your email address"),
        ("dora@seaside.example", "Someone tried to sign up with your email address"),
    ]
    status, _ = token_for(client, "fritz", "long enough")
    assert status == 401  # nothing was made for the known email
    taken = client.post(SIGNUP, json={"name": "dora", "email": "d2@seaside.example",
                                      "password": "long enough"})
    assert taken.status_code == 409  # names are public in the pools: a taken one is said


@pytest.mark.parametrize(
    ("mode", "invitation", "status", "said"),
    [
        ("closed", None, 403, "signing up is closed on this site"),
        ("closed", "x.y", 403, "signing up is closed on this site"),
        ("invite-only", None, 403, "signing up on this site needs an invitation link"),
        ("invite-only", "0123.nope", 422, "invitation"),
    ],
)
def test_sign_up_is_refused_where_the_sites_setting_says_so(
    app: FastAPI, client: TestClient, mode: str, invitation: str | None, status: int,
    said: str,
) -> None:
    app.state.settings = AppSettings(signup=mode, secret_key="dunes test key")  # type: ignore[arg-type]
    answer = client.post(SIGNUP, json={"name": "zoe", "email": "zoe@x.example",
                                       "password": "zoe by the sea", "invitation": invitation})
    assert answer.status_code == status, answer.text
    assert said in answer.text
    assert app.state.store.state.users == {}


def test_an_invitation_link_lets_one_sign_up_where_the_site_is_invite_only(
    app: FastAPI, client: TestClient, dora: Headers
) -> None:
    client.post("/api/v1/pools", json={"name": "dunes"}, headers=dora)
    code = client.post("/api/v1/pools/dunes/invitations", json={}, headers=dora
                       ).json()["code"]
    app.state.settings = AppSettings(secret_key="dunes test key")  # invite-only, the default
    answer = client.post(SIGNUP, json={"name": "zoe", "email": "zoe@x.example",
                                       "password": "zoe by the sea", "invitation": code})
    assert answer.status_code == 201, answer.text
    zoe = {"Authorization": "Bearer " + client.post(TOKENS, json={
        "login": "zoe", "password": "zoe by the sea"}).json()["token"]}
    assert client.post(f"/api/v1/invitations/{code}/accept", headers=zoe).status_code == 201


def test_a_sign_up_with_several_mistakes_is_refused_naming_each(client: TestClient) -> None:
    answer = client.post("/api/v1/auth/signup", json={
        "name": "Zoe!", "email": "not an address", "password": "short"})
    assert answer.status_code == 422
    assert [problem["loc"] for problem in answer.json()["errors"]] == [
        ["body", "name"], ["body", "email"], ["body", "password"]]
