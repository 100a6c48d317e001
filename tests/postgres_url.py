"""The PostgreSQL server the tests use: ``PEERCONOMY_TEST_POSTGRES_URL``, else the one every
development and CI machine runs at 127.0.0.1:5432 (user postgres, database test)."""

from __future__ import annotations

import os

import pytest

POSTGRES_URL = os.environ.get(
    "PEERCONOMY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

POSTGRESQL = pytest.param("postgresql", marks=pytest.mark.postgres)
"""The ``postgresql`` parameter of a fixture that runs a test on each database: marked
``postgres``, so ``pytest -m "not postgres"`` runs the rest where no server is."""
