"""Annotations and highlights: a user's marks on a collection item.

Made for the caller (admins may name another owner) on an item of a collection the caller sees and
whose ``annotationsEnabled`` is true (else 403); the mark's collection is the item's. Only its owner
or an admin changes or deletes it. Highlights are private to their owner; an annotation with
``isShared`` is also seen by everyone who sees the collection (they may read it, not change it).
A highlight's ``startOffset`` comes before its ``endOffset`` (400).
"""

from __future__ import annotations

from mockserver.errors import Forbidden, NotFound
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import ident, linked_id
from mockserver.vendors.synap.rules import collection_access


class ItemMarks:
    def __init__(self, type_name: str, can_share: bool, offsets: tuple[str, str] | None):
        self.type_name, self.can_share, self.offsets = type_name, can_share, offsets

    def _shared_with(self, call, record, known=None) -> bool:
        return (self.can_share and bool(record["attributes"].get("isShared"))
                and collection_access.can_see(call, linked_id(record, "collection"), known))

    def allow(self, call, action, record) -> None:
        if record is None or call.is_admin or linked_id(record, "owner") == call.user_id:
            return
        if self._shared_with(call, record):
            if action == "show":
                return
            raise Forbidden(f"Only its owner changes a {self.type_name}.")
        raise NotFound(f"No {self.type_name} with id {record['id']!r}")

    def visible(self, call, rows):
        if call.is_admin:
            return rows
        known = collection_access.levels(call)
        return [r for r in rows if linked_id(r, "owner") == call.user_id or self._shared_with(call, r, known)]

    def _check_offsets(self, attributes: dict) -> None:
        if self.offsets:
            start, end = (attributes.get(name) for name in self.offsets)
            if start is not None and end is not None and start >= end:
                raise invalid(("attributes", self.offsets[1]), f"{self.offsets[1]} comes after {self.offsets[0]}.")

    def create(self, call, record, body) -> None:
        rels = record["relationships"]
        owner = linked_id(record, "owner") or call.user_id
        if owner != call.user_id and not call.is_admin:
            raise Forbidden(f"Only administrators make a {self.type_name} for another user.")
        rels["owner"] = {"type": "User", "id": owner}
        item = call.record("CollectionItem", linked_id(record, "collectionItem") or "")
        if item is None:
            raise invalid(("relationships", "collectionItem"), f"A {self.type_name} needs a collectionItem.")
        collection_id = linked_id(item, "collection")
        if not collection_access.can_see(call, collection_id):
            raise NotFound(f"No CollectionItem with id {item['id']!r}")
        collection = call.record("Collection", collection_id)
        if not collection["attributes"].get("annotationsEnabled", True):
            raise Forbidden("Annotations are turned off for this collection (annotationsEnabled).")
        rels["collectionItem"] = ident("CollectionItem", item)
        rels["collection"] = {"type": "Collection", "id": collection_id}
        self._check_offsets(record["attributes"])

    def update(self, call, before, changes) -> None:
        self._check_offsets({**before["attributes"], **changes})


annotation = ItemMarks("Annotation", can_share=True, offsets=None)
highlight = ItemMarks("Highlight", can_share=False, offsets=("startOffset", "endOffset"))
