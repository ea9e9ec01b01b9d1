"""ProductList: an ordered shelf of Products in a PortalStore. Add Products / Remove Products are
its to-many relationship endpoints; a list takes only active products priced in its store's
currency (or, without a store, in the currency of the products it already holds)."""

from __future__ import annotations

from mockserver.vendors.synap.errors import invalid_body
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)


def _currency(call, record: dict, held: list[dict]) -> str | None:
    linked = record["relationships"].get("portalStore")
    store = call.record("PortalStore", linked["id"]) if linked else None
    if store is not None:
        return store["attributes"]["currency"]
    return held[0]["attributes"]["currency"] if held else None


def _check(call, record: dict, current: list[dict], added: list[dict], pointer: tuple, indexed: bool) -> None:
    held = [p for p in (call.record("Product", i["id"]) for i in current) if p is not None]
    currency = _currency(call, record, held)
    for n, ident in enumerate(added):
        product = call.record("Product", ident["id"])
        where = (*pointer, n) if indexed else pointer
        if not product["attributes"]["isActive"]:
            raise invalid_body(where, f"Product {ident['id']} is not for sale.")
        currency = currency or product["attributes"]["currency"]
        if product["attributes"]["currency"] != currency:
            raise invalid_body(where, f"Product {ident['id']} is priced in {product['attributes']['currency']}; "
                                      f"this list sells in {currency}.")


def create(call, record, body) -> None:
    _check(call, record, [], record["relationships"].get("products") or [],
           ("data", "relationships", "products", "data"), indexed=True)


def relink(call, record, name, linked) -> None:
    if name == "products":
        before = {i["id"] for i in record["relationships"].get("products") or []}
        current = [i for i in linked if i["id"] in before]
        _check(call, record, current, [i for i in linked if i["id"] not in before], ("data",), indexed=False)


def attributes(call, record) -> dict:
    return {"totalProducts": len(record["relationships"].get("products") or [])}
