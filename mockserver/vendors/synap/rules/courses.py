"""Courses, their folders and their items (Courses group).

A course holds ordered folders and ordered items; an item sits either at the course's top level
(``folder`` null) or in one of its folders, at a 1-based ``position`` within that container. The
item row is the single source of truth (``course``, ``folder``, ``position``): the course's
``folders`` / ``items`` and a folder's ``items`` relationships are worked out from the rows, in
order, so they cannot drift. Items move only through Update CourseFolder Items and the Reorder
endpoints (handlers/courses.py), which rewrite a course's whole layout at once.

An archived course's content is read-only (409); a course is published only with at least one
item (400 on ``status``), and ``publishedAt`` keeps the first publication.
"""

from __future__ import annotations

from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import ident, linked_id, linking, table
from mockserver.vendors.synap.rules import access

KINDS = ("Audio", "Document", "Embed", "Note", "Quiz", "Scorm", "Survey", "TextEntry", "Upload", "Video", "Zip")
TYPE_OF_KIND = {kind[0].lower() + kind[1:]: f"CourseItem{kind}" for kind in KINDS}  # itemType -> JSON:API type


def _by_position(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (r["attributes"].get("position") or 0, r["attributes"]["createdAt"]))


def folders_of(store, course_id: str) -> list[dict]:
    return _by_position(linking(store, "CourseFolder", "course", course_id))


def items_of(store, course_id: str) -> list[dict]:
    return linking(store, "CourseItem", "course", course_id)


def layout(store, course_id: str) -> dict[str | None, list[dict]]:
    """Container (a folder id, or None for the top level) -> its items in order."""
    out: dict[str | None, list[dict]] = {None: [], **{f["id"]: [] for f in folders_of(store, course_id)}}
    for item in items_of(store, course_id):
        out.setdefault(linked_id(item, "folder"), []).append(item)
    return {container: _by_position(items) for container, items in out.items()}


def write_layout(call, course_id: str, containers: dict[str | None, list[dict]]) -> None:
    """Store each item's folder and position as ``containers`` orders them (inside a transaction)."""
    for folder_id, items in containers.items():
        folder = {"type": "CourseFolder", "id": folder_id} if folder_id else None
        for n, item in enumerate(items, 1):
            if linked_id(item, "folder") == folder_id and item["attributes"].get("position") == n:
                continue
            call.store.update(table("CourseItem"), item["id"], {
                "attributes": {**item["attributes"], "position": n, "updatedAt": call.timestamp},
                "relationships": {**item["relationships"], "folder": folder}})


def renumber(call, table: str, rows: list[dict]) -> None:
    for n, row in enumerate(rows, 1):
        if row["attributes"].get("position") != n:
            call.store.update(table, row["id"], {"attributes": {**row["attributes"], "position": n}})


def drop_items(call, items: list[dict]) -> None:
    for item in items:
        call.store.delete(table("CourseItem"), item["id"])
    forget(call, {i["id"] for i in items})


def forget(call, gone: set[str]) -> None:
    """Study items that revised deleted course items keep their title and lose the link."""
    for study_item in call.store.rows(table("StudyItem")):
        if (study_item["relationships"].get("courseItem") or {}).get("id") in gone:
            call.store.update(table("StudyItem"), study_item["id"],
                              {"relationships": {**study_item["relationships"], "courseItem": None}})


def identifier(item: dict) -> dict:
    return {"type": TYPE_OF_KIND[item["attributes"]["itemType"]], "id": item["id"]}


def require_editable(call, course_id: str | None) -> dict:
    course = call.record("Course", course_id or "")
    if course is not None and course["attributes"]["status"] == "archived":
        raise Conflict("The course is archived: its folders and items cannot change.")
    return course


