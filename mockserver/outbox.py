"""The sandbox's outbox: where everything a vendor would e-mail ends up instead.

A real vendor mails verification tokens, password-reset links, invites and "a token was created
on your behalf" notices. The sandbox has no mail server and must never reach one, yet a test of
a sign-up or reset flow needs to read that token. So vendors ``send`` here and tests (through
the admin API) read ``messages``. The outbox is bounded so a long-running sandbox never grows
without limit: past ``limit`` messages the oldest are dropped.
"""

from __future__ import annotations

import copy
import threading
from collections import deque

from mockserver.clock import Clock, isoformat


class Outbox:
    def __init__(self, clock: Clock, limit: int = 10_000):
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self._clock = clock
        self._lock = threading.Lock()
        self._messages: deque[dict] = deque(maxlen=limit)
        self._next_id = 1

    def send(
        self,
        *,
        vendor: str,
        to: str,
        subject: str,
        body: str = "",
        kind: str = "",
        data: dict | None = None,
    ) -> dict:
        """Store one message and return (a copy of) it; ``data`` carries the machine-readable
        part (the token, the link) so tests need not parse ``body``."""
        with self._lock:
            message = {
                "id": self._next_id,
                "vendor": vendor,
                "to": to,
                "subject": subject,
                "body": body,
                "kind": kind,
                "data": copy.deepcopy(data) if data else {},
                "sent_at": isoformat(self._clock.now()),
            }
            self._next_id += 1
            self._messages.append(message)
            return copy.deepcopy(message)

    def messages(
        self,
        *,
        to: str | None = None,
        vendor: str | None = None,
        kind: str | None = None,
        limit: int | None = None,
    ) -> list[dict]:
        """Matching messages, newest first. ``to`` ignores case, as mail servers do."""
        wanted_to = to.casefold() if to is not None else None
        found: list[dict] = []
        if limit is not None and limit <= 0:
            return found
        with self._lock:
            for message in reversed(self._messages):
                if wanted_to is not None and message["to"].casefold() != wanted_to:
                    continue
                if vendor is not None and message["vendor"] != vendor:
                    continue
                if kind is not None and message["kind"] != kind:
                    continue
                found.append(copy.deepcopy(message))
                if limit is not None and len(found) >= limit:
                    break
        return found

    def clear(self) -> None:
        """Forget every message. Ids keep counting, so an id never names two messages."""
        with self._lock:
            self._messages.clear()
