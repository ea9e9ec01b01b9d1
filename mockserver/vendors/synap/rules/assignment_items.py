"""The assignment item kinds (one table, ``itemType``) and AssignmentItemPulse.

A learner moves an item on by PATCHing ``status`` (inProgress or complete), ``progress`` (it never
goes down) and the kind's own content (positionSeconds, pageNumber, cmi, responses, text, file).
Completing sets progress 100; TextEntry, Upload and Zip need their content and go to
``awaitingReview`` instead, for an AssignmentManualReview. A complete item, or one awaiting review,
no longer changes (an AssignmentReattempt or AssignmentReset starts it again); an item never goes
back to notStarted; nothing changes on a revoked assignment (403). Every change is recomputed into
the assignment (rules/assignments.py).

A pulse is a heartbeat while the learner works on an item: it adds ``seconds`` to the item's time
spent, starts it, raises its progress and playback position, and never completes it.
"""

from __future__ import annotations

from mockserver.errors import Conflict, Forbidden
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import linked_id, table
from mockserver.vendors.synap.rules import assignments

REVIEWED = {"textEntry": "text", "upload": "file", "zip": "file"}  # kind -> the content a review needs
SETTLED = ("complete", "awaitingReview")


def assignment_of(call, item: dict) -> dict | None:
    return call.store.get(table(assignments.TYPE), linked_id(item, "assignment") or "")


def require_open(assignment: dict | None) -> None:
    if assignment is not None and assignment["attributes"].get("isRevoked"):
        raise Forbidden("This assignment has been revoked.")


def allow(call, action, record) -> None:
    if record is not None:
        assignments.require_own(call, assignment_of(call, record), assignments.KIND_TYPES[record["attributes"]["itemType"]],
                                record["id"])


def touch(call, attrs: dict, changes: dict) -> None:
    """The bookkeeping of any activity on an item: started (once), last active now."""
    if not attrs.get("startedAt"):
        changes["startedAt"] = call.timestamp
    changes["lastActivityAt"] = call.timestamp


def update(call, record, changes) -> None:
    attrs, kind = record["attributes"], record["attributes"]["itemType"]
    require_open(assignment_of(call, record))
    if attrs["status"] in SETTLED:
        raise Conflict(f"The item is {attrs['status']}; an AssignmentReattempt or AssignmentReset starts it again.")
    status = changes.get("status", attrs["status"])
    if status == "awaitingReview":
        raise invalid(("attributes", "status"), "awaitingReview follows completing a reviewed item; set complete.")
    if status == "notStarted" and attrs["status"] != "notStarted":
        raise invalid(("attributes", "status"), "An item cannot go back to notStarted (AssignmentReset does that).")
    changes["progress"] = max(attrs.get("progress") or 0, changes.get("progress") or 0)
    if status == "complete":
        if kind in REVIEWED:
            field = REVIEWED[kind]
            if not {**attrs, **changes}.get(field):
                raise invalid(("attributes", field), f"Add the {field} before completing this item.")
            status = "awaitingReview"
        else:
            changes["completedAt"] = call.timestamp
        changes["progress"] = 100
    elif changes["progress"] or len(changes) > 1:
        status = "inProgress"
    changes["status"] = status
    touch(call, attrs, changes)
    assignments.recompute(call, linked_id(record, "assignment"), {record["id"]: {**attrs, **changes}})


def updated(call, before, after) -> None:
    assignments.announce(call)


class Pulse:
    def create(self, call, record, body) -> None:
        ref = record["relationships"].get("assignmentItem")
        if not ref:
            raise invalid(("relationships", "assignmentItem"), "assignmentItem is required.")
        item = call.store.get(table(assignments.ITEMS), ref["id"])
        assignment = assignment_of(call, item)
        assignments.require_own(call, assignment, ref["type"], ref["id"])
        require_open(assignment)
        attrs, given = item["attributes"], record["attributes"]
        changes = {"timeSpentSeconds": (attrs.get("timeSpentSeconds") or 0) + given["seconds"]}
        if attrs["status"] not in SETTLED:
            changes.update(status="inProgress", progress=max(attrs.get("progress") or 0, given.get("progress") or 0))
        if given.get("positionSeconds") is not None and "positionSeconds" in attrs:
            changes["positionSeconds"] = given["positionSeconds"]
        touch(call, attrs, changes)
        call.store.update(table(assignments.ITEMS), item["id"], {"attributes": {**attrs, **changes, "updatedAt": call.timestamp}})
        assignments.recompute(call, assignment["id"])
        record["relationships"]["user"] = assignment["relationships"].get("user")


pulse = Pulse()
