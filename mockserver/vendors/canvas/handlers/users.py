"""Users: enough of GET /users/:id for a client to learn who it is (``self``)."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.canvas import serializers
from mockserver.vendors.canvas.auth import actor
from mockserver.vendors.canvas.handlers.base import user_of
from mockserver.vendors.canvas.rules import permissions


def users_api_show(user_id):
    store = current().store
    me = actor()
    user = user_of(store, me, user_id)
    full = user["id"] == me.user["id"] or permissions.manages_user(store, me.user, user)
    permissions.allow(full or permissions.teaches(store, me.user, user))
    return serializers.user(user, full)
