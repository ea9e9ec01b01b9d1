"""Durability with --data: acknowledged writes survive kill -9, a torn last record is skipped, a
failed compaction loses nothing, an unusable data file stops startup with one line and is never
overwritten, and values that cannot be stored never enter the store."""

from __future__ import annotations

import datetime
import logging
import math
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
import requests

from mockserver.datafile import ChangeLog, DataFileError, StateFile
from mockserver.store import Store, UnstorableValue

SESSIONS = "/api/v3/quiz/sessions"  # quiz served alone, at its real root (--vendor quiz)


# -- the server as a process: kill -9 ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _mockserver(*args: str) -> list[str]:
    return [sys.executable, "-m", "mockserver", *args]


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "MOCKSERVER_LOG_LEVEL": "warning"}


class Server:
    """``mockserver run --vendor quiz --data FILE`` in a child process on a free loopback port."""

    def __init__(self, data: Path, *extra: str):
        self.port = _free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            _mockserver("run", "--vendor", "quiz", "--seed", "3", "--data", str(data), "--port", str(self.port), *extra),
            env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 90
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited: {self.process.stderr.read().decode()}")
            try:
                if requests.get(self.origin + "/__admin/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError("the server did not start in 90 s")
            time.sleep(0.1)
        token = requests.get(self.origin + "/__admin/credentials", timeout=10).json()["quiz"]["token"]
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def kill9(self) -> None:
        self.http.close()
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        self.http.close()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise

    def session_ids(self) -> set[str]:
        state = orjson.loads(requests.get(self.origin + "/__admin/state", timeout=30).content)
        return {key for key, _ in state["tables"]["quiz_sessions"]}


@pytest.mark.parametrize("flags", [(), ("--fsync",)], ids=["flushed", "fsynced"])
def test_kill_9_right_after_200_acknowledged_writes_loses_none_of_them(tmp_path, flags):
    data = tmp_path / "state.json"
    server = Server(data, *flags)
    try:
        created = []
        for n in range(200):
            answer = server.http.post(server.origin + SESSIONS, timeout=10, json={
                "data": {"type": "quiz/sessions", "attributes": {"person_id": 700_000 + n}}})
            assert answer.status_code == 201, answer.text
            created.append(answer.json()["data"]["id"])
        server.http.delete(server.origin + SESSIONS + "/2", timeout=10).raise_for_status()
    finally:
        server.kill9()  # no shutdown, no compaction: only what the change log already holds
    again = Server(data)
    try:
        ids = again.session_ids()
        assert set(created) <= ids and "2" not in ids
        person = again.http.get(f"{again.origin}{SESSIONS}/{created[-1]}", timeout=10).json()["data"]["attributes"]
        assert person["person_id"] == 700_199
    finally:
        again.stop()
    assert orjson.loads(data.read_bytes())["format"] == "mockserver-state/2"  # compacted on the clean stop


# -- unusable data files: one line, nothing overwritten ----------------------------------------


@pytest.mark.parametrize("content, problem", [
    (b"", "is empty"),
    (b'{"format": "mockserver-state/2", "meta": {}, "tables": {"quiz_sess', "is not valid JSON"),
    (b"\x89PNG\r\n\x1a\n not a state", "is not valid JSON"),
    (b'{"users": [1, 2, 3]}', "not a mockserver state file"),
    (b'{"format": "mockserver-state/1", "tables": {}}', "state format 'mockserver-state/1'"),
])
def test_an_unusable_data_file_stops_startup_with_one_line_and_is_left_as_it_was(tmp_path, content, problem):
    data = tmp_path / "state.json"
    data.write_bytes(content)
    run = subprocess.run(_mockserver("run", "--vendor", "quiz", "--data", str(data), "--port", str(_free_port())),
                         env=_env(), capture_output=True, timeout=120)
    assert run.returncode == 1
    lines = run.stderr.decode().strip().splitlines()
    assert len(lines) == 1, run.stderr.decode()
    assert str(data) in lines[0] and problem in lines[0] and "--fresh" in lines[0] and "Traceback" not in lines[0]
    assert data.read_bytes() == content and sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_fresh_moves_the_old_data_file_aside_and_starts_from_the_seeded_world(tmp_path):
    data = tmp_path / "state.json"
    data.write_bytes(b"garbage")
    server = Server(data, "--fresh")
    try:
        assert len(server.session_ids()) == 304
    finally:
        server.stop()
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("state.json.") and p.name.endswith(".bak")]
    assert len(aside) == 1 and aside[0].read_bytes() == b"garbage"
    assert orjson.loads(data.read_bytes())["format"] == "mockserver-state/2"


