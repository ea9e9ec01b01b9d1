"""The webhook dispatcher against a tiny local receiver: delivery, retries, replay, bounds.

All traffic goes to 127.0.0.1. Timings are small (backoff 0.05 s) and every wait is bounded.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone

import pytest

from mockserver.clock import Clock
from mockserver.webhooks import WebhookDispatcher
from support import Receiver

FAST = {"backoff_base": 0.05, "backoff_cap": 1.0, "timeout": 2.0}


@pytest.fixture
def receiver() -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def start(statuses: Sequence[int] = (200,)) -> Receiver:
        started.append(Receiver(statuses))
        return started[-1]

    yield start
    for r in started:
        r.close()


@pytest.fixture
def dispatcher() -> Iterator[Callable[..., WebhookDispatcher]]:
    made: list[WebhookDispatcher] = []

    def make(**options) -> WebhookDispatcher:
        made.append(WebhookDispatcher(**{**FAST, **options}))
        return made[-1]

    yield make
    for d in made:
        d.close()


def free_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def emit(d: WebhookDispatcher, url: str, **overrides) -> dict:
    options = {"tenant": "acme", "vendor": "skilljar", "event": "course.completed", "payload": {"n": 1}}
    return d.emit(target_url=url, **{**options, **overrides})


def test_delivery_carries_payload_headers_and_basic_auth_exactly_once(receiver, dispatcher):
    r = receiver([200])
    d = dispatcher()
    payload = {"event": "course.completed", "user": {"email": "ada@example.com"}, "score": 0.9}
    created = d.emit(
        tenant="acme",
        vendor="skilljar",
        event="course.completed",
        target_url=r.url("/hooks/skilljar?x=1"),
        payload=payload,
        basic_auth=("hook-user", "s3cret-pw"),
        headers={"X-Custom": "yes"},
    )
    assert created["status"] == "pending" and created["attempt"] == 0 and created["attempts"] == []
    assert d.wait_idle(5)

    assert len(r.requests) == 1
    seen = r.requests[0]
    assert seen["method"] == "POST" and seen["path"] == "/hooks/skilljar?x=1"
    assert json.loads(seen["body"]) == payload
    headers = seen["headers"]
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"] == "mockserver-webhooks"
    assert headers["x-sandbox-event"] == "course.completed"
    assert headers["x-sandbox-delivery"] == str(created["id"])
    assert headers["x-custom"] == "yes"
    assert headers["authorization"] == "Basic " + base64.b64encode(b"hook-user:s3cret-pw").decode()

    record = d.get(created["id"])
    assert record["status"] == "delivered" and record["attempt"] == 1
    assert record["basic_auth"] is True
    assert record["payload"] == payload
    assert record["next_retry_at"] is None
    [attempt] = record["attempts"]
    assert attempt["attempt"] == 1 and attempt["status_code"] == 200 and attempt["error"] is None
    assert attempt["duration_ms"] >= 0 and attempt["at"].endswith("Z")
    assert "s3cret-pw" not in json.dumps(record) and "hook-user" not in json.dumps(record)


def test_retries_with_growing_backoff_until_delivered(receiver, dispatcher):
    r = receiver([500, 503, 500, 200])
    d = dispatcher(max_attempts=5)
    created = emit(d, r.url())
    assert d.wait_idle(10)

    record = d.get(created["id"])
    assert record["status"] == "delivered"
    assert record["attempt"] == 4
    assert [a["attempt"] for a in record["attempts"]] == [1, 2, 3, 4]
    assert [a["status_code"] for a in record["attempts"]] == [500, 503, 500, 200]
    assert len(r.requests) == 4
    times = [seen["at"] for seen in r.requests]
    gaps = [b - a for a, b in zip(times, times[1:])]
    # backoff 0.05, 0.1, 0.2 s: a wait is never shorter than its delay (a loaded machine only makes
    # it longer, so only the lower bounds are checked)
    assert all(gap >= 0.05 * 2 ** n * 0.95 for n, gap in enumerate(gaps)), gaps


def test_a_waiting_retry_shows_next_retry_at_and_does_not_block_others(receiver, dispatcher):
    clock = Clock()
    clock.set(datetime(2026, 1, 1, tzinfo=timezone.utc))
    clock.freeze(True)
    failing, working = receiver([500]), receiver([200])
    d = dispatcher(backoff_base=30, backoff_cap=60, workers=1, clock=clock)
    slow = emit(d, failing.url())
    deadline = time.monotonic() + 5
    while d.get(slow["id"])["status"] != "retrying" and time.monotonic() < deadline:
        time.sleep(0.01)
    record = d.get(slow["id"])
    assert record["status"] == "retrying" and record["attempt"] == 1
    assert record["next_retry_at"] == "2026-01-01T00:00:30Z"
    assert record["created_at"] == "2026-01-01T00:00:00Z"

    fast = emit(d, working.url())
    deadline = time.monotonic() + 5
    while d.get(fast["id"])["status"] != "delivered" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert d.get(fast["id"])["status"] == "delivered"
    assert not d.wait_idle(0.05)  # the retry is still scheduled
    started = time.monotonic()
    d.close()
    assert time.monotonic() - started < 2  # closing does not wait for a scheduled retry


def test_gives_up_after_max_attempts(receiver, dispatcher):
    r = receiver([500])
    d = dispatcher(max_attempts=3)
    created = emit(d, r.url())
    assert d.wait_idle(10)
    record = d.get(created["id"])
    assert record["status"] == "failed"
    assert record["attempt"] == 3
    assert [a["status_code"] for a in record["attempts"]] == [500, 500, 500]
    assert record["next_retry_at"] is None
    assert len(r.requests) == 3


def test_connection_refused_is_retried_then_failed(dispatcher):
    d = dispatcher(max_attempts=3)
    created = emit(d, f"http://127.0.0.1:{free_port()}/hook")
    assert d.wait_idle(10)
    record = d.get(created["id"])
    assert record["status"] == "failed"
    assert record["attempt"] == 3
    for attempt in record["attempts"]:
        assert attempt["status_code"] is None
        assert attempt["error"]


def test_replay_sends_again_and_attempt_numbers_continue(receiver, dispatcher):
    r = receiver([200])
    d = dispatcher()
    created = emit(d, r.url(), payload={"course": 7})
    assert d.wait_idle(5)
    assert d.get(created["id"])["status"] == "delivered"

    replayed = d.replay(created["id"])
    assert replayed["id"] == created["id"] and replayed["status"] == "pending"
    assert d.wait_idle(5)

    assert len(r.requests) == 2
    assert [json.loads(seen["body"]) for seen in r.requests] == [{"course": 7}, {"course": 7}]
    assert {seen["headers"]["x-sandbox-delivery"] for seen in r.requests} == {str(created["id"])}
    record = d.get(created["id"])
    assert record["status"] == "delivered"
    assert record["attempt"] == 2
    assert [a["attempt"] for a in record["attempts"]] == [1, 2]


def test_replay_of_a_failed_delivery_gets_a_fresh_run_of_attempts(receiver, dispatcher):
    r = receiver([500, 500, 200])
    d = dispatcher(max_attempts=2)
    created = emit(d, r.url())
    assert d.wait_idle(5)
    assert d.get(created["id"])["status"] == "failed"

    d.replay(created["id"])
    assert d.wait_idle(5)
    record = d.get(created["id"])
    assert record["status"] == "delivered"
    assert [(a["attempt"], a["status_code"]) for a in record["attempts"]] == [(1, 500), (2, 500), (3, 200)]


def test_deliveries_filter_and_list_newest_first(receiver, dispatcher):
    r = receiver([200])
    d = dispatcher()
    a = emit(d, r.url(), tenant="acme", vendor="skilljar", event="course.completed")
    b = emit(d, r.url(), tenant="globex", vendor="synap", event="user.created")
    c = emit(d, r.url(), tenant="acme", vendor="synap", event="user.created")
    bad = emit(d, "ftp://127.0.0.1/hook", tenant="acme", vendor="skilljar", event="course.completed")
    assert d.wait_idle(5)

    def ids(**filters):
        return [x["id"] for x in d.deliveries(**filters)]

    assert ids() == [bad["id"], c["id"], b["id"], a["id"]]
    assert ids(tenant="acme") == [bad["id"], c["id"], a["id"]]
    assert ids(vendor="synap") == [c["id"], b["id"]]
    assert ids(event="course.completed") == [bad["id"], a["id"]]
    assert ids(status="failed") == [bad["id"]]
    assert ids(status="delivered", tenant="acme") == [c["id"], a["id"]]
    assert ids(limit=2) == [bad["id"], c["id"]]
    assert ids(tenant="nobody") == []


def test_unknown_id(dispatcher):
    d = dispatcher()
    assert d.get(12345) is None
    assert d.replay(12345) is None


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/hook", "file:///etc/passwd", "127.0.0.1:8080/hook", "http:///no-host"])
def test_non_http_targets_fail_without_a_network_call(dispatcher, url):
    d = dispatcher()
    created = emit(d, url)
    assert created["status"] == "failed"
    [attempt] = created["attempts"]
    assert attempt["status_code"] is None and "http" in attempt["error"]
    assert d.wait_idle(1)
    assert d.get(created["id"])["attempt"] == 1


def test_history_keeps_the_newest_deliveries(receiver, dispatcher):
    r = receiver([200])
    d = dispatcher(history=3)
    made = [emit(d, r.url(), payload={"n": n}) for n in range(5)]
    assert d.wait_idle(5)
    assert [x["id"] for x in d.deliveries()] == [m["id"] for m in reversed(made[-3:])]
    assert d.get(made[0]["id"]) is None


def test_returned_records_are_copies(receiver, dispatcher):
    r = receiver([200])
    d = dispatcher()
    payload = {"nested": {"n": 1}}
    created = emit(d, r.url(), payload=payload)
    payload["nested"]["n"] = 2
    created["payload"]["nested"]["n"] = 3
    assert d.wait_idle(5)
    listed = d.deliveries()[0]
    listed["attempts"].clear()
    listed["status"] = "changed"
    record = d.get(created["id"])
    assert record["payload"] == {"nested": {"n": 1}}
    assert record["status"] == "delivered" and len(record["attempts"]) == 1
    assert json.loads(r.requests[0]["body"]) == {"nested": {"n": 1}}


def test_payload_must_be_json(dispatcher):
    d = dispatcher()
    with pytest.raises(TypeError):
        emit(d, "http://127.0.0.1:9/hook", payload={"when": object()})
    assert d.deliveries() == []


def test_close_stops_the_worker_threads(receiver, dispatcher):
    r = receiver([200])
    before = set(threading.enumerate())
    d = dispatcher(workers=3)
    workers = set(threading.enumerate()) - before
    assert len(workers) == 3
    emit(d, r.url())
    assert d.wait_idle(5)
    d.close()
    assert not any(thread.is_alive() for thread in workers)
    d.close()  # idempotent
    with pytest.raises(RuntimeError):
        emit(d, r.url())
