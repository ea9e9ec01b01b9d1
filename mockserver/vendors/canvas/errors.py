"""Canvas error bodies (vendors.md §2: application_controller#api_error_json,
authentication_methods, tokens_controller, account_calendars_api_controller, request_throttle).

Canvas has no single error shape: most answers are ``{"errors": [{"message": ...}]}``, but the
token controller renders a bare array, regenerate an ``errors`` object, the calendar bulk update
an ``errors`` string and model validation the Rails errors hash. Each of those is a typed error
here carrying its own body; the neutral kinds get Canvas's generic bodies.
"""

from __future__ import annotations

import orjson

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

WWW_AUTHENTICATE = 'Bearer realm="canvas-lms"'
NOT_FOUND = "The specified resource does not exist."
# Throttling is a 403 in plain text (app/middleware/request_throttle.rb), not a 429.
THROTTLED = "403 Forbidden (Rate Limit Exceeded)\n"


def _messages(*messages: str) -> dict:
    return {"errors": [{"message": m} for m in messages]}


class CanvasError(BadRequest):
    """A Canvas answer with a body of its own shape (400 unless the subclass says otherwise)."""

    def __init__(self, body, detail: str = "", status: int = 400):
        # The detail is what other renderers show (the admin API's, for a vendor action): the body as JSON.
        super().__init__(detail or orjson.dumps(body).decode())
        self.body = body
        self.status = status


class ParameterMissing(CanvasError):
    """Rails' ActionController::ParameterMissing as Canvas renders it."""

    def __init__(self, param: str):
        super().__init__(_messages(f"{param} is missing"))


class TokenRefused(CanvasError):
    """tokens_controller#render_error: a bare array, not wrapped in ``errors``."""

    def __init__(self, message: str):
        super().__init__([{"message": message}], message)


class ErrorsMessage(CanvasError):
    """``{"errors": {"message": ...}}`` (token regenerate: ``errors`` is an object there)."""

    def __init__(self, message: str):
        super().__init__({"errors": {"message": message}}, message)


class ErrorsString(CanvasError):
    """``{"errors": "..."}`` (account_calendars_api_controller: ``errors`` is a string there)."""

    def __init__(self, message: str):
        super().__init__({"errors": message}, message)


class FieldErrors(CanvasError):
    """``{"errors": {"token": ["is already active"]}}``: a hash of messages per attribute."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__({"errors": errors})


class RecordInvalid(CanvasError):
    """``render json: record.errors``: Canvas's ActiveModel errors, one object per failed rule."""

    def __init__(self, errors: dict[str, list[str]]):
        body = {attr: [{"attribute": attr, "type": kind, "message": kind} for kind in kinds]
                for attr, kinds in errors.items()}
        super().__init__({"errors": body})


class SearchTermTooShort(CanvasError):
    """SearchTermHelper::SearchTermTooShortError#error_json."""

    def __init__(self, minimum: int):
        super().__init__({"errors": [{"field": "search_term", "code": "invalid",
                                      "message": f"{minimum} or more characters is required"}]})


class InvalidAsUser(CanvasError):
    """A masquerade (``as_user_id``) the caller may not do, or of nobody (load_user)."""

    def __init__(self):
        super().__init__({"errors": "Invalid as_user_id"}, status=401)


class InvalidAccessToken(Unauthenticated):
    """Unknown, pending or deleted token (AccessToken#usable? is false): Canvas says "Invalid"."""

    def __init__(self):
        super().__init__("Invalid access token.")


class ExpiredAccessToken(Unauthenticated):
    def __init__(self, expired_at: str):
        super().__init__("Expired access token.")
        self.expired_at = expired_at


class Unauthorized(Forbidden):
    """Logged in but not allowed (render_unauthorized_action)."""


