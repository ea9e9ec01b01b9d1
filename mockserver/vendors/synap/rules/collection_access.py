"""Who sees and changes a collection and what is in it (CollectionAccess grants, shared by the
Collections part's types: rules/collections.py, collection_contents.py, annotations.py...).

Admins see and change every collection. Anyone else sees the collections that a CollectionAccess
shares with one of their user groups, and changes (content, order, settings) those whose access is
``editor``; a collection they cannot see is a 404 to them.
"""

from __future__ import annotations

from mockserver.errors import Forbidden, NotFound
from mockserver.vendors.synap.records import linked_id, table

LEVELS = {"viewer": 1, "editor": 2}


def levels(call) -> dict[str, int] | None:
    """Collection id -> the caller's access level (LEVELS); None for admins, who have every one."""
    if call.is_admin:
        return None
    user = call.record("User", call.user_id or "")
    groups = {g["id"] for g in (user or {}).get("relationships", {}).get("userGroups") or []}
    found: dict[str, int] = {}
    for grant in call.store.rows(table("CollectionAccess")):
        if linked_id(grant, "userGroup") in groups:
            collection_id = linked_id(grant, "collection")
            level = LEVELS.get(grant["attributes"].get("level"), 1)
            found[collection_id] = max(found.get(collection_id, 0), level)
    return found


def can_see(call, collection_id: str | None, known: dict | None = None) -> bool:
    found = levels(call) if known is None else known
    return found is None or collection_id in found


def require_visible(call, collection_id: str | None, type_name: str, record_id: str) -> None:
    if not can_see(call, collection_id):
        raise NotFound(f"No {type_name} with id {record_id!r}")


def require_editor(call, collection_id: str | None) -> None:
    """The caller may change the collection's content and order (admins, editor access); a
    collection they cannot see is a 404."""
    found = levels(call)
    if found is None:
        return
    if collection_id not in found:
        raise NotFound(f"No Collection with id {collection_id!r}")
    if found[collection_id] < LEVELS["editor"]:
        raise Forbidden("Changing this collection needs editor access.")


def require_open(call, collection_id: str) -> dict:
    """The collection takes new folders and items (not archived); returns it."""
    collection = call.record("Collection", collection_id)
    if collection is None:
        raise NotFound(f"No Collection with id {collection_id!r}")
    if collection["attributes"].get("isArchived"):
        raise Forbidden("An archived collection takes no new folders or items.")
    return collection


def visible_rows(call, rows: list[dict], collection_of=lambda r: linked_id(r, "collection")) -> list[dict]:
    found = levels(call)
    return rows if found is None else [r for r in rows if collection_of(r) in found]
