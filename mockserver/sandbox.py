"""A sandbox: one seeded world (store + clock) and what resets it.

Handlers reach the sandbox of their request (its tenant's) through ``current()``: the gateway
binds it for the duration of each request (a context variable, which reaches handlers on the
event loop and in a worker thread).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import threading
import time
from pathlib import Path


from mockserver import __version__, cache, worldgen
from mockserver.clock import Clock, isoformat
from mockserver.outbox import Outbox
from mockserver.settings import SCALES, Settings
from mockserver.snapshots import Snapshots
from mockserver.store import POOL, STATE_FORMAT, Store, World, unpack_world
from mockserver.vendor import Vendor

_current: contextvars.ContextVar[Sandbox] = contextvars.ContextVar("mockserver.sandbox")


def current() -> Sandbox:
    try:
        return _current.get()
    except LookupError:
        raise RuntimeError("no sandbox is bound to this request (requests reach it through the gateway)") from None


class Sandbox:
    def __init__(self, settings: Settings, vendors: list[Vendor], tenant: str = "default",
                 seeded: World | None = None, snapshot_root: Path | None = None):
        self.settings = settings
        self.vendors = vendors
        self.tenant = tenant
        POOL.limit = settings.table_bytes  # one pool per process: every tenant shares the world's tables
        self.clock = Clock()
        # The server's outbound webhook worker (app.py sets it, forks share it): how a vendor's
        # rules send the events they raise, without reaching for the HTTP layer.
        self.webhooks = None
        self.outbox = Outbox(self.clock)  # what this world's vendors "e-mailed"
        self.started = time.monotonic()
        self._seeded: World | None = seeded  # the state right after seeding: what reset returns to
        self._seeding = threading.Lock()
        if snapshot_root is None and settings.data:
            snapshot_root = Path(f"{settings.data}.snapshots")
        self.snapshot_root = snapshot_root
        self.snapshots = Snapshots(snapshot_root / tenant if snapshot_root else None)
        self.store = Store(seeded)
        self._writes_at_seed = self.store.writes
        if seeded is None and not (settings.data and Path(settings.data).exists()):
            self.reseed(settings.seed, settings.scale, keep=False)
        if settings.data:  # loads the file if there is one, else writes this seeded world to it
            if self.store.attach(settings.data, fsync=settings.fsync, compact_interval=settings.flush_interval):
                self._writes_at_seed = -1  # the file's world is not the seeded one: reset keeps it

    def fork(self, tenant: str) -> Sandbox:
        """A new sandbox (in memory) on this one's seeded world: it shares that world's tables and
        copies only those it writes to."""
        settings = dataclasses.replace(self.settings, data=None, seed=self.seed, scale=self.scale)
        forked = Sandbox(settings, self.vendors, tenant, self.seeded_world(), self.snapshot_root)
        forked.webhooks = self.webhooks
        return forked

    def seeded_world(self) -> World:
        """The seeded world of this sandbox's seed and scale (built once, when started from a
        --data file, which holds no copy of it)."""
        with self._seeding:
            if self._seeded is None:
                store = Store()
                self._seed_into(store, self.seed, self.scale)
                self._seeded = store.freeze()
            return self._seeded

    @property
    def seed(self) -> int:
        return int(self.store.meta.get("seed", self.settings.seed))

    @property
    def scale(self) -> str:
        return str(self.store.meta.get("scale", self.settings.scale))

    # -- world -------------------------------------------------------------------------------
    def _seed_into(self, store: Store, seed: int, scale: str) -> None:
        names = [v.name for v in self.vendors]
        # A seeded world is a pure function of the seed, the scale, the vendors and the code:
        # it is built once (in a child process: worldgen.py) and then read back from the cache.
        key = "world-" + cache.digest(cache.code_digest().encode(), str(seed).encode(), scale.encode(),
                                      ",".join(names).encode())
        world = unpack_world(cache.read("worlds", key))  # None if absent or torn: seeded again
        if world is None:
            data = worldgen.seed_world(seed, scale, names)
            world = unpack_world(data)
            if world is None:
                raise worldgen.SeedingFailed(f"seeding the world of seed {seed}, scale {scale} gave no world")
            cache.write("worlds", key, data)
        store.restore_world(world)  # its tables stay packed until something reads them

    @contextlib.contextmanager
    def _replacing(self, reason: str):
        """Around an admin action that replaces the world: if it succeeds, keep the world it
        replaced as an automatic snapshot (unless that was the seeded world untouched: nothing
        was lost); if it fails, it changed nothing, and nothing is kept."""
        changed = self.store.writes != self._writes_at_seed
        before = self.store.freeze() if changed else None  # O(tables): the tables are shared
        yield
        if before is not None:
            self.snapshots.keep(before, isoformat(self.clock.now()), reason)

    def reseed(self, seed: int, scale: str, keep: bool = True) -> None:
        if scale not in SCALES:
            raise ValueError(f"scale must be one of {', '.join(SCALES)}")
        with self._replacing("seed") if keep else contextlib.nullcontext():
            with self.store.transaction():
                self.outbox.clear()
                self._seed_into(self.store, seed, scale)
                self._seeded = self.store.freeze()
        self._writes_at_seed = self.store.writes

    def reset(self) -> None:
        """Back to the seeded world (the state right after the last seeding)."""
        with self._replacing("reset"):
            self.store.restore_world(self.seeded_world())
            self.outbox.clear()
        self._writes_at_seed = self.store.writes

    def restore(self, state: dict) -> None:
        if not isinstance(state, dict) or state.get("format") != STATE_FORMAT or not isinstance(state.get("tables"), dict):
            raise ValueError(f"not a {STATE_FORMAT} document")
        with self._replacing("put-state"):
            self.store.restore(state)

    # -- named snapshots ---------------------------------------------------------------------
    def snapshot(self, name: str) -> dict:
        return self.snapshots.save(name, self.store.freeze(), isoformat(self.clock.now()))

    def restore_snapshot(self, name: str) -> dict | None:
        world = self.snapshots.world(name)
        if world is None:
            return None
        with self._replacing("restore"):
            self.store.restore_world(world)
        return self.snapshots.info(name)

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
