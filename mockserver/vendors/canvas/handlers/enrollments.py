"""Enrollments (rules/enrollments.py): lists by course, section and user, one by account, and
enrolling, concluding, deleting, deactivating, reactivating; accepting or rejecting an invitation."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.canvas import paging, serializers
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.auth import actor, find_user
from mockserver.vendors.canvas.handlers.base import user_of, web_root
from mockserver.vendors.canvas.rules import accounts, courses, enrollments, permissions, sections


def _body(store, me, enrollment, access=None):
    if access is None:
        access = permissions.course_access(store, me, store.get(t.COURSES, enrollment["course_id"]))
    return serializers.enrollment(enrollment, store, web_root(), me, access)


def _page(rows, page, per_page):
    store = current().store
    me = actor().user
    items, status, headers = paging.paged(rows, page, per_page)
    access = {}  # the caller's access per course, read once for the page
    for e in items:
        if e["course_id"] not in access:
            access[e["course_id"]] = permissions.course_access(store, me, store.get(t.COURSES, e["course_id"]))
    return [_body(store, me, e, access[e["course_id"]]) for e in items], status, headers


def _filters(params: dict) -> dict:
    return {k: params.get(k) for k in ("type", "role", "state", "user_id")}


def enrollments_api_index(course_id, page=None, per_page=None, include=None, **params):
    store = current().store
    course = courses.find(store, course_id)
    return _page(enrollments.of_course(store, actor().user, course, _filters(params)), page, per_page)


def enrollments_api_section_index(section_id, page=None, per_page=None, include=None, **params):
    store = current().store
    section = sections.find(store, section_id)
    return _page(enrollments.of_section(store, actor().user, section, _filters(params)), page, per_page)


def enrollments_api_user_index(user_id, page=None, per_page=None, include=None, **params):
    sandbox = current()
    store = sandbox.store
    me = actor()
    target = user_of(store, me, user_id)
    return _page(enrollments.of_user(store, me.user, target, _filters(params), sandbox.now()), page, per_page)


def enrollments_api_show(account_id, id):
    store = current().store
    me = actor().user
    return _body(store, me, enrollments.in_account(store, me, accounts.find(store, account_id), id))


def _create(course, section, body):
    sandbox = current()
    store = sandbox.store
    me = actor().user
    enrollment = enrollments.create(store, me, course, section, body, sandbox.now(),
                                    lambda ref: find_user(store, ref, me), sandbox.outbox)
    return _body(store, me, enrollment)


def enrollments_api_create(course_id, body=None):
    return _create(courses.find(current().store, course_id), None, body)


def enrollments_api_section_create(section_id, body=None):
    store = current().store
    section = sections.find(store, section_id)
    return _create(store.get(t.COURSES, section["course_id"]), section, body)


def enrollments_api_destroy(course_id, id, task=None, body=None):
    sandbox = current()
    task = task or (body or {}).get("task")
    me = actor().user
    course = courses.find(sandbox.store, course_id)
    return _body(sandbox.store, me, enrollments.run_task(sandbox.store, me, course, id, task, sandbox.now()))


def enrollments_api_reactivate(course_id, id):
    sandbox = current()
    me = actor().user
    course = courses.find(sandbox.store, course_id)
    return _body(sandbox.store, me, enrollments.reactivate(sandbox.store, me, course, id, sandbox.now()))


def enrollments_api_accept(course_id, id):
    sandbox = current()
    course = courses.find(sandbox.store, course_id)
    enrollments.answer_invitation(sandbox.store, actor().user, course, id, True, sandbox.now())
    return {"success": True}


def enrollments_api_reject(course_id, id):
    sandbox = current()
    course = courses.find(sandbox.store, course_id)
    enrollments.answer_invitation(sandbox.store, actor().user, course, id, False, sandbox.now())
    return {"success": True}
