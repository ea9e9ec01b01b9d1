"""Handlers of openapi/admin.yaml (operationIds resolve here)."""

from __future__ import annotations

from mockserver.clock import parse
from mockserver.errors import InvalidRequest, Violation
from mockserver.sandbox import current


def get_health():
    return current().health()


def post_reset():
    sandbox = current()
    sandbox.reset()
    return sandbox.health()


def post_seed(body):
    sandbox = current()
    sandbox.reseed(int(body.get("seed", sandbox.seed)), body.get("scale", sandbox.scale))
    return sandbox.health()


def get_state():
    return current().store.dumps(), 200, {"Content-Type": "application/json"}


def put_state(body):
    sandbox = current()
    try:
        sandbox.restore(body)
    except (ValueError, TypeError, AttributeError) as exc:
        raise InvalidRequest(str(exc), violations=[Violation("body", (), str(exc))]) from exc
    return sandbox.health()


def get_clock():
    return current().clock.state()


def put_clock(body):
    clock = current().clock
    if "now" in body:
        try:
            at = parse(body["now"]) if body["now"] is not None else None
        except ValueError as exc:
            raise InvalidRequest(
                f"now: {exc}", violations=[Violation("body", ("now",), "not an ISO 8601 date-time")]
            ) from exc
        clock.set(at)
    if "advance" in body:
        clock.advance(float(body["advance"]))
    if "frozen" in body:
        clock.freeze(bool(body["frozen"]))
    return clock.state()


def get_credentials():
    return current().credentials()
