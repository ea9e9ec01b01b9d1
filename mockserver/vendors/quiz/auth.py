"""Bearer service tokens, looked up in the store (the demo token comes from fixtures/quiz.yaml)."""

from __future__ import annotations

from mockserver.sandbox import current

TOKENS = "quiz_tokens"


def token_info(token: str) -> dict | None:
    """Connexion's bearer check: None means 401 (rendered as Verse::Error::AuthenticationFailed)."""
    record = current().store.get(TOKENS, token)
    if record is None:
        return None
    return {"sub": record["person_id"], "scope": []}


def credentials(store) -> dict:
    demo = store.find_one(TOKENS, demo=True)
    return {"token": demo["token"]} if demo else {}
