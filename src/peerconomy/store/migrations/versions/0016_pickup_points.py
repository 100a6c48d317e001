"""Pick-up points: ``pickup_points``, the places where a pool's members collect their goods
(name, address, opening times; ``active`` false: retired), and ``members.pickup_point``, the
id of the point a member chose (NULL: none). The services check that a member's choice names
one of the pool's active points (no foreign key: on SQLite one would mean copying the
members table).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pickup_points",
        sa.Column("pool", sa.Text(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False, server_default=""),
        sa.Column("opening_times", sa.Text(), nullable=False, server_default=""),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("pool", "id", name="pk_pickup_points"),
        sa.UniqueConstraint("pool", "position", name="uq_pickup_points_pool_position"),
        sa.ForeignKeyConstraint(["pool"], ["pools.name"], name="fk_pickup_points_pool"),
    )
    op.add_column("members", sa.Column("pickup_point", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("pickup_point")
    op.drop_table("pickup_points")
