"""BackgroundJob: long-running work started by another operation (sending a GenericNotification...).
It runs on the sandbox clock like every job (rules/jobs.py); ``processedCount`` follows ``progress``.
Administrators see every job, other users the ones they started."""

from __future__ import annotations

from mockserver.vendors.synap.records import insert, new_record
from mockserver.vendors.synap.rules import jobs
from mockserver.vendors.synap.rules.ownership import Owned

owned = Owned("BackgroundJob", key="createdBy", user_required=False)
allow, visible = owned.allow, owned.visible


def start(call, job_type: str, subject: dict, items: int, description: str | None = None) -> dict:
    """Store a new job about ``subject`` (inside a transaction) and return it."""
    rt = call.registry["BackgroundJob"]
    job = new_record(call, rt, {"jobType": job_type, "description": description, "itemCount": items}, {
        "subject": subject, "createdBy": {"type": "User", "id": call.user_id} if call.user_id else None})
    job["_fileName"] = f"{job_type}-{job['id']}-report.csv"
    insert(call, rt, job)
    return job


def create(call, record, body) -> None:
    jobs.create(call, record, body)


def attributes(call, record) -> dict:
    state = jobs.state(call, record)
    return {**state, "processedCount": (record["attributes"].get("itemCount") or 0) * state["progress"] // 100}
