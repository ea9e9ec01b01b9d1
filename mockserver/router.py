"""The compiled request path: each mounted spec's routes, matched without a framework in the way.

``Api`` is one mounted spec (a vendor's, or the admin API): a dict of its literal paths and a
list of its templated ones, each with its compiled ``Operation`` per method. ``Dispatcher`` is the
ASGI app the gateway hands every request to: it finds the ``Api`` by prefix, serves the bundled
spec at ``<prefix>/openapi.json``, hands ``<prefix>/ui/`` to Connexion's Swagger UI (built on
first use), matches the route, and runs the operation. Every failure is rendered by the path's
vendor (``rendering.Mounts``).

Routing follows what the sandbox answered through Starlette's router before: a path that exists
with another method is a 405 (with ``Allow``, RFC 9110 §15.5.6), a path that exists only with or
without a trailing slash is a 307 to it, anything else is the vendor's 404. ``HEAD`` is ``GET``
without its body, as Rails, Django and Rack answer it.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import re
import threading
from collections.abc import Callable

import anyio
import orjson

from mockserver import context
from mockserver.errors import MethodNotAllowed, PayloadTooLarge, RouteNotFound
from mockserver.operation import Operation
from mockserver.rendering import Mounts
from mockserver.sandbox import current

log = logging.getLogger("mockserver")

_PARAM = re.compile(r"\{([^/{}]+)\}")


class Route:
    """One path template and its operations by method. A template is matched segment by segment
    (``/courses/{course_id}/sections``: a literal, a parameter, a literal); a segment that mixes
    text and a parameter (``sample-{event}``) is matched by a regular expression."""

    __slots__ = ("template", "size", "literals", "params", "mixed", "methods", "allow")

    def __init__(self, template: str):
        self.template = template
        parts = template.split("/")
        self.size = len(parts)
        self.literals: list[tuple[int, str]] = []
        self.params: list[tuple[int, str]] = []
        self.mixed: list[tuple[int, re.Pattern, list[str]]] = []
        for index, part in enumerate(parts):
            if "{" not in part:
                self.literals.append((index, part))
            elif part[0] == "{" and part[-1] == "}" and part.count("{") == 1:
                self.params.append((index, part[1:-1]))
            else:
                names = _PARAM.findall(part)
                regex = "".join(re.escape(text) if n % 2 == 0 else "([^/]+)" for n, text in enumerate(_PARAM.split(part)))
                self.mixed.append((index, re.compile(f"^{regex}$"), names))
        self.methods: dict[str, Operation] = {}
        self.allow = ""

    @property
    def templated(self) -> bool:
        return bool(self.params or self.mixed)

    def match(self, parts: list[str]) -> dict | None:
        for index, text in self.literals:
            if parts[index] != text:
                return None
        found = {}
        for index, name in self.params:
            if not parts[index]:
                return None
            found[name] = parts[index]
        for index, pattern, names in self.mixed:
            match = pattern.match(parts[index])
            if match is None:
                return None
            found.update(zip(names, match.groups()))
        return found

    def finish(self, options: bool) -> None:
        methods = set(self.methods)
        if "GET" in methods:
            methods.add("HEAD")
        if options:
            methods.add("OPTIONS")
        self.allow = ", ".join(sorted(methods))


class Api:
    """One mounted spec: its operations by path and method."""

    def __init__(self, prefix: str, operations: list[Operation], spec_json: bytes, ui: Callable | None = None,
                 options: Callable[[str, str], object] | None = None):
        self.prefix = prefix
        self.options = options  # the vendor's answer to OPTIONS (Vendor.options), else a 405
        self.spec_json = spec_json
        self.spec_gzip: bytes | None = None  # made on the first request that accepts it
        self.ui = ui  # an ASGI app serving <prefix>/ui/ (Connexion's Swagger UI), built on first use
        self.literal: dict[str, Route] = {}
        self.templated: dict[int, list[Route]] = {}  # by number of segments, in the spec's order
        routes: dict[str, Route] = {}
        for op in operations:
            route = routes.get(op.path)
            if route is None:
                route = routes[op.path] = Route(op.path)
                if route.templated:
                    self.templated.setdefault(route.size, []).append(route)
                else:
                    self.literal[op.path] = route
            route.methods[op.method] = op
        for route in routes.values():
            route.finish(options is not None)

    def routes(self) -> list[Route]:
        return [*self.literal.values(), *(route for group in self.templated.values() for route in group)]

    def find(self, path: str, method: str = "GET") -> tuple[Route | None, dict]:
        """The route of ``path`` that has ``method``, else the first route of ``path`` (a 405), as
        Starlette's router chose: a literal path first, then templates in the spec's order."""
        first: tuple[Route | None, dict] = (None, {})
        route = self.literal.get(path)
        if route is not None:
            if method in route.methods or (method == "HEAD" and "GET" in route.methods):
                return route, {}
            first = (route, {})
        parts = path.split("/")
        for route in self.templated.get(len(parts), ()):
            params = route.match(parts)
            if params is not None:
                found = (route, params)
                if method in route.methods or (method == "HEAD" and "GET" in route.methods):
                    return found
                if first[0] is None:
                    first = found
        return first


class Dispatcher:
    """The ASGI app behind the gateway: every vendor's and the admin API's requests."""

    def __init__(self, apis: list[Api], mounts: Mounts, *, max_body: int, on_shutdown: Callable[[], None]):
        self.apis = sorted(apis, key=lambda api: -len(api.prefix))
        self.mounts = mounts
        self.max_body = max_body
        self.on_shutdown = on_shutdown

    def api_for(self, path: str) -> Api | None:
        for api in self.apis:
            if path == api.prefix or path.startswith(api.prefix + "/"):
                return api
        return None

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        path = scope["path"]
        api = self.api_for(path)
        try:
            if api is None:
                raise RouteNotFound("Not Found")
            sub = path[len(api.prefix):] or "/"
            method = scope["method"]
            if sub == "/openapi.json" and method in ("GET", "HEAD"):
                await self._spec(api, send, method)
                return
            if (sub == "/ui" or sub.startswith("/ui/")) and api.ui is not None:
                await api.ui(scope, receive, send)
                return
            route, params = api.find(sub, method)
            if route is None:
                other = sub[:-1] if sub.endswith("/") and len(sub) > 1 else sub + "/"
                if api.find(other)[0] is not None:
                    await _redirect(send, api.prefix + other)
                    return
                raise RouteNotFound("Not Found")
            op = route.methods.get(method)
            head = False
            if op is None and method == "HEAD":
                op, head = route.methods.get("GET"), True
            if op is None and method == "OPTIONS" and api.options is not None:
                body = orjson.dumps(api.options(route.template, route.allow))
                await _send(send, 200, body, [(b"content-type", b"application/json"),
                                              (b"allow", route.allow.encode())], length=len(body))
                return
            if op is None:
                raise MethodNotAllowed("Method Not Allowed", method=method, allow=route.allow)
            await self._run(op.ready(), scope, receive, send, params, head)
        except Exception as exc:  # noqa: BLE001 - every failure is rendered in the vendor's shape
            await self.mounts.answer(send, path, exc)

    @staticmethod
    async def _spec(api: Api, send, method: str) -> None:
        """The bundled spec with its components and $refs (Synap's is ~1 MB, ~100 KB gzipped)."""
        accepts = context.request().headers.get("accept-encoding", "")
        headers = [(b"content-type", b"application/json")]
        body = api.spec_json
        if "gzip" in accepts:
            if api.spec_gzip is None:
                api.spec_gzip = gzip.compress(api.spec_json, 6, mtime=0)
            body = api.spec_gzip
            headers.append((b"content-encoding", b"gzip"))
        await _send(send, 200, body if method == "GET" else b"", headers + [(b"vary", b"Accept-Encoding")],
                    length=len(body))

    async def _run(self, op: Operation, scope, receive, send, path_params: dict, head: bool) -> None:
        request = context.request()
        token_info = op.verify(request) if op.verify is not None else None
        request.token_info = token_info
        query, path = op.parameters_of(request, path_params)
        body = None
        mime = ""
        if op.consumes:
            mime, encoding = op.media_type(request)
            raw = await self._read(receive, request.headers)

            async def form_fields():
                return await _multipart(scope, raw)

            body = await op.body_of(mime, encoding, raw, form_fields)
        kwargs = op.arguments_for(query, path, body, mime, token_info)
        if op.blocking:
            out = await anyio.to_thread.run_sync(lambda: op.response(op.handler(**kwargs)))
        else:
            with current().store.transaction():  # all or nothing: a failure anywhere undoes every write
                out = op.response(op.handler(**kwargs))
        await _send(send, out.status, b"" if head else out.body, out.headers, length=len(out.body))

    async def _read(self, receive, headers: dict) -> bytes:
        declared = headers.get("content-length", "")
        if declared.isdecimal() and declared.isascii() and int(declared) > self.max_body:
            raise PayloadTooLarge(f"The request body is larger than {self.max_body} bytes.")
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise PayloadTooLarge(f"The request body is larger than {self.max_body} bytes.")
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks)

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await asyncio.get_running_loop().run_in_executor(None, self.on_shutdown)
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _send(send, status: int, body: bytes, headers: list, *, length: int) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(length).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send, path: str) -> None:
    request = context.request()
    query = f"?{request.query_string}" if request.query_string else ""
    location = f"{request.scheme}://{request.headers['host']}{request.root_path}{path}{query}"
    await _send(send, 307, b"", [(b"location", location.encode("latin-1"))], length=0)


async def _multipart(scope, raw: bytes) -> dict[str, list]:
    """multipart/form-data through Starlette's parser (python-multipart); files by their content."""
    from starlette.datastructures import UploadFile
    from starlette.requests import Request

    sent = False

    async def replay():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    from mockserver.errors import InvalidRequest, Violation
    try:
        form = await Request(scope, replay).form()
    except Exception as exc:  # python-multipart's own errors: a malformed multipart body
        raise InvalidRequest("Malformed multipart body", violations=[Violation("body", (), f"Malformed multipart body: {exc}"[:300])]) from None
    fields: dict[str, list] = {}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            value = (await value.read()).decode("utf-8", "replace")
        fields.setdefault(key, []).append(value)
    return fields


_ui_lock = threading.Lock()


def lazy_ui(build: Callable[[], Callable]) -> Callable:
    """An ASGI app built on its first request (Connexion's Swagger UI for one spec)."""
    built: list = []

    async def app(scope, receive, send):
        if not built:
            def make():
                with _ui_lock:
                    if not built:
                        built.append(build())
            await anyio.to_thread.run_sync(make)
        await built[0](scope, receive, send)

    return app
