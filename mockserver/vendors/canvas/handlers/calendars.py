"""Account calendars (rules/calendars.py)."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.canvas import paging, serializers
from mockserver.vendors.canvas.auth import actor
from mockserver.vendors.canvas.rules import calendars


def account_calendars_index(search_term=None, page=None, per_page=None):
    store = current().store
    me = actor().user
    rows = calendars.available(store, me, search_term)
    items, status, headers = paging.paged(rows, page, per_page)
    return {"account_calendars": [serializers.calendar(a, store, me) for a in items],
            "total_results": len(rows)}, status, headers


def account_calendars_show(account_id):
    store = current().store
    me = actor().user
    return serializers.calendar(calendars.show(store, me, account_id), store, me)


def account_calendars_update(account_id, body=None):
    store = current().store
    me = actor().user
    return serializers.calendar(calendars.update(store, me, account_id, body), store, me)


def account_calendars_bulk_update(account_id, body=None):
    count = calendars.bulk_update(current().store, actor().user, account_id, body)
    return {"message": "Updated 1 account" if count == 1 else f"Updated {count} accounts"}


def account_calendars_all_calendars(account_id, search_term=None, filter=None, page=None, per_page=None):
    store = current().store
    me = actor().user
    rows = calendars.all_calendars(store, me, account_id, search_term, filter)
    items, status, headers = paging.paged(rows, page, per_page)
    return [serializers.calendar(a, store, me, with_sub_account_count=True) for a in items], status, headers


def account_calendars_visible_calendars_count(account_id):
    return {"count": calendars.visible_count(current().store, actor().user, account_id)}
