"""Helpers shared by the Skilljar test files (the ``sj`` client fixture is in conftest.py)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import orjson
import requests

D = "academy.demo-learning.com"
DEMO_EMAIL = "demo.learner@example.com"


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def everything(sj, path, **params):
    return ok(sj.get(path, params={"page_size": 1000, **params}))["results"]


def demo_user(sj):
    return ok(sj.get("/users", params={"email": DEMO_EMAIL}))["results"][0]["user"]


def demo_course(sj):
    return ok(sj.get(f"/domains/{D}/published-courses", params={"page_size": 1}))["results"][0]


def enroll(sj, user_id, published_id, **extra):
    return sj.post(f"/domains/{D}/published-courses/{published_id}/enrollments", json={"user": {"id": user_id}, **extra})


def table(fresh, name):
    """Seeded records of a table, in order, read from the sandbox's state (for what no API lists)."""
    return [doc for _, doc in orjson.loads(fresh.state())["tables"].get(name, [])]


def post_at_once(url: str, body: dict, key: str, count: int) -> set[str]:
    """POST the same body ``count`` times at once (released together by a barrier); the ids answered."""
    start = threading.Barrier(count)

    def post(_):
        start.wait(timeout=30)
        response = requests.post(url, json=body, auth=(key, ""), timeout=60)
        assert response.status_code == 201, response.text
        return response.json()["id"]

    with ThreadPoolExecutor(count) as pool:
        return set(pool.map(post, range(count)))
