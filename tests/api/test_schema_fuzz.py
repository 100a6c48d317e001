"""Schemathesis over the whole OpenAPI schema: whatever a script sends, within the schema
or just outside it, the API answers without a server error.

The requests come from a coordinator of the seaside flats (ana, by token), so they get past
the permission checks; about half of them name the pool ``seaside`` and its tasks, goods and
members, so they reach the services rather than stopping at "no such pool". Run with a
few examples per operation to keep the suite fast; ``PEERCONOMY_FUZZ_EXAMPLES=200`` asks
for more. Besides no server error, every status must be one the schema documents for the
operation, with the documented content type and schema (the stateful sequences of
``test_stateful`` check the same).

Then every operation gets hostile values in each path and query parameter and each body
field: NUL, lone surrogates, NaN, Infinity and invalid UTF-8 are refused (4xx); numbers
beyond the store are refused or taken as text; none is a server error.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from seaside import FLATS, Headers, sign_up

from peerconomy.asgi import create_app
from peerconomy.http.settings import AppSettings
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
        assert client.post("/api/v1/pools", json={"name": "seaside", "admission": "open",
                                                  "public": True},
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
    # every status is documented, and the answer has its content type and matches it
    case.validate_response(answer, checks=[status_code_conformance,
                                           response_schema_conformance,
                                           content_type_conformance])


# hostile values in every place of every operation

HOSTILE_TEXT = {"nul": "a\x00b", "surrogate": "a\ud800b"}
HOSTILE_JSON = {**{k: json.dumps(v) for k, v in HOSTILE_TEXT.items()},
                "nan": "NaN", "infinity": "-Infinity", "huge": str(2**70), "large": str(2**31)}
HOSTILE_PATH = {"nul": "a%00b", "surrogate": "a%ED%A0%80b", "huge": str(2**70),
                "large": str(2**31), "invalid utf-8": "a%FFb"}


def operations() -> list[tuple[str, str, list[str], list[str], list[str]]]:
    """Every operation of the API: method, path, its path and query parameters and the
    properties of its JSON body."""
    spec = APP.openapi()
    found = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            parameters = operation.get("parameters", [])
            body = operation.get("requestBody", {}).get("content", {}).get(
                "application/json", {}).get("schema", {})
            if "$ref" in body:
                body = spec["components"]["schemas"][body["$ref"].split("/")[-1]]
            found.append((method.upper(), path,
                          [p["name"] for p in parameters if p["in"] == "path"],
                          [p["name"] for p in parameters if p["in"] == "query"],
                          list(body.get("properties", {}))))
    return found


@pytest.mark.parametrize(("method", "path", "in_path", "in_query", "in_body"), operations(),
                         ids=lambda part: part if isinstance(part, str) else None)
def test_a_hostile_value_anywhere_is_refused_not_a_server_error(
        method: str, path: str, in_path: list[str], in_query: list[str],
        in_body: list[str]) -> None:
    known = {k: quote(str(v)) for k, v in KNOWN.items()}

    def url(**given: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: given.get(m.group(1), known.get(m.group(1), "x")),
                      path)

    # (address, body, whether it must be refused: a number may be a fine text)
    sent: list[tuple[str, dict[str, Any], bool]] = []
    for kind, value in HOSTILE_PATH.items():
        refuse = kind not in ("huge", "large")
        sent += [(url(**{name: value}), {}, refuse) for name in in_path]
        sent += [(f"{url()}?{name}={value}", {}, refuse) for name in in_query]
    for kind, value in HOSTILE_JSON.items():
        refuse = kind not in ("huge", "large")
        sent += [(url(), {"content": f'{{"{name}": {value}}}'.encode()}, refuse)
                 for name in in_body]
    with TestClient(APP, raise_server_exceptions=False) as client:
        for target, body, refuse in sent:
            answer = client.request(method, target, headers={
                **ANA, "Content-Type": "application/json"}, **body)
            assert answer.status_code < 500, (target, body, answer.status_code,
                                              answer.text[:300])
            assert not refuse or answer.status_code >= 400, (target, body, answer.text[:300])
            answer.content.decode("utf-8")
            assert "\x00" not in answer.text
