"""Goods gain ``limit``, and a cleared plan may be discarded by reopening its period.

``goods.limit``: the most units one participant may receive of a good in a period (NULL: the
model's default, 1 for a ``flat_rate`` good, no limit for the others). Stored wishes that ask
for more than the limits allow are not changed: the clearing gives no participant more than a
limit, whatever a wish asks for.

Plans stay append-only but for one step: a coordinator's *reopen* of a cleared period on which
no work is logged deletes its plan and assignments (a plan with a non-finite number, or one
made from wrong input, must not freeze the pool). The triggers of migration 0001 that refuse
any DELETE on ``plans`` and ``assignments`` are replaced by ones that allow exactly that
DELETE: of a period that is still ``cleared`` and has no work logged.

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLAN = "a cleared plan is never changed: plans are append-only"
REFUSE = "peerconomy_refuse_change"  # migration 0001's function
REOPEN = "peerconomy_refuse_unless_reopened"
PLAN_TABLES = ("plans", "assignments")
_REOPENABLE = (
    "EXISTS (SELECT 1 FROM periods WHERE periods.pool = OLD.pool"
    " AND periods.number = OLD.period AND periods.state = 'cleared')"
    " AND NOT EXISTS (SELECT 1 FROM work_logs WHERE work_logs.pool = OLD.pool"
    " AND work_logs.period = OLD.period)"
)


def upgrade() -> None:
    with op.batch_alter_table("goods") as batch:
        batch.add_column(sa.Column("limit", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION {REOPEN}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND {_REOPENABLE} THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        for table in PLAN_TABLES:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION {REOPEN}('{PLAN}')"
            )
    else:
        for table in PLAN_TABLES:
            op.execute(f"DROP TRIGGER {table}_no_delete")
            op.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}"
                f" WHEN NOT ({_REOPENABLE})"
                f" BEGIN SELECT RAISE(ABORT, '{PLAN}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in PLAN_TABLES:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION {REFUSE}('{PLAN}')"
            )
        op.execute(f"DROP FUNCTION {REOPEN}()")
    else:
        for table in PLAN_TABLES:
            op.execute(f"DROP TRIGGER {table}_no_delete")
            op.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}"
                f" BEGIN SELECT RAISE(ABORT, '{PLAN}'); END"
            )
    with op.batch_alter_table("goods") as batch:
        batch.drop_column("limit")