# -- the change log, in process ------------------------------------------------------------------


def _abandon(store: Store) -> None:
    """What kill -9 leaves: the change log as written, no compaction, no close."""
    store._closed = True
    store._wake.set()
    store._log.close()


def _attached(path: Path) -> Store:
    store = Store()
    store.attach(path, compact_interval=3600)
    return store


def test_every_kind_of_write_is_replayed_from_the_change_log_in_order(tmp_path):
    path = tmp_path / "state.json"
    store = _attached(path)
    store.insert_many("t", [(i, {"id": i}) for i in range(1, 6)])
    store.update("t", 2, {"name": "two"})
    store.delete("t", 3)
    store.insert_auto("t", {"name": "six"})
    store.sequence("tokens")
    store.meta = {**store.meta, "seed": 9}
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.insert("t", "gone", {"id": "gone"})
            raise RuntimeError("refused: never logged")
    expected = store.dumps()
    _abandon(store)
    assert orjson.loads(path.read_bytes())["tables"] == {}  # nothing compacted: all of it is in the log
    again = _attached(path)
    assert again.dumps() == expected
    assert again.insert_auto("t", {})["id"] == 7
    again.close()


def test_a_torn_last_record_is_skipped_with_a_warning(tmp_path, caplog):
    path = tmp_path / "state.json"
    store = _attached(path)
    store.insert("t", 1, {"id": 1})
    kept = store.dumps()
    store.insert("t", 2, {"id": 2, "text": "x" * 100})
    _abandon(store)
    segment = ChangeLog(path).segments()[-1].path
    segment.write_bytes(segment.read_bytes()[:-20])  # the last write cut short (power loss)
    with caplog.at_level(logging.WARNING, logger="mockserver.store"):
        again = _attached(path)
    assert again.dumps() == kept
    assert "torn record" in caplog.text
    again.insert("t", 3, {"id": 3})  # and the log goes on after it
    expected = again.dumps()
    _abandon(again)
    assert _attached(path).dumps() == expected


