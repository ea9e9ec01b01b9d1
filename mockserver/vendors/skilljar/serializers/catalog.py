"""Catalog pages."""

from __future__ import annotations

from mockserver.store import Store
from mockserver.vendors.skilljar.records import public


def catalog_page(record: dict, store: Store | None = None) -> dict:
    return {**public(record), "url": f"https://{record['_domain']}/page/{record['slug']}"}
