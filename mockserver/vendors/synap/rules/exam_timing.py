"""When an exam can be sat: its ExamSchedule (one per exam, made with it) and its ExamClosure.

``ExamSchedule.status`` is worked out from the sandbox clock when read: ``unscheduled`` (no
startsAt), ``upcoming`` (before startsAt), ``open``, or ``closed`` (after endsAt, or once an
ExamClosure's closesAt has passed). An exam has at most one closure; it can be moved or withdrawn
only while it is still ``scheduled``.
"""

from __future__ import annotations

from mockserver.clock import parse
from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import linked_id, linking
from mockserver.vendors.synap.rules import action_logs, exams
from mockserver.vendors.synap.rules.access import allow


def closure_of(call, exam_id: str) -> dict | None:
    return next(iter(linking(call.store, "ExamClosure", "examV2", exam_id)), None)


def schedule_of(call, exam: dict) -> dict | None:
    ref = exam["relationships"].get("schedule")
    return call.record("ExamSchedule", ref["id"]) if ref else None


def _closed(call, closure: dict | None) -> bool:
    return closure is not None and parse(closure["attributes"]["closesAt"]) <= call.now


def status(call, schedule: dict | None, exam_id: str) -> str:
    if _closed(call, closure_of(call, exam_id)):
        return "closed"
    attrs = (schedule or {}).get("attributes") or {}
    if not attrs.get("startsAt"):
        return "unscheduled"
    if call.now < parse(attrs["startsAt"]):
        return "upcoming"
    if attrs.get("endsAt") and call.now >= parse(attrs["endsAt"]):
        return "closed"
    return "open"


class Schedule:
    allow = staticmethod(allow)

    def attributes(self, call, record) -> dict:
        return {"status": status(call, record, linked_id(record, "examV2"))}

    def update(self, call, record, changes) -> None:
        merged = {**record["attributes"], **changes}
        starts = parse(merged["startsAt"]) if merged.get("startsAt") else None
        if starts and merged.get("endsAt") and parse(merged["endsAt"]) <= starts:
            raise invalid(("attributes", "endsAt"), "endsAt must be after startsAt.")
        if starts and merged.get("resultsReleaseAt") and parse(merged["resultsReleaseAt"]) < starts:
            raise invalid(("attributes", "resultsReleaseAt"), "Results cannot be released before the exam starts.")

    def updated(self, call, before, after) -> None:
        action_logs.record(call, "exam_schedule.update", "ExamSchedule", after["id"], "Changed the exam's schedule",
                           {k: after["attributes"].get(k) for k in ("startsAt", "endsAt")})


class Closure:
    allow = staticmethod(allow)

    def attributes(self, call, record) -> dict:
        return {"status": "closed" if _closed(call, record) else "scheduled"}

    def create(self, call, record, body) -> None:
        exam = exams.required_exam(call, record)
        existing = closure_of(call, exam["id"])
        if existing is not None:
            raise Conflict(f"The exam already has a closure ({existing['id']}); change that one.")
        record["attributes"]["closesAt"] = record["attributes"].get("closesAt") or call.timestamp
        record["relationships"]["createdBy"] = {"type": "User", "id": call.user_id} if call.user_id else None

    def created(self, call, record) -> None:
        action_logs.record(call, "exam.close", "ExamClosure", record["id"],
                           f"Closes exam {linked_id(record, 'examV2')} at {record['attributes']['closesAt']}")

    def _still_scheduled(self, call, record) -> None:
        if _closed(call, record):
            raise Conflict("The exam has already closed; the closure can no longer change.")

    def update(self, call, record, changes) -> None:
        self._still_scheduled(call, record)
        if "closesAt" in changes and not changes["closesAt"]:
            raise invalid(("attributes", "closesAt"), "closesAt is required; delete the closure to withdraw it.")

    def delete(self, call, record) -> None:
        self._still_scheduled(call, record)


schedule = Schedule()
closure = Closure()
