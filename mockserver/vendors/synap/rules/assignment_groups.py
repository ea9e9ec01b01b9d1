"""AssignmentGroup: a course assigned to a UserGroup. Creating one makes version 1 of its
AssignmentGroupCourseVersion (the ``outline`` given, else the course's items when the Courses part
has them) and an Assignment with those items for each member of the group. A new course version
becomes the group's current one; with ``upgradeAssignments`` the unfinished assignments move onto
it (rules/assignments.py: move_to_version). Deleting a group deletes its assignments too.
"""

from __future__ import annotations

from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import ident, linked_id, linking, new_record, table
from mockserver.vendors.synap.rules import action_logs, assignments, user_groups
from mockserver.vendors.synap.rules.access import allow

TYPE = "AssignmentGroup"
VERSION = "AssignmentGroupCourseVersion"


def versions_of(call, group_id: str) -> list[dict]:
    rows = linking(call.store, VERSION, "assignmentGroup", group_id)
    return sorted(rows, key=lambda v: v["attributes"].get("versionNumber") or 0)


def attributes(call, record) -> dict:
    return {"assignmentCount": len(assignments.of_group(call, record["id"]))}


def _caller(call) -> dict | None:
    return {"type": "User", "id": call.user_id} if call.user_id else None


def create(call, record, body) -> None:
    rels = record["relationships"]
    rels["owner"] = rels.get("owner") or _caller(call)
    outline = record["attributes"].pop("outline", None) or course_outline(call, rels.get("course"))
    version_type = call.registry[VERSION]
    version = new_record(call, version_type, {"versionNumber": 1, "outline": outline, "upgradeAssignments": True},
                         {"assignmentGroup": ident(TYPE, record), "course": rels.get("course"), "createdBy": _caller(call)})
    call.store.insert(version_type.table, version["id"], version)  # version 1 is made here, not by its create rule
    rels["courseVersion"] = ident(VERSION, version)
    group = linked_id(record, "userGroup")
    if group:
        user_groups.require_open(call.record("UserGroup", group))
        for member in user_groups.members(call.store, group):
            assignments.open_assignment(call, record, version, member["id"])


def created(call, record) -> None:
    action_logs.record(call, "assignment_group.create", TYPE, record["id"],
                       f"Assigned {record['attributes']['name']!r} to {len(assignments.of_group(call, record['id']))} learners")


def update(call, record, changes) -> None:
    changes.pop("outline", None)  # create only: later content comes with a new course version
    if "dueAt" in changes and changes["dueAt"] != record["attributes"].get("dueAt"):
        for assignment in assignments.of_group(call, record["id"]):  # those still on the group's date follow it
            if assignment["attributes"].get("dueAt") == record["attributes"].get("dueAt"):
                call.store.update(table(assignments.TYPE), assignment["id"],
                                  {"attributes": {**assignment["attributes"], "dueAt": changes["dueAt"]}})


def delete(call, record) -> None:
    for assignment in assignments.of_group(call, record["id"]):
        assignments.remove(call, assignment)
    for version in versions_of(call, record["id"]):
        call.store.delete(table(VERSION), version["id"])


def deleted(call, record) -> None:
    action_logs.record(call, "assignment_group.delete", TYPE, record["id"], f"Deleted {record['attributes']['name']!r}")


class CourseVersion:
    allow = staticmethod(allow)

    def attributes(self, call, record) -> dict:
        group = call.store.get(table(TYPE), linked_id(record, "assignmentGroup") or "")
        return {"isCurrent": bool(group) and linked_id(group, "courseVersion") == record["id"]}

    def create(self, call, record, body) -> None:
        ref = record["relationships"].get("assignmentGroup")
        if not ref:
            raise invalid(("relationships", "assignmentGroup"), "assignmentGroup is required.")
        groups = table(TYPE)
        group = call.store.get(groups, ref["id"])
        earlier = versions_of(call, group["id"])
        rels, attrs = record["relationships"], record["attributes"]
        rels["course"] = rels.get("course") or group["relationships"].get("course")
        rels["createdBy"] = _caller(call)
        if attrs.get("outline") is None:
            attrs["outline"] = course_outline(call, rels["course"]) or (earlier[-1]["attributes"]["outline"] if earlier else [])
        attrs["versionNumber"] = len(earlier) + 1
        call.store.update(groups, group["id"], {"relationships": {**group["relationships"], "courseVersion": ident(VERSION, record)}})
        moved = 0
        if attrs.get("upgradeAssignments", True):
            for assignment in assignments.of_group(call, group["id"]):
                if assignment["attributes"]["status"] != "complete":
                    assignments.move_to_version(call, assignment, record)
                    moved += 1
        attrs["upgradedCount"] = moved

    def created(self, call, record) -> None:
        assignments.announce(call)
        action_logs.record(call, "assignment_group.course_version", VERSION, record["id"],
                           f"Version {record['attributes']['versionNumber']}; moved {record['attributes']['upgradedCount']} assignments")


course_version = CourseVersion()


def course_outline(call, course: dict | None) -> list[dict]:
    """The items of a course as an assignment outline [{itemType, title, folder}], read from the
    Courses part's typed item tables (``CourseItem<Kind>`` types linking ``course``) when they exist
    (the Assignments part only links to courses)."""
    if not course:
        return []
    found = []
    seen_tables = set()
    for rt in call.registry.types.values():
        if not rt.name.startswith("CourseItem") or "course" not in rt.relationships or rt.table in seen_tables:
            continue
        seen_tables.add(rt.table)
        for row in call.store.rows(rt.table):
            if linked_id(row, "course") != course["id"]:
                continue
            attrs = row["attributes"]
            suffix = rt.name.removeprefix("CourseItem")
            kind = attrs.get("itemType") if attrs.get("itemType") in assignments.KINDS else suffix[:1].lower() + suffix[1:]
            if kind not in assignments.KINDS:
                continue
            found.append((attrs.get("position") or 0, {"itemType": kind, "title": attrs.get("title") or attrs.get("name") or suffix,
                                                       "folder": None}))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]
