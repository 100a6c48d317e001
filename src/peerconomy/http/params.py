"""Numbers a request names in its path or query string, for the API and the pages alike:
within the range every store holds, so a number beyond it is refused before any route reads
the store."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from peerconomy.domain.bounds import STORED_INT_MAX

__all__ = ["STORED_INT_MAX", "NumberQuery", "PathNumber"]

PathNumber = Annotated[int, Path(ge=1, le=STORED_INT_MAX)]
"""A number in a route's path (a period, a work log): beyond the store's range it names
nothing, and the answer is 404 (:mod:`peerconomy.http.errors`)."""
NumberQuery = Annotated[int | None, Query(ge=1, le=STORED_INT_MAX)]
"""An optional number in the query string (an entry to page from, a period); out of range:
422."""
