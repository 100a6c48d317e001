"""Reminders: ``reminders_sent``, one row per reminder mailed (its kind, pool, member and
subject: a period's number, a day, a shift's id), whose primary key makes each reminder go
out once however many schedulers claim it at once; and an index on ``work_logs`` (status,
logged_at) that finds the logs waiting long for confirmation. Opting out of a reminder uses
``mail_turned_off`` as every other notice does: nothing to add there.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminders_sent",
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("pool", sa.Text(), nullable=False),
        sa.Column("member", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "pool", "member", "subject", name="pk_reminders_sent"),
        sa.ForeignKeyConstraint(["pool"], ["pools.name"], name="fk_reminders_sent_pool"),
    )
    op.create_index("ix_reminders_sent_pool_kind_sent_at", "reminders_sent",
                    ["pool", "kind", "sent_at"])
    op.create_index("ix_work_logs_status_logged_at", "work_logs", ["status", "logged_at"])


def downgrade() -> None:
    op.drop_index("ix_work_logs_status_logged_at", table_name="work_logs")
    op.drop_index("ix_reminders_sent_pool_kind_sent_at", table_name="reminders_sent")
    op.drop_table("reminders_sent")
