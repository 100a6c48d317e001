"""``peerconomy db backup`` and ``db restore``: a database round-trips exactly, on SQLite and
PostgreSQL, and a restore that cannot be whole changes nothing.

The pool is the demo's, run through the services for two periods (plans, confirmed work,
shares and credits in the books), with accounts, an API token, an invitation, a request to
join and a corrected (reversed) transaction on top.
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rich.console import Console
from typer.testing import CliRunner

from peerconomy.cli import app
from peerconomy.demo import POOL_NAME, add_demo_accounts, run_demo
from peerconomy.domain.scenario import load_scenario_file, parse_scenario
from peerconomy.services import accounts, books, membership, periods, pools, work
from peerconomy.store import backup as backup_module
from peerconomy.store.backup import FORMAT, BackupError, backup, read_backup, restore
from peerconomy.store.sql import SqlStore, head_revision, open_store, scoped_schema
from peerconomy.store.tables import metadata
from postgres_url import POSTGRES_URL, POSTGRESQL

WORKSHOP = Path(__file__).resolve().parents[2] / "examples" / "workshop.json"
runner = CliRunner()


@pytest.fixture(scope="module", params=["sqlite", POSTGRESQL])
def kind(request: pytest.FixtureRequest) -> str:
    """The kind of database: each test runs on SQLite and on PostgreSQL."""
    name: str = request.param
    return name


@contextmanager
def databases(kind: str, folder: Path) -> Iterator[Callable[[], str]]:
    """Make new, empty databases: SQLite files in ``folder``, or PostgreSQL schemas, dropped
    at the end."""
    with ExitStack() as stack:
        made = iter(range(1000))

        def make() -> str:
            if kind == "sqlite":
                return f"sqlite:///{folder / f'db{next(made)}.sqlite3'}"
            return stack.enter_context(scoped_schema(POSTGRES_URL, "peerconomy_backup"))

        yield make


@pytest.fixture
def new_database(kind: str, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Make new, empty databases of the kind, gone after the test."""
    with databases(kind, tmp_path) as make:
        yield make


def seed(store: SqlStore) -> None:
    """The demo pool after two periods, and its people's accounts, token, invitation,
    request to join and a correction."""
    uow = store.unit_of_work
    run_demo(uow, Console(file=io.StringIO()), periods=2, today=date(2026, 3, 1))
    add_demo_accounts(uow)
    accounts.issue_token(uow(), "ana", "scripts")
    membership.invite(uow(), POOL_NAME, "ana")
    accounts.sign_up(uow(), "dora", "dora@demo.example", "dora's long password", mode="open")
    pools.update_settings(uow(), POOL_NAME, public=True)  # asked to join: so others see it
    membership.join_pool(uow(), POOL_NAME, "dora")
    books.correct(uow(), POOL_NAME, "period-1-credits", "logged twice", on=date(2026, 1, 5))
    periods.clear_period(uow(), POOL_NAME)  # and withdrawn: a plan in the period's history
    periods.reopen_period(uow(), POOL_NAME, actor="ana")


def seeded_database(make: Callable[[], str]) -> str:
    url = make()
    store = open_store(url)
    try:
        seed(store)
    finally:
        store.close()
    return url