class Courses:
    allow = staticmethod(access.allow)

    def create(self, call, record, body) -> None:
        if record["relationships"].get("owner") is None and call.user_id:
            record["relationships"]["owner"] = {"type": "User", "id": call.user_id}
        if record["attributes"]["status"] == "published":
            self._require_items(call, record)  # a new course has none yet

    def update(self, call, record, changes) -> None:
        if changes.get("status") == "published" and record["attributes"]["status"] != "published":
            self._require_items(call, record)
            if not record["attributes"].get("publishedAt"):
                changes["publishedAt"] = call.timestamp

    @staticmethod
    def _require_items(call, record) -> None:
        if not items_of(call.store, record["id"]):
            raise invalid(("attributes", "status"), "A course needs at least one item to be published.")

    def delete(self, call, record) -> None:
        drop_items(call, items_of(call.store, record["id"]))
        for folder in folders_of(call.store, record["id"]):
            call.store.delete(table("CourseFolder"), folder["id"])

    def attributes(self, call, record) -> dict:
        return {"folderCount": len(folders_of(call.store, record["id"])),
                "itemCount": len(items_of(call.store, record["id"]))}

    def relationships(self, call, record) -> dict:
        containers = layout(call.store, record["id"])
        return {"folders": [ident("CourseFolder", f) for f in folders_of(call.store, record["id"])],
                "items": [identifier(i) for i in containers[None]]}


class Folders:
    allow = staticmethod(access.allow)

    def create(self, call, record, body) -> None:
        course_id = linked_id(record, "course")
        if course_id is None:
            raise invalid(("relationships", "course"), "A folder belongs to a course: relationships.course is required.")
        require_editable(call, course_id)
        record["attributes"]["position"] = len(folders_of(call.store, course_id)) + 1

    def update(self, call, record, changes) -> None:
        require_editable(call, linked_id(record, "course"))

    def delete(self, call, record) -> None:
        course_id = linked_id(record, "course")
        require_editable(call, course_id)
        drop_items(call, layout(call.store, course_id).get(record["id"], []))
        renumber(call, table("CourseFolder"), [f for f in folders_of(call.store, course_id) if f["id"] != record["id"]])

    def attributes(self, call, record) -> dict:
        return {"itemCount": len(layout(call.store, linked_id(record, "course")).get(record["id"], []))}

    def relationships(self, call, record) -> dict:
        return {"items": [identifier(i) for i in layout(call.store, linked_id(record, "course")).get(record["id"], [])]}


class Items:
    allow = staticmethod(access.allow)

    def create(self, call, record, body) -> None:
        course_id, folder_id = linked_id(record, "course"), linked_id(record, "folder")
        if folder_id is not None:
            folder_course = linked_id(call.record("CourseFolder", folder_id), "course")
            if course_id not in (None, folder_course):
                raise invalid(("relationships", "folder"), "The folder belongs to another course.")
            course_id = folder_course
            record["relationships"]["course"] = {"type": "Course", "id": course_id}
        if course_id is None:
            raise invalid(("relationships", "course"),
                          "An item belongs to a course: relationships.course (or folder) is required.")
        require_editable(call, course_id)
        self._check_kind(record["attributes"])
        record["attributes"]["position"] = len(layout(call.store, course_id).get(folder_id, [])) + 1

    def update(self, call, record, changes) -> None:
        require_editable(call, linked_id(record, "course"))
        self._check_kind({**record["attributes"], **changes})

    @staticmethod
    def _check_kind(attributes: dict) -> None:
        kind = attributes.get("itemType")
        if kind == "textEntry" and None not in (attributes.get("minWords"), attributes.get("maxWords")):
            if attributes["minWords"] > attributes["maxWords"]:
                raise invalid(("attributes", "minWords"), "minWords cannot be more than maxWords.")
        if kind == "embed" and not (attributes.get("url") or attributes.get("embedCode")):
            raise invalid(("attributes", "url"), "An embed needs a url or an embedCode.")

    def delete(self, call, record) -> None:
        course_id = linked_id(record, "course")
        require_editable(call, course_id)
        siblings = layout(call.store, course_id).get(linked_id(record, "folder"), [])
        renumber(call, table("CourseItem"), [i for i in siblings if i["id"] != record["id"]])
        forget(call, {record["id"]})  # the generic controller deletes the row itself


course = Courses()
folder = Folders()
item = Items()
