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

from conftest import api_client
from synap_coverage import TSV, documented, missing

ORACLE = Path(__file__).resolve().parents[1].parent / "shared" / "oracles" / "jsonapi-1.0-schema.json"
NO_ROUTE = "There is no endpoint at this path."
ORDER = {"get": 0, "patch": 1, "put": 1, "post": 2, "delete": 3}


@pytest.mark.skipif(not TSV.exists(), reason=f"the operation list is not at {TSV}")
def test_all_documented_operations_are_in_the_spec_with_their_group_and_title():
    assert sum(documented().values()) == 654
    assert dict(missing()) == {}


def _resolve(document: dict, node):
    while isinstance(node, dict) and "$ref" in node:
        node = document["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _value(document: dict, name: str, schema: dict, n: int):
    schema = _resolve(document, schema)
    if "allOf" in schema:
        merged = {}
        for part in schema["allOf"]:
            merged.update(_resolve(document, part))
        schema = {**merged, **{k: v for k, v in schema.items() if k != "allOf"}}
    if "example" in schema:
        return schema["example"]
    if "default" in schema:
        return schema["default"]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    fmt = schema.get("format")
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "array":
        return []
    if kind == "object":
        return {k: _value(document, k, v, n) for k, v in (schema.get("properties") or {}).items()
                if k in schema.get("required", [])}
    if fmt == "email":
        return f"smoke{n}@example.org"
    if fmt == "date-time":
        return "2026-09-01T09:00:00Z"
    if fmt == "date":
        return "2026-09-01"
    if fmt == "uri" or "url" in name.lower():
        return f"https://example.org/smoke/{n}"
    return f"Smoke {name} {n}" + ("x" * schema.get("minLength", 0))


def _body(document: dict, operation: dict, record_id: str | None, n: int):
    content = (operation.get("requestBody") or {}).get("content", {})
    media = content.get("application/vnd.api+json") or next(iter(content.values()), None)
    if media is None:
        return None
    schema = _resolve(document, media["schema"])
    data_schema = _resolve(document, schema.get("properties", {}).get("data", {}))
    if data_schema.get("type") == "array":  # a relationship body
        return {"data": []}
    props = data_schema.get("properties", {})
    data = {"type": _resolve(document, props.get("type", {})).get("enum", ["?"])[0]}
    if "id" in props and record_id:
        data["id"] = record_id
    if "attributes" in props:
        attrs = _resolve(document, props["attributes"])
        required = set(attrs.get("required", []))
        for part in attrs.get("allOf", []):
            required |= set(_resolve(document, part).get("required", []))
        merged = {}
        for part in attrs.get("allOf", [attrs]):
            merged.update(_resolve(document, part).get("properties", {}))
        data["attributes"] = {k: _value(document, k, merged[k], n) for k in sorted(required) if k in merged}
    return {"data": data}


class World:
    """Where to find a real id for a path: the spec's x-resource tables, read from the state export."""

    def __init__(self, document: dict, state: dict):
        self.tables = state["tables"]
        self.type_of_prefix: dict[str, tuple[str, dict]] = {}
        for path, item in document["paths"].items():
            for method in ORDER:
                mock = (item.get(method) or {}).get("x-mock") or {}
                match = re.match(r"^(/[^/{}]+)/\{id\}$", path)
                if match and mock.get("type"):
                    self.type_of_prefix.setdefault(match.group(1), (mock["type"], mock.get("where") or {}))
        self.schemas = document["components"]["schemas"]

    def id_for(self, path: str) -> str:
        match = re.match(r"^(/[^/{}]+)/\{", path)
        if not match or match.group(1) not in self.type_of_prefix:
            return "smoke-unknown-id"
        type_name, where = self.type_of_prefix[match.group(1)]
        table = self.schemas[type_name]["x-resource"]["table"]
        # the last matching record: the named fixtures come first (the demo PAT, the admin) and a
        # DELETE must not take away the credentials the rest of the calls use
        for key, doc in reversed(self.tables.get(table, [])):
            if all(doc.get("attributes", {}).get(k) == v for k, v in where.items()):
                return key
        return "smoke-unknown-id"


def test_every_operation_answers_with_a_documented_json_api_document(fresh):
    token = fresh.credentials["synap"]["token"]
    client = api_client(fresh, "synap", {"Authorization": f"Bearer {token}", "Content-Type": "application/vnd.api+json"})
    document = requests.get(fresh.api("synap") + "/openapi.json", timeout=30).json()
    world = World(document, json.loads(fresh.state()))
    oracle = None
    if ORACLE.exists():
        from test_jsonapi_oracle import _empty_patterns_to_caret
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
        body = _body(document, operation, record_id, n)
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
