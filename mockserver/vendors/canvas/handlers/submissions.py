"""Submissions and the grading job's Progress (rules/submissions.py, rules/progress.py)."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.canvas import paging, serializers
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.auth import actor, find_user
from mockserver.vendors.canvas.handlers.base import api_root, web_root
from mockserver.vendors.canvas.rules import assignments, courses, permissions, progress, submissions


def _body(store, submission, now, includes=()):
    assignment = store.get(t.ASSIGNMENTS, submission["assignment_id"])
    return serializers.submission(submission, assignment, submissions.timing(submission, assignment, now), web_root(),
                                  includes, store)


def _assignment(store, course_id, assignment_id):
    course = courses.find(store, course_id)
    access = permissions.read_course(store, actor().user, course)
    return course, assignments.find(store, course, assignment_id, access)


def submissions_api_index(course_id, assignment_id, include=None, page=None, per_page=None, **params):
    sandbox = current()
    store, now = sandbox.store, sandbox.now()
    course, assignment = _assignment(store, course_id, assignment_id)
    rows = submissions.listing(store, actor().user, course, assignment, now)
    items, status, headers = paging.paged(rows, page, per_page)
    wanted = set(include or ())
    return [_body(store, s, now, wanted) for s in items], status, headers


def submissions_api_show(course_id, assignment_id, user_id, include=None):
    sandbox = current()
    store, now, me = sandbox.store, sandbox.now(), actor().user
    course, assignment = _assignment(store, course_id, assignment_id)
    found = submissions.show(store, me, course, assignment, find_user(store, user_id, me), user_id, now)
    return _body(store, found, now, set(include or ()))


def submissions_api_update(course_id, assignment_id, user_id, body=None):
    sandbox = current()
    store, now, me = sandbox.store, sandbox.now(), actor().user
    course, assignment = _assignment(store, course_id, assignment_id)
    found = submissions.update(store, me, course, assignment, find_user(store, user_id, me), user_id, body, now)
    return _body(store, found, now, ("submission_comments",))


def submissions_create(course_id, assignment_id, body=None):
    sandbox = current()
    store, now, me = sandbox.store, sandbox.now(), actor().user
    course, assignment = _assignment(store, course_id, assignment_id)
    return _body(store, submissions.submit(store, me, course, assignment, body, now), now, ("submission_comments",))


def submissions_api_for_students(course_id, include=None, grouped=False, page=None, per_page=None, **params):
    sandbox = current()
    store, now = sandbox.store, sandbox.now()
    course = courses.find(store, course_id)
    rows = submissions.for_students(store, actor().user, course, params, now)
    wanted = set(include or ())
    if grouped:  # one entry per student: {user_id, section_id, submissions: [...]}
        by_student: dict[int, list] = {}
        for s in rows:
            by_student.setdefault(s["user_id"], []).append(s)
        groups = sorted(by_student.items())
        items, status, headers = paging.paged(groups, page, per_page)
        sections = {e["user_id"]: e["course_section_id"] for e in store.find(t.ENROLLMENTS, course_id=course["id"])
                    if e["type"] == "StudentEnrollment"}
        return [{"user_id": uid, "section_id": sections.get(uid), "integration_id": None, "sis_user_id":
                 store.get(t.USERS, uid)["sis_user_id"], "submissions": [_body(store, s, now, wanted) for s in subs]}
                for uid, subs in items], status, headers
    items, status, headers = paging.paged(rows, page, per_page)
    return [_body(store, s, now, wanted) for s in items], status, headers


def submissions_api_bulk_update(course_id, body=None):
    sandbox = current()
    store = sandbox.store
    course = courses.find(store, course_id)
    job = submissions.bulk_update(store, actor().user, course, None, (body or {}).get("grade_data"), sandbox.now())
    return serializers.progress(progress.view(job, sandbox.now()), api_root())


def submissions_api_assignment_bulk_update(course_id, assignment_id, body=None):
    sandbox = current()
    store = sandbox.store
    course, assignment = _assignment(store, course_id, assignment_id)
    job = submissions.bulk_update(store, actor().user, course, assignment, (body or {}).get("grade_data"), sandbox.now())
    return serializers.progress(progress.view(job, sandbox.now()), api_root())


def progress_show(id):
    sandbox = current()
    store, now = sandbox.store, sandbox.now()
    submissions.settle(store, now)
    return serializers.progress(progress.show(store, actor().user, id, now), api_root())
