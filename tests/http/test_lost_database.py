"""A database that goes away under a running server: every answer is 503 with
``Retry-After`` (JSON on the API, a page elsewhere), never a 500, and the server answers
again once the database is back."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from peerconomy.asgi import create_app
from peerconomy.http.hardening import RETRY_AFTER_SECONDS
from peerconomy.http.settings import AppSettings
from peerconomy.store.sql import SqlStore, create_engine_for, open_store


def unavailable(answer: Any, *, page: bool) -> None:
    """``answer`` is a 503 that asks to come back later."""
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Traceback" not in answer.text and "sqlite" not in answer.text.lower()
    expected = "text/html" if page else "application/problem+json"
    assert answer.headers["content-type"].startswith(expected)
    if not page:
        assert "try again" in answer.json()["detail"]


@pytest.fixture
def client_on(tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    """A server on a SQLite file in a folder of its own (the folder, to take away)."""
    folder = tmp_path / "data"
    folder.mkdir()
    store = open_store(f"sqlite:///{folder / 'peerconomy.sqlite3'}")
    app = create_app(store, AppSettings(secret_key="lost key"))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, folder
    store.close()


def test_a_sqlite_file_that_goes_away_is_503_until_it_is_back(
        client_on: tuple[TestClient, Path]) -> None:
    client, folder = client_on
    assert client.get("/api/v1/pools").status_code == 200
    assert client.get("/").status_code == 200
    kept = folder.with_name("kept")
    shutil.move(folder, kept)  # the disk is gone: no new connection opens
    store = client.app.state.store  # type: ignore[attr-defined]
    store.engine.dispose()  # and those open are lost with it
    unavailable(client.get("/api/v1/pools"), page=False)
    unavailable(client.post("/api/v1/auth/signup", json={
        "name": "ana", "email": "ana@x.example", "password": "ana by the sea"}), page=False)
    unavailable(client.get("/"), page=True)
    shutil.move(kept, folder)
    assert client.get("/api/v1/pools").status_code == 200


def test_a_postgresql_server_that_cannot_be_reached_is_503() -> None:
    # a closed port: the server went down after this one started
    store = SqlStore(create_engine_for("postgresql+psycopg://postgres@127.0.0.1:9/gone"
                                       "?connect_timeout=2"))
    app = create_app(store, AppSettings(secret_key="lost key"))
    with TestClient(app, raise_server_exceptions=False) as client:
        unavailable(client.get("/api/v1/pools"), page=False)
        unavailable(client.get("/"), page=True)
    store.close()
