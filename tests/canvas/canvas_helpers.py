"""Helpers shared by the Canvas test files (the ``cv`` client fixture, the demo admin's, is in conftest.py)."""

from __future__ import annotations

import re

from support import api_client

TOKEN_FIELDS = {"id", "created_at", "expires_at", "last_used_at", "purpose", "real_user_id", "remember_access",
                "scopes", "updated_at", "user_id", "workflow_state", "app_name", "visible_token",
                "can_manually_regenerate"}
ADMIN, DEAN, TEACHER, STUDENT = 1, 2, 3, 4  # the named people of fixtures/canvas.yaml
ROOT, ARTS, ENGINEERING, CONTINUING, CHEMISTRY, HISTORY, COMPUTING, MANUAL = range(1, 9)


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def client(handle, token: str | None):
    """A spec-checked Canvas client with another token (None: no credentials at all)."""
    return api_client(handle, "canvas", {"Authorization": f"Bearer {token}"} if token else {})


def as_teacher(cv, handle):
    return client(handle, cv.credentials["teacher_token"])


def as_student(cv, handle):
    return client(handle, cv.credentials["student_token"])


def as_dean(cv, handle):
    return client(handle, cv.credentials["dean_token"])


def links(response) -> dict[str, str]:
    """rel -> URL of a Link header."""
    return {rel: url for url, rel in re.findall(r'<([^>]*)>; rel="([a-z]+)"', response.headers["Link"])}


def every_page(session, path, **params) -> list:
    """Follow rel="next" to the end."""
    found, response = [], session.get(path, params=params)
    while True:
        found += ok(response)
        nxt = links(response).get("next")
        if not nxt:
            return found
        response = session.get(nxt)


def unauthorized(response) -> bool:
    return response.status_code == 403 and response.json() == {
        "status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}


def not_found(response) -> bool:
    return response.status_code == 404 and response.json() == {
        "errors": [{"message": "The specified resource does not exist."}]}
