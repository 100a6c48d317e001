"""The optional parts of peerconomy a command needs: the simulator's packages (mesa,
matplotlib: the ``sim`` extra) and Ray (``scale``).

The core install leaves them out (they are most of an install's size); a command that needs
one that is missing says in one line how to install it, and exits with code 2, instead of
ending in a traceback. It never says ``pip install 'peerconomy[sim]'``: that would fetch
whatever package holds the name ``peerconomy`` on PyPI, which is not ours.
"""

from __future__ import annotations

from importlib import import_module

from peerconomy._version import __version__
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
                f" peerconomy's {extra} extra, in its source tree with pip install"
                f" '.[{extra}]' (from a release wheel: pip install"
                f" 'peerconomy-{__version__}-py3-none-any.whl[{extra}]')"
            )
