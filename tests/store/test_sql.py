"""What only the SQL store has: a schema with revisions, books the database itself keeps
append-only, SQLite's settings, writers that queue, and the database URL setting."""

from __future__ import annotations

import fnmatch
import shutil
import threading
import time
import tomllib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path

import platformdirs
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, inspect, text
from sqlalchemy.exc import IntegrityError

from peerconomy.domain.period import PeriodState
from peerconomy.domain.plan import ClearedPlan, TaskAssignment
from peerconomy.domain.pool import Member, Period, Plan, Pool, WorkLog
from peerconomy.ledger.journal import POOL, Posting, Transaction, participant_account
from peerconomy.store import sql
from peerconomy.store.sql import (
    SCHEMA_REVISION,
    DatabaseSchemaError,
    SqlStore,
    StoreError,
    create_engine_for,
    database_revision,
    default_database_url,
    head_revision,
    identity_map,
    is_current,
    open_store,
    revisions,
    scoped_schema,
    upgrade_database,
)
from peerconomy.store.tables import metadata

ROOT = Path(__file__).parents[2]
HEAD = "0022"
"""The schema revision this peerconomy works with (the newest migration)."""
NEXT = f"{int(HEAD) + 1:04d}"
"""The revision of a future peerconomy's first new migration."""
PACKAGE = ROOT / "src" / "peerconomy"

# --- the schema and its revisions -----------------------------------------------------------


def test_a_fresh_database_gets_the_schema_when_first_opened(database_url: str) -> None:
    assert database_revision(database_url) is None
    with open_store(database_url):
        pass
    assert database_revision(database_url) == head_revision() == SCHEMA_REVISION == HEAD
    assert is_current(database_url)


def test_without_upgrade_if_empty_an_empty_database_asks_for_db_upgrade(
    database_url: str,
) -> None:
    with pytest.raises(
        DatabaseSchemaError, match=r"no peerconomy tables yet: run `peerconomy db upgrade`"
    ):
        open_store(database_url, upgrade_if_empty=False)
    assert upgrade_database(database_url) == HEAD
    assert upgrade_database(database_url) == HEAD  # nothing left to do: a no-op
    with open_store(database_url, upgrade_if_empty=False) as store:
        assert isinstance(store, SqlStore)


