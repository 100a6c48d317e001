"""The SQL schema of a pool store, as SQLAlchemy Core tables (no ORM).

Core, because a pool of 100,000 offers and wishes must load and insert in a fraction of a
second: the adapter (:mod:`peerconomy.store.sql`) reads rows into the scenario's value
objects in bulk and writes them with ``executemany`` (or ``COPY`` on PostgreSQL).

The pool's name is the key of everything (text, as the user typed it). Lists come back in
the order their items were first added, so every table whose rows form a list has a
``position`` column (numbered per pool, or per pool and period); replacing a row keeps its
position.

What is nested (a good's recipe, a wish's alternatives, a period's weight estimates, a whole
plan) is kept as JSON text: the adapter encodes and decodes it in bulk (pydantic's JSON, in
Rust) where SQLAlchemy's JSON type would go row by row, floats and key order come back
exactly (PostgreSQL's ``jsonb`` would reorder keys), and a plan reads as it was written.

Foreign keys tie pools, projects, members, tasks, goods, periods, plans, work logs and the
journal together, and users to their API tokens, invitations and requests to join. A member
is not tied to a user (a user's name is their member id in every pool they join): a pool
imported from a scenario has members who never sign in. The bulk tables (offers, wishes,
assignments) have no foreign keys at all: on PostgreSQL every foreign key costs a locking
lookup per row, which for 50,000 offers takes longer than the rest of the insert; the
services check those references before they write.

Amounts in the books are exact: :class:`MicroHours` stores a :class:`~decimal.Decimal` as
an integer count of micro-hours, which SQLite and PostgreSQL both add up exactly. Times are
timezone-aware and stored in UTC (:class:`UtcDateTime`).

The schema itself is made by the Alembic migrations in ``migrations/versions`` (written out
by hand, table by table); a test checks that they and these tables agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Double,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    false,
)

from peerconomy.ledger.journal import QUANTUM

__all__ = [
    "NAMING_CONVENTION",
    "MicroHours",
    "UtcDateTime",
    "api_tokens",
    "assignments",
    "audit_log",
    "calendar_keys",
    "from_micro",
    "goods",
    "holdings",
    "idempotency_keys",
    "invitations",
    "join_requests",
    "mail_turned_off",
    "members",
    "metadata",
    "offers",
    "outbox",
    "periods",
    "pickup_points",
    "plans",
    "pools",
    "postings",
    "projects",
    "reminders_sent",
    "tasks",
    "to_micro",
    "transactions",
    "users",
    "utc",
    "wishes",
    "withdrawn_plans",
    "work_logs",
]


def to_micro(amount: Decimal) -> int:
    """An amount of hours as an integer count of micro-hours (it must be on the quantum)."""
    micro = amount.scaleb(6)
    if micro != micro.to_integral_value():
        raise ValueError(f"amount {amount} is finer than {QUANTUM}")
    return int(micro)


_ZERO: Final = Decimal("0.000000")


def from_micro(micro: int) -> Decimal:
    """Micro-hours back as hours with six places: ``2500000`` is ``Decimal('2.500000')``."""
    return Decimal(micro).scaleb(-6) if micro else _ZERO


def utc(moment: datetime) -> datetime:
    """A timezone-aware moment in UTC; a naive one is refused (its zone is unknown)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a stored time must be timezone-aware, got {moment.isoformat()}")
    return moment.astimezone(UTC)


class MicroHours(TypeDecorator[Decimal]):
    """A :class:`~decimal.Decimal` amount of hours kept as a BIGINT of micro-hours."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        return None if value is None else to_micro(value)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else from_micro(int(value))


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, stored in UTC (SQLite keeps no zone: it is always UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


NAMING_CONVENTION: Final = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
}
"""Constraint names, the same on every database (the migrations spell them out)."""

metadata: Final = MetaData(naming_convention=NAMING_CONVENTION)


def _pool() -> Column[str]:
    return Column("pool", Text, nullable=False)


def _period() -> Column[int]:
    return Column("period", Integer, nullable=False)


def _position() -> Column[int]:
    """The row's place in its list: 1, 2, ... in the order rows were first added."""
    return Column("position", Integer, nullable=False)


