"""What a collection holds: folders (in the collection's ``folders``), sub-folders (in a folder's
``items``) and items (in a sub-folder's or folder's ``items``, or the collection's own ``items`` at
the top level), each list in order (ordered_members).

Items are one table with an ``itemType`` (the typed CollectionItemAudio... operations stamp and filter
it); container lists name them as ``CollectionItem``, as Synap's sample does. Media items show a
library Content of their kind, note items a Note, quiz items (optionally) a Quiz.

Creating or changing content needs editor rights on the collection (rules/collection_access.py); an
archived collection takes no new folders or items. A folder's or sub-folder's collection never
changes; an item may move to another container of its collection (PATCH ``relationships.folder``).
Deleting a container deletes what it holds; deleting an item deletes its annotations and highlights
and takes it out of every progress.
"""

from __future__ import annotations

from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import ident, linked_id, linking, table
from mockserver.vendors.synap.rules import collection_access, library, ordered_members

ITEM = "CollectionItem"
KIND_LINK = {"audio": "content", "document": "content", "embed": "content", "video": "content", "zip": "content",
             "note": "note", "quiz": "quiz"}
CONTENT_TYPES = {"audio": {"audio"}, "document": {"document", "image"}, "embed": {"embed"}, "video": {"video"},
                 "zip": {"zip"}}
OPTIONAL_LINKS = {"quiz"}


def unchanged(type_name: str, record: dict, rels: dict, name: str) -> None:
    """A relationship a PATCH may repeat but not change."""
    if name in rels and (rels[name] or {}).get("id") != linked_id(record, name):
        raise invalid(("relationships", name), f"The {name} of a {type_name} cannot change.")


class Placed:
    """Hooks shared by folders, sub-folders and items: visibility through the collection, the
    default list order (container order) and ``position``."""

    type_name = ""
    parent, members = "collection", "folders"  # the container relationship, and its ordered list

    def container(self, record: dict) -> tuple[dict | None, str]:
        return record["relationships"].get(self.parent), self.members

    def allow(self, call, action, record) -> None:
        if record is None:
            return  # list: visible(); create: create() checks the collection it names
        collection_id = linked_id(record, "collection")
        collection_access.require_visible(call, collection_id, self.type_name, record["id"])
        if action != "show":
            collection_access.require_editor(call, collection_id)

    def visible(self, call, rows):
        return ordered_members.in_order(call, collection_access.visible_rows(call, rows), self.container)

    def attributes(self, call, record) -> dict:
        container, name = self.container(record)
        return {"position": ordered_members.position(call, container, name, record["id"])}

    def place(self, call, record, collection_id: str | None) -> None:
        if collection_id is None:
            raise invalid(("relationships", "collection"), f"A {self.type_name} needs a collection.")
        collection_access.require_editor(call, collection_id)
        collection_access.require_open(call, collection_id)
        record["relationships"]["collection"] = ident("Collection", collection_id)


class Folders(Placed):
    type_name = "CollectionFolder"

    def create(self, call, record, body) -> None:
        self.place(call, record, linked_id(record, "collection"))
        ordered_members.append(call, record["relationships"]["collection"], "folders", ident(self.type_name, record["id"]))

    relink = staticmethod(ordered_members.relink)  # Reorder CollectionFolder / CollectionSubFolder Items

    def reassign(self, call, record, rels) -> None:
        unchanged(self.type_name, record, rels, "collection")
        ordered_members.reorder_sent(call, record, rels, "items")

    def delete(self, call, record) -> None:
        remove_folder(call, record)


class SubFolders(Folders):
    type_name = "CollectionSubFolder"
    parent, members = "folder", "items"

    def create(self, call, record, body) -> None:
        folder_id = linked_id(record, "folder")
        folder = call.record("CollectionFolder", folder_id or "")
        if folder is None:
            raise invalid(("relationships", "folder"), "A CollectionSubFolder needs a folder (a CollectionFolder).")
        if linked_id(record, "collection") not in (None, linked_id(folder, "collection")):
            raise invalid(("relationships", "collection"), "The collection must be the folder's.")
        self.place(call, record, linked_id(folder, "collection"))
        ordered_members.append(call, record["relationships"]["folder"], "items", ident(self.type_name, record["id"]))

    def reassign(self, call, record, rels) -> None:
        unchanged(self.type_name, record, rels, "folder")
        super().reassign(call, record, rels)

    def delete(self, call, record) -> None:
        remove_sub_folder(call, record)


