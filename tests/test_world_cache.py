"""Seeded worlds read back from the on-disk cache are the worlds seeding makes, byte for byte, and
a stale or broken cache entry is never served."""

from __future__ import annotations

import pytest

from mockserver import vendors, worldcache
from mockserver.sandbox import Sandbox
from mockserver.settings import Settings


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MOCKSERVER_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MOCKSERVER_WORLD_CACHE", raising=False)
    return tmp_path / "worlds"


def _world(seed: int = 42) -> bytes:
    return Sandbox(Settings(seed=seed), vendors.selected("quiz")).store.dumps()


def test_a_cached_world_is_byte_identical_to_a_seeded_one(cache, monkeypatch):
    first = _world()  # seeds, and caches
    assert len(list(cache.glob("*.json"))) == 1
    assert _world() == first  # read back
    monkeypatch.setenv("MOCKSERVER_WORLD_CACHE", "0")
    assert _world() == first  # seeded for real


def test_the_key_names_everything_the_world_depends_on(cache):
    base = worldcache.key(42, "small", ["quiz"])
    assert base == worldcache.key(42, "small", ["quiz"])
    assert len({base, worldcache.key(43, "small", ["quiz"]), worldcache.key(42, "medium", ["quiz"]),
                worldcache.key(42, "small", ["quiz", "canvas"])}) == 4


def test_a_broken_cache_entry_is_seeded_again(cache):
    first = _world()
    (entry,) = cache.glob("*.json")
    entry.write_bytes(b'{"format": "mockserver-state/2", "tables": {"quiz_sess')
    assert _world() == first
    assert entry.read_bytes() == first  # and cached again


def test_the_cache_keeps_only_the_most_recently_used_worlds(cache):
    for seed in range(worldcache.KEEP + 2):
        _world(seed)
    assert len(list(cache.glob("*.json"))) == worldcache.KEEP
