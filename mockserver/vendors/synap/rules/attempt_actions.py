"""The action resources of an attempt: each ``POST`` does one thing to the attempt it names in
``relationships.attempt`` and the attempt's later reads show it.

    AttemptSitting      start (status started, timer runs) or resume a started attempt
    AttemptSubmission   submit: objective responses marked, the rest wait for markers; proctoring
                        ends; ``assignment.complete`` is raised when the attempt has an assignment
    AttemptLock         lock (isLocked; answers, sittings and submissions refused with 403; the timer
                        waits); deleting the lock unlocks
    AttemptRevocation   revoke (isRevoked; results withheld, no marking); deleting it reinstates
    AttemptOverride     replace a marked attempt's points (isOverridden; score follows)
    ExamPreview         an author's preview attempt (isPreview, started at once, untimed, never marked)
"""

from __future__ import annotations

from mockserver.errors import Conflict, Forbidden
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import ident, linked_id, new_record, table
from mockserver.vendors.synap.rules import attempt_timing, events, player, proctoring
from mockserver.vendors.synap.rules.attempt_records import (
    ByAttempt,
    OpenCreate,
    get,
    guard_candidate,
    recompute,
    require_attempt,
    save,
)
from mockserver.vendors.synap.rules.attempts import start


def _me(call) -> dict | None:
    return {"type": "User", "id": call.user_id} if call.user_id else None


class Sitting(OpenCreate):
    @staticmethod
    def create(call, record, body) -> None:
        attempt = require_attempt(call, record)
        guard_candidate(call, attempt, "sit this attempt", starting=True)
        resumed = attempt["attributes"]["status"] == "started"
        if not resumed:
            attempt_timing.require_open(call, attempt)
            attempt = save(call, attempt, status="started", startedAt=call.timestamp)
            attempt_timing.run(call, attempt)
        record["attributes"].update(startedAt=call.timestamp, isResumption=resumed)
        record["relationships"]["user"] = ident("User", linked_id(attempt, "user"))
        proctoring.log(call, attempt, "attempt.resumed" if resumed else "attempt.started",
                       f"Sitting {'resumed' if resumed else 'started'}.")


class Submission(OpenCreate):
    @staticmethod
    def create(call, record, body) -> None:
        attempt = require_attempt(call, record)
        guard_candidate(call, attempt, "submit this attempt")
        late = attempt_timing.expired(call, attempt)
        attempt_timing.stop(call, attempt)
        attempt = save(call, attempt, status="submitted", submittedAt=call.timestamp)
        waiting = player.mark_on_submission(call, attempt)
        attempt = save(call, attempt, resultsMarkingStatus="awaitingMarking" if waiting else "marked",
                       markedAt=None if waiting else call.timestamp)
        recompute(call, attempt["id"])
        proctoring.finish(call, attempt)
        proctoring.log(call, attempt, "attempt.submitted", "Submitted" + (" after the time was up." if late else "."))
        record["attributes"].update(submittedAt=call.timestamp, isLate=late, awaitingMarking=waiting)
        record["relationships"]["user"] = ident("User", linked_id(attempt, "user"))

    @staticmethod
    def created(call, record) -> None:
        attempt = get(call, linked_id(record, "attempt"))
        if attempt is not None and linked_id(attempt, "assignment"):
            events.emit(call, "assignment.complete", "Attempt", attempt)


class Lock(ByAttempt):
    @staticmethod
    def create(call, record, body) -> None:
        attempt = require_attempt(call, record)
        if attempt["attributes"]["isLocked"]:
            raise Conflict("This attempt is already locked.")
        if attempt["attributes"]["status"] == "submitted":
            raise Conflict("A submitted attempt cannot be locked.")
        record["relationships"]["lockedBy"] = _me(call)
        attempt = save(call, attempt, isLocked=True)
        attempt_timing.hold(call, attempt, True)
        proctoring.log(call, attempt, "attempt.locked", record["attributes"].get("reason") or "Locked.", "warning")

    @staticmethod
    def delete(call, record) -> None:
        attempt = get(call, linked_id(record, "attempt"))
        if attempt is None:
            return
        others = [lock for lock in call.store.rows(table("AttemptLock"))
                  if linked_id(lock, "attempt") == attempt["id"] and lock["id"] != record["id"]]
        if not others:
            attempt = save(call, attempt, isLocked=False)
            attempt_timing.hold(call, attempt, False)
            proctoring.log(call, attempt, "attempt.unlocked", "Unlocked.")


class Revocation(ByAttempt):
    @staticmethod
    def create(call, record, body) -> None:
        attempt = require_attempt(call, record)
        if attempt["attributes"]["isRevoked"]:
            raise Conflict("This attempt is already revoked.")
        record["relationships"]["revokedBy"] = _me(call)
        proctoring.revoke(call, attempt, record["attributes"].get("reason") or "Revoked.")

    @staticmethod
    def delete(call, record) -> None:
        attempt = get(call, linked_id(record, "attempt"))
        if attempt is not None:
            save(call, attempt, isRevoked=False)
            proctoring.log(call, attempt, "attempt.reinstated", "Revocation removed.")


class Override(ByAttempt):
    @staticmethod
    def create(call, record, body) -> None:
        attempt = require_attempt(call, record)
        attrs = attempt["attributes"]
        if attrs["status"] != "submitted" or attrs["resultsMarkingStatus"] != "marked":
            raise Conflict("Only a marked attempt's result can be overridden.")
        points = record["attributes"].get("points")
        maximum = attrs["marks"]["maxPoints"]
        if points is None or not 0 <= points <= maximum:
            raise invalid(("attributes", "points"), f"points is between 0 and the attempt's maxPoints ({maximum}).")
        record["attributes"]["previousPoints"] = attrs["marks"]["points"]
        record["relationships"]["createdBy"] = _me(call)
        call.store.update(table("Attempt"), attempt["id"], {"_override": points})
        save(call, get(call, attempt["id"]), isOverridden=True)
        recompute(call, attempt["id"])


class Preview(OpenCreate):
    @staticmethod
    def create(call, record, body) -> None:
        if not call.user_id:
            raise Forbidden("A preview is made for a signed-in user.")
        me = _me(call)
        rels = {"user": me, "owner": me, "examV2": record["relationships"].get("examV2")}
        attempt = new_record(call, call.registry["Attempt"], {"tagLabels": []}, rels)
        start(call, attempt, None, preview=True)
        player.build(call, attempt)
        attempt["attributes"].update(status="started", startedAt=call.timestamp)
        call.store.insert(table("Attempt"), attempt["id"], attempt)
        attempt_timing.run(call, attempt)
        record["relationships"].update(attempt=ident("Attempt", attempt), user=me)
        record["attributes"]["playerUrl"] = f"https://{call.sandbox.tenant}.synap.example/player/{attempt['id']}?preview=1"
        record["_attempt"] = attempt["id"]


sitting, submission, lock, revocation, override, preview = Sitting(), Submission(), Lock(), Revocation(), Override(), Preview()
