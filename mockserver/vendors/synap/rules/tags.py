"""Tag: a label in an optional TagSet, named uniquely within it (ignoring case). Deleting a tag
takes it out of every resource's relationships (any type whose relationship may hold a Tag)."""

from __future__ import annotations

from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import table
from mockserver.vendors.synap.rules import references
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)


def _set_id(record: dict) -> str | None:
    linked = record["relationships"].get("tagSet")
    return linked["id"] if linked else None


def _unique(call, name: str, set_id: str | None, except_id: str | None = None) -> None:
    for row in call.store.rows(table("Tag")):
        if row["id"] != except_id and _set_id(row) == set_id and row["attributes"]["name"].casefold() == name.casefold():
            raise invalid(("attributes", "name"), f"The tag {name!r} already exists in this tag set.")


def create(call, record, body) -> None:
    _unique(call, record["attributes"]["name"], _set_id(record))


def update(call, record, changes) -> None:
    if "name" in changes:
        _unique(call, changes["name"], _set_id(record), record["id"])


def delete(call, record) -> None:
    references.unlink(call, "Tag", record["id"])


def in_set(call, set_id: str) -> list[dict]:
    return [r for r in call.store.rows(table("Tag")) if _set_id(r) == set_id]
