"""Verse quiz fixtures: the demo client, every response checked against our spec."""

from __future__ import annotations

import pytest

from support import demo_client


@pytest.fixture
def quiz(fresh):
    """A quiz client with the demo token (Bearer), on a fresh world."""
    with demo_client(fresh, "quiz") as client:
        yield client
