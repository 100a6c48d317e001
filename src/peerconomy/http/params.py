"""Numbers a request names in its path or query string, for the API and the pages alike:
within the range every store holds, so a number beyond it is refused before any route reads
the store."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import Path, Query

__all__ = ["STORED_INT_MAX", "NumberQuery", "PathNumber"]

STORED_INT_MAX: Final = 2**31 - 1
"""The largest whole number every store holds: PostgreSQL's INTEGER columns (period numbers,
versions, work log and audit entry ids) end here, SQLite's at 2**63 - 1. A number beyond it
names nothing stored; taken further, the database would refuse it with an error."""
PathNumber = Annotated[int, Path(ge=1, le=STORED_INT_MAX)]
"""A number in a route's path (a period, a work log): beyond the store's range it names
nothing, and the answer is 404 (:mod:`peerconomy.http.errors`)."""
NumberQuery = Annotated[int | None, Query(ge=1, le=STORED_INT_MAX)]
"""An optional number in the query string (an entry to page from, a period); out of range:
422."""
