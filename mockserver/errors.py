"""Vendor-neutral error kinds.

Rules and handlers raise these (or a vendor's subclass that adds its own wording); each
vendor's renderer turns them into that vendor's status and body. Nothing here knows a
vendor's shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Violation:
    """One thing wrong with a request: where (body/query/path/header), the path inside it, why."""

    location: str
    path: tuple[str | int, ...]
    message: str

    @property
    def pointer(self) -> str:
        """JSON pointer of the offending value, e.g. ``/data/attributes/person_id`` or ``/page/size``."""
        return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in self.path)


class SandboxError(Exception):
    """Base of every error a vendor renders. ``status`` is the neutral HTTP status of the kind."""

    status = 500
    title: str | None = None  # a vendor subclass may name itself (e.g. a Ruby class name)

    def __init__(
        self,
        detail: str = "",
        *,
        violations: tuple[Violation, ...] | list[Violation] = (),
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail or self.__class__.__name__)
        self.detail = detail
        self.violations = tuple(violations)
        self.headers = dict(headers or {})


class InvalidRequest(SandboxError):
    """The request breaks the spec or a documented input rule; ``violations`` says where."""

    status = 400


class BadRequest(SandboxError):
    """A business rule refuses the request (the input is well-formed, the state does not allow it)."""

    status = 400


class Unauthenticated(SandboxError):
    status = 401


class Forbidden(SandboxError):
    status = 403


class NotFound(SandboxError):
    status = 404


class RouteNotFound(NotFound):
    """No operation of the spec matches the path."""


class MethodNotAllowed(SandboxError):
    """The path exists, not with this method: ``Allow`` lists the ones it has (RFC 9110 §15.5.6)."""

    status = 405

    def __init__(self, detail: str = "", *, method: str = "", allow: str = "", **kwargs):
        super().__init__(detail, **kwargs)
        self.method = method
        if allow:
            self.headers.setdefault("Allow", allow)


class Conflict(SandboxError):
    status = 409


class PayloadTooLarge(SandboxError):
    """The request body is over the sandbox's size limit (``--max-body``)."""

    status = 413


class UnsupportedMediaType(SandboxError):
    status = 415


class RateLimited(SandboxError):
    status = 429


class Internal(SandboxError):
    status = 500


@dataclass
class ErrorResponse:
    """What a vendor's renderer returns: the core writes it to the wire."""

    status: int
    body: object  # JSON-able, or bytes/str for a non-JSON body
    media_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
