"""The ``peerconomy`` command (Typer + Rich): clear scenario files, run a pool, show the demo."""

from peerconomy.cli.main import app

__all__ = ["app"]
