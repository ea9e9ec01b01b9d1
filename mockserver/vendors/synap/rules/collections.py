"""Collections, who sees them (CollectionAccess) and their mocks (CollectionMock).

Admins see and change every collection. Anyone else sees the collections that a CollectionAccess
shares with one of their user groups, and changes (content, order, settings) those whose access is
``editor``; a collection they cannot see is a 404 to them (rules/collection_access.py). Only admins
create or delete collections and add or delete accesses (one per group and collection: a second is a
409).

A collection's ``mocks`` attribute (create-collection-18486341e0) lists its mock exams; each gets an
id when it has none and is served as one CollectionMock, kept in step on create and update. Deleting
a collection deletes everything in it (folders, sub-folders, items and what points at them),
its accesses, progresses and mocks.
"""

from __future__ import annotations

from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.ids import new_id
from mockserver.vendors.synap.records import blank, ident, linked_id, linking, table
from mockserver.vendors.synap.rules import access, collection_contents, ordered_members
from mockserver.vendors.synap.rules.collection_access import require_editor, require_visible, visible_rows

MOCK_FIELDS = ("title", "filters", "quizLength", "passScore", "examSittingAttrs", "timeInMs")


# -- Collection ------------------------------------------------------------------------------------


def allow(call, action, record) -> None:
    if action in ("create", "delete"):
        access.allow(call, action, record)
    elif record is not None and action == "show":
        require_visible(call, record["id"], "Collection", record["id"])
    elif record is not None:
        require_editor(call, record["id"])


def visible(call, rows):
    return visible_rows(call, rows, lambda r: r["id"])


def create(call, record, body) -> None:
    if record["relationships"].get("owner") is None:
        record["relationships"]["owner"] = {"type": "User", "id": call.user_id}
    record["attributes"]["mocks"] = sync_mocks(call.store, call.registry, call.timestamp, record["id"],
                                               record["attributes"].get("mocks") or [])


def update(call, before, changes) -> None:
    if "mocks" in changes:
        changes["mocks"] = sync_mocks(call.store, call.registry, call.timestamp, before["id"], changes["mocks"] or [])


def relationships(call, record) -> dict:
    grants = linking(call.store, "CollectionAccess", "collection", record["id"])
    return {"accesses": [ident("CollectionAccess", g) for g in grants]}


relink = ordered_members.relink  # Reorder Collection Folders / Items


def reassign(call, record, rels) -> None:
    """PATCH /collections/{id} with relationships: folders and items may only be reordered."""
    ordered_members.reorder_sent(call, record, rels, "folders", "items")


def delete(call, record) -> None:
    collection_id = record["id"]
    for folder in linking(call.store, "CollectionFolder", "collection", collection_id):
        collection_contents.remove_folder(call, folder)
    for item in linking(call.store, "CollectionItem", "collection", collection_id):
        collection_contents.remove_item(call, item)
    for type_name in ("CollectionAccess", "CollectionProgress", "CollectionMock"):
        for row in linking(call.store, type_name, "collection", collection_id):
            call.store.delete(table(type_name), row["id"])


def sync_mocks(store, registry, timestamp: str, collection_id: str, mocks: list[dict]) -> list[dict]:
    """Make the collection's CollectionMocks match ``mocks``; returns ``mocks`` with every id set."""
    rt = registry["CollectionMock"]
    rows = store.rows(rt.table)
    mine = {r["id"]: r for r in rows if linked_id(r, "collection") == collection_id}
    taken = {r["id"] for r in rows} - set(mine)
    out, kept = [], set()
    for entry in mocks:
        mock_id = entry.get("id")
        if not mock_id or mock_id in taken or mock_id in kept:
            mock_id = new_id(store, "CollectionMock")
        kept.add(mock_id)
        fields = {name: entry.get(name) for name in MOCK_FIELDS}
        if mock_id in mine:
            store.update(rt.table, mock_id, {"attributes": {**mine[mock_id]["attributes"], **fields}})
        else:
            row = blank(rt, store, timestamp, fields, {"collection": {"type": "Collection", "id": collection_id}})
            store.insert(rt.table, mock_id, {**row, "id": mock_id})
        out.append({**entry, "id": mock_id})
    for mock_id in set(mine) - kept:
        store.delete(rt.table, mock_id)
    return out


# -- CollectionAccess and CollectionMock -----------------------------------------------------------


class Access:
    """Create CollectionAccess ("Add collection access to a user group") / Delete CollectionAccess."""

    allow = staticmethod(access.allow)

    def create(self, call, record, body) -> None:
        group, collection = (record["relationships"].get(n) for n in ("userGroup", "collection"))
        for name, value in (("userGroup", group), ("collection", collection)):
            if value is None:
                raise invalid(("relationships", name), f"A CollectionAccess needs a {name}.")
        for grant in linking(call.store, "CollectionAccess", "collection", collection["id"]):
            if linked_id(grant, "userGroup") == group["id"]:
                raise Conflict(f"UserGroup {group['id']} already has access to Collection {collection['id']} "
                               f"(CollectionAccess {grant['id']}).")


class Mocks:
    def allow(self, call, action, record) -> None:
        if record is not None:
            require_visible(call, linked_id(record, "collection"), "CollectionMock", record["id"])

    def visible(self, call, rows):
        return visible_rows(call, rows)


collection_access_grant = Access()
collection_mock = Mocks()
