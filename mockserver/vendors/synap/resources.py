"""The generic JSON:API controller: list, show, create, update, delete and relationship endpoints
for any Synap type, from the operation's ``x-mock`` in the spec (see mockserver/resolver.py):

    x-mock:
      action: list          # list | show | create | update | delete
                            # | relationship | relationship_add | relationship_remove | relationship_replace
      type: UserGroup       # the JSON:API type (a component schema with x-resource, see schema.py)
      relationship: users   # relationship endpoints: which to-many relationship
      where: {kind: audio}  # only records whose attributes match (the "use generic" lists, typed items
                            # on a shared table); a create stamps these attributes

A type's business rules live in the ``rules`` module its schema names; the controller calls the
hooks that module defines (all optional, every one gets the request's ``Call`` first):

    allow(call, action, record)          raise Forbidden when the caller may not do this
    create(call, record, body)           before insert, inside the transaction: fill or refuse the
                                         record; may return attributes shown once in the response
    created(call, record)                after the transaction: outbox mail, webhook events
    reassign(call, record, rels)         a PATCH's relationships (checked against the spec), before the
                                         update rule, inside the transaction: may refuse, may normalise rels
    update(call, record, changes)        before the write, inside the transaction; may edit changes
    updated(call, before, after)         after the transaction
    delete(call, record)                 before removal, inside the transaction: cascades, refusals
    deleted(call, record)                after the transaction
    relink(call, record, name, linked)   a to-many relationship endpoint is about to set ``linked``
                                         (inside the transaction); may refuse, may return attribute changes
    attributes(call, record)             the x-computed attributes of a record
    visible(call, rows)                  the rows this caller may see in a list

A hand-written handler (an operation that is not one type's CRUD) uses the same steps: ``bound``
(a type's config, as ``prepare`` binds the spec's), ``require``, ``respond``, and the record writes
of records.py.
"""

from __future__ import annotations

import copy

from mockserver import context
from mockserver.errors import Conflict, NotFound
from mockserver.responses import NoContent
from mockserver.specs import SpecError
from mockserver.vendors.synap import locations, paging, schema
from mockserver.vendors.synap.documents import HEADERS, Call, document, included, resource
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import apply, identifiers, insert, new_record
from mockserver.vendors.synap.schema import ResourceType

def prepare(op_id: str, config: dict, spec) -> dict:
    """Startup: bind an operation's x-mock to its resource type (an unknown type fails startup)."""
    registry = schema.registry(spec.document)
    rt = registry.get(config.get("type", ""))
    if rt is None:
        raise SpecError(f"{op_id}: x-mock type {config.get('type')!r} is not a type with x-resource")
    rel = config.get("relationship")
    if rel is not None and (rel not in rt.relationships or not rt.relationships[rel].many):
        raise SpecError(f"{op_id}: {rt.name} has no to-many relationship {rel!r}")
    prepared = {**config, "rt": rt, "registry": registry}  # as bound() makes one
    prepared["hooks"] = rt.rules  # the type's rule hooks (x-resource), named by `mockserver routes`
    if config.get("action") == "create":
        # where a created record can be read back; None: the 201 carries no Location
        prepared["show"] = locations.show_template(spec.document, rt.name, config.get("where"),
                                                   below=locations.post_paths(spec.document).get(op_id))
    return prepared


def bound(type_name: str, **config) -> dict:
    """A config bound to ``type_name`` as ``prepare`` binds an x-mock, for a hand-written handler
    that runs a generic action or step on a type of its choosing."""
    registry = schema.registry()
    return {"type": type_name, **config, "rt": registry[type_name], "registry": registry}


# -- shared steps ---------------------------------------------------------------------------------


def _allow(call: Call, rt: ResourceType, action: str, record: dict | None = None) -> None:
    check = rt.hook("allow")
    if check:
        check(call, action, record)


def _where(config: dict, record: dict) -> bool:
    return all(record["attributes"].get(k) == v for k, v in (config.get("where") or {}).items())


