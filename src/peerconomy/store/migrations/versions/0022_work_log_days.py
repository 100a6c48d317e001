"""Work logs carry the day the work was done, a note, and the shift they were logged from.

``worked_on`` (a date in the pool's time zone) and ``shift`` are left empty on the logs made
before (they keep working: a log without a day shows none), ``note`` is empty text. One log
per person and shift: a unique key on (pool, participant, shift), which empty shifts do not
touch.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _triggers_reading_work_logs() -> list[str]:
    """On SQLite, drop the triggers whose bodies read ``work_logs`` (the plans' guards) and
    return their SQL: SQLite copies the table to add keys, and refuses to rename the copy
    while a trigger names a table that is gone. Elsewhere: none."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return []
    found = bind.execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        " AND tbl_name != 'work_logs' AND sql LIKE '%work_logs%' ORDER BY name")).all()
    for name, _ in found:
        op.execute(f'DROP TRIGGER "{name}"')
    return [sql for _, sql in found]


def upgrade() -> None:
    triggers = _triggers_reading_work_logs()
    # on SQLite the table is copied to add its keys: keep its ids from ever being reused
    with op.batch_alter_table("work_logs", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.add_column(sa.Column("worked_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("shift", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_work_logs_pool_shift", "shifts", ["pool", "shift"],
                                 ["pool", "id"])
        batch.create_unique_constraint("uq_work_logs_pool_participant_shift",
                                       ["pool", "participant", "shift"])
    for sql in triggers:
        op.execute(sql)


def downgrade() -> None:
    triggers = _triggers_reading_work_logs()
    with op.batch_alter_table("work_logs", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_constraint("uq_work_logs_pool_participant_shift", type_="unique")
        batch.drop_constraint("fk_work_logs_pool_shift", type_="foreignkey")
        batch.drop_column("shift")
        batch.drop_column("note")
        batch.drop_column("worked_on")
    for sql in triggers:
        op.execute(sql)
