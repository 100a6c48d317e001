"""The one place a ``PEERCONOMY_*`` setting is read from the environment.

A variable that is unset, empty or only blanks is *unset*: the setting takes its default.
So a container stack or a unit file may pass every setting through as it is
(``PEERCONOMY_THREADS: ${PEERCONOMY_THREADS:-}`` in ``compose.yaml``), and one left empty
means the default, never an empty sender or a server that will not start. A value that is
there is handed back without its surrounding blanks, for its reader to check (and name the
variable if bad)."""

from __future__ import annotations

import os
from typing import Final

__all__ = ["DATABASE_URL_SETTING", "setting"]

DATABASE_URL_SETTING: Final = "PEERCONOMY_DATABASE_URL"
"""The environment variable that names the database (an SQLAlchemy URL): here, not in the
store, so that the command line names it without importing the store."""


def setting(name: str, default: str = "") -> str:
    """The environment variable ``name``, stripped, or ``default`` where it is unset, empty
    or blank."""
    return os.environ.get(name, "").strip() or default
