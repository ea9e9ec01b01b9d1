"""Quiz session lifecycle.

A session starts ``started``; a started session whose ``expires_at`` has passed on the sandbox
clock *is* expired (its status reads ``expired`` everywhere: show, list, filters, sort), so
moving the clock is enough to expire sessions. Only a started, unexpired session can be
cancelled.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mockserver.clock import isoformat, parse
from mockserver.errors import InvalidRequest, Violation
from mockserver.store import Store
from mockserver.vendors.quiz.errors import RecordNotFound, SessionNotCancellable
from mockserver.vendors.quiz.paging import Resource

TABLE = "quiz_sessions"
SESSIONS = Resource(
    type="quiz/sessions",
    fields={
        "id": "integer",
        "person_id": "integer",
        "created_at": "datetime",
        "name": "string",
        "status": "string",
        "expires_at": "datetime",
        "score": "number",
    },
    allowed_filters=("name__match",),  # seed 004's index declares this one beyond the fields
)
# What seed 004's "Create a new session" takes; Verse's create input schema drops any other
# attribute without an error (verse-jsonapi dsl/create.rb create_schema, verse-schema Struct).
CREATE_ATTRIBUTES = ("person_id", "expires_at")
# The generic "Update a quiz/sessions" takes every field of the resource (dsl/update.rb).
UPDATE_ATTRIBUTES = tuple(SESSIONS.fields)
DEFAULT_TTL = timedelta(hours=1)
DEFAULT_NAME = "Quiz session"
DATETIMES = ("created_at", "expires_at")


def status(doc: dict, now: str) -> str:
    if doc["status"] == "started" and doc["expires_at"] <= now:
        return "expired"
    return doc["status"]


def attribute(doc: dict, field: str, now: str):
    """A field's value as clients see it (``now`` is the sandbox time, ISO formatted)."""
    return status(doc, now) if field == "status" else doc.get(field)


def computed(now: str) -> dict:
    """Fields whose value depends on more than the stored row, for the index engine."""
    return {"status": lambda doc: status(doc, now)}


def candidates(store: Store, conditions) -> list[dict]:
    """The rows an index request has to look at, in primary-key order (the filters still run on
    them): for an equality filter on ``person_id`` or ``status``, those the store's index holds
    for that value; for ``name__match``, those whose name contains the text (the store searches
    the names at once); else every row. A session stored as ``started`` reads as ``expired`` once
    past its expiry (see ``status``), so ``status=expired`` looks at both stored values."""
    for condition in conditions:
        if condition.op != "eq" or isinstance(condition.value, list) or condition.field not in ("person_id", "status"):
            continue
        if condition.field == "status" and condition.value == "expired":
            rows = store.lookup(TABLE, "status", "started") + store.lookup(TABLE, "status", "expired")
            return sorted(rows, key=lambda doc: doc["id"])
        return store.lookup(TABLE, condition.field, condition.value)
    for condition in conditions:
        if condition.op == "match" and condition.field == "name":
            return store.contains(TABLE, "name", condition.value)
    return store.rows(TABLE)


def ignored(attributes: dict, declared: tuple[str, ...]) -> list[str]:
    """The attributes a client sent that the operation's input schema does not declare."""
    return [name for name in attributes if name not in declared]


def ignored_warning(attributes: dict, declared: tuple[str, ...], action: str) -> str:
    names = ignored(attributes, declared)
    if not names:
        return ""
    what = ", ".join(f"data.attributes.{name}" for name in names)
    return (f"{what} ignored: {action} of quiz/sessions takes only {', '.join(declared)} and Verse drops "
            "any other attribute without an error (verse-jsonapi dsl, verse-schema Struct)")


def _attributes(attributes: dict, declared: tuple[str, ...]) -> dict:
    """What a client sent that the operation takes, normalised: timestamps to UTC ``Z``;
    ``id`` is never writable."""
    fields = {k: v for k, v in attributes.items() if k != "id" and k in declared}
    for name in DATETIMES:
        if name in fields:
            try:
                fields[name] = isoformat(parse(fields[name]))
            except ValueError:
                raise InvalidRequest(
                    f"{name} is not an ISO 8601 date-time",
                    violations=[Violation("body", ("data", "attributes", name), "must be an ISO 8601 date-time")],
                ) from None
    return fields


def require(store: Store, session_id) -> dict:
    doc = store.get(TABLE, session_id)
    if doc is None:
        raise RecordNotFound(f"quiz/sessions {session_id} not found")
    return doc


def create(store: Store, attributes: dict, now: datetime) -> dict:
    """A new started session; ``name`` is not an input of the create, every session starts with
    the default name (a later PATCH renames it)."""
    fields = _attributes(attributes, CREATE_ATTRIBUTES)
    return store.insert_auto(
        TABLE,
        {
            "person_id": fields["person_id"],
            "created_at": isoformat(now),
            "name": DEFAULT_NAME,
            "status": "started",
            "expires_at": fields.get("expires_at") or isoformat(now + DEFAULT_TTL),
            "score": None,
        },
    )


def update(store: Store, session_id, attributes: dict) -> dict:
    fields = _attributes(attributes, UPDATE_ATTRIBUTES)
    with store.transaction():
        require(store, session_id)
        return store.update(TABLE, session_id, fields)


def cancel(store: Store, session_id, now: datetime) -> dict:
    with store.transaction():
        current = status(require(store, session_id), isoformat(now))
        if current != "started":
            raise SessionNotCancellable(f"quiz/sessions {session_id} is {current} and cannot be cancelled")
        return store.update(TABLE, session_id, {"status": "cancelled"})


def delete(store: Store, session_id) -> None:
    if not store.delete(TABLE, session_id):
        raise RecordNotFound(f"quiz/sessions {session_id} not found")