def test_the_migrations_make_exactly_the_tables_of_tables_py(database_url: str) -> None:
    upgrade_database(database_url)
    engine = create_engine_for(database_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_tokens_made_before_scopes_migrate_as_write_tokens_for_ninety_days(
    database_url: str,
) -> None:
    """Revision 0009 gives every token an expiry and a scope: an older token keeps working as
    a ``write`` token for 90 days after the migration, so its owner can make a new one."""
    config = Config()
    config.set_main_option("script_location", sql.MIGRATIONS)
    config.attributes["url"] = database_url
    command.upgrade(config, "0006")
    engine = create_engine_for(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO users (name, email, password_hash, created_at, display_name,"
                " site_admin) VALUES ('ana', 'ana@seaside.example', 'x', :at, '', false)"
            ), {"at": datetime(2026, 1, 5, tzinfo=UTC)})
            connection.execute(text(
                "INSERT INTO api_tokens (id, user_name, position, label, secret_hash,"
                " created_at) VALUES ('t1', 'ana', 0, 'cron', 'h', :at)"
            ), {"at": datetime(2026, 1, 5, tzinfo=UTC)})
    finally:
        engine.dispose()
    before = datetime.now(UTC)
    upgrade_database(database_url)
    store = open_store(database_url)
    try:
        with store.unit_of_work() as uow:
            token = uow.accounts.token("t1")
    finally:
        store.close()
    assert token is not None and token.scope == "write"
    assert before + timedelta(days=90) - timedelta(minutes=1) <= token.expires_at
    assert token.expires_at <= datetime.now(UTC) + timedelta(days=90)


def test_migration_0010_brings_stored_numbers_within_the_bounds(database_url: str) -> None:
    """A pool frozen by a task of 1e308 fixed hours (and a max weight below 1, once allowed)
    is readable and clearable after the upgrade; the plan's goods gain a limit column."""
    assert upgrade_database(database_url, "0006") == "0006"
    engine = create_engine_for(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO pools (name, max_weight, seed, communal_validation, admission,"
                " public, version) VALUES ('farm', 0.5, 0, true, 'approval', false, 1)"))
            connection.execute(text(
                "INSERT INTO projects (pool, id, position, active, version)"
                " VALUES ('farm', 'dairy', 1, true, 1)"))
            connection.execute(text(
                "INSERT INTO tasks (pool, id, position, project, fixed_hours)"
                " VALUES ('farm', 'milking', 1, 'dairy', 1e308)"))
    finally:
        engine.dispose()
    assert upgrade_database(database_url) == HEAD
    with open_store(database_url) as store, store.unit_of_work() as uow:
        assert [t.fixed_hours for t in uow.pools.tasks("farm")] == [10_000.0]
        pool = uow.pools.get("farm")
        assert pool is not None and pool.settings.max_weight == 1.0


def test_downgrading_to_base_removes_every_table(database_url: str) -> None:
    """As ``alembic downgrade base`` with the package's migrations would."""
    upgrade_database(database_url)
    config = Config()
    config.set_main_option("script_location", sql.MIGRATIONS)
    config.attributes["url"] = database_url
    command.downgrade(config, "base")
    engine = create_engine_for(database_url)
    try:
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    assert database_revision(database_url) is None


@pytest.fixture
def next_release(tmp_path: Path) -> str:
    """The migrations of a future peerconomy: ours and a revision NEXT that indexes roles."""
    migrations = tmp_path / "migrations"
    with resources.as_file(resources.files("peerconomy.store") / "migrations") as ours:
        shutil.copytree(ours, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / f"{NEXT}_roles.py").write_text(
        '"""Index members by role."""\n'
        "from alembic import op\n\n"
        f'revision = "{NEXT}"\ndown_revision = "{HEAD}"\nbranch_labels = None\n'
        'depends_on = None\n\n\n'
        "def upgrade() -> None:\n"
        '    op.create_index("ix_members_role", "members", ["pool", "role"])\n\n\n'
        "def downgrade() -> None:\n"
        '    op.drop_index("ix_members_role", table_name="members")\n',
        encoding="utf-8",
    )
    return str(migrations)


def test_a_database_at_an_older_revision_is_refused_until_upgraded(
    database_url: str, next_release: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade_database(database_url)  # revision HEAD
    monkeypatch.setattr(revisions, "MIGRATIONS", next_release)  # this peerconomy wants NEXT
    monkeypatch.setattr(revisions, "SCHEMA_REVISION", NEXT)
    assert not is_current(database_url)
    with pytest.raises(
        DatabaseSchemaError,
        match=rf"at schema revision '{HEAD}', and this version of peerconomy works with '{NEXT}':"
        r" back it up, then run `peerconomy db upgrade`",
    ):
        open_store(database_url)
    upgrade_database(database_url)
    with open_store(database_url):
        assert database_revision(database_url) == NEXT


def test_a_database_from_a_newer_peerconomy_is_refused(
    database_url: str, next_release: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as newer:
        newer.setattr(revisions, "MIGRATIONS", next_release)
        upgrade_database(database_url)
    with pytest.raises(DatabaseSchemaError, match=rf"'{NEXT}', which this version of peerconomy"
                       r" does not know .* upgrade peerconomy"):
        open_store(database_url)


def test_a_database_of_something_else_is_left_alone(database_url: str) -> None:
    engine = create_engine_for(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE inventory (item TEXT)"))
    finally:
        engine.dispose()
    with pytest.raises(DatabaseSchemaError, match="not a peerconomy database"):
        open_store(database_url)
    assert database_revision(database_url) is None


def test_a_database_that_cannot_be_opened_is_named_without_its_password(
    tmp_path: Path,
) -> None:
    nowhere = f"sqlite:///{tmp_path / 'no such folder' / 'pool.sqlite3'}"
    with pytest.raises(StoreError, match=r"cannot open the database sqlite:///.*no such folder"):
        open_store(nowhere)
    with pytest.raises(StoreError) as refused:
        open_store("mysql://ana:s3cret@db/pool")
    assert "s3cret" not in str(refused.value)
    assert isinstance(refused.value, ValueError)


@pytest.mark.postgres
def test_a_scoped_schema_is_gone_after_the_block(postgresql_url: str) -> None:
    with scoped_schema(postgresql_url, "inner") as url:
        assert "search_path%3Dinner_" in url
        with open_store(url) as store, store.unit_of_work() as uow:
            uow.pools.add(Pool("workshop"))
            uow.commit()
        schema = url.split("search_path%3D")[1]
    engine = create_engine_for(postgresql_url)
    try:
        with engine.connect() as connection:
            assert schema not in inspect(connection).get_schema_names()
            assert inspect(connection).get_table_names() == []  # the outer schema: untouched
    finally:
        engine.dispose()


# --- the database keeps the books append-only -----------------------------------------------


@pytest.fixture
def settled(database_url: str) -> SqlStore:
    """A store with a cleared plan and a transaction in the books of pool 'workshop'."""
    store = open_store(database_url)
    with store.unit_of_work() as uow:
        uow.pools.add(Pool("workshop"))
        uow.periods.add(Period("workshop", 1, PeriodState.SETTLED))
        plan = ClearedPlan(weights={"weld": 1.0},
                           assignments=(TaskAssignment("ana", "weld", 2.0),))
        uow.periods.add_plan(Plan("workshop", 1, "c0ffee", datetime.now(UTC), plan))
        uow.journal.add("workshop", [Transaction(
            "period-1-shares", 1, date(2026, 11, 30), "share", "shares of period 1",
            (Posting(participant_account("ana"), Decimal("-2")), Posting(POOL, Decimal("2"))),
        )])
        uow.commit()
    return store


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE postings SET amount = 0",
        "DELETE FROM postings",
        "UPDATE transactions SET narration = 'nothing happened'",
        "DELETE FROM transactions WHERE id = 'period-1-shares'",
    ],
)
def test_the_database_refuses_to_rewrite_the_books(settled: SqlStore, statement: str) -> None:
    with settled, settled.engine.connect() as connection, pytest.raises(
        IntegrityError, match="the ledger is append-only: add a reversing entry instead"
    ):
        connection.execute(text(statement))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE plans SET input_hash = 'decaf'",
        "DELETE FROM plans",
        "UPDATE assignments SET hours = 20",
        "DELETE FROM assignments",
    ],
)
def test_the_database_refuses_to_change_a_plan(settled: SqlStore, statement: str) -> None:
    with settled, settled.engine.connect() as connection, pytest.raises(
        IntegrityError, match="a cleared plan is never changed"
    ):
        connection.execute(text(statement))


