"""What a request reads of the app's state: the app's mailer and clock are the composition
root's (:mod:`peerconomy.bootstrap`), and a test may set its own clock."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request

from peerconomy import bootstrap
from peerconomy.asgi import create_app
from peerconomy.http.settings import AppSettings
from peerconomy.http.state import time_of
from peerconomy.mailer import Mailer
from peerconomy.store.memory import MemoryStore

LATER = datetime(2031, 1, 2, 3, 4, tzinfo=UTC)


def test_the_app_has_the_mailer_and_the_clock_of_the_composition_root() -> None:
    app = create_app(MemoryStore(), AppSettings(secret_key="k", smtp_url="smtp://mail.example",
                                                base_url="https://pool.example"))
    assert isinstance(app.state.mailer, Mailer)
    assert (app.state.mailer.host, app.state.mailer.base_url) == ("mail.example",
                                                                  "https://pool.example")
    assert app.state.clock is bootstrap.clock()
    assert create_app(MemoryStore(), AppSettings(secret_key="k")).state.mailer is None


def test_a_request_reads_the_time_by_the_apps_clock() -> None:
    app = create_app(MemoryStore(), AppSettings(secret_key="k"))
    request = Request({"type": "http", "app": app})
    before = datetime.now(UTC)
    assert before <= time_of(request) <= datetime.now(UTC)
    app.state.clock = lambda: LATER  # as a test sets it
    assert time_of(request) == LATER
    del app.state.clock  # none at all: the program's clock
    assert before <= time_of(request) <= datetime.now(UTC)
