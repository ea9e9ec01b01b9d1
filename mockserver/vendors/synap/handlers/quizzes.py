"""Hand-written operations of the Quizzes group."""

from __future__ import annotations

from mockserver.vendors.synap import schema
from mockserver.vendors.synap.documents import HEADERS, Call
from mockserver.vendors.synap.records import apply, identifiers
from mockserver.vendors.synap.resources import require
from mockserver.vendors.synap.rules import quizzes


def quizzes_update_settings_source(id: str, body: dict):
    """Update Quiz Settings Source: PATCH /quizzes/{id}/relationships/settingsSource, a to-one
    relationship (the generic controller's relationship endpoints are to-many only)."""
    call = Call(schema.registry())
    quiz_type = call.registry["Quiz"]
    with call.store.transaction():
        quiz = require(call, quiz_type, id)
        quizzes.allow(call, "update", quiz)
        source = identifiers(call, quiz_type.relationships["settingsSource"], body.get("data"), ("data",))
        changes = quizzes.settings_changes(call, quiz, source, ("data", "id"))
        after = apply(call, quiz_type, quiz, changes, {"settingsSource": source})
    if changes:
        quizzes.hand_down_settings(call, after)
    return {"data": after["relationships"]["settingsSource"]}, 200, HEADERS
