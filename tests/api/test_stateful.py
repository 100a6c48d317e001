"""Schemathesis, stateful: sequences of API calls that feed each other (an OpenAPI link takes a
value from one answer into the next request), as a coordinator of the seaside flats.

Schemathesis infers most links from the schema (``GET /offers`` gives the task of ``PUT`` and
``DELETE /offers/{task}``, ``POST /wishes`` the wish to withdraw, a settled period the number
of the period to close); the links it cannot infer are declared here, on the schema as the
test loads it (logged work to confirm or reject, a founded pool to read). Every call goes as
ana, by token, and names the pool ``seaside`` (in period 1, collecting ana's and ben's offers
and wishes), so that the sequences reach the services; each sequence starts from the same
stored state.

Whatever the sequence, no answer is a server error, and an answer whose status the schema
documents has the documented content type and matches its schema. Kept small by default;
``PEERCONOMY_FUZZ_EXAMPLES=200`` asks for more.
"""

from __future__ import annotations

import copy
import os
import re
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from seaside import FLATS, Headers, sign_up

from peerconomy.asgi import create_app
from peerconomy.http.settings import AppSettings
from peerconomy.store.memory import MemoryStore

SCHEMA_PATH = "/api/v1/openapi.json"
KNOWN = {"task": "laundry", "good": "sea-view", "participant": "ben", "user": "ben",
         "project": "flats", "number": 1, "wish": "ben-guests"}
P = "/api/v1/pools/{pool}"
LINKS: list[tuple[str, str, str, str, str, dict[str, str]]] = [
    # (source path, method, status, target path, method, parameters)
    (P + "/work", "post", "201", P + "/work/{log_id}/confirm", "post",
     {"pool": "$request.path.pool", "log_id": "$response.body#/id"}),
    (P + "/work", "post", "201", P + "/work/{log_id}/reject", "post",
     {"pool": "$request.path.pool", "log_id": "$response.body#/id"}),
    (P + "/work", "get", "200", P + "/work/{log_id}/confirm", "post",
     {"pool": "$request.path.pool", "log_id": "$response.body#/0/id"}),
    ("/api/v1/pools", "post", "201", P, "get", {"pool": "$response.body#/pool"}),
    ("/api/v1/pools", "post", "201", P + "/members", "get", {"pool": "$response.body#/pool"}),
    (P + "/period/clear", "post", "200", P + "/period/settle", "post",
     {"pool": "$request.path.pool"}),
    (P + "/period/clear", "post", "200", P + "/work", "post", {"pool": "$request.path.pool"}),
    (P + "/period/settle", "post", "200", P + "/ledger/balances", "get",
     {"pool": "$request.path.pool"}),
]


def _operation_id(raw: dict[str, Any], path: str, method: str) -> str:
    found: str = raw["paths"][path][method]["operationId"]
    return found


def _from_the_pool_list(raw: dict[str, Any]) -> list[tuple[str, str, str, str, str,
                                                               dict[str, str]]]:
    """A link from the list of one's pools to every other operation, so that each is a step
    of the sequences: an operation on a pool names the first pool listed (the pools listed
    are all ana's)."""
    return [
        ("/api/v1/pools", "get", "200", path, method,
         {"pool": "$response.body#/0/name"} if path.startswith(P) else {})
        for path, operations in raw["paths"].items()
        for method in operations
        if (path, method) != ("/api/v1/pools", "get")
    ]


def with_links(raw: dict[str, Any]) -> dict[str, Any]:
    """The API's schema with the links of :data:`LINKS` added to its responses, and those
    from the list of pools to every operation on a pool."""
    raw = copy.deepcopy(raw)
    for source, method, status, target, target_method, parameters in [
        *LINKS, *_from_the_pool_list(raw)
    ]:
        responses = raw["paths"][source][method]["responses"]
        answer = responses.setdefault(status, {"description": "Successful Response"})
        name = f"{target_method.upper()} {target}"
        answer.setdefault("links", {})[name] = {
            "operationId": _operation_id(raw, target, target_method),
            "parameters": parameters,
        }
    return raw


