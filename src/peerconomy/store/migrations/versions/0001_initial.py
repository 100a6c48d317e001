"""The pool store: pools, their projects, members, tasks and goods; periods with their offers,
wishes, plans, assignments and work logs; the append-only journal.

Written out table by table (not ``metadata.create_all``), so that this revision stays what it
is when :mod:`peerconomy.store.tables` moves on (see there why JSON is kept as text and why
offers, wishes and assignments have no foreign keys). Plans, assignments, transactions and
postings are append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL),
so not even a hand-typed SQL statement can rewrite the books.

Revision ID: 0001
Revises:
Create Date: 2026-07-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEDGER = "the ledger is append-only: add a reversing entry instead"
PLAN = "a cleared plan is never changed: plans are append-only"
APPEND_ONLY = {"plans": PLAN, "assignments": PLAN, "transactions": LEDGER, "postings": LEDGER}
REFUSE = "peerconomy_refuse_change"


def _pool() -> sa.Column[str]:
    return sa.Column("pool", sa.Text(), nullable=False)


def _period() -> sa.Column[int]:
    return sa.Column("period", sa.Integer(), nullable=False)


def _position() -> sa.Column[int]:
    return sa.Column("position", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "pools",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("max_weight", sa.Double(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("communal_validation", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_pools"),
    )
    op.create_table(
        "projects",
        _pool(),
        sa.Column("id", sa.Text(), nullable=False),
        _position(),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("forked_from", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("pool", "id", name="pk_projects"),
        sa.UniqueConstraint("pool", "position", name="uq_projects_pool_position"),
        sa.ForeignKeyConstraint(["pool"], ["pools.name"], name="fk_projects_pool"),
    )
    op.create_table(
        "members",
        _pool(),
        sa.Column("id", sa.Text(), nullable=False),
        _position(),
        sa.Column("capacity", sa.Double(), nullable=True),
        sa.Column("exempt", sa.Boolean(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("pool", "id", name="pk_members"),
        sa.UniqueConstraint("pool", "position", name="uq_members_pool_position"),
        sa.ForeignKeyConstraint(["pool"], ["pools.name"], name="fk_members_pool"),
    )
    op.create_table(
        "tasks",
        _pool(),
        sa.Column("id", sa.Text(), nullable=False),
        _position(),
        sa.Column("project", sa.Text(), nullable=False),
        sa.Column("fixed_hours", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("pool", "id", name="pk_tasks"),
        sa.UniqueConstraint("pool", "position", name="uq_tasks_pool_position"),
        sa.ForeignKeyConstraint(
            ["pool", "project"], ["projects.pool", "projects.id"], name="fk_tasks_pool_project"
        ),
    )
    op.create_table(
        "goods",
        _pool(),
        sa.Column("id", sa.Text(), nullable=False),
        _position(),
        sa.Column("project", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("recipe", sa.Text(), nullable=False),
        sa.Column("product_type", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("pool", "id", name="pk_goods"),
        sa.UniqueConstraint("pool", "position", name="uq_goods_pool_position"),
        sa.ForeignKeyConstraint(
            ["pool", "project"], ["projects.pool", "projects.id"], name="fk_goods_pool_project"
        ),
    )
    op.create_table(
        "periods",
        _pool(),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("weight_estimates", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pool", "number", name="pk_periods"),
        sa.ForeignKeyConstraint(["pool"], ["pools.name"], name="fk_periods_pool"),
    )
    op.create_table(
        "offers",
        _pool(),
        _period(),
        sa.Column("participant", sa.Text(), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        _position(),
        sa.Column("hours", sa.Double(), nullable=False),
        sa.Column("min_weight", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("pool", "period", "participant", "task", name="pk_offers"),
        sa.UniqueConstraint("pool", "period", "position", name="uq_offers_pool_period_position"),
    )
    op.create_table(
        "wishes",
        _pool(),
        _period(),
        sa.Column("id", sa.Text(), nullable=False),
        _position(),
        sa.Column("participant", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("alternatives", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pool", "period", "id", name="pk_wishes"),
        sa.UniqueConstraint("pool", "period", "position", name="uq_wishes_pool_period_position"),
    )
    op.create_table(
        "plans",
        _pool(),
        _period(),
        sa.Column("input_hash", sa.Text(), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pool", "period", name="pk_plans"),
        sa.ForeignKeyConstraint(
            ["pool", "period"], ["periods.pool", "periods.number"], name="fk_plans_pool_period"
        ),
    )
    op.create_table(
        "assignments",
        _pool(),
        _period(),
        _position(),
        sa.Column("participant", sa.Text(), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("hours", sa.Double(), nullable=False),
        sa.Column("weight", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("pool", "period", "position", name="pk_assignments"),
    )
    op.create_table(
        "work_logs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _pool(),
        _period(),
        sa.Column("participant", sa.Text(), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("hours", sa.Double(), nullable=False),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned", sa.Boolean(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("confirmed_by", sa.Text(), nullable=True),
        sa.Column("accepted_by", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_work_logs"),
        sa.ForeignKeyConstraint(
            ["pool", "period"], ["periods.pool", "periods.number"], name="fk_work_logs_pool_period"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_work_logs_pool_period", "work_logs", ["pool", "period"])
    op.create_table(
        "transactions",
        _pool(),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("narration", sa.Text(), nullable=False),
        sa.Column("reverses", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("pool", "id", name="pk_transactions"),
        sa.UniqueConstraint("pool", "seq", name="uq_transactions_pool_seq"),
        sa.ForeignKeyConstraint(["pool"], ["pools.name"], name="fk_transactions_pool"),
        sa.ForeignKeyConstraint(
            ["pool", "reverses"],
            ["transactions.pool", "transactions.id"],
            name="fk_transactions_pool_reverses",
        ),
    )
    op.create_table(
        "postings",
        _pool(),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.Text(), nullable=False),
        sa.Column("account", sa.Text(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("pool", "seq", name="pk_postings"),
        sa.ForeignKeyConstraint(
            ["pool", "transaction_id"],
            ["transactions.pool", "transactions.id"],
            name="fk_postings_pool_transaction_id",
        ),
    )
    op.create_index("ix_postings_pool_transaction_id", "postings", ["pool", "transaction_id"])
    _append_only()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute(f"DROP FUNCTION {REFUSE}()")
    else:
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(f"DROP TRIGGER {table}_no_delete")
    op.drop_index("ix_postings_pool_transaction_id", table_name="postings")
    op.drop_table("postings")
    op.drop_table("transactions")
    op.drop_index("ix_work_logs_pool_period", table_name="work_logs")
    for table in ("work_logs", "assignments", "plans", "wishes", "offers", "periods", "goods"):
        op.drop_table(table)
    for table in ("tasks", "members", "projects", "pools"):
        op.drop_table(table)


def _append_only() -> None:
    """Triggers that refuse to change or delete rows of the append-only tables."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION {REFUSE}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        for table, message in APPEND_ONLY.items():
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION {REFUSE}('{message}')"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {REFUSE}('{message}')"
            )
    else:
        for table, message in APPEND_ONLY.items():
            for action in ("update", "delete"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table}"
                    f" BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )
