"""Access tokens (rules/tokens.py), and the sandbox's activation route."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.canvas import paging, serializers
from mockserver.vendors.canvas.auth import actor
from mockserver.vendors.canvas.handlers.base import user_of
from mockserver.vendors.canvas.rules import tokens


def tokens_user_generated(user_id, page=None, per_page=None):
    sandbox = current()
    me = actor()
    rows = tokens.listable(sandbox.store, me, user_of(sandbox.store, me, user_id))
    items, status, headers = paging.paged(rows, page, per_page)
    return [serializers.token(tok, sandbox.now()) for tok in items], status, headers


def tokens_show(user_id, id):
    sandbox = current()
    me = actor()
    return serializers.token(tokens.show(sandbox.store, me, user_of(sandbox.store, me, user_id), id), sandbox.now())


def tokens_create(user_id, body=None):
    sandbox = current()
    me = actor()
    token, secret = tokens.create(sandbox.store, me, user_of(sandbox.store, me, user_id), body, sandbox.now(),
                                  sandbox.outbox)
    return serializers.token(token, sandbox.now(), secret)


def tokens_update(user_id, id, body=None):
    sandbox = current()
    me = actor()
    token, secret = tokens.update(sandbox.store, me, user_of(sandbox.store, me, user_id), id, body, sandbox.now())
    return serializers.token(token, sandbox.now(), secret)


def tokens_destroy(user_id, id):
    sandbox = current()
    me = actor()
    return serializers.token(tokens.delete(sandbox.store, me, user_of(sandbox.store, me, user_id), id, sandbox.now()),
                             sandbox.now())


def tokens_activate(user_id, id):
    sandbox = current()
    me = actor()
    token = tokens.activate(sandbox.store, me, user_of(sandbox.store, me, user_id), id, sandbox.now())
    return serializers.token(token, sandbox.now())


def activate_token(body: dict) -> dict:
    """The admin action ``activate_token``: the owner's click on "activate"."""
    sandbox = current()
    return serializers.token(tokens.activate_for_owner(sandbox.store, body, sandbox.now()), sandbox.now())
