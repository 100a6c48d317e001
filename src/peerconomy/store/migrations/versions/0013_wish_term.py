"""Wishes gain ``term`` and ``periods_left``: subscriptions.

``wishes.term``: the periods a subscription stands (NULL: an ordinary wish, standing until
withdrawn). ``wishes.periods_left``: of a subscription, the periods it still stands in this
period's row, this one included (NULL where ``term`` is); settling a period carries a
subscription over with one period less, and not at all when this was its last. Wishes stored
before have no term and stay as they were.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("wishes", sa.Column("term", sa.Integer(), nullable=True))
    op.add_column("wishes", sa.Column("periods_left", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("wishes") as batch:
        batch.drop_column("periods_left")
        batch.drop_column("term")
