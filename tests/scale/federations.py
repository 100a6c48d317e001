"""Small seeded federations for the tests: 2-4 pools, values on a coarse grid (so ties are
common), some pools sharing a product type or wishing for another pool's goods."""

from __future__ import annotations

from typing import Any

import numpy as np

MODELS = ("flat_rate", "flat_allocation", "effort", "auction")


def federation(seed: int, n_pools: int | None = None, size: int = 4) -> dict[str, dict[str, Any]]:
    """Pools by name: each with ``size``-ish participants, 1-3 tasks and 1-4 goods; pools
    0 and 1 make goods of a shared product type; some wishes name another pool's goods."""
    rng = np.random.default_rng(seed)
    n = int(n_pools or rng.integers(2, 5))
    settings = {"max_weight": float(rng.choice([3.0, 5.0])), "seed": int(rng.integers(0, 2**31))}
    pools: dict[str, dict[str, Any]] = {}
    all_goods: list[dict[str, Any]] = []
    for k in range(n):
        name = f"pool{k}"
        people = [f"{name}-p{i}" for i in range(int(rng.integers(1, size + 1)))]
        tasks = [f"{name}-t{i}" for i in range(int(rng.integers(1, 4)))]
        goods = []
        for i in range(int(rng.integers(1, 5))):
            model = str(rng.choice(MODELS))
            good: dict[str, Any] = {
                "id": f"{name}-g{i}", "project": f"{name}-j", "model": model,
                "recipe": {str(t): float(rng.integers(0, 3)) for t in
                           rng.choice(tasks, size=int(rng.integers(0, 3)))},
            }
            if rng.random() < 0.6:
                good["capacity"] = int(rng.integers(0, 4))
            if model == "flat_rate" or rng.random() < 0.3:  # a limit any one wish fits in
                good["limit"] = int(rng.integers(2, 4))
            if k < 2 and rng.random() < 0.7:  # pools 0 and 1 share product types
                good["product_type"] = "shared-auction" if model == "auction" else "shared"
            goods.append(good)
        all_goods.extend(goods)
        participants = []
        for p in people:
            participant: dict[str, Any] = {"id": p}
            if rng.random() < 0.5:
                participant["capacity"] = float(rng.integers(0, 8))
            if rng.random() < 0.15:
                participant["exempt"] = True
            participants.append(participant)
        offers = []
        for p in people:
            for t in tasks:
                if rng.random() < 0.6:
                    offers.append({"participant": p, "task": t,
                                   "hours": float(rng.integers(0, 6)),
                                   "min_weight": float(rng.choice([0.5, 1.0, 1.0, 2.0]))})
        pools[name] = {
            "format": "peerconomy-scenario/1",
            "settings": dict(settings),
            "participants": participants,
            "projects": [{"id": f"{name}-j"}],
            "tasks": [{"id": t, "project": f"{name}-j",
                       "fixed_hours": float(rng.choice([0.0, 0.0, 1.0, 2.5]))} for t in tasks],
            "goods": goods,
            "offers": offers,
            "wishes": [],
        }
    # wishes: mostly for the pool's own goods, some for another pool's, some by product type
    for name, pool in pools.items():
        for w in range(int(rng.integers(0, 2 * size))):
            auction = bool(rng.random() < 0.5)
            own = [g for g in pool["goods"] if (g["model"] == "auction") == auction]
            other = [g for g in all_goods if (g["model"] == "auction") == auction]
            choices = other if rng.random() < 0.2 or not own else own
            if not choices:
                continue
            picked = rng.choice(len(choices), size=min(len(choices), int(rng.integers(1, 3))),
                                replace=False)
            alternatives = []
            for i in picked.tolist():
                g = choices[i]
                alt: dict[str, Any] = {"good": g["id"]}
                if g.get("product_type") and rng.random() < 0.5:
                    alt = {"product_type": g["product_type"]}
                if (auction and rng.random() < 0.85) or (not auction and rng.random() < 0.3):
                    alt["max_cost"] = float(rng.integers(0, 8))
                alternatives.append(alt)
            pool["wishes"].append({
                "participant": str(rng.choice([p["id"] for p in pool["participants"]])),
                "id": f"{name}-w{w}", "quantity": int(rng.integers(1, 3)),
                "alternatives": alternatives,
            })
    return pools
