"""Migration 0011 on a database from before it: members start with their contact hidden, and
the books, append-only as before, allow only a rename to a pseudonym; downgrading takes that
back (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from peerconomy.store import sql
from peerconomy.store.sql import create_engine_for, upgrade_database

ROWS = [
    "INSERT INTO pools (name, max_weight, seed, communal_validation, admission, public)"
    " VALUES ('farm', 5.0, 0, true, 'approval', false)",
    "INSERT INTO members (pool, id, position, exempt, role, active, email) VALUES"
    " ('farm', 'ana', 0, false, 'coordinator', true, 'ana@home.test')",
    "INSERT INTO transactions (pool, id, seq, period, date, kind, narration) VALUES"
    " ('farm', 't1', 1, 1, '2026-11-30', 'share', 'shares of period 1')",
    "INSERT INTO postings (pool, seq, transaction_id, account, amount) VALUES"
    " ('farm', 1, 't1', 'participant:ana', -2000000), ('farm', 2, 't1', 'pool', 2000000)",
]
RENAME = "UPDATE postings SET account = 'participant:gone-0a1b2c3d' WHERE seq = 1"


def test_contact_starts_hidden_and_only_a_pseudonym_rename_is_let_through(
    database_url: str,
) -> None:
    upgrade_database(database_url, "0010")
    engine = create_engine_for(database_url)
    try:
        with engine.begin() as connection:
            for statement in ROWS:
                connection.execute(text(statement))
        with engine.connect() as connection, pytest.raises(IntegrityError,
                                                           match="append-only"):
            connection.execute(text(RENAME))
        upgrade_database(database_url)
        with engine.begin() as connection:
            visible = connection.execute(text("SELECT contact_visible FROM members")).scalar()
            connection.execute(text(RENAME))
            accounts = sorted(connection.execute(text("SELECT account FROM postings")).scalars())
        assert visible is False or visible == 0
        assert accounts == ["participant:gone-0a1b2c3d", "pool"]
        config = Config()
        config.set_main_option("script_location", sql.MIGRATIONS)
        config.attributes["url"] = database_url
        command.downgrade(config, "0010")
        with engine.connect() as connection, pytest.raises(IntegrityError,
                                                           match="append-only"):
            connection.execute(text(
                "UPDATE postings SET account = 'participant:gone-00000000' WHERE seq = 1"))
    finally:
        engine.dispose()
