"""Memory stays bounded: a tenant, a reset or a snapshot shares the seeded world's tables and
costs only the tables it writes to; the request journal is bounded in bytes as well as entries.
Checked by structure (which table objects are shared), not by timing or RSS."""

from __future__ import annotations

import os
import socket

from mockserver import vendors
from mockserver.journal import Journal, entry_bytes
from mockserver.sandbox import Sandbox
from mockserver.settings import Settings
from mockserver.store import Packed
from mockserver.tenants import Tenants


def _tables(sandbox: Sandbox) -> dict[str, dict]:
    return dict(sandbox.store._db.storage.read())


def _docs(table):
    """A World's table as documents (a packed one, read from the seeded-world cache, decoded)."""
    return table.docs() if isinstance(table, Packed) else table


def _shared(docs, world_table) -> bool:
    """Whether a store's table is the World's own (packed still, or the dict it decoded to)."""
    return docs is world_table or (isinstance(world_table, Packed) and docs is world_table.docs())


def test_sixteen_tenants_with_one_write_each_copy_one_table_each(tmp_path):
    default = Sandbox(Settings(), vendors.selected("quiz"))
    tenants = Tenants(default, limit=16)
    seeded = default.seeded_world()
    made = []
    for n in range(16):
        sandbox = tenants.get(f"ci-{n}")
        sandbox.store.insert_auto("quiz_sessions", {"person_id": n})
        made.append(sandbox)
    for sandbox in made:
        tables = _tables(sandbox)
        own = {name for name, docs in tables.items() if not _shared(docs, seeded.tables.get(name))}
        assert own == {"quiz_sessions"}
        assert len(tables["quiz_sessions"]) == len(seeded.tables["quiz_sessions"]) + 1
        # the copy is of the dict, not the documents: the seeded rows themselves are shared
        assert tables["quiz_sessions"]["1"] is _docs(seeded.tables["quiz_sessions"])["1"]
    assert len(seeded.tables["quiz_sessions"]) == 304  # and the seeded world never changed
    tenants.close()


def test_reset_and_snapshots_share_tables_instead_of_copying_them():
    sandbox = Sandbox(Settings(), vendors.selected("quiz"))
    seeded = sandbox.seeded_world()
    sandbox.store.delete("quiz_sessions", 1)
    sandbox.reset()
    assert all(_shared(docs, seeded.tables[name]) for name, docs in _tables(sandbox).items())
    sandbox.store.delete("quiz_sessions", 2)
    sandbox.snapshot("two-gone")
    kept = sandbox.snapshots.world("two-gone")
    assert all(_shared(docs, kept.tables[name]) for name, docs in _tables(sandbox).items())
    assert sandbox.snapshots.world("auto-1").tables["quiz_sessions"] is not seeded.tables["quiz_sessions"]
    sandbox.store.delete("quiz_sessions", 3)  # copies that one table, leaving the snapshot whole
    assert "3" in _docs(kept.tables["quiz_sessions"]) and sandbox.store.get("quiz_sessions", 3) is None


def _entry(n: int, body: str) -> dict:
    return {"time": "2026-01-01T00:00:00Z", "tenant": "default", "vendor": "quiz", "method": "POST",
            "path": "/quiz/api/v3/quiz/sessions", "query": "", "headers": {"content-type": "application/json"},
            "body": body, "body_truncated": False, "status": 201, "duration_ms": 1.0, "faults": [], "n": n}


def test_the_journal_is_bounded_in_bytes_and_keeps_the_newest():
    journal = Journal(size=10_000, max_bytes=1 << 20)
    for n in range(1_000):
        journal.record(_entry(n, "x" * 16 * 1024))
    assert journal.bytes <= 1 << 20 and 50 <= len(journal) <= 64
    newest = journal.query({}, "default")
    assert newest[0]["n"] == 999 and [e["n"] for e in newest] == list(range(999, 999 - len(journal), -1))


def test_the_journal_is_bounded_in_entries_too_and_clearing_returns_its_bytes():
    journal = Journal(size=10, max_bytes=1 << 30)
    for n in range(25):
        journal.record(_entry(n, "small"))
    assert len(journal) == 10 and journal.bytes == 10 * entry_bytes(journal.query({}, "default")[0])
    journal.clear("default")
    assert len(journal) == 0 and journal.bytes == 0


# Reads across every vendor, some by an index, some by id, some embedding other tables' rows.
_READS = [
    "/quiz/api/v3/quiz/sessions?page%5Bsize%5D=5",
    "/quiz/api/v3/quiz/sessions?filter%5Bstatus%5D=completed&page%5Bsize%5D=20",
    "/quiz/api/v3/quiz/sessions?filter%5Bname__match%5D=py&sort=-score&count=true",
    "/skilljar/v1/users?email=demo.learner%40example.com",
    "/skilljar/v1/domains/academy.demo-learning.com/users?user__email=demo.learner%40example.com",
    "/skilljar/v1/domains/academy.demo-learning.com/users",
    "/skilljar/v1/courses",
    "/canvas/api/v1/courses/1/enrollments?per_page=50",
    "/canvas/api/v1/accounts/1/users?per_page=20",
    "/canvas/api/v1/courses/1",
    "/synap/v3/users?limit=20&offset=0&filter%5Blocale%5D=fr&sort=-createdAt",
    "/synap/v3/users?limit=5&offset=5",
]


def test_a_server_with_no_room_for_decoded_tables_answers_exactly_what_the_default_one_does(fresh):
    """``--table-bytes 0``: every table read drops the one read before back to its pages, so each
    read decodes again: the answers (bodies, statuses, paging headers) are the default server's."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    import requests

    from support import auth_headers

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "MOCKSERVER_LOG_LEVEL": "warning"}
    process = subprocess.Popen([sys.executable, "-m", "mockserver", "run", "--port", str(port), "--table-bytes", "0"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, process.stderr.read().decode()
            try:
                if requests.get(origin + "/__admin/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the server did not start in 90 s"
                time.sleep(0.1)
        with requests.Session() as small, requests.Session() as default:
            for _ in range(2):  # the second round reads every table again after it was dropped
                for path in _READS:
                    headers = auth_headers(fresh, path.split("/")[1])
                    got = small.get(origin + path, headers=headers, timeout=30)
                    want = default.get(fresh.origin + path, headers=headers, timeout=30)
                    assert got.status_code == want.status_code == 200, (path, got.text[:200])
                    # (Skilljar's bodies and Canvas's Link headers name the server's own origin)
                    assert got.content.replace(origin.encode(), fresh.origin.encode()) == want.content, path
                    assert got.headers.get("link", "").replace(origin, fresh.origin) == want.headers.get("link", ""), path
    finally:
        process.terminate()
        process.wait(timeout=30)
