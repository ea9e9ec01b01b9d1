"""Course sections (canvas:app/controllers/sections_controller.rb, app/models/course_section.rb).

- Everyone who may read the course lists its sections; staff create, change and delete them.
- A section with enrollments cannot be deleted ("You can't delete a section that has
  enrollments"); the course's default section is never deleted that way either.
- Cross-listing moves a section, with its enrollments, into another course the caller may manage
  (``nonxlist_course_id`` remembers where it came from); de-cross-listing moves it back.
"""

from __future__ import annotations

from datetime import datetime

from mockserver.clock import isoformat, parse
from mockserver.errors import NotFound
from mockserver.store import Store
from mockserver.vendors.canvas import forms
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.errors import MessageError, ModelErrors
from mockserver.vendors.canvas.rules import by_ref, check_sis_unique, enrollments, permissions

HAS_ENROLLMENTS = "You can't delete a section that has enrollments"
NOT_CROSSLISTED = "section is not cross-listed"


def find(store: Store, ref) -> dict:
    found = by_ref(store, t.SECTIONS, ref, "sis_section_id")
    if found is None or found["workflow_state"] == "deleted":
        raise NotFound(f"section {ref}")
    return found


def in_course(store: Store, course: dict, ref) -> dict:
    section = find(store, ref)
    if section["course_id"] != course["id"]:
        raise NotFound(f"section {ref}")
    return section


def of_course(store: Store, user: dict, course: dict, search_term: str | None = None) -> list[dict]:
    permissions.read_course(store, user, course)
    rows = [s for s in store.find(t.SECTIONS, course_id=course["id"]) if s["workflow_state"] != "deleted"]
    if search_term:
        rows = [s for s in rows if search_term.casefold() in s["name"].casefold()]
    return sorted(rows, key=lambda s: (not s["_default"], s["name"].casefold(), s["id"]))


def readable(store: Store, user: dict, section: dict) -> dict:
    permissions.read_course(store, user, store.get(t.COURSES, section["course_id"]))
    return section


def _fields(store: Store, given: dict, current: dict | None) -> dict:
    fields = {k: given[k] for k in ("name", "sis_section_id", "integration_id") if k in given}
    errors: dict = {}
    forms.read_timestamps(given, ("start_at", "end_at"), fields, errors)
    if "restrict_enrollments_to_section_dates" in given:
        fields["restrict_enrollments_to_section_dates"] = bool(forms.boolean(given["restrict_enrollments_to_section_dates"]))
    forms.require_name(fields, errors)
    merged = {**(current or {}), **fields}
    if merged.get("start_at") and merged.get("end_at") and parse(merged["end_at"]) < parse(merged["start_at"]):
        errors.setdefault("end_at", []).append(("end_at_after_start_at", "End date cannot be before start date"))
    check_sis_unique(store, t.SECTIONS, "sis_section_id", fields.get("sis_section_id"), (current or {}).get("id"), errors)
    if errors:
        raise ModelErrors(errors)
    return fields


def create(store: Store, user: dict, course: dict, body, now: datetime) -> dict:
    with store.transaction():
        access = permissions.course_access(store, user, course)
        permissions.allow(access.staff)
        given = (body or {}).get("course_section") or {}
        if "sis_section_id" in given:
            permissions.allow(access.admin)  # manage_sis
        fields = _fields(store, given, None)
        name = fields.pop("name", None) or "Section"  # CourseSection's default name
        return store.insert_auto(t.SECTIONS, enrollments.section_record(course, name, isoformat(now), **fields))


def update(store: Store, user: dict, ref, body) -> dict:
    with store.transaction():
        section = find(store, ref)
        course = store.get(t.COURSES, section["course_id"])
        access = permissions.course_access(store, user, course)
        permissions.allow(access.staff)
        given = (body or {}).get("course_section") or {}
        if "sis_section_id" in given:
            permissions.allow(access.admin)
        return store.update(t.SECTIONS, section["id"], _fields(store, given, section))


def delete(store: Store, user: dict, ref) -> dict:
    with store.transaction():
        section = find(store, ref)
        course = store.get(t.COURSES, section["course_id"])
        permissions.allow(permissions.course_access(store, user, course).staff)
        live = [e for e in store.find(t.ENROLLMENTS, course_section_id=section["id"]) if e["workflow_state"] != "deleted"]
        if live or section["_default"]:
            raise MessageError(HAS_ENROLLMENTS)
        return store.update(t.SECTIONS, section["id"], {"workflow_state": "deleted"})


def _move(store: Store, section: dict, course: dict, home: int | None) -> dict:
    before = section["course_id"]
    moved = store.update(t.SECTIONS, section["id"], {"course_id": course["id"], "nonxlist_course_id": home})
    for e in store.find(t.ENROLLMENTS, course_section_id=section["id"]):
        store.update(t.ENROLLMENTS, e["id"], {"course_id": course["id"]})
        enrollments.sync(store, e["user_id"], before)
        enrollments.sync(store, e["user_id"], course["id"])
    return moved


def crosslist(store: Store, user: dict, ref, target: dict) -> dict:
    """SectionsController#crosslist: manage on both the section's course and the new course."""
    with store.transaction():
        section = find(store, ref)
        current = store.get(t.COURSES, section["course_id"])
        permissions.allow(permissions.course_access(store, user, current).staff)
        permissions.allow(permissions.course_access(store, user, target).staff)
        if target["id"] == section["course_id"]:
            raise MessageError("cannot cross-list a section into its own course")
        home = section["nonxlist_course_id"] or section["course_id"]
        return _move(store, section, target, None if home == target["id"] else home)


def uncrosslist(store: Store, user: dict, ref) -> dict:
    with store.transaction():
        section = find(store, ref)
        if section["nonxlist_course_id"] is None:
            raise MessageError(NOT_CROSSLISTED)
        current = store.get(t.COURSES, section["course_id"])
        home = store.get(t.COURSES, section["nonxlist_course_id"])
        permissions.allow(permissions.course_access(store, user, current).staff)
        permissions.allow(permissions.course_access(store, user, home).staff)
        return _move(store, section, home, None)
