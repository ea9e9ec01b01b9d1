"""One dataclass of settings, filled from CLI flags (each also read from a MOCKSERVER_* variable)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SCALES = ("small", "medium", "large")


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    seed: int = 42
    scale: str = "small"
    data: Path | None = None  # persist the state to this JSON file; None = in memory
    vendor: str | None = None  # serve only this vendor, at its real root
    no_auth: bool = False
    log_level: str = "info"
    # Response validation against our own specs: on in tests, off by default when serving.
    validate_responses: bool = False
    # With --data every write is appended to a change log before its answer; the log is folded
    # into the data file this many seconds after a change (or past 8 MiB), and on shutdown.
    flush_interval: float = 5.0
    fsync: bool = False  # fsync each change-log record (power-loss safe; see the README for its cost)
    # Every /__admin route but health needs "Authorization: Bearer <admin_token>" when set.
    admin_token: str | None = None
    journal_size: int = 10_000  # requests kept in the journal (a ring buffer)
    journal_bytes: int = 24 << 20  # ... and at most this many bytes of them (oldest dropped first)
    # Seeded-world tables are kept packed and decoded as read: at most this many bytes of them
    # (an estimate) stay decoded, the least recently read dropped first (see store.POOL).
    table_bytes: int = 192 << 20
    max_tenants: int = 16  # live X-Sandbox-Tenant worlds besides the default; least recently used evicted
    max_body: int = 10 * 1024 * 1024  # request bodies past this many bytes are the vendor's 413
    latency_ms: float = 0.0  # added to every vendor request (demos)
    webhook_backoff: float = 1.0  # seconds before a failed webhook delivery's first retry; doubles each time

    def __post_init__(self):
        if self.scale not in SCALES:
            raise ValueError(f"scale must be one of {', '.join(SCALES)}")
        if self.max_body < 1:
            raise ValueError("max_body must be at least 1 byte")
