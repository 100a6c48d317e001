"""peerconomy: share out a pool's work and goods by contributions, not exchange.

``peerconomy.clear(scenario)`` takes a scenario (a dict in the ``peerconomy-scenario/1``
format) and returns the period's plan as a JSON-ready dict; bad input raises
:class:`ScenarioError`, whose message names the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peerconomy._version import __version__
from peerconomy.domain.scenario import Scenario, ScenarioError, parse_scenario

__all__ = ["Scenario", "ScenarioError", "__version__", "clear", "parse_scenario", "validate"]


def clear(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a scenario and clear its period; return the plan (``peerconomy-plan/1``).

    Raises :class:`ScenarioError` for bad input.
    """
    from peerconomy.domain import clearing  # imported on use: it pulls in the mechanisms

    return clearing.clear(data)


def validate(data: Mapping[str, Any]) -> Scenario:
    """Validate a scenario without clearing it; raises :class:`ScenarioError` for bad input."""
    from peerconomy.domain import clearing

    return clearing.validate(data)
