"""Webhook events, delivered to every active WebhookSubscription of that ``eventName`` by the shared
worker (retries, delivery log in /__admin/webhooks).

Synap documents the subscription (``eventName`` such as ``assignment.complete``, ``targetUrl``,
``basicAuth``, ``active``) but not the delivery payload or the other event names. Ours are
``<resource>.<verb>`` like the documented one (``user.create``, ``user.update``, ``user.delete``,
``assignment.complete``) and the payload is ``{"eventName", "createdAt", "data": <resource object>}``
[inferred].
"""

from __future__ import annotations

from mockserver.vendors.synap.documents import resource
from mockserver.vendors.synap.records import table

EVENTS = ("user.create", "user.update", "user.delete", "assignment.complete")


def emit(call, event: str, type_name: str, record: dict) -> int:
    subscriptions = [s for s in call.store.rows(table("WebhookSubscription"))
                     if s["attributes"]["active"] and s["attributes"]["eventName"] == event]
    if not subscriptions:
        return 0
    payload = {"eventName": event, "createdAt": call.timestamp,
               "data": resource(call, call.registry[type_name], record)}
    for subscription in subscriptions:
        auth = subscription["attributes"].get("basicAuth") or {}
        basic = (auth["username"], subscription.get("_password") or "") if auth.get("username") else None
        call.sandbox.webhooks.emit(tenant=call.sandbox.tenant, vendor="synap", event=event,
                                   target_url=subscription["attributes"]["targetUrl"],
                                   payload=payload, basic_auth=basic)
    return len(subscriptions)
