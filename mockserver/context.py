"""The request being served, as handlers and rules may read it: its full URL, its query and the
caller's token info. Nothing else in a vendor package reads the HTTP layer.

The request path binds a ``Request`` for each call (a context variable, which reaches a handler
whether it runs on the event loop or in a worker thread).
"""

from __future__ import annotations

import contextvars
import http.cookies
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qsl


@dataclass
class Request:
    method: str
    path: str
    query_string: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    token_info: dict | None = None  # what the vendor's security check returned; None without one
    scheme: str = "http"
    root_path: str = ""

    @cached_property
    def url(self) -> str:
        """scheme://host/path?query, as the client sent it."""
        host = self.headers.get("host", "localhost")
        query = f"?{self.query_string}" if self.query_string else ""
        return f"{self.scheme}://{host}{self.root_path}{self.path}{query}"

    @cached_property
    def multi_query(self) -> dict[str, list[str]]:
        """Every value of each query key, in order (parsed once per request)."""
        found: dict[str, list[str]] = {}
        for key, value in parse_qsl(self.query_string, keep_blank_values=True):
            found.setdefault(key, []).append(value)
        return found

    @cached_property
    def query(self) -> dict[str, str]:
        """Each query key's last value (Rails and Django both let the last one win)."""
        return {key: values[-1] for key, values in self.multi_query.items()}

    @cached_property
    def query_params(self) -> dict[str, str]:
        """Each query key's first value (as Starlette's ``QueryParams.get``)."""
        return {key: values[0] for key, values in self.multi_query.items()}

    @cached_property
    def cookies(self) -> dict[str, str]:
        jar = http.cookies.SimpleCookie()
        try:
            jar.load(self.headers.get("cookie", ""))
        except http.cookies.CookieError:
            pass
        return {key: morsel.value for key, morsel in jar.items()}


_current: contextvars.ContextVar[Request] = contextvars.ContextVar("mockserver.request")


def bind(request: Request) -> contextvars.Token:
    return _current.set(request)


def unbind(token: contextvars.Token) -> None:
    _current.reset(token)


def request() -> Request | None:
    """The request being served, or None outside one (seeding, admin actions, unit tests)."""
    return _current.get(None)


def token_info() -> dict | None:
    """What the vendor's security check returned for this request; None without one (--no-auth,
    a public operation, or outside a request)."""
    found = _current.get(None)
    return found.token_info if found is not None else None
