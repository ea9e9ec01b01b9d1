"""The request journal: what clients sent to the vendor APIs, in a bounded ring buffer.

Tests read it to verify their client ("my code enrolled exactly once"). Credentials are redacted
before anything is stored, and bodies are cut past a limit, so memory stays bounded under load.
"""

from __future__ import annotations

import fnmatch
import itertools
import threading
from collections import deque
from collections.abc import Iterable

REDACTED = "[redacted]"
SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "x-api-key"}
SECRET_QUERY = {"access_token", "api_key", "token"}
BODY_LIMIT = 16 * 1024
ALL_TENANTS = "*"


def redact_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        headers[key] = REDACTED if key in SECRET_HEADERS else value.decode("latin-1")
    return headers


def redact_query(query: str) -> str:
    parts = []
    for part in query.split("&") if query else []:
        key, sep, _ = part.partition("=")
        parts.append(f"{key}={REDACTED}" if sep and key.lower() in SECRET_QUERY else part)
    return "&".join(parts)


def body_text(chunks: list[bytes]) -> tuple[str, bool]:
    data = b"".join(chunks)
    return data[:BODY_LIMIT].decode("utf-8", errors="replace"), len(data) > BODY_LIMIT


class Journal:
    def __init__(self, size: int = 10_000):
        self._entries: deque[dict] = deque(maxlen=size)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def record(self, entry: dict) -> dict:
        with self._lock:
            entry = {"id": next(self._ids), **entry}
            self._entries.append(entry)
            return entry

    def query(self, criteria: dict, tenant: str) -> list[dict]:
        """Entries matching ``criteria`` (vendor, method, path glob, status, since, tenant, limit), newest first."""
        wanted_tenant = criteria.get("tenant") or tenant
        method = (criteria.get("method") or "").upper()
        with self._lock:
            entries = list(self._entries)
        found = []
        for entry in reversed(entries):
            if wanted_tenant != ALL_TENANTS and entry["tenant"] != wanted_tenant:
                continue
            if criteria.get("vendor") and entry["vendor"] != criteria["vendor"]:
                continue
            if method and entry["method"] != method:
                continue
            if criteria.get("path") and not fnmatch.fnmatchcase(entry["path"], criteria["path"]):
                continue
            if criteria.get("status") is not None and entry["status"] != criteria["status"]:
                continue
            if criteria.get("since") and entry["time"] < criteria["since"]:
                continue
            found.append(entry)
            if criteria.get("limit") and len(found) >= criteria["limit"]:
                break
        return found

    def clear(self, tenant: str) -> None:
        with self._lock:
            kept = [e for e in self._entries if tenant != ALL_TENANTS and e["tenant"] != tenant]
            self._entries.clear()
            self._entries.extend(kept)
