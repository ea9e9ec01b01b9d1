"""Synap lists: ``limit``/``offset`` paging with the full ``meta`` of seed 000, and the JSON:API
query parameters ``filter[attr]``, ``sort=-a,b``, ``include=a,b.c`` and ``fields[Type]=a,b``.

Seed 000 documents ``limit`` (>= 1) and ``offset`` (>= 0) as required and lists ``meta`` as
``total``, ``totalWithoutFilters``, ``pages``, ``page``, ``offset``, ``limit`` plus the deprecated
``totalCount``, ``resultCount``, ``totalPages``, ``currentPage`` (example values all 0). How they
relate is inferred: ``total`` counts the filtered rows, ``pages`` is ``ceil(total / limit)``,
``page`` the 1-based page ``offset`` falls in, ``resultCount`` the rows in this response; the
deprecated names repeat the current ones. Filter/sort/include syntax is JSON:API's (vendors.md §1:
not visible in Synap's docs).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from mockserver.vendors.synap.errors import invalid_parameter
from mockserver.vendors.synap.schema import Registry, ResourceType


def meta(total: int, total_without_filters: int, limit: int, offset: int, returned: int) -> dict:
    pages = math.ceil(total / limit)
    page = offset // limit + 1
    return {
        "total": total,
        "totalWithoutFilters": total_without_filters,
        "pages": pages,
        "page": page,
        "offset": offset,
        "limit": limit,
        "totalCount": total,
        "resultCount": returned,
        "totalPages": pages,
        "currentPage": page,
    }


def _truthy(text: str) -> bool | None:
    return {"true": True, "1": True, "false": False, "0": False}.get(text.lower())


def _matcher(wanted: str, schema: dict) -> Callable[[object], bool]:
    """``filter[attr]=v``: equality in the attribute's own type; ``a,b`` matches either value."""
    options = wanted.split(",")
    kind = schema.get("type")
    if kind == "boolean":
        values = {_truthy(o) for o in options}
        return lambda value: value in values
    if kind in ("integer", "number"):
        numbers = set()
        for option in options:
            try:
                numbers.add(float(option))
            except ValueError:
                pass
        return lambda value: isinstance(value, (int, float)) and float(value) in numbers
    texts = set(options)
    return lambda value: (value in texts) if not isinstance(value, list) else bool(texts & set(map(str, value)))


def _identifier_matcher(wanted: str) -> Callable[[object], bool]:
    ids = set(wanted.split(","))

    def test(value) -> bool:
        if isinstance(value, list):
            return any(item["id"] in ids for item in value)
        return value is not None and value["id"] in ids
    return test


@dataclass
class ListQuery:
    limit: int
    offset: int
    filters: list[tuple[str, bool, Callable[[object], bool]]]  # (name, is_relationship, test)
    sort: list[tuple[str, bool]]  # (attribute, descending)
    include: list[list[str]]
    fields: dict[str, frozenset[str]]
    # One filter the store's index can answer: (path in the record, the one value it must equal)
    lookup: tuple[tuple[str, ...], str] | None = None


def parse_fields(registry: Registry, fields: dict | None) -> dict[str, frozenset[str]]:
    result = {}
    for type_name, names in (fields or {}).items():
        rt = registry.get(type_name)
        if rt is None:
            raise invalid_parameter(f"fields[{type_name}]", f"Unknown resource type {type_name!r}")
        wanted = frozenset(n for n in str(names).split(",") if n)
        unknown = sorted(wanted - set(rt.attributes) - set(rt.relationships))
        if unknown:
            raise invalid_parameter(f"fields[{type_name}]", f"{type_name} has no field {unknown[0]!r}")
        result[type_name] = wanted
    return result


def parse_include(registry: Registry, rt: ResourceType, include: str | None) -> list[list[str]]:
    paths = []
    for path in [p for p in (include or "").split(",") if p]:
        names, current = path.split("."), [rt]
        for name in names:
            nxt = []
            for t in current:
                rel = t.relationships.get(name)
                if rel is not None:
                    nxt += [registry[n] for n in rel.types if n != "*"] if "*" not in rel.types else list(registry.types.values())
            if not nxt:
                raise invalid_parameter("include", f"Relationship path {path!r} does not exist on {rt.name}")
            current = nxt
        paths.append(names)
    return paths


def parse(registry: Registry, rt: ResourceType, *, limit: int, offset: int, filter: dict | None = None,
          sort: str | None = None, include: str | None = None, fields: dict | None = None) -> ListQuery:
    filters, lookup = [], None
    for name, wanted in (filter or {}).items():
        single = "," not in str(wanted)
        if name in rt.attributes and name not in rt.hidden:
            filters.append((name, False, _matcher(str(wanted), rt.attributes[name])))
            if single and lookup is None and rt.attributes[name].get("type") == "string" and name not in rt.computed:
                lookup = (("attributes", name), str(wanted))
        elif name in rt.relationships:
            filters.append((name, True, _identifier_matcher(str(wanted))))
            if single and lookup is None and not rt.relationships[name].many:
                lookup = (("relationships", name, "id"), str(wanted))
        else:
            raise invalid_parameter(f"filter[{name}]", f"{rt.name} cannot be filtered by {name!r}")
    order = []
    for key in [k for k in (sort or "").split(",") if k]:
        name = key.lstrip("-")
        if name not in rt.attributes or name in rt.hidden:
            raise invalid_parameter("sort", f"{rt.name} cannot be sorted by {name!r}")
        order.append((name, key.startswith("-")))
    return ListQuery(limit, offset, filters, order, parse_include(registry, rt, include), parse_fields(registry, fields),
                     lookup)


def sort_rows(rows: list, order: list[tuple[str, bool]], value: Callable[[dict, str], object]) -> list:
    """Stable multi-key sort; nulls last whichever the direction."""
    for name, descending in reversed(order):
        values = [(value(r, name), r) for r in rows]  # each value read once per key, not per comparison
        if all(type(v) is str for v, _ in values if v is not None):  # the common case, without a call per row
            present = [((v.lower(), v), r) for v, r in values if v is not None]
        else:
            present = [(_key(v), r) for v, r in values if v is not None]
        present.sort(key=_first, reverse=descending)
        rows = [r for _, r in present] + [r for v, r in values if v is None]
    return rows


def _first(pair: tuple):
    return pair[0]


def _key(value):
    if isinstance(value, str):
        return (1, value.lower(), value)
    if isinstance(value, bool):
        return (0, int(value), "")
    if isinstance(value, (int, float)):
        return (0, value, "")
    return (2, str(value), "")

