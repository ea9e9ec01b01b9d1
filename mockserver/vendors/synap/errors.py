"""JSON:API error objects as Synap documents them (api-docs.synap.ac/error-handling, vendors.md §1).

``{"errors": [{"status": "404", "title": ..., "detail": ...}]}`` with ``status`` a string; a 400
carries one object per invalid field with ``source.pointer`` (body) or ``source.parameter``
(query); 5xx bodies carry a ``traceId`` (we put it in the document's ``meta``: where Synap puts
it is not published).
"""

from __future__ import annotations

import secrets

from mockserver.errors import (
    ErrorResponse,
    InvalidRequest,
    RouteNotFound,
    SandboxError,
    Violation,
)

MEDIA_TYPE = "application/vnd.api+json"
NO_ROUTE = "There is no endpoint at this path."

_TITLES = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    409: "Conflict", 415: "Unsupported Media Type", 429: "Too Many Requests", 500: "Internal Server Error",
    502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}

def invalid(pointer: tuple, detail: str) -> InvalidRequest:
    """A 400 on one field of the request body (``pointer`` below ``/data``)."""
    return invalid_body(("data", *pointer), detail)


def invalid_body(path: tuple, detail: str) -> InvalidRequest:
    """A 400 on the request body at ``path`` from its root."""
    return InvalidRequest(detail, violations=[Violation("body", path, detail)])


def invalid_parameter(name: str, detail: str) -> InvalidRequest:
    return InvalidRequest(detail, violations=[Violation("query", (name,), detail)])


def _source(violation: Violation) -> dict:
    if violation.location == "body":
        return {"pointer": violation.pointer}
    name = str(violation.path[0]) if violation.path else ""
    # deepObject parameters are named as the client wrote them: filter[emailAddress]
    name += "".join(f"[{p}]" for p in violation.path[1:])
    return {"parameter": name}



def render_error(error: SandboxError) -> ErrorResponse:
    status = error.status if not isinstance(error, InvalidRequest) else 400
    status = status if status >= 400 else 500
    title = error.title or _TITLES.get(status, "Error")
    if isinstance(error, InvalidRequest) and error.violations:
        errors = [{"status": "400", "title": title, "detail": v.message, "source": _source(v)} for v in error.violations]
    else:
        detail = error.detail if status < 500 else "An unexpected error occurred. Retry the request."
        if isinstance(error, RouteNotFound):  # no operation at this path (not a missing record)
            detail = NO_ROUTE
        errors = [{"status": str(status), "title": title, "detail": detail or title}]
    body: dict = {"errors": errors}
    if status >= 500:
        body["meta"] = {"traceId": secrets.token_hex(16)}
    headers = {"WWW-Authenticate": 'Bearer realm="synap"'} if status == 401 else {}
    return ErrorResponse(status, body, MEDIA_TYPE, headers)
