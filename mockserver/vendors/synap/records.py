"""Synap's records as every rule reads and writes them, with no HTTP: identifiers, links, the
stored shape of a new record (the spec's defaults, server timestamps) and the writes the generic
controller makes (resources.py calls these too, so a rule that makes a record beside the one it
serves makes it exactly as a POST would).

A stored record is ``{"id", "attributes": {...}, "relationships": {name: identifier |
[identifiers] | None}}`` plus private ``_`` fields (documents.py renders it).
"""

from __future__ import annotations

import copy

from mockserver.errors import NotFound
from mockserver.vendors.synap.errors import invalid_body
from mockserver.vendors.synap.ids import new_id
from mockserver.vendors.synap import schema
from mockserver.vendors.synap.schema import Relationship, ResourceType


def ident(type_name: str, record: dict | str | None) -> dict | None:
    """The JSON:API identifier of a record (given as the record or its id); None for no record."""
    if record is None:
        return None
    return {"type": type_name, "id": record if isinstance(record, str) else record["id"]}


def linked_id(record: dict, name: str) -> str | None:
    """The id a to-one relationship links (None when unlinked, or when ``name`` is to-many)."""
    value = (record.get("relationships") or {}).get(name)
    return value.get("id") if isinstance(value, dict) else None


def table(type_name: str) -> str:
    """The store table of a type: the one way rules and seeds name a table (the spec's x-resource is
    the one source; call at run time, not import time, as the spec is read on first use)."""
    return schema.registry()[type_name].table


def rows(call, type_name: str) -> list[dict]:
    rt = call.registry.get(type_name)
    return call.store.rows(rt.table) if rt else []


def linking(store, type_name: str, name: str, record_id: str | None) -> list[dict]:
    """The ``type_name`` records whose to-one ``name`` links ``record_id`` (``linked_id(r, name) ==
    record_id``), in table order, read-only as ``store.rows`` hands them out; on a large table the
    store's index answers instead of a scan."""
    return store.lookup(table(type_name), ("relationships", name, "id"), record_id)


def target(call, identifier: dict | None) -> tuple[ResourceType | None, dict | None]:
    """The type and record an identifier names (either may be None)."""
    if not identifier:
        return None, None
    rt = call.registry.get(identifier["type"])
    return rt, (call.store.get(rt.table, identifier["id"]) if rt else None)


def identifiers(call, rel: Relationship, value, pointer: tuple) -> object:
    """A relationship's ``data`` from a request (``pointer``: where that ``data`` sits in the body),
    checked against the spec's types and the store."""
    name = rel.name
    if rel.many != isinstance(value, list):
        raise invalid_body(pointer, f"{name} is a to-{'many' if rel.many else 'one'} relationship")
    out = []
    for n, given in enumerate(value if rel.many else [value]):
        if given is None:
            continue
        where = (*pointer, n) if rel.many else pointer
        if not isinstance(given, dict) or not isinstance(given.get("id"), str) or not given.get("type"):
            raise invalid_body(where, "A resource identifier needs a type and a string id")
        if "*" not in rel.types and given["type"] not in rel.types:
            raise invalid_body((*where, "type"), f"{name} holds {' or '.join(rel.types)}, not {given['type']}")
        linked = call.registry.get(given["type"])
        if linked is None or call.store.get(linked.table, given["id"]) is None:
            raise NotFound(f"No {given['type']} with id {given['id']!r} (relationship {name})")
        out.append({"type": given["type"], "id": given["id"]})
    if rel.many:
        unique = {(i["type"], i["id"]): i for i in out}
        return list(unique.values())
    return out[0] if out else None


def new_record(call, rt: ResourceType, attributes: dict, relationships: dict | None = None) -> dict:
    """A record of ``rt`` with the spec's defaults and the server-set timestamps filled in."""
    return blank(rt, call.store, call.timestamp, attributes, relationships)


def blank(rt: ResourceType, store, timestamp: str, attributes: dict, relationships: dict | None = None) -> dict:
    """The stored shape of a ``rt`` record (what the seed writes too): every attribute present."""
    attrs = {}
    for name, declared in rt.attributes.items():
        if name in rt.computed or name in rt.once:
            continue
        if name in attributes:
            attrs[name] = attributes[name]
        elif name in ("createdAt", "updatedAt") and declared.get("readOnly"):
            attrs[name] = timestamp
        elif "default" in declared:
            attrs[name] = copy.deepcopy(declared["default"])
        else:
            attrs[name] = None
    rels = {name: ([] if rel.many else None) for name, rel in rt.relationships.items()}
    rels.update(relationships or {})
    return {"id": new_id(store, rt.name), "attributes": attrs, "relationships": rels}


def insert(call, rt: ResourceType, record: dict, body: dict | None = None) -> dict:
    """Run the type's create rule and store the record (call inside a transaction); returns the
    attributes the rule says are shown once (a new token's secret)."""
    hook = rt.hook("create")
    once = (hook(call, record, body or {}) if hook else None) or {}
    call.store.insert(rt.table, record["id"], record)
    return once


def add(call, type_name: str, attributes: dict, relationships: dict, **private) -> dict:
    """Make and store a record a rule keeps beside the one it serves, without the type's create
    rule (inside the transaction); ``private``: ``_`` fields such as ``_attempt``."""
    rt = call.registry[type_name]
    record = new_record(call, rt, attributes, relationships)
    record.update(private)
    call.store.insert(rt.table, record["id"], record)
    return record


def apply(call, rt: ResourceType, record: dict, changes: dict, rels: dict | None = None) -> dict:
    """Write attribute and relationship changes (inside a transaction); ``updatedAt`` moves on."""
    attributes = {**record["attributes"], **changes}
    if "updatedAt" in rt.attributes and rt.attributes["updatedAt"].get("readOnly"):
        attributes["updatedAt"] = call.timestamp
    fields = {"attributes": attributes}
    if rels:
        fields["relationships"] = {**record.get("relationships", {}), **rels}
    return call.store.update(rt.table, record["id"], fields)
