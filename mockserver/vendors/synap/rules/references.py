"""Every stored link to a record, across every type of the spec (the relationship's ``x-type`` names
the record's type, or is ``"*"``): what deleting a tag (or a product) has to take out."""

from __future__ import annotations


def _holders(registry, type_name: str):
    """(table, relationship name, to-many) for every relationship that may point at ``type_name``,
    once per table (typed variants share one)."""
    seen = set()
    for rt in registry.types.values():
        for rel in rt.relationships.values():
            if (type_name in rel.types or "*" in rel.types) and (rt.table, rel.name) not in seen:
                seen.add((rt.table, rel.name))
                yield rt.table, rel.name, rel.many


def unlink(call, type_name: str, record_id: str, tables: set[str] | None = None) -> int:
    """Remove every link to ``type_name`` ``record_id`` (inside a transaction); returns how many
    records changed. ``tables``: only there."""
    changed = 0
    for table_name, name, many in _holders(call.registry, type_name):
        if tables is not None and table_name not in tables:
            continue
        for row in call.store.rows(table_name):
            linked = (row.get("relationships") or {}).get(name)
            if not linked:
                continue
            if many:
                kept = [i for i in linked if not (i["type"] == type_name and i["id"] == record_id)]
                if len(kept) == len(linked):
                    continue
            elif linked["type"] == type_name and linked["id"] == record_id:
                kept = None
            else:
                continue
            current = call.store.get(table_name, row["id"])
            call.store.update(table_name, row["id"], {"relationships": {**current["relationships"], name: kept}})
            changed += 1
    return changed