def _version() -> Column[int]:
    """How many times the row was changed, from 1: an edit made from an older version is
    refused (optimistic locking, migration 0005)."""
    return Column("version", Integer, nullable=False, server_default="1")


def _of_pool() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["pool"], ["pools.name"])


def _of_period() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["pool", "period"], ["periods.pool", "periods.number"])


pools: Final = Table(
    "pools",
    metadata,
    Column("name", Text, primary_key=True),
    Column("max_weight", Double, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("communal_validation", Boolean, nullable=False),
    Column("admission", Text, nullable=False, server_default="approval"),
    Column("public", Boolean, nullable=False, server_default=false()),
    _version(),
    Column("period_count", Integer),  # a dated period's length: count and unit; NULL: undated
    Column("period_unit", Text),  # days, weeks or months
    Column("close_days", Integer, nullable=False, server_default="2"),
    Column("close_time", Time, nullable=False, server_default="18:00:00"),
    Column("time_zone", Text, nullable=False, server_default="UTC"),
    Column("auto_clear", Boolean, nullable=False, server_default=false()),
    Column("display_name", Text),
    Column("description", Text),
)
"""A pool and its settings (``admission``: ``open`` or ``approval``; the calendar: the
periods' length, offers closing ``close_days`` before a period's last day at ``close_time``
in ``time_zone``, and whether a period clears itself then, migration 0015), and what people
read for it (NULL: no display name, no description; migration 0018)."""

projects: Final = Table(
    "projects",
    metadata,
    _pool(),
    Column("id", Text, nullable=False),
    _position(),
    Column("active", Boolean, nullable=False),
    Column("forked_from", Text),
    _version(),
    Column("name", Text),  # what people read (NULL: the id)
    Column("description", Text),
    PrimaryKeyConstraint("pool", "id"),
    UniqueConstraint("pool", "position"),
    _of_pool(),
)

members: Final = Table(
    "members",
    metadata,
    _pool(),
    Column("id", Text, nullable=False),
    _position(),
    Column("capacity", Double),
    Column("exempt", Boolean, nullable=False),
    Column("role", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    _version(),
    Column("account", Text),
    Column("display_name", Text, nullable=False, server_default=""),
    Column("email", Text),
    Column("phone", Text),
    Column("contact_visible", Boolean, nullable=False, server_default=false()),
    Column("pickup_point", Text),
    PrimaryKeyConstraint("pool", "id"),
    UniqueConstraint("pool", "position"),
    Index(None, "id"),
    Index("ix_members_account", "account"),
    Index("ux_members_pool_account", "pool", "account", unique=True),
    _of_pool(),
)
"""A pool's members; ``account`` is the user who claimed the member (NULL: nobody yet), at
most one member per account and pool; its index finds a user's memberships across pools.
``pickup_point`` is the id of the pick-up point they chose (NULL: none; migration 0016: the
services check it names one of the pool's active points)."""

pickup_points: Final = Table(
    "pickup_points",
    metadata,
    _pool(),
    Column("id", Text, nullable=False),
    _position(),
    Column("name", Text, nullable=False),
    Column("address", Text, nullable=False, server_default=""),
    Column("opening_times", Text, nullable=False, server_default=""),
    Column("active", Boolean, nullable=False),
    _version(),
    PrimaryKeyConstraint("pool", "id"),
    UniqueConstraint("pool", "position"),
    _of_pool(),
)
"""A pool's pick-up points, in the order they were added; ``active`` false: retired
(migration 0016)."""

tasks: Final = Table(
    "tasks",
    metadata,
    _pool(),
    Column("id", Text, nullable=False),
    _position(),
    Column("project", Text, nullable=False),
    Column("fixed_hours", Double, nullable=False),
    Column("name", Text),  # what people read (NULL: the id)
    Column("description", Text),
    Column("place", Text),
    Column("contact", Text),  # a member's participant id
    PrimaryKeyConstraint("pool", "id"),
    UniqueConstraint("pool", "position"),
    ForeignKeyConstraint(["pool", "project"], ["projects.pool", "projects.id"]),
)

goods: Final = Table(
    "goods",
    metadata,
    _pool(),
    Column("id", Text, nullable=False),
    _position(),
    Column("project", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("capacity", Integer),
    Column("recipe", Text, nullable=False),  # JSON object
    Column("product_type", Text),
    Column("limit", Integer),  # units per participant and period; NULL: the model's default
    Column("tenure", Integer, nullable=False, server_default="1"),  # periods a unit is held
    Column("name", Text),  # what people read (NULL: the id)
    Column("description", Text),
    PrimaryKeyConstraint("pool", "id"),
    UniqueConstraint("pool", "position"),
    ForeignKeyConstraint(["pool", "project"], ["projects.pool", "projects.id"]),
)

periods: Final = Table(
    "periods",
    metadata,
    _pool(),
    Column("number", Integer, nullable=False),
    Column("state", Text, nullable=False),
    Column("weight_estimates", Text, nullable=False),  # JSON object
    Column("starts_on", Date),  # the period's first and last day; NULL: undated
    Column("ends_on", Date),
    Column("collect_until", UtcDateTime),  # offers and wishes close; NULL: at the clearing
    PrimaryKeyConstraint("pool", "number"),
    Index("ix_periods_collect_until", "collect_until"),
    _of_pool(),
)
"""A pool's periods, with their dates where the pool's periods are dated (migration 0015);
the index finds the periods whose offers have closed (the scheduler's deadline clears)."""

offers: Final = Table(
    "offers",
    metadata,
    _pool(),
    _period(),
    Column("participant", Text, nullable=False),
    Column("task", Text, nullable=False),
    _position(),
    Column("hours", Double, nullable=False),
    Column("min_weight", Double, nullable=False),
    PrimaryKeyConstraint("pool", "period", "participant", "task"),
    UniqueConstraint("pool", "period", "position"),
)

wishes: Final = Table(
    "wishes",
    metadata,
    _pool(),
    _period(),
    Column("id", Text, nullable=False),
    _position(),
    Column("participant", Text, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("alternatives", Text, nullable=False),  # JSON list
    Column("term", Integer, nullable=True),  # a subscription's periods; NULL: no term
    Column("periods_left", Integer, nullable=True),  # of a subscription, this one included
    PrimaryKeyConstraint("pool", "period", "id"),
    UniqueConstraint("pool", "period", "position"),
)

plans: Final = Table(
    "plans",
    metadata,
    _pool(),
    _period(),
    Column("input_hash", Text, nullable=False),
    Column("cleared_at", UtcDateTime, nullable=False),
    Column("data", Text, nullable=False),  # JSON object
    PrimaryKeyConstraint("pool", "period"),
    _of_period(),
)
"""One plan per period, never changed (the migration's triggers refuse UPDATE and DELETE, as
they do on ``assignments``, ``transactions`` and ``postings``).
``data`` is the plan's JSON text."""

withdrawn_plans: Final = Table(
    "withdrawn_plans",
    metadata,
    _pool(),
    _period(),
    Column("seq", Integer, nullable=False),
    Column("input_hash", Text, nullable=False),
    Column("cleared_at", UtcDateTime, nullable=False),
    Column("withdrawn_at", UtcDateTime, nullable=False),
    Column("withdrawn_by", Text),
    Column("data", Text, nullable=False),  # JSON object
    PrimaryKeyConstraint("pool", "period", "seq"),
    _of_period(),
)
"""The plans withdrawn by reopening their period, kept as they were cleared (``seq``: 1, 2, ...
in the order withdrawn within the period; ``withdrawn_by``: None for the operator's command
line). Append-only like ``plans``: the migration's triggers refuse DELETE and every UPDATE but
a rename to a pseudonym (migration 0014)."""

assignments: Final = Table(
    "assignments",
    metadata,
    _pool(),
    _period(),
    _position(),
    Column("participant", Text, nullable=False),
    Column("task", Text, nullable=False),
    Column("hours", Double, nullable=False),
    Column("weight", Double, nullable=False),
    PrimaryKeyConstraint("pool", "period", "position"),
)
"""The plan's assignments with their tasks' weights, written with the plan (a query's view
of ``plans.data``: who does what, at which weight)."""

work_logs: Final = Table(
    "work_logs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _pool(),
    _period(),
    Column("participant", Text, nullable=False),
    Column("task", Text, nullable=False),
    Column("hours", Double, nullable=False),
    Column("logged_at", UtcDateTime, nullable=False),
    Column("assigned", Boolean, nullable=False),
    Column("status", Text, nullable=False),
    Column("confirmed_by", Text),
    Column("accepted_by", Text),
    Column("logged_by", Text),
    Column("worked_on", Date),  # migration 0022: the day the work was done (None before)
    Column("note", Text, nullable=False, server_default=""),
    Column("shift", Integer),  # the shift it was logged from, if any
    Index(None, "pool", "period"),
    Index(None, "status", "logged_at"),
    _of_period(),
    ForeignKeyConstraint(["pool", "shift"], ["shifts.pool", "shifts.id"]),
    UniqueConstraint("pool", "participant", "shift"),  # one log per person and shift
    sqlite_autoincrement=True,
)
"""Work logged against a period's plan; the index on ``status`` and ``logged_at`` finds the
logs that have waited long for confirmation (the reminders, migration 0019)."""

holdings: Final = Table(
    "holdings",
    metadata,
    _pool(),
    Column("id", Integer, nullable=False),
    Column("participant", Text, nullable=False),
    Column("good", Text, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("premium", Double, nullable=False),
    Column("won_in", Integer, nullable=False),
    Column("periods_left", Integer, nullable=False),
    Column("notice_given", Boolean, nullable=False, server_default=false()),
    PrimaryKeyConstraint("pool", "id"),
    ForeignKeyConstraint(["pool", "good"], ["goods.pool", "goods.id"]),
)
"""Units of goods that last, won in period ``won_in`` and held for ``periods_left`` periods,
the current one included, at the ``premium`` per unit locked then (migration 0012)."""

shifts: Final = Table(
    "shifts",
    metadata,
    _pool(),
    Column("id", Integer, nullable=False),  # numbered per pool, from 1
    Column("task", Text, nullable=False),
    Column("day", Date, nullable=False),
    Column("start_time", Time, nullable=False),  # local times in the pool's time zone; an
    Column("end_time", Time, nullable=False),  # end at or before the start: the next day
    Column("place", Text, nullable=False, server_default=""),
    Column("slots", Integer, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("cancelled", Boolean, nullable=False, server_default=false()),
    PrimaryKeyConstraint("pool", "id"),
    ForeignKeyConstraint(["pool", "task"], ["tasks.pool", "tasks.id"]),
    Index("ix_shifts_pool_day", "pool", "day"),
)
"""A task's shifts: a day, a start and an end, a place and the people it takes
(migration 0017)."""

offer_shifts: Final = Table(
    "offer_shifts",
    metadata,
    _pool(),
    _period(),
    Column("participant", Text, nullable=False),
    Column("task", Text, nullable=False),
    Column("shift", Integer, nullable=False),
    PrimaryKeyConstraint("pool", "period", "participant", "task", "shift"),
    ForeignKeyConstraint(["pool", "shift"], ["shifts.pool", "shifts.id"]),
)
"""The shifts an offer names as the ones its participant can do (an offer with no rows here:
any of its task's shifts; migration 0017)."""

shift_placements: Final = Table(
    "shift_placements",
    metadata,
    _pool(),
    _period(),
    Column("shift", Integer, nullable=False),
    Column("participant", Text, nullable=False),
    PrimaryKeyConstraint("pool", "period", "shift", "participant"),
    ForeignKeyConstraint(["pool", "shift"], ["shifts.pool", "shifts.id"]),
    _of_period(),
)
"""Who a cleared period's plan placed on which shift, written with the plan and withdrawn
with it (migration 0017)."""

shift_swaps: Final = Table(
    "shift_swaps",
    metadata,
    _pool(),
    Column("id", Integer, nullable=False),  # numbered per pool, from 1
    _period(),
    Column("proposer", Text, nullable=False),
    Column("shift", Integer, nullable=False),
    Column("recipient", Text, nullable=False),
    Column("their_shift", Integer),  # null: the shift is offered outright
    Column("state", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("decided_at", UtcDateTime),
    PrimaryKeyConstraint("pool", "id"),
    ForeignKeyConstraint(["pool", "shift"], ["shifts.pool", "shifts.id"]),
    _of_period(),
)
"""Members' proposals to swap a shift, or hand it to another member (migration 0021)."""

project_follows: Final = Table(
    "project_follows",
    metadata,
    _pool(),
    Column("project", Text, nullable=False),
    Column("participant", Text, nullable=False),
    PrimaryKeyConstraint("pool", "project", "participant"),
    ForeignKeyConstraint(["pool", "project"], ["projects.pool", "projects.id"]),
)
"""The members who follow a project to hear of its new open slots (migration 0021)."""

transactions: Final = Table(
    "transactions",
    metadata,
    _pool(),
    Column("id", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("period", Integer, nullable=False),
    Column("date", Date, nullable=False),
    Column("kind", Text, nullable=False),
    Column("narration", Text, nullable=False),
    Column("reverses", Text),
    PrimaryKeyConstraint("pool", "id"),
    UniqueConstraint("pool", "seq"),
    _of_pool(),
    ForeignKeyConstraint(["pool", "reverses"], ["transactions.pool", "transactions.id"]),
)
"""The journal, append-only; ``seq`` numbers a pool's transactions in the order written."""

postings: Final = Table(
    "postings",
    metadata,
    _pool(),
    Column("seq", Integer, nullable=False),
    Column("transaction_id", Text, nullable=False),
    Column("account", Text, nullable=False),
    Column("amount", MicroHours, nullable=False),
    PrimaryKeyConstraint("pool", "seq"),
    Index(None, "pool", "transaction_id"),
    ForeignKeyConstraint(["pool", "transaction_id"], ["transactions.pool", "transactions.id"]),
)
"""Postings, append-only; ``seq`` numbers a pool's postings in the order written."""

users: Final = Table(
    "users",
    metadata,
    Column("name", Text, primary_key=True),
    Column("email", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("display_name", Text, nullable=False),
    Column("site_admin", Boolean, nullable=False),
    Column("locale", Text),
    Column("disabled", Boolean, nullable=False, server_default=false()),
    Column("email_verified_at", UtcDateTime),
    Index(None, "email", unique=True),
)
"""People who can sign in; ``email`` is unique (the services keep it lower-case)."""

api_tokens: Final = Table(
    "api_tokens",
    metadata,
    Column("id", Text, primary_key=True),
    Column("user_name", Text, nullable=False),
    _position(),
    Column("label", Text, nullable=False),
    Column("secret_hash", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("scope", Text, nullable=False),
    UniqueConstraint("user_name", "position"),
    ForeignKeyConstraint(["user_name"], ["users.name"]),
)
"""API tokens, numbered per user, each with its expiry and scope (``read`` or ``write``).
The owner's column is ``user_name`` here and in ``join_requests``, not ``user``: PostgreSQL
reserves ``user`` (unquoted, it is the role the session runs as), which a hand-typed query
would trip over."""

invitations: Final = Table(
    "invitations",
    metadata,
    Column("id", Text, primary_key=True),
    _pool(),
    _position(),
    Column("role", Text, nullable=False),
    Column("created_by", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("secret_hash", Text, nullable=False),
    Column("used_by", Text),
    Column("used_at", UtcDateTime),
    Column("member", Text),
    UniqueConstraint("pool", "position"),
    _of_pool(),
    ForeignKeyConstraint(["created_by"], ["users.name"]),
    ForeignKeyConstraint(["used_by"], ["users.name"]),
)
"""Invitations into pools, numbered per pool."""

join_requests: Final = Table(
    "join_requests",
    metadata,
    _pool(),
    Column("user_name", Text, nullable=False),
    _position(),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("status", Text, nullable=False),
    Column("decided_by", Text),
    Column("decided_at", UtcDateTime),
    PrimaryKeyConstraint("pool", "user_name"),
    UniqueConstraint("pool", "position"),
    _of_pool(),
    ForeignKeyConstraint(["user_name"], ["users.name"]),
)
"""Requests to join a pool, one per user and pool, numbered per pool (a decided request
keeps its place). ``decided_by`` has no foreign key: it names the coordinator who decided,
and a pool's coordinators are its members, who need not have accounts (a pool imported from
a scenario, run from the command line)."""

sessions: Final = Table(
    "sessions",
    metadata,
    Column("id", Text, primary_key=True),
    Column("user_name", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
    Index(None, "user_name"),
    ForeignKeyConstraint(["user_name"], ["users.name"]),
)
"""Signed-in browsers; ``id`` is the SHA-256 hash of the id their cookie carries. A user's
sessions are listed (to end them all) through the index on ``user_name``, oldest first by
``created_at``."""

sign_in_limits: Final = Table(
    "sign_in_limits",
    metadata,
    Column("key", Text, primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", UtcDateTime),
    Column("locked_until", UtcDateTime),
)
"""Failed sign-ins counted per account (``user:<name>``, or the login as typed where no
account has it) and per client address (``client:<address>``): no foreign key, since an
unknown login is counted as a known one is."""

reset_tokens: Final = Table(
    "reset_tokens",
    metadata,
    Column("id", Text, primary_key=True),
    Column("user_name", Text, nullable=False),
    Column("secret_hash", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
    ForeignKeyConstraint(["user_name"], ["users.name"]),
)
"""Password-reset links, each usable once before it expires."""

calendar_keys: Final = Table(
    "calendar_keys",
    metadata,
    Column("user_name", Text, primary_key=True),
    Column("id", Text, nullable=False, unique=True),
    Column("secret_hash", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    ForeignKeyConstraint(["user_name"], ["users.name"]),
)
"""Each account's calendar key, the secret of its calendar and feed addresses (one per
account; renewing replaces the row). An address is found by ``id`` (unique); only the
SHA-256 hash of its secret is kept."""

audit_log: Final = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", Text),
    Column("pool", Text),
    Column("action", Text, nullable=False),
    Column("subject", Text),
    Column("detail", Text, nullable=False),
    Index(None, "pool", "id"),
    sqlite_autoincrement=True,
)
"""The audit log, append-only: who (``actor``, None for the system) changed what in which
pool (None: site-wide) and when; ``detail`` is JSON text. No foreign keys: an entry names
members who need not have accounts, and outlives what it names. The migration that makes
the table also makes triggers by which both databases refuse an UPDATE or DELETE of it."""


idempotency_keys: Final = Table(
    "idempotency_keys",
    metadata,
    Column("owner", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("fingerprint", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("status", Integer),
    Column("body", LargeBinary, nullable=False),
    Column("media_type", Text),
    PrimaryKeyConstraint("owner", "key"),
)
"""Answers kept for a caller's idempotency keys (``status`` null: being handled), a day."""

outbox: Final = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recipient", Text, nullable=False),
    Column("notice", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("next_try_at", UtcDateTime, nullable=False),
    Column("tries", Integer, nullable=False),
    Column("sent_at", UtcDateTime),
    Column("failed_at", UtcDateTime),
    Column("last_error", Text, nullable=False),
    Index(None, "sent_at", "failed_at", "next_try_at"),
    sqlite_autoincrement=True,
)
"""Mail queued by the step that caused it, in its transaction, and sent by the server
(``notice``: JSON, emptied once sent or given up on)."""

mail_turned_off: Final = Table(
    "mail_turned_off",
    metadata,
    Column("user_name", Text, nullable=False),
    Column("pool", Text, nullable=False),
    Column("kind", Text, nullable=False),
    PrimaryKeyConstraint("user_name", "pool", "kind"),
    ForeignKeyConstraint(["user_name"], ["users.name"]),
)
"""The kinds of a pool's notices a user does not want (no row: they want it)."""

reminders_sent: Final = Table(
    "reminders_sent",
    metadata,
    Column("kind", Text, nullable=False),
    _pool(),
    Column("member", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("sent_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("kind", "pool", "member", "subject"),
    Index(None, "pool", "kind", "sent_at"),
    _of_pool(),
)
"""The reminders sent (:class:`~peerconomy.domain.reminders.SentReminder`): the primary key
makes each go out once, whoever claims it first (migration 0019)."""
