"""Migration 0013 on a database from before it: the farm's stored wishes stay ordinary wishes
(no term, no periods left), read back and carried over as before; downgrading drops the two
columns (SQLite and PostgreSQL)."""

from __future__ import annotations

from migrating import downgrade, upgraded_from
from sqlalchemy import inspect

from peerconomy.domain.scenario import Alternative, Wish
from peerconomy.store.sql import create_engine_for, open_store

ROWS = [
    "INSERT INTO pools (name, max_weight, seed, communal_validation, admission, public)"
    " VALUES ('farm', 5.0, 0, true, 'approval', false)",
    "INSERT INTO periods (pool, number, state, weight_estimates) VALUES"
    " ('farm', 1, 'collecting', '{}')",
    "INSERT INTO wishes (pool, period, id, position, participant, quantity, alternatives)"
    " VALUES ('farm', 1, 'ana-box', 1, 'ana', 1, '[{\"good\":\"veg_box\"}]')",
]


def test_wishes_from_before_terms_stay_ordinary_wishes(database_url: str) -> None:
    upgraded_from(database_url, "0011", ROWS)
    with open_store(database_url) as store, store.unit_of_work() as uow:
        assert uow.periods.wishes("farm", 1) == [Wish(
            participant="ana", id="ana-box", alternatives=[Alternative(good="veg_box")])]
        assert uow.periods.periods_left("farm", 1) == {}
    downgrade(database_url, "0011")
    engine = create_engine_for(database_url)
    try:
        with engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("wishes")}
        assert not columns & {"term", "periods_left"}
        assert {"quantity", "alternatives"} <= columns
    finally:
        engine.dispose()