class Items(Placed):
    """Every kind of collection item (the kind is the record's itemType)."""

    type_name = ITEM

    def container(self, record):
        folder = record["relationships"].get("folder")
        if folder:
            return {"type": folder["type"], "id": folder["id"]}, "items"
        return record["relationships"].get("collection"), "items"

    def _collection_of_folder(self, call, folder: dict | None) -> str | None:
        if not folder:
            return None
        found = call.store.get(table(folder["type"]), folder["id"])
        return linked_id(found, "collection") if found else None

    def _check_link(self, call, kind: str, rels: dict) -> None:
        link = KIND_LINK[kind]
        target = rels.get(link)
        if target is None:
            if link in OPTIONAL_LINKS:
                return
            raise invalid(("relationships", link), f"A {kind} item needs a {link}.")
        if link == "content":
            content = call.record("Content", target["id"])
            found = library.content_type(call.store, call.registry, content)
            if found not in CONTENT_TYPES[kind]:
                raise invalid(("relationships", "content", "data"),
                              f"A {kind} item shows {' or '.join(sorted(CONTENT_TYPES[kind]))} content, not {found}.")

    def create(self, call, record, body) -> None:
        rels = record["relationships"]
        folder_collection = self._collection_of_folder(call, rels.get("folder"))
        given = linked_id(record, "collection")
        if rels.get("folder") and given not in (None, folder_collection):
            raise invalid(("relationships", "folder"), "The folder must be one of the item's collection.")
        self.place(call, record, folder_collection or given)
        self._check_link(call, record["attributes"]["itemType"], rels)
        container, name = self.container(record)
        ordered_members.append(call, container, name, ident(ITEM, record["id"]))

    def reassign(self, call, record, rels) -> None:
        unchanged(ITEM, record, rels, "collection")
        merged = {**record["relationships"], **rels}
        self._check_link(call, record["attributes"]["itemType"], merged)
        if "folder" in rels and linked_id(record, "folder") != (merged["folder"] or {}).get("id"):
            target = merged["folder"]
            if target and self._collection_of_folder(call, target) != linked_id(record, "collection"):
                raise invalid(("relationships", "folder"), "An item moves only within its collection.")
            old, name = self.container(record)
            ordered_members.drop(call, old, name, record["id"])
            new, name = self.container({**record, "relationships": merged})
            ordered_members.append(call, new, name, ident(ITEM, record["id"]))

    def delete(self, call, record) -> None:
        remove_item(call, record)


# -- removal (deletes and cascades) ----------------------------------------------------------------


def remove_item(call, item: dict) -> None:
    container, name = collection_item.container(item)
    ordered_members.drop(call, container, name, item["id"])
    for type_name in ("Annotation", "Highlight"):
        for row in list(call.store.rows(table(type_name))):
            if linked_id(row, "collectionItem") == item["id"]:
                call.store.delete(table(type_name), row["id"])
    progress_table = table("CollectionProgress")
    for row in call.store.rows(progress_table):
        done = row["relationships"].get("completedItems") or []
        if any(i["id"] == item["id"] for i in done):
            call.store.update(progress_table, row["id"], {"relationships": {
                **row["relationships"], "completedItems": [i for i in done if i["id"] != item["id"]]}})
    call.store.delete(table(ITEM), item["id"])


def _items_in(call, container_id: str) -> list[dict]:
    return linking(call.store, ITEM, "folder", container_id)


def remove_sub_folder(call, sub_folder: dict) -> None:
    ordered_members.drop(call, sub_folder["relationships"].get("folder"), "items", sub_folder["id"])
    for item in _items_in(call, sub_folder["id"]):
        remove_item(call, item)
    call.store.delete(table("CollectionSubFolder"), sub_folder["id"])


def remove_folder(call, folder: dict) -> None:
    ordered_members.drop(call, folder["relationships"].get("collection"), "folders", folder["id"])
    for sub_folder in linking(call.store, "CollectionSubFolder", "folder", folder["id"]):
        remove_sub_folder(call, sub_folder)
    for item in _items_in(call, folder["id"]):
        remove_item(call, item)
    call.store.delete(table("CollectionFolder"), folder["id"])


# -- the tag breakdown -----------------------------------------------------------------------------


def tag_breakdown(call, collection: dict) -> dict:
    """Get CollectionTagBreakdown: the collection's items per tag, and how many of them the caller
    has completed (their CollectionProgress)."""
    items = linking(call.store, ITEM, "collection", collection["id"])
    progress = next((p for p in linking(call.store, "CollectionProgress", "collection", collection["id"])
                     if linked_id(p, "user") == call.user_id), None)
    done = {i["id"] for i in (progress or {}).get("relationships", {}).get("completedItems") or []}
    counts: dict[str, list[int]] = {}
    for item in items:
        for tag in dict.fromkeys(item["attributes"].get("tags") or []):
            entry = counts.setdefault(tag, [0, 0])
            entry[0] += 1
            entry[1] += item["id"] in done
    return {
        "id": collection["id"],
        "attributes": {
            "totalItems": len(items),
            "untaggedItems": sum(1 for i in items if not i["attributes"].get("tags")),
            "tags": [{"tag": tag, "itemCount": n, "completedCount": c} for tag, (n, c) in sorted(counts.items())],
        },
        "relationships": {"collection": ident("Collection", collection["id"])},
    }


collection_folder = Folders()
collection_sub_folder = SubFolders()
collection_item = Items()  # every CollectionItem<Kind> type: one table, one order
