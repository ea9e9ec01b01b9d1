"""UserAccount: the sign-in side of a user, read from the user record (same id)."""

from __future__ import annotations

from mockserver.errors import NotFound
from mockserver.vendors.synap.records import ident


def attributes(call, record) -> dict:
    attrs = record["attributes"]
    return {
        "name": attrs.get("name"), "emailAddress": attrs.get("emailAddress"),
        "emailVerified": bool(attrs.get("emailVerified")), "locale": attrs.get("locale"),
        "timeZone": attrs.get("timeZone"), "hasPassword": bool(record.get("_passwordHash")),
        "mfaEnabled": bool(record.get("_mfaEnabled")), "createdAt": attrs.get("createdAt"),
        "lastSeen": attrs.get("lastSeen"),
    }


def relationships(call, record) -> dict:
    return {"user": ident("User", record)}


def allow(call, action, record) -> None:
    if not call.is_admin and record is not None and record["id"] != call.user_id:
        raise NotFound(f"No UserAccount with id {record['id']!r}")
