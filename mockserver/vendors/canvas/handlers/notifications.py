"""Account notifications (rules/notifications.py). The user-scoped routes canvasapi calls
(``/accounts/:account_id/users/:user_id/account_notifications[/:id]``) are Canvas's deprecated
forms of the same actions: ``:user_id`` must be the current user (``self`` or their id), else 404."""

from __future__ import annotations

from mockserver.errors import NotFound
from mockserver.sandbox import current
from mockserver.vendors.canvas import serializers
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.auth import actor, find_user
from mockserver.vendors.canvas.rules import notifications


def _me(user_id=None) -> dict:
    me = actor().user
    if user_id is not None:  # AccountNotificationsController#check_user_param
        named = find_user(current().store, user_id, me)
        if named is None or named["id"] != me["id"]:
            raise NotFound(f"user {user_id}")
    return me


def account_notifications_user_index(account_id, include_past=False, include_all=False, show_is_closed=False,
                                     user_id=None):
    sandbox = current()
    me = _me(user_id)
    rows = notifications.user_index(sandbox.store, me, account_id, sandbox.now(), include_past, include_all)
    closed = set(sandbox.store.get(t.USERS, me["id"]).get("_closed_notifications", [])) if show_is_closed else None
    return [serializers.notification(n, sandbox.store, with_author=include_all,
                                     closed=(n["id"] in closed) if closed is not None else None) for n in rows]


def account_notifications_show(account_id, id, user_id=None):
    sandbox = current()
    return serializers.notification(notifications.show(sandbox.store, _me(user_id), id, sandbox.now()), sandbox.store)


def account_notifications_user_close_notification(account_id, id, user_id=None):
    sandbox = current()
    return serializers.notification(notifications.close(sandbox.store, _me(user_id), id), sandbox.store)


def account_notifications_create(account_id, body=None):
    sandbox = current()
    note = notifications.create(sandbox.store, actor().user, account_id, body, sandbox.now())
    return serializers.notification(note, sandbox.store)


def account_notifications_update(account_id, id, body=None):
    sandbox = current()
    return serializers.notification(notifications.update(sandbox.store, actor().user, account_id, id, body),
                                    sandbox.store)


account_notifications_user_index_deprecated = account_notifications_user_index
account_notifications_show_deprecated = account_notifications_show
account_notifications_user_close_notification_deprecated = account_notifications_user_close_notification
