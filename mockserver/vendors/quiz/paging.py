"""Verse's index input and output: page, sort, count, filters, sparse fieldsets.

Sources (see shared/reference/vendors.md §4): verse-jsonapi ``dsl/index.rb`` (the inputs and their
defaults; ``create_schema`` builds the ``filter`` input from the resource's own fields plus its
``allowed_filters``, and verse-schema drops every key it does not declare), verse-sequel
``filtering_pg.rb`` (what a key and its value become in SQL) and ``repository.rb`` (ordering, and
the capped count: ``offset + min(rows past offset, 1000)``).
Comparisons follow PostgreSQL, the production store: NULL never matches a comparison, and NULLs
sort last ascending, first descending.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from mockserver.clock import isoformat, parse
from mockserver.errors import InvalidRequest, Violation
from mockserver.sandbox_warning import header

MAX_PAGE_SIZE = 1000
COUNT_CAP = 1000  # the Sequel repository counts at most this many rows past the offset
# verse-sequel filtering_pg.rb OPERATIONS on scalar columns: ``<column>__<op>``, ``eq`` when no op.
# prefix, suffix and match are ILIKE (case-insensitive, the value's % and _ escaped); ``contains``
# is PostgreSQL array/JSON containment, which no scalar column of ours can take, so it is not here.
COMPARISONS = ("eq", "neq", "lt", "lte", "gt", "gte")
TEXT_OPERATORS = ("prefix", "suffix", "match")


@dataclass(frozen=True)
class Resource:
    type: str
    fields: dict[str, str]  # name -> integer | number | string | datetime (``id`` included)
    # The index's ``allowed_filters`` (verse-jsonapi dsl/index.rb): keys beyond the fields
    # themselves, e.g. ``name__match``. Only the fields and these reach the repository.
    allowed_filters: tuple[str, ...] = ()

    @property
    def attributes(self) -> tuple[str, ...]:
        return tuple(name for name in self.fields if name != "id")

    @property
    def filters(self) -> tuple[str, ...]:
        return (*self.fields, *self.allowed_filters)


def _text_test(op: str, wanted: str):
    """NULL never matches; ILIKE: case-insensitive, and the value is literal (escape_like)."""
    lowered = wanted.lower()
    if op == "prefix":
        return lambda value: value is not None and str(value).lower().startswith(lowered)
    if op == "suffix":
        return lambda value: value is not None and str(value).lower().endswith(lowered)
    return lambda value: value is not None and lowered in str(value).lower()  # match: ILIKE '%v%'


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
        if isinstance(wanted, list):  # eq with an array: ``IN (...)``; an empty one is ``false``
            members = set(wanted)
            return lambda value: value is not None and value in members
        if op in TEXT_OPERATORS:
            return _text_test(op, wanted)
        compare = _COMPARE[op]
        return lambda value: value is not None and compare(value, wanted)


@dataclass(frozen=True)
class IndexQuery:
    number: int
    size: int
    sort: tuple[tuple[str, bool], ...]  # (field, descending)
    count: bool
    conditions: tuple[Condition, ...]
    fields: tuple[str, ...] | None  # sparse fieldset for the resource's own type
    ignored: tuple[str, ...] = ()  # filter keys production drops without a word

    def warnings(self, resource: Resource) -> tuple[str, ...]:
        if not self.ignored:
            return ()
        keys = ", ".join(f"filter[{key}]" for key in self.ignored)
        return (f"{keys} ignored: the {resource.type} index declares only the filters "
                f"{', '.join(resource.filters)} and Verse drops any other key without an error "
                "(verse-jsonapi dsl/index.rb create_schema, verse-schema Struct); "
                "production answers with that filter ignored, as here",)


def _coerce(kind: str, raw):
    if kind == "integer":
        return int(str(raw))
    if kind == "number":
        return float(str(raw))
    if kind == "datetime":
        return isoformat(parse(str(raw)))
    return str(raw)


def _as_list(raw) -> list:
    if isinstance(raw, list):
        return raw
    if isinstance(raw, dict):  # fields[type][0]=a
        return list(raw.values())
    return [part for part in str(raw).split(",") if part != ""]


class _ProductionFails(ValueError):
    """A declared filter whose value production's SQL cannot take: PostgreSQL or Ruby raises and
    Verse answers 500. The sandbox answers 422 instead (never a 500) and says so."""


def _condition(resource: Resource, key: str, raw) -> Condition:
    field, _, op = key.partition("__")
    op = op or "eq"
    kind = resource.fields[field]
    if isinstance(raw, dict):  # filter[f][0]=a: Rack makes a Hash, which Sequel renders as SQL
        raise _ProductionFails(f"filter[{key}] takes a value or an array (filter[{key}][]=a), not a hash")
    if isinstance(raw, list) and op != "eq":
        # a text operator's escape_like calls String#gsub on it (NoMethodError); ``col < ?`` with
        # an array is invalid SQL
        raise _ProductionFails(f"filter[{key}] takes one value, not an array")
    if op in TEXT_OPERATORS:
        return Condition(field, op, str(raw))
    try:
        wanted = [_coerce(kind, v) for v in raw] if isinstance(raw, list) else _coerce(kind, raw)
    except ValueError:
        # PostgreSQL refuses the literal for the column's type (invalid input syntax)
        raise _ProductionFails(f"filter[{key}]: {raw!r} is not a valid {kind}") from None
    return Condition(field, op, wanted)


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

    conditions, ignored, failing = [], [], []
    for key, raw in (filter or {}).items():
        if key not in resource.filters:
            ignored.append(key)
            continue
        try:
            conditions.append(_condition(resource, key, raw))
        except _ProductionFails as exc:
            failing.append(key)
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
        warning = (f"{', '.join(f'filter[{k}]' for k in failing)}: production's SQL cannot take this value "
                   "(verse-sequel filtering_pg.rb), and Verse answers 500; the sandbox answers 422"
                   if failing else "")
        raise InvalidRequest(violations[0].message, violations=violations, headers=header(warning))
    return IndexQuery(
        number=page.get("number", 1),
        size=page.get("size", MAX_PAGE_SIZE),
        sort=tuple(order),
        count=bool(count),
        conditions=tuple(conditions),
        fields=sparse,
        ignored=tuple(sorted(ignored)),
    )


def _where(rows, read: Callable[[dict], object], test: Callable[[object], bool]):
    return (row for row in rows if test(read(row)))


def run_index(query: IndexQuery, rows: list[dict], computed: Mapping[str, Callable[[dict], object]] = {}):
    """Filter, order and cut one page. ``rows`` arrive in primary-key order (the default order).

    ``computed`` gives the fields whose value is not stored as is (e.g. a status that depends on
    the clock); every other field is read straight from the row.
    """

    def reader(field: str) -> Callable[[dict], object]:
        return computed.get(field) or operator.methodcaller("get", field)

    matched = iter(rows)
    for condition in query.conditions:  # lazy: without sort or count, stop once the page is full
        matched = _where(matched, reader(condition.field), condition.tester())
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
