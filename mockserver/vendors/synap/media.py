"""JSON:API content negotiation where Synap's own answer is unverified.

JSON:API 1.1 ("Content Negotiation", server responsibilities): a request whose ``Content-Type`` is
the JSON:API media type with any parameter other than ``ext`` or ``profile`` MUST be answered 415
Unsupported Media Type, and so must one naming an ``ext`` the server does not support (Synap
declares none). Whether Synap enforces this is not known: clients commonly send
``application/vnd.api+json; charset=utf-8``. The sandbox accepts such a request as it accepts the
bare media type, and says in ``X-Sandbox-Warning`` that production may refuse it.
"""

from __future__ import annotations

from mockserver.sandbox_warning import header

MEDIA_TYPE = "application/vnd.api+json"  # the one spelling of the JSON:API media type (documents, errors)
ALLOWED_PARAMETERS = ("profile",)  # an unknown profile is ignored, not refused (JSON:API 1.1 §profiles)


def _content_type(scope) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-type":
            return value.decode("latin-1")
    return ""


def content_type_warning(scope) -> dict[str, str]:
    """The vendor's ``before_request`` hook: a warning for JSON:API media type parameters."""
    media, *parameters = [part.strip() for part in _content_type(scope).split(";")]
    if media.lower() != MEDIA_TYPE:
        return {}
    refused = [p for p in parameters if p and p.split("=", 1)[0].strip().lower() not in ALLOWED_PARAMETERS]
    if not refused:
        return {}
    return header(
        f"Content-Type parameter {', '.join(refused)} accepted here, but JSON:API 1.1 says a server MUST "
        f"answer 415 Unsupported Media Type to {MEDIA_TYPE} with parameters other than ext or profile "
        "(and to an ext it does not support); whether Synap does is unverified: send the bare media type"
    )
