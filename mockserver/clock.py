"""The sandbox clock: every "now" in handlers, rules and seeds comes from here.

Real time by default; the admin API can set it, freeze it and move it forward so that
expiry rules (sessions, tokens, enrollments) can be tested without waiting.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone


def utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def isoformat(dt: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` and no fraction: the form every vendor here uses.

    Always a four-digit year (RFC 3339): ``0937-03-15T01:06:51Z``. ``strftime("%Y")`` does not pad
    with glibc (it writes ``937``), so the fields are formatted here, not by the C library."""
    at = utc(dt)
    return (f"{at.year:04d}-{at.month:02d}-{at.day:02d}T"
            f"{at.hour:02d}:{at.minute:02d}:{at.second:02d}Z")


def parse(value: str) -> datetime:
    """Parse ISO 8601 (``Z`` or an offset; a date alone means midnight UTC)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return utc(datetime.fromisoformat(text))
    except OverflowError:  # 9999-12-31T23:59:59-01:00 is past year 9999 in UTC
        raise ValueError(f"{value!r} is out of the range of dates (years 1-9999 in UTC)") from None


class Clock:
    def __init__(self, source=lambda: datetime.now(timezone.utc)):
        self._source = source
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen_at: datetime | None = None

    def now(self) -> datetime:
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return self._source() + self._offset

    def set(self, at: datetime | None) -> None:
        """Jump to ``at`` (keeps running from there unless frozen); ``None`` is back to real time."""
        with self._lock:
            real = self._source()
            if at is None:
                self._offset, self._frozen_at = timedelta(0), None
            elif self._frozen_at is not None:
                self._frozen_at = utc(at)
            else:
                self._offset = utc(at) - real

    def advance(self, seconds: float) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += timedelta(seconds=seconds)
            else:
                self._offset += timedelta(seconds=seconds)

    def freeze(self, frozen: bool) -> None:
        with self._lock:
            if frozen and self._frozen_at is None:
                self._frozen_at = self._source() + self._offset
            elif not frozen and self._frozen_at is not None:
                self._offset = self._frozen_at - self._source()
                self._frozen_at = None

    def state(self) -> dict:
        now = self.now()
        with self._lock:
            frozen = self._frozen_at is not None
            offset = (now - self._source()).total_seconds() if not frozen else None
        return {"now": isoformat(now), "frozen": frozen, "offset_seconds": offset}
