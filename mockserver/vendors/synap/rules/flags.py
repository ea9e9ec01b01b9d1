"""Flag: a user's report of a problem with a question or other content (``subject``).

The reporter is the caller (an administrator may name another user); one open flag per reporter and
subject (409). Reporters see their own flags and may edit the reason and comment while the flag is
open; only administrators change ``status``: resolving or dismissing stamps ``resolvedAt`` and
``resolvedBy`` and emails the reporter, reopening clears them.
"""

from __future__ import annotations

from mockserver.errors import Conflict, Forbidden
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import table
from mockserver.vendors.synap.rules.ownership import Owned, owner_id

owned = Owned("Flag", admin_writes=("delete",), user_required=False)
allow, visible = owned.allow, owned.visible
CLOSED = ("resolved", "dismissed")


def create(call, record, body) -> None:
    owned.claim(call, record)
    rels = record["relationships"]
    if rels.get("subject") is None:
        raise invalid(("relationships", "subject"), "Name what is flagged.")
    for other in call.store.rows(table("Flag")):
        if (other["relationships"].get("user") == rels["user"] and other["relationships"].get("subject") == rels["subject"]
                and other["attributes"]["status"] == "open"):
            raise Conflict(f"You already flagged this {rels['subject']['type']} (flag {other['id']} is open).")
    record["attributes"].update({"status": "open", "resolution": None, "resolvedAt": None})
    record["_resolvedBy"] = None


def update(call, record, changes) -> None:
    before = record["attributes"]["status"]
    status = changes.get("status", before)
    if not call.is_admin:
        if status != before or "resolution" in changes:
            raise Forbidden("Only portal administrators resolve or dismiss flags.")
        if before != "open":
            raise Conflict(f"The flag is {before}; it can no longer be edited.")
        return
    if status == before:
        return
    closing = status in CLOSED
    changes["resolvedAt"] = call.timestamp if closing else None
    if not closing:
        changes["resolution"] = None
    call.store.update(table("Flag"), record["id"], {"_resolvedBy": call.user_id if closing else None})


def relationships(call, record) -> dict:
    by = record.get("_resolvedBy")
    return {"resolvedBy": {"type": "User", "id": by} if by else None}


def updated(call, before, after) -> None:
    status = after["attributes"]["status"]
    if status in CLOSED and before["attributes"]["status"] != status:
        reporter = call.record("User", owner_id(after) or "")
        if reporter is None:
            return
        note = after["attributes"].get("resolution") or "Thank you for your report."
        call.sandbox.outbox.send(vendor="synap", to=reporter["attributes"]["emailAddress"], kind="FlagResolved",
                                 subject=f"Your flag was {status}", body=note,
                                 data={"type": "Flag", "id": after["id"], "status": status})
