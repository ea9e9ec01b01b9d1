"""Canvas business rules (no HTTP here): they take the store and the caller, raise typed errors."""

from __future__ import annotations

from mockserver.errors import NotFound
from mockserver.store import Store


def require(store: Store, table: str, record_id) -> dict:
    """The record, or Canvas's 404 (ActiveRecord::RecordNotFound)."""
    record = store.get(table, record_id) if record_id is not None else None
    if record is None:
        raise NotFound(f"{table} {record_id} not found")
    return record


def integer_id(value) -> int | None:
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() else None


def by_ref(store: Store, table: str, ref, sis_field: str) -> dict | None:
    """The record a path names by id or as ``<sis_field>:<value>`` (api_find's SIS lookups), or None."""
    text = str(ref)
    prefix = f"{sis_field}:"
    if text.startswith(prefix):
        return store.find_one(table, **{sis_field: text[len(prefix):]})
    record_id = integer_id(text)
    return store.get(table, record_id) if record_id is not None else None


def check_sis_unique(store: Store, table: str, field: str, sis, own_id, errors: dict) -> None:
    """A SIS id another record of ``table`` already has: the uniqueness error Canvas reports on
    ``sis_source_id``, the column behind each ``sis_<x>_id``."""
    if sis and any(r["id"] != own_id for r in store.lookup(table, field, sis)):
        errors.setdefault("sis_source_id", []).append(("taken", f'SIS ID "{sis}" is already in use'))
