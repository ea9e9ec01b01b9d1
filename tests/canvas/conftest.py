"""Canvas fixtures: the demo admin's HTTP client, and the real canvasapi client as each named
person (builders that are not fixtures are in canvas_helpers.py)."""

from __future__ import annotations

import pytest
from canvasapi import Canvas

from support import demo_client


@pytest.fixture
def cv(fresh):
    """A Canvas client with the demo admin's token, on a fresh world (``cv.credentials``: every
    named person's token)."""
    with demo_client(fresh, "canvas") as client:
        yield client


@pytest.fixture
def canvas(fresh):
    """canvasapi's ``Canvas`` as the demo admin, as an integrator would build it."""
    return Canvas(fresh.url("canvas"), fresh.credentials["canvas"]["token"])


@pytest.fixture
def teacher(fresh):
    """canvasapi's ``Canvas`` as Terry the teacher."""
    return Canvas(fresh.url("canvas"), fresh.credentials["canvas"]["teacher_token"])


@pytest.fixture
def student(fresh):
    """canvasapi's ``Canvas`` as Stella the student."""
    return Canvas(fresh.url("canvas"), fresh.credentials["canvas"]["student_token"])
