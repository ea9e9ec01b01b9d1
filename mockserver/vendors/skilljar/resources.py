"""Generic DRF actions: list, create, retrieve, update, partial_update, destroy.

Most Skilljar operations are plain DRF model views. Each one names its action and resource in
its spec (``x-mock``) instead of having a handler of its own (see mockserver/resolver.py):

    x-mock:
      action: list                 # list | create | retrieve | update | partial_update | destroy
      table: skilljar_courses      # the store table
      kind: course                 # id kind (ids.py); default: the table name
      lookup: course_id            # path parameter holding the record's id
      parents:                     # path parameters that scope the records (and must exist)
        - {param: domain_name, table: skilljar_domains, field: _domain}
        - {param: published_course_id, table: skilljar_published_courses, field: _published_course,
           within: _domain}        # ...and belong to the parent before them (its _domain is the domain)
      link:                        # an association (DRF nested "through" model): the body names an
        field: label               # existing record by id ({"label": {"id": ...}}); the answer shows
        table: skilljar_labels     # it as {"label": {id, name}}; the path's lookup is the linked id
        show: [id, name]
        within: _domain            # the linked record must share this scope field (e.g. same domain)
      page_size: 100               # default page size of a list (paging.py)
      bare: true                   # a list answered as a bare array, no paging envelope
      filters: {email: user.email} # query parameter -> exact match on a (dotted) serialized field
      search: [course.title]       # ?search=: DRF SearchFilter, case-insensitive substring of any of these
      writable: [title, labels]    # fields create/update may set; others are ignored, as DRF ignores read-only fields
      defaults: {labels: []}       # values a create starts from
      timestamps: [created_at, modified_at]
      serializer: skilljar.serializers.core:course  # record -> response body (serializers/); default: its public fields
      after: skilljar.rules.labels:sync_course      # (store, record) after a create or update, in its transaction

Both name a function as ``module:function`` under mockserver.vendors, bound once at startup (``prepare``).
Hand-written handlers pass their list configs to ``respond_list`` with the functions themselves.

Records keep their scoping and links in fields starting with ``_`` (never rendered by default).
"""

from __future__ import annotations

import importlib

from mockserver import context
from mockserver.clock import isoformat
from mockserver.errors import InvalidRequest, NotFound, Violation
from mockserver.responses import NoContent
from mockserver.sandbox import current
from mockserver.specs import SpecError
from mockserver.store import Store
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.paging import paginate
from mockserver.vendors.skilljar.records import normalise, public, require

def prepare(op_id: str, config: dict, spec) -> dict:
    """Startup: bind the functions an x-mock block names (``serializer``, ``after``, as
    ``module:function`` under mockserver.vendors); a name that does not resolve fails startup."""
    bound = dict(config)
    for field in ("serializer", "after"):
        if isinstance(config.get(field), str):
            bound[field] = _function(op_id, field, config[field])
    if bound.get("after"):
        bound["hooks"] = bound["after"]  # the rule the action runs, named by `mockserver routes`
    return bound


def _function(op_id: str, field: str, name: str):
    module, _, attribute = name.partition(":")
    try:
        found = getattr(importlib.import_module(f"mockserver.vendors.{module}"), attribute, None)
    except ImportError:
        found = None
    if not callable(found):
        raise SpecError(f"{op_id}: x-mock {field} {name!r} is not a function under mockserver.vendors")
    return found


def serializer(config: dict):
    """record -> response body: the config's ``serializer`` function, else the link's view or the
    record's public fields."""
    if config.get("serializer"):
        return config["serializer"]
    if "link" in config:
        return lambda record, store: link_view(config, record, store)
    return public


def scope(config: dict, params: dict, store: Store) -> dict:
    """The ``_`` fields a record of this path must carry; 404 if a parent does not exist."""
    fields = {}
    for parent in config.get("parents", []):
        value = params[parent["param"]]
        if parent.get("table"):
            record = require(store, parent["table"], value, parent["param"])
            if parent.get("within") and record.get(parent["within"]) != fields.get(parent["within"]):
                raise NotFound(f"{parent['param']} {value} not found here")
        fields[parent["field"]] = value
    return fields


def key(config: dict, params: dict, linked_id: str | None = None) -> str:
    """The store id of the record a path names: the lookup parameter, or for an association the
    parents' ids and the linked record's id (one association per pair, as DRF's unique_together)."""
    if "link" not in config:
        return params[config["lookup"]]
    parts = [params[p["param"]] for p in config.get("parents", [])]
    return ":".join([*parts, linked_id if linked_id is not None else params[config["lookup"]]])


def in_scope(record: dict, fields: dict) -> bool:
    return all(record.get(k) == v for k, v in fields.items())


def find(config: dict, params: dict, store: Store) -> dict:
    fields = scope(config, params, store)
    record = store.get(config["table"], key(config, params))
    if record is None or not in_scope(record, fields):
        raise NotFound("not found")
    return record


def writable(config: dict, body: dict | None) -> dict:
    allowed = config.get("writable", [])
    return normalise({k: v for k, v in (body or {}).items() if k in allowed})


