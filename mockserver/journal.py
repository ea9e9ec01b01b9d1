"""The request journal: what clients sent to the vendor APIs, in a bounded ring buffer.

Tests read it to verify their client ("my code enrolled exactly once"). Credentials are redacted
before anything is stored, bodies are cut past a limit, and the ring is bounded twice: in entries
(``--journal-size``) and in bytes (``--journal-bytes``, an estimate of what each entry holds in
memory), dropping the oldest first, so memory stays bounded under load whatever the clients send.
"""

from __future__ import annotations

import fnmatch
import itertools
import threading
from collections import deque
from collections.abc import Iterable, Mapping

import orjson

REDACTED = "[redacted]"
SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "x-api-key"}
SECRET_QUERY = {"access_token", "api_key", "token"}
BODY_LIMIT = 16 * 1024
ALL_TENANTS = "*"


def redact(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers (names lowercased) with their credentials replaced by REDACTED."""
    return {key: REDACTED if key in SECRET_HEADERS else value for key, value in headers.items()}


def redact_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """``redact`` for an ASGI message's raw header pairs."""
    return redact({name.decode("latin-1").lower(): value.decode("latin-1") for name, value in raw})


def redact_query(query: str) -> str:
    parts = []
    for part in query.split("&") if query else []:
        key, sep, _ = part.partition("=")
        parts.append(f"{key}={REDACTED}" if sep and key.lower() in SECRET_QUERY else part)
    return "&".join(parts)


def body_text(chunks: list[bytes]) -> tuple[str, bool]:
    data = b"".join(chunks)
    return data[:BODY_LIMIT].decode("utf-8", errors="replace"), len(data) > BODY_LIMIT


BYTES_LIMIT = 24 << 20
_ENTRY_OVERHEAD = 200  # the key tuple and the bytes object that hold an entry


def entry_bytes(entry: dict) -> int:
    """What an entry costs in memory: it is kept serialized (see ``Journal``)."""
    return len(orjson.dumps(entry)) + _ENTRY_OVERHEAD


class Journal:
    """Each entry is kept as its JSON bytes beside a tuple of the fields a query filters on: the
    garbage collector sees neither (no container objects), so a full journal does not lengthen
    the collector's pauses, and what an entry costs is known exactly."""

    def __init__(self, size: int = 10_000, max_bytes: int = BYTES_LIMIT):
        self.size, self.max_bytes = size, max_bytes
        # (tenant, vendor, method, path, status, time, json, cost)
        self._entries: deque[tuple] = deque()
        self._bytes = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def bytes(self) -> int:
        return self._bytes

    def record(self, entry: dict) -> dict:
        entry = {"id": next(self._ids), **entry}
        data = bytes(memoryview(orjson.dumps(entry)))  # orjson's buffer has ~8 KiB of slack: an exact copy
        cost = len(data) + _ENTRY_OVERHEAD
        key = (entry["tenant"], entry["vendor"], entry["method"], entry["path"], entry["status"], entry["time"],
               data, cost)
        with self._lock:
            self._entries.append(key)
            self._bytes += cost
            while len(self._entries) > self.size or (self._bytes > self.max_bytes and len(self._entries) > 1):
                self._bytes -= self._entries.popleft()[7]
        return entry

    def __len__(self) -> int:
        return len(self._entries)

    def query(self, criteria: dict, tenant: str) -> list[dict]:
        """Entries matching ``criteria`` (vendor, method, path glob, status, since, tenant, limit), newest first."""
        wanted_tenant = criteria.get("tenant") or tenant
        method = (criteria.get("method") or "").upper()
        with self._lock:
            entries = list(self._entries)
        found = []
        for e_tenant, vendor, e_method, path, status, at, data, _ in reversed(entries):
            if wanted_tenant != ALL_TENANTS and e_tenant != wanted_tenant:
                continue
            if criteria.get("vendor") and vendor != criteria["vendor"]:
                continue
            if method and e_method != method:
                continue
            if criteria.get("path") and not fnmatch.fnmatchcase(path, criteria["path"]):
                continue
            if criteria.get("status") is not None and status != criteria["status"]:
                continue
            if criteria.get("since") and at < criteria["since"]:
                continue
            found.append(orjson.loads(data))
            if criteria.get("limit") and len(found) >= criteria["limit"]:
                break
        return found

    def clear(self, tenant: str) -> None:
        with self._lock:
            kept = [e for e in self._entries if tenant != ALL_TENANTS and e[0] != tenant]
            self._entries.clear()
            self._entries.extend(kept)
            self._bytes = sum(e[7] for e in kept)
