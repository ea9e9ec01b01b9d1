"""Hand-written operations of the Courses, Revision, Mobile groups.

A course's layout (which folder each item is in, and where) lives on the item rows (see
rules/courses.py), so the three ordering endpoints are written here rather than by the generic
relationship controller, which would store a copy of the order on the parent.
"""

from __future__ import annotations

from mockserver.vendors.synap import schema
from mockserver.vendors.synap.documents import HEADERS, Call
from mockserver.vendors.synap.errors import invalid_body
from mockserver.vendors.synap.records import identifiers, linked_id, table
from mockserver.vendors.synap.resources import require
from mockserver.vendors.synap.rules import access, courses as rules


def _given(call: Call, type_name: str, relationship: str, body: dict) -> list[dict]:
    return identifiers(call, call.registry[type_name].relationships[relationship], body.get("data"), ("data",))


def _check_kinds(given: list[dict], items: dict[str, dict]) -> None:
    for n, ident in enumerate(given):
        actual = rules.identifier(items[ident["id"]])["type"]
        if ident["type"] != actual:
            raise invalid_body(("data", n, "type"), f"Item {ident['id']} is a {actual}, not a {ident['type']}.")


def _same_members(given: list[dict], members: list[dict], what: str) -> None:
    """A reorder lists every member exactly once: an outsider or a missing member is a 400."""
    ids = {m["id"] for m in members}
    for n, ident in enumerate(given):
        if ident["id"] not in ids:
            raise invalid_body(("data", n), f"{ident['id']} is not one of {what}.")
    missing = ids - {i["id"] for i in given}
    if missing:
        raise invalid_body(("data",), f"Reordering lists all of {what}; missing: {', '.join(sorted(missing))}.")


def _editable(call: Call, type_name: str, id: str) -> dict:
    """The course or folder to change: admins only, and not in an archived course."""
    record = require(call, call.registry[type_name], id)
    access.allow(call, "update", record)
    rules.require_editable(call, record["id"] if type_name == "Course" else linked_id(record, "course"))
    return record


def courses_reorder_folders(id: str, body: dict):
    """Reorder Course Folders: PATCH /courses/{id}/relationships/folders."""
    call = Call(schema.registry())
    with call.store.transaction():
        course = _editable(call, "Course", id)
        given = _given(call, "Course", "folders", body)
        _same_members(given, rules.folders_of(call.store, course["id"]), "the course's folders")
        rules.renumber(call, table("CourseFolder"), [call.record("CourseFolder", i["id"]) for i in given])
    return {"data": [{"type": "CourseFolder", "id": i["id"]} for i in given]}, 200, HEADERS


def courses_reorder_items(id: str, body: dict):
    """Reorder Course Items: PATCH /courses/{id}/relationships/items (the course's top-level items)."""
    call = Call(schema.registry())
    with call.store.transaction():
        course = _editable(call, "Course", id)
        given = _given(call, "Course", "items", body)
        containers = rules.layout(call.store, course["id"])
        _same_members(given, containers[None], "the course's top-level items")
        by_id = {i["id"]: i for i in containers[None]}
        _check_kinds(given, by_id)
        containers[None] = [by_id[i["id"]] for i in given]
        rules.write_layout(call, course["id"], containers)
    return {"data": given}, 200, HEADERS


def course_folders_update_items(id: str, body: dict):
    """Update CourseFolder Items: PATCH /course-folders/{id}/relationships/items (set, in order)."""
    call = Call(schema.registry())
    with call.store.transaction():
        folder = _editable(call, "CourseFolder", id)
        course_id = linked_id(folder, "course")
        given = _given(call, "CourseFolder", "items", body)
        by_id = {i["id"]: i for i in rules.items_of(call.store, course_id)}
        for n, ident in enumerate(given):
            if ident["id"] not in by_id:
                raise invalid_body(("data", n), f"{ident['id']} is not an item of this folder's course.")
        _check_kinds(given, by_id)
        wanted = [i["id"] for i in given]
        containers = rules.layout(call.store, course_id)
        dropped = [i for i in containers[folder["id"]] if i["id"] not in wanted]
        containers = {c: [i for i in items if i["id"] not in wanted] for c, items in containers.items()}
        containers[folder["id"]] = [by_id[i] for i in wanted]
        containers[None] += dropped  # items taken out of the folder go to the end of the top level
        rules.write_layout(call, course_id, containers)
    return {"data": given}, 200, HEADERS
