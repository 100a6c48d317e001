"""Optimistic locking: a version on what two coordinators can edit at once.

A pool (its settings), a project in a pool (its standing and its goods' capacities) and a
member (capacity, exemption, role) each count their changes from 1. An edit names the
version it was made from; the service refuses it with a conflict when the stored version
has moved on, so that of two coordinators editing the same thing the second is told to
reload instead of silently undoing the first one's change.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED = ("pools", "projects", "members")


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in reversed(VERSIONED):
        op.drop_column(table, "version")  # SQLite 3.35 and later drop columns in place
