"""Seeding a world, in a process of its own.

A seeded world is built once per seed, scale, vendor set and code version, then read back from
the start-up cache (sandbox.py). Building it holds every document of a vendor as Python objects
(at scale large ~300 MiB for Canvas alone); a process that did that keeps most of the memory
after (freed objects leave its allocator's pages part-used). So the server asks a child process
for the world: the child seeds, packs each vendor's tables once that vendor is done, and writes
the packed world (``store.pack_world``) to its standard output; the server reads it as it reads
a cache entry, and the child's memory is returned to the system when it exits.

    python -m mockserver.worldgen SEED SCALE VENDOR [VENDOR ...] > world
"""

from __future__ import annotations

import subprocess
import sys

from mockserver import vendors
from mockserver.seed import SeedContext
from mockserver.store import Store, pack_world


class SeedingFailed(RuntimeError):
    """The child process that seeds a world failed (its last line of error output says why)."""


def build(seed: int, scale: str, names: list[str]) -> bytes:
    """The packed world of ``seed``, ``scale`` and the named vendors (in this order), seeded here."""
    store = Store()
    store.meta = {"seed": seed, "scale": scale, "vendors": names}
    store.checking = False  # generated documents; packing below still refuses what JSON cannot hold
    for vendor in map(vendors.load, names):
        vendor.seed(store, SeedContext(seed, scale, vendor.name))
        # one vendor's documents in memory at a time: what is seeded stays packed (compressed)
        store.pack(store.counts())
    return pack_world(store.freeze())


def seed_world(seed: int, scale: str, names: list[str]) -> bytes:
    """``build`` in a child process (this interpreter, this package): the packed world."""
    run = subprocess.run([sys.executable, "-m", "mockserver.worldgen", str(seed), scale, *names],
                         capture_output=True, check=False)
    if run.returncode != 0:
        lines = run.stderr.decode(errors="replace").strip().splitlines() or [f"exit status {run.returncode}"]
        raise SeedingFailed(f"seeding the world of seed {seed}, scale {scale} failed: {lines[-1]}")
    return run.stdout


if __name__ == "__main__":
    sys.stdout.buffer.write(build(int(sys.argv[1]), sys.argv[2], sys.argv[3:]))
