"""``python -m peerconomy``: the same as the ``peerconomy`` command."""

from peerconomy.cli import app

app(prog_name="peerconomy")
