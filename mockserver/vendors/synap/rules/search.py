"""Search (``GET /search?query=``, a sandbox route): a full-text query over every stored resource the
caller may read, whatever its type: users, groups, products, tags, certificates, and the tables of
every other part of the spec.

Each record is read as the type that owns it: where several types share a table (a typed variant
such as CollectionItemAudio, a view such as PublicCertificate) the record goes to the type with a
``show`` operation whose ``x-mock.where`` it matches, else to the plain one. The caller sees what
that type's ``visible`` and ``allow`` hooks let them see. A record matches when every term of the
query appears (ignoring case) in one of its rendered text attributes; exact names rank first, then
names that start with the query, then names holding every term, then the rest.

The filters are the enabled SearchFilterConfigs: ``dataType`` ``type`` (the JSON:API type),
``id`` (the record's relationship of that key holds one of the ids) or ``text`` (the attribute of
that key equals one of the values, ignoring case).
"""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.errors import Forbidden, NotFound
from mockserver.specs import METHODS
from mockserver.vendors.synap.errors import invalid_parameter
from mockserver.vendors.synap.records import table

LABELS = ("name", "title", "label", "subject", "key", "emailAddress")
_owners: dict[int, dict] = {}


@dataclass(frozen=True)
class Hit:
    rank: int
    rt: object
    record: dict

    def key(self) -> tuple:
        return self.rank, self.rt.name, _label(self.rt, self.record).casefold(), self.record["id"]


def _operations(registry) -> dict[str, dict]:
    """type -> {"actions": {...}, "where": [where, ...] or None (used without one)} from the spec."""
    found: dict[str, dict] = {}
    for item in registry.document.get("paths", {}).values():
        for method in METHODS:
            mock = (item.get(method) or {}).get("x-mock") if isinstance(item, dict) else None
            if not mock or "type" not in mock:
                continue
            entry = found.setdefault(mock["type"], {"actions": set(), "where": []})
            entry["actions"].add(mock.get("action"))
            if mock.get("where") and entry["where"] is not None:
                entry["where"].append(mock["where"])
            else:
                entry["where"] = None
    return found


def owners(registry) -> dict[str, list[tuple]]:
    """table -> [(type, where or None, has show)], the candidates for its records (cached per spec)."""
    cached = _owners.get(id(registry))
    if cached is None:
        ops = _operations(registry)
        cached = {}
        for rt in registry.types.values():
            entry = ops.get(rt.name, {"actions": set(), "where": None})
            wheres = entry["where"] or [None]
            for where in wheres:
                cached.setdefault(rt.table, []).append((rt, where, "show" in entry["actions"]))
        _owners.clear()
        _owners[id(registry)] = cached
    return cached


def owner(candidates: list[tuple], record: dict):
    best, best_score = None, None
    for rt, where, has_show in candidates:
        if where and any(record["attributes"].get(k) != v for k, v in where.items()):
            continue
        score = (has_show, where is not None, _snake(rt.name) in rt.table)
        if best_score is None or score > best_score:
            best, best_score = rt, score
    return best


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_").replace("-", "_")


def _label(rt, record: dict) -> str:
    for name in LABELS:
        value = record["attributes"].get(name)
        if name in rt.attributes and isinstance(value, str):
            return value
    return ""


def _texts(rt, record: dict) -> list[str]:
    out = []
    for name, declared in rt.attributes.items():
        if name in rt.hidden or name in rt.computed or declared.get("format") in ("date", "date-time"):
            continue
        value = record["attributes"].get(name)
        if isinstance(value, str):
            out.append(value.casefold())
        elif isinstance(value, list):
            out.extend(v.casefold() for v in value if isinstance(v, str))
    return out


def rank(rt, record: dict, query: str, terms: list[str]) -> int | None:
    texts = _texts(rt, record)
    if not all(any(term in text for text in texts) for term in terms):
        return None
    label = _label(rt, record).casefold()
    if label == query:
        return 0
    if label.startswith(query):
        return 1
    return 2 if all(term in label for term in terms) else 3


def filters(call, given: dict | None) -> list:
    """``filter[key]=a,b`` -> tests on (type, record), from the enabled SearchFilterConfigs."""
    configs = {c["attributes"]["key"]: c["attributes"] for c in call.store.rows(table("SearchFilterConfig"))}
    tests = []
    for key, wanted in (given or {}).items():
        config = configs.get(key)
        if config is None or not config["isEnabled"]:
            raise invalid_parameter(f"filter[{key}]", f"Search has no filter {key!r} (see SearchFilterConfigs).")
        values = {v for v in str(wanted).split(",") if v}
        kind = config["dataType"]
        if kind == "type":
            unknown = sorted(values - set(call.registry.types))
            if unknown:
                raise invalid_parameter(f"filter[{key}]", f"No resource type {unknown[0]!r}.")
            tests.append(lambda rt, record, values=values: rt.name in values)
        elif kind == "id":
            tests.append(lambda rt, record, key=key, values=values: _holds(record, key, values))
        else:
            folded = {v.casefold() for v in values}
            tests.append(lambda rt, record, key=key, folded=folded:
                         str(record["attributes"].get(key) or "").casefold() in folded)
    return tests


def _holds(record: dict, name: str, ids: set) -> bool:
    linked = (record.get("relationships") or {}).get(name)
    linked = linked if isinstance(linked, list) else [linked] if linked else []
    return any(i["id"] in ids for i in linked)


def _readable(call, rt, record: dict) -> bool:
    check = rt.hook("allow")
    try:
        if check:
            check(call, "show", record)
    except (Forbidden, NotFound):
        return False
    return True


def run(call, query: str, given_filters: dict | None) -> tuple[list[Hit], int]:
    """The hits, best first, and how many there were before the filters."""
    query = " ".join(query.split()).casefold()
    terms = query.split()
    if not terms:
        raise invalid_parameter("query", "The query needs at least one word.")
    tests = filters(call, given_filters)
    hits: list[Hit] = []
    for table_name, candidates in owners(call.registry).items():
        by_type: dict[str, tuple] = {}
        for record in call.store.rows(table_name):
            rt = owner(candidates, record)
            if rt is not None:
                by_type.setdefault(rt.name, (rt, []))[1].append(record)
        for rt, rows in by_type.values():
            visible = rt.hook("visible")
            for record in visible(call, rows) if visible else rows:
                found = rank(rt, record, query, terms)
                if found is not None and _readable(call, rt, record):
                    hits.append(Hit(found, rt, record))
    everything = len(hits)
    hits = [h for h in hits if all(test(h.rt, h.record) for test in tests)]
    hits.sort(key=Hit.key)
    return hits, everything
