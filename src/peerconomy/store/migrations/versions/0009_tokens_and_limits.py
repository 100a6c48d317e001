"""API tokens gain an expiry and a scope: a token works until ``expires_at`` and only reads
(``read``) or also changes things (``write``); work logs record who logged them where that
was not the worker (``logged_by``: a coordinator may not confirm work she logged for
someone else). Logs made before this revision keep no logger (None).

Tokens made before this revision could do everything and never expired; they become
``write`` tokens that expire 90 days after the migration, so their owners have time to make
new ones. Written with a batch (a copy of the table on SQLite) to make the new columns
NOT NULL once they are filled.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXISTING_TOKEN_DAYS = 90
"""How long tokens made before this revision still work after it."""


def upgrade() -> None:
    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(timezone=True),
                                          nullable=True))
    op.add_column("api_tokens", sa.Column("scope", sa.Text(), nullable=True))
    tokens = sa.table("api_tokens", sa.column("expires_at", sa.DateTime(timezone=True)),
                      sa.column("scope", sa.Text()))
    expires = datetime.now(UTC) + timedelta(days=EXISTING_TOKEN_DAYS)
    if op.get_bind().dialect.name == "sqlite":  # SQLite keeps times without a zone, in UTC
        expires = expires.replace(tzinfo=None)
    op.execute(tokens.update().values(expires_at=expires, scope="write"))
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("expires_at", existing_type=sa.DateTime(timezone=True),
                           nullable=False)
        batch.alter_column("scope", existing_type=sa.Text(), nullable=False)
    op.add_column("work_logs", sa.Column("logged_by", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("work_logs") as batch:
        batch.drop_column("logged_by")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("scope")
        batch.drop_column("expires_at")
