"""Sign-in safety: server-side sessions, failed sign-ins counted per account and per client,
and one-time password-reset links.

Written out table by table, as 0001 and 0002 are. Sessions and reset links belong to users;
the counts of failed sign-ins have no foreign key (an unknown login is counted as a known
one is, so that a lockout does not reveal who has an account).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        _time("created_at"),
        _time("last_seen_at"),
        _time("expires_at"),
        _time("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.ForeignKeyConstraint(["user_name"], ["users.name"], name="fk_sessions_user_name"),
    )
    op.create_index("ix_sessions_user_name", "sessions", ["user_name"])
    op.create_table(
        "sign_in_limits",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        _time("window_start", nullable=True),
        _time("locked_until", nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_sign_in_limits"),
    )
    op.create_table(
        "reset_tokens",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("secret_hash", sa.Text(), nullable=False),
        _time("created_at"),
        _time("expires_at"),
        _time("used_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_reset_tokens"),
        sa.ForeignKeyConstraint(
            ["user_name"], ["users.name"], name="fk_reset_tokens_user_name"
        ),
    )


def downgrade() -> None:
    op.drop_table("reset_tokens")
    op.drop_table("sign_in_limits")
    op.drop_index("ix_sessions_user_name", table_name="sessions")
    op.drop_table("sessions")
