"""Assignment groups and assignments of a course (canvas:app/controllers/assignment_groups_api_controller.rb,
assignment_groups_controller.rb, assignments_api_controller.rb; app/models/assignment.rb).

- Staff (teachers, TAs, designers, admins) create, change and delete them; everyone who may read
  the course lists them, students only the published ones.
- A new assignment is unpublished unless ``assignment[published]`` (draft state); it lands in the
  course's first group unless ``assignment_group_id`` names one, at the end of it. Creating or
  publishing one gives every student of the course an unsubmitted submission.
- An assignment with student submissions cannot be unpublished ("Can't unpublish if there are
  student submissions", Assignment#can_unpublish?).
- Deleting a group deletes its assignments, unless ``move_assignments_to`` names another group.
- ``bucket`` (past, overdue, undated, ungraded, unsubmitted, upcoming, future) is read against the
  sandbox clock; ``order_by`` is position (the default: group position, then position), name or due_at.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mockserver.clock import isoformat, parse
from mockserver.errors import NotFound
from mockserver.store import Store
from mockserver.vendors.canvas import forms
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.errors import ModelErrors
from mockserver.vendors.canvas.rules import grading, integer_id, permissions, submissions

SUBMISSION_TYPES = ("online_quiz", "none", "on_paper", "discussion_topic", "external_tool", "online_upload",
                    "online_text_entry", "online_url", "media_recording", "student_annotation")
UPCOMING = timedelta(weeks=1)  # "upcoming": due in the next week
DEFAULT_GROUP = "Assignments"
_ASSIGNMENT_FIELDS = ("name", "description", "points_possible", "grading_type", "submission_types", "position",
                      "peer_reviews", "omit_from_final_grade", "allowed_extensions", "allowed_attempts",
                      "only_visible_to_overrides", "anonymous_grading", "post_manually", "grading_standard_id")


# -- assignment groups -----------------------------------------------------------------------------

def group_record(course_id: int, name: str, position: int, created_at: str, weight: float = 0) -> dict:
    return {"course_id": course_id, "name": name, "position": position, "group_weight": weight,
            "sis_source_id": None, "integration_data": {}, "rules": {}, "workflow_state": "available",
            "created_at": created_at, "updated_at": created_at}


def groups(store: Store, course: dict) -> list[dict]:
    rows = [g for g in store.find(t.ASSIGNMENT_GROUPS, course_id=course["id"]) if g["workflow_state"] != "deleted"]
    return sorted(rows, key=lambda g: (g["position"], g["id"]))


def find_group(store: Store, course: dict, ref) -> dict:
    group = store.get(t.ASSIGNMENT_GROUPS, integer_id(ref)) if integer_id(ref) is not None else None
    if group is None or group["course_id"] != course["id"] or group["workflow_state"] == "deleted":
        raise NotFound(f"assignment group {ref}")
    return group


def _group_fields(body) -> dict:
    given = body if isinstance(body, dict) else {}
    fields = {k: given[k] for k in ("name", "position", "group_weight", "sis_source_id", "integration_data", "rules")
              if k in given}
    if "name" in fields and not str(fields["name"] or "").strip():
        raise ModelErrors({"name": [("blank", "Name can't be blank")]})
    return fields


def create_group(store: Store, user: dict, course: dict, body, now: datetime) -> dict:
    with store.transaction():
        permissions.allow(permissions.course_access(store, user, course).staff)
        fields = _group_fields(body)
        existing = groups(store, course)
        stamp = isoformat(now)
        record = group_record(course["id"], "Assignments", (existing[-1]["position"] + 1) if existing else 1, stamp)
        return store.insert_auto(t.ASSIGNMENT_GROUPS, {**record, **fields})


def update_group(store: Store, user: dict, course: dict, ref, body, now: datetime) -> dict:
    with store.transaction():
        permissions.allow(permissions.course_access(store, user, course).staff)
        group = find_group(store, course, ref)
        return store.update(t.ASSIGNMENT_GROUPS, group["id"], {**_group_fields(body), "updated_at": isoformat(now)})


def delete_group(store: Store, user: dict, course: dict, ref, move_to, now: datetime) -> dict:
    """AssignmentGroupsApiController#destroy: the group's assignments go with it unless moved."""
    with store.transaction():
        permissions.allow(permissions.course_access(store, user, course).staff)
        group = find_group(store, course, ref)
        target = None
        if move_to not in (None, ""):
            target = find_group(store, course, move_to)
            if target["id"] == group["id"]:
                raise ModelErrors({"move_assignments_to": [("invalid", "Cannot move assignments to the group being deleted")]})
        stamp = isoformat(now)
        for a in store.find(t.ASSIGNMENTS, assignment_group_id=group["id"]):
            if a["workflow_state"] == "deleted":
                continue
            if target:
                store.update(t.ASSIGNMENTS, a["id"], {"assignment_group_id": target["id"], "updated_at": stamp})
            else:
                store.update(t.ASSIGNMENTS, a["id"], {"workflow_state": "deleted", "updated_at": stamp})
        return store.update(t.ASSIGNMENT_GROUPS, group["id"], {"workflow_state": "deleted", "updated_at": stamp})


