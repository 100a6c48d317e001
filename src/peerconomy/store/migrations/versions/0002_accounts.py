"""Accounts: users, their API tokens, invitations into pools and requests to join them; who
may join a pool and whether outsiders may see it.

Written out table by table, as 0001 is. Pools get two settings, with defaults that keep an
existing pool as it was: ``admission`` ``'approval'`` (a coordinator lets people in) and
``public`` false (only members see it). Members get an index on their id, which is a user's
name in every pool they join, so a user's memberships are found without reading every pool.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _position() -> sa.Column[int]:
    return sa.Column("position", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.add_column(
        "pools", sa.Column("admission", sa.Text(), nullable=False, server_default="approval")
    )
    op.add_column(
        "pools", sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_index("ix_members_id", "members", ["id"])
    op.create_table(
        "users",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        _time("created_at"),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("site_admin", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_users"),
    )
    op.create_index("ix_users_email", "users", ["email"], unique=True)
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        _position(),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("secret_hash", sa.Text(), nullable=False),
        _time("created_at"),
        _time("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("user_name", "position", name="uq_api_tokens_user_name_position"),
        sa.ForeignKeyConstraint(["user_name"], ["users.name"], name="fk_api_tokens_user_name"),
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("pool", sa.Text(), nullable=False),
        _position(),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        _time("created_at"),
        _time("expires_at"),
        sa.Column("secret_hash", sa.Text(), nullable=False),
        sa.Column("used_by", sa.Text(), nullable=True),
        _time("used_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_invitations"),
        sa.UniqueConstraint("pool", "position", name="uq_invitations_pool_position"),
        sa.ForeignKeyConstraint(["pool"], ["pools.name"], name="fk_invitations_pool"),
        sa.ForeignKeyConstraint(["created_by"], ["users.name"], name="fk_invitations_created_by"),
        sa.ForeignKeyConstraint(["used_by"], ["users.name"], name="fk_invitations_used_by"),
    )
    op.create_table(
        "join_requests",
        sa.Column("pool", sa.Text(), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        _position(),
        _time("requested_at"),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Text(), nullable=True),
        _time("decided_at", nullable=True),
        sa.PrimaryKeyConstraint("pool", "user_name", name="pk_join_requests"),
        sa.UniqueConstraint("pool", "position", name="uq_join_requests_pool_position"),
        sa.ForeignKeyConstraint(["pool"], ["pools.name"], name="fk_join_requests_pool"),
        sa.ForeignKeyConstraint(["user_name"], ["users.name"], name="fk_join_requests_user_name"),
    )


def downgrade() -> None:
    for table in ("join_requests", "invitations", "api_tokens"):
        op.drop_table(table)
    op.drop_index("ix_users_email", table_name="users")
    op.drop_table("users")
    op.drop_index("ix_members_id", table_name="members")
    op.drop_column("pools", "public")
    op.drop_column("pools", "admission")
