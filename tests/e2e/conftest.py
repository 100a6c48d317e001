"""End-to-end tests: a live ``peerconomy serve`` and a real browser.

Each test module gets a server of its own: ``peerconomy serve`` in a subprocess on a free
port of 127.0.0.1, on a fresh PostgreSQL schema (dropped afterwards; the server is
``PEERCONOMY_TEST_POSTGRES_URL``, as for the store's tests) and a data directory in a
temporary folder. Headless Chromium (Debian's, at ``PEERCONOMY_CHROMIUM`` or
``/usr/bin/chromium``) drives it through Playwright; each person browses in a browser context
of their own, so each has their own cookies. These tests never skip: without the browser or
the database they fail.

Every step leaves a full-page screenshot in ``$PEERCONOMY_ARTIFACTS`` (default:
``artifacts/e2e`` at the repository's root), one folder per test module, and the server's
log beside them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from e2e_support import People, Server, Shots
from playwright.sync_api import APIRequestContext, Browser, Playwright, expect, sync_playwright

from peerconomy.store.sql import scoped_schema
from postgres_url import POSTGRES_URL

CHROMIUM = Path(os.environ.get("PEERCONOMY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
REPOSITORY = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60.0
TIMEOUT_MS = 15_000
"""How long a step waits for what it expects to see (the clearing polls once a second)."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return int(answer.status) == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The folder for screenshots and server logs (kept after the run)."""
    folder = Path(os.environ.get("PEERCONOMY_ARTIFACTS") or REPOSITORY / "artifacts" / "e2e")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def module_artifacts(artifacts: Path, request: pytest.FixtureRequest) -> Path:
    """This module's folder of artifacts, emptied of the screenshots of an earlier run."""
    module: str = request.module.__name__
    folder = artifacts / module.rsplit(".", 1)[-1].removeprefix("test_")
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("*.png"), *folder.glob("*.axe.json")]:
        old.unlink()
    return folder


@pytest.fixture(scope="module")
def server(module_artifacts: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Server]:
    """``peerconomy serve`` on a fresh PostgreSQL schema, stopped after the module."""
    data = tmp_path_factory.mktemp("e2e-data")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PEERCONOMY_") or k == "PEERCONOMY_ARTIFACTS"}
    env.update(
        XDG_DATA_HOME=str(data),
        PEERCONOMY_SECRET_KEY="end-to-end test key",
        PEERCONOMY_BASE_URL=url,
        PEERCONOMY_SIGNUP="open",  # the story's people sign up by themselves
        PYTHONUNBUFFERED="1",
    )
    log = module_artifacts / "server.log"
    with scoped_schema(POSTGRES_URL, "peerconomy_e2e") as db, log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "peerconomy", "serve", "--host", "127.0.0.1",
             "--port", str(port), "--db", db],
            env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not _answers(url + "/signin"):
                if process.poll() is not None or time.monotonic() > deadline:
                    out.flush()
                    pytest.fail(f"peerconomy serve did not start (exit code {process.poll()}):"
                                f"\n{log.read_text()[-3000:]}")
                time.sleep(0.1)
            yield Server(url, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Chromium; the test fails (never skips) where it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install"
                    " chromium) or set PEERCONOMY_CHROMIUM")
    found = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    expect.set_options(timeout=TIMEOUT_MS)
    yield found
    found.close()


@pytest.fixture(scope="module")
def api(playwright: Playwright, server: Server) -> Iterator[APIRequestContext]:
    """A client of the REST API (no cookies of a person; send a token)."""
    client = playwright.request.new_context(base_url=server.url)
    yield client
    client.dispose()


@pytest.fixture(scope="module")
def shots(module_artifacts: Path) -> Shots:
    return Shots(module_artifacts)


@pytest.fixture(scope="module")
def people(browser: Browser, server: Server, shots: Shots) -> Iterator[People]:
    """A factory of people, each at a browser of their own (English pages)."""
    crowd = People(browser, server, shots, TIMEOUT_MS)
    yield crowd
    crowd.close()


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call" and report.failed:
        item.stash[_FAILED] = True
    return report


@pytest.fixture(autouse=True)
def _screenshots_of_a_failure(request: pytest.FixtureRequest, people: People) -> Iterator[None]:
    """Where a test fails, what everyone saw then ("failed-<test>-<person>.png")."""
    yield
    if request.node.stash.get(_FAILED, False):
        people.snap_all(f"failed {request.node.name}")
