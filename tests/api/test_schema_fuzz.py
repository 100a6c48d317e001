"""Schemathesis over the whole OpenAPI schema: whatever a script sends, within the schema
or just outside it, the API answers without a server error.

The requests come from a coordinator of the seaside flats (ana, by token), so they get past
the permission checks; about half of them name the pool ``seaside`` and its tasks, goods and
members, so they reach the services rather than stopping at "no such pool". Run with a
few examples per operation to keep the suite fast; ``PEERCONOMY_FUZZ_EXAMPLES=200`` asks
for more. Besides no server error, an answer whose status the schema documents must have the
documented content type and match the documented schema (the stateful sequences of
``test_stateful`` check the same).
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, response_schema_conformance
from seaside import FLATS, Headers, sign_up

from peerconomy.api import AppSettings, create_app
from peerconomy.store.memory import MemoryStore

KNOWN = {
    "pool": "seaside",
    "task": "laundry",
    "good": "sea-view",
    "participant": "ben",
    "user": "ben",
    "project": "flats",
    "number": 1,
}


def seaside() -> tuple[Any, Headers]:
    """The app with the seaside flats (ana coordinates, ben is a member); ana's headers."""
    app = create_app(MemoryStore(), AppSettings(signup="open", secret_key="seaside test key"))
    with TestClient(app) as client:
        for name in ("root", "ben"):
            sign_up(client, name)
        ana = sign_up(client, "ana")
        assert client.post("/api/v1/pools", json={"name": "seaside", "admission": "open"},
                           headers=ana).status_code == 201
        assert client.post("/api/v1/pools/seaside/projects", json=FLATS,
                           headers=ana).status_code == 201
        token = client.post("/api/v1/auth/tokens",
                            json={"login": "ben", "password": "ben by the sea"}).json()["token"]
        joined = client.post("/api/v1/pools/seaside/join",
                             headers={"Authorization": f"Bearer {token}"})
        assert joined.status_code in (200, 201), joined.text
    return app, ana


APP, ANA = seaside()
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@schema.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any] | None
                        ) -> dict[str, Any] | None:
    """Half of the cases (by the generated pool name's length) name what exists."""
    if path_parameters and len(str(path_parameters.get("pool", ""))) % 2 == 0:
        return {k: KNOWN.get(k, v) for k, v in path_parameters.items()}
    return path_parameters


@schema.parametrize()
@settings(max_examples=int(os.environ.get("PEERCONOMY_FUZZ_EXAMPLES", "12")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_request_makes_a_server_error(case: Any) -> None:
    answer = case.call(headers=ANA)
    assert answer.status_code < 500, (case.method, case.path, case.path_parameters,
                                      case.body, answer.status_code, answer.text[:500])
    # an answer whose status the schema documents has its content type and matches it
    case.validate_response(answer, checks=[response_schema_conformance,
                                           content_type_conformance])
