"""Named snapshots per tenant, the automatic ones reset/seed/PUT state keep, and their files with --data."""

from __future__ import annotations

import orjson
import pytest
import requests

from mockserver.testing import SandboxServer

from spec_check import SpecChecker

S = "/quiz/sessions"
CREATE = {"data": {"type": "quiz/sessions", "attributes": {"person_id": 8080}}}
_checkers: dict[str, SpecChecker] = {}


class Admin(requests.Session):
    """The admin API of one tenant, every answer checked against openapi/admin.yaml."""

    def __init__(self, handle):
        super().__init__()
        self.root = handle.origin + "/__admin"
        self.headers.update(handle.headers)
        if handle.origin not in _checkers:
            _checkers[handle.origin] = SpecChecker(requests.get(self.root + "/openapi.json", timeout=30).json(), "/__admin")
        self.hooks["response"].append(lambda response, *a, **k: _checkers[handle.origin].check(response))

    def request(self, method, url, *args, **kwargs):
        return super().request(method, self.root + url, *args, timeout=60, **kwargs)


def _quiz(handle):
    api = handle.api("quiz")
    headers = {"Authorization": f"Bearer {handle.credentials['quiz']['token']}", **handle.headers}
    return lambda method, path, **kw: requests.request(method, api + path, headers=headers, timeout=30, **kw)


@pytest.fixture
def mine(sandbox):
    """A tenant of its own per test: the automatic ring and the names start empty."""
    import uuid

    handle = sandbox.tenant(f"snap-{uuid.uuid4().hex[:12]}")
    yield handle
    handle.drop()
    handle.close()


def test_a_named_snapshot_brings_the_world_back_byte_for_byte(mine):
    quiz = _quiz(mine)
    created = quiz("POST", S, json=CREATE).json()["data"]["id"]
    saved = mine.state()
    info = mine.snapshot("after-create")
    assert info["name"] == "after-create" and info["automatic"] is False and info["rows"] > 304
    quiz("DELETE", f"{S}/{created}")
    quiz("DELETE", f"{S}/1")
    quiz("POST", S, json=CREATE)
    assert mine.restore("after-create")["rows"]["quiz_sessions"] == 305
    assert mine.state() == saved
    assert quiz("GET", f"{S}/{created}").status_code == 200
    assert quiz("POST", S, json=CREATE).json()["data"]["id"] == str(int(created) + 1)  # ids go on from it
    assert mine.restore("after-create") and mine.state() == saved  # the snapshot stays, to restore again


def test_reset_seed_and_put_state_keep_the_world_they_replace(mine):
    quiz = _quiz(mine)
    admin = Admin(mine)
    mine.reset()
    assert mine.snapshots() == []  # the seeded world untouched: nothing to keep
    quiz("POST", S, json=CREATE)
    changed = mine.state()
    mine.reset()
    quiz("POST", S, json=CREATE)
    assert admin.post("/seed", json={"seed": 5}).status_code == 200
    assert _quiz(mine)("POST", S, json=CREATE).status_code == 201  # seed 5 has its own credentials
    assert admin.put("/state", data=changed, headers={"Content-Type": "application/json"}).status_code == 200
    listed = mine.snapshots()
    assert [(s["name"], s["reason"], s["automatic"]) for s in listed] == [
        ("auto-1", "reset", True), ("auto-2", "seed", True), ("auto-3", "put-state", True)]
    mine.restore("auto-1")
    assert mine.state() == changed
    assert mine.snapshots()[-1]["name"] == "auto-4" and mine.snapshots()[-1]["reason"] == "restore"


def test_the_automatic_ring_keeps_the_newest_five(mine):
    quiz = _quiz(mine)
    for _ in range(7):
        quiz("POST", S, json=CREATE)
        mine.reset()
    assert [s["name"] for s in mine.snapshots()] == [f"auto-{n}" for n in range(3, 8)]


def test_snapshots_belong_to_the_callers_tenant(mine, sandbox):
    mine.snapshot("only-mine")
    assert "only-mine" in [s["name"] for s in mine.snapshots()]
    assert "only-mine" not in [s["name"] for s in sandbox.snapshots()]
    assert requests.post(sandbox.origin + "/__admin/snapshots/only-mine/restore").status_code == 404


@pytest.mark.parametrize("name", ["../etc", "a/b", ".hidden", "x" * 65, "auto-1", "index", "sp ace", ""])
def test_an_unsafe_or_reserved_name_is_a_400_in_the_admin_shape(mine, name):
    answer = Admin(mine).post("/snapshots", json={"name": name})
    assert answer.status_code == 400
    assert answer.json()["error"]["status"] == 400 and "snapshot name" in answer.json()["error"]["detail"]


def test_a_missing_snapshot_is_a_404_and_a_bad_name_in_the_path_a_400(mine):
    admin = Admin(mine)
    for method, path in (("POST", "/snapshots/never-saved/restore"), ("DELETE", "/snapshots/never-saved")):
        answer = admin.request(method, path)
        assert answer.status_code == 404 and answer.json()["error"]["detail"] == "no snapshot 'never-saved'"
    assert admin.delete("/snapshots/bad%20name").status_code == 400


def test_a_deleted_snapshot_is_gone(mine):
    mine.snapshot("short-lived")
    mine.delete_snapshot("short-lived")
    assert mine.snapshots() == []
    assert Admin(mine).post("/snapshots/short-lived/restore").status_code == 404


def test_with_a_data_file_snapshots_and_the_world_reset_replaced_outlive_a_restart(tmp_path):
    data = tmp_path / "state.json"
    with SandboxServer(data=data) as first:
        quiz = _quiz(first)
        created = quiz("POST", S, json=CREATE).json()["data"]["id"]
        first.snapshot("with-8080")
        first.tenant("ci-7").snapshot("tenant-seeded")
        first.reset()  # what was persisted is not destroyed: it is auto-1
    assert (tmp_path / "state.json.snapshots" / "default" / "with-8080.json").exists()
    assert orjson.loads((tmp_path / "state.json.snapshots" / "default" / "auto-1.json").read_bytes())["format"] == "mockserver-state/2"
    with SandboxServer(data=data) as second:
        quiz = _quiz(second)
        assert quiz("GET", f"{S}/{created}").status_code == 404
        assert [s["name"] for s in second.snapshots()] == ["with-8080", "auto-1"]
        second.restore("auto-1")
        assert quiz("GET", f"{S}/{created}").json()["data"]["attributes"]["person_id"] == 8080
        assert [s["name"] for s in second.tenant("ci-7").snapshots()] == ["tenant-seeded"]


def test_a_refused_put_state_keeps_no_snapshot_and_changes_nothing(mine):
    quiz = _quiz(mine)
    quiz("POST", S, json=CREATE)
    before = mine.state()
    bad = {"format": "mockserver-state/2", "meta": {}, "tables": {"quiz_sessions": [["1", {"person_id": 2**70}]]}}
    answer = Admin(mine).put("/state", json=bad)
    assert answer.status_code == 400 and "64" in answer.json()["error"]["detail"]  # at input, or by the store
    assert mine.state() == before and mine.snapshots() == []
