"""Progress of background jobs (canvas:app/controllers/progress_controller.rb, app/models/progress.rb,
lib/api/v1/progress.rb).

A job is ``queued`` when made, ``running`` once the sandbox clock passes its start (one second
later), and ``completed`` (or ``failed``) when its run time has passed: ``completion`` climbs from
0 to 100 as the clock does. The job's work is done by its owner (rules/submissions.py's ``settle``)
when it finishes, so nothing changes before the Progress says it has. Anyone may read a Progress
of their own; an admin above its context any of them (ProgressController#show: read on the context).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mockserver.clock import isoformat, parse
from mockserver.errors import NotFound
from mockserver.store import Store
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.rules import integer_id, permissions

QUEUED_FOR = timedelta(seconds=1)
SECONDS_PER_ITEM = 0.5
MIN_RUN = timedelta(seconds=2)


def run_time(items: int) -> timedelta:
    return max(MIN_RUN, QUEUED_FOR + timedelta(seconds=items * SECONDS_PER_ITEM))


def start(store: Store, course: dict, user: dict, tag: str, job: dict, items: int, now: datetime) -> dict:
    stamp = isoformat(now)
    return store.insert_auto(t.PROGRESS, {
        "context_id": course["id"], "context_type": "Course", "user_id": user["id"], "tag": tag, "completion": 0.0,
        "workflow_state": "queued", "created_at": stamp, "updated_at": stamp, "message": None, "results": None,
        "_job": job, "_finishes_at": isoformat(now + run_time(items))})


def due(store: Store, tag: str, now: datetime) -> list[dict]:
    return [p for p in store.lookup(t.PROGRESS, "tag", tag) if p["workflow_state"] in ("queued", "running")
            and parse(p["_finishes_at"]) <= now]


def finish(store: Store, job: dict, now: datetime) -> None:
    store.update(t.PROGRESS, job["id"], {"workflow_state": "completed", "completion": 100.0,
                                         "updated_at": job["_finishes_at"]})


def fail(store: Store, job: dict, message: str, now: datetime) -> None:
    store.update(t.PROGRESS, job["id"], {"workflow_state": "failed", "message": message,
                                         "updated_at": job["_finishes_at"]})


def view(job: dict, now: datetime) -> dict:
    """The job as the clock shows it (its stored state once finished)."""
    if job["workflow_state"] not in ("queued", "running"):
        return job
    created, ends = parse(job["created_at"]), parse(job["_finishes_at"])
    if now < created + QUEUED_FOR:
        return job
    share = (now - created - QUEUED_FOR) / (ends - created - QUEUED_FOR)
    return {**job, "workflow_state": "running", "completion": round(min(max(share, 0.0), 0.99) * 100, 1),
            "updated_at": isoformat(now)}


def show(store: Store, user: dict, ref, now: datetime) -> dict:
    job = store.get(t.PROGRESS, integer_id(ref)) if integer_id(ref) is not None else None
    if job is None:
        raise NotFound(f"progress {ref}")
    if job["user_id"] != user["id"]:
        course = store.get(t.COURSES, job["context_id"])
        permissions.allow(permissions.course_access(store, user, course).admin)
    return view(job, now)
