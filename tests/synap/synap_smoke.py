"""Plausible requests for any Synap operation, from the served spec alone: a body with the
operation's type and required attributes, and a real id for a path (tests/synap/test_synap_coverage.py
and tests/synap/test_synap_jsonapi_conflicts_locations.py)."""

from __future__ import annotations

import re

ORDER = {"get": 0, "patch": 1, "put": 1, "post": 2, "delete": 3}


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


def smoke_body(document: dict, operation: dict, record_id: str | None, n: int):
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
