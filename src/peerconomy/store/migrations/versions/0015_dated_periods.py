"""Dated periods: a pool's calendar and each period's dates.

``pools`` gains the calendar settings: ``period_count`` and ``period_unit`` (days, weeks or
months; NULL: the pool's periods are undated and nothing is scheduled), ``close_days`` and
``close_time`` (offers and wishes close that many days before a period's last day, at that
time of day) in ``time_zone`` (an IANA name), and ``auto_clear`` (a period clears itself when
its offers close). ``periods`` gains ``starts_on``, ``ends_on`` and ``collect_until`` (UTC),
NULL for every period stored before: existing pools keep working undated. The index on
``collect_until`` finds the periods whose offers have closed.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("pools", sa.Column("period_count", sa.Integer(), nullable=True))
    op.add_column("pools", sa.Column("period_unit", sa.Text(), nullable=True))
    op.add_column("pools", sa.Column("close_days", sa.Integer(), nullable=False,
                                     server_default="2"))
    op.add_column("pools", sa.Column("close_time", sa.Time(), nullable=False,
                                     server_default="18:00:00"))
    op.add_column("pools", sa.Column("time_zone", sa.Text(), nullable=False,
                                     server_default="UTC"))
    op.add_column("pools", sa.Column("auto_clear", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column("periods", sa.Column("starts_on", sa.Date(), nullable=True))
    op.add_column("periods", sa.Column("ends_on", sa.Date(), nullable=True))
    op.add_column("periods", sa.Column("collect_until", sa.DateTime(timezone=True),
                                       nullable=True))
    op.create_index("ix_periods_collect_until", "periods", ["collect_until"])


def downgrade() -> None:
    op.drop_index("ix_periods_collect_until", table_name="periods")
    # in place (SQLite 3.35 and later drop columns so): a copied table would break the
    # triggers of the tables that refer to periods
    for name in ("collect_until", "ends_on", "starts_on"):
        op.drop_column("periods", name)
    for name in ("auto_clear", "time_zone", "close_time", "close_days", "period_unit",
                 "period_count"):
        op.drop_column("pools", name)
