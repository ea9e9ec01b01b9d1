"""Canvas access tokens: ``Authorization: Bearer <token>`` or the ``access_token`` query parameter,
looked up in the store (rules/tokens.py says which tokens authenticate).

Who acts: the token's user, or, with ``as_user_id``, the user an admin masquerades as (Canvas's
``@current_user``; the token's user stays the ``logged_in_user``). With ``--no-auth`` every request
acts as the demo admin.
"""

from __future__ import annotations

from mockserver import context
from mockserver.sandbox import current
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.errors import InvalidAsUser
from mockserver.vendors.canvas.rules import accounts, permissions, tokens
from mockserver.vendors.canvas.rules.permissions import Actor


def _check(secret: str) -> dict:
    sandbox = current()
    token = tokens.authenticate(sandbox.store, secret, sandbox.now())
    return {"sub": token["user_id"], "token_id": token["id"], "scope": []}


def bearer_info(token: str) -> dict:
    return _check(token)


def access_token_info(token: str, required_scopes=None) -> dict:
    return _check(token)


def find_user(store, ref, me: dict | None = None) -> dict | None:
    """A user as the API names one: ``self``, an id, ``sis_user_id:<id>`` or ``sis_login_id:<login>``
    (api_find's user lookups; logins match without regard to case, as pseudonyms do)."""
    text = str(ref)
    if text == "self":
        return me
    if text.startswith("sis_user_id:"):
        return store.find_one(t.USERS, sis_user_id=text.split(":", 1)[1])
    if text.startswith("sis_login_id:"):
        login = text.split(":", 1)[1].casefold()
        return next((u for u in store.rows(t.USERS) if (u.get("login_id") or "").casefold() == login), None)
    return store.get(t.USERS, int(text)) if text.isascii() and text.isdigit() else None


def actor() -> Actor:
    store = current().store
    info = context.token_info()  # absent with --no-auth
    real = store.get(t.USERS, info["sub"]) if info else store.find_one(t.USERS, demo=True)
    wanted = context.request().query.get("as_user_id")
    if not wanted:
        return Actor(real, real)
    # Masquerading needs become_user: an admin of the root account (load_user answers anything else so).
    target = find_user(store, wanted)
    if target is None or not permissions.administers(store, real, accounts.root(store)):
        raise InvalidAsUser()
    return Actor(target, real)


def credentials(store) -> dict:
    """The named people's tokens (fixtures/canvas.yaml): ``token`` is the demo admin's, and
    ``user_id`` that admin's id (read from the token, so the banner decodes no user table)."""
    named = [tok for tok in store.rows(t.TOKENS) if tok.get("_credential")]
    found = {tok["_credential"]: tok["_secret"] for tok in named}
    admin = next((tok["user_id"] for tok in named if tok["_credential"] == "token"), None)
    return {**found, "user_id": admin} if admin is not None else found
