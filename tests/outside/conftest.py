"""The attacked site, served on SQLite and on PostgreSQL for the module (see outsider.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from outsider import Site, database, environment, prepare, serve

from postgres_url import POSTGRESQL


@pytest.fixture(scope="module", params=["sqlite", POSTGRESQL])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Site]:
    """The prepared site on each database, served for the module."""
    folder = tmp_path_factory.mktemp(f"outside-{request.param}")
    with database(request.param, folder) as db:
        env = environment(db, folder, PEERCONOMY_TRUSTED_PROXIES="127.0.0.1")
        with serve(env) as url:
            site = Site(url, env)
            prepare(site, folder)
            yield site
