"""Access tokens (canvas:app/controllers/tokens_controller.rb, app/models/access_token.rb;
vendors.md §2).

- A token made for the caller's own user is ``active``; one made for another user, or while
  masquerading (``as_user_id``), is ``pending`` until its owner activates it. Pending, deleted and
  expired tokens do not authenticate (expiry against the sandbox clock).
- The secret is shown in full once, in the answer that created or regenerated it; afterwards
  ``visible_token`` is its first five characters (the hint) and "...". GET, PUT and DELETE take the
  database id or that hint.
- Students (every enrollment a student one) must give an expiry at most 120 days ahead.
- Regenerating makes a new secret (the old one stops working at once) and, done for another
  user, puts the token back to ``pending``; an expired token needs a new ``expires_at`` for it.
- DELETE is a soft delete. Only the owner activates a pending token.
- A token notes ``last_used_at`` when it authenticates, at most every ten minutes (Canvas throttles
  that write too).

Secrets derive from the sandbox seed and a counter kept in the state, so the same requests after
a reset make the same secrets.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from mockserver.clock import isoformat, parse
from mockserver.errors import InvalidRequest, NotFound, Violation
from mockserver.outbox import Outbox
from mockserver.store import Store
from mockserver.vendors.canvas import forms
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.errors import (
    ErrorsMessage,
    ExpiredAccessToken,
    FieldErrors,
    InvalidAccessToken,
    ParameterMissing,
    RecordInvalid,
    TokenRefused,
)
from mockserver.vendors.canvas.rules import integer_id, permissions, require
from mockserver.vendors.canvas.rules.permissions import Actor

HINT_LENGTH = 5
STUDENT_MAX_LIFETIME = timedelta(days=120)
USED_AT_THROTTLE = timedelta(minutes=10)
MAX_PURPOSE = 255


def secret(seed: int, label: str) -> str:
    return hashlib.blake2b(f"{seed}:canvas-token:{label}".encode(), digest_size=32).hexdigest()


def expired(token: dict, now: datetime) -> bool:
    return token.get("expires_at") is not None and parse(token["expires_at"]) <= now


# -- authentication ----------------------------------------------------------------------------


def authenticate(store: Store, given: str, now: datetime) -> dict:
    with store.transaction():
        entry = store.get(t.TOKEN_SECRETS, given)
        token = store.get(t.TOKENS, entry["token_id"]) if entry else None
        if token is None or token["_secret"] != given or token["workflow_state"] != "active":
            raise InvalidAccessToken()
        if expired(token, now):
            raise ExpiredAccessToken(token["expires_at"])
        if store.get(t.USERS, token["user_id"]) is None:
            raise InvalidAccessToken()
        last = token.get("last_used_at")
        if last is None or parse(last) <= now - USED_AT_THROTTLE:
            token = store.update(t.TOKENS, token["id"], {"last_used_at": isoformat(now)})
        return token


# -- lookups -------------------------------------------------------------------------------------


def owned(store: Store, user_id: int) -> list[dict]:
    """The user's manually created tokens that are not deleted, oldest first (created_at, id)."""
    rows = [tok for tok in store.lookup(t.TOKENS, "user_id", user_id) if tok["workflow_state"] != "deleted"]
    return sorted(rows, key=lambda tok: (tok["created_at"], tok["id"]))


def find(store: Store, user: dict, ref) -> dict:
    """By 5-character hint first, then by id, among the user's tokens (another user's: 404)."""
    text = str(ref)
    mine = owned(store, user["id"])
    if len(text) == HINT_LENGTH:
        hinted = next((tok for tok in mine if tok["_hint"] == text), None)
        if hinted is not None:
            return hinted
    wanted = integer_id(text)
    found = next((tok for tok in mine if tok["id"] == wanted), None)
    if found is None:
        raise NotFound(f"token {ref}")
    return found


def listable(store: Store, actor: Actor, owner: dict) -> list[dict]:
    permissions.allow(permissions.manages_user(store, actor.user, owner))
    return owned(store, owner["id"])


def show(store: Store, actor: Actor, owner: dict, ref) -> dict:
    token = find(store, owner, ref)
    permissions.allow(permissions.manages_user(store, actor.user, owner))
    return token


# -- changes -------------------------------------------------------------------------------------


def _params(body) -> dict:
    params = body.get("token") if isinstance(body, dict) else None
    if not isinstance(params, dict) or not params:
        raise ParameterMissing("token")  # params.require(:token)
    return params


def _new_secret(store: Store) -> str:
    return secret(int(store.meta.get("seed", 0)), str(store.sequence("canvas.access_token")))


def _store_secret(store: Store, token_id: int, value: str) -> None:
    store.insert(t.TOKEN_SECRETS, value, {"token_id": token_id})


def _purpose(value) -> str | None:
    if value is not None and len(str(value)) > MAX_PURPOSE:
        raise RecordInvalid({"purpose": ["too_long"]})
    return value


