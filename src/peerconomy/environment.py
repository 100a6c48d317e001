"""The one place a ``PEERCONOMY_*`` setting is read from the environment.

A variable that is unset, empty or only blanks is *unset*: the setting takes its default.
So a container stack or a unit file may pass every setting through as it is
(``PEERCONOMY_THREADS: ${PEERCONOMY_THREADS:-}`` in ``compose.yaml``), and one left empty
means the default, never an empty sender or a server that will not start. A value that is
there is handed back without its surrounding blanks, for its reader to check (and name the
variable if bad)."""

from __future__ import annotations

import os

__all__ = ["setting"]


def setting(name: str, default: str = "") -> str:
    """The environment variable ``name``, stripped, or ``default`` where it is unset, empty
    or blank."""
    return os.environ.get(name, "").strip() or default
