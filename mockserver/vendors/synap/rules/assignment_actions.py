"""The Assignments actions, each a record of what was done:

    AssignmentManualReview  admins and staff decide an item awaiting review: pass completes it,
                            fail sends it back to inProgress; the learner is emailed
    AssignmentReattempt     another go at a complete assignment (the learner or an admin; the
                            group must allow reattempts): items back to notStarted, time kept
    AssignmentReset         admins wipe an assignment: items back to notStarted with no time spent
    AssignmentRevocation    admins take an assignment away (isRevoked); deleting it gives it back
"""

from __future__ import annotations

from mockserver.errors import Conflict, Forbidden
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import linked_id, table
from mockserver.vendors.synap.rules import action_logs, assignments
from mockserver.vendors.synap.rules.access import allow as admins_only

CONTENT = ("positionSeconds", "pageNumber", "cmi", "responses", "text", "file", "attemptCount")


def _caller(call) -> dict | None:
    return {"type": "User", "id": call.user_id} if call.user_id else None


def _required(call, record, name: str, type_name: str) -> dict:
    ref = record["relationships"].get(name)
    if not ref:
        raise invalid(("relationships", name), f"{name} is required.")
    return call.store.get(table(type_name), ref["id"])


def _assignment(call, record) -> dict:
    return _required(call, record, "assignment", assignments.TYPE)


def _not_revoked(assignment: dict) -> None:
    if assignment["attributes"].get("isRevoked"):
        raise Conflict("The assignment is revoked.")


def restart(call, assignment: dict, wipe: bool, attempt_number: int) -> None:
    """Items back to notStarted (``wipe``: their time and content too), then the assignment follows
    and is on attempt ``attempt_number``."""
    table_name = table(assignments.ITEMS)
    for item in assignments.items_of(call, assignment["id"]):
        attrs = {**item["attributes"], **assignments.RESET, "lastActivityAt": item["attributes"].get("lastActivityAt"),
                 "updatedAt": call.timestamp}
        if wipe:
            attrs.update({"timeSpentSeconds": 0, "lastActivityAt": None,
                          **{k: (0 if k == "attemptCount" else None) for k in CONTENT if k in attrs}})
        call.store.update(table_name, item["id"], {"attributes": attrs})
    after = assignments.recompute(call, assignment["id"])
    call.store.update(table(assignments.TYPE), assignment["id"], {"attributes": {**after["attributes"], "attemptNumber": attempt_number}})


class ManualReview:
    def allow(self, call, action, record) -> None:
        user = call.record("User", call.user_id or "") or {}
        if not call.is_admin and user.get("_role") != "staff":
            raise Forbidden("Only administrators and staff review assignment work.")

    def create(self, call, record, body) -> None:
        item = _required(call, record, "assignmentItem", assignments.KIND_TYPES["note"])
        attrs = item["attributes"]
        if attrs["status"] != "awaitingReview":
            raise Conflict(f"The item is {attrs['status']}, not awaiting review.")
        given = record["attributes"]
        passed = given["outcome"] == "pass"
        changes = {"status": "complete" if passed else "inProgress", "progress": 100 if passed else attrs.get("progress") or 0,
                   "score": given.get("score"), "feedback": given.get("feedback"),
                   "completedAt": call.timestamp if passed else None, "updatedAt": call.timestamp}
        call.store.update(table(assignments.ITEMS), item["id"], {"attributes": {**attrs, **changes}})
        assignments.recompute(call, linked_id(item, "assignment"))
        record["relationships"]["reviewer"] = _caller(call)
        record["_learner"] = linked_id(item, "user")

    def created(self, call, record) -> None:
        assignments.announce(call)
        learner = call.record("User", record.get("_learner") or "")
        item = record["relationships"]["assignmentItem"]
        outcome = record["attributes"]["outcome"]
        if learner is not None:
            call.sandbox.outbox.send(
                vendor="synap", to=learner["attributes"]["emailAddress"], kind="AssignmentManualReview",
                subject="Your work has been reviewed",
                body=f"Outcome: {outcome}. {record['attributes'].get('feedback') or ''}".strip(),
                data={"type": "AssignmentManualReview", "id": record["id"], "assignmentItem": item["id"], "outcome": outcome})
        action_logs.record(call, "assignment.review", "AssignmentManualReview", record["id"],
                           f"Reviewed item {item['id']}: {outcome}", {"score": record["attributes"].get("score")})


class Reattempt:
    def create(self, call, record, body) -> None:
        assignment = _assignment(call, record)
        if not call.is_admin and assignments.owner_of(call, assignment) != call.user_id:
            raise Forbidden("Only the learner or an administrator can reattempt an assignment.")
        _not_revoked(assignment)
        if assignment["attributes"]["status"] != "complete":
            raise Conflict("Only a complete assignment can be reattempted.")
        group = call.record("AssignmentGroup", linked_id(assignment, "assignmentGroup") or "")
        if group is not None and not group["attributes"].get("allowReattempts", True):
            raise Forbidden("This assignment group does not allow reattempts.")
        number = (assignment["attributes"].get("attemptNumber") or 1) + 1
        restart(call, assignment, wipe=False, attempt_number=number)
        record["attributes"]["attemptNumber"] = number
        record["relationships"]["createdBy"] = _caller(call)

    def created(self, call, record) -> None:
        action_logs.record(call, "assignment.reattempt", "AssignmentReattempt", record["id"],
                           f"Attempt {record['attributes']['attemptNumber']} of assignment {record['relationships']['assignment']['id']}")


class Reset:
    allow = staticmethod(admins_only)

    def create(self, call, record, body) -> None:
        assignment = _assignment(call, record)
        _not_revoked(assignment)
        restart(call, assignment, wipe=True, attempt_number=1)
        record["relationships"]["createdBy"] = _caller(call)

    def created(self, call, record) -> None:
        action_logs.record(call, "assignment.reset", "AssignmentReset", record["id"],
                           f"Reset assignment {record['relationships']['assignment']['id']}")


class Revocation:
    allow = staticmethod(admins_only)

    def _set(self, call, assignment: dict, revoked: bool) -> None:
        call.store.update(table(assignments.TYPE), assignment["id"], {"attributes": {
            **assignment["attributes"], "isRevoked": revoked, "revokedAt": call.timestamp if revoked else None,
            "updatedAt": call.timestamp}})

    def create(self, call, record, body) -> None:
        assignment = _assignment(call, record)
        _not_revoked(assignment)
        self._set(call, assignment, True)
        record["relationships"]["revokedBy"] = _caller(call)

    def created(self, call, record) -> None:
        action_logs.record(call, "assignment.revoke", "AssignmentRevocation", record["id"],
                           f"Revoked assignment {record['relationships']['assignment']['id']}")

    def delete(self, call, record) -> None:
        assignment = call.store.get(table(assignments.TYPE), linked_id(record, "assignment") or "")
        if assignment is not None and assignment["attributes"].get("isRevoked"):
            self._set(call, assignment, False)

    def deleted(self, call, record) -> None:
        action_logs.record(call, "assignment.reinstate", "AssignmentRevocation", record["id"],
                           f"Reinstated assignment {linked_id(record, 'assignment')}")


manual_review = ManualReview()
reattempt = Reattempt()
reset = Reset()
revocation = Revocation()
