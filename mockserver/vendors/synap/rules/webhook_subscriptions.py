"""WebhookSubscription: admins subscribe a URL to an event; the Basic-auth password is write-only."""

from __future__ import annotations

from mockserver.errors import Forbidden
from mockserver.vendors.synap.records import table


def allow(call, action, record) -> None:
    if not call.is_admin:
        raise Forbidden("Only portal administrators can manage webhook subscriptions.")


def _keep_password(record: dict, basic_auth: dict | None) -> dict | None:
    # The password is accepted and used for deliveries, never rendered back.
    if not basic_auth:
        return basic_auth
    record["_password"] = basic_auth.get("password") or ""
    return {"username": basic_auth.get("username")}


def create(call, record, body) -> None:
    record["attributes"]["basicAuth"] = _keep_password(record, record["attributes"].get("basicAuth"))


def update(call, record, changes) -> None:
    if "basicAuth" in changes:
        kept = {}
        changes["basicAuth"] = _keep_password(kept, changes["basicAuth"])
        if "_password" in kept:
            call.store.update(table("WebhookSubscription"), record["id"], kept)
