"""Integration: a connection to an outside system, administrators only. ``clientSecret`` and
``apiKey`` are write-only: kept beside the record (never in its attributes, never rendered);
``configuredSecrets`` says which are set, and a null clears one. OAuth-style providers need a
clientId and a clientSecret."""

from __future__ import annotations

from mockserver.errors import Forbidden
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import table

SECRETS = ("clientSecret", "apiKey")
OAUTH = ("lti", "google", "microsoft")


def allow(call, action, record) -> None:
    if not call.is_admin:
        raise Forbidden("Only portal administrators can manage integrations.")


def _take_secrets(kept: dict, attrs: dict) -> dict:
    for name in SECRETS:
        if name in attrs:
            value = attrs.pop(name)
            if value:
                kept[name] = value
            else:
                kept.pop(name, None)
    return kept


def _complete(attrs: dict, secrets: dict) -> None:
    if attrs["provider"] in OAUTH:
        if not attrs.get("clientId"):
            raise invalid(("attributes", "clientId"), f"A {attrs['provider']} integration needs a clientId.")
        if not secrets.get("clientSecret"):
            raise invalid(("attributes", "clientSecret"), f"A {attrs['provider']} integration needs a clientSecret.")


def create(call, record, body) -> None:
    secrets = _take_secrets({}, record["attributes"])
    _complete(record["attributes"], secrets)
    record["_secrets"] = secrets
    record["relationships"]["createdBy"] = {"type": "User", "id": call.user_id} if call.user_id else None


def update(call, record, changes) -> None:
    secrets = _take_secrets(dict(record.get("_secrets") or {}), changes)
    _complete({**record["attributes"], **changes}, secrets)
    call.store.update(table("Integration"), record["id"], {"_secrets": secrets})


def attributes(call, record) -> dict:
    return {"configuredSecrets": [name for name in SECRETS if (record.get("_secrets") or {}).get(name)]}
