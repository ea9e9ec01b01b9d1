"""Courses (rules/courses.py): an account's courses, the caller's (or a user's) courses, one
course, creating, changing and deleting one, and the people of a course."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.canvas import paging, serializers
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.auth import actor, find_user
from mockserver.vendors.canvas.handlers.base import user_of, web_root
from mockserver.vendors.canvas.rules import courses, permissions


def accounts_courses_api(account_id, page=None, per_page=None, include=None, **filters):
    sandbox = current()
    store, now = sandbox.store, sandbox.now()
    rows = courses.search(store, actor().user, account_id, filters, now)
    items, status, headers = paging.paged(rows, page, per_page)
    root, wanted = web_root(), set(include or ())
    return [serializers.course(c, store, wanted, courses.concluded(store, c, now), root) for c in items], status, headers


def _page_of_mine(rows, include, page, per_page):
    sandbox = current()
    store, now = sandbox.store, sandbox.now()
    items, status, headers = paging.paged(rows, page, per_page)
    root, wanted = web_root(), set(include or ())
    return [serializers.course(c, store, wanted, courses.concluded(store, c, now), root, theirs)
            for c, theirs in items], status, headers


def courses_index(include=None, page=None, per_page=None, **params):
    sandbox = current()
    rows = courses.of_user(sandbox.store, actor().user, params, sandbox.now())
    return _page_of_mine(rows, include, page, per_page)


def courses_user_index(user_id, include=None, page=None, per_page=None, **params):
    sandbox = current()
    me = actor()
    user = user_of(sandbox.store, me, user_id)
    permissions.allow(permissions.manages_user(sandbox.store, me.user, user))  # read on the user
    return _page_of_mine(courses.of_user(sandbox.store, user, params, sandbox.now()), include, page, per_page)


def _course_body(course, include=None):
    sandbox = current()
    store, now, me = sandbox.store, sandbox.now(), actor().user
    mine = [e for e in store.find(t.ENROLLMENTS, course_id=course["id"], user_id=me["id"])
            if e["workflow_state"] not in ("deleted", "rejected")]
    return serializers.course(course, store, set(include or ()), courses.concluded(store, course, now), web_root(), mine)


def courses_show(id, include=None):
    store = current().store
    course = courses.find(store, id)
    permissions.read_course(store, actor().user, course)
    return _course_body(course, include)


def courses_create(account_id, body=None):
    sandbox = current()
    course = courses.create(sandbox.store, actor().user, account_id, body, sandbox.now())
    # course_json(..., nil): the new course without the caller's enrollments
    return serializers.course(course, sandbox.store, set(), False, web_root())


def courses_update(id, body=None):
    sandbox = current()
    return _course_body(courses.update(sandbox.store, actor().user, id, body, sandbox.now()))


def courses_destroy(id, event=None, body=None):
    return courses.destroy(current().store, actor().user, id, event or (body or {}).get("event"))


def _enrollment_bodies(store, rows, root, me, access):
    return [serializers.enrollment(e, store, root, me, access) for e in rows]


def courses_users(course_id, include=None, page=None, per_page=None, **params):
    store = current().store
    me = actor().user
    course = courses.find(store, course_id)
    rows = courses.users(store, me, course, params)
    items, status, headers = paging.paged(rows, page, per_page)
    wanted, root, access = set(include or ()), web_root(), permissions.course_access(store, me, course)
    return [serializers.course_user(u, access.staff, wanted, _enrollment_bodies(store, theirs, root, me, access)
                                    if "enrollments" in wanted else None, _unconfirmed(theirs))
            for u, theirs in items], status, headers


def _unconfirmed(enrollments) -> bool:
    return all(e["workflow_state"] in ("invited", "creation_pending", "rejected") for e in enrollments)


def courses_user(course_id, id, include=None):
    store = current().store
    me = actor().user
    course = courses.find(store, course_id)
    person, theirs = courses.user(store, me, course, find_user(store, id, me))
    wanted, root, access = set(include or ()), web_root(), permissions.course_access(store, me, course)
    return serializers.course_user(person, access.staff, wanted, _enrollment_bodies(store, theirs, root, me, access)
                                   if "enrollments" in wanted else None, _unconfirmed(theirs))


courses_search_users = courses_users  # config/routes.rb: users and search_users are both courses#users
