"""Verse error objects (verse-jsonapi renderer.rb#render_error_object, verse-core lib/verse/error).

``title`` is the Ruby error class; ``status`` is a string, except ValidationFailed whose entries
carry an integer ``status`` and a ``source.pointer`` each.
"""

from __future__ import annotations

from mockserver.errors import (
    BadRequest,
    ErrorResponse,
    Forbidden,
    InvalidRequest,
    MethodNotAllowed,
    NotFound,
    RateLimited,
    SandboxError,
    Unauthenticated,
)

MEDIA_TYPE = "application/vnd.api+json"


class RecordNotFound(NotFound):
    title = "Verse::Error::RecordNotFound"


class SessionNotCancellable(BadRequest):
    """Only a started, unexpired session can be cancelled."""


# (kind, status, title): the first kind the error is an instance of decides.
_KINDS = (
    (InvalidRequest, 422, "Verse::Error::ValidationFailed"),
    (BadRequest, 400, "Verse::Error::BadRequest"),
    (Unauthenticated, 401, "Verse::Error::AuthenticationFailed"),
    (Forbidden, 403, "Verse::Error::Unauthorized"),
    (NotFound, 404, "Verse::Error::NotFound"),
    (MethodNotAllowed, 405, "Verse::Error::MethodNotAllowed"),
    (RateLimited, 429, "Verse::Error::TooManyRequests"),
)


def render_error(error: SandboxError) -> ErrorResponse:
    status, title = error.status, "Verse::Error::Base"
    for kind, kind_status, kind_title in _KINDS:
        if isinstance(error, kind):
            status, title = kind_status, kind_title
            break
    title = error.title or title
    if status == 422:
        errors = [
            {"status": 422, "title": title, "detail": v.message, "source": {"pointer": v.pointer}}
            for v in error.violations
        ] or [{"status": 422, "title": title, "detail": error.detail, "source": {"pointer": "/"}}]
    else:
        errors = [{"status": str(status), "title": title, "detail": error.detail or title}]
    return ErrorResponse(status, {"errors": errors}, MEDIA_TYPE)
