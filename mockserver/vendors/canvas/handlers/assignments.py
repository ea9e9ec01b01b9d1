"""Assignment groups and assignments (rules/assignments.py)."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.canvas import paging, serializers
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.auth import actor
from mockserver.vendors.canvas.handlers.base import user_of, web_root
from mockserver.vendors.canvas.rules import assignments, courses, permissions, submissions


def _assignment_body(store, assignment, viewer, includes=(), now=None, for_user=None, access=None):
    """assignment_json: with the viewer's (or ``for_user``'s) submission on ``include[]=submission``,
    and needs_grading_count for graders (``access``: the viewer's in the course, when known)."""
    if access is None:
        access = permissions.course_access(store, viewer, store.get(t.COURSES, assignment["course_id"]))
    subs = store.find(t.SUBMISSIONS, assignment_id=assignment["id"])
    has = any(s["submitted_at"] for s in subs)
    sub_json = None
    root = web_root()
    if "submission" in includes:
        who = for_user or viewer
        own = next((s for s in subs if s["user_id"] == who["id"]), None)
        if own is not None:
            sub_json = serializers.submission(own, assignment, submissions.timing(own, assignment, now), root)
    needs = sum(1 for s in subs if s["workflow_state"] in ("submitted", "pending_review")) if access.grader else None
    return serializers.assignment(assignment, root, has, sub_json, needs)


def _group_body(store, group, me, includes, now):
    rows = None
    if "assignments" in includes:
        course = store.get(t.COURSES, group["course_id"])
        access = permissions.course_access(store, me, course)
        rows = [_assignment_body(store, a, me, includes, now, access=access)
                for a in sorted(store.find(t.ASSIGNMENTS, assignment_group_id=group["id"]),
                                key=lambda a: (a["position"], a["id"]))
                if assignments.visible(access, a)]
    return serializers.assignment_group(group, rows)


def assignment_groups_index(course_id, include=None, page=None, per_page=None):
    sandbox = current()
    store, me = sandbox.store, actor().user
    course = courses.find(store, course_id)
    permissions.read_course(store, me, course)
    items, status, headers = paging.paged(assignments.groups(store, course), page, per_page)
    wanted = set(include or ())
    return [_group_body(store, g, me, wanted, sandbox.now()) for g in items], status, headers


def assignment_groups_api_show(course_id, assignment_group_id, include=None):
    sandbox = current()
    store, me = sandbox.store, actor().user
    course = courses.find(store, course_id)
    permissions.read_course(store, me, course)
    return _group_body(store, assignments.find_group(store, course, assignment_group_id), me, set(include or ()),
                       sandbox.now())


def assignment_groups_api_create(course_id, body=None):
    sandbox = current()
    course = courses.find(sandbox.store, course_id)
    return serializers.assignment_group(assignments.create_group(sandbox.store, actor().user, course, body, sandbox.now()))


def assignment_groups_api_update(course_id, assignment_group_id, body=None):
    sandbox = current()
    course = courses.find(sandbox.store, course_id)
    return serializers.assignment_group(assignments.update_group(sandbox.store, actor().user, course,
                                                                 assignment_group_id, body, sandbox.now()))


def assignment_groups_api_destroy(course_id, assignment_group_id, move_assignments_to=None, body=None):
    sandbox = current()
    move_assignments_to = move_assignments_to or (body or {}).get("move_assignments_to")
    course = courses.find(sandbox.store, course_id)
    return serializers.assignment_group(assignments.delete_group(sandbox.store, actor().user, course,
                                                                 assignment_group_id, move_assignments_to, sandbox.now()))


def _page_of_assignments(course_id, include, page, per_page, params, student_ref=None):
    sandbox = current()
    store, now = sandbox.store, sandbox.now()
    me = actor()
    course = courses.find(store, course_id)
    student = user_of(store, me, student_ref) if student_ref is not None else None
    rows = assignments.listing(store, me.user, course, params, now, student)
    items, status, headers = paging.paged(rows, page, per_page)
    wanted = set(include or ())
    access = permissions.course_access(store, me.user, course)
    return [_assignment_body(store, a, me.user, wanted, now, student, access) for a in items], status, headers


def assignments_api_index(course_id, include=None, page=None, per_page=None, **params):
    return _page_of_assignments(course_id, include, page, per_page, params)


def assignments_api_user_index(user_id, course_id, include=None, page=None, per_page=None, **params):
    return _page_of_assignments(course_id, include, page, per_page, params, user_id)


def assignments_api_show(course_id, id, include=None):
    sandbox = current()
    store, me = sandbox.store, actor().user
    course = courses.find(store, course_id)
    access = permissions.read_course(store, me, course)
    return _assignment_body(store, assignments.find(store, course, id, access), me, set(include or ()), sandbox.now())


def assignments_api_create(course_id, body=None):
    sandbox = current()
    store, me = sandbox.store, actor().user
    course = courses.find(store, course_id)
    return _assignment_body(store, assignments.create(store, me, course, body, sandbox.now()), me)


def assignments_api_update(course_id, id, body=None):
    sandbox = current()
    store, me = sandbox.store, actor().user
    course = courses.find(store, course_id)
    return _assignment_body(store, assignments.update(store, me, course, id, body, sandbox.now()), me)


def assignments_destroy(course_id, id):
    sandbox = current()
    store, me = sandbox.store, actor().user
    course = courses.find(store, course_id)
    return _assignment_body(store, assignments.delete(store, me, course, id, sandbox.now()), me)
