"""Product: what a PortalStore sells. Deleting one takes it out of every ProductList; a product in
an open CheckoutSession cannot be deleted (409) nor taken off sale while someone is paying for it."""

from __future__ import annotations

from mockserver.errors import Conflict
from mockserver.vendors.synap.records import table
from mockserver.vendors.synap.rules import checkout_sessions, references
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)


def _in_open_checkout(call, record: dict) -> bool:
    for session in call.store.rows(table("CheckoutSession")):
        products = session["relationships"].get("products") or []
        if any(p["id"] == record["id"] for p in products) and checkout_sessions.is_open(call, session):
            return True
    return False


def update(call, record, changes) -> None:
    if changes.get("isActive") is False and record["attributes"]["isActive"] and _in_open_checkout(call, record):
        raise Conflict("The product is in an open checkout session; it cannot be taken off sale now.")


def delete(call, record) -> None:
    if _in_open_checkout(call, record):
        raise Conflict("The product is in an open checkout session; it cannot be deleted now.")
    references.unlink(call, "Product", record["id"], {table("ProductList")})
