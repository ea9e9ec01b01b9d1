"""Course sections (rules/sections.py)."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.canvas import paging, serializers
from mockserver.vendors.canvas.auth import actor
from mockserver.vendors.canvas.rules import courses, sections


def sections_index(course_id, include=None, search_term=None, page=None, per_page=None):
    store = current().store
    course = courses.find(store, course_id)
    items, status, headers = paging.paged(sections.of_course(store, actor().user, course, search_term), page, per_page)
    return [serializers.section(s, store, set(include or ())) for s in items], status, headers


def sections_create(course_id, body=None):
    sandbox = current()
    course = courses.find(sandbox.store, course_id)
    return serializers.section(sections.create(sandbox.store, actor().user, course, body, sandbox.now()), sandbox.store)


def sections_show(id, include=None):
    store = current().store
    return serializers.section(sections.readable(store, actor().user, sections.find(store, id)), store, set(include or ()))


def sections_course_show(course_id, id, include=None):
    store = current().store
    course = courses.find(store, course_id)
    section = sections.readable(store, actor().user, sections.in_course(store, course, id))
    return serializers.section(section, store, set(include or ()))


def sections_update(id, body=None):
    store = current().store
    return serializers.section(sections.update(store, actor().user, id, body), store)


def sections_destroy(id):
    store = current().store
    return serializers.section(sections.delete(store, actor().user, id), store)


def sections_crosslist(id, new_course_id):
    store = current().store
    target = courses.find(store, new_course_id)
    return serializers.section(sections.crosslist(store, actor().user, id, target), store)


def sections_uncrosslist(id):
    store = current().store
    return serializers.section(sections.uncrosslist(store, actor().user, id), store)
