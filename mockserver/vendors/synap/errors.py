"""JSON:API error objects as Synap documents them (api-docs.synap.ac/error-handling, vendors.md §1).

``{"errors": [{"status": "404", "title": ..., "detail": ...}]}`` with ``status`` a string; a 400
carries one object per invalid field with ``source.pointer`` (body) or ``source.parameter``
(query); 5xx bodies carry a ``traceId`` (we put it in the document's ``meta``: where Synap puts
it is not published).
"""

from __future__ import annotations

import re
import secrets

from mockserver.errors import (
    Conflict,
    ErrorResponse,
    InvalidRequest,
    RouteNotFound,
    SandboxError,
    Violation,
)
from mockserver.vendors.synap.media import MEDIA_TYPE

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



# The spec names each endpoint's type(s) as an enum on the body's data.type, so a string that is
# not one of them reaches us as schema validation's enum violation at /data/type.
_NOT_ONE_OF = re.compile(r"""^(?P<given>'.*'|".*") is not one of (?P<types>\[.*\])$""", re.S)
_TYPE = ("data", "type")


class TypeConflict(Conflict):
    """The body's ``data.type`` is not the endpoint's; its error object points at /data/type."""


def type_conflict(error: InvalidRequest) -> TypeConflict | None:
    """A POST or PATCH whose ``data.type`` is a string but not the endpoint collection's type is a
    409 Conflict, not a 400 (JSON:API 1.1, "Creating Resources" and "Updating Resources": "MUST
    return 409 Conflict when processing a POST request in which the resource object's type is not
    among the type(s) that constitute the collection represented by the endpoint", and likewise
    for a PATCH whose type does not match the endpoint)."""
    at_type = [v for v in error.violations if v.location == "body" and tuple(v.path) == _TYPE]
    if not at_type or len(at_type) != 1:  # a non-string type also fails "type": a plain 400
        return None
    found = _NOT_ONE_OF.match(at_type[0].message)
    if not found:
        return None
    return TypeConflict(f"data.type {found['given']} is not the type of this endpoint's resources "
                    f"(one of {found['types']})")


def render_error(error: SandboxError) -> ErrorResponse:
    if isinstance(error, InvalidRequest):
        error = type_conflict(error) or error
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
        if isinstance(error, TypeConflict):
            errors[0]["source"] = {"pointer": "/data/type"}
    body: dict = {"errors": errors}
    if status >= 500:
        body["meta"] = {"traceId": secrets.token_hex(16)}
    headers = {"WWW-Authenticate": 'Bearer realm="synap"'} if status == 401 else {}
    return ErrorResponse(status, body, MEDIA_TYPE, headers)
