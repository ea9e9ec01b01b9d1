"""TipSuggestion: a user's suggested tip for a question (``subject``), pending until reviewed. The
suggester is always the caller; the same tip for the same subject twice is a 409. Users see their own."""

from __future__ import annotations

from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import table
from mockserver.vendors.synap.rules.ownership import Owned

owned = Owned("TipSuggestion", user_required=False)
allow, visible = owned.allow, owned.visible


def _same(text: str) -> str:
    return " ".join(text.split()).casefold()


def create(call, record, body) -> None:
    rels = record["relationships"]
    rels["user"] = {"type": "User", "id": call.user_id} if call.user_id else None
    if rels.get("subject") is None:
        raise invalid(("relationships", "subject"), "Name the question the tip is for.")
    text = _same(record["attributes"]["text"])
    for other in call.store.rows(table("TipSuggestion")):
        if (other["relationships"].get("user") == rels["user"] and other["relationships"].get("subject") == rels["subject"]
                and _same(other["attributes"]["text"]) == text):
            raise Conflict(f"You already suggested this tip (tip suggestion {other['id']}).")
    record["attributes"]["status"] = "pending"
