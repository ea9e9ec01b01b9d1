"""Determinism, persistence with --data, serving one vendor at its real root."""

from __future__ import annotations

import os

import orjson
import pytest
import requests

from mockserver.sandbox import Sandbox
from mockserver.settings import Settings
from mockserver.store import StateFile
from mockserver.testing import SandboxServer
from mockserver import vendors


def _token(handle):
    return {"Authorization": f"Bearer {handle.credentials['quiz']['token']}"}


@pytest.fixture
def no_world_cache(monkeypatch):
    """Seed for real: a world read back from the cache would make these comparisons trivial."""
    from mockserver import cache

    real = cache.read
    monkeypatch.setattr(cache, "read", lambda kind, key: None if kind == "worlds" else real(kind, key))


def test_two_starts_with_the_same_seed_export_byte_identical_state(no_world_cache):
    with SandboxServer(seed=7) as first:
        a = first.state()
    with SandboxServer(seed=7) as second:
        b = second.state()
    assert a == b
    assert dict(orjson.loads(a)["tables"]["quiz_sessions"])["5"]  # a real world, not an empty one


@pytest.mark.parametrize("scale", ["small", "medium"])
def test_seeding_is_deterministic_per_seed_and_scale(scale, no_world_cache):
    build = lambda seed: Sandbox(Settings(seed=seed, scale=scale), vendors.selected()).store.dumps()  # noqa: E731
    assert build(3) == build(3)
    assert build(3) != build(4)


def test_scales_grow_the_world():
    rows = {s: Sandbox(Settings(scale=s), vendors.selected()).store.count("quiz_sessions") for s in ("small", "medium")}
    assert rows == {"small": 304, "medium": 5004}


def test_data_file_keeps_changes_across_a_restart(tmp_path):
    data = tmp_path / "state.json"
    with SandboxServer(data=data) as first:
        created = requests.post(first.api("quiz") + "/quiz/sessions", headers=_token(first),
                                json={"data": {"type": "quiz/sessions", "attributes": {"person_id": 31337}}})
        assert created.status_code == 201
        requests.delete(first.api("quiz") + "/quiz/sessions/2", headers=_token(first))
    saved = orjson.loads(data.read_bytes())  # the file is complete JSON after shutdown
    assert dict(saved["tables"]["quiz_sessions"])[created.json()["data"]["id"]]["person_id"] == 31337
    with SandboxServer(data=data) as second:
        api, headers = second.api("quiz"), _token(second)
        again = requests.get(f"{api}/quiz/sessions/{created.json()['data']['id']}", headers=headers)
        assert again.json()["data"] == created.json()["data"]
        assert requests.get(f"{api}/quiz/sessions/2", headers=headers).status_code == 404
        second.reset()  # reset still returns to the seeded world of the file's seed
        assert requests.get(f"{api}/quiz/sessions/2", headers=headers).status_code == 200


def test_a_failed_write_never_leaves_a_truncated_data_file(tmp_path, monkeypatch):
    target = StateFile(tmp_path / "state.json")
    target.save(b'{"complete": true}')

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", crash)
    with pytest.raises(OSError):
        target.save(b'{"half": ')
    assert target.load() == {"complete": True}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temp file left behind


def test_vendor_flag_serves_that_vendor_at_its_real_root():
    with SandboxServer(vendor="quiz") as handle:
        headers = _token(handle)
        assert handle.api("quiz") == handle.origin + "/api/v3"
        assert handle.url("quiz") == handle.origin
        real = requests.get(handle.origin + "/api/v3/quiz/sessions/1", headers=headers)
        assert real.status_code == 200 and real.json()["data"]["id"] == "1"
        assert requests.get(handle.origin + "/quiz/api/v3/quiz/sessions/1", headers=headers).status_code == 404
        missing = requests.get(handle.origin + "/api/v3/quiz/sessions/999999", headers=headers)
        assert missing.json()["errors"][0]["title"] == "Verse::Error::RecordNotFound"
        assert handle.health()["vendors"] == ["quiz"]


def test_no_auth_serves_without_credentials():
    with SandboxServer(no_auth=True) as handle:
        assert requests.get(handle.api("quiz") + "/quiz/sessions/1").status_code == 200
        # Synap: with no auth at all every caller acts as the admin (admin-only lists answer)
        assert requests.get(handle.api("synap") + "/personal-access-tokens", params={"limit": 1, "offset": 0}).status_code == 200




def test_a_world_read_back_from_the_cache_is_the_world_seeding_makes(monkeypatch, tmp_path):
    monkeypatch.setenv("MOCKSERVER_CACHE_DIR", str(tmp_path))
    seeded = Sandbox(Settings(seed=5), vendors.selected())  # seeds, writes the cache
    cached = Sandbox(Settings(seed=5), vendors.selected())  # reads it, tables packed
    assert list((tmp_path / "worlds").iterdir())
    assert cached.store.dumps() == seeded.store.dumps()


def test_the_world_cache_keeps_the_newest_entries_within_its_byte_budget(monkeypatch, tmp_path):
    from mockserver import cache

    monkeypatch.setenv("MOCKSERVER_CACHE_DIR", str(tmp_path))
    monkeypatch.setitem(cache.KEEP, "worlds", 250)
    for n in range(5):
        cache.write("worlds", f"w{n}", b"x" * 100)
        os.utime(tmp_path / "worlds" / f"w{n}", (1000 + n, 1000 + n))
    cache.write("worlds", "w5", b"x" * 100)
    assert sorted(p.name for p in (tmp_path / "worlds").iterdir()) == ["w4", "w5"]
    os.utime(tmp_path / "worlds" / "w5", (2000, 2000))
    assert cache.read("worlds", "w4") == b"x" * 100  # read: now the most recently used
    cache.write("worlds", "w6", b"x" * 100)
    assert sorted(p.name for p in (tmp_path / "worlds").iterdir()) == ["w4", "w6"]
    cache.write("worlds", "big", b"x" * 400)  # bigger than the budget alone: kept all the same
    assert sorted(p.name for p in (tmp_path / "worlds").iterdir()) == ["big"]
