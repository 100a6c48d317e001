"""How long an invitation to a pool works unless its maker says otherwise.

A constant of its own, apart from the membership service that makes invitations, so that
the ``member`` commands can show it as their ``--days`` default without importing the
services (and the store and pydantic behind them) just to print their help.
"""

from __future__ import annotations

from typing import Final

__all__ = ["INVITATION_DAYS"]

INVITATION_DAYS: Final = 14
"""Days an invitation link works by default."""
