"""Names people read: pools, projects, tasks and goods gain a display name and a
description, tasks a place and a contact.

``pools.display_name`` (the pool's ``name`` stays its address), ``projects.name``,
``tasks.name`` and ``goods.name`` are what pages, mails, the feed and the command line show
in place of the id (NULL: the id); ``description`` is free text; ``tasks.place`` where the
work is done, ``tasks.contact`` the participant id of the member to ask. All are NULL for
what was stored before, which is shown by its id as it was. The clearing reads none of them,
and the input hash leaves them out, so no stored plan's hash changes.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: dict[str, tuple[str, ...]] = {
    "pools": ("display_name", "description"),
    "projects": ("name", "description"),
    "tasks": ("name", "description", "place", "contact"),
    "goods": ("name", "description"),
}
"""The new columns of each table, in the order they are added (all text, NULL allowed)."""


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        for column in columns:
            op.add_column(table, sa.Column(column, sa.Text(), nullable=True))


def downgrade() -> None:
    for table, columns in reversed(COLUMNS.items()):
        for column in reversed(columns):
            op.drop_column(table, column)  # SQLite 3.35 and later drop columns in place