def require(call: Call, rt: ResourceType, record_id: str, config: dict | None = None) -> dict:
    record = call.store.get(rt.table, record_id)
    if record is None or (config and not _where(config, record)):
        raise NotFound(f"No {rt.name} with id {record_id!r}")
    return record


def writable(rt: ResourceType, attributes: dict | None) -> dict:
    # Read-only attributes in a request are ignored, not refused: a client may PATCH back what it read.
    return {k: copy.deepcopy(v) for k, v in (attributes or {}).items() if k in rt.writable}


def relationships_in(call: Call, rt: ResourceType, body_rels: dict | None) -> dict:
    result = {}
    for name, value in (body_rels or {}).items():
        if name not in rt.relationships:
            raise invalid(("relationships", name), f"{rt.name} has no relationship {name!r}")
        result[name] = identifiers(call, rt.relationships[name], (value or {}).get("data"),
                                   ("data", "relationships", name, "data"))
    return result


def respond(call: Call, rt: ResourceType, record: dict, status: int = 200, extra: dict | None = None, headers=None,
            include: str | None = None, fields: dict | None = None):
    """One record's JSON:API document, with what ``include`` (default: the request's) names and the
    sparse ``fields``; ``extra``: attributes shown once (a new token's secret)."""
    if include is None and context.request():
        include = context.request().query_params.get("include")
    paths = paging.parse_include(call.registry, rt, include) if include else []
    doc = document(call, rt, record, paths=paths, fields=paging.parse_fields(call.registry, fields), extra=extra)
    return doc, status, {**HEADERS, **(headers or {})}


# -- the actions ----------------------------------------------------------------------------------


def index(config: dict, limit: int, offset: int, filter=None, sort=None, include=None, fields=None, **_params):
    rt: ResourceType = config["rt"]
    call = Call(config["registry"])
    _allow(call, rt, "list")
    query = paging.parse(call.registry, rt, limit=limit, offset=offset, filter=filter, sort=sort,
                         include=include, fields=fields)
    visible = rt.hook("visible")
    if query.lookup and not config.get("where") and not visible:
        # an exact filter on a plain attribute or a to-one relationship: the store's index gives
        # the candidates (the other filters run on them), the table's size the unfiltered total
        everything = call.store.count(rt.table)
        rows = call.store.lookup(rt.table, *query.lookup)
        looked_up = query.lookup[0][1]  # that filter holds for every row the index gave
    else:
        looked_up = None
        rows = call.store.rows(rt.table)
        if config.get("where"):
            rows = [r for r in rows if _where(config, r)]
        if visible:
            rows = visible(call, rows)
        everything = len(rows)
    computed = rt.hook("attributes") if rt.computed else None
    cache: dict[str, dict] = {}

    def value(record: dict, name: str):
        if name in rt.computed:
            if record["id"] not in cache:
                cache[record["id"]] = computed(call, record)
            return cache[record["id"]].get(name)
        return record["attributes"].get(name)

    for name, is_rel, test in query.filters:
        if name == looked_up:
            continue
        rows = [r for r in rows if test(r.get("relationships", {}).get(name) if is_rel else value(r, name))]
    if query.sort:
        rows = paging.sort_rows(rows, query.sort, value)
    page = rows[query.offset : query.offset + query.limit]
    doc = {"data": [resource(call, rt, r, query.fields) for r in page]}
    if query.include:
        doc["included"] = included(call, [(rt, r) for r in page], query.include, query.fields)
    doc["meta"] = paging.meta(len(rows), everything, query.limit, query.offset, len(page))
    return doc, 200, HEADERS


def show(config: dict, id: str, include=None, fields=None, **_params):
    rt: ResourceType = config["rt"]
    call = Call(config["registry"])
    record = require(call, rt, id, config)
    _allow(call, rt, "show", record)
    return respond(call, rt, record, include=include, fields=fields)


