"""Goods that last: ``goods.tenure`` (periods a unit won is held; 1 for every good so far) and
the ``holdings`` table, the units won of such goods and held from period to period (issue 20,
item 2; docs/design.md, "Goods that last").

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("goods", sa.Column("tenure", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "holdings",
        sa.Column("pool", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant", sa.Text(), nullable=False),
        sa.Column("good", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("premium", sa.Double(), nullable=False),
        sa.Column("won_in", sa.Integer(), nullable=False),
        sa.Column("periods_left", sa.Integer(), nullable=False),
        sa.Column("notice_given", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("pool", "id", name=op.f("pk_holdings")),
        sa.ForeignKeyConstraint(["pool", "good"], ["goods.pool", "goods.id"],
                                name=op.f("fk_holdings_pool_good")),
    )


def downgrade() -> None:
    op.drop_table("holdings")
    with op.batch_alter_table("goods") as goods:
        goods.drop_column("tenure")
