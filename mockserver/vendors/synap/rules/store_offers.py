"""StoreOffer: a percentage off one Product between ``startsAt`` and ``endsAt`` (sandbox clock).
A CheckoutSession that names an active offer charges the offer's price for its product."""

from __future__ import annotations

from mockserver.clock import parse
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)


def active(call, offer: dict) -> bool:
    attrs = offer["attributes"]
    if attrs.get("startsAt") and call.now < parse(attrs["startsAt"]):
        return False
    return not (attrs.get("endsAt") and call.now >= parse(attrs["endsAt"]))


def discount(offer: dict, product: dict) -> int:
    """The amount taken off ``product``'s price (minor unit, rounded down)."""
    return product["attributes"]["price"] * (offer["attributes"].get("discountPercent") or 0) // 100


def product_of(call, offer: dict) -> dict | None:
    linked = offer["relationships"].get("product")
    return call.record("Product", linked["id"]) if linked else None


def attributes(call, record) -> dict:
    product = product_of(call, record)
    if product is None:
        return {"isActive": False, "price": 0, "currency": "GBP"}
    return {"isActive": active(call, record), "price": product["attributes"]["price"] - discount(record, product),
            "currency": product["attributes"]["currency"]}
