"""The sandbox's own control API (/__admin): spec and error rendering. Vendor-neutral."""

from __future__ import annotations

from mockserver.errors import ErrorResponse, SandboxError
from mockserver.package_data import data_dir
from mockserver.specs import Bundle, single_file


def spec() -> Bundle:
    return single_file("admin", data_dir("openapi") / "admin.yaml")


def render_error(error: SandboxError) -> ErrorResponse:
    body = {
        "status": error.status,
        "title": error.title or type(error).__name__,
        "detail": error.detail or type(error).__name__,
    }
    if error.violations:
        body["violations"] = [
            {"location": v.location, "pointer": v.pointer, "message": v.message} for v in error.violations
        ]
    return ErrorResponse(error.status, {"error": body})