def _value(record: dict, dotted: str):
    for key in dotted.split("."):
        record = record.get(key) if isinstance(record, dict) else None
    return record


def _matches(value, wanted) -> bool:
    if isinstance(value, list):  # e.g. label__name against a course's labels
        return str(wanted) in (str(v) for v in value)
    if isinstance(value, bool):
        return str(wanted).lower() in (("true", "1") if value else ("false", "0"))
    return value is not None and str(value) == str(wanted)


def respond_list(config: dict, rows: list[dict], params: dict, store: Store):
    render = serializer(config)
    wanted = [(dotted, params[param]) for param, dotted in (config.get("filters") or {}).items()
              if params.get(param) is not None]
    searching = bool(config.get("search") and params.get("search"))
    if not wanted and not searching and not config.get("bare"):
        # nothing filters on a serialized field: only the page is serialized (at scale large a
        # list of 50,000 would otherwise be serialized to answer 100)
        page = paginate(rows, context.request().url, params.get("page"), params.get("page_size"),
                        config.get("page_size", 100))
        return {**page, "results": [render(row, store) for row in page["results"]]}
    items = [render(row, store) for row in rows]
    for dotted, value in wanted:
        items = [item for item in items if _matches(_value(item, dotted), value)]
    if searching:
        needle = str(params["search"]).casefold()
        items = [item for item in items
                 if any(needle in str(_value(item, dotted) or "").casefold() for dotted in config["search"])]
    if config.get("bare"):
        return items
    return paginate(items, context.request().url, params.get("page"), params.get("page_size"),
                    config.get("page_size", 100))


# -- the actions --------------------------------------------------------------------------------


def index(config: dict, **params):
    store = current().store
    fields = scope(config, params, store)
    if not fields:
        return respond_list(config, store.rows(config["table"]), params, store)
    # the last parent is the narrowest (a published course, not its domain): the store looks its
    # value up in an index at scale instead of scanning the table on every list
    field, value = list(fields.items())[-1]
    rows = [row for row in store.lookup(config["table"], field, value) if in_scope(row, fields)]
    return respond_list(config, rows, params, store)


def retrieve(config: dict, **params):
    store = current().store
    return serializer(config)(find(config, params, store), store)


def link_view(config: dict, record: dict, store: Store) -> dict:
    link = config["link"]
    linked = store.get(link["table"], record["_linked"]) or {"id": record["_linked"]}
    return {link["field"]: {k: linked.get(k, "") for k in link["show"]}, **public(record)}


def _invalid(path: tuple, message: str) -> InvalidRequest:
    return InvalidRequest(message, violations=[Violation("body", path, message)])


def associate(config: dict, body: dict, params: dict, store: Store) -> dict:
    """Create an association: the linked record must exist (and share the scope it must share)."""
    link = config["link"]
    fields = scope(config, params, store)
    linked_id = str(body[link["field"]]["id"])
    linked = store.get(link["table"], linked_id)
    if linked is None or (link.get("within") and linked.get(link["within"]) != fields.get(link["within"])):
        raise _invalid((link["field"], "id"), f'Invalid pk "{linked_id}" - object does not exist.')
    record_id = key(config, params, linked_id)
    if store.get(config["table"], record_id) is not None:
        raise _invalid(("non_field_errors",), f"This {link['field'].replace('_', ' ')} is already associated.")
    record = {**config.get("defaults", {}), **writable(config, body), **fields, "_linked": linked_id, "_key": record_id}
    store.insert(config["table"], record_id, record)
    return record


def create(config: dict, body=None, **params):
    sandbox = current()
    store = sandbox.store
    if "link" in config:
        with store.transaction():
            record = associate(config, body, params, store)
        return serializer(config)(record, store), 201
    with store.transaction():
        record = {**config.get("defaults", {}), **writable(config, body), **scope(config, params, store)}
        now = isoformat(sandbox.now())
        for field in config.get("timestamps", []):
            record[field] = now
        record["id"] = new_id(store, config.get("kind", config["table"]))
        store.insert(config["table"], record["id"], record)
        if config.get("after"):
            config["after"](store, record)
    return serializer(config)(record, store), 201


def update(config: dict, body=None, **params):
    # Skilljar's PUT updates partially, like PATCH (seed 003).
    sandbox = current()
    store = sandbox.store
    with store.transaction():
        find(config, params, store)
        changes = writable(config, body)
        if "modified_at" in config.get("timestamps", []):
            changes["modified_at"] = isoformat(sandbox.now())
        record = store.update(config["table"], key(config, params), changes)
        if config.get("after"):
            config["after"](store, record)
    return serializer(config)(record, store)


partial_update = update


def destroy(config: dict, **params):
    store = current().store
    with store.transaction():
        find(config, params, store)
        store.delete(config["table"], key(config, params))
    return NoContent, 204


# x-mock action name -> function (DRF's action names).
ACTIONS = {"list": index, "create": create, "retrieve": retrieve, "update": update,
           "partial_update": partial_update, "destroy": destroy}
