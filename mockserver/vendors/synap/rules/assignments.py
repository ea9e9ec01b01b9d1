"""Assignment: one learner's copy of an AssignmentGroup's course version, with its folders and items
(the eleven AssignmentItem kinds on one table, told apart by ``itemType``).

An assignment's ``status``, ``progress``, ``score``, ``timeSpentSeconds``, ``startedAt`` and
``completedAt`` follow its items (``recompute``): complete when every item is complete, in progress
once any item has been touched. Completing it sends the ``assignment.complete`` webhook (the event
Synap documents) once the request's transaction is done (``announce``). Learners see and read only
their own assignments; administrators change ``dueAt`` and ``note``.
"""

from __future__ import annotations

from mockserver.clock import parse
from mockserver.errors import Forbidden, NotFound
from mockserver.vendors.synap.records import ident, insert, linked_id, linking, new_record, table
from mockserver.vendors.synap.rules import events

TYPE = "Assignment"
KINDS = ("audio", "document", "embed", "note", "quiz", "scorm", "survey", "textEntry", "upload", "video", "zip")
KIND_TYPES = {kind: "AssignmentItem" + kind[0].upper() + kind[1:] for kind in KINDS}
ITEMS = KIND_TYPES["note"]  # the type whose table every kind of AssignmentItem shares
RESET = {"status": "notStarted", "progress": 0, "score": None, "feedback": None, "startedAt": None, "completedAt": None}


def items_of(call, assignment_id: str) -> list[dict]:
    rows = linking(call.store, ITEMS, "assignment", assignment_id)
    return sorted(rows, key=lambda i: i["attributes"].get("position") or 0)


def folders_of(call, assignment_id: str) -> list[dict]:
    rows = linking(call.store, "AssignmentFolder", "assignment", assignment_id)
    return sorted(rows, key=lambda f: f["attributes"].get("position") or 0)


def of_group(call, group_id: str) -> list[dict]:
    return linking(call.store, TYPE, "assignmentGroup", group_id)


def item_ident(item: dict) -> dict:
    return {"type": KIND_TYPES[item["attributes"]["itemType"]], "id": item["id"]}


def owner_of(call, assignment: dict | None) -> str | None:
    return linked_id(assignment, "user") if assignment else None


def require_own(call, assignment: dict | None, type_name: str, record_id: str) -> None:
    """Learners reach only their own assignments (someone else's is a 404, as if absent)."""
    if not call.is_admin and owner_of(call, assignment) != call.user_id:
        raise NotFound(f"No {type_name} with id {record_id!r}")


def overdue(call, attrs: dict) -> bool:
    return bool(attrs.get("dueAt")) and attrs.get("status") != "complete" and not attrs.get("isRevoked") \
        and call.now > parse(attrs["dueAt"])


# -- the Assignment type's hooks ----------------------------------------------------------------------


def allow(call, action, record) -> None:
    if record is not None:
        require_own(call, record, TYPE, record["id"])
    if action not in ("list", "show") and not call.is_admin:
        raise Forbidden("Only portal administrators can change an assignment.")


def visible(call, rows) -> list[dict]:
    return rows if call.is_admin else [r for r in rows if owner_of(call, r) == call.user_id]


def attributes(call, record) -> dict:
    return {"isOverdue": overdue(call, record["attributes"])}


def relationships(call, record) -> dict:
    return {"items": [item_ident(i) for i in items_of(call, record["id"])],
            "folders": [ident("AssignmentFolder", f) for f in folders_of(call, record["id"])]}


class Folder:
    def allow(self, call, action, record) -> None:
        assignment = call.store.get(table(TYPE), linked_id(record, "assignment") or "") if record else None
        if record is not None:
            require_own(call, assignment, "AssignmentFolder", record["id"])

    def _items(self, call, record) -> list[dict]:
        return [i for i in items_of(call, linked_id(record, "assignment")) if linked_id(i, "folder") == record["id"]]

    def relationships(self, call, record) -> dict:
        return {"items": [item_ident(i) for i in self._items(call, record)]}

    def attributes(self, call, record) -> dict:
        items = self._items(call, record)
        return {"itemCount": len(items), "progress": _progress([i["attributes"] for i in items])}


folder = Folder()


# -- building and moving assignments ------------------------------------------------------------------


def build(make, assignment: dict, user_id: str, outline: list[dict], keep: dict | None = None) -> None:
    """The folders and items of ``outline`` for an assignment. ``make(type, attributes, relationships)``
    stores a record (the API's insert or the seed's writer); ``keep`` maps (itemType, title) to the
    attributes of items an upgrade carries over."""
    folders: dict[str, dict] = {}
    for position, entry in enumerate(outline, start=1):
        name = entry.get("folder")
        if name and name not in folders:
            folders[name] = make("AssignmentFolder", {"name": name, "position": len(folders) + 1},
                                 {"assignment": ident(TYPE, assignment)})
        kind = entry["itemType"]
        carried = (keep or {}).get((kind, entry["title"]), {})
        make(KIND_TYPES[kind], {**carried, "itemType": kind, "title": entry["title"], "position": position},
             {"assignment": ident(TYPE, assignment), "user": {"type": "User", "id": user_id},
              "folder": ident("AssignmentFolder", folders[name]) if name else None})


