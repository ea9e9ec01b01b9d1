"""Webhook delivery shared by every vendor: emit now, POST in the background, retry, record.

Vendors call ``emit`` while handling a request; the request must not wait for the subscriber's
server, so a few worker threads do the sending. Failed attempts are retried with exponential
backoff, like the real vendors do, and every attempt is recorded so the admin API can show a
delivery's history and ``replay`` it while someone debugs their receiver.

Retries wait in one time-ordered schedule (a heap under a condition variable) rather than in a
sleeping thread each, so a delivery waiting a minute for its next try never holds up others.
Backoff runs on real (monotonic) time: the sandbox clock may be frozen or moved by days, and a
retry must still happen. Timestamps shown to users (``at``, ``next_retry_at``, ``created_at``)
come from the sandbox clock, consistent with everything else the sandbox reports.

Credentials passed for Basic auth, and any extra headers (they often carry signatures or
secrets), are kept beside the record, never in it: the record says only ``basic_auth: true``.
"""

from __future__ import annotations

import copy
import heapq
import itertools
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit


from mockserver.clock import Clock, isoformat

PENDING, DELIVERED, RETRYING, FAILED = "pending", "delivered", "retrying", "failed"
FINISHED = (DELIVERED, FAILED)
USER_AGENT = "mockserver-webhooks"


def _sendable(url: str) -> bool:
    """Only http(s) URLs with a host: never file:, ftp: or anything else a vendor never calls."""
    try:
        target = urlsplit(url)
        return target.scheme.lower() in ("http", "https") and bool(target.hostname)
    except ValueError:
        return False


@dataclass
class _Delivery:
    """A delivery's public record plus what must not be shown but is needed to (re)send it."""

    record: dict
    headers: dict[str, str]
    basic_auth: tuple[str, str] | None
    # A "run" is one emit or one replay: it gets max_attempts tries of its own. An attempt still
    # in flight when a replay starts belongs to the old run, so its outcome is recorded but does
    # not touch the status the replay has taken over.
    run: int = 0
    run_attempts: int = 0
    max_attempts: int | None = None  # this delivery's own limit (e.g. a vendor's one-shot ping), else the dispatcher's
    scheduled: int | None = field(default=None)  # token of the live heap entry, if any


