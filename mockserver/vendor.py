"""The plug interface every vendor package fills in (``VENDOR`` in its ``__init__``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mockserver.errors import ErrorResponse, SandboxError

if TYPE_CHECKING:
    from mockserver.seed import SeedContext
    from mockserver.store import Store


@dataclass(frozen=True)
class Vendor:
    name: str  # short name: CLI --vendor, admin credentials key, spec folder openapi/<name>/
    title: str
    prefix: str  # mount point when every vendor is served, e.g. /quiz/api/v3
    root: str  # the vendor's real root, used with --vendor NAME, e.g. /api/v3
    client_base: str  # what a client's base URL adds to the host, e.g. /quiz
    handlers: str  # module that operationIds resolve in
    render_error: Callable[[SandboxError], ErrorResponse]
    seed: Callable[[Store, SeedContext], None]
    credentials: Callable[[Store], dict]
    # Shown next to the base URL at startup: how a client authenticates.
    auth_hint: str = ""
    # Module whose ACTIONS dict holds the generic actions operations name in x-mock (see resolver.py).
    actions: str | None = None
    # Sandbox-only operations on this vendor's world that its API has no route for (a user's
    # click in the vendor's UI, say): name -> function(body) -> JSON, served by the admin API at
    # POST /__admin/vendors/{name}/actions/{action}.
    admin_actions: Mapping[str, Callable[[dict], object]] = field(default_factory=dict)
    # Called by the gateway before each request to this vendor, with the ASGI scope, inside the
    # request's sandbox: returns headers to add to the response (whatever answers it), or raises a
    # SandboxError to answer in the handler's place (e.g. a rate limiter that throttles).
    before_request: Callable[[dict], dict[str, str]] | None = None
    # How the vendor answers OPTIONS on a path it serves without an OPTIONS operation: called with
    # the path template and the methods it has (the Allow header), returns the 200 body. None: 405.
    options: Callable[[str, str], object] | None = None
    # How the vendor's framework nests form-encoded and multipart bodies: "rack" (Rails, Sinatra:
    # a[b][]=..) or "drf" (Django REST Framework: a.b=.., a[0]b=..); see validation.py.
    form_style: str = "rack"
    # What an empty request body reads as, where an operation takes one: None (absent: refused if
    # the spec requires a body), or {} as Django REST Framework reads it (Request._parse: no
    # stream, empty data), which the body's schema then checks field by field.
    empty_body: dict | None = None

    def mount(self, single: bool) -> str:
        return self.root if single else self.prefix
