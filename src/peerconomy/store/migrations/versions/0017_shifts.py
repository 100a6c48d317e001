"""Shifts: a task's dated shifts, the shifts offers name, and placements.

``shifts`` holds each task's shifts (numbered per pool): a ``day``, ``start_time`` and
``end_time`` (local times in the pool's time zone; an end at or before the start is on the
next day), ``place``, ``slots`` (people), ``note`` and ``cancelled``. ``offer_shifts`` names
the shifts an offer's participant can do (none: any). ``shift_placements`` holds who a
cleared period's plan placed on which shift; it is written with the plan and withdrawn with
it. A plan cleared before has none.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shifts",
        sa.Column("pool", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False, server_default=""),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("cancelled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("pool", "id"),
        sa.ForeignKeyConstraint(["pool", "task"], ["tasks.pool", "tasks.id"]),
    )
    op.create_index("ix_shifts_pool_day", "shifts", ["pool", "day"])
    op.create_table(
        "offer_shifts",
        sa.Column("pool", sa.Text(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("participant", sa.Text(), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("shift", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("pool", "period", "participant", "task", "shift"),
        sa.ForeignKeyConstraint(["pool", "shift"], ["shifts.pool", "shifts.id"]),
    )
    op.create_table(
        "shift_placements",
        sa.Column("pool", sa.Text(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("shift", sa.Integer(), nullable=False),
        sa.Column("participant", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pool", "period", "shift", "participant"),
        sa.ForeignKeyConstraint(["pool", "shift"], ["shifts.pool", "shifts.id"]),
        sa.ForeignKeyConstraint(["pool", "period"], ["periods.pool", "periods.number"]),
    )


def downgrade() -> None:
    op.drop_table("shift_placements")
    op.drop_table("offer_shifts")
    op.drop_index("ix_shifts_pool_day", table_name="shifts")
    op.drop_table("shifts")
