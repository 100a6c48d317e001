"""Migration 0007 on a database from before it: the links that were used are kept, every other
member starts unclaimed, and the migration says what it did (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from peerconomy.store.sql import create_engine_for, upgrade_database

ROWS = [
    "INSERT INTO users (name, email, password_hash, created_at, display_name, site_admin)"
    " VALUES ('ana', 'ana@x.example', 'h', '2026-01-01 00:00:00+00', '', false),"
    " ('ben', 'ben@x.example', 'h', '2026-01-01 00:00:00+00', '', false),"
    " ('dora', 'dora@x.example', 'h', '2026-01-01 00:00:00+00', '', false)",
    "INSERT INTO pools (name, max_weight, seed, communal_validation, admission, public)"
    " VALUES ('farm', 5.0, 0, true, 'approval', false)",
    "INSERT INTO members (pool, id, position, exempt, role, active) VALUES"
    " ('farm', 'ana', 0, false, 'coordinator', true), ('farm', 'ben', 1, false, 'member', true),"
    " ('farm', 'dora', 2, false, 'member', true), ('farm', 'zoe', 3, false, 'member', true)",
    # ana has cleared a period (she acted in the pool); ben joined by an invitation; dora
    # merely has an account of a member's name: a stranger, perhaps
    "INSERT INTO audit_log (at, actor, pool, action, subject, detail)"
    " VALUES ('2026-01-02 00:00:00+00', 'ana', 'farm', 'period.clear', '1', '{}')",
    "INSERT INTO invitations (id, pool, position, role, created_by, created_at, expires_at,"
    " secret_hash, used_by, used_at) VALUES ('i1', 'farm', 0, 'member', 'ana',"
    " '2026-01-01 00:00:00+00', '2026-01-15 00:00:00+00', 'h', 'ben',"
    " '2026-01-02 00:00:00+00')",
]


def test_used_links_are_kept_and_a_name_alone_claims_nothing(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    upgrade_database(database_url, "0006")
    engine = create_engine_for(database_url)
    try:
        with engine.begin() as connection:
            for statement in ROWS:
                connection.execute(text(statement))
        with caplog.at_level(logging.WARNING, logger="peerconomy.migrations"):
            upgrade_database(database_url)
        with engine.connect() as connection:
            accounts = dict(connection.execute(
                text("SELECT id, account FROM members WHERE pool = 'farm'")).all())
    finally:
        engine.dispose()
    assert accounts == {"ana": "ana", "ben": "ben", "dora": None, "zoe": None}
    said = [r.getMessage() for r in caplog.records if r.name == "peerconomy.migrations"]
    assert said == [
        "linked member 'ana' of pool 'farm' to the account of the same name",
        "linked member 'ben' of pool 'farm' to the account of the same name",
        "2 members are unclaimed: invite them (peerconomy member invite) or link their"
        " accounts",
    ]