class WebhookDispatcher:
    def __init__(
        self,
        *,
        max_attempts: int = 5,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        timeout: float = 5.0,
        workers: int = 2,
        clock: Clock | None = None,
        history: int = 10_000,
    ):
        if max_attempts < 1 or workers < 1 or history < 1:
            raise ValueError("max_attempts, workers and history must be at least 1")
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._timeout = timeout
        self._clock = clock or Clock()
        self._history = history
        self._cond = threading.Condition()
        self._deliveries: OrderedDict[int, _Delivery] = OrderedDict()  # by id, oldest first
        self._schedule: list[tuple[float, int, int]] = []  # (monotonic due time, token, delivery id)
        self._tokens = itertools.count(1)
        self._next_id = 1
        self._queued = 0  # deliveries with a live schedule entry
        self._in_flight = 0
        self._closed = False
        self._threads = [
            threading.Thread(target=self._work, name=f"webhooks-{n}", daemon=True) for n in range(1, workers + 1)
        ]
        for thread in self._threads:
            thread.start()

    # -- public API --------------------------------------------------------------------------
    def emit(
        self,
        *,
        tenant: str,
        vendor: str,
        event: str,
        target_url: str,
        payload: dict,
        basic_auth: tuple[str, str] | None = None,
        headers: dict[str, str] | None = None,
        max_attempts: int | None = None,
    ) -> dict:
        """Record a delivery and queue it for immediate sending; returns it (status ``pending``).

        ``max_attempts`` caps this delivery's tries (1: no retries, as a vendor's test ping).

        A target that is not http(s) is never contacted: the delivery is ``failed`` at once.
        A payload that is not JSON raises here, in the vendor's handler, where the bug is.
        """
        body = json.loads(json.dumps(payload))  # validates and deep-copies in one step
        with self._cond:
            self._check_open()
            now = isoformat(self._clock.now())
            delivery = _Delivery(
                record={
                    "id": self._next_id,
                    "tenant": tenant,
                    "vendor": vendor,
                    "event": event,
                    "target_url": target_url,
                    "payload": body,
                    "basic_auth": basic_auth is not None,
                    "status": PENDING,
                    "attempt": 0,
                    "attempts": [],
                    "next_retry_at": None,
                    "created_at": now,
                },
                headers=dict(headers or {}),
                basic_auth=tuple(basic_auth) if basic_auth is not None else None,
                max_attempts=max_attempts,
            )
            self._next_id += 1
            self._deliveries[delivery.record["id"]] = delivery
            self._start_run(delivery)
            self._trim()
            return copy.deepcopy(delivery.record)

    def deliveries(
        self,
        *,
        tenant: str | None = None,
        vendor: str | None = None,
        event: str | None = None,
        status: str | None = None,
        limit: int | None = None,
    ) -> list[dict]:
        """Matching deliveries, newest first."""
        filters = {"tenant": tenant, "vendor": vendor, "event": event, "status": status}
        wanted = {key: value for key, value in filters.items() if value is not None}
        found: list[dict] = []
        if limit is not None and limit <= 0:
            return found
        with self._cond:
            for delivery in reversed(self._deliveries.values()):
                if all(delivery.record[k] == v for k, v in wanted.items()):
                    found.append(copy.deepcopy(delivery.record))
                    if limit is not None and len(found) >= limit:
                        break
        return found

    def get(self, delivery_id: int) -> dict | None:
        with self._cond:
            delivery = self._deliveries.get(delivery_id)
            return copy.deepcopy(delivery.record) if delivery is not None else None

    def replay(self, delivery_id: int) -> dict | None:
        """Send the delivery's payload again now, as a new run of attempts on the same record.

        Attempt numbers continue from the record's; a retry still waiting is superseded.
        """
        with self._cond:
            self._check_open()
            delivery = self._deliveries.get(delivery_id)
            if delivery is None:
                return None
            delivery.run += 1
            delivery.run_attempts = 0
            self._start_run(delivery)
            return copy.deepcopy(delivery.record)

    def wait_attempted(self, delivery_id: int, timeout: float) -> dict | None:
        """The delivery once its first attempt is recorded (or as it stands after ``timeout``):
        for a vendor operation that reports the outcome of a send, as a webhook ping does."""
        with self._cond:
            def attempted() -> bool:
                delivery = self._deliveries.get(delivery_id)
                return delivery is None or bool(delivery.record["attempts"])  # None: trimmed away

            self._cond.wait_for(attempted, timeout)
            delivery = self._deliveries.get(delivery_id)
            return copy.deepcopy(delivery.record) if delivery is not None else None

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """For tests: wait until nothing is queued (retries included) or in flight."""
        with self._cond:
            return self._cond.wait_for(lambda: self._queued == 0 and self._in_flight == 0, timeout)

    def close(self) -> None:
        """Stop the workers. Waits for an attempt in flight up to about ``timeout``; queued
        retries are abandoned (they stay ``pending``/``retrying`` in the record)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        deadline = time.monotonic() + self._timeout + 1.0
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))

    # -- bookkeeping (called with the lock held) ---------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("webhook dispatcher is closed")

    def _start_run(self, delivery: _Delivery) -> None:
        record = delivery.record
        if not _sendable(record["target_url"]):
            self._unschedule(delivery)
            record["attempt"] += 1
            record["attempts"].append(
                {
                    "attempt": record["attempt"],
                    "at": isoformat(self._clock.now()),
                    "status_code": None,
                    "error": f"unsupported target URL {record['target_url']!r}: only http(s) URLs with a host are sent",
                    "duration_ms": 0.0,
                }
            )
            record["status"], record["next_retry_at"] = FAILED, None
            self._cond.notify_all()
            return
        record["status"], record["next_retry_at"] = PENDING, None
        self._schedule_at(delivery, time.monotonic())

    def _schedule_at(self, delivery: _Delivery, due: float) -> None:
        self._unschedule(delivery)
        token = next(self._tokens)
        delivery.scheduled = token
        self._queued += 1
        heapq.heappush(self._schedule, (due, token, delivery.record["id"]))
        self._cond.notify_all()

    def _unschedule(self, delivery: _Delivery) -> None:
        """Invalidate the delivery's heap entry, if any; workers skip it when it comes up."""
        if delivery.scheduled is not None:
            delivery.scheduled = None
            self._queued -= 1
            self._cond.notify_all()

    def _trim(self) -> None:
        """Keep at most ``history`` deliveries: drop the oldest finished one, else the oldest."""
        while len(self._deliveries) > self._history:
            victim = next((d for d in self._deliveries.values() if d.record["status"] in FINISHED), None)
            if victim is None:
                victim = next(iter(self._deliveries.values()))
            self._unschedule(victim)
            del self._deliveries[victim.record["id"]]

    def _next_job(self) -> tuple[_Delivery, int, int] | None:
        """Block until a delivery is due (returns it, its run and attempt number) or closed."""
        while not self._closed:
            if not self._schedule:
                self._cond.wait()
                continue
            due, token, delivery_id = self._schedule[0]
            delivery = self._deliveries.get(delivery_id)
            if delivery is None or delivery.scheduled != token:
                heapq.heappop(self._schedule)  # superseded by a replay, or trimmed away
                continue
            wait = due - time.monotonic()
            if wait > 0:
                self._cond.wait(wait)
                continue
            heapq.heappop(self._schedule)
            delivery.scheduled = None
            self._queued -= 1
            self._in_flight += 1
            delivery.run_attempts += 1
            delivery.record["attempt"] += 1
            delivery.record["next_retry_at"] = None
            return delivery, delivery.run, delivery.record["attempt"]
        return None

    def _finish(self, delivery: _Delivery, run: int, attempt: dict) -> None:
        record = delivery.record
        record["attempts"].append(attempt)
        record["attempts"].sort(key=lambda a: a["attempt"])  # concurrent runs may finish out of order
        if run != delivery.run or self._deliveries.get(record["id"]) is not delivery:
            return  # a replay took over, or the record was trimmed: only keep the history
        code = attempt["status_code"]
        if code is not None and 200 <= code < 300:
            record["status"] = DELIVERED
        elif delivery.run_attempts < (delivery.max_attempts or self._max_attempts):
            delay = min(self._backoff_cap, self._backoff_base * 2 ** (delivery.run_attempts - 1))
            record["status"] = RETRYING
            record["next_retry_at"] = isoformat(self._clock.now() + timedelta(seconds=delay))
            self._schedule_at(delivery, time.monotonic() + delay)
        else:
            record["status"] = FAILED

    # -- the workers -------------------------------------------------------------------------
    def _work(self) -> None:
        client = None
        try:
            while True:
                with self._cond:
                    job = self._next_job()
                    if job is None:
                        return
                    delivery, run, number = job
                    request = self._request(delivery)
                if client is None:  # made on the first delivery: a start does not load httpx
                    import httpx

                    # trust_env=False: no proxy variables, no ~/.netrc credentials; the sandbox
                    # stays offline and sends exactly the auth it was given.
                    client = httpx.Client(timeout=self._timeout, follow_redirects=False, trust_env=False)
                attempt = None
                try:
                    attempt = self._send(client, number, *request)
                finally:
                    with self._cond:
                        self._in_flight -= 1
                        if attempt is not None:
                            self._finish(delivery, run, attempt)
                        self._cond.notify_all()
        finally:
            if client is not None:
                client.close()

    def _request(self, delivery: _Delivery) -> tuple[str, dict, dict[str, str], tuple[str, str] | None]:
        record = delivery.record
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Sandbox-Event": record["event"],
            "X-Sandbox-Delivery": str(record["id"]),
            **delivery.headers,
        }
        return record["target_url"], record["payload"], headers, delivery.basic_auth

    def _send(
        self,
        client: httpx.Client,
        number: int,
        url: str,
        payload: dict,
        headers: dict[str, str],
        basic_auth: tuple[str, str] | None,
    ) -> dict:
        """One POST, outside the lock; any failure becomes an attempt record, never an exception.

        ``payload`` is the stored one, read without the lock: nothing changes it after ``emit``.
        """
        at = isoformat(self._clock.now())
        started = time.monotonic()
        status_code: int | None = None
        error: str | None = None
        try:
            response = client.post(url, json=payload, headers=headers, auth=basic_auth)
            status_code = response.status_code
        except Exception as exc:  # every transport failure is a failed attempt, to be retried
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return {
            "attempt": number,
            "at": at,
            "status_code": status_code,
            "error": error,
            "duration_ms": round((time.monotonic() - started) * 1000, 3),
        }
