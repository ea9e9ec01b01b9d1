"""PersonalAccessToken: created by admins, secret shown once, revocable, never expiring (vendors.md §1)."""

from __future__ import annotations

from mockserver.errors import Forbidden
from mockserver.vendors.synap import tables as t
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.ids import secret


def allow(call, action, record) -> None:
    # Only an admin creates and manages PATs (Portal > Settings > Automations > API).
    if not call.is_admin:
        raise Forbidden("Only portal administrators can manage personal access tokens.")


def issue(store, pat_id: str, token: str | None = None, demo: bool = False) -> str:
    """Store the bearer lookup of a PAT; the secret is ``p:`` and 40 hex digits unless given."""
    token = token or f"p:{secret(store, 'pat')}"
    store.insert(t.PAT_SECRETS, token, {"token": token, "pat": pat_id, "demo": demo})
    return token


def create(call, record, body) -> dict:
    record["_owner"] = call.user_id
    record["attributes"]["isRevoked"] = False
    record["attributes"]["lastUsedAt"] = None
    # The one response that carries the secret: it is never shown again.
    return {"token": issue(call.store, record["id"])}


def update(call, record, changes) -> None:
    if record["attributes"]["isRevoked"] and changes.get("isRevoked") is False:
        raise invalid(("attributes", "isRevoked"), "A revoked personal access token cannot be restored.")


def delete(call, record) -> None:
    for entry in call.store.find(t.PAT_SECRETS, pat=record["id"]):
        call.store.delete(t.PAT_SECRETS, entry["token"])
