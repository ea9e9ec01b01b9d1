"""Hand-written operations of the Shop, Certificates, Content Metadata, Integrations, Notifications,
Search, User Feedback groups: the CheckoutSession PATCH (its ``status`` is worked out from the clock,
so the rules see the wanted status here), TransactionalEmails (the outbox recorded before reading)
and Search (every type at once)."""

from __future__ import annotations

from mockserver.errors import Conflict
from mockserver.vendors.synap import paging, resources, schema
from mockserver.vendors.synap.documents import HEADERS, Call, resource
from mockserver.vendors.synap.records import apply
from mockserver.vendors.synap.resources import bound, relationships_in, require, respond, writable
from mockserver.vendors.synap.rules import checkout_sessions, search, transactional_emails


def checkout_sessions_update(id: str, body: dict, **_params):
    """Update CheckoutSession: PATCH /checkout-sessions/{id} (status complete or cancelled; see the rules)."""
    call = Call(schema.registry())
    rt = call.registry["CheckoutSession"]
    data = body["data"]
    if data.get("id") not in (None, id):
        raise Conflict(f"data.id {data.get('id')!r} does not match the URL's id {id!r}")
    with call.store.transaction():
        before = require(call, rt, id)
        checkout_sessions.allow(call, "update", before)
        changes = writable(rt, data.get("attributes"))
        rels = relationships_in(call, rt, data.get("relationships"))
        private = checkout_sessions.change(call, before, changes, rels, (data.get("attributes") or {}).get("status"))
        after = apply(call, rt, before, changes, rels)
        if private:
            after = call.store.update(rt.table, id, private)
    checkout_sessions.updated(call, before, after)
    return respond(call, rt, after)


def transactional_emails_list(**params):
    """List TransactionalEmails: the generic list, after the outbox is recorded."""
    transactional_emails.sync(Call(schema.registry()))
    return resources.index(bound("TransactionalEmail"), **params)


def transactional_emails_show(**params):
    """Get TransactionalEmail: the generic show, after the outbox is recorded."""
    transactional_emails.sync(Call(schema.registry()))
    return resources.show(bound("TransactionalEmail"), **params)


def search_query(query: str, limit: int, offset: int, filter=None, fields=None, **_params):
    """Search: GET /search?query= over every type (rules/search.py)."""
    call = Call(schema.registry())
    sparse = paging.parse_fields(call.registry, fields)
    transactional_emails.sync(call)  # the emails sent so far are searchable too
    hits, everything = search.run(call, query, filter)
    page = hits[offset : offset + limit]
    by_type: dict[str, int] = {}
    for hit in hits:
        by_type[hit.rt.name] = by_type.get(hit.rt.name, 0) + 1
    meta = {**paging.meta(len(hits), everything, limit, offset, len(page)), "query": query,
            "totalByType": dict(sorted(by_type.items()))}
    return {"data": [resource(call, h.rt, h.record, sparse) for h in page], "meta": meta}, 200, HEADERS