def first_group(store: Store, course: dict, now: datetime) -> dict:
    found = groups(store, course)
    if found:
        return found[0]
    return store.insert_auto(t.ASSIGNMENT_GROUPS, group_record(course["id"], DEFAULT_GROUP, 1, isoformat(now)))


# -- assignments -----------------------------------------------------------------------------------

def record(course_id: int, group_id: int, name: str, position: int, created_at: str, **fields) -> dict:
    return {"course_id": course_id, "assignment_group_id": group_id, "name": name, "description": None,
            "due_at": None, "lock_at": None, "unlock_at": None, "points_possible": 0.0, "grading_type": "points",
            "submission_types": ["none"], "position": position, "workflow_state": "unpublished",
            "created_at": created_at, "updated_at": created_at, "peer_reviews": False, "grading_standard_id": None,
            "omit_from_final_grade": False, "allowed_extensions": [], "allowed_attempts": -1,
            "only_visible_to_overrides": False, "anonymous_grading": False, "post_manually": False, **fields}


def visible(access: permissions.CourseAccess, assignment: dict) -> bool:
    return assignment["workflow_state"] == "published" or (
        assignment["workflow_state"] == "unpublished" and access.staff)


def find(store: Store, course: dict, ref, access: permissions.CourseAccess | None = None) -> dict:
    found = store.get(t.ASSIGNMENTS, integer_id(ref)) if integer_id(ref) is not None else None
    if found is None or found["course_id"] != course["id"] or found["workflow_state"] == "deleted":
        raise NotFound(f"assignment {ref}")
    if access is not None and not visible(access, found):
        permissions.allow(False)  # an unpublished assignment is unauthorized for students (AssignmentsApiController#show)
    return found


def _bucket(assignment: dict, sub: dict | None, bucket: str, now: datetime) -> bool:
    due = parse(assignment["due_at"]) if assignment["due_at"] else None
    submitted = bool(sub and (sub["submitted_at"] or sub["excused"]))
    expects = submissions.expects_submission(assignment)
    if bucket == "undated":
        return due is None
    if due is None:
        return bucket in ("future", "unsubmitted") and (bucket != "unsubmitted" or (expects and not submitted))
    if bucket == "past":
        return due < now
    if bucket == "overdue":
        return due < now and expects and not submitted
    if bucket == "upcoming":
        return now <= due <= now + UPCOMING
    if bucket == "future":
        return due >= now
    if bucket == "ungraded":
        return bool(sub and sub["workflow_state"] in ("submitted", "pending_review"))
    if bucket == "unsubmitted":
        return expects and not submitted
    return True


def listing(store: Store, user: dict, course: dict, params: dict, now: datetime, student: dict | None = None) -> list[dict]:
    """AssignmentsApiController#index (and #user_index with ``student``: what that student sees)."""
    access = permissions.read_course(store, user, course)
    if student is not None and student["id"] != user["id"]:
        permissions.allow(access.staff)
        access = permissions.course_access(store, student, course)
        if not access.roles and not access.concluded:
            raise NotFound(f"user {student['id']}")
    rows = [a for a in store.find(t.ASSIGNMENTS, course_id=course["id"]) if a["workflow_state"] != "deleted"]
    rows = [a for a in rows if visible(access, a)]
    ids = {str(i) for i in params.get("assignment_ids") or []}
    if ids:
        rows = [a for a in rows if str(a["id"]) in ids]
    term = params.get("search_term")
    if term:
        rows = [a for a in rows if term.casefold() in a["name"].casefold()]
    bucket = params.get("bucket")
    if bucket:
        me = student or user
        rows = [a for a in rows if _bucket(a, submissions.find(store, a["id"], me["id"]), bucket, now)]
    order = params.get("order_by") or "position"
    positions = {g["id"]: g["position"] for g in store.find(t.ASSIGNMENT_GROUPS, course_id=course["id"])}
    if order == "name":
        key = lambda a: (a["name"].casefold(), a["id"])  # noqa: E731
    elif order == "due_at":
        key = lambda a: (a["due_at"] is None, a["due_at"] or "", a["id"])  # noqa: E731
    else:
        key = lambda a: (positions.get(a["assignment_group_id"], 0), a["position"], a["id"])  # noqa: E731
    return sorted(rows, key=key)


