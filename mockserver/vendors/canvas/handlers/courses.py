"""Courses of an account (rules/courses.py)."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.canvas import paging, serializers
from mockserver.vendors.canvas.auth import actor
from mockserver.vendors.canvas.handlers.base import web_root
from mockserver.vendors.canvas.rules import courses


def accounts_courses_api(account_id, page=None, per_page=None, include=None, **filters):
    sandbox = current()
    store, now = sandbox.store, sandbox.now()
    rows = courses.search(store, actor().user, account_id, filters, now)
    items, status, headers = paging.paged(rows, page, per_page)
    root, wanted = web_root(), set(include or ())
    return [serializers.course(c, store, wanted, courses.concluded(store, c, now), root) for c in items], status, headers
