"""CheckoutSession: a user buying Products, with a status lifecycle (seed 001, Shop group).

    open --PATCH status=complete--> complete   amounts frozen, receipt emailed to customerEmail
    open --PATCH status=cancelled-> cancelled
    open --24 h on the sandbox clock--> expired

``status`` is worked out when read (the stored state plus the clock), so a session expires without
anyone touching it; the PATCH is hand-written (handlers/commerce.py) because the generic controller
does not pass x-computed attributes to the rules. While open, a session's amounts follow its products'
prices and the named StoreOffer; only an open session changes (409 otherwise). A user buys for
themselves; administrators may open a session for anyone.
"""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import isoformat, parse
from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.rules import store_offers
from mockserver.vendors.synap.rules.ownership import Owned

TTL = timedelta(hours=24)
CHECKOUT = "https://checkout.synap.example"

owned = Owned("CheckoutSession", user_required=False)
allow, visible = owned.allow, owned.visible


def state(call, record: dict) -> str:
    stored = record.get("_status", "open")
    if stored == "open" and call.now >= parse(record["attributes"]["expiresAt"]):
        return "expired"
    return stored


def is_open(call, record: dict) -> bool:
    return state(call, record) == "open"


def _products(call, record: dict) -> list[dict]:
    found = (call.record("Product", i["id"]) for i in record["relationships"].get("products") or [])
    return [p for p in found if p is not None]


def _offer(call, record: dict) -> dict | None:
    linked = record["relationships"].get("storeOffer")
    return call.record("StoreOffer", linked["id"]) if linked else None


def amounts(call, record: dict) -> dict:
    if record.get("_amounts"):  # frozen when the session completed
        return record["_amounts"]
    products = _products(call, record)
    subtotal = sum(p["attributes"]["price"] for p in products)
    off = 0
    offer = _offer(call, record)
    if offer is not None and store_offers.active(call, offer):
        target = store_offers.product_of(call, offer)
        if target is not None and any(p["id"] == target["id"] for p in products):
            off = store_offers.discount(offer, target)
    return {"amountSubtotal": subtotal, "amountDiscount": off, "amountTotal": subtotal - off}


def attributes(call, record) -> dict:
    status = state(call, record)
    money = amounts(call, record)
    payment = "unpaid"
    if status == "complete":
        payment = "paid" if money["amountTotal"] > 0 else "no_payment_required"
    return {"status": status, "paymentStatus": payment, **money}


def check(call, record: dict) -> str:
    """What the session may hold (refused as 400 on the relationship); returns its currency."""
    products = record["relationships"].get("products") or []
    if not products:
        raise invalid(("relationships", "products"), "A checkout session needs at least one product.")
    currencies = set()
    for n, ident in enumerate(products):
        product = call.record("Product", ident["id"])
        if not product["attributes"]["isActive"]:
            raise invalid(("relationships", "products", "data", n), f"Product {ident['id']} is not for sale.")
        currencies.add(product["attributes"]["currency"])
    if len(currencies) > 1:
        raise invalid(("relationships", "products"), "All products of a checkout session must share one currency.")
    currency = currencies.pop()
    linked = record["relationships"].get("portalStore")
    store = call.record("PortalStore", linked["id"]) if linked else None
    if store is not None:
        if not store["attributes"]["isEnabled"]:
            raise invalid(("relationships", "portalStore"), "The store is closed.")
        if store["attributes"]["currency"] != currency:
            raise invalid(("relationships", "products"), f"The store sells in {store['attributes']['currency']}.")
    offer = _offer(call, record)
    if offer is not None:
        if not store_offers.active(call, offer):
            raise invalid(("relationships", "storeOffer"), "The offer is not active.")
        target = offer["relationships"].get("product")
        if target is None or target["id"] not in {p["id"] for p in products}:
            raise invalid(("relationships", "storeOffer"), "The offer is for a product not in this session.")
    return currency


def create(call, record, body) -> None:
    user = owned.claim(call, record)
    attrs = record["attributes"]
    attrs["currency"] = check(call, record)
    attrs["customerEmail"] = attrs.get("customerEmail") or (user.get("attributes") or {}).get("emailAddress")
    attrs.update({"expiresAt": isoformat(call.now + TTL), "url": f"{CHECKOUT}/{call.sandbox.tenant}/{record['id']}",
                  "completedAt": None, "cancelledAt": None})
    record["_status"] = "open"


def change(call, record: dict, changes: dict, rels: dict, status: str | None) -> dict:
    """PATCH (inside the transaction): check ``changes``/``rels`` and the wanted ``status``; edits
    ``changes`` and returns the private fields to store with them."""
    current = state(call, record)
    if current != "open":
        raise Conflict(f"The checkout session is {current}; it can no longer change.")
    if "user" in rels and rels["user"] != record["relationships"].get("user"):
        raise invalid(("relationships", "user"), "A checkout session's user cannot change.")
    merged = {**record, "attributes": {**record["attributes"], **changes},
              "relationships": {**record["relationships"], **rels}}
    changes["currency"] = check(call, merged)
    if status in (None, "open"):
        return {}
    if status == "expired":
        raise invalid(("attributes", "status"), "A session expires by itself; set it to complete or cancelled.")
    if status == "cancelled":
        changes["cancelledAt"] = call.timestamp
        return {"_status": "cancelled"}
    if not merged["attributes"].get("customerEmail"):
        raise invalid(("attributes", "customerEmail"), "A receipt address is needed to complete the checkout.")
    changes["completedAt"] = call.timestamp
    return {"_status": "complete", "_amounts": amounts(call, merged)}


def updated(call, before, after) -> None:
    if before.get("_status") != "complete" and after.get("_status") == "complete":
        money, attrs = after["_amounts"], after["attributes"]
        names = ", ".join(p["attributes"]["name"] for p in _products(call, after))
        call.sandbox.outbox.send(
            vendor="synap", to=attrs["customerEmail"], kind="CheckoutReceipt", subject="Your receipt",
            body=f"Thank you for your purchase: {names}. Total {money['amountTotal']} {attrs['currency']} (minor unit).",
            data={"type": "CheckoutSession", "id": after["id"], **money, "currency": attrs["currency"]})
