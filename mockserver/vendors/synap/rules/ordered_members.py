"""Ordered memberships: a container's to-many relationship that lists its members in order (a
collection's folders and top-level items, a folder's sub-folders and items, a sub-folder's items, a
survey's pages, a page's questions). Each member points back at its one container; the container's
list is the order, and a member's ``position`` is its index there.

A create appends the member to its container, a delete takes it out, and a reorder (the JSON:API
relationship endpoint, or the container's PATCH with that relationship) must name exactly the
current members: an id that is not a member, or a member left out, is a 400.
"""

from __future__ import annotations

from mockserver.vendors.synap.errors import invalid_body
from mockserver.vendors.synap.records import target


def members(call, container: dict | None, name: str) -> list[dict]:
    return list((container or {}).get("relationships", {}).get(name) or [])


def _write(call, ident: dict, name: str, linked: list[dict]) -> None:
    rt = call.registry[ident["type"]]
    record = call.store.get(rt.table, ident["id"])
    if record is not None:
        call.store.update(rt.table, ident["id"], {"relationships": {**record["relationships"], name: linked}})


def append(call, container: dict, name: str, member: dict) -> None:
    """Add ``member`` (an identifier) at the end of ``container``'s ``name`` (an identifier too)."""
    current = members(call, target(call, container)[1], name)
    if all(m["id"] != member["id"] for m in current):
        _write(call, container, name, [*current, member])


def drop(call, container: dict | None, name: str, member_id: str) -> None:
    record = target(call, container)[1]
    if record is not None:
        _write(call, container, name, [m for m in members(call, record, name) if m["id"] != member_id])


def position(call, container: dict | None, name: str, member_id: str) -> int | None:
    ids = [m["id"] for m in members(call, target(call, container)[1], name)]
    return ids.index(member_id) if member_id in ids else None


def reorder(current: list[dict], given: list[dict], pointer: tuple) -> list[dict]:
    """``given`` as a new order of ``current`` (the stored identifiers, in ``given``'s order), or a 400
    at ``pointer`` (where ``given`` sits in the request body)."""
    by_id = {m["id"]: m for m in current}
    seen: set[str] = set()
    for n, ident in enumerate(given):
        if ident["id"] not in by_id:
            raise invalid_body((*pointer, n), f"{ident['id']!r} is not one of the current members; a reorder "
                                              "only changes the order of the members there are")
        if ident["id"] in seen:
            raise invalid_body((*pointer, n), f"{ident['id']!r} is listed twice")
        seen.add(ident["id"])
    missing = [m["id"] for m in current if m["id"] not in seen]
    if missing:
        raise invalid_body(pointer, f"A reorder lists every current member; missing: {', '.join(missing)}")
    return [by_id[ident["id"]] for ident in given]


def relink(call, record: dict, name: str, linked: list) -> None:
    """The ``relink`` hook of a container whose relationship endpoint only reorders: the engine writes
    ``linked`` after the hook, so it becomes the stored identifiers in the new order."""
    linked[:] = reorder(members(call, record, name), linked, ("data",))


def reorder_sent(call, record: dict, rels: dict, *names: str) -> None:
    """A container's PATCH that sends its ordered relationships: each must be a reorder."""
    for name in names:
        if name in rels:
            rels[name] = reorder(members(call, record, name), rels[name], ("data", "relationships", name, "data"))


def in_order(call, rows: list[dict], container_of) -> list[dict]:
    """``rows`` with siblings in their container's order (containers in the order they first appear):
    the order a list shows by default. ``container_of(record)`` -> (container identifier, name)."""
    groups: dict[tuple, list[tuple[int, int, dict]]] = {}
    orders: dict[tuple, dict[str, int]] = {}
    for n, row in enumerate(rows):
        ident, name = container_of(row)
        key = (ident["type"], ident["id"], name) if ident else ("", "", name)
        if key not in orders:
            orders[key] = {m["id"]: i for i, m in enumerate(members(call, target(call, ident)[1], name))}
        groups.setdefault(key, []).append((orders[key].get(row["id"], len(rows) + n), n, row))
    return [row for group in groups.values() for _, _, row in sorted(group, key=lambda g: (g[0], g[1]))]
