"""ZapierApiKey: an administrator's key for the Zapier integration. Like a PAT, the key
(``z:<hex>``) is shown once, in the create response; afterwards only ``keyPreview`` (its last four
characters) identifies it. A revoked key cannot be restored."""

from __future__ import annotations

from mockserver.errors import Forbidden
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.ids import secret
from mockserver.vendors.synap.rules.users import password_hash


def allow(call, action, record) -> None:
    if not call.is_admin:
        raise Forbidden("Only portal administrators can manage Zapier API keys.")


def create(call, record, body) -> dict:
    key = f"z:{secret(call.store, 'zapier', 40)}"
    record["_keyHash"] = password_hash(key)
    record["relationships"]["user"] = {"type": "User", "id": call.user_id} if call.user_id else None
    record["attributes"].update({"keyPreview": key[-4:], "isRevoked": False, "lastUsedAt": None})
    return {"apiKey": key}


def update(call, record, changes) -> None:
    if record["attributes"]["isRevoked"] and changes.get("isRevoked") is False:
        raise invalid(("attributes", "isRevoked"), "A revoked Zapier API key cannot be restored.")
