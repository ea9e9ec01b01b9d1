"""Certificate: issued by an administrator to a user, for what they completed (``source``), printed
with a Template (the default one unless named) and emailed to them. Users see their own; one
certificate per user and source (409). ``isPublic`` ones are listed as PublicCertificates to
everyone; ``isExpired`` follows ``expiresAt`` on the sandbox clock."""

from __future__ import annotations

from types import SimpleNamespace

from mockserver.clock import parse
from mockserver.errors import Conflict, Forbidden
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import ident, table
from mockserver.vendors.synap.rules.ownership import Owned

VERIFY = "https://verify.synap.example/certificates"
FILES = "https://files.synap.example/certificates"

owned = Owned("Certificate", user_required=False)
visible = owned.visible


def allow(call, action, record) -> None:
    owned.allow(call, action, record)
    if action not in ("list", "show") and not call.is_admin:
        raise Forbidden("Only portal administrators issue certificates.")


def number(store, year: int) -> str:
    return f"SYN-{year}-{store.sequence('synap.certificate-number'):06d}"


def issued(store, user: dict, issued_at: str) -> dict:
    """What the server sets on a new certificate (the seed issues its certificates here too)."""
    serial = number(store, int(issued_at[:4]))
    return {"recipientName": user["attributes"]["name"], "certificateNumber": serial, "issuedAt": issued_at,
            "verificationUrl": f"{VERIFY}/{serial}", "fileUrl": f"{FILES}/{serial}.pdf"}


def default_template(call) -> dict | None:
    rows = call.store.rows(table("Template"))
    return next((r for r in rows if r["attributes"]["isDefault"]), None)


def create(call, record, body) -> None:
    rels, attrs = record["relationships"], record["attributes"]
    if rels.get("user") is None:
        raise invalid(("relationships", "user"), "A certificate is issued to a user.")
    source = rels.get("source")
    if source is not None:
        for other in call.store.rows(table("Certificate")):
            if other["relationships"].get("user") == rels["user"] and other["relationships"].get("source") == source:
                raise Conflict(f"The user already has certificate {other['id']} for this {source['type']}.")
    if attrs.get("expiresAt") and parse(attrs["expiresAt"]) <= call.now:
        raise invalid(("attributes", "expiresAt"), "A certificate must expire after it is issued.")
    if rels.get("template") is None:
        template = default_template(call)
        rels["template"] = ident("Template", template)
    rels["issuedBy"] = {"type": "User", "id": call.user_id} if call.user_id else None
    attrs.update(issued(call.store, call.record("User", rels["user"]["id"]), call.timestamp))


def created(call, record) -> None:
    user = call.record("User", record["relationships"]["user"]["id"])
    attrs = record["attributes"]
    call.sandbox.outbox.send(
        vendor="synap", to=user["attributes"]["emailAddress"], kind="Certificate", subject=f"Your {attrs['title']}",
        body=f"Congratulations {attrs['recipientName']}! Download your certificate: {attrs['fileUrl']}",
        data={"type": "Certificate", "id": record["id"], "certificateNumber": attrs["certificateNumber"]})


def attributes(call, record) -> dict:
    expires = record["attributes"].get("expiresAt")
    return {"isExpired": bool(expires) and call.now >= parse(expires)}


public = SimpleNamespace(attributes=attributes)  # PublicCertificate: everyone reads, nothing else
