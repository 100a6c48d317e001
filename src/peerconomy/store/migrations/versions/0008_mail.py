"""Mail that arrives: the outbox (mail queued in the transaction of the step that caused it,
sent by the server with retries), the pool notices each user has turned off, and when a
user's email was verified.

Accounts made before this revision count as verified (they have been getting notices).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("users") as users:
        users.add_column(_time("email_verified_at", nullable=True))
    op.execute("UPDATE users SET email_verified_at = created_at")
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("notice", sa.Text(), nullable=False),
        _time("created_at"),
        _time("next_try_at"),
        sa.Column("tries", sa.Integer(), nullable=False),
        _time("sent_at", nullable=True),
        _time("failed_at", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_sent_at_failed_at_next_try_at", "outbox",
                    ["sent_at", "failed_at", "next_try_at"])
    op.create_table(
        "mail_turned_off",
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("pool", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("user_name", "pool", "kind", name="pk_mail_turned_off"),
        sa.ForeignKeyConstraint(["user_name"], ["users.name"],
                                name="fk_mail_turned_off_user_name"),
    )


def downgrade() -> None:
    op.drop_table("mail_turned_off")
    op.drop_index("ix_outbox_sent_at_failed_at_next_try_at", table_name="outbox")
    op.drop_table("outbox")
    with op.batch_alter_table("users") as users:
        users.drop_column("email_verified_at")
