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

Numbers stored before the bounds of :mod:`peerconomy.domain.bounds` held are brought within
them, so that every pool can still be read and cleared (a task's ``fixed_hours`` of 1e308
once froze a pool): hours above 10,000 (tasks' fixed hours, members' capacities, the offers
of periods not yet cleared) become 10,000, offers' ``min_weight`` above 1,000 becomes 1,000,
a pool's ``max_weight`` is brought to 1 .. 1,000, wish quantities of periods not yet cleared
above 100,000 become 100,000. The migration logs each change it made (a warning naming the
table and the rows changed); plans and books are never changed.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
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


_OPEN = ("SELECT number FROM periods WHERE periods.pool = {t}.pool"
         " AND state IN ('open', 'collecting')")
_CLAMPS = (
    ("tasks", "fixed_hours", "fixed_hours > 10000", "10000", ""),
    ("members", "capacity", "capacity > 10000", "10000", ""),
    ("offers", "hours", "hours > 10000", "10000", f" AND period IN ({_OPEN.format(t='offers')})"),
    ("offers", "min_weight", "min_weight > 1000", "1000",
     f" AND period IN ({_OPEN.format(t='offers')})"),
    ("pools", "max_weight", "max_weight > 1000", "1000", ""),
    ("pools", "max_weight", "max_weight < 1", "1", ""),
    ("wishes", "quantity", "quantity > 100000", "100000",
     f" AND period IN ({_OPEN.format(t='wishes')})"),
)


def _within_bounds() -> None:
    """Bring stored numbers within the bounds, logging each change."""
    log = logging.getLogger("alembic.runtime.migration")
    bind = op.get_bind()
    for table, column, beyond, bound, where in _CLAMPS:
        changed = bind.execute(
            sa.text(f"UPDATE {table} SET {column} = {bound} WHERE {beyond}{where}")).rowcount
        if changed:
            log.warning("0010: %d rows of %s had %s beyond its bound; set to %s",
                        changed, table, column, bound)


def upgrade() -> None:
    with op.batch_alter_table("goods") as batch:
        batch.add_column(sa.Column("limit", sa.Integer(), nullable=True))
    _within_bounds()
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
