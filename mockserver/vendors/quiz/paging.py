"""Verse's index input and output: page, sort, count, filters with operators, sparse fieldsets.

Sources (see shared/reference/vendors.md §4): verse-jsonapi ``dsl/index.rb`` (the inputs and their
defaults), verse-sequel ``filtering_pg.rb`` (operators; ``match`` is ``ILIKE '%v%'``) and
``repository.rb`` (ordering, and the capped count: ``offset + min(rows past offset, 1000)``).
Comparisons follow PostgreSQL, the production store: NULL never matches a comparison (only
``exists``), and NULLs sort last ascending, first descending.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from mockserver.clock import isoformat, parse
from mockserver.errors import InvalidRequest, Violation

MAX_PAGE_SIZE = 1000
COUNT_CAP = 1000  # the Sequel repository counts at most this many rows past the offset
OPERATORS = ("eq", "neq", "lt", "lte", "gt", "gte", "in", "prefix", "suffix", "match", "contains", "exists")
TEXT_OPERATORS = ("prefix", "suffix", "match", "contains")


@dataclass(frozen=True)
class Resource:
    type: str
    fields: dict[str, str]  # name -> integer | number | string | datetime (``id`` included)

    @property
    def attributes(self) -> tuple[str, ...]:
        return tuple(name for name in self.fields if name != "id")


def _text_test(op: str, wanted: str):
    if op == "prefix":
        return lambda value: str(value).startswith(wanted)
    if op == "suffix":
        return lambda value: str(value).endswith(wanted)
    if op == "match":
        lowered = wanted.lower()
        return lambda value: lowered in str(value).lower()
    return lambda value: wanted in str(value)  # contains


_COMPARE = {"eq": operator.eq, "neq": operator.ne, "lt": operator.lt, "lte": operator.le,
            "gt": operator.gt, "gte": operator.ge}


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: object

    def tester(self) -> Callable[[object], bool]:
        """A one-argument test of a field value, built once per request rather than per row."""
        op, wanted = self.op, self.value
        if op == "exists":
            return (lambda value: value is not None) if wanted else (lambda value: value is None)
        if op == "in" or isinstance(wanted, list):
            members = set(wanted)
            test = members.__contains__
        elif op in TEXT_OPERATORS:
            test = _text_test(op, wanted)
        else:
            compare = _COMPARE[op]
            return lambda value: value is not None and compare(value, wanted)
        return lambda value: value is not None and test(value)


@dataclass(frozen=True)
class IndexQuery:
    number: int
    size: int
    sort: tuple[tuple[str, bool], ...]  # (field, descending)
    count: bool
    conditions: tuple[Condition, ...]
    fields: tuple[str, ...] | None  # sparse fieldset for the resource's own type


def _coerce(kind: str, raw):
    if kind == "integer":
        return int(str(raw))
    if kind == "number":
        return float(str(raw))
    if kind == "datetime":
        return isoformat(parse(str(raw)))
    return str(raw)


def _boolean(raw) -> bool:
    text = str(raw).lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(f"{raw!r} is not a boolean")


def _as_list(raw) -> list:
    if isinstance(raw, list):
        return raw
    if isinstance(raw, dict):  # filter[f][0]=a&filter[f][1]=b
        return list(raw.values())
    return [part for part in str(raw).split(",") if part != ""]


def _condition(resource: Resource, key: str, raw) -> Condition:
    field, _, op = key.partition("__")
    op = op or "eq"
    if field not in resource.fields:
        raise ValueError(f"unknown filter field {field!r}")
    if op not in OPERATORS:
        raise ValueError(f"unknown filter operator {op!r} (one of {', '.join(OPERATORS)})")
    kind = resource.fields[field]
    if op == "exists":
        return Condition(field, op, _boolean(raw))
    if op in TEXT_OPERATORS:
        if isinstance(raw, (list, dict)):
            raise ValueError(f"{op} takes one value")
        return Condition(field, op, str(raw))
    if op == "in" or isinstance(raw, (list, dict)):
        values = [_coerce(kind, v) for v in _as_list(raw)]
        if op not in ("eq", "in"):
            raise ValueError(f"{op} takes one value")
        return Condition(field, op, values)
    return Condition(field, op, _coerce(kind, raw))


def parse_index(resource: Resource, page=None, sort=None, count=False, filter=None, fields=None) -> IndexQuery:
    """Read the index inputs; every problem becomes one violation with its pointer (422)."""
    page = page or {}
    violations: list[Violation] = []

    order: list[tuple[str, bool]] = []
    for part in (sort or "").split(","):
        name = part.strip()
        if not name:
            continue
        descending = name.startswith("-")
        name = name.lstrip("-+").split(".")[-1]  # ``table.col`` qualification is allowed
        if name not in resource.fields:
            violations.append(Violation("query", ("sort",), f"cannot sort by unknown field {name!r}"))
        order.append((name, descending))

    conditions = []
    for key, raw in (filter or {}).items():
        try:
            conditions.append(_condition(resource, key, raw))
        except ValueError as exc:
            violations.append(Violation("query", ("filter", key), str(exc)))

    sparse = None
    for type_name, raw in (fields or {}).items():
        if type_name != resource.type:
            continue  # a fieldset for another type would apply to included documents
        names = tuple(_as_list(raw))
        unknown = [n for n in names if n not in resource.attributes]
        if unknown:
            violations.append(
                Violation("query", ("fields", type_name), f"unknown field(s) {', '.join(unknown)}")
            )
        sparse = names

    if violations:
        raise InvalidRequest(violations[0].message, violations=violations)
    return IndexQuery(
        number=page.get("number", 1),
        size=page.get("size", MAX_PAGE_SIZE),
        sort=tuple(order),
        count=bool(count),
        conditions=tuple(conditions),
        fields=sparse,
    )


def run_index(query: IndexQuery, rows: list[dict], computed: Mapping[str, Callable[[dict], object]] = {}):
    """Filter, order and cut one page. ``rows`` arrive in primary-key order (the default order).

    ``computed`` gives the fields whose value is not stored as is (e.g. a status that depends on
    the clock); every other field is read straight from the row.
    """

    def reader(field: str) -> Callable[[dict], object]:
        return computed.get(field) or operator.methodcaller("get", field)

    matched = iter(rows)
    for condition in query.conditions:  # lazy: without sort or count, stop once the page is full
        read, test = reader(condition.field), condition.tester()
        matched = filter(lambda row, read=read, test=test: test(read(row)), matched)
    offset = (query.number - 1) * query.size
    if not query.sort and not query.count:
        return list(itertools.islice(matched, offset, offset + query.size)), {}
    matched = list(matched)
    for field, descending in reversed(query.sort):  # stable sorts, last key first
        read = reader(field)
        present = [row for row in matched if read(row) is not None]
        absent = [row for row in matched if read(row) is None]
        present.sort(key=read, reverse=descending)
        # PostgreSQL order: NULLs last ascending, first descending
        matched = absent + present if descending else present + absent
    page = matched[offset : offset + query.size]
    meta = {}
    if query.count:
        past_offset = max(len(matched) - offset, 0)
        meta = {"count": offset + min(past_offset, COUNT_CAP), "more": past_offset > COUNT_CAP}
    return page, meta
