"""Invites to join the portal (and a group). Administrators manage them: ``status`` ``revoked``
withdraws a pending invite, ``pending`` reinstates a revoked one and ``resend: true`` sends a
pending one again; both of the latter email it anew (sandbox outbox) and give it another
``VALIDITY``. ``isExpired`` follows the sandbox clock. Only the invitee accepts an invite, so
``accepted`` cannot be set here (400) and an accepted invite does not change any more (409)."""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import isoformat, parse
from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import ident
from mockserver.vendors.synap.rules.accounts import admins_only

VALIDITY = timedelta(days=14)

allow = admins_only


def attributes(call, record) -> dict:
    expires = record["attributes"].get("expiresAt")
    return {"isExpired": record["attributes"]["status"] == "pending" and bool(expires) and call.now >= parse(expires)}


def update(call, record, changes) -> None:
    status, resend = record["attributes"]["status"], changes.pop("resend", None)
    wanted = changes.get("status", status)
    if status == "accepted" and (wanted != status or resend):
        raise Conflict("This invite has been accepted and can no longer change.")
    if wanted == "accepted" and status != "accepted":
        raise invalid(("attributes", "status"), "Only the invitee accepts an invite.")
    if resend and wanted == "revoked":
        raise Conflict("A revoked invite cannot be sent; set its status to pending to reinstate it.")
    if resend or (wanted == "pending" and status == "revoked"):
        changes.update({"sentAt": call.timestamp, "expiresAt": isoformat(call.now + VALIDITY)})


def updated(call, before, after) -> None:
    attrs = after["attributes"]
    if attrs["sentAt"] != before["attributes"]["sentAt"]:
        call.sandbox.outbox.send(vendor="synap", to=attrs["emailAddress"], kind="invite",
                                 subject="You are invited to join the portal",
                                 body=f"Hello {attrs.get('name') or ''}, accept your invitation before {attrs['expiresAt']}.",
                                 data=ident("Invite", after))
