"""Users (rules/users.py): one user (``self``, an id, ``sis_user_id:``, ``sis_login_id:``), an
account's users, creating and changing users, and a user's profile."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.canvas import paging, serializers
from mockserver.vendors.canvas.auth import actor
from mockserver.vendors.canvas.handlers.base import user_of, web_root
from mockserver.vendors.canvas.rules import permissions, users


def users_api_show(user_id):
    store = current().store
    me = actor()
    user = user_of(store, me, user_id)
    full = user["id"] == me.user["id"] or permissions.manages_user(store, me.user, user)
    permissions.allow(full or permissions.teaches(store, me.user, user))
    return serializers.user(user, full)


def users_api_index(account_id, page=None, per_page=None, include=None, **params):
    store = current().store
    rows = users.of_account(store, actor().user, account_id, params)
    items, status, headers = paging.paged(rows, page, per_page)
    with_email = "email" in (include or ())
    return [serializers.user(u, True, with_email) for u in items], status, headers


def users_create(account_id, body=None):
    sandbox = current()
    return serializers.user(users.create(sandbox.store, actor().user, account_id, body, sandbox.now()), True)


def users_update(user_id, body=None):
    store = current().store
    me = actor()
    return serializers.user(users.update(store, me.user, user_of(store, me, user_id), body), True)


def profile_settings(user_id):
    store = current().store
    me = actor()
    return serializers.profile(users.profile(store, me.user, user_of(store, me, user_id)), web_root())
