"""PortalStore: a storefront holding ProductLists. Slugs are unique; a store with an open
CheckoutSession cannot be deleted (409); deleting one unlinks its lists and past sessions."""

from __future__ import annotations

from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import linking, table
from mockserver.vendors.synap.rules import checkout_sessions, references
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)


def _in_store(call, type_name: str, store_id: str) -> list[dict]:
    return linking(call.store, type_name, "portalStore", store_id)


def _unique_slug(call, slug: str | None, except_id: str | None = None) -> None:
    if slug is None:
        return
    for row in call.store.rows(table("PortalStore")):
        if row["attributes"].get("slug") == slug and row["id"] != except_id:
            raise invalid(("attributes", "slug"), f"Another store already uses the slug {slug!r}.")


def create(call, record, body) -> None:
    _unique_slug(call, record["attributes"].get("slug"))


def update(call, record, changes) -> None:
    if "slug" in changes:
        _unique_slug(call, changes["slug"], record["id"])


def attributes(call, record) -> dict:
    return {"totalProductLists": len(_in_store(call, "ProductList", record["id"]))}


def delete(call, record) -> None:
    if any(checkout_sessions.is_open(call, s) for s in _in_store(call, "CheckoutSession", record["id"])):
        raise Conflict("The store has an open checkout session; it cannot be deleted now.")
    tables = {table(name) for name in ("ProductList", "CheckoutSession")}
    references.unlink(call, "PortalStore", record["id"], tables)
