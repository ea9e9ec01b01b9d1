"""Hand-written operations of the Collections, Library groups.

Updates whose relationships carry rules (a container's order, a back link that cannot change, an
item that moves to another folder, a content's source) go through ``checked_update``: the type's
``reassign(call, record, rels)`` rule checks and normalises the relationships the PATCH sends,
inside the transaction, then the generic controller does the rest (the engine's update hook sees
attributes only). Get CollectionTagBreakdown is worked out from the collection it is named after.
"""

from __future__ import annotations

from mockserver.errors import Conflict, NotFound
from mockserver.vendors.synap import paging, resources, schema
from mockserver.vendors.synap.documents import HEADERS, Call, document
from mockserver.vendors.synap.resources import relationships_in, require
from mockserver.vendors.synap.rules import collection_access, collection_contents

__all__ = [
    "collections_update", "collection_folders_update", "collection_sub_folders_update",
    "collection_item_audios_update", "collection_item_documents_update", "collection_item_embeds_update",
    "collection_item_notes_update", "collection_item_quizzes_update", "collection_item_videos_update",
    "collection_item_zips_update", "collection_progresses_update", "contents_update", "scorm_courses_update",
    "surveys_update", "survey_pages_update", "survey_items_update", "collection_tag_breakdowns_show",
]

_configs: dict[tuple[int, str], dict] = {}


def _config(registry, op_id: str) -> dict:
    """The operation's x-mock, bound as resources.prepare binds it (the spec stays the one source)."""
    key = (id(registry), op_id)
    if key not in _configs:
        found = next(item[method]["x-mock"] for item in registry.document["paths"].values()
                     for method in ("get", "post", "patch", "delete") if (item.get(method) or {}).get("operationId") == op_id)
        _configs[key] = {**found, "rt": registry[found["type"]], "registry": registry}
    return _configs[key]


def checked_update(op_id: str):
    def update(id: str, body: dict, **params):
        call = Call(schema.registry())
        config = _config(call.registry, op_id)
        rt, data = config["rt"], body["data"]
        if data.get("id") not in (None, id):
            raise Conflict(f"data.id {data.get('id')!r} does not match the URL's id {id!r}")
        with call.store.transaction():
            record = require(call, rt, id, config)
            allow = rt.hook("allow")
            if allow:
                allow(call, "update", record)
            rels = relationships_in(call, rt, data.get("relationships"))
            rt.hook("reassign")(call, record, rels)
            if rels:
                body = {**body, "data": {**data, "relationships": {n: {"data": v} for n, v in rels.items()}}}
            return resources.update(config, id, body, **params)

    update.__name__ = update.__qualname__ = op_id
    return update


collections_update = checked_update("collections_update")
collection_folders_update = checked_update("collection_folders_update")
collection_sub_folders_update = checked_update("collection_sub_folders_update")
collection_item_audios_update = checked_update("collection_item_audios_update")
collection_item_documents_update = checked_update("collection_item_documents_update")
collection_item_embeds_update = checked_update("collection_item_embeds_update")
collection_item_notes_update = checked_update("collection_item_notes_update")
collection_item_quizzes_update = checked_update("collection_item_quizzes_update")
collection_item_videos_update = checked_update("collection_item_videos_update")
collection_item_zips_update = checked_update("collection_item_zips_update")
collection_progresses_update = checked_update("collection_progresses_update")
contents_update = checked_update("contents_update")
scorm_courses_update = checked_update("scorm_courses_update")
surveys_update = checked_update("surveys_update")
survey_pages_update = checked_update("survey_pages_update")
survey_items_update = checked_update("survey_items_update")


def collection_tag_breakdowns_show(id: str, include=None, fields=None, **_params):
    """Get CollectionTagBreakdown: GET /collection-tag-breakdowns/{id}, the id being the Collection's."""
    call = Call(schema.registry())
    collection = call.store.get(call.registry["Collection"].table, id)
    if collection is None or not collection_access.can_see(call, id):
        raise NotFound(f"No CollectionTagBreakdown with id {id!r} (its id is a Collection's)")
    rt = call.registry["CollectionTagBreakdown"]
    record = collection_contents.tag_breakdown(call, collection)
    paths = paging.parse_include(call.registry, rt, include)
    return document(call, rt, record, paths=paths, fields=paging.parse_fields(call.registry, fields)), 200, HEADERS
