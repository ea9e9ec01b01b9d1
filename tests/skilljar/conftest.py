"""Skilljar fixtures: the demo client, every response checked against our spec (builders that are
not fixtures are in skilljar_helpers.py, the official spec's checks in skilljar_oracle.py)."""

from __future__ import annotations

import pytest

from support import demo_client


@pytest.fixture
def sj(fresh):
    """A Skilljar client with the demo API key (HTTP Basic, empty password), on a fresh world."""
    with demo_client(fresh, "skilljar") as client:
        yield client