def create(store: Store, actor: Actor, owner: dict, body, now: datetime, outbox: Outbox) -> tuple[dict, str]:
    """(token, its secret) for POST /users/:user_id/tokens."""
    params = _params(body)
    if "purpose" not in params:
        raise TokenRefused("token[purpose] is missing")
    if permissions.only_student(actor.user):  # the feature student_access_token_management
        if not params.get("expires_at"):
            raise TokenRefused("Expiration date is required")
        try:
            expires = forms.date(params["expires_at"])
        except ValueError:
            raise TokenRefused("Invalid expiration date format") from None
        if expires > now + STUDENT_MAX_LIFETIME:
            raise TokenRefused("Expiration date cannot be more than 120 days in the future")
    else:
        try:
            expires = forms.date(params.get("expires_at"))
        except ValueError:
            expires = None  # Rails casts a date it cannot read to nil: a token that never expires
    permissions.allow(permissions.manages_user(store, actor.real, owner))
    with store.transaction():
        value = _new_secret(store)
        stamp = isoformat(now)
        token = store.insert_auto(t.TOKENS, {
            "user_id": owner["id"], "purpose": _purpose(params["purpose"]),
            # Unless made by the owner, not masquerading, a token waits for its owner to activate it.
            "workflow_state": "active" if owner["id"] == actor.real["id"] else "pending",
            "created_at": stamp, "updated_at": stamp, "expires_at": isoformat(expires) if expires else None,
            "last_used_at": None, "scopes": list(params.get("scopes") or []),
            "real_user_id": actor.real["id"] if actor.masquerading else None, "remember_access": None,
            "_secret": value, "_hint": value[:HINT_LENGTH], "_manual": True,
        })
        _store_secret(store, token["id"], value)
    if token["workflow_state"] == "pending":
        outbox.send(vendor="canvas", to=owner["email"], kind="access_token_created_on_behalf_of_user",
                    subject="An access token was created on your behalf",
                    body=f"{actor.real['name']} created the access token \"{token['purpose']}\" for you. "
                         "Activate it in Account > Settings before it can be used.",
                    data={"user_id": owner["id"], "token_id": token["id"], "created_by": actor.real["id"]})
    return token, value


def _writable(store: Store, actor: Actor, owner: dict, ref) -> dict:
    token = find(store, owner, ref)
    if not permissions.manages_user(store, actor.real, owner):
        if actor.user["id"] == owner["id"]:
            permissions.allow(False)
        raise NotFound(f"token {ref}")  # not yours to change: it does not exist for you
    return token


def update(store: Store, actor: Actor, owner: dict, ref, body, now: datetime) -> tuple[dict, str | None]:
    """(token, the new secret if it was regenerated) for PUT /users/:user_id/tokens/:id."""
    params = _params(body)
    with store.transaction():
        token = _writable(store, actor, owner, ref)
        changes: dict = {}
        regenerated = None
        if forms.boolean(params.get("regenerate")) and token["_manual"]:
            if expired(token, now) and "expires_at" not in params:
                raise ErrorsMessage("cannot regenerate an expired token without a new expiration date")
            regenerated = _new_secret(store)
            store.delete(t.TOKEN_SECRETS, token["_secret"])
            _store_secret(store, token["id"], regenerated)
            changes.update(_secret=regenerated, _hint=regenerated[:HINT_LENGTH])
            if owner["id"] != actor.real["id"]:
                changes["workflow_state"] = "pending"
        if "purpose" in params:
            changes["purpose"] = _purpose(params["purpose"])
        if "expires_at" in params:
            try:
                expires = forms.date(params["expires_at"])
            except ValueError:
                expires = None
            changes["expires_at"] = isoformat(expires) if expires else None
        if "scopes" in params:
            changes["scopes"] = list(params["scopes"] or [])
        changes["updated_at"] = isoformat(now)
        return store.update(t.TOKENS, token["id"], changes), regenerated


def delete(store: Store, actor: Actor, owner: dict, ref, now: datetime) -> dict:
    with store.transaction():
        token = _writable(store, actor, owner, ref)
        return store.update(t.TOKENS, token["id"], {"workflow_state": "deleted", "updated_at": isoformat(now)})


def _activate(store: Store, token: dict, now: datetime) -> dict:
    if token["workflow_state"] != "pending":
        raise FieldErrors({"token": ["is already active"]})
    return store.update(t.TOKENS, token["id"], {"workflow_state": "active", "updated_at": isoformat(now)})


def activate(store: Store, actor: Actor, owner: dict, ref, now: datetime) -> dict:
    """The owner's activation (TokensController#activate: only @current_user == token.user)."""
    with store.transaction():
        token = find(store, owner, ref)
        permissions.allow(actor.user["id"] == token["user_id"])
        return _activate(store, token, now)


def activate_for_owner(store: Store, body: dict, now: datetime) -> dict:
    """The owner's click in Account > Settings, done through the admin API."""
    missing = [name for name in ("user_id", "token_id") if body.get(name) in (None, "")]
    if missing:
        raise InvalidRequest(f"{', '.join(missing)} required",
                             violations=[Violation("body", (name,), "required") for name in missing])
    with store.transaction():
        owner = require(store, t.USERS, integer_id(body["user_id"]))
        return _activate(store, find(store, owner, body["token_id"]), now)
