"""What Skilljar's rules, serializers and the generic controller share about records: finding one
(or DRF's 404), the public fields of one, and timestamps in DRF's form. No HTTP here."""

from __future__ import annotations

from mockserver.clock import isoformat, parse
from mockserver.errors import InvalidRequest, NotFound, Violation
from mockserver.store import Store


def require(store: Store, table: str, record_id, what: str = "object") -> dict:
    """The record, or a 404 (DRF renders every one as {"detail": "Not found."})."""
    record = store.get(table, record_id)
    if record is None:
        raise NotFound(f"{what} {record_id} not found")
    return record


def require_in(store: Store, table: str, record_id, field: str, owner, what: str = "object") -> dict:
    """The record if its ``field`` names ``owner`` (the path's parent), or a 404: a record of another
    domain, pool or lesson is not found here."""
    record = store.get(table, record_id)
    if record is None or record.get(field) != owner:
        raise NotFound(f"{what} {record_id} not found")
    return record


def public(record: dict, store: Store | None = None) -> dict:
    """A record without its ``_`` fields (scoping and links, never rendered)."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


def normalise(fields: dict, path: tuple = ()) -> dict:
    """Timestamps (``*_at``) in UTC ``Z`` form, as DRF renders them; a bad one is a 400 on its field."""
    result = {}
    for key, value in fields.items():
        if key.endswith("_at") and isinstance(value, str):
            try:
                value = isoformat(parse(value))
            except ValueError:
                raise InvalidRequest(
                    f"{key}: bad datetime",
                    violations=[Violation("body", (*path, key), "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].")],
                ) from None
        result[key] = value
    return result
