"""Canvas's request throttle (canvas:app/middleware/request_throttle.rb, vendors.md §2).

A leaky bucket per client (its access token, else its address): each request reserves an up-front
cost of 50 before it runs and is throttled when that would fill the bucket to its high-water mark
of 600; the bucket drains at 10 units a second. Canvas charges a request the CPU and database time
it used; the sandbox charges every request the same cost (1.0) and drains on the sandbox clock, so
the headers are deterministic: with a frozen clock the n-th request reports 600 - n remaining.
Every answer carries ``X-Request-Cost`` and ``X-Rate-Limit-Remaining``; a throttled one is Canvas's
403 text/plain (errors.render_error).

Buckets live beside the world, not in it: they are not part of the state export, so reading the
API does not change the state, and a reset does not refill them (time does).
"""

from __future__ import annotations

import threading
import weakref

from mockserver import context
from mockserver.errors import InvalidRequest, RateLimited, Violation
from mockserver.sandbox import current

HIGH_WATER_MARK = 600.0
OUTFLOW_PER_SECOND = 10.0
UP_FRONT_COST = 50.0
REQUEST_COST = 1.0
MAX_CLIENTS = 10_000  # buckets kept per world; past it the oldest goes (a flood of made-up tokens stays bounded)

_lock = threading.Lock()
_buckets: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # sandbox -> client -> (level, at)
_off: weakref.WeakSet = weakref.WeakSet()  # worlds whose throttle a tester turned off


def _client(scope) -> str:
    request = context.request()
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + token.strip()
    if request.query_params.get("access_token"):
        return "token:" + request.query_params["access_token"]
    client = scope.get("client") or ("", 0)
    return f"ip:{client[0]}"


def _number(value: float) -> str:
    return str(round(value, 4))  # Ruby prints floats as 599.0, 599.25


def meter(scope) -> dict[str, str]:
    """The vendor's ``before_request`` hook."""
    sandbox = current()
    if sandbox in _off:
        return {"X-Request-Cost": _number(REQUEST_COST), "X-Rate-Limit-Remaining": _number(HIGH_WATER_MARK)}
    now = sandbox.now()
    client = _client(scope)
    with _lock:
        buckets = _buckets.setdefault(sandbox, {})
        if client not in buckets and len(buckets) >= MAX_CLIENTS:
            buckets.pop(next(iter(buckets)))
        level, at = buckets.get(client, (0.0, now))
        drained = max((now - at).total_seconds(), 0.0) * OUTFLOW_PER_SECOND
        level = max(level - drained, 0.0)
        if level + UP_FRONT_COST >= HIGH_WATER_MARK:
            buckets[client] = (level, now)
            raise RateLimited("Rate Limit Exceeded")
        level += REQUEST_COST
        buckets[client] = (level, now)
    return {"X-Request-Cost": _number(REQUEST_COST), "X-Rate-Limit-Remaining": _number(HIGH_WATER_MARK - level)}


def configure(body: dict) -> dict:
    """Admin action ``throttle``: ``{"enabled": false}`` stops throttling this world (load tests,
    benchmarks), ``{"enabled": true}`` starts it again with empty buckets. The headers stay."""
    enabled = body.get("enabled")
    if not isinstance(enabled, bool):
        raise InvalidRequest("enabled must be true or false", violations=[Violation("body", ("enabled",), "a boolean")])
    sandbox = current()
    with _lock:
        _buckets.pop(sandbox, None)
        if enabled:
            _off.discard(sandbox)
        else:
            _off.add(sandbox)
    return {"enabled": enabled}
