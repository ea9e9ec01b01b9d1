"""CollectionProgress: one user's completed items in one collection (one progress per user and
collection: a second is a 409). A user records their own progress in a collection they see; admins
record anyone's. Completed items must be items of that collection (400, pointing at the one that is
not). The counts, percentage and status are worked out from the collection's items when read, so a
new or deleted item changes them; ``completedAt`` is when every item was first complete.
"""

from __future__ import annotations

from mockserver.errors import Conflict, Forbidden, NotFound
from mockserver.vendors.synap.errors import invalid, invalid_body
from mockserver.vendors.synap.records import linked_id, linking, table
from mockserver.vendors.synap.rules import collection_access


def _item_ids(call, collection_id: str) -> list[str]:
    return [i["id"] for i in linking(call.store, "CollectionItem", "collection", collection_id)]


def _completed(call, collection_id: str, given: list[dict], pointer: tuple) -> list[dict]:
    """The completed items as stored (``CollectionItem`` identifiers), or a 400 at the first that is
    not an item of the collection."""
    items = set(_item_ids(call, collection_id))
    for n, ident in enumerate(given):
        if ident["id"] not in items:
            raise invalid_body((*pointer, n), f"{ident['id']!r} is not an item of Collection {collection_id}.")
    return [{"type": "CollectionItem", "id": i} for i in dict.fromkeys(ident["id"] for ident in given)]


def _completed_at(call, record: dict, completed: list[dict]) -> str | None:
    total = _item_ids(call, linked_id(record, "collection"))
    if total and {c["id"] for c in completed} >= set(total):
        return record["attributes"].get("completedAt") or call.timestamp
    return None


def allow(call, action, record) -> None:
    if record is not None and not call.is_admin and linked_id(record, "user") != call.user_id:
        raise NotFound(f"No CollectionProgress with id {record['id']!r}")


def visible(call, rows):
    return rows if call.is_admin else [r for r in rows if linked_id(r, "user") == call.user_id]


def create(call, record, body) -> None:
    rels = record["relationships"]
    user_id = linked_id(record, "user") or call.user_id
    if user_id != call.user_id and not call.is_admin:
        raise Forbidden("Only administrators record progress for another user.")
    rels["user"] = {"type": "User", "id": user_id}
    collection_id = linked_id(record, "collection")
    if collection_id is None:
        raise invalid(("relationships", "collection"), "A CollectionProgress needs a collection.")
    if not collection_access.can_see(call, collection_id):
        raise NotFound(f"No Collection with id {collection_id!r}")
    for other in linking(call.store, "CollectionProgress", "collection", collection_id):
        if linked_id(other, "user") == user_id:
            raise Conflict(f"User {user_id} already has CollectionProgress {other['id']} in Collection {collection_id}.")
    rels["completedItems"] = _completed(call, collection_id, rels.get("completedItems") or [],
                                        ("data", "relationships", "completedItems", "data"))
    record["attributes"]["completedAt"] = _completed_at(call, record, rels["completedItems"])


def reassign(call, record, rels) -> None:
    for name in ("user", "collection"):
        if name in rels and (rels[name] or {}).get("id") != linked_id(record, name):
            raise invalid(("relationships", name), f"The {name} of a CollectionProgress cannot change.")
    if "completedItems" in rels:
        rels["completedItems"] = _completed(call, linked_id(record, "collection"), rels["completedItems"],
                                            ("data", "relationships", "completedItems", "data"))
        call.store.update(table("CollectionProgress"), record["id"], {"attributes": {
            **record["attributes"], "completedAt": _completed_at(call, record, rels["completedItems"])}})


def attributes(call, record) -> dict:
    items = set(_item_ids(call, linked_id(record, "collection")))
    done = len(items & {i["id"] for i in record["relationships"].get("completedItems") or []})
    status = "notStarted" if done == 0 else "completed" if done == len(items) else "inProgress"
    return {"completedItemCount": done, "totalItemCount": len(items),
            "percentComplete": round(100 * done / len(items)) if items else 0, "status": status}