def _fields(store: Store, course: dict, given: dict, current: dict | None, now: datetime) -> dict:
    errors: dict = {}
    fields = {k: given[k] for k in _ASSIGNMENT_FIELDS if k in given}
    forms.read_timestamps(given, ("due_at", "lock_at", "unlock_at"), fields, errors)
    forms.require_name(fields, errors)
    if "name" in fields and len(str(fields["name"])) > 255:
        errors.setdefault("name", []).append(("too_long", "Name is too long (maximum is 255 characters)"))
    if fields.get("grading_type") not in (None, *grading.TYPES):
        errors.setdefault("grading_type", []).append(("inclusion", "is not included in the list"))
    types = fields.get("submission_types")
    if types is not None:
        types = [types] if isinstance(types, str) else list(types)
        bad = [x for x in types if x not in SUBMISSION_TYPES]
        if bad or not types:
            errors.setdefault("submission_types", []).append(("inclusion", "Invalid submission types"))
        fields["submission_types"] = types
    if "points_possible" in fields:
        try:
            fields["points_possible"] = float(fields["points_possible"]) if fields["points_possible"] not in (None, "") else None
        except (TypeError, ValueError):
            errors.setdefault("points_possible", []).append(("not_a_number", "is not a number"))
    merged = {**(current or {}), **fields}
    if merged.get("unlock_at") and merged.get("due_at") and parse(merged["due_at"]) < parse(merged["unlock_at"]):
        errors.setdefault("due_at", []).append(("invalid", "must be after the unlock date"))
    if merged.get("lock_at") and merged.get("due_at") and parse(merged["lock_at"]) < parse(merged["due_at"]):
        errors.setdefault("lock_at", []).append(("invalid", "must be after the due date"))
    if "assignment_group_id" in given and given["assignment_group_id"] not in (None, ""):
        fields["assignment_group_id"] = find_group(store, course, given["assignment_group_id"])["id"]
    if "published" in given:
        published = forms.boolean(given["published"])
        if published is False and current and current["workflow_state"] == "published" and \
                submissions.has_student_submissions(store, current["id"]):
            errors.setdefault("published", []).append(("unpublish", "Can't unpublish if there are student submissions"))
        if published is not None:
            fields["workflow_state"] = "published" if published else "unpublished"
    if errors:
        raise ModelErrors(errors)
    return fields


def create(store: Store, user: dict, course: dict, body, now: datetime) -> dict:
    with store.transaction():
        permissions.allow(permissions.course_access(store, user, course).staff)
        given = (body or {}).get("assignment") if isinstance(body, dict) else None
        given = given if isinstance(given, dict) else {}
        if not str(given.get("name") or "").strip():
            raise ModelErrors({"name": [("blank", "Name can't be blank")]})
        fields = _fields(store, course, given, None, now)
        group_id = fields.pop("assignment_group_id", None) or first_group(store, course, now)["id"]
        siblings = [a["position"] for a in store.find(t.ASSIGNMENTS, assignment_group_id=group_id)
                    if a["workflow_state"] != "deleted"]
        position = fields.pop("position", None) or (max(siblings) + 1 if siblings else 1)
        assignment = store.insert_auto(t.ASSIGNMENTS, record(course["id"], group_id, fields.pop("name"), position,
                                                             isoformat(now), **fields))
        submissions.ensure_for_assignment(store, assignment)
        return assignment


def update(store: Store, user: dict, course: dict, ref, body, now: datetime) -> dict:
    with store.transaction():
        permissions.allow(permissions.course_access(store, user, course).staff)
        assignment = find(store, course, ref)
        given = (body or {}).get("assignment") if isinstance(body, dict) else None
        fields = _fields(store, course, given if isinstance(given, dict) else {}, assignment, now)
        updated = store.update(t.ASSIGNMENTS, assignment["id"], {**fields, "updated_at": isoformat(now)})
        submissions.ensure_for_assignment(store, updated)
        return updated


def delete(store: Store, user: dict, course: dict, ref, now: datetime) -> dict:
    with store.transaction():
        permissions.allow(permissions.course_access(store, user, course).staff)
        assignment = find(store, course, ref)
        return store.update(t.ASSIGNMENTS, assignment["id"], {"workflow_state": "deleted", "updated_at": isoformat(now)})
