"""The release of peerconomy: the one place its version is written.

``pyproject.toml`` reads it from here (``[tool.setuptools.dynamic]``), so the installed
package's metadata, ``peerconomy --version``, ``GET /health`` and the API's schema all say
the same, in a source checkout too (where installed metadata could be an older release's).
"""

__version__ = "0.2.0"