def test_a_corrupt_record_in_the_middle_stops_the_load_naming_the_log(tmp_path):
    path = tmp_path / "state.json"
    store = _attached(path)
    for n in range(3):
        store.insert("t", n, {"id": n, "pad": "y" * 40})
    _abandon(store)
    segment = ChangeLog(path).segments()[-1].path
    good = segment.read_bytes()
    for where in (len(good) // 2, len(good) - 150):  # inside the second record; the third's header
        raw = bytearray(good)
        raw[where] ^= 0xFF
        segment.write_bytes(bytes(raw))
        with pytest.raises(DataFileError, match="corrupt record") as refused:
            _attached(path)
        assert str(segment) in str(refused.value)


def test_a_failed_compaction_keeps_every_write_in_the_log(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    store = _attached(path)
    store.insert("t", 1, {"id": 1})
    monkeypatch.setattr(StateFile, "save", lambda self, data: (_ for _ in ()).throw(OSError(28, "No space left")))
    assert store.compact() is False
    store.insert("t", 2, {"id": 2})
    assert store.compact() is False  # a second new segment; the first is still there
    store.insert("t", 3, {"id": 3})
    expected = store.dumps()
    _abandon(store)
    monkeypatch.undo()
    again = _attached(path)
    assert again.dumps() == expected
    assert len(ChangeLog(path).segments()) == 1  # folded into the state file at load
    assert [k for k, _ in orjson.loads(path.read_bytes())["tables"]["t"]] == ["1", "2", "3"]


def test_compaction_folds_the_log_into_the_state_file_and_starts_a_new_segment(tmp_path):
    path = tmp_path / "state.json"
    store = _attached(path)
    store.insert("t", 1, {"id": 1})
    before = ChangeLog(path).segments()
    assert store.compact() is True
    after = ChangeLog(path).segments()
    assert len(after) == 1 and after[0].number > before[-1].number
    assert after[0].path.stat().st_size < 100  # just its header
    assert orjson.loads(path.read_bytes())["tables"]["t"] == [["1", {"id": 1}]]
    store.close()


def test_a_change_log_of_another_state_file_is_refused(tmp_path):
    path = tmp_path / "state.json"
    store = _attached(path)
    store.insert("t", 1, {"id": 1})
    _abandon(store)
    other = Store()
    other.insert("u", 1, {"id": 1})
    path.write_bytes(other.dumps())  # someone put another state file in its place
    with pytest.raises(DataFileError, match="does not continue the state file"):
        _attached(path)


# -- values that cannot be stored ----------------------------------------------------------------


@pytest.mark.parametrize("bad", [2**70, -(2**64), math.nan, math.inf, datetime.datetime(2026, 1, 1), {1: "x"}, object()])
def test_a_value_that_cannot_be_written_out_never_enters_the_store(bad):
    store = Store()
    store.insert("quiz_sessions", 1, {"id": 1, "person_id": 5})
    before = store.dumps()
    with pytest.raises(UnstorableValue):
        store.insert("quiz_sessions", 2, {"id": 2, "person_id": bad})
    with pytest.raises(UnstorableValue):
        store.update("quiz_sessions", 1, {"attributes": {"free": [bad]}})
    with pytest.raises(UnstorableValue):
        store.insert_many("quiz_sessions", [(3, {"id": 3}), (4, {"id": 4, "x": bad})])
    with pytest.raises(UnstorableValue):
        store.meta = {"seed": bad}
    assert store.dumps() == before  # nothing entered, and the state still writes out


def test_the_largest_64_bit_integers_and_tuples_are_stored():
    store = Store()
    store.insert("t", 1, {"id": 1, "big": 2**64 - 1, "low": -(2**63), "pair": (1, 2)})
    assert orjson.loads(store.dumps())["tables"]["t"][0][1]["big"] == 2**64 - 1


def test_restoring_a_state_with_a_bad_value_is_refused_and_changes_nothing():
    store = Store()
    store.insert("t", 1, {"id": 1})
    before = store.dumps()
    with pytest.raises(UnstorableValue):
        store.restore({"format": "mockserver-state/2", "meta": {}, "tables": {"t": [["9", {"n": math.nan}]]}})
    assert store.dumps() == before


def test_a_refused_value_with_a_data_file_keeps_the_log_and_file_working(tmp_path):
    path = tmp_path / "state.json"
    store = _attached(path)
    with pytest.raises(UnstorableValue):
        store.insert("quiz_sessions", 1, {"person_id": 2**70})
    store.insert("quiz_sessions", 2, {"person_id": 2})
    store.close()
    assert orjson.loads(path.read_bytes())["tables"] == {"quiz_sessions": [["2", {"person_id": 2}]]}


def test_a_second_server_on_the_same_data_file_is_refused(tmp_path):
    path = tmp_path / "state.json"
    store = _attached(path)
    with pytest.raises(DataFileError, match=f"in use by another mockserver \\(pid {os.getpid()}\\)"):
        _attached(path)
    store.close()
    _attached(path).close()  # free again once the first let go
    assert not (tmp_path / "state.json.lock").exists()


def test_a_write_the_log_could_not_take_is_undone_and_leaves_no_half_record(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    store = Store()
    store.attach(path, fsync=True, compact_interval=3600)
    store.insert("t", 1, {"id": 1})
    before = store.dumps()

    def failing_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        store.insert("t", 2, {"id": 2, "pad": "z" * 500})
    assert store.dumps() == before  # not acknowledged, not applied
    monkeypatch.undo()
    store.insert("t", 3, {"id": 3})
    expected = store.dumps()
    _abandon(store)
    assert _attached(path).dumps() == expected


def test_a_state_file_written_by_anything_else_is_continued_by_its_log_too(tmp_path):
    path = tmp_path / "state.json"
    seeded = Store()
    seeded.insert("t", 1, {"id": 1})
    path.write_bytes(seeded.dumps())  # as `mockserver seed --out` writes it: no change-log id in it
    store = _attached(path)
    store.insert("t", 2, {"id": 2})
    expected = store.dumps()
    _abandon(store)
    assert path.read_bytes() == seeded.dumps()  # loading it changed nothing on disk
    again = _attached(path)
    assert again.dumps() == expected
    again.close()
    assert isinstance(orjson.loads(path.read_bytes())["log"], str)  # compaction names its segment
