"""Shared fixtures: one live sandbox per test session (the package's own ``sandbox`` fixture),
reset before each test that uses a vendor client; every response is checked against our spec."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest
import requests

from spec_check import SpecChecker

_checkers: dict[str, SpecChecker] = {}


class ApiClient(requests.Session):
    """requests, relative to a vendor's API root, with every response checked against the spec."""

    def __init__(self, root: str, checker: SpecChecker, headers: dict | None = None):
        super().__init__()
        self.root = root.rstrip("/")
        self.headers.update(headers or {})
        self.hooks["response"].append(lambda response, *args, **kwargs: checker.check(response))

    def request(self, method, url, *args, **kwargs):
        return super().request(method, url if url.startswith("http") else self.root + url, *args, **kwargs)


def api_client(handle, vendor: str, headers: dict | None = None) -> ApiClient:
    root = handle.api(vendor)
    if root not in _checkers:
        document = requests.get(root + "/openapi.json", timeout=30).json()
        _checkers[root] = SpecChecker(document, urlparse(root).path)
    return ApiClient(root, _checkers[root], headers)


def wait_for(predicate, timeout: float = 10.0) -> bool:
    """Poll until ``predicate()`` holds (background work such as webhook deliveries); bounded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def fresh(sandbox):
    """The shared sandbox, back at its seeded world and real time."""
    sandbox.reset()
    sandbox.clock(now=None, frozen=False)
    return sandbox


@pytest.fixture
def quiz(fresh):
    token = fresh.credentials["quiz"]["token"]
    with api_client(fresh, "quiz", {"Authorization": f"Bearer {token}"}) as client:
        yield client


@pytest.fixture
def sj(fresh):
    """A Skilljar client with the demo API key (HTTP Basic, empty password), on a fresh world."""
    key = fresh.credentials["skilljar"]["api_key"]
    with api_client(fresh, "skilljar") as client:
        client.auth = (key, "")
        yield client


SYNAP_MEDIA = "application/vnd.api+json"


@pytest.fixture
def synap(fresh):
    """A Synap client with the demo admin PAT (Bearer p:...), on a fresh world, sending JSON:API."""
    token = fresh.credentials["synap"]["token"]
    with api_client(fresh, "synap", {"Authorization": f"Bearer {token}", "Content-Type": SYNAP_MEDIA}) as client:
        yield client


@pytest.fixture
def cv(fresh):
    """A Canvas client with the demo admin's token, on a fresh world (``cv.credentials``: every
    named person's token)."""
    credentials = fresh.credentials["canvas"]
    with api_client(fresh, "canvas", {"Authorization": f"Bearer {credentials['token']}"}) as client:
        client.credentials = credentials
        yield client
