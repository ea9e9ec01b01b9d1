"""Handlers of openapi/quiz/*.yaml: parse nothing the spec already checked, call a rule, render."""

from __future__ import annotations

from mockserver.clock import isoformat
from mockserver.responses import NoContent
from mockserver.sandbox import current
from mockserver.sandbox_warning import header
from mockserver.vendors.quiz import paging
from mockserver.vendors.quiz.errors import MEDIA_TYPE
from mockserver.vendors.quiz.rules import sessions
from mockserver.vendors.quiz.rules.sessions import SESSIONS, TABLE

HEADERS = {"Content-Type": MEDIA_TYPE}
ATTRIBUTES = SESSIONS.attributes


def _resource(doc: dict, now: str, only: tuple[str, ...] | None = None) -> dict:
    # verse-jsonapi renders every column but ``id`` as an attribute (renderer.rb, .except(:id, :type))
    attributes = {name: doc.get(name) for name in (ATTRIBUTES if only is None else only)}
    if "status" in attributes:
        attributes["status"] = sessions.status(doc, now)
    return {"type": SESSIONS.type, "id": str(doc["id"]), "attributes": attributes, "relationships": {}}


def _one(doc: dict, status: int = 200, warning: str = ""):
    now = isoformat(current().now())
    return {"data": _resource(doc, now)}, status, {**HEADERS, **header(warning)}


def sessions_index(page=None, sort=None, count=False, filter=None, fields=None):
    sandbox = current()
    now = isoformat(sandbox.now())
    query = paging.parse_index(SESSIONS, page=page, sort=sort, count=count, filter=filter, fields=fields)
    rows, meta = paging.run_index(query, sessions.candidates(sandbox.store, query.conditions), sessions.computed(now))
    warnings = header(*query.warnings(SESSIONS))
    return {"data": [_resource(doc, now, query.fields) for doc in rows], "meta": meta}, 200, {**HEADERS, **warnings}


def sessions_create(body):
    sandbox = current()
    attributes = body["data"]["attributes"]
    warning = sessions.ignored_warning(attributes, sessions.CREATE_ATTRIBUTES, "the create")
    if "name" in sessions.ignored(attributes, sessions.CREATE_ATTRIBUTES):
        warning += f"; the session is named {sessions.DEFAULT_NAME!r} as in production (PATCH renames it)"
    return _one(sessions.create(sandbox.store, attributes, sandbox.now()), 201, warning)


def sessions_show(session_id):
    return _one(sessions.require(current().store, session_id))


def sessions_update(session_id, body):
    attributes = body["data"]["attributes"]
    warning = sessions.ignored_warning(attributes, sessions.UPDATE_ATTRIBUTES, "the update")
    return _one(sessions.update(current().store, session_id, attributes), warning=warning)


def sessions_delete(session_id):
    sessions.delete(current().store, session_id)
    return NoContent, 204


def sessions_cancel(session_id):
    sandbox = current()
    return _one(sessions.cancel(sandbox.store, session_id, sandbox.now()))
