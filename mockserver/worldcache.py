"""Seeded worlds remembered on disk: seeding is the slow part of a start (5 s at scale small on
the reference machine, most of scale large's), reading its result back takes a fraction of that.

A world is stored under a key made of everything its bytes depend on: the seed, the scale, the
vendors, the state format, the Python and Faker versions, and the contents of every source,
spec and fixture file. Change any of them (a seed module edited, Faker upgraded) and the key
changes, so a stale world is never served; what a cached world loads to is byte-identical to
what seeding makes (the state export is canonical). The cache is best effort: an unreadable or
unwritable folder only costs the time. ``MOCKSERVER_WORLD_CACHE=0`` turns it off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import logging
import os
import sys
from pathlib import Path

import orjson

from mockserver.datafile import STATE_FORMAT, StateFile
from mockserver.resources import data_dir

log = logging.getLogger("mockserver.store")
KEEP = 6  # worlds kept in the folder, most recently used first


def folder() -> Path:
    """The cache folder: $MOCKSERVER_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache, + mockserver/worlds."""
    base = os.environ.get("MOCKSERVER_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mockserver"
    return Path(base) / "worlds"


def enabled() -> bool:
    return os.environ.get("MOCKSERVER_WORLD_CACHE", "1").lower() not in ("0", "false", "no", "off")


@functools.cache
def _sources() -> str:
    digest = hashlib.blake2b(digest_size=20)
    roots = [Path(__file__).resolve().parent]
    for name in ("openapi", "fixtures"):
        with contextlib.suppress(FileNotFoundError):
            roots.append(data_dir(name))
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml", ".yml", ".json")):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def key(seed: int, scale: str, vendors: list[str]) -> str:
    try:
        faker = importlib.metadata.version("faker")
    except importlib.metadata.PackageNotFoundError:
        faker = "-"
    parts = [STATE_FORMAT, str(seed), scale, ",".join(vendors), sys.version, faker, _sources()]
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=20).hexdigest()


def load(seed: int, scale: str, vendors: list[str]) -> dict | None:
    """The seeded world's state export, if it is cached."""
    if not enabled():
        return None
    path = folder() / f"{key(seed, scale, vendors)}.json"
    try:
        state = orjson.loads(path.read_bytes())
        os.utime(path)  # most recently used
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
        return None
    return state


def save(seed: int, scale: str, vendors: list[str], data: bytes) -> None:
    if not enabled():
        return
    try:
        StateFile(folder() / f"{key(seed, scale, vendors)}.json").save(data)
        worlds = sorted(folder().glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in worlds[KEEP:]:
            stale.unlink()
    except OSError as exc:
        log.debug("seeded world not cached: %s", exc)
