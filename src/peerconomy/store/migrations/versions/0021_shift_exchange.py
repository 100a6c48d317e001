"""Shifts changing hands: swap proposals between members, and members following projects.

``shift_swaps`` holds each proposal (numbered per pool): who proposes (``proposer``, placed
on ``shift`` in ``period``), to whom (``recipient``), for which of the recipient's shifts
(``their_shift``; null: outright), its ``state`` (proposed, accepted, declined, withdrawn)
and when it was made and decided. ``project_follows`` names the members who follow a project
to hear of its new open slots.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shift_swaps",
        sa.Column("pool", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("proposer", sa.Text(), nullable=False),
        sa.Column("shift", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("their_shift", sa.Integer(), nullable=True),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("pool", "id"),
        sa.ForeignKeyConstraint(["pool", "shift"], ["shifts.pool", "shifts.id"]),
        sa.ForeignKeyConstraint(["pool", "period"], ["periods.pool", "periods.number"]),
    )
    op.create_table(
        "project_follows",
        sa.Column("pool", sa.Text(), nullable=False),
        sa.Column("project", sa.Text(), nullable=False),
        sa.Column("participant", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pool", "project", "participant"),
        sa.ForeignKeyConstraint(["pool", "project"], ["projects.pool", "projects.id"]),
    )


def downgrade() -> None:
    op.drop_table("project_follows")
    op.drop_table("shift_swaps")
