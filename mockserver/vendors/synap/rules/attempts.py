"""Attempt: one candidate's go at an exam (get-attempt-18486418e0, vendors.md §1).

The lifecycle, each step a resource of its own as Synap names them:

    Create Attempt          status created      its sections, responses, schedule and timer are made
    Create AttemptSitting   status started      the timer runs (a second sitting resumes)
    Update Player*Response                      the candidate answers (refused once time is up)
    Create AttemptSubmission status submitted   objective responses are marked at once; the rest
                                                wait for a marker (resultsMarkingStatus awaitingMarking)
    marker entries / MarkableResponse / MarkingEntry   marks for the written responses
    Create AttemptMarksSubmission               marking complete: score set, results released

``marks`` is ``{points, maxPoints, credits, penalties}`` summed over the responses (points never
below 0 per response); ``score`` is the percentage, set when marking is complete. A revoked attempt
withholds its results; a locked one refuses answers and submissions (403) until unlocked. Who sees an
attempt: admins, its candidate (``user``), its ``owner`` and anyone assigned to mark it in any role.

This module is the Attempt type's hooks; what other parts read and write of an attempt is in
rules/attempt_records.py.
"""

from __future__ import annotations

from mockserver.errors import Forbidden, NotFound
from mockserver.vendors.synap.errors import invalid, invalid_body
from mockserver.vendors.synap.records import linked_id
from mockserver.vendors.synap.rules import attempt_timing, marking, player
from mockserver.vendors.synap.rules.attempt_records import (
    MARKER_ROLES,
    can_see,
    results_status,
    visible_attempts,
)

DEFAULT_TIME_LIMIT = 60  # minutes, when Create Attempt does not say


def allow(call, action, record) -> None:
    if record is not None and not can_see(call, record):
        raise NotFound(f"No Attempt with id {record['id']!r}")
    if action in ("update", "delete") and not call.is_admin:
        raise Forbidden("Only portal administrators can change attempts.")


visible = visible_attempts


def _time_limit(value, pointer) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise invalid(pointer, "timeLimitMinutes is a whole number of minutes (>= 1), or null for no limit.")
    return value


def create(call, record, body) -> None:
    rels = record["relationships"]
    user_id = linked_id(record, "user") or call.user_id
    if user_id != call.user_id and not call.is_admin:
        raise Forbidden("Only portal administrators can create attempts for other users.")
    if call.record("User", user_id or "") is None:
        raise invalid(("relationships", "user"), "A candidate (user) is required.")
    attrs = record["attributes"]
    given = (body.get("attributes") or {})
    limit = _time_limit(given["timeLimitMinutes"], ("attributes", "timeLimitMinutes")) if "timeLimitMinutes" in given \
        else DEFAULT_TIME_LIMIT
    attrs.pop("timeLimitMinutes", None)
    attrs["tagLabels"] = _labels(attrs.get("tagLabels"))
    rels["user"] = {"type": "User", "id": user_id}
    rels["owner"] = {"type": "User", "id": call.user_id} if call.user_id else rels.get("owner")
    start(call, record, limit, preview=False)
    player.build(call, record)


def start(call, record: dict, limit: int | None, preview: bool) -> None:
    """Fill a new attempt's state and make its schedule and timer (inside the transaction)."""
    record["attributes"].update({
        "status": "created", "isRevoked": False, "isLocked": False, "isPreview": preview, "isOverridden": False,
        "resultsMarkingStatus": "notSubmitted", "marks": None, "score": None,
        "startedAt": None, "submittedAt": None, "markedAt": None,
    })
    attempt_timing.make(call, record, limit)


def _labels(value) -> list[str]:
    out = []
    for label in value or []:
        text = str(label).strip()
        if text and text not in out:
            out.append(text)
    return out


def update(call, record, changes) -> None:
    if "tagLabels" in changes:
        changes["tagLabels"] = _labels(changes["tagLabels"])
    if "timeLimitMinutes" in changes:  # the schedule holds the limit; this is a shortcut to it
        limit = _time_limit(changes.pop("timeLimitMinutes"), ("attributes", "timeLimitMinutes"))
        attempt_timing.set_time_limit(call, record, limit)


def attributes(call, record) -> dict:
    attrs = record["attributes"]
    status = attrs["status"]
    if status == "started" and attempt_timing.expired(call, record):
        exam_status = "timeUp"
    else:
        exam_status = {"created": "notStarted", "started": "inProgress"}.get(status, "submitted")
    return {"examStatus": exam_status, "resultsStatus": results_status(record),
            "timeRemainingSeconds": attempt_timing.remaining(call, record)}


def relink(call, record, name, linked) -> dict:
    """Assign/Unassign <role> markers: the candidate cannot mark their own attempt; each assigned
    user gets a MarkingSession in that role, and an unassigned one loses it (kept, status
    ``unassigned``, when it has entries)."""
    role = MARKER_ROLES.get(name)
    if role is None:
        return {}
    candidate = linked_id(record, "user")
    for n, ident in enumerate(linked):
        if ident["id"] == candidate:
            raise invalid_body(("data", n), "The candidate cannot mark their own attempt.")
    before = {i["id"] for i in record["relationships"].get(name) or []}
    after = {i["id"] for i in linked}
    marking.sessions_assigned(call, record, role, sorted(after - before))
    marking.sessions_unassigned(call, record, role, sorted(before - after))
    return {}
