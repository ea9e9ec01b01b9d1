"""Hand-written operations of the Collections, Library groups: Get CollectionTagBreakdown, worked out
from the collection it is named after. (Updates whose relationships carry rules, such as a
container's order or an item that moves to another folder, are the generic update: the type's
``reassign`` rule sees the relationships the PATCH sends.)
"""

from __future__ import annotations

from mockserver.errors import NotFound
from mockserver.vendors.synap import schema
from mockserver.vendors.synap.documents import Call
from mockserver.vendors.synap.resources import respond
from mockserver.vendors.synap.rules import collection_access, collection_contents


def collection_tag_breakdowns_show(id: str, include=None, fields=None, **_params):
    """Get CollectionTagBreakdown: GET /collection-tag-breakdowns/{id}, the id being the Collection's."""
    call = Call(schema.registry())
    collection = call.record("Collection", id)
    if collection is None or not collection_access.can_see(call, id):
        raise NotFound(f"No CollectionTagBreakdown with id {id!r} (its id is a Collection's)")
    record = collection_contents.tag_breakdown(call, collection)
    return respond(call, call.registry["CollectionTagBreakdown"], record, include=include, fields=fields)
