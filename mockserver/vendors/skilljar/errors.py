"""Django REST Framework error bodies (Skilljar's API is DRF; vendors.md §3).

``{"detail": "..."}`` for 401, 403, 404, 405 and 429; ``{"field": ["message"]}`` for validation,
nested like the request body (``{"user": {"id": ["This field is required."]}}``). 401 carries
``WWW-Authenticate`` as DRF's BasicAuthentication sets it.
"""

from __future__ import annotations

from mockserver.errors import (
    ErrorResponse,
    Forbidden,
    InvalidRequest,
    MethodNotAllowed,
    NotFound,
    RateLimited,
    SandboxError,
    Unauthenticated,
)

WWW_AUTHENTICATE = 'Basic realm="api"'


class InvalidCredentials(Unauthenticated):
    """A key was sent but is not an organization API key (DRF BasicAuthentication's wording)."""

    def __init__(self):
        super().__init__("Invalid username/password.")


class InvalidPage(NotFound):
    def __init__(self):
        super().__init__("Invalid page.")


# jsonschema's wording -> DRF's, for the messages clients are likely to match on.
_DRF_MESSAGES = (
    (lambda m: m.endswith("is a required property") or m.startswith("Missing "), "This field is required."),
    (lambda m: m.endswith("is not a 'email'"), "Enter a valid email address."),
    (lambda m: m.endswith("is not a 'uri'") or "does not match '^https?://'" in m, "Enter a valid URL."),
    (lambda m: m.endswith("is not of type 'boolean'"), "Must be a valid boolean."),
    (lambda m: m.endswith("is not of type 'integer'"), "A valid integer is required."),
    (lambda m: "is not one of" in m, "Not a valid choice."),
    (lambda m: m.endswith("is not valid under any of the given schemas") or m.startswith("None is not of type"),
     "This field may not be null."),
)


def _message(text: str) -> str:
    for matches, drf in _DRF_MESSAGES:
        if matches(text):
            return drf
    return text


def field_errors(error: InvalidRequest) -> dict:
    body: dict = {}
    for violation in error.violations:
        path = [str(p) for p in violation.path if not isinstance(p, int)] or ["non_field_errors"]
        node = body
        for key in path[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):  # a field that is both a value and a parent: keep the first
                break
        else:
            node.setdefault(path[-1], []).append(_message(violation.message))
    return body or {"non_field_errors": [error.detail]}


def render_error(error: SandboxError) -> ErrorResponse:
    if isinstance(error, InvalidRequest):
        return ErrorResponse(400, field_errors(error))
    if isinstance(error, Unauthenticated):
        detail = error.detail if isinstance(error, InvalidCredentials) else "Authentication credentials were not provided."
        return ErrorResponse(401, {"detail": detail}, headers={"WWW-Authenticate": WWW_AUTHENTICATE})
    if isinstance(error, Forbidden):
        return ErrorResponse(403, {"detail": error.detail or "You do not have permission to perform this action."})
    if isinstance(error, NotFound):
        return ErrorResponse(404, {"detail": error.detail if isinstance(error, InvalidPage) else "Not found."})
    if isinstance(error, MethodNotAllowed):
        # DRF's MethodNotAllowed: 'Method "{method}" not allowed.'
        method = getattr(error, "method", "") or ""
        return ErrorResponse(405, {"detail": f'Method "{method}" not allowed.' if method else "Method not allowed."})
    if isinstance(error, RateLimited):
        wait = error.headers.get("Retry-After", "1")
        return ErrorResponse(429, {"detail": f"Request was throttled. Expected available in {wait} seconds."})
    if error.status < 500:
        return ErrorResponse(error.status, {"detail": error.detail or "Bad request."})
    return ErrorResponse(error.status, {"detail": "A server error occurred."})
