"""Portal and SubPortals: one portal per world; only admins change them."""

from __future__ import annotations

from mockserver.vendors.synap import tables as t
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)


def delete(call, record) -> None:
    """A deleted sub-portal leaves its users and groups in the main portal."""
    for table in (t.USERS, t.USER_GROUPS):
        for row in call.store.rows(table):
            linked = row.get("relationships", {}).get("subPortal")
            if linked and linked["id"] == record["id"]:
                call.store.update(table, row["id"], {"relationships": {**row["relationships"], "subPortal": None}})


def create(call, record, body) -> None:
    if record["relationships"].get("portal") is None:  # a new sub-portal belongs to the one portal
        portal = next(iter(call.store.rows(t.PORTALS)), None)
        record["relationships"]["portal"] = {"type": "Portal", "id": portal["id"]} if portal else None
