"""The marker of a field an edit leaves as it is (``capacity=KEEP``): distinct from None,
which often means "none" (no limit, no name)."""

from __future__ import annotations

from enum import Enum
from typing import Final

__all__ = ["KEEP", "Keep"]


class Keep(Enum):
    """Leave a setting as it is (the default of the edits' arguments, such as
    :func:`~peerconomy.services.pools.update_member`'s)."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP
