"""Fixtures of the cross-vendor tests: each vendor's demo client (the same as that vendor's folder
gives its own tests), for the tests that hold every vendor to one rule."""

from __future__ import annotations

import pytest

from support import demo_client


@pytest.fixture
def quiz(fresh):
    with demo_client(fresh, "quiz") as client:
        yield client


@pytest.fixture
def sj(fresh):
    with demo_client(fresh, "skilljar") as client:
        yield client


@pytest.fixture
def synap(fresh):
    with demo_client(fresh, "synap") as client:
        yield client


@pytest.fixture
def cv(fresh):
    with demo_client(fresh, "canvas") as client:
        yield client