def cleared(database_url: str, *, logged: bool) -> SqlStore:
    """A store whose period 1 of 'workshop' is cleared, with work logged on it or not."""
    store = open_store(database_url)
    with store.unit_of_work() as uow:
        uow.pools.add(Pool("workshop"))
        uow.periods.add(Period("workshop", 1, PeriodState.CLEARED))
        plan = ClearedPlan(weights={"weld": 1.0},
                           assignments=(TaskAssignment("ana", "weld", 2.0),))
        uow.periods.add_plan(Plan("workshop", 1, "c0ffee", datetime.now(UTC), plan))
        if logged:
            uow.periods.add_work_log(WorkLog(
                0, "workshop", 1, "ana", "weld", 1.0, datetime.now(UTC), True))
        uow.commit()
    return store


def test_the_plan_of_a_cleared_period_without_work_may_be_discarded(database_url: str) -> None:
    with cleared(database_url, logged=False) as store:
        with store.unit_of_work() as uow:
            uow.periods.withdraw_plan("workshop", 1, at=datetime.now(UTC), by="ana")
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.periods.plan("workshop", 1) is None
            assert uow.periods.assignments("workshop", 1) == []


@pytest.mark.parametrize("statement", ["DELETE FROM plans", "DELETE FROM assignments"])
def test_the_database_keeps_a_plan_once_work_is_logged_on_it(
    database_url: str, statement: str
) -> None:
    with (
        cleared(database_url, logged=True) as store,
        store.engine.connect() as connection,
        pytest.raises(IntegrityError, match="a cleared plan is never changed"),
    ):
        connection.execute(text(statement))


