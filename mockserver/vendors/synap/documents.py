"""JSON:API documents: resource objects, ``included`` and sparse fieldsets.

A stored record is ``{"id", "attributes": {...}, "relationships": {name: identifier | [identifiers]
| None}}`` plus private ``_`` fields; identifiers are ``{"type", "id"}`` as JSON:API writes them, so a
relationship may point at any type (the generic item lists do).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property


from mockserver import context
from mockserver.clock import isoformat
from mockserver.sandbox import Sandbox, current
from mockserver.vendors.synap.media import MEDIA_TYPE
from mockserver.vendors.synap.schema import Registry, ResourceType

HEADERS = {"Content-Type": MEDIA_TYPE}


@dataclass
class Call:
    """One request as the rules see it: the world, the caller and the moment."""

    registry: Registry
    sandbox: Sandbox = field(default_factory=current)
    caller: dict = field(default_factory=dict)

    def __post_init__(self):
        # No token: an operation declared public (security: []) runs as an anonymous non-admin; only
        # a sandbox started with --no-auth (no security anywhere) treats every caller as an admin.
        if not self.caller:
            info = context.token_info()
            self.caller = dict(info) if info else {"admin": bool(self.sandbox.settings.no_auth)}

    @property
    def store(self):
        return self.sandbox.store

    @cached_property
    def now(self) -> datetime:
        return self.sandbox.now()

    @property
    def timestamp(self) -> str:
        return isoformat(self.now)

    @property
    def user_id(self) -> str | None:
        return self.caller.get("sub")

    @property
    def is_admin(self) -> bool:
        return bool(self.caller.get("admin"))

    def record(self, type_name: str, record_id: str) -> dict | None:
        return self.store.get(self.registry[type_name].table, record_id)


def linkage(call: Call, rt: ResourceType, record: dict) -> dict:
    linked = record.get("relationships", {})
    if rt.hook("relationships"):  # a view type (UserAccount) links what its rules work out
        linked = {**linked, **rt.hook("relationships")(call, record)}
    return linked


def resource(call: Call, rt: ResourceType, record: dict, fields: dict | None = None, extra: dict | None = None) -> dict:
    only = (fields or {}).get(rt.name)
    computed = rt.hook("attributes")(call, record) if rt.computed else {}
    stored = record["attributes"]
    attributes = {}
    for name in rt.attributes:
        if name in rt.hidden or (only is not None and name not in only):
            continue
        attributes[name] = computed[name] if name in rt.computed else stored.get(name)
    if extra:
        attributes.update(extra)
    linked = linkage(call, rt, record)
    relationships = {}
    for name, rel in rt.relationships.items():
        if only is not None and name not in only:
            continue
        value = linked.get(name)
        relationships[name] = {"data": value if value is not None else ([] if rel.many else None)}
    return {"type": rt.name, "id": record["id"], "attributes": attributes, "relationships": relationships}


def _identifiers(value) -> list[dict]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def included(call: Call, primary: list[tuple[ResourceType, dict]], paths: list[list[str]], fields: dict) -> list[dict]:
    """Every resource reached along the include paths, once each, primary data excluded."""
    seen = {(rt.name, record["id"]) for rt, record in primary}
    out: list[dict] = []
    for path in paths:
        level = primary
        for name in path:
            nxt = []
            for rt, record in level:
                if name not in rt.relationships:
                    continue
                for ident in _identifiers(linkage(call, rt, record).get(name)):
                    target = call.registry.get(ident["type"])
                    linked = call.store.get(target.table, ident["id"]) if target else None
                    if linked is None:
                        continue
                    nxt.append((target, linked))
                    if (target.name, linked["id"]) not in seen:
                        seen.add((target.name, linked["id"]))
                        out.append(resource(call, target, linked, fields))
            level = nxt
    return out


def document(call: Call, rt: ResourceType, record: dict, *, paths=(), fields=None, extra=None) -> dict:
    doc = {"data": resource(call, rt, record, fields, extra)}
    if paths:
        doc["included"] = included(call, [(rt, record)], list(paths), fields or {})
    return doc
