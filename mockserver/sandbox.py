"""A sandbox: one seeded world (store + clock) and what resets it.

Handlers reach the sandbox of their request (its tenant's) through ``current()``: the gateway
binds it for the duration of each request (a context variable, which reaches handlers on the
event loop and in a worker thread).
"""

from __future__ import annotations

import contextvars
import dataclasses
import time

import orjson

from mockserver import __version__, cache
from mockserver.clock import Clock
from mockserver.outbox import Outbox
from mockserver.seed import SeedContext
from mockserver.settings import SCALES, Settings
from mockserver.store import StateFile, Store
from mockserver.vendor import Vendor

_current: contextvars.ContextVar[Sandbox] = contextvars.ContextVar("mockserver.sandbox")


def current() -> Sandbox:
    try:
        return _current.get()
    except LookupError:
        raise RuntimeError("no sandbox is bound to this request (is SandboxMiddleware installed?)") from None


class Sandbox:
    def __init__(self, settings: Settings, vendors: list[Vendor], tenant: str = "default",
                 seeded: bytes | None = None):
        self.settings = settings
        self.vendors = vendors
        self.tenant = tenant
        self.clock = Clock()
        self.outbox = Outbox(self.clock)  # what this world's vendors "e-mailed"
        self.started = time.monotonic()
        state_file = StateFile(settings.data) if settings.data else None
        self.store = Store(state_file, settings.flush_interval)
        self._seeded: bytes | None = seeded  # the state right after seeding: what reset returns to
        saved = state_file.load() if state_file else None
        if saved is not None:
            self.store.restore(saved)
        elif seeded is not None:
            self.store.restore(orjson.loads(seeded))
        else:
            self.reseed(settings.seed, settings.scale)

    def fork(self, tenant: str) -> Sandbox:
        """A new sandbox (in memory) holding a copy of this one's seeded world.

        Started from a --data file, this sandbox has no seeded snapshot; the fork then seeds its
        own copy from the same seed and scale (and this sandbox's state is left alone).
        """
        settings = dataclasses.replace(self.settings, data=None, seed=self.seed, scale=self.scale)
        return Sandbox(settings, self.vendors, tenant, self._seeded)

    @property
    def seed(self) -> int:
        return int(self.store.meta.get("seed", self.settings.seed))

    @property
    def scale(self) -> str:
        return str(self.store.meta.get("scale", self.settings.scale))

    # -- world -------------------------------------------------------------------------------
    def reseed(self, seed: int, scale: str) -> None:
        if scale not in SCALES:
            raise ValueError(f"scale must be one of {', '.join(SCALES)}")
        names = [v.name for v in self.vendors]
        # A seeded world is a pure function of the seed, the scale, the vendors and the code:
        # it is built once and then read back from the cache (same bytes either way).
        key = "world-" + cache.digest(cache.code_digest().encode(), str(seed).encode(), scale.encode(),
                                      ",".join(names).encode())
        with self.store.transaction():
            self.outbox.clear()
            world = cache.read("worlds", key)
            try:
                state = orjson.loads(world) if world is not None else None
            except orjson.JSONDecodeError:  # a torn cache entry: seed again
                state = None
            if state is not None:
                self.store.restore(state)
                self._seeded = world
                return
            self.store.clear()
            self.store.meta = {"seed": seed, "scale": scale, "vendors": names}
            for vendor in self.vendors:
                vendor.seed(self.store, SeedContext(seed, scale, vendor.name))
            self._seeded = self.store.dumps()
            cache.write("worlds", key, self._seeded)

    def reset(self) -> None:
        """Back to the seeded world (the state right after the last seeding)."""
        with self.store.transaction():
            if self._seeded is None:  # started from a --data file: rebuild its seeded world
                self.reseed(self.seed, self.scale)
                return
            self.store.restore(orjson.loads(self._seeded))
            self.outbox.clear()

    def restore(self, state: dict) -> None:
        self.store.restore(state)

    # -- runtime helpers for handlers --------------------------------------------------------
    def now(self):
        return self.clock.now()

    # -- reporting ---------------------------------------------------------------------------
    def credentials(self) -> dict:
        return {vendor.name: vendor.credentials(self.store) for vendor in self.vendors}

    def health(self) -> dict:
        return {
            "status": "ok",
            "version": __version__,
            "tenant": self.tenant,
            "uptime_seconds": round(time.monotonic() - self.started, 3),
            "vendors": [v.name for v in self.vendors],
            "seed": self.seed,
            "scale": self.scale,
            "rows": self.store.counts(),
        }

    def close(self) -> None:
        self.store.close()


def bind(sandbox: Sandbox) -> contextvars.Token:
    """Make ``sandbox`` the one ``current()`` returns for the rest of this request (the gateway calls it)."""
    return _current.set(sandbox)


def unbind(token: contextvars.Token) -> None:
    _current.reset(token)
