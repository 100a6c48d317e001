"""The pool commands run against both databases: a SQLite file and a PostgreSQL schema."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from typer.testing import CliRunner

from peerconomy.cli import app
from postgres_url import POSTGRES_URL, POSTGRESQL

WORKSHOP = Path(__file__).resolve().parents[2] / "examples" / "workshop.json"


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(params=["sqlite", POSTGRESQL])
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A new, empty database: a SQLite file, or a PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'pool.sqlite3'}"
        return
    schema = f"test_cli_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(POSTGRES_URL), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(_libpq(POSTGRES_URL), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def workshop_plan() -> dict[str, object]:
    """The plan ``peerconomy clear`` prints for the workshop's scenario file (no database)."""
    result = CliRunner().invoke(app, ["clear", str(WORKSHOP)])
    assert result.exit_code == 0, result.stderr
    plan: dict[str, object] = json.loads(result.stdout)
    return plan
