"""Every failure, from Connexion or from us, rendered by the vendor whose path it is."""

from __future__ import annotations

import logging
import sys

import orjson
from starlette.exceptions import HTTPException

from mockserver import admin
from mockserver.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    Internal,
    InvalidRequest,
    MethodNotAllowed,
    NotFound,
    RateLimited,
    RouteNotFound,
    SandboxError,
    Unauthenticated,
    UnsupportedMediaType,
    Violation,
)
from mockserver.store import UnstorableValue
from mockserver.vendor import Vendor

log = logging.getLogger("mockserver")

# What Connexion's (and Starlette's) HTTP errors mean.
_FRAMEWORK_KINDS = {
    400: InvalidRequest,
    401: Unauthenticated,
    403: Forbidden,
    404: RouteNotFound,
    405: MethodNotAllowed,
    415: UnsupportedMediaType,
}
# What an injected error status means: the vendor renders the kind it knows for that status.
_STATUS_KINDS = {
    400: BadRequest,
    401: Unauthenticated,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    409: Conflict,
    415: UnsupportedMediaType,
    429: RateLimited,
}


def error_for_status(status: int, detail: str = "") -> SandboxError:
    kind = _STATUS_KINDS.get(status) or (Internal if status >= 500 else SandboxError)
    error = kind(detail)
    error.status = status
    return error


def translate(exc: Exception) -> SandboxError:
    """Any exception raised while serving -> the neutral error kind a vendor renders."""
    if isinstance(exc, SandboxError):
        if isinstance(exc, Internal):
            log.error("%s", exc.detail or type(exc).__name__)
        return exc
    if isinstance(exc, UnstorableValue):  # the store's own defence: a value it cannot write out
        return InvalidRequest(str(exc), violations=[Violation("body", (), str(exc)[:300])])
    connexion_errors = sys.modules.get("connexion.exceptions")  # only loaded once Connexion is in use
    if connexion_errors is not None and isinstance(exc, connexion_errors.NonConformingResponse):
        log.error("response does not conform to the spec: %s", exc.detail)
        return Internal(f"Response does not conform to the spec: {exc.detail}")
    if isinstance(exc, HTTPException):  # Connexion's problems are Starlette HTTPExceptions too
        detail = getattr(exc, "detail", "") or ""
        kind = _FRAMEWORK_KINDS.get(exc.status_code)
        if kind is InvalidRequest:
            return InvalidRequest(detail, violations=[Violation("request", (), detail)])
        if kind is not None:
            return kind(detail)
        return error_for_status(exc.status_code, detail)
    log.exception("unhandled error", exc_info=exc)
    return Internal("An unexpected error occurred.")


class Mounts:
    """Which vendor a path belongs to, and so which renderer answers for it (else the admin one)."""

    def __init__(self, mounts: list[tuple[str, Vendor]]):
        self.mounts = mounts
        self._longest_first = sorted(mounts, key=lambda m: -len(m[0]))

    def vendor_for(self, path: str) -> Vendor | None:
        for prefix, vendor in self._longest_first:
            if path == prefix or path.startswith(prefix + "/"):
                return vendor
        return None

    def render(self, path: str, exc: Exception) -> tuple[int, bytes, str, dict[str, str]]:
        """(status, body, media type, headers) of the error, in the shape of the path's vendor."""
        error = translate(exc)
        vendor = self.vendor_for(path)
        rendered = (vendor.render_error if vendor else admin.render_error)(error)
        body = rendered.body
        if isinstance(body, str):
            body = body.encode()
        elif not isinstance(body, bytes):
            body = orjson.dumps(body)
        headers = {**error.headers, **rendered.headers}
        if rendered.status != 405:
            headers.pop("Allow", None)  # a vendor that answers a wrong method with a 404 (Rails) lists none
        return rendered.status, body, rendered.media_type, headers

    async def answer(self, send, path: str, exc: Exception) -> None:
        """Send the error as the path's vendor renders it (the one way an error reaches the wire)."""
        status, body, media_type, headers = self.render(path, exc)
        raw = [(b"content-type", media_type.encode()), (b"content-length", str(len(body)).encode())]
        raw += [(k.lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})
