"""The JSON:API types of the Synap spec, read from the spec itself at startup.

A component schema that carries ``x-resource`` is a resource type: its name is the JSON:API
``type``; ``x-resource.table`` names its store table and ``x-resource.rules`` the module of
``rules/`` that adds its business rules (see resources.py for the hooks). Its ``attributes``
schema says which attributes exist (``readOnly``: set by the server; ``writeOnly``: accepted, never
rendered; ``x-computed``: worked out by the rules module when rendered; ``x-once``: returned only by the call
that made it, such as a new token's secret) and its ``relationships``
properties name their target type in ``x-type`` (a list of types, or ``"*"`` for any) and are
to-many when they ``$ref`` ``ToMany``. The spec is the contract, so the controller reads nothing
else: a new type is a new schema, not new code.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from mockserver.specs import SpecError, bundle

_REF = "#/components/schemas/"


@dataclass(frozen=True)
class Relationship:
    name: str
    types: tuple[str, ...]  # ("*",): identifiers of any type
    many: bool


@dataclass
class ResourceType:
    name: str
    table: str
    rules: object | None  # the module (or object) whose functions are the type's hooks
    attributes: dict[str, dict]  # name -> property schema, in spec order
    relationships: dict[str, Relationship]
    writable: frozenset[str] = field(default_factory=frozenset)
    hidden: frozenset[str] = field(default_factory=frozenset)  # writeOnly / x-once: not rendered from the store
    once: frozenset[str] = field(default_factory=frozenset)  # x-once: only in the response of the call that made it
    computed: frozenset[str] = field(default_factory=frozenset)

    def hook(self, name: str):
        return getattr(self.rules, name, None) if self.rules else None


def _resolve(schemas: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        node = schemas[node["$ref"].removeprefix(_REF)]
    if isinstance(node, dict) and "allOf" in node:  # attributes: allOf [base, extra]: merged properties
        merged: dict = {"properties": {}}
        for part in node["allOf"]:
            merged["properties"].update(_resolve(schemas, part).get("properties", {}))
        return merged
    return node


def _relationship(schemas: dict, name: str, prop: dict, where: str) -> Relationship:
    target = prop.get("x-type")
    if not target:
        raise SpecError(f"{where}: relationship {name} needs x-type (its target type)")
    many = prop.get("$ref", "").endswith("/ToMany")
    return Relationship(name, tuple(target) if isinstance(target, list) else (target,), many)


def _rules(name: str | None, where: str):
    """``module`` (of rules/) or ``module:attribute`` (an object whose methods are the hooks, for
    types that share one rule, such as the three confirm-by-emailed-token flows)."""
    if not name:
        return None
    module_name, _, attribute = name.partition(":")
    try:
        module = importlib.import_module(f"mockserver.vendors.synap.rules.{module_name}")
    except ImportError as exc:
        raise SpecError(f"{where}: x-resource.rules {name!r}: {exc}") from exc
    if attribute and not hasattr(module, attribute):
        raise SpecError(f"{where}: x-resource.rules {name!r}: no {attribute} in {module.__name__}")
    return getattr(module, attribute) if attribute else module


class Registry:
    def __init__(self, document: dict):
        self.document = document  # the spec it was read from (search and hand-written handlers read operations)
        schemas = document.get("components", {}).get("schemas", {})
        self.types: dict[str, ResourceType] = {}
        for name, schema in schemas.items():
            config = schema.get("x-resource")
            if config is None:
                continue
            where = f"components.schemas.{name}"
            props = schema.get("properties", {})
            attributes = _resolve(schemas, props.get("attributes", {})).get("properties", {})
            relationships = {
                rel: _relationship(schemas, rel, prop, where)
                for rel, prop in (props.get("relationships", {}).get("properties") or {}).items()
            }
            rules = _rules(config.get("rules"), where)
            self.types[name] = ResourceType(
                name=name,
                table=config["table"],
                rules=rules,
                attributes=attributes,
                relationships=relationships,
                writable=frozenset(a for a, s in attributes.items() if not s.get("readOnly") and not s.get("x-computed")),
                hidden=frozenset(a for a, s in attributes.items() if s.get("writeOnly") or s.get("x-once")),
                once=frozenset(a for a, s in attributes.items() if s.get("x-once")),
                computed=frozenset(a for a, s in attributes.items() if s.get("x-computed")),
            )
        for rt in self.types.values():
            for rel in rt.relationships.values():
                unknown = [t for t in rel.types if t != "*" and t not in self.types]
                if unknown:
                    raise SpecError(f"components.schemas.{rt.name}: relationship {rel.name} targets unknown type {unknown[0]}")

    def __getitem__(self, name: str) -> ResourceType:
        return self.types[name]

    def get(self, name: str) -> ResourceType | None:
        return self.types.get(name)


_registry: Registry | None = None


def registry(document: dict | None = None) -> Registry:
    """The types of the Synap spec, read once per process: from the bundle an app hands over, or
    from the packaged spec when seeding comes first. Every app bundles the same files (only the
    security requirements differ), so one registry serves them all."""
    global _registry
    if _registry is None:
        if document is None:
            document = bundle("synap").document
        _registry = Registry(document)
    return _registry
