"""Hand-written operations of the Attempts, Marking, Proctoring groups."""

from __future__ import annotations

from mockserver.vendors.synap import schema
from mockserver.vendors.synap.documents import HEADERS, Call, resource
from mockserver.vendors.synap.errors import invalid_body
from mockserver.vendors.synap.records import apply
from mockserver.vendors.synap.resources import require, writable
from mockserver.vendors.synap.rules import attempts, player


def attempts_update_responses(id: str, body: dict):
    """Update Attempt Responses: PATCH /attempts/{id}/responses (a sandbox route) saves several
    responses in one transaction, each by the rules of its own Update Player*Response."""
    call = Call(schema.registry())
    updated = []
    with call.store.transaction():
        attempt = require(call, call.registry["Attempt"], id)
        attempts.allow(call, "show", attempt)
        for n, item in enumerate(body["data"]):
            rt = call.registry[item["type"]]
            response = call.store.get(rt.table, item["id"])
            if response is None or player.TYPES.get(response["attributes"]["responseType"]) != rt.name \
                    or response["_attempt"] != attempt["id"]:
                raise invalid_body(("data", n, "id"), f"No {rt.name} {item['id']!r} in this attempt.")
            changes = writable(rt, item.get("attributes"))
            rt.hook("update")(call, response, changes)
            updated.append((rt, apply(call, rt, response, changes)))
    return {"data": [resource(call, rt, record) for rt, record in updated]}, 200, HEADERS
