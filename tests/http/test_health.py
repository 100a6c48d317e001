"""``GET /health``: 200 with the version while the database answers, 503 when it does not
(a SQLite file gone, a PostgreSQL server that cannot be reached); no session, no cookie,
never kept by a cache, the same version as ``peerconomy --version``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from peerconomy import __version__
from peerconomy.asgi import create_app
from peerconomy.cli import app as cli
from peerconomy.http.hardening import RETRY_AFTER_SECONDS
from peerconomy.http.sessions import SESSION_COOKIE
from peerconomy.http.settings import AppSettings
from peerconomy.store.memory import MemoryStore
from peerconomy.store.sql import SqlStore, create_engine_for, open_store, scoped_schema
from postgres_url import POSTGRES_URL


def healthy(client: TestClient) -> None:
    answer = client.get("/health")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"status": "ok", "version": __version__}
    assert answer.headers["Cache-Control"] == "no-store"
    assert "set-cookie" not in answer.headers


def unhealthy(client: TestClient) -> None:
    answer = client.get("/health")
    assert answer.status_code == 503, answer.text
    assert answer.json() == {"status": "unavailable", "version": __version__}
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "set-cookie" not in answer.headers


def test_a_server_on_memory_is_healthy_and_says_its_version() -> None:
    app = create_app(MemoryStore(), AppSettings(secret_key="health key"))
    with TestClient(app) as client:
        healthy(client)


def test_the_version_is_the_one_the_command_line_prints() -> None:
    printed = CliRunner().invoke(cli, ["--version"])
    assert printed.exit_code == 0, printed.output
    assert printed.output.split() == ["peerconomy", __version__]


def test_health_needs_no_sign_in_session_or_csrf_token() -> None:
    app = create_app(MemoryStore(), AppSettings(secret_key="health key", signup="open"))
    with TestClient(app) as client:
        # a browser with a session of its own (the sign-in form made it) is answered alike
        assert client.get("/signin").status_code == 200
        assert SESSION_COOKIE in client.cookies
        healthy(client)
        # only GET (and HEAD): a change is no health check, and is not a CSRF refusal either
        assert client.post("/health").status_code == 405
        assert client.head("/health").status_code == 200


@pytest.fixture
def on_sqlite(tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    """A server on a SQLite file in a folder of its own (the folder, to take away)."""
    folder = tmp_path / "data"
    folder.mkdir()
    store = open_store(f"sqlite:///{folder / 'peerconomy.sqlite3'}")
    app = create_app(store, AppSettings(secret_key="health key"))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, folder
    store.close()


def test_on_sqlite_health_follows_the_database_file(
        on_sqlite: tuple[TestClient, Path]) -> None:
    client, folder = on_sqlite
    healthy(client)
    kept = folder.with_name("kept")
    shutil.move(folder, kept)  # the disk is gone: no new connection opens
    client.app.state.store.engine.dispose()  # type: ignore[attr-defined]
    unhealthy(client)
    shutil.move(kept, folder)
    healthy(client)


@pytest.mark.postgres
def test_on_postgresql_a_server_that_answers_is_healthy() -> None:
    with scoped_schema(POSTGRES_URL, "peerconomy_health") as url:
        store = open_store(url)
        app = create_app(store, AppSettings(secret_key="health key"))
        with TestClient(app, raise_server_exceptions=False) as client:
            healthy(client)
        store.close()


def test_on_postgresql_a_server_that_cannot_be_reached_is_unhealthy() -> None:
    # a closed port: the server went down after this one started
    store = SqlStore(create_engine_for("postgresql+psycopg://postgres@127.0.0.1:9/gone"
                                       "?connect_timeout=2"))
    app = create_app(store, AppSettings(secret_key="health key"))
    with TestClient(app, raise_server_exceptions=False) as client:
        unhealthy(client)
    store.close()
