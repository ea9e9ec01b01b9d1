"""Organization API keys: HTTP Basic with the key as username and an empty password; the
official spec also lists a bearer scheme (``tokenAuth``), which takes the same key."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.skilljar.errors import InvalidCredentials

from mockserver.vendors.skilljar.tables import API_KEYS as KEYS


def _check(key: str) -> dict:
    record = current().store.get(KEYS, key)
    if record is None:
        raise InvalidCredentials()
    return {"sub": record["organization"], "scope": []}


def basic_info(username: str, password: str, required_scopes=None) -> dict:
    return _check(username)


def token_info(token: str) -> dict:
    return _check(token)


def credentials(store) -> dict:
    demo = store.find_one(KEYS, demo=True)
    return {"api_key": demo["key"]} if demo else {}
