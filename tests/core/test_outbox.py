"""The outbox: what vendors would have e-mailed, kept for tests to read."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest

from mockserver.clock import Clock
from mockserver.outbox import Outbox


@pytest.fixture
def clock() -> Clock:
    clock = Clock()
    clock.set(datetime(2026, 1, 1, tzinfo=timezone.utc))
    clock.freeze(True)
    return clock


def test_send_returns_the_stored_message_with_increasing_ids(clock):
    outbox = Outbox(clock)
    first = outbox.send(
        vendor="synap",
        to="Ada@Example.com",
        subject="Verify your e-mail",
        body="Your code is 123456",
        kind="verification",
        data={"token": "123456"},
    )
    assert first == {
        "id": 1,
        "vendor": "synap",
        "to": "Ada@Example.com",
        "subject": "Verify your e-mail",
        "body": "Your code is 123456",
        "kind": "verification",
        "data": {"token": "123456"},
        "sent_at": "2026-01-01T00:00:00Z",
    }
    clock.advance(90)
    second = outbox.send(vendor="skilljar", to="bob@example.com", subject="Invite")
    assert second["id"] == 2
    assert second["body"] == "" and second["kind"] == "" and second["data"] == {}
    assert second["sent_at"] == "2026-01-01T00:01:30Z"
    assert outbox.messages() == [second, first]


def test_filters_and_limit(clock):
    outbox = Outbox(clock)
    outbox.send(vendor="synap", to="ada@example.com", subject="a", kind="verification")
    outbox.send(vendor="synap", to="bob@example.com", subject="b", kind="password_reset")
    outbox.send(vendor="skilljar", to="ADA@example.COM", subject="c", kind="invite")
    outbox.send(vendor="synap", to="Ada@Example.com", subject="d", kind="password_reset")

    def subjects(**filters):
        return [m["subject"] for m in outbox.messages(**filters)]

    assert subjects() == ["d", "c", "b", "a"]
    assert subjects(to="ada@EXAMPLE.com") == ["d", "c", "a"]
    assert subjects(vendor="synap") == ["d", "b", "a"]
    assert subjects(kind="password_reset") == ["d", "b"]
    assert subjects(to="ada@example.com", vendor="synap", kind="password_reset") == ["d"]
    assert subjects(to="nobody@example.com") == []
    assert subjects(limit=2) == ["d", "c"]
    assert subjects(vendor="synap", limit=1) == ["d"]
    assert subjects(limit=0) == []


def test_bounded_keeps_the_newest(clock):
    outbox = Outbox(clock, limit=3)
    for n in range(5):
        outbox.send(vendor="synap", to="ada@example.com", subject=f"m{n}")
    assert [m["id"] for m in outbox.messages()] == [5, 4, 3]
    assert [m["subject"] for m in outbox.messages()] == ["m4", "m3", "m2"]
    with pytest.raises(ValueError):
        Outbox(clock, limit=0)


def test_clear_empties_but_ids_keep_counting(clock):
    outbox = Outbox(clock)
    outbox.send(vendor="synap", to="ada@example.com", subject="a")
    outbox.send(vendor="synap", to="ada@example.com", subject="b")
    outbox.clear()
    assert outbox.messages() == []
    assert outbox.send(vendor="synap", to="ada@example.com", subject="c")["id"] == 3


def test_returned_messages_are_copies(clock):
    outbox = Outbox(clock)
    data = {"token": "abc", "nested": {"n": 1}}
    sent = outbox.send(vendor="synap", to="ada@example.com", subject="a", data=data)
    data["token"] = "changed by the caller"
    data["nested"]["n"] = 2
    sent["subject"] = "changed"
    sent["data"]["token"] = "changed too"
    listed = outbox.messages()[0]
    listed["data"]["nested"]["n"] = 3
    stored = outbox.messages()[0]
    assert stored["subject"] == "a"
    assert stored["data"] == {"token": "abc", "nested": {"n": 1}}


def test_concurrent_sends_get_distinct_ids(clock):
    outbox = Outbox(clock)
    start = threading.Barrier(8)

    def send_many():
        start.wait(timeout=10)
        for _ in range(50):
            outbox.send(vendor="synap", to="ada@example.com", subject="x")

    threads = [threading.Thread(target=send_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    ids = [m["id"] for m in outbox.messages()]
    assert sorted(ids, reverse=True) == ids == list(range(400, 0, -1))
