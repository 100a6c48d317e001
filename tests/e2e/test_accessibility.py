"""The main pages pass axe-core's checks: no violation whose impact is serious or critical.

axe-core (shipped by ``axe-playwright-python``, run offline) is injected into each page as
people see it in a lived-in pool, so that the forms, tables, charts and notes are there:

- *seaside* (public, admission on approval): period 1 was cleared, worked, confirmed and
  settled (the ledger has its charts); period 2 is cleared, ben and cleo have logged work
  that awaits confirmation, and dan has asked to join;
- *hillside* (open): period 1 collects; ben has an offer and a wish in (the offer and wish
  forms, with their withdraw buttons).

Every page's screenshot and the full axe results (minor and moderate findings included) go
to the artifacts folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from e2e_support import FLATS, People, Person, Shots, api_as
from playwright.sync_api import APIRequestContext, ViewportSize

pytestmark = pytest.mark.postgres  # the server under test runs on PostgreSQL

BLOCKING = ("serious", "critical")
SCREENS: dict[str, ViewportSize] = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 800},
}
"""Each page is checked on a narrow screen (where wide tables scroll) and a wide one."""


@dataclass(frozen=True, slots=True)
class Visit:
    """A page as someone sees it (``who`` None: signed out)."""

    name: str
    who: str | None
    path: str

    def __str__(self) -> str:
        return self.name


AXE = Axe()
PAGES = [
    Visit("home-signed-out", None, "/"),
    Visit("sign-in", None, "/signin"),
    Visit("sign-up", None, "/signup"),
    Visit("invitation-signed-out", None, "/invitations/{invitation}"),
    Visit("home", "ana", "/"),
    Visit("account", "ana", "/account"),
    Visit("my-period-cleared", "cleo", "/pools/seaside"),
    Visit("my-period-collecting", "ben", "/pools/hillside"),
    Visit("my-period-visitor", "dan", "/pools/seaside"),
    Visit("tasks-collecting", "ben", "/pools/hillside/tasks"),
    Visit("tasks-cleared", "ben", "/pools/seaside/tasks"),
    Visit("goods-collecting", "ben", "/pools/hillside/goods"),
    Visit("goods-cleared", "ben", "/pools/seaside/goods"),
    Visit("hints", "ben", "/pools/seaside/hints"),
    Visit("period-cleared", "ana", "/pools/seaside/period"),
    Visit("period-collecting", "ana", "/pools/hillside/period"),
    Visit("ledger", "ben", "/pools/seaside/ledger"),
    Visit("projects", "ana", "/pools/seaside/projects"),
    Visit("not-found", "ana", "/pools/nowhere"),
]


@pytest.fixture(scope="module")
def pools(api: APIRequestContext) -> dict[str, str]:
    """The two pools, made through the REST API; what the pages need to know of them."""
    ana, ben, cleo, dan = (api_as(api, name, sign_up=True) for name in ("ana", "ben", "cleo",
                                                                         "dan"))
    ana.post("/pools", {"name": "seaside", "public": True})
    ana.post("/pools/seaside/projects", FLATS)
    for member in (ben, cleo):
        code = ana.post("/pools/seaside/invitations", {})["code"]
        member.post(f"/invitations/{code}/accept")
    for who, task, hours, weight in [(ben, "stairs", 3, 1.0), (ben, "laundry", 2, 1.0),
                                     (cleo, "garden", 2, 1.0), (cleo, "stairs", 2, 1.5),
                                     (cleo, "laundry", 2, 1.2)]:
        who.call("PUT", f"/pools/seaside/offers/{task}", {"hours": hours, "min_weight": weight})
    ben.post("/pools/seaside/wishes", {"alternatives": [{"good": "sea-view", "max_cost": 6}]})
    cleo.post("/pools/seaside/wishes", {"alternatives": [{"good": "sea-view", "max_cost": 4}]})
    cleo.post("/pools/seaside/wishes", {"quantity": 2, "alternatives": [{"good": "guest-bed"}]})
    ana.post("/pools/seaside/period/clear", expected=200)
    logged = ben.post("/pools/seaside/work", {"task": "stairs", "hours": 3})
    cleo.post(f"/pools/seaside/work/{logged['id']}/confirm", expected=200)
    ana.post("/pools/seaside/period/settle", expected=200)
    ana.post("/pools/seaside/period/clear", expected=200)
    ben.post("/pools/seaside/work", {"task": "stairs", "hours": 2})
    cleo.post("/pools/seaside/work", {"task": "garden", "hours": 1.5})
    dan.post("/pools/seaside/join", expected=202)

    ana.post("/pools", {"name": "hillside", "admission": "open", "public": True})
    ana.post("/pools/hillside/projects", FLATS)
    ben.post("/pools/hillside/join")
    ben.call("PUT", "/pools/hillside/offers/stairs", {"hours": 3, "min_weight": 1.0})
    ben.post("/pools/hillside/wishes", {"alternatives": [{"good": "sea-view", "max_cost": 5}]})
    invitation = ana.post("/pools/hillside/invitations", {})["code"]
    return {"invitation": invitation}


@pytest.fixture(scope="module")
def signed_in(people: People) -> Iterator[Callable[[str | None], Person]]:
    """Each person's browser, signed in through the sign-in form (None: signed out)."""
    found: dict[str | None, Person] = {}

    def person(name: str | None) -> Person:
        if name not in found:
            found[name] = people(name or "visitor")
            if name is not None:
                found[name].sign_in()
        return found[name]

    yield person


def _described(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}"
                     f" <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("visit", PAGES, ids=str)
def test_the_page_has_no_serious_accessibility_violations(
    visit: Visit, screen: str, pools: dict[str, str],
    signed_in: Callable[[str | None], Person], shots: Shots, module_artifacts: Path,
) -> None:
    page = signed_in(visit.who).page
    page.set_viewport_size(SCREENS[screen])
    answer = page.goto(visit.path.format(**pools))
    assert answer is not None
    assert answer.status == (404 if visit.name == "not-found" else 200), visit
    seen = f"{visit.name}-{screen}"
    shots.take(page, seen)
    results: dict[str, Any] = AXE.run(page).response
    found: list[dict[str, Any]] = results["violations"]
    kept = {"violations": found, "incomplete": results["incomplete"]}  # to review by hand
    (module_artifacts / f"{seen}.axe.json").write_text(json.dumps(kept, indent=1))
    blocking = [v for v in found if v["impact"] in BLOCKING]
    assert not blocking, (
        f"axe-core finds on {visit.path} (as {visit.who or 'a visitor'}, {screen}):\n"
        + _described(blocking)
    )
