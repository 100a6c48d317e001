"""Service tests run on the in-memory store: the bike and motorcycle workshop as a pool."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peerconomy.domain.scenario import Scenario, load_scenario_file, parse_scenario
from peerconomy.services.pools import import_scenario
from peerconomy.store.memory import MemoryStore, MemoryUnitOfWork

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def workshop() -> Scenario:
    return load_scenario_file(EXAMPLES / "workshop.json")


@pytest.fixture
def uow(store: MemoryStore, workshop: Scenario) -> MemoryUnitOfWork:
    """A unit of work on a store holding the workshop pool, collecting period 1; ana
    coordinates."""
    import_scenario(store.unit_of_work(), "workshop", workshop, coordinators=["ana"])
    return store.unit_of_work()


BAKERY: dict[str, Any] = {
    "format": "peerconomy-scenario/1",
    "settings": {"max_weight": 4.0},
    "participants": [
        {"id": "ana"}, {"id": "ben"}, {"id": "chiara"}, {"id": "dario", "capacity": 6}
    ],
    "projects": [{"id": "bakery"}, {"id": "cafe"}],
    "tasks": [
        {"id": "knead", "project": "bakery"},
        {"id": "bake", "project": "bakery"},
        {"id": "deliver", "project": "bakery", "fixed_hours": 3},
        {"id": "serve", "project": "cafe", "fixed_hours": 2},
        {"id": "clean", "project": "cafe", "fixed_hours": 2},
    ],
    "goods": [
        {"id": "bread", "project": "bakery", "model": "effort",
         "recipe": {"knead": 1, "bake": 1}, "product_type": "bread"},
        {"id": "roll", "project": "bakery", "model": "effort", "capacity": 6,
         "recipe": {"bake": 0.5}},
        {"id": "cake", "project": "bakery", "model": "auction", "capacity": 1,
         "recipe": {"bake": 2}},
    ],
    "offers": [
        {"participant": "ana", "task": "knead", "hours": 4, "min_weight": 1.0},
        {"participant": "ben", "task": "knead", "hours": 4, "min_weight": 1.5},
        {"participant": "ben", "task": "bake", "hours": 6, "min_weight": 1.0},
        {"participant": "chiara", "task": "bake", "hours": 3, "min_weight": 2.0},
        {"participant": "dario", "task": "serve", "hours": 2, "min_weight": 1.0},
    ],
    "wishes": [
        {"participant": "ana", "id": "ana_bread", "quantity": 2,
         "alternatives": [{"good": "bread"}]},
        {"participant": "ben", "id": "ben_bread", "quantity": 3,
         "alternatives": [{"product_type": "bread"}]},
        {"participant": "chiara", "id": "chiara_cake",
         "alternatives": [{"good": "cake", "max_cost": 6}]},
        {"participant": "dario", "id": "dario_cake",
         "alternatives": [{"good": "cake", "max_cost": 4}]},
        {"participant": "dario", "id": "dario_rolls", "quantity": 2,
         "alternatives": [{"good": "roll"}]},
    ],
}
"""A village bakery and its cafe. Cleared, the plan weighs knead 1.5, bake 2.0 and serve 1.0;
nobody offers to deliver (3 h) or clean (2 h), so both stay open at the max weight 4.0. Ana
kneads 4 h, ben kneads 1 h and bakes 6 h, chiara bakes 2 h, dario serves 2 h. Chiara outbids
dario for the one cake; only 2 of 6 rolls are wished."""


@pytest.fixture
def bakery() -> Scenario:
    return parse_scenario(BAKERY)


@pytest.fixture
def bakery_uow(store: MemoryStore, bakery: Scenario) -> MemoryUnitOfWork:
    """A unit of work on a store holding the bakery pool, collecting period 1; ana
    coordinates."""
    import_scenario(store.unit_of_work(), "bakery", bakery, coordinators=["ana"])
    return store.unit_of_work()
