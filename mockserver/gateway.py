"""The ASGI app uvicorn serves: tenant binding, admin token, request journal and fault injection,
in front of Connexion.

It sits outside Connexion on purpose: a fault must answer (or drop the connection) before any
handler runs, so a failed write is never applied; the journal must see every vendor request,
including the ones a fault answered; and only the outermost app holds the server's own
connection, which a dropped-connection fault closes.
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import time

import anyio

from mockserver import console, context
from mockserver.clock import isoformat
from mockserver.errors import RateLimited, SandboxError, Unauthenticated
from mockserver.faults import Faults
from mockserver.journal import Journal, body_text, redact, redact_headers, redact_query
from mockserver.near_misses import closest
from mockserver.rendering import Mounts, error_for_status
from mockserver.sandbox import bind, unbind
from mockserver.sandbox_warning import HEADER as SANDBOX_WARNING
from mockserver.stubs import Stubs
from mockserver.tenants import DEFAULT, HEADER, Tenants
from mockserver.vendor import Vendor
from mockserver.webhooks import WebhookDispatcher

_current: contextvars.ContextVar[Gateway] = contextvars.ContextVar("mockserver.gateway")

ADMIN_PREFIX = "/__admin"
ADMIN_OPEN = {ADMIN_PREFIX + "/health"}  # reachable without the admin token (health checks)
RESPONSE_LIMIT = 8 * 1024  # a journal entry keeps this much of the response body (lists run long)
WARNING_HEADER = SANDBOX_WARNING.lower().encode()  # kept in the journal entry's "warnings"


def _request_of(scope) -> context.Request:
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
    if "host" not in headers:
        headers["host"] = "{}:{}".format(*(scope.get("server") or ("127.0.0.1", 80)))
    return context.Request(scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1"),
                           headers, scheme=scope.get("scheme", "http"), root_path=scope.get("root_path", ""))


def response_of(headers, chunks: list[bytes]) -> dict:
    """The answer as the console shows it: headers, and the body cut past RESPONSE_LIMIT."""
    data = b"".join(chunks)
    return {"headers": redact_headers(headers), "body": data[:RESPONSE_LIMIT].decode("utf-8", errors="replace"),
            "body_truncated": len(data) > RESPONSE_LIMIT}


def current_gateway() -> Gateway:
    """The server-wide control objects (journal, faults, tenants, webhooks) of the request being served."""
    return _current.get()


def injected_error(effect: dict) -> SandboxError:
    if effect["type"] == "rate_limit":
        return RateLimited("Rate limit exceeded", headers={"Retry-After": str(effect.get("retry_after", 1))})
    return error_for_status(effect["status"], effect.get("detail") or "Injected fault")


class Gateway:
    def __init__(self, app, *, mounts: Mounts, tenants: Tenants, journal: Journal, faults: Faults,
                 webhooks: WebhookDispatcher, admin_token: str | None = None, stubs: Stubs | None = None):
        self.app = app
        self.stubs = stubs or Stubs()
        self.webhooks = webhooks  # the admin API's view of deliveries (vendors emit through sandbox.webhooks)
        self.mounts = mounts
        self.tenants = tenants
        self.journal = journal
        self.faults = faults
        self.admin_token = admin_token
        self._root_free = mounts.vendor_for("/") is None  # with --vendor the vendor owns /; the console is at /__admin/

    @property
    def sandbox(self):
        """The default tenant's sandbox."""
        return self.tenants.default

    @property
    def mounted(self):
        """(prefix, vendor) for every served vendor."""
        return self.mounts.mounts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":  # lifespan, websockets: straight to Connexion
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        request = _request_of(scope)
        if console.wanted(scope["method"], path, request.headers.get("accept", ""), self._root_free):
            await self._console(scope, send, path)  # no tenant, no token, not journaled: it holds no data
            return
        try:
            name = request.headers.get(HEADER)
            # Creating a tenant copies a seeded world: off the event loop.
            sandbox = self.tenants.default if not name or name == DEFAULT else await anyio.to_thread.run_sync(
                self.tenants.get, name)
        except SandboxError as exc:
            await self.mounts.answer(send, path, exc)
            return
        token, gateway_token = bind(sandbox), _current.set(self)
        request_token = context.bind(request)
        try:
            if path.startswith(ADMIN_PREFIX) and not self._admin_allowed(request.headers, path):
                await self.mounts.answer(send, path, Unauthenticated("This admin route needs the admin token (Authorization: Bearer ...)."))
                return
            vendor = self.mounts.vendor_for(path)
            if vendor is None:
                await self.app(scope, receive, send)
            else:
                await self._vendor_request(scope, receive, send, vendor, sandbox)
        finally:
            context.unbind(request_token)
            _current.reset(gateway_token)
            unbind(token)

    def _admin_allowed(self, headers: dict, path: str) -> bool:
        if not self.admin_token or path in ADMIN_OPEN:
            return True
        given = headers.get("authorization") or ""
        return hmac.compare_digest(given.encode(), f"Bearer {self.admin_token}".encode())

    async def _vendor_request(self, scope, receive, send, vendor: Vendor, sandbox) -> None:
        began, at = time.perf_counter(), isoformat(sandbox.now())
        chunks: list[bytes] = []
        sent: list[bytes] = []  # the response body, kept up to RESPONSE_LIMIT for the journal
        answered = {"status": None, "warnings": [], "stub": None}
        extra_headers: list[tuple[bytes, bytes]] = []

        async def receive_():
            message = await receive()
            if message["type"] == "http.request":
                chunks.append(message.get("body", b""))
            return message

        async def send_(message):
            if message["type"] == "http.response.start":
                answered["status"] = message["status"]
                if extra_headers:
                    message = {**message, "headers": [*message.get("headers", []), *extra_headers]}
                answered["warnings"] = [value.decode("latin-1") for key, value in message.get("headers", [])
                                        if key.lower() == WARNING_HEADER]
                answered["headers"] = message.get("headers", [])
            elif message["type"] == "http.response.body" and sum(map(len, sent)) <= RESPONSE_LIMIT:
                sent.append(message.get("body", b""))
            await send(message)

        decision = self.faults.decide(vendor.name, scope["method"], scope["path"], sandbox.tenant)
        try:
            if decision.delay_ms:
                await asyncio.sleep(decision.delay_ms / 1000)
            effect = decision.terminal
            stub, receive_app = None, receive_
            if effect is None:
                stub, receive_app = await self._stub_for(scope, vendor, sandbox.tenant, receive_, chunks)
            if stub is not None:
                answered["stub"] = stub.id
                status, headers, body = stub.answer()
                await send_({"type": "http.response.start", "status": status, "headers": headers})
                await send_({"type": "http.response.body", "body": body})
            elif effect is None:
                try:
                    if vendor.before_request is not None:
                        extra_headers += [(k.lower().encode(), str(v).encode())
                                          for k, v in vendor.before_request(scope).items()]
                except SandboxError as refused:
                    await self._read_body(receive_)
                    await self.mounts.answer(send_, scope["path"], refused)
                else:
                    await self.app(scope, receive_app, send_)
            else:
                await self._read_body(receive_)  # the client finished sending; the journal keeps it
                if effect["type"] == "drop":
                    self._drop(send)
                else:
                    await self.mounts.answer(send_, scope["path"], injected_error(effect))
        finally:
            body, truncated = body_text(chunks)
            entry = {
                "time": at,
                "tenant": sandbox.tenant,
                "vendor": vendor.name,
                "method": scope["method"],
                "path": scope["path"],
                "query": redact_query(scope.get("query_string", b"").decode("latin-1")),
                "headers": redact(context.request().headers),  # decoded once, by _request_of
                "body": body,
                "body_truncated": truncated,
                "status": answered["status"],
                "duration_ms": round((time.perf_counter() - began) * 1000, 3),
                "faults": decision.rules,
                "warnings": answered["warnings"],
                "stub": answered["stub"],
                "response": response_of(answered.get("headers", ()), sent),
            }
            if answered["status"] == 404 and answered["stub"] is None and decision.terminal is None:
                # Matched no route? Then the journal says which served routes were close.
                misses = closest(getattr(self.app, "apis", ()), scope["method"], scope["path"])
                if misses is not None:
                    entry["near_misses"] = misses
            self.journal.record(entry)

    async def _stub_for(self, scope, vendor: Vendor, tenant: str, receive, chunks: list[bytes]):
        """The stub answering this request, if any, and the receive the vendor's app reads from.

        A stub that matches on the body needs the whole body first; when no stub takes the request
        after all, the vendor's app reads the same body again from the buffer."""
        candidates = self.stubs.candidates(tenant, vendor.name, scope["method"], scope["path"])
        if not candidates:
            return None, receive
        read = False
        if any(stub.needs_body for stub in candidates):
            await self._read_body(receive)
            read = True
        request = context.request()
        stub = self.stubs.pick(candidates, request.query_string, request.headers, b"".join(chunks))
        if stub is not None:
            if not read:
                await self._read_body(receive)  # the client finished sending; the journal keeps it
            return stub, receive
        if not read:
            return None, receive
        buffered = [b"".join(chunks)]

        async def replay():
            if buffered:
                return {"type": "http.request", "body": buffered.pop(), "more_body": False}
            return await receive()

        return None, replay

    async def _console(self, scope, send, path: str) -> None:
        status, media_type, body = console.answer(path, self.mounted, bool(self.admin_token))
        headers = [(b"content-type", media_type.encode()), (b"content-length", str(len(body)).encode()),
                   (b"cache-control", b"no-cache")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})

    @staticmethod
    async def _read_body(receive) -> None:
        while True:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body"):
                return

    @staticmethod
    def _drop(send) -> None:
        """Close the client's connection without a response.

        ASGI has no message for this; uvicorn's request cycle (the owner of ``send``) holds the
        transport. Marking the cycle disconnected stops uvicorn answering 500 in our place.
        """
        cycle = getattr(send, "__self__", None)
        transport = getattr(cycle, "transport", None)
        if transport is None:
            raise ConnectionAbortedError("injected fault: drop connection")
        transport.close()
        cycle.disconnected = True