def seaside() -> tuple[Any, MemoryStore, Headers]:
    """The app with the seaside flats in period 1, collecting ana's and ben's offers and
    wishes (ana coordinates the public pool, open to anyone, and ben joined it); its store
    and ana's headers."""
    store = MemoryStore()
    app = create_app(store, AppSettings(signup="open", secret_key="seaside test key"), pages=False)
    with TestClient(app) as client:
        ana, ben = sign_up(client, "ana"), sign_up(client, "ben")
        steps = [
            ("POST", "/api/v1/pools", {"name": "seaside", "admission": "open", "public": True},
             ana),
            ("POST", "/api/v1/pools/seaside/projects", FLATS, ana),
            ("POST", "/api/v1/pools/seaside/join", None, ben),
            ("PUT", "/api/v1/pools/seaside/offers/stairs", {"hours": 3, "min_weight": 1}, ana),
            ("PUT", "/api/v1/pools/seaside/offers/laundry", {"hours": 2, "min_weight": 1}, ana),
            ("PUT", "/api/v1/pools/seaside/offers/garden", {"hours": 2, "min_weight": 1}, ben),
            ("PUT", "/api/v1/pools/seaside/offers/stairs", {"hours": 2, "min_weight": 1.5}, ben),
            ("POST", "/api/v1/pools/seaside/wishes",
             {"id": "ana-room", "alternatives": [{"good": "sea-view", "max_cost": 6}]}, ana),
            ("POST", "/api/v1/pools/seaside/wishes",
             {"id": "ben-guests", "quantity": 2, "alternatives": [{"good": "guest-bed"}]}, ben),
        ]
        for method, url, body, who in steps:
            answer = client.request(method, url, json=body, headers=who)
            assert answer.status_code in (200, 201), (url, answer.text)
    return app, store, ana


APP, STORE, ANA = seaside()
START = STORE.state.copy()
schema = schemathesis.openapi.from_dict(with_links(APP.openapi()))
schema.app = APP
schema.location = SCHEMA_PATH


@schema.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any] | None
                        ) -> dict[str, Any] | None:
    """Every call names the seaside pool; half of them (by the length of a generated value)
    name its tasks, goods and members too."""
    if not path_parameters:
        return path_parameters
    mapped = dict(path_parameters, pool="seaside") if "pool" in path_parameters else dict(
        path_parameters)
    if sum(len(str(v)) for v in path_parameters.values()) % 2 == 0:
        mapped.update({k: KNOWN[k] for k in mapped if k in KNOWN})
    return mapped


CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance,
          content_type_conformance]


class Sequences(schema.as_state_machine()):  # type: ignore[misc]
    """Ana's call sequences, each from the same start."""

    def setup(self) -> None:
        STORE.state = START.copy()

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": ANA}

    def validate_response(self, response: Any, case: Any,
                          additional_checks: Any = None, **kwargs: Any) -> None:
        case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)


def test_the_links_are_in_the_schema_as_loaded() -> None:
    loaded = with_links(APP.openapi())
    for source, method, status, target, target_method, _ in LINKS:
        links = loaded["paths"][source][method]["responses"][status]["links"]
        assert f"{target_method.upper()} {target}" in links
    # every operation of the API is a step of the sequences (a root or a link's target)
    rules = " ".join(name for name in dir(Sequences) if not name.startswith("_"))
    for path, operations in loaded["paths"].items():
        for method in operations:
            if (path, method) == ("/api/v1/pools", "get"):
                continue  # the root of those links
            label = re.sub(r"\W", "_", f"{method.upper()}_{path.strip('/')}")
            label = re.sub(r"_+", "_", label)
            assert label in rules, label


TestSequences = Sequences.TestCase
TestSequences.settings = settings(
    max_examples=int(os.environ.get("PEERCONOMY_FUZZ_EXAMPLES", "60")),
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def test_each_export_format_answers_with_a_documented_content_type() -> None:
    """Found by the sequences: the CSV export was answered as text/csv, documented as
    text/plain alone."""
    STORE.state = START.copy()  # as the sequences left it, ana's token may be revoked
    documented = APP.openapi()["paths"][P + "/ledger/export"]["get"]["responses"]["200"]
    with TestClient(APP) as client:
        for fmt in ("csv", "json", "beancount"):
            answer = client.get(f"/api/v1/pools/seaside/ledger/export?format={fmt}",
                                headers=ANA)
            assert answer.status_code == 200, answer.text
            media = answer.headers["content-type"].split(";")[0]
            assert media in documented["content"], (fmt, media)