def create(config: dict, body: dict, **_params):
    rt: ResourceType = config["rt"]
    call = Call(config["registry"])
    _allow(call, rt, "create")
    data = body["data"]
    with call.store.transaction():
        rels = relationships_in(call, rt, data.get("relationships"))
        # a typed create on a shared table (CollectionItemAudio in collection items) stamps its kind
        record = new_record(call, rt, {**writable(rt, data.get("attributes")), **(config.get("where") or {})}, rels)
        once = insert(call, rt, record, data)
    after = rt.hook("created")
    if after:
        after(call, record)
    headers = {"Location": locations.url(config["show"], record["id"])} if config.get("show") else {}
    return respond(call, rt, call.store.get(rt.table, record["id"]) or record, 201, once, headers)


def update(config: dict, id: str, body: dict, **_params):
    rt: ResourceType = config["rt"]
    call = Call(config["registry"])
    data = body["data"]
    if data.get("id") not in (None, id):
        raise Conflict(f"data.id {data.get('id')!r} does not match the URL's id {id!r}")
    with call.store.transaction():
        before = require(call, rt, id, config)
        _allow(call, rt, "update", before)
        changes = writable(rt, data.get("attributes"))
        rels = relationships_in(call, rt, data.get("relationships"))
        reassign = rt.hook("reassign")
        if reassign:
            reassign(call, before, rels)
            before = require(call, rt, id, config)  # the rule may have written the record
        hook = rt.hook("update")
        if hook:
            hook(call, before, changes)
        after = apply(call, rt, before, changes, rels)
    done = rt.hook("updated")
    if done:
        done(call, before, after)
    return respond(call, rt, after)


def destroy(config: dict, id: str, **_params):
    rt: ResourceType = config["rt"]
    call = Call(config["registry"])
    with call.store.transaction():
        record = require(call, rt, id, config)
        _allow(call, rt, "delete", record)
        hook = rt.hook("delete")
        if hook:
            hook(call, record)
        call.store.delete(rt.table, id)
    done = rt.hook("deleted")
    if done:
        done(call, record)
    return NoContent, 204


def _linkage(record: dict, name: str) -> dict:
    return {"data": record.get("relationships", {}).get(name) or []}


def relationship(config: dict, id: str, **_params):
    rt: ResourceType = config["rt"]
    call = Call(config["registry"])
    record = require(call, rt, id, config)
    _allow(call, rt, "show", record)
    return _linkage(record, config["relationship"]), 200, HEADERS


def _change_relationship(config: dict, id: str, body: dict, combine):
    rt: ResourceType = config["rt"]
    name = config["relationship"]
    call = Call(config["registry"])
    with call.store.transaction():
        record = require(call, rt, id, config)
        _allow(call, rt, "update", record)
        given = identifiers(call, rt.relationships[name], body.get("data"), ("data",))
        current = record.get("relationships", {}).get(name) or []
        linked = combine(current, given)
        hook = rt.hook("relink")
        changes = (hook(call, record, name, linked) if hook else None) or {}
        after = apply(call, rt, record, changes, {name: linked})
    return _linkage(after, name), 200, HEADERS


def _key(ident: dict) -> tuple:
    return ident["type"], ident["id"]


def relationship_add(config: dict, id: str, body: dict, **_params):
    # JSON:API: members already present are not added twice.
    return _change_relationship(config, id, body, lambda current, given: current + [
        i for i in given if _key(i) not in {_key(c) for c in current}])


def relationship_remove(config: dict, id: str, body: dict, **_params):
    return _change_relationship(config, id, body, lambda current, given: [
        c for c in current if _key(c) not in {_key(i) for i in given}])


def relationship_replace(config: dict, id: str, body: dict, **_params):
    return _change_relationship(config, id, body, lambda current, given: given)


ACTIONS = {
    "list": index, "show": show, "create": create, "update": update, "delete": destroy,
    "relationship": relationship, "relationship_add": relationship_add,
    "relationship_remove": relationship_remove, "relationship_replace": relationship_replace,
}
