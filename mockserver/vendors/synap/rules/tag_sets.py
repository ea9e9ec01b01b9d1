"""TagSet: a named family of Tags (names unique, ignoring case). Its ``tags`` are the Tags whose
``tagSet`` names it; deleting a set deletes its tags (and unlinks them everywhere)."""

from __future__ import annotations

from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import ident, table
from mockserver.vendors.synap.rules import tags
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)


def _unique(call, name: str, except_id: str | None = None) -> None:
    for row in call.store.rows(table("TagSet")):
        if row["id"] != except_id and row["attributes"]["name"].casefold() == name.casefold():
            raise invalid(("attributes", "name"), f"A tag set named {name!r} already exists.")


def create(call, record, body) -> None:
    _unique(call, record["attributes"]["name"])
    record["relationships"]["tags"] = []  # worked out from the tags (relationships below)


def update(call, record, changes) -> None:
    if "name" in changes:
        _unique(call, changes["name"], record["id"])


def attributes(call, record) -> dict:
    return {"totalTags": len(tags.in_set(call, record["id"]))}


def relationships(call, record) -> dict:
    return {"tags": [ident("Tag", tag) for tag in tags.in_set(call, record["id"])]}


def delete(call, record) -> None:
    table_name = table("Tag")
    for tag in tags.in_set(call, record["id"]):
        tags.delete(call, tag)
        call.store.delete(table_name, tag["id"])
