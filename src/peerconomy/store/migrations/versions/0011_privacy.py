"""Privacy: members choose whether coordinators see their contact, and a deleted account's
participant id can be replaced by a pseudonym in the plans and books.

``members.contact_visible`` (default false): whether the member lets the pool's coordinators
see their email and phone. Existing members start with false (nobody has allowed anything
yet); contact a coordinator imported for a member nobody has claimed stays visible to the
coordinators, who gave it (see :func:`peerconomy.services.privacy.contact_shown`).

The append-only tables stay append-only but for one change: renaming a participant to a
pseudonym (``gone-`` and 8 hex digits) when their account is deleted. The triggers of
migrations 0001 and 0010 that refuse any UPDATE of ``postings``, ``assignments`` and
``plans`` are replaced by ones that allow exactly that UPDATE and nothing else:

- ``postings``: only ``account`` changes, to ``participant:gone-...`` (the amount, the
  transaction and the order stay: the books balance as before);
- ``assignments``: only ``participant`` changes, to ``gone-...``;
- ``plans``: ``pool``, ``period`` and ``cleared_at`` stay, and ``input_hash`` gains the
  suffix ``+gone-...`` (the record that the plan was renamed after clearing, and a new stamp
  by which every server's plan cache sees the change).

Deletes of plans and assignments stay allowed only for a reopening (migration 0010);
transactions, TRUNCATE and every other UPDATE are still refused.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLAN = "a cleared plan is never changed: plans are append-only"
LEDGER = "the ledger is append-only: add a reversing entry instead"
REFUSE = "peerconomy_refuse_change"  # migration 0001's function
REOPEN = "peerconomy_refuse_unless_reopened"  # migration 0010's function
ERASE = "peerconomy_refuse_unless_pseudonym"
MESSAGES = {"postings": LEDGER, "assignments": PLAN, "plans": PLAN}
OLD_FUNCTIONS = {"postings": REFUSE, "assignments": REOPEN, "plans": REOPEN}

_RENAMES = {
    "postings": (
        "NEW.pool = OLD.pool AND NEW.seq = OLD.seq AND NEW.transaction_id = OLD.transaction_id"
        " AND NEW.amount = OLD.amount AND NEW.account LIKE 'participant:gone-%'"
    ),
    "assignments": (
        "NEW.pool = OLD.pool AND NEW.period = OLD.period AND NEW.position = OLD.position"
        " AND NEW.task = OLD.task AND NEW.hours = OLD.hours AND NEW.weight = OLD.weight"
        " AND NEW.participant LIKE 'gone-%'"
    ),
    "plans": (
        "NEW.pool = OLD.pool AND NEW.period = OLD.period AND NEW.cleared_at = OLD.cleared_at"
        " AND NEW.input_hash LIKE OLD.input_hash || '+gone-%'"
    ),
}
"""The one UPDATE each table allows: a rename to a pseudonym, nothing else changed."""

_REOPENABLE = (
    "EXISTS (SELECT 1 FROM periods WHERE periods.pool = OLD.pool"
    " AND periods.number = OLD.period AND periods.state = 'cleared')"
    " AND NOT EXISTS (SELECT 1 FROM work_logs WHERE work_logs.pool = OLD.pool"
    " AND work_logs.period = OLD.period)"
)


def upgrade() -> None:
    op.add_column("members", sa.Column("contact_visible", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    if op.get_bind().dialect.name == "postgresql":
        branches = "\n".join(
            f"{'IF' if i == 0 else 'ELSIF'} TG_TABLE_NAME = '{table}' THEN"
            f" IF {condition} THEN RETURN NEW; END IF;"
            for i, (table, condition) in enumerate(_RENAMES.items())
        )
        op.execute(
            f"""
            CREATE FUNCTION {ERASE}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    {branches}
                    END IF;
                ELSIF TG_OP = 'DELETE' AND TG_TABLE_NAME IN ('plans', 'assignments') THEN
                    IF {_REOPENABLE} THEN
                        RETURN OLD;
                    END IF;
                END IF;
                RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        for table, message in MESSAGES.items():
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION {ERASE}('{message}')"
            )
    else:
        for table, message in MESSAGES.items():
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}"
                f" WHEN NOT ({_RENAMES[table]})"
                f" BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, message in MESSAGES.items():
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION {OLD_FUNCTIONS[table]}('{message}')"
            )
        op.execute(f"DROP FUNCTION {ERASE}()")
    else:
        for table, message in MESSAGES.items():
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}"
                f" BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
    with op.batch_alter_table("members") as batch:
        batch.drop_column("contact_visible")
