"""Skilljar webhook events, handed to the shared delivery worker.

Every active webhook whose ``event_type`` is the event's (or null: all events) gets one POST, one
per distinct target URL, with Basic auth when configured. The payload shape is not published
(the official spec's sample-payload operations return untyped objects): ours is
``{"type": EVENT, "created_at": ..., "data": {...}}`` [inferred].
"""

from __future__ import annotations

from mockserver.clock import isoformat
from mockserver.gateway import current_gateway
from mockserver.sandbox import current
from mockserver.vendors.skilljar import tables as t


def emit(event: str, data: dict) -> int:
    sandbox = current()
    targets: dict[str, dict] = {}
    for hook in sandbox.store.rows(t.WEBHOOKS):
        if hook.get("active", True) and hook.get("event_type") in (None, event):
            targets.setdefault(hook["target_url"], hook)
    payload = {"type": event, "created_at": isoformat(sandbox.now()), "data": data}
    for url, hook in targets.items():
        auth = (hook["basic_auth_username"], hook.get("basic_auth_password") or "") if hook.get("basic_auth_username") else None
        current_gateway().webhooks.emit(tenant=sandbox.tenant, vendor="skilljar", event=event, target_url=url,
                                        payload=payload, basic_auth=auth,
                                        headers={str(k): str(v) for k, v in (hook.get("additional_headers") or {}).items()})
    return len(targets)