@pytest.mark.postgres
def test_postgresql_refuses_to_truncate_the_books(postgresql_url: str) -> None:
    with (
        open_store(postgresql_url) as store,
        store.engine.connect() as connection,
        pytest.raises(IntegrityError, match="append-only"),
    ):
        connection.execute(text("TRUNCATE postings"))


def test_a_time_without_a_zone_is_refused(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store, store.unit_of_work() as uow:
        uow.pools.add(Pool("workshop"))
        uow.periods.add(Period("workshop", 1, PeriodState.CLEARED))
        naive = datetime(2026, 11, 2, 9, 30)
        with pytest.raises(ValueError, match="must be timezone-aware"):
            uow.periods.add_work_log(WorkLog(0, "workshop", 1, "ana", "weld", 1.0, naive, True))
        with pytest.raises(ValueError, match="must be timezone-aware"):
            uow.periods.add_plan(Plan("workshop", 1, "c0ffee", naive, ClearedPlan()))


# --- SQLite ---------------------------------------------------------------------------------


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store, store.engine.connect() as connection:
        def pragma(name: str) -> object:
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 30_000
        assert pragma("synchronous") == 1  # NORMAL


def test_a_foreign_key_holds_on_sqlite(sqlite_url: str) -> None:
    with (
        open_store(sqlite_url) as store,
        store.unit_of_work() as uow,
        pytest.raises(IntegrityError, match="FOREIGN KEY"),
    ):
        uow.pools.add_members("nowhere", [Member("ana")])


def _add_hours_one_by_one(url: str, times: int, start: threading.Barrier) -> Callable[[], None]:
    """A coordinator who, ``times`` over, reads ana's capacity and writes it back one hour
    higher: a read and a write in one transaction, as the services' steps are."""

    def run() -> None:
        with open_store(url) as store:
            start.wait()
            for _ in range(times):
                with store.unit_of_work() as uow:
                    uow.pools.lock("workshop")
                    ana = next(m for m in uow.pools.members("workshop") if m.id == "ana")
                    time.sleep(0.002)  # the other coordinator reads meanwhile, if it can
                    assert ana.capacity is not None
                    uow.pools.put_member("workshop", Member("ana", ana.capacity + 1))
                    uow.commit()

    return run


def test_two_coordinators_writing_at_once_take_turns(database_url: str) -> None:
    """Neither fails (SQLite: SQLITE_BUSY) nor loses the other's update: on SQLite every
    transaction takes the write lock first, on PostgreSQL ``lock`` holds the pool's row."""
    with open_store(database_url) as store, store.unit_of_work() as uow:
        uow.pools.add(Pool("workshop"))
        uow.pools.add_members("workshop", [Member("ana", 0.0)])
        uow.commit()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def guarded(run: Callable[[], None]) -> Callable[[], None]:
        def body() -> None:
            try:
                run()
            except BaseException as error:  # reported by the test's assertion
                errors.append(error)
        return body

    threads = [
        threading.Thread(target=guarded(_add_hours_one_by_one(database_url, 15, start)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with open_store(database_url) as store, store.unit_of_work() as uow:
        assert uow.pools.members("workshop") == [Member("ana", 30.0)]


# --- what a transaction reads once -----------------------------------------------------------


def _counting(store: SqlStore) -> list[str]:
    """The queries the store sends from now on (SQLite's ``BEGIN IMMEDIATE`` left out)."""
    sent: list[str] = []

    def count(_c: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.startswith("SELECT"):
            sent.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    return sent


def _workshop(store: SqlStore) -> None:
    with store.unit_of_work() as uow:
        uow.pools.add(Pool("workshop"))
        uow.pools.add_members("workshop", [Member("ana", 10.0)])
        uow.periods.add(Period("workshop", 1, PeriodState.COLLECTING))
        uow.commit()


def test_a_transaction_reads_the_pool_a_member_and_the_period_once_until_it_writes(
    database_url: str,
) -> None:
    with open_store(database_url) as store:
        _workshop(store)
        sent = _counting(store)
        with store.unit_of_work() as uow:
            for _ in range(3):
                assert uow.pools.get("workshop") == Pool("workshop")
                assert uow.pools.member("workshop", "ana") == Member("ana", 10.0)
                assert uow.periods.latest("workshop") == Period(
                    "workshop", 1, PeriodState.COLLECTING)
            assert len(sent) == 3
            uow.pools.put_member("workshop", Member("ana", 12.0))
            uow.periods.set_state("workshop", 1, PeriodState.CLEARED)
            assert uow.pools.member("workshop", "ana") == Member("ana", 12.0)
            assert uow.periods.latest("workshop") == Period("workshop", 1, PeriodState.CLEARED)


def test_after_a_commit_what_others_wrote_is_read_afresh(database_url: str) -> None:
    with open_store(database_url) as store:
        _workshop(store)
        with store.unit_of_work() as reader:
            assert reader.pools.member("workshop", "ana") == Member("ana", 10.0)
            reader.commit()
            with store.unit_of_work() as writer:
                writer.pools.put_member("workshop", Member("ana", 15.0))
                writer.commit()
            assert reader.pools.member("workshop", "ana") == Member("ana", 15.0)


@pytest.mark.postgres
def test_after_taking_the_pools_lock_what_others_committed_is_read_afresh(
    postgresql_url: str,
) -> None:
    """A coordinator who read the period before waiting for the lock must not act on what
    they read then (PostgreSQL reads what is committed; SQLite lets one writer in at a time)."""
    with open_store(postgresql_url) as store:
        _workshop(store)
        with store.unit_of_work() as first:
            assert first.periods.latest("workshop").state is PeriodState.COLLECTING
            with store.unit_of_work() as second:
                second.pools.lock("workshop")
                second.periods.set_state("workshop", 1, PeriodState.CLEARED)
                second.commit()
            first.pools.lock("workshop")
            assert first.periods.latest("workshop").state is PeriodState.CLEARED


_READS = {
    "SqlPoolRepository": {"get", "lock", "names", "projects", "members", "member", "standing",
                          "tasks", "goods", "pickup_points"},
    "SqlPeriodRepository": {"latest", "get", "offers", "offered_hours", "wishes", "periods_left",
                            "plan", "assignments", "work_log", "work_logs", "withdrawn_plans",
                            "closed_for_offers", "work_awaiting",
                            "holdings"},
    "SqlJournalRepository": {"get", "transactions", "balances", "balance"},
    "SqlAccountRepository": {"user", "user_by_email", "user_count", "users", "memberships",
                             "token",
                             "tokens", "invitation", "invitations", "join_request",
                             "join_requests", "session", "sessions", "sign_in_limit",
                             "reset_token", "calendar_key", "calendar_key_by_id"},
    "SqlAuditRepository": {"entries"},
}


@pytest.mark.parametrize("repository", sorted(_READS))
def test_every_method_that_writes_makes_the_transaction_forget_what_it_read(
    repository: str,
) -> None:
    """A method that is neither a read known to leave the rows alone nor marked as a write
    fails here, so a new write cannot leave a stale row in a transaction's memory."""
    cls = getattr(sql, repository)
    methods = {name for name in vars(cls) if not name.startswith("_") and callable(
        getattr(cls, name))}
    writes = {name for name in methods if f"{repository}.{name}" in identity_map.WRITERS}
    assert methods - writes == _READS[repository]
    assert writes, "each repository has writes"


def _plan(hash: str, at: datetime) -> Plan:
    return Plan("workshop", 1, hash, at, ClearedPlan(
        weights={"weld": 1.5}, assignments=(TaskAssignment("ana", "weld", 2.0),)))


def test_a_plan_is_parsed_once_and_then_served_while_its_stamp_matches(
    database_url: str,
) -> None:
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    with open_store(database_url) as store:
        _workshop(store)
        with store.unit_of_work() as uow:
            uow.periods.add_plan(_plan("c0ffee", at))
            uow.commit()
        sent = _counting(store)
        with store.unit_of_work() as uow:
            first = uow.periods.plan("workshop", 1)
        with store.unit_of_work() as uow:
            again = uow.periods.plan("workshop", 1)
        assert first == again == _plan("c0ffee", at)
        assert again is first
        assert len(sent) == 3  # the stamp and the plan, then the stamp alone


def test_a_plan_that_was_rolled_back_is_never_served(database_url: str) -> None:
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    with open_store(database_url) as store:
        _workshop(store)
        with store.unit_of_work() as uow:
            uow.periods.add_plan(_plan("c0ffee", at))
            assert uow.periods.plan("workshop", 1) == _plan("c0ffee", at)
            # leaving without commit rolls the plan back
        with store.unit_of_work() as uow:
            assert uow.periods.plan("workshop", 1) is None
            uow.periods.add_plan(_plan("decaf", at))
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.periods.plan("workshop", 1) == _plan("decaf", at)


def test_the_plan_cache_drops_the_least_recently_read_plans_beyond_its_size() -> None:
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    cache = sql.PlanCache(max_chars=100)
    plans = [Plan("workshop", n, f"hash{n}", at, ClearedPlan()) for n in (1, 2, 3)]
    cache.put(plans[0], 40)
    cache.put(plans[1], 40)
    assert cache.get("workshop", 1, "hash1", at) is plans[0]  # 1 is now the recent one
    cache.put(plans[2], 40)
    assert cache.get("workshop", 2, "hash2", at) is None
    assert cache.get("workshop", 1, "hash1", at) is plans[0]
    assert cache.get("workshop", 3, "hash3", at) is plans[2]
    assert cache.get("workshop", 3, "other", at) is None
    cache.put(Plan("workshop", 4, "huge", at, ClearedPlan()), 101)  # larger than the whole cache
    assert cache.get("workshop", 4, "huge", at) is None


# --- where the database is ------------------------------------------------------------------


@pytest.mark.parametrize("url", ["peerconomy.sqlite3", "/var/lib/peerconomy.db", "", "::"])
def test_a_setting_that_is_no_url_is_named_in_the_error(url: str) -> None:
    with pytest.raises(ValueError, match=r"PEERCONOMY_DATABASE_URL must be a database URL such"
                       r" as sqlite:///path/to/peerconomy.sqlite3"):
        create_engine_for(url)


@pytest.mark.parametrize("url", ["mysql://ana@db/pool", "postgresql+psycopg2://ana@db/pool"])
def test_other_databases_and_drivers_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match=r"PEERCONOMY_DATABASE_URL: peerconomy stores pools in"
                       r" SQLite or PostgreSQL"):
        create_engine_for(url)


@pytest.mark.parametrize(
    "url", ["postgresql://ana@db/pool", "postgresql+psycopg://ana@db/pool", "postgres://ana@db/pool"]
)
def test_postgresql_urls_go_through_psycopg_3(url: str) -> None:
    engine = create_engine_for(url)  # no connection yet
    try:
        assert engine.dialect.name == "postgresql"
        assert engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()


def test_the_database_url_setting_names_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERCONOMY_DATABASE_URL", "postgresql://ana@db/pool")
    assert default_database_url() == "postgresql://ana@db/pool"


def test_without_the_setting_the_database_is_a_file_in_the_users_data_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PEERCONOMY_DATABASE_URL", raising=False)
    data = tmp_path / "data" / "peerconomy"
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda app: str(tmp_path / "data" / app))
    url = default_database_url()
    assert url == f"sqlite:///{data / 'peerconomy.sqlite3'}"
    assert data.is_dir()
    with open_store(url):
        assert (data / "peerconomy.sqlite3").is_file()


# --- packaging ------------------------------------------------------------------------------


def test_the_migrations_ship_with_the_package() -> None:
    """A wheel holds the package's modules and the package data pyproject.toml names: every
    file of the migrations must be one or the other."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["peerconomy"]
    migrations = PACKAGE / "store" / "migrations"
    shipped = [
        path for path in migrations.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    assert {p.name for p in shipped} >= {
        "env.py", "script.py.mako", "0001_initial.py", "0002_accounts.py"
    }
    for path in shipped:
        relative = path.relative_to(PACKAGE).as_posix()
        is_module = path.suffix == ".py" and (path.parent / "__init__.py").is_file()
        assert is_module or any(fnmatch.fnmatch(relative, p) for p in patterns), relative
    assert "sqlalchemy>=2.0" in pyproject["project"]["dependencies"]


def test_the_mail_migration_counts_the_accounts_made_before_it_as_verified(
    database_url: str,
) -> None:
    upgrade_database(database_url, "0006")
    made = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    engine = create_engine_for(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO users (name, email, password_hash, created_at, display_name,"
                " site_admin) VALUES ('ana', 'ana@x.example', 'hash', :made, '', false)"),
                {"made": made})
    finally:
        engine.dispose()
    upgrade_database(database_url)
    store = open_store(database_url)
    try:
        with store.unit_of_work() as uow:
            ana = uow.accounts.user("ana")
            assert uow.mail.outbox() == []
    finally:
        store.close()
    assert ana is not None and ana.email_verified_at == made


# --- the one change of plans and books allowed: a deleted account's pseudonym ---------------


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE postings SET account = 'participant:eve'", "the ledger is append-only"),
        ("UPDATE postings SET account = 'participant:gone-00000000', amount = 0",
         "the ledger is append-only"),
        ("UPDATE assignments SET participant = 'eve'", "a cleared plan is never changed"),
        ("UPDATE assignments SET participant = 'gone-00000000', hours = 20",
         "a cleared plan is never changed"),
        ("UPDATE plans SET data = '{}'", "a cleared plan is never changed"),
        ("UPDATE plans SET input_hash = 'decaf+gone-00000000'",
         "a cleared plan is never changed"),
        ("UPDATE transactions SET narration = 'gone-00000000'", "the ledger is append-only"),
    ],
)
def test_the_database_refuses_every_change_but_a_rename_to_a_pseudonym(
    settled: SqlStore, statement: str, refusal: str
) -> None:
    with settled, settled.engine.connect() as connection, pytest.raises(
        IntegrityError, match=refusal
    ):
        connection.execute(text(statement))


def test_the_database_lets_a_participant_be_renamed_to_a_pseudonym(settled: SqlStore) -> None:
    with settled:
        with settled.unit_of_work() as uow:
            uow.pools.rename_participant("workshop", "ana", "gone-0a1b2c3d")
            uow.commit()
        with settled.unit_of_work() as uow:
            plan = uow.periods.plan("workshop", 1)
            assert plan is not None
            assert plan.input_hash == "c0ffee+gone-0a1b2c3d"
            assert plan.data.assignments[0].participant == "gone-0a1b2c3d"
            assert [a.participant for a in uow.periods.assignments("workshop", 1)] == [
                "gone-0a1b2c3d"]
            assert uow.journal.balances("workshop") == {
                participant_account("gone-0a1b2c3d"): Decimal("-2"), POOL: Decimal("2")}
