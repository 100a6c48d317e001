"""Withdrawn plans: reopening a cleared period keeps its plan in the period's history.

``withdrawn_plans`` holds each plan a coordinator withdrew by reopening its period, as it
was cleared (input hash, time of clearing, the plan's JSON), with when and by whom it was
withdrawn; ``seq`` numbers a period's withdrawn plans 1, 2, ... in the order withdrawn. The
reopening still deletes the row of ``plans`` and its ``assignments`` (allowed by migration
0010's triggers only while the period is cleared and has no work logged); the plan lives on
here.

The table is append-only like ``plans``: triggers refuse every DELETE (and, on PostgreSQL,
TRUNCATE) and every UPDATE but the one erasing an account allows (migration 0011): a rename
to a pseudonym, where ``input_hash`` gains the suffix ``+gone-...``, ``withdrawn_by`` stays or
becomes the pseudonym, and the keys and times stay.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "a withdrawn plan is never changed: withdrawn plans are append-only"
GUARD = "peerconomy_withdrawn_plans_guard"
REFUSE = "peerconomy_refuse_change"  # migration 0001's function
_RENAME = (
    "NEW.pool = OLD.pool AND NEW.period = OLD.period AND NEW.seq = OLD.seq"
    " AND NEW.cleared_at = OLD.cleared_at AND NEW.withdrawn_at = OLD.withdrawn_at"
    " AND NEW.input_hash LIKE OLD.input_hash || '+gone-%'"
    " AND (NEW.withdrawn_by = OLD.withdrawn_by"
    " OR (NEW.withdrawn_by IS NULL AND OLD.withdrawn_by IS NULL)"
    " OR NEW.withdrawn_by LIKE 'gone-%')"
)
"""The one UPDATE allowed: a rename to a pseudonym, nothing else changed."""


def upgrade() -> None:
    op.create_table(
        "withdrawn_plans",
        sa.Column("pool", sa.Text(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("input_hash", sa.Text(), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_by", sa.Text(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pool", "period", "seq", name="pk_withdrawn_plans"),
        sa.ForeignKeyConstraint(
            ["pool", "period"], ["periods.pool", "periods.number"],
            name="fk_withdrawn_plans_pool_period",
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION {GUARD}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND {_RENAME} THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER withdrawn_plans_append_only BEFORE UPDATE OR DELETE ON"
            f" withdrawn_plans FOR EACH ROW EXECUTE FUNCTION {GUARD}('{MESSAGE}')"
        )
        op.execute(
            "CREATE TRIGGER withdrawn_plans_no_truncate BEFORE TRUNCATE ON withdrawn_plans"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {REFUSE}('{MESSAGE}')"
        )
    else:
        op.execute(
            "CREATE TRIGGER withdrawn_plans_no_update BEFORE UPDATE ON withdrawn_plans"
            f" WHEN NOT ({_RENAME}) BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
        op.execute(
            "CREATE TRIGGER withdrawn_plans_no_delete BEFORE DELETE ON withdrawn_plans"
            f" BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER withdrawn_plans_no_truncate ON withdrawn_plans")
        op.execute("DROP TRIGGER withdrawn_plans_append_only ON withdrawn_plans")
        op.execute(f"DROP FUNCTION {GUARD}()")
    else:
        op.execute("DROP TRIGGER withdrawn_plans_no_delete")
        op.execute("DROP TRIGGER withdrawn_plans_no_update")
    op.drop_table("withdrawn_plans")
