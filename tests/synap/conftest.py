"""Synap fixtures: the demo admin's client, every response checked against our spec (builders that
are not fixtures are in synap_helpers.py and synap_builders.py, the spec-driven requests in
synap_smoke.py)."""

from __future__ import annotations

import pytest

from support import demo_client


@pytest.fixture
def synap(fresh):
    """A Synap client with the demo admin PAT (Bearer p:...), on a fresh world, sending JSON:API."""
    with demo_client(fresh, "synap") as client:
        yield client
