"""The PostgreSQL server the tests use: ``PEERCONOMY_TEST_POSTGRES_URL``, else the one every
development and CI machine runs at 127.0.0.1:5432 (user postgres, database test).

Under pytest-xdist each worker gets a database of its own on that server (``test_gw0``, …,
created on first use), so that workers never see each other's tables.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

SERVER_URL = os.environ.get(
    "PEERCONOMY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _worker_database(server_url: str, worker: str) -> str:
    """The URL of this worker's own database beside ``server_url``'s, created if missing."""
    url = make_url(server_url)
    name = f"{url.database}_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        pass  # no server here: the tests that need it fail (or are deselected with -m)
    finally:
        engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
POSTGRES_URL = SERVER_URL if _WORKER is None else _worker_database(SERVER_URL, _WORKER)

POSTGRESQL = pytest.param("postgresql", marks=pytest.mark.postgres)
"""The ``postgresql`` parameter of a fixture that runs a test on each database: marked
``postgres``, so ``pytest -m "not postgres"`` runs the rest where no server is."""