def api_maker(call):
    def make(type_name: str, attributes: dict, relationships: dict) -> dict:
        rt = call.registry[type_name]
        record = new_record(call, rt, attributes, relationships)
        insert(call, rt, record)
        return record
    return make


def open_assignment(call, group: dict, version: dict, user_id: str) -> dict:
    """A new Assignment of ``group`` for a user, on ``version``, with its items (in a transaction)."""
    make = api_maker(call)
    assignment = make(TYPE, {"dueAt": group["attributes"].get("dueAt")}, {
        "user": {"type": "User", "id": user_id}, "assignmentGroup": ident("AssignmentGroup", group),
        "courseVersion": ident("AssignmentGroupCourseVersion", version), "course": group["relationships"].get("course")})
    build(make, assignment, user_id, version["attributes"].get("outline") or [])
    return assignment


def move_to_version(call, assignment: dict, version: dict) -> None:
    """Rebuild an unfinished assignment on ``version``: items still in the outline keep their state."""
    kept = {}
    for item in items_of(call, assignment["id"]):
        attrs = item["attributes"]
        kept[(attrs["itemType"], attrs["title"])] = {k: v for k, v in attrs.items() if k not in ("position", "createdAt")}
        call.store.delete(table(ITEMS), item["id"])
    for folder_record in folders_of(call, assignment["id"]):
        call.store.delete(table("AssignmentFolder"), folder_record["id"])
    build(api_maker(call), assignment, owner_of(call, assignment), version["attributes"].get("outline") or [], kept)
    call.store.update(table(TYPE), assignment["id"], {"relationships": {
        **assignment["relationships"], "courseVersion": ident("AssignmentGroupCourseVersion", version)}})
    recompute(call, assignment["id"])


def remove(call, assignment: dict) -> None:
    for item in items_of(call, assignment["id"]):
        call.store.delete(table(ITEMS), item["id"])
    for folder_record in folders_of(call, assignment["id"]):
        call.store.delete(table("AssignmentFolder"), folder_record["id"])
    call.store.delete(table(TYPE), assignment["id"])


# -- following the items ------------------------------------------------------------------------------


def _progress(items: list[dict]) -> int:
    if not items:
        return 0
    return round(sum(100 if i.get("status") == "complete" else (i.get("progress") or 0) for i in items) / len(items))


def summary(items: list[dict], before: dict, now: str) -> dict:
    """An assignment's attributes worked out from its items' attributes."""
    if items and all(i.get("status") == "complete" for i in items):
        status = "complete"
    elif any(i.get("status") != "notStarted" or i.get("progress") for i in items):
        status = "inProgress"
    else:
        status = "notStarted"
    scores = [i["score"] for i in items if isinstance(i.get("score"), (int, float))]
    starts = sorted(i["startedAt"] for i in items if i.get("startedAt"))
    completed = (before.get("completedAt") if before.get("status") == "complete" else None) or now
    return {"status": status, "progress": _progress(items),
            "score": round(sum(scores) / len(scores), 2) if scores else None,
            "timeSpentSeconds": sum(i.get("timeSpentSeconds") or 0 for i in items),
            "startedAt": starts[0] if starts else None,
            "completedAt": completed if status == "complete" else None}


def recompute(call, assignment_id: str, pending: dict | None = None) -> dict:
    """Bring an assignment in line with its items (``pending``: item id -> attributes about to be
    written). Remembers on the call an assignment that has just completed, for ``announce``."""
    assignment = call.store.get(table(TYPE), assignment_id)
    items = [{**i["attributes"], **(pending or {}).get(i["id"], {})} for i in items_of(call, assignment_id)]
    before = assignment["attributes"]
    after = {**before, **summary(items, before, call.timestamp), "updatedAt": call.timestamp}
    if after["status"] == "complete" and before.get("status") != "complete":
        call.__dict__.setdefault("completed_assignments", []).append(assignment_id)
    return call.store.update(table(TYPE), assignment_id, {"attributes": after})


def announce(call) -> None:
    """After the transaction: the assignment.complete webhook for each assignment this call completed."""
    for assignment_id in call.__dict__.pop("completed_assignments", []):
        assignment = call.store.get(table(TYPE), assignment_id)
        if assignment is not None:
            events.emit(call, "assignment.complete", TYPE, assignment)
