"""Distributed clearing and sweeps on Ray.

:func:`clear_federation` clears a federation of pools (a directory of scenario files, one
pool each: :func:`load_federation`) piecewise, in parallel, to exactly the plan of its merged
pool; :func:`split_plan` cuts that plan into each pool's part. Ray is imported only when a
Ray run is asked for.
"""

from __future__ import annotations

from peerconomy.scale.clearing import clear_federation
from peerconomy.scale.federation import (
    FEDERATION_FILE,
    FEDERATION_FORMAT,
    Federation,
    load_federation,
    merge_pools,
)
from peerconomy.scale.split import SPLIT_FORMAT, split_plan

__all__ = [
    "FEDERATION_FILE",
    "FEDERATION_FORMAT",
    "SPLIT_FORMAT",
    "Federation",
    "clear_federation",
    "load_federation",
    "merge_pools",
    "split_plan",
]
