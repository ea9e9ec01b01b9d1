"""Stubs: canned answers for requests the sandbox does not model, per tenant.

The escape hatch WireMock calls stub mappings and Mockoon calls routes: a stub matches a request
(vendor, method, path glob, query, headers, body) and answers it with a fixed status, headers and
body, before any handler runs, so the store never sees the request. As in WireMock's stub
priority (https://wiremock.org/docs/stubbing/#stub-priority) the lowest ``priority`` wins and,
among equals, the most recently added stub; ``times`` retires a stub after answering that often.
"""

from __future__ import annotations

import fnmatch
import itertools
import threading
from dataclasses import dataclass
from urllib.parse import parse_qsl

import orjson

DEFAULT_PRIORITY = 5  # WireMock's default: a stub without a priority sits in the middle
_MISSING = object()


@dataclass
class Stub:
    id: int
    tenant: str
    match: dict
    response: dict
    priority: int
    times: int | None
    hits: int = 0

    @property
    def active(self) -> bool:
        return self.times is None or self.hits < self.times

    @property
    def needs_body(self) -> bool:
        return bool(self.match.get("body"))

    def matches_route(self, vendor: str, method: str, path: str) -> bool:
        m = self.match
        return (m.get("vendor") in (None, vendor)
                and (m.get("method") or method).upper() == method
                and fnmatch.fnmatchcase(path, m.get("path") or "*"))

    def matches(self, query: str, headers: dict[str, str], body: bytes) -> bool:
        m = self.match
        if m.get("query"):
            given: dict[str, list[str]] = {}
            for key, value in parse_qsl(query, keep_blank_values=True):
                given.setdefault(key, []).append(value)
            if any(str(want) not in given.get(key, ()) for key, want in m["query"].items()):
                return False
        if any(headers.get(name.lower()) != str(want) for name, want in (m.get("headers") or {}).items()):
            return False
        wanted = m.get("body") or {}
        if "contains" in wanted and wanted["contains"] not in body.decode("utf-8", "replace"):
            return False
        if "pointer" in wanted:
            try:
                document = orjson.loads(body)
            except orjson.JSONDecodeError:
                return False
            if resolve_pointer(document, wanted["pointer"]) != wanted.get("equals"):
                return False
        return True

    def answer(self) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """Status, raw headers and body bytes: a non-string body is sent as JSON."""
        body = self.response.get("body", "")
        headers = {k.lower(): str(v) for k, v in (self.response.get("headers") or {}).items()}
        if isinstance(body, str):
            data = body.encode()
            headers.setdefault("content-type", "text/plain; charset=utf-8")
        else:
            data = orjson.dumps(body)
            headers.setdefault("content-type", "application/json")
        headers.pop("content-length", None)
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        return self.response.get("status", 200), raw + [(b"content-length", str(len(data)).encode())], data

    def view(self) -> dict:
        return {"id": self.id, "tenant": self.tenant, "match": self.match, "response": self.response,
                "priority": self.priority, "times": self.times, "hits": self.hits, "active": self.active}


def resolve_pointer(document, pointer: str):
    """RFC 6901: ``/a/0/b`` into ``document``; a missing member is a miss, never an error."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        return _MISSING
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(document, dict) and token in document:
            document = document[token]
        elif isinstance(document, list) and token.isdigit() and int(token) < len(document):
            document = document[int(token)]
        else:
            return _MISSING
    return document


class Stubs:
    def __init__(self):
        self._stubs: list[Stub] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, tenant: str, match: dict, response: dict, priority: int | None = None,
            times: int | None = None) -> dict:
        with self._lock:
            stub = Stub(next(self._ids), tenant, match, response,
                        DEFAULT_PRIORITY if priority is None else priority, times)
            self._stubs.append(stub)
            return stub.view()

    def stubs(self, tenant: str) -> list[dict]:
        with self._lock:
            return [s.view() for s in self._stubs if s.tenant == tenant]

    def remove(self, tenant: str, stub_id: int) -> bool:
        with self._lock:
            before = len(self._stubs)
            self._stubs = [s for s in self._stubs if not (s.id == stub_id and s.tenant == tenant)]
            return len(self._stubs) != before

    def clear(self, tenant: str) -> None:
        with self._lock:
            self._stubs = [s for s in self._stubs if s.tenant != tenant]

    def candidates(self, tenant: str, vendor: str, method: str, path: str) -> list[Stub]:
        """The active stubs whose route part matches, best first (lowest priority, then newest)."""
        with self._lock:
            found = [s for s in self._stubs
                     if s.tenant == tenant and s.active and s.matches_route(vendor, method, path)]
        return sorted(found, key=lambda s: (s.priority, -s.id))

    def pick(self, candidates: list[Stub], query: str, headers: dict[str, str], body: bytes) -> Stub | None:
        """The first candidate that matches the whole request, counted as a hit."""
        with self._lock:
            for stub in candidates:
                if stub.active and stub.matches(query, headers, body):
                    stub.hits += 1
                    return stub
        return None
