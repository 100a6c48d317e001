"""Members are claimed, never matched by name: a member record names the account that
claimed it, with a display name and contact; invitations may be for one member, and may be
made by the site's operator (by nobody); accounts can be disabled.

Until now an account *was* the member of the same name in every pool, so whoever signed up
as ``ana`` became an imported pool's ``ana``. The link is now explicit. Existing data keeps
the links that were used: a member whose id equals an account's name keeps that account if
the account has acted in the pool (an entry of the pool's audit log by it, an invitation it
accepted there, or its approved request to join), and the migration says what it linked. Other
members start unclaimed; a coordinator invites them or links their accounts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_log = logging.getLogger("peerconomy.migrations")

_USED = sa.text(
    """
    SELECT m.pool, m.id FROM members m JOIN users u ON u.name = m.id
    WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.pool = m.pool AND a.actor = m.id)
       OR EXISTS (SELECT 1 FROM invitations i WHERE i.pool = m.pool AND i.used_by = m.id)
       OR EXISTS (SELECT 1 FROM join_requests j
                  WHERE j.pool = m.pool AND j.user_name = m.id AND j.status = 'approved')
    ORDER BY m.pool, m.id
    """
)


def upgrade() -> None:
    op.add_column("members", sa.Column("account", sa.Text(), nullable=True))
    op.add_column(
        "members", sa.Column("display_name", sa.Text(), nullable=False, server_default="")
    )
    op.add_column("members", sa.Column("email", sa.Text(), nullable=True))
    op.add_column("members", sa.Column("phone", sa.Text(), nullable=True))
    op.create_index("ix_members_account", "members", ["account"])
    op.create_index("ux_members_pool_account", "members", ["pool", "account"], unique=True)
    op.add_column("invitations", sa.Column("member", sa.Text(), nullable=True))
    with op.batch_alter_table("invitations") as batch:  # made by the operator: by nobody
        batch.alter_column("created_by", existing_type=sa.Text(), nullable=True)
    op.add_column(
        "users",
        sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    bind = op.get_bind()
    linked = bind.execute(_USED).all()
    for pool, participant in linked:
        bind.execute(
            sa.text("UPDATE members SET account = :id WHERE pool = :pool AND id = :id"),
            {"pool": pool, "id": participant},
        )
        _log.warning("linked member %r of pool %r to the account of the same name",
                     participant, pool)
    unclaimed = bind.scalar(sa.text("SELECT count(*) FROM members WHERE account IS NULL"))
    if unclaimed:
        _log.warning("%d members are unclaimed: invite them (peerconomy member invite) or"
                     " link their accounts", unclaimed)


def downgrade() -> None:
    op.drop_column("users", "disabled")
    op.drop_column("invitations", "member")
    with op.batch_alter_table("invitations") as batch:
        batch.alter_column("created_by", existing_type=sa.Text(), nullable=False)
    op.drop_index("ux_members_pool_account", table_name="members")
    op.drop_index("ix_members_account", table_name="members")
    for column in ("phone", "email", "display_name", "account"):
        op.drop_column("members", column)
