"""Calendar keys: ``calendar_keys``, the secret of each account's calendar and feed
addresses (one row per account, replaced when it is renewed; an address is found by its
unique ``id``, and only the SHA-256 hash of its secret is kept).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_keys",
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("secret_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_name", name="pk_calendar_keys"),
        sa.UniqueConstraint("id", name="uq_calendar_keys_id"),
        sa.ForeignKeyConstraint(["user_name"], ["users.name"], name="fk_calendar_keys_user_name"),
    )


def downgrade() -> None:
    op.drop_table("calendar_keys")
