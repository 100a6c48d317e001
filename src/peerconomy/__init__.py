"""peerconomy: share out a pool's work and goods by contributions, not exchange.

``peerconomy.clear(scenario)`` takes a scenario (a dict in the ``peerconomy-scenario/1``
format) and returns the period's plan as a JSON-ready dict; bad input raises
:class:`ScenarioError`, whose message names the field.

The scenario's model (pydantic) is imported on first use of ``Scenario``, ``ScenarioError``
or ``parse_scenario`` and the engine (numpy, numba) on the first clear: importing the
package, as every ``peerconomy`` command does, costs neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

from peerconomy._version import __version__

if TYPE_CHECKING:
    from peerconomy.domain.scenario import Scenario, ScenarioError, parse_scenario

__all__ = ["Scenario", "ScenarioError", "__version__", "clear", "parse_scenario", "validate"]

_FROM_SCENARIO = frozenset({"Scenario", "ScenarioError", "parse_scenario"})


def __getattr__(name: str) -> Any:
    """``Scenario``, ``ScenarioError`` and ``parse_scenario``, imported on first use."""
    if name in _FROM_SCENARIO:
        return getattr(import_module("peerconomy.domain.scenario"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def clear(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a scenario and clear its period; return the plan (``peerconomy-plan/2``).

    Raises :class:`ScenarioError` for bad input.
    """
    from peerconomy.domain import clearing  # imported on use: it pulls in the mechanisms

    return clearing.clear(data)


def validate(data: Mapping[str, Any]) -> Scenario:
    """Validate a scenario without clearing it; raises :class:`ScenarioError` for bad input."""
    from peerconomy.domain import clearing

    return clearing.validate(data)
