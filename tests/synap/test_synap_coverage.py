"""Every one of the seed's 654 Synap operations is served (issue #6): each (group, title) pair of
shared/reference/synap-seed-operations.tsv is an operation of our spec, and every operation of the
spec answers a plausible request with a JSON:API document that our spec documents — never a
404-for-route, a 501 or a 5xx."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests
from jsonschema import validators

from support import api_client
from synap_coverage import TSV, documented, missing
from synap_smoke import ORDER, World, smoke_body

ORACLE = Path(__file__).resolve().parents[2].parent / "shared" / "oracles" / "jsonapi-1.0-schema.json"
NO_ROUTE = "There is no endpoint at this path."


@pytest.mark.skipif(not TSV.exists(), reason=f"the operation list is not at {TSV}")
def test_all_documented_operations_are_in_the_spec_with_their_group_and_title():
    assert sum(documented().values()) == 654
    assert dict(missing()) == {}


def test_every_operation_answers_with_a_documented_json_api_document(fresh):
    token = fresh.credentials["synap"]["token"]
    client = api_client(fresh, "synap", {"Authorization": f"Bearer {token}", "Content-Type": "application/vnd.api+json"})
    document = requests.get(fresh.api("synap") + "/openapi.json", timeout=30).json()
    world = World(document, json.loads(fresh.state()))
    oracle = None
    if ORACLE.exists():
        from support import empty_patterns_to_caret as _empty_patterns_to_caret
        schema = _empty_patterns_to_caret(json.loads(ORACLE.read_text()))
        oracle = validators.validator_for(schema)(schema)
    calls = sorted(((ORDER[m], path, m, op) for path, item in document["paths"].items()
                    for m, op in item.items() if m in ORDER), key=lambda c: (c[0], c[1]))
    problems = []
    for n, (_, path, method, operation) in enumerate(calls):
        record_id = world.id_for(path)
        url = re.sub(r"\{[^}]+\}", record_id, path)
        names = {p.get("name") or p.get("$ref", "").rsplit("/", 1)[-1] for p in operation.get("parameters", [])}
        params = {"limit": 5, "offset": 0} if "limit" in names else {}
        body = smoke_body(document, operation, record_id, n)
        try:
            response = client.request(method.upper(), url, params=params, json=body)
        except AssertionError as exc:  # the spec checker: an undocumented status or an off-spec body
            problems.append(f"{method.upper()} {path}: {exc}")
            continue
        where = f"{method.upper()} {path} -> {response.status_code}"
        if response.status_code >= 500 or response.status_code == 501:
            problems.append(f"{where}: {response.text[:300]}")
        elif response.status_code == 404 and NO_ROUTE in response.text:
            problems.append(f"{where}: no route")
        elif response.status_code != 204 and oracle is not None:
            errors = [e.message for e in oracle.iter_errors(response.json())]
            if errors:
                problems.append(f"{where}: not JSON:API: {errors[:2]}")
    assert problems == []
