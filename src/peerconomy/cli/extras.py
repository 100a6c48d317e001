"""The optional parts of peerconomy a command needs: the simulator's packages (mesa,
matplotlib: ``peerconomy[sim]``) and Ray (``peerconomy[scale]``).

The core install leaves them out (they are most of an install's size); a command that needs
one that is missing says in one line how to install it, and exits with code 2, instead of
ending in a traceback.
"""

from __future__ import annotations

from importlib import import_module

from peerconomy.cli.common import fail

__all__ = ["require_extra"]


def require_extra(extra: str, *modules: str, needed_by: str) -> None:
    """Import ``modules``, which come with ``peerconomy[extra]``; if one is missing, one line
    naming ``needed_by``, the missing module and how to install the extra, and exit code 2."""
    for name in modules:
        try:
            import_module(name)
        except ModuleNotFoundError as err:
            fail(
                f"{needed_by} needs {err.name or name}, which is not installed: install"
                f" peerconomy[{extra}] (pip install 'peerconomy[{extra}]', or in peerconomy's"
                f" source tree pip install '.[{extra}]')"
            )
