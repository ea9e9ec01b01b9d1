"""Fixtures every folder shares: one live sandbox per test session (the package's own ``sandbox``
fixture), and ``fresh``, that sandbox reset before each test that uses it. Each folder's conftest.py
adds its vendor's client (``quiz``, ``sj``, ``synap``, ``cv``) and builders; plain helpers that
test modules import are in support.py, never here."""

from __future__ import annotations

import pytest


@pytest.fixture
def fresh(sandbox):
    """The shared sandbox, back at its seeded world and real time."""
    sandbox.reset()
    sandbox.clock(now=None, frozen=False)
    return sandbox
