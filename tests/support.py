"""Plain helpers shared by test modules across the vendor folders (fixtures live in the conftests).

Test modules import these by name (``from support import api_client``), never from a conftest: with
one conftest.py per folder, ``conftest`` is no single module to import from.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import requests

from spec_check import SpecChecker

# -- API clients checked against our own spec ------------------------------------------------------

SYNAP_MEDIA = "application/vnd.api+json"
_checkers: dict[str, SpecChecker] = {}


class ApiClient(requests.Session):
    """requests, relative to a vendor's API root, with every response checked against the spec."""

    def __init__(self, root: str, checker: SpecChecker, headers: dict | None = None):
        super().__init__()
        self.root = root.rstrip("/")
        self.headers.update(headers or {})
        self.hooks["response"].append(lambda response, *args, **kwargs: checker.check(response))

    def request(self, method, url, *args, **kwargs):
        return super().request(method, url if url.startswith("http") else self.root + url, *args, **kwargs)


def api_client(handle, vendor: str, headers: dict | None = None) -> ApiClient:
    root = handle.api(vendor)
    if root not in _checkers:
        document = requests.get(root + "/openapi.json", timeout=30).json()
        _checkers[root] = SpecChecker(document, urlparse(root).path)
    return ApiClient(root, _checkers[root], headers)


def demo_client(handle, vendor: str) -> ApiClient:
    """``vendor``'s spec-checked client with the seeded demo credentials (the ``quiz``, ``synap``,
    ``cv`` and ``sj`` fixtures of the conftests): Skilljar's API key as HTTP Basic with an empty
    password, the others' token as Bearer; Synap's sends JSON:API, Canvas's carries every named
    person's token as ``client.credentials``."""
    credentials = handle.credentials[vendor]
    if vendor == "skilljar":
        client = api_client(handle, vendor)
        client.auth = (credentials["api_key"], "")
        return client
    headers = {"Authorization": f"Bearer {credentials['token']}"}
    if vendor == "synap":
        headers["Content-Type"] = SYNAP_MEDIA
    client = api_client(handle, vendor, headers)
    if vendor == "canvas":
        client.credentials = credentials
    return client


def auth_headers(fresh, vendor: str) -> dict:
    """The demo credentials of ``vendor`` as request headers (Skilljar: HTTP Basic, the others: Bearer)."""
    creds = fresh.credentials[vendor]
    if vendor == "skilljar":
        return {"Authorization": "Basic " + base64.b64encode(f"{creds['api_key']}:".encode()).decode()}
    return {"Authorization": f"Bearer {creds['token']}"}


# -- Background work and webhook receivers ---------------------------------------------------------


def wait_for(predicate, timeout: float = 10.0) -> bool:
    """Poll until ``predicate()`` holds (background work such as webhook deliveries); bounded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


class Receiver:
    """An HTTP server on a free local port answering POSTs from a scripted list of status codes
    (the last one repeats) and recording every request it saw."""

    def __init__(self, statuses: Sequence[int]):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.requests.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body,
                            "at": time.monotonic(),
                        }
                    )
                    status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


# -- The official JSON:API schema ------------------------------------------------------------------


def empty_patterns_to_caret(node):
    """The official JSON:API schema (shared/oracles), made readable by python-jsonschema."""
    # The oracle writes "any member name" as patternProperties {"": ...}; python-jsonschema joins
    # the patterns and tests the string for truth, so "" counts as no pattern at all. "^" means
    # the same and survives that check.
    if isinstance(node, dict):
        patterns = node.get("patternProperties")
        if isinstance(patterns, dict) and "" in patterns:
            patterns["^"] = patterns.pop("")
        for value in node.values():
            empty_patterns_to_caret(value)
    elif isinstance(node, list):
        for value in node:
            empty_patterns_to_caret(value)
    return node
