"""Migration 0013 on a database from before it: the farm's stored wishes stay ordinary wishes
(no term, no periods left), read back and carried over as before; downgrading drops the two
columns (SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from peerconomy.domain.scenario import Alternative, Wish
from peerconomy.store import sql
from peerconomy.store.sql import create_engine_for, open_store, upgrade_database

ROWS = [
    "INSERT INTO pools (name, max_weight, seed, communal_validation, admission, public)"
    " VALUES ('farm', 5.0, 0, true, 'approval', false)",
    "INSERT INTO periods (pool, number, state, weight_estimates) VALUES"
    " ('farm', 1, 'collecting', '{}')",
    "INSERT INTO wishes (pool, period, id, position, participant, quantity, alternatives)"
    " VALUES ('farm', 1, 'ana-box', 1, 'ana', 1, '[{\"good\":\"veg_box\"}]')",
]


def test_wishes_from_before_terms_stay_ordinary_wishes(database_url: str) -> None:
    upgrade_database(database_url, "0011")
    engine = create_engine_for(database_url)
    try:
        with engine.begin() as connection:
            for statement in ROWS:
                connection.execute(text(statement))
        upgrade_database(database_url)
        store = open_store(database_url)
        try:
            with store.unit_of_work() as uow:
                assert uow.periods.wishes("farm", 1) == [Wish(
                    participant="ana", id="ana-box", alternatives=[Alternative(good="veg_box")])]
                assert uow.periods.periods_left("farm", 1) == {}
        finally:
            store.close()
        config = Config()
        config.set_main_option("script_location", sql.MIGRATIONS)
        config.attributes["url"] = database_url
        command.downgrade(config, "0011")
        with engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("wishes")}
        assert not columns & {"term", "periods_left"}
        assert {"quantity", "alternatives"} <= columns
    finally:
        engine.dispose()
