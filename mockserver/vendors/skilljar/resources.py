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
      page_size: 100               # default page size of a list (paging.py)
      bare: true                   # a list answered as a bare array, no paging envelope
      filters: {email: user.email} # query parameter -> exact match on a (dotted) serialized field
      writable: [title, labels]    # fields create/update may set; others are ignored, as DRF ignores read-only fields
      defaults: {labels: []}       # values a create starts from
      timestamps: [created_at, modified_at]
      serializer: skilljar.serializers:course   # record -> response body; default: the record without "_" fields

Records keep their scoping and links in fields starting with ``_`` (never rendered by default).
"""

from __future__ import annotations

import importlib

from mockserver import context
from mockserver.clock import isoformat, parse
from mockserver.errors import InvalidRequest, NotFound, Violation
from mockserver.responses import NoContent
from mockserver.sandbox import current
from mockserver.store import Store
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.paging import paginate

_serializers: dict[str, object] = {}


def public(record: dict, store: Store | None = None) -> dict:
    return {k: v for k, v in record.items() if not k.startswith("_")}


def serializer(config: dict):
    name = config.get("serializer")
    if not name:
        return public
    if name not in _serializers:
        module, _, function = name.partition(":")
        _serializers[name] = getattr(importlib.import_module(f"mockserver.vendors.{module}"), function)
    return _serializers[name]


def scope(config: dict, params: dict, store: Store) -> dict:
    """The ``_`` fields a record of this path must carry; 404 if a parent does not exist."""
    fields = {}
    for parent in config.get("parents", []):
        value = params[parent["param"]]
        if parent.get("table"):
            require(store, parent["table"], value, parent["param"])
        fields[parent["field"]] = value
    return fields


def require(store: Store, table: str, record_id, what: str = "object") -> dict:
    """The record, or a 404 (DRF renders every one as {"detail": "Not found."})."""
    record = store.get(table, record_id)
    if record is None:
        raise NotFound(f"{what} {record_id} not found")
    return record


def in_scope(record: dict, fields: dict) -> bool:
    return all(record.get(k) == v for k, v in fields.items())


def find(config: dict, params: dict, store: Store) -> dict:
    fields = scope(config, params, store)
    record = store.get(config["table"], params[config["lookup"]])
    if record is None or not in_scope(record, fields):
        raise NotFound("not found")
    return record


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
    if not wanted and not config.get("bare"):
        # nothing filters on a serialized field: only the page is serialized (at scale large a
        # list of 50,000 would otherwise be serialized to answer 100)
        page = paginate(rows, context.request().url, params.get("page"), params.get("page_size"),
                        config.get("page_size", 100))
        return {**page, "results": [render(row, store) for row in page["results"]]}
    items = [render(row, store) for row in rows]
    for dotted, value in wanted:
        items = [item for item in items if _matches(_value(item, dotted), value)]
    if config.get("bare"):
        return items
    return paginate(items, context.request().url, params.get("page"), params.get("page_size"),
                    config.get("page_size", 100))


# -- the actions --------------------------------------------------------------------------------


def index(config: dict, **params):
    store = current().store
    fields = scope(config, params, store)
    rows = [row for row in store.rows(config["table"]) if in_scope(row, fields)]
    return respond_list(config, rows, params, store)


def retrieve(config: dict, **params):
    store = current().store
    return serializer(config)(find(config, params, store), store)


def create(config: dict, body=None, **params):
    sandbox = current()
    store = sandbox.store
    with store.transaction():
        record = {**config.get("defaults", {}), **writable(config, body), **scope(config, params, store)}
        now = isoformat(sandbox.now())
        for field in config.get("timestamps", []):
            record[field] = now
        record["id"] = new_id(store, config.get("kind", config["table"]))
        store.insert(config["table"], record["id"], record)
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
        record = store.update(config["table"], params[config["lookup"]], changes)
    return serializer(config)(record, store)


partial_update = update


def destroy(config: dict, **params):
    store = current().store
    with store.transaction():
        find(config, params, store)
        store.delete(config["table"], params[config["lookup"]])
    return NoContent, 204


# x-mock action name -> function (DRF's action names).
ACTIONS = {"list": index, "create": create, "retrieve": retrieve, "update": update,
           "partial_update": partial_update, "destroy": destroy}