def render_error(error: SandboxError) -> ErrorResponse:
    if isinstance(error, CanvasError):
        # a str body is a JSON string (render json: "'grade_data' parameter required"), not raw text
        body = orjson.dumps(error.body) if isinstance(error.body, str) else error.body
        return ErrorResponse(error.status, body)
    if isinstance(error, InvalidRequest):
        return ErrorResponse(400, {"errors": [{"message": message(v)} for v in error.violations]
                                   or [{"message": error.detail}]})
    if isinstance(error, ExpiredAccessToken):
        return ErrorResponse(401, {"errors": [{"message": error.detail, "expired_at": error.expired_at}]},
                             headers={"WWW-Authenticate": WWW_AUTHENTICATE})
    if isinstance(error, InvalidAccessToken):
        return ErrorResponse(401, _messages(error.detail), headers={"WWW-Authenticate": WWW_AUTHENTICATE})
    if isinstance(error, Unauthenticated):
        return ErrorResponse(401, {"status": "unauthenticated", **_messages("user authorization required")})
    if isinstance(error, Forbidden):
        # 403, not 401: Canvas answers 403 here once api_auth_error_updates is on (vendors.md §2),
        # which keeps "who are you" (401) apart from "not allowed" (403) for clients.
        return ErrorResponse(403, {"status": "unauthorized", **_messages("user not authorized to perform that action")})
    if isinstance(error, RateLimited):
        return ErrorResponse(403, THROTTLED, "text/plain", headers={"X-Rate-Limit-Remaining": "0.0"})
    if isinstance(error, (NotFound, MethodNotAllowed)):  # Rails answers an unknown route or verb with a 404
        return ErrorResponse(404, _messages(NOT_FOUND))
    if isinstance(error, BadRequest) and error.detail:
        return ErrorResponse(400, _messages(error.detail))
    code = _ERROR_CODES.get(error.status, "internal_server_error" if error.status >= 500 else "bad_request")
    return ErrorResponse(error.status, {"errors": [{"message": "An error occurred.", "error_code": code}]})


_ERROR_CODES = {400: "bad_request", 409: "conflict", 415: "unsupported_media_type", 422: "unprocessable_entity",
                500: "internal_server_error", 502: "bad_gateway", 503: "service_unavailable", 504: "gateway_timeout"}


def param_name(path: tuple) -> str:
    """A body or query path in Rails' bracket form: ("token", "purpose") -> token[purpose]."""
    parts = [str(p) for p in path]
    return parts[0] + "".join(f"[{p}]" for p in parts[1:]) if parts else "body"


def message(violation) -> str:
    name = param_name(violation.path)
    text = violation.message
    if text.endswith("is a required property") or text.startswith("Missing "):
        return f"{name} is missing"
    return f"{name} is invalid: {text}"


class ModelErrors(CanvasError):
    """``{"errors": {attribute: [{"attribute", "type", "message"}]}}`` with Canvas's own message for
    each failed validation (RecordInvalid's bodies repeat the type as the message; these do not)."""

    def __init__(self, errors: dict[str, list[tuple[str, str]]], wrap: str | None = None):
        body = {attr: [{"attribute": attr, "type": kind, "message": text} for kind, text in failures]
                for attr, failures in errors.items()}
        super().__init__({"errors": {wrap: body} if wrap else body})


class MessageError(CanvasError):
    """``{"message": "..."}`` alone (courses#destroy, submissions#create, enrollments_api#create)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__({"message": message}, message, status)


class UserCreateErrors(CanvasError):
    """users_controller#create_user: ``{"errors": {"user": {...}, "pseudonym": {...}, "observee": {},
    "pairing_code": {}, "recaptcha": null}}``, each part ActiveModel's errors hash."""

    def __init__(self, pseudonym: dict[str, list[tuple[str, str]]], user: dict[str, list[tuple[str, str]]] | None = None):
        def part(errors):
            return {attr: [{"attribute": attr, "type": kind, "message": text} for kind, text in failures]
                    for attr, failures in (errors or {}).items()}
        super().__init__({"errors": {"user": part(user), "pseudonym": part(pseudonym), "observee": {},
                                     "pairing_code": {}, "recaptcha": None}})


class GradeError(CanvasError):
    """Assignment::GradeError as SubmissionsApiController#update renders it: ``{"error": e.to_s}``, 400."""

    def __init__(self, message: str):
        super().__init__({"error": message}, message)