@pytest.fixture(scope="module")
def demo(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a database holding the seeded demo pool, seeded once for the module's
    tests (which only read it)."""
    with databases(kind, tmp_path_factory.mktemp("demo")) as make:
        yield seeded_database(make)


@pytest.fixture
def seeded(new_database: Callable[[], str]) -> str:
    """The URL of a database holding the seeded demo pool, for this test alone."""
    return seeded_database(new_database)


def pool_as_read(url: str) -> dict[str, Any]:
    """Everything the services and repositories read of the demo pool."""
    store = open_store(url)
    try:
        with store.unit_of_work() as uow:
            latest = uow.periods.latest(POOL_NAME)
            assert latest is not None
            numbers = range(1, latest.number + 1)
            people = [m.id for m in uow.pools.members(POOL_NAME)] + ["dora"]
            read = {
                "pool": uow.pools.get(POOL_NAME),
                "projects": uow.pools.projects(POOL_NAME),
                "members": uow.pools.members(POOL_NAME),
                "tasks": uow.pools.tasks(POOL_NAME),
                "goods": uow.pools.goods(POOL_NAME),
                "periods": [uow.periods.get(POOL_NAME, n) for n in numbers],
                "offers": [uow.periods.offers(POOL_NAME, n) for n in numbers],
                "wishes": [uow.periods.wishes(POOL_NAME, n) for n in numbers],
                "plans": [uow.periods.plan(POOL_NAME, n) for n in numbers],
                "withdrawn_plans": [uow.periods.withdrawn_plans(POOL_NAME, n) for n in numbers],
                "assignments": [uow.periods.assignments(POOL_NAME, n) for n in numbers],
                "work_logs": [uow.periods.work_logs(POOL_NAME, n) for n in numbers],
                "journal": uow.journal.transactions(POOL_NAME),
                "users": [uow.accounts.user(p) for p in people],
                "tokens": [uow.accounts.tokens(p) for p in people],
                "invitations": uow.accounts.invitations(POOL_NAME),
                "join_requests": uow.accounts.join_requests(POOL_NAME),
            }
        read["balances"] = books.balances(store.unit_of_work(), POOL_NAME)
        read["export"] = books.export(store.unit_of_work(), POOL_NAME, "beancount")
    finally:
        store.close()
    return read


def tables_of(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        return sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


# --- the round trip ------------------------------------------------------------------------


def test_a_backup_restored_into_a_new_database_backs_up_the_same(
    demo: str, new_database: Callable[[], str]
) -> None:
    document = backup(demo)
    copy_url = new_database()

    restored = restore(copy_url, json.loads(json.dumps(document)))

    assert backup(copy_url) == document
    assert document["format"] == FORMAT and document["revision"] == head_revision()
    assert set(document["tables"]) <= {t.name for t in metadata.sorted_tables}
    assert restored == {name: len(rows) for name, rows in document["tables"].items()}
    for name in ("pools", "members", "offers", "wishes", "plans", "assignments", "work_logs",
                 "transactions", "postings", "users", "api_tokens", "invitations",
                 "join_requests", "audit_log", "withdrawn_plans"):
        assert document["tables"][name], f"the seeded pool has no {name}"


def test_the_restored_pool_reads_the_same_through_the_services(
    demo: str, new_database: Callable[[], str]
) -> None:
    copy_url = new_database()
    restore(copy_url, backup(demo))

    original, restored = pool_as_read(demo), pool_as_read(copy_url)

    assert restored == original
    assert sum(restored["balances"].values()) == 0
    assert any(t.reverses == "period-1-credits" for t in restored["journal"])


def test_a_restored_pool_goes_on_where_the_original_would(
    seeded: str, new_database: Callable[[], str]
) -> None:
    document = backup(seeded)
    copy_url = new_database()
    restore(copy_url, document)
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    logged = []
    for url in (seeded, copy_url):
        store = open_store(url)
        try:
            plan = periods.clear_period(store.unit_of_work(), POOL_NAME, now=now)
            who = plan.data.assignments[0]
            logged.append(work.log_work(store.unit_of_work(), POOL_NAME, who.participant,
                                        who.task, 1.0, now=now))
        finally:
            store.close()

    # the same plan, and the new work log numbered after the restored ones (on PostgreSQL the
    # restore moved the id's sequence on)
    assert logged[0] == logged[1]
    highest = max(row["id"] for row in document["tables"]["work_logs"])
    assert logged[1].id == highest + 1
    assert backup(copy_url) == backup(seeded)


def test_a_big_pool_round_trips(new_database: Callable[[], str]) -> None:
    """More rows to a table than one batch (PostgreSQL restores them with COPY)."""
    people = [f"m{i:04d}" for i in range(400)]
    scenario = {
        "format": "peerconomy-scenario/1",
        "participants": [{"id": p, "capacity": 10} for p in people],
        "projects": [{"id": "farm"}],
        "tasks": [{"id": f"t{t}", "project": "farm"} for t in range(4)],
        "goods": [{"id": "veg", "project": "farm", "model": "effort",
                   "recipe": {"t0": 0.5, "t1": 0.25}}],
        "offers": [{"participant": p, "task": f"t{t}", "hours": 1 + t,
                    "min_weight": 1 + (i % 7) / 10}
                   for i, p in enumerate(people) for t in range(4)],
        "wishes": [{"participant": p, "id": f"{p}-veg", "quantity": 2,
                    "alternatives": [{"good": "veg"}]} for p in people],
    }
    source, copy_url = new_database(), new_database()
    store = open_store(source)
    try:
        pools.import_scenario(store.unit_of_work(), "farm", parse_scenario(scenario))
        periods.clear_period(store.unit_of_work(), "farm")
        periods.settle_period(store.unit_of_work(), "farm")
    finally:
        store.close()
    document = backup(source)
    assert len(document["tables"]["offers"]) > 1000 and len(document["tables"]["postings"]) > 400

    restore(copy_url, document)
    bad = new_database()
    with pytest.raises(BackupError, match="does not fit the schema"):
        restore(bad, mangled(document, "offers", "task", None))

    assert backup(copy_url) == document
    assert tables_of(bad) == []


def test_a_backup_file_written_by_the_cli_restores_by_the_cli(
    demo: str, new_database: Callable[[], str], tmp_path: Path
) -> None:
    (tmp_path / "backups").mkdir()
    file = tmp_path / "backups" / "farm.backup.json"
    copy_url = new_database()

    made = runner.invoke(app, ["db", "backup", "--db", demo, "-o", str(file)])
    back = runner.invoke(app, ["db", "restore", "--db", copy_url, str(file)])

    assert made.exit_code == 0, made.stderr
    assert "backed up" in made.stdout and str(file.name) in made.stdout
    assert back.exit_code == 0, back.stderr
    assert "restored" in back.stdout
    assert read_backup(file) == backup(demo) == backup(copy_url)
    assert [p.name for p in file.parent.iterdir()] == [file.name]  # no temporary file left

    again = runner.invoke(app, ["db", "restore", "--db", copy_url, str(file)])
    assert again.exit_code == 2
    assert again.stderr.startswith("error: ") and again.stderr.count("\n") == 1
    assert "is not empty" in again.stderr


# --- refusals ------------------------------------------------------------------------------


def test_a_restore_into_a_database_that_holds_rows_is_refused_and_changes_nothing(
    demo: str, new_database: Callable[[], str]
) -> None:
    document = backup(demo)
    other = new_database()
    store = open_store(other)
    try:
        pools.import_scenario(store.unit_of_work(), "workshop", load_scenario_file(WORKSHOP))
    finally:
        store.close()
    before = backup(other)

    with pytest.raises(BackupError, match=r"is not empty \(table '\w+' holds rows\)"):
        restore(other, document)
    with pytest.raises(BackupError, match="is not empty"):
        restore(demo, document)

    assert backup(other) == before
    assert backup(demo) == document


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "not JSON"),
        ("[]", "its format must be 'peerconomy-backup/1', got None"),
        (WORKSHOP.read_text(), "got 'peerconomy-scenario/1'"),
        ('{"format": "peerconomy-backup/1", "tables": {}}', "names no schema revision"),
        ('{"format": "peerconomy-backup/1", "revision": "x", "tables": []}',
         "'tables' must map each table to a list of rows"),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused_before_the_database_is_touched(
    new_database: Callable[[], str], tmp_path: Path, text: str, reason: str
) -> None:
    file = tmp_path / "not-a-backup.json"
    file.write_text(text, encoding="utf-8")
    target = new_database()

    with pytest.raises(BackupError, match="is not a peerconomy backup") as refused:
        restore(target, file)
    result = runner.invoke(app, ["db", "restore", "--db", target, str(file)])

    assert reason in str(refused.value)
    assert result.exit_code == 2
    assert result.stderr == f"error: {refused.value}\n"
    assert tables_of(target) == []


def test_a_backup_of_another_schema_revision_is_refused(
    demo: str, new_database: Callable[[], str]
) -> None:
    document = backup(demo)
    document["revision"] = "0001_initial"
    target = new_database()

    with pytest.raises(BackupError, match="made at schema revision '0001_initial'"):
        restore(target, document)

    assert tables_of(target) == []


def mangled(document: dict[str, Any], table: str, column: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["tables"][table][-1][column] = value
    return changed


@pytest.mark.parametrize(
    ("table", "column", "value", "reason"),
    [
        ("postings", "amount", "lots", r"table 'postings', row \d+, column 'amount': not a valid"
                                       r" Decimal: 'lots'"),
        ("postings", "amount", 2.5, r"column 'amount': expected str, got 2.5"),
        ("work_logs", "hours", "4", r"column 'hours': expected float, got '4'"),
        ("members", "exempt", 0, r"column 'exempt': expected bool, got 0"),
        ("users", "created_at", "yesterday", r"column 'created_at': not a valid datetime"),
        ("offers", "colour", "red", r"table 'offers', row \d+: no column 'colour'"),
        ("work_logs", "period", 99, r"does not fit the schema"),  # no such period
        ("pools", "max_weight", None, r"does not fit the schema"),  # NOT NULL
    ],
)
def test_a_backup_with_a_bad_row_is_refused_whole(
    demo: str, new_database: Callable[[], str], table: str, column: str, value: Any,
    reason: str,
) -> None:
    target = new_database()

    with pytest.raises(BackupError, match=reason):
        restore(target, mangled(backup(demo), table, column, value))

    assert tables_of(target) == []  # not even the schema: it was made in the same transaction


def test_a_backup_whose_books_do_not_balance_is_refused_whole(
    demo: str, new_database: Callable[[], str]
) -> None:
    """A posting raised by 1000 hours by hand: every row fits the schema, but the books would
    no longer sum to zero, so nothing is restored."""
    document = backup(demo)
    posting = document["tables"]["postings"][-1]
    raised = Decimal(posting["amount"]) + 1000
    tampered = mangled(document, "postings", "amount", f"{raised:.6f}")
    target = new_database()

    with pytest.raises(BackupError, match=(
        r"the books of pool 'demo' do not balance: the postings of transaction '[^']+' sum to"
        r" 1000.000000, not 0")):
        restore(target, tampered)

    assert tables_of(target) == []
    restore(target, document)  # the untouched backup restores


def test_a_backup_with_a_table_of_another_schema_is_refused(
    demo: str, new_database: Callable[[], str]
) -> None:
    document = backup(demo)
    document["tables"]["invoices"] = []
    target = new_database()

    with pytest.raises(BackupError, match="a table this schema does not have: 'invoices'"):
        restore(target, document)


def test_a_database_without_the_schema_is_not_backed_up(
    new_database: Callable[[], str], tmp_path: Path
) -> None:
    target = new_database()

    with pytest.raises(BackupError, match="has no peerconomy schema"):
        backup(target)
    result = runner.invoke(app, ["db", "backup", "--db", target, "-o", str(tmp_path / "b")])

    assert result.exit_code == 2
    assert "has no peerconomy schema" in result.stderr
    assert not (tmp_path / "b").exists()


def test_a_restore_into_a_database_of_another_application_is_refused(
    new_database: Callable[[], str]
) -> None:
    target = new_database()
    engine = sa.create_engine(target)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE notes (body TEXT)"))
    finally:
        engine.dispose()

    with pytest.raises(BackupError, match="holds tables but no peerconomy schema"):
        restore(target, {"format": FORMAT, "revision": head_revision(), "tables": {}})

    assert tables_of(target) == ["notes"]


def test_an_upgraded_empty_database_takes_a_restore(
    demo: str, new_database: Callable[[], str]
) -> None:
    document = backup(demo)
    target = new_database()
    open_store(target).close()  # the schema, no rows

    restore(target, document)

    assert backup(target) == document


# --- values --------------------------------------------------------------------------------


def test_every_kind_of_value_round_trips_exactly(tmp_path: Path) -> None:
    kinds = sa.MetaData()
    odd = sa.Table(
        "odd", kinds,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("blob", sa.LargeBinary),
        sa.Column("price", sa.Numeric(12, 4)),
        sa.Column("doc", sa.JSON),
        sa.Column("at", sa.DateTime),
        sa.Column("day", sa.Date),
        sa.Column("clock", sa.Time),
        sa.Column("ratio", sa.Double),
        sa.Column("flag", sa.Boolean),
        sa.Column("note", sa.Text),
    )
    rows = [
        {"id": 2, "blob": b"\x00\xff peer", "price": Decimal("12.3400"),
         "doc": {"b": [1, 2.5, None], "a": "x"}, "at": datetime(2026, 2, 3, 4, 5, 6, 789),
         "day": date(2026, 2, 3), "clock": time(23, 59, 1), "ratio": 0.1 + 0.2,
         "flag": False, "note": "ünïcode\n"},
        {"id": 1, "blob": None, "price": None, "doc": None, "at": None, "day": None,
         "clock": None, "ratio": None, "flag": None, "note": None},
    ]
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'odd.sqlite3'}")
    try:
        kinds.create_all(engine)
        with engine.begin() as connection:
            connection.execute(sa.insert(odd), rows)
            written = backup_module._rows_of(connection, odd)
            text = json.dumps(written)
            read = backup_module._decoded({"odd": json.loads(text)}, [odd], "test")["odd"]
    finally:
        engine.dispose()

    assert [r["id"] for r in written] == [1, 2]  # in the order of the primary key
    assert written[1]["blob"] == "AP8gcGVlcg==" and written[1]["price"] == "12.3400"
    assert read == sorted(rows, key=lambda r: r["id"])


def test_a_row_that_another_refers_to_goes_in_first() -> None:
    table = metadata.tables["transactions"]
    rows = [
        {"pool": "p", "id": "a-undo-undo", "reverses": "a-undo"},
        {"pool": "p", "id": "b", "reverses": None},
        {"pool": "p", "id": "a-undo", "reverses": "a"},
        {"pool": "p", "id": "a", "reverses": None},
    ]

    ordered = backup_module._in_reference_order(table, rows)

    assert [r["id"] for r in ordered] == ["a", "a-undo", "a-undo-undo", "b"]
