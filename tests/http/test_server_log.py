"""The server's access log: one line per request in the documented format (time, client as
resolved through the trusted proxies, method, path, status, milliseconds), never a secret
code, query string, token, cookie or password; a health check answered 200 at DEBUG only (a
probe's every 10 s), a failed one at INFO; and ``PEERCONOMY_LOG_LEVEL`` (bad values named
in one line, exit 2)."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Mount
from typer.testing import CliRunner

from peerconomy.asgi import create_app
from peerconomy.cli import app as cli
from peerconomy.http.clients import parse_trusted_proxies
from peerconomy.http.server_log import ACCESS_LOGGER, REDACTED, shown_path
from peerconomy.http.settings import AppSettings, log_level
from peerconomy.store.memory import MemoryStore

LINE = re.compile(
    r"(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (?P<client>\S+) (?P<method>[A-Z]+)"
    r" (?P<path>/\S*) (?P<status>\d{3}|-) (?P<ms>\d+\.\d)ms"
)
"""An access-log line as docs/deploy.md describes it."""
SECRET = "s3cret-c0de.Zq9"
PASSWORD = "ana by the sea"


def access_lines(caplog: pytest.LogCaptureFixture,
                 level: int = logging.DEBUG) -> list[re.Match[str]]:
    """The access-log lines written at ``level`` or above, each in the documented format."""
    lines = [r.getMessage() for r in caplog.records
             if r.name == ACCESS_LOGGER and r.levelno >= level]
    found = [LINE.fullmatch(line) for line in lines]
    assert all(found), lines
    return [f for f in found if f is not None]


@pytest.fixture
def client(caplog: pytest.LogCaptureFixture) -> Iterator[TestClient]:
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    app = create_app(MemoryStore(), AppSettings(secret_key="log key", signup="open"))
    with TestClient(app, client=("192.0.2.7", 50123)) as test_client:
        yield test_client


def test_each_request_is_one_line_in_the_documented_format(
        client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger=ACCESS_LOGGER)  # the health check's line too
    assert client.get("/health").status_code == 200
    assert client.get("/api/v1/pools/nowhere").status_code == 404
    (health, missing) = access_lines(caplog)
    assert health["client"] == "192.0.2.7"
    assert (health["method"], health["path"], health["status"]) == ("GET", "/health", "200")
    assert (missing["path"], missing["status"]) == ("/api/v1/pools/nowhere", "404")
    assert float(health["ms"]) >= 0


def test_refusals_of_the_hardening_are_logged_too(
        client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    assert client.post("/api/v1/pools", content=b"x" * (2 * 1024 * 1024),
                       headers={"Content-Type": "application/json"}).status_code == 413
    (line,) = access_lines(caplog)
    assert (line["method"], line["path"], line["status"]) == ("POST", "/api/v1/pools", "413")


def test_the_client_is_the_one_behind_a_trusted_proxy_only(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger=ACCESS_LOGGER)  # the health checks' lines too
    settings = AppSettings(secret_key="log key",
                           trusted_proxies=parse_trusted_proxies("10.0.0.0/8"))
    app = create_app(MemoryStore(), settings)
    forwarded = {"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}
    with TestClient(app, client=("10.0.0.2", 40000)) as behind_proxy:
        behind_proxy.get("/health", headers=forwarded)
    with TestClient(app, client=("192.0.2.7", 40000)) as direct:
        direct.get("/health", headers=forwarded)  # a header of its own making: not believed
    assert [line["client"] for line in access_lines(caplog)] == ["203.0.113.9", "192.0.2.7"]


def test_no_secret_code_query_string_token_cookie_or_password_is_logged(
        client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, at its most talkative
    answer = client.post("/api/v1/auth/signup", json={
        "name": "ana", "email": "ana@x.example", "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    token = client.post("/api/v1/auth/tokens", json={
        "login": "ana", "password": PASSWORD}).json()["token"]
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    client.get("/signin")  # a session cookie, sent back below
    client.get(f"/reset/{SECRET}?next=/{SECRET}")
    client.get(f"/invitations/{SECRET}")
    client.post(f"/api/v1/invitations/{SECRET}/accept",
                headers={"Authorization": f"Bearer {token}"})
    client.get(f"/verify/{SECRET}")
    client.get(f"/api/v1/unsubscribe/{SECRET}")
    client.get(f"/pools?token={SECRET}")
    cookie = client.cookies.get("peerconomy_session")
    assert cookie
    everything = "\n".join(r.getMessage() for r in caplog.records  # the server's, not
                            if not r.name.startswith(("httpx", "httpcore")))  # the client's
    for secret in (SECRET, PASSWORD, token, cookie):
        assert secret not in everything
    paths = [line["path"] for line in access_lines(caplog)]
    assert f"/reset/{REDACTED}" in paths
    assert f"/api/v1/invitations/{REDACTED}/accept" in paths
    assert "/pools" in paths


class _DownStore(MemoryStore):
    """A store whose database has gone away."""

    unavailable_errors = (OSError,)

    def ping(self) -> None:
        raise OSError("the database is gone")


def test_a_health_check_answered_200_is_written_at_debug_only(
        client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    assert client.get("/health").status_code == 200
    assert client.head("/health").status_code == 200
    assert client.get("/health?probe=docker").status_code == 200
    assert client.post("/health").status_code == 405  # no health check: a request as any
    assert client.get("/api/v1/pools/nowhere").status_code == 404
    written = [(line["method"], line["path"], line["status"])
               for line in access_lines(caplog, logging.INFO)]
    assert written == [("POST", "/health", "405"), ("GET", "/api/v1/pools/nowhere", "404")]

    caplog.clear()
    caplog.set_level(logging.DEBUG, logger=ACCESS_LOGGER)
    client.get("/health")
    client.head("/health")
    debug = [(r.levelno, r.getMessage().split()[2:5]) for r in caplog.records
             if r.name == ACCESS_LOGGER]
    assert debug == [(logging.DEBUG, ["GET", "/health", "200"]),
                     (logging.DEBUG, ["HEAD", "/health", "200"])]


def test_a_failed_health_check_is_written_at_info(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    app = create_app(_DownStore(), AppSettings(secret_key="log key"))
    with TestClient(app) as down:
        assert down.get("/health").status_code == 503
        assert down.head("/health").status_code == 503
    written = [(line["method"], line["path"], line["status"])
               for line in access_lines(caplog, logging.INFO)]
    assert written == [("GET", "/health", "503"), ("HEAD", "/health", "503")]


def _routes(app: FastAPI) -> set[str]:
    """Every path template of ``app`` (an included router's routes with their prefix)."""
    found: set[str] = set()
    for route in app.routes:
        if isinstance(route, Mount):
            continue
        inner = getattr(route, "effective_route_contexts", None)
        for each in inner() if inner is not None else [route]:
            found.add(each.path)
    return found


def test_every_route_that_takes_a_secret_code_has_it_redacted() -> None:
    app = create_app(MemoryStore(), AppSettings(secret_key="log key"))
    secret_routes = [path for path in _routes(app) if re.search(r"\{(code|token)\}", path)]
    assert len(secret_routes) >= 8  # reset, invitations, verification and unsubscribe links
    for template in secret_routes:
        path = re.sub(r"\{(code|token)\}", SECRET, template)
        path = re.sub(r"\{\w+\}", "x", path)
        shown = shown_path(path.encode())
        assert SECRET not in shown and REDACTED in shown, (template, shown)
    # API token ids are no secret, and a pool named like a secret route is a pool
    assert shown_path(b"/api/v1/me/tokens/0123456789ab") == "/api/v1/me/tokens/0123456789ab"
    assert shown_path(b"/pools/reset/tasks") == "/pools/reset/tasks"


def test_a_path_is_one_field_of_printable_text() -> None:
    assert shown_path(b"/pools/caf\xc3\xa9 x\r\nforged 200") == (
        "/pools/caf%C3%A9%20x%0D%0Aforged%20200")


def test_log_levels_are_read_in_any_case_and_a_bad_one_is_named() -> None:
    assert log_level("") == "info"
    assert log_level(" WARNING ") == "warning"
    with pytest.raises(ValueError, match="PEERCONOMY_LOG_LEVEL must be one of debug, info,"
                                         " warning, error, got 'loud'"):
        log_level("loud")


def test_serve_refuses_a_log_level_it_does_not_know_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["serve", "--db", f"sqlite:///{tmp_path / 'p.sqlite3'}"],
        env={"PEERCONOMY_LOG_LEVEL": "verbose", "PEERCONOMY_SECRET_KEY": "k"},
    )
    assert result.exit_code == 2
    assert result.stderr == ("error: PEERCONOMY_LOG_LEVEL must be one of debug, info,"
                             " warning, error, got 'verbose'\n")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(tmp_path: Path, level: str | None) -> tuple[str, str]:
    """Run ``peerconomy serve`` at ``level``, ask for /health until it answers, then for
    /health and the API's schema, stop it; its stdout and stderr."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERCONOMY_")}
    env.update(XDG_DATA_HOME=str(tmp_path), PEERCONOMY_SECRET_KEY="log key")
    if level is not None:
        env["PEERCONOMY_LOG_LEVEL"] = level
    process = subprocess.Popen(
        [sys.executable, "-m", "peerconomy", "serve", "--port", str(port),
         "--db", f"sqlite:///{tmp_path / f'{level}.sqlite3'}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health?k={SECRET}",
                                            timeout=2) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        for path in ("/health", "/api/v1/openapi.json"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2):
                pass
    finally:
        process.terminate()
        out, err = process.communicate(timeout=20)
    return out, err


def test_serve_writes_the_access_log_at_info_by_default(tmp_path: Path) -> None:
    out, err = _serve(tmp_path, None)
    lines = [line for line in out.splitlines() if LINE.fullmatch(line)]
    assert len(lines) == 1, out  # the health checks answered 200 are left out
    assert " 127.0.0.1 GET /api/v1/openapi.json 200 " in lines[0], lines
    assert SECRET not in out + err
    assert "Application startup complete" in err  # uvicorn says what it does at info


def test_serve_at_warning_writes_no_access_log(tmp_path: Path) -> None:
    out, err = _serve(tmp_path, "warning")
    assert not [line for line in out.splitlines() if LINE.fullmatch(line)], out
    assert "Application startup complete" not in err


def test_serve_at_debug_writes_the_health_checks_too(tmp_path: Path) -> None:
    out, _ = _serve(tmp_path, "debug")
    lines = [line for line in out.splitlines() if LINE.fullmatch(line)]
    assert len([line for line in lines if " 127.0.0.1 GET /health 200 " in line]) >= 2, out
    assert [line for line in lines if " GET /api/v1/openapi.json 200 " in line], out
