"""Exports and background jobs (Create *Export, GenerateTestJob, CloneJob, BackgroundJob...): they
start ``pending`` and complete on the sandbox clock, so a client polling them sees them progress
and a test moves them on with ``PUT /__admin/clock {"advance": 60}``.

A job type names ``rules: jobs`` (or calls these functions from its own rules) and declares the
x-computed attributes it shows of: ``status`` (pending | processing | complete), ``progress``
(0-100), ``fileUrl`` (set when complete) and ``completedAt``. Status is worked out from the clock
when read, never by a background thread: the same clock gives the same answer.
"""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import isoformat, parse

QUEUED = timedelta(seconds=2)  # pending this long, then processing
RUNTIME = timedelta(seconds=30)  # complete this long after creation
FILES = "https://files.synap.example"


def create(call, record, body, file_name: str | None = None) -> None:
    """Start the job now; ``file_name`` names the file it will produce (default ``<id>.csv``)."""
    record["_startedAt"] = call.timestamp
    if file_name:
        record["_fileName"] = file_name


def state(call, record) -> dict:
    started = parse(record.get("_startedAt") or record["attributes"]["createdAt"])
    elapsed = call.now - started
    if elapsed >= RUNTIME:
        slug = record.get("_fileName") or f"{record['id']}.csv"
        return {"status": "complete", "progress": 100, "completedAt": isoformat(started + RUNTIME),
                "fileUrl": f"{FILES}/{call.sandbox.tenant}/{slug}"}
    if elapsed < QUEUED:
        return {"status": "pending", "progress": 0, "completedAt": None, "fileUrl": None}
    return {"status": "processing", "progress": int(100 * (elapsed - QUEUED) / (RUNTIME - QUEUED)),
            "completedAt": None, "fileUrl": None}


def attributes(call, record) -> dict:
    return state(call, record)
