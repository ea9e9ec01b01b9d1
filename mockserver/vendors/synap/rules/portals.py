"""Portal and SubPortals: one portal per world; only admins change them."""

from __future__ import annotations

from mockserver.vendors.synap.records import ident, table
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)


def delete(call, record) -> None:
    """A deleted sub-portal leaves its users and groups in the main portal."""
    for table_name in (table("User"), table("UserGroup")):
        for row in call.store.rows(table_name):
            linked = row.get("relationships", {}).get("subPortal")
            if linked and linked["id"] == record["id"]:
                call.store.update(table_name, row["id"], {"relationships": {**row["relationships"], "subPortal": None}})


def create(call, record, body) -> None:
    if record["relationships"].get("portal") is None:  # a new sub-portal belongs to the one portal
        portal = next(iter(call.store.rows(table("Portal"))), None)
        record["relationships"]["portal"] = ident("Portal", portal)
