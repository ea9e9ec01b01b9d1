"""Proctoring (seed 000's "Proctor Integration"): sessions watching an attempt, what they captured,
the attempt's event log, reviews, and external proctoring providers.

    ProctorSession            one active session per unsubmitted attempt; starting one takes an
                              identity capture; submitting the attempt ends it
    ProctorEventLog           every lifecycle step of an attempt (started, locked, unlocked, revoked,
                              submitted, proctoring started/ended, reviewed) in the order it happened
    ProctorCapture            identity / webcam / screen captures of a session
    ProctorReview             a reviewer's verdict on a session: ``breach`` revokes the attempt
    ExternalProctorSession    a session run by an outside provider (launch URL); its
    ExternalProctorSessionResult  (same id) is ready on the sandbox clock like an export job
"""

from __future__ import annotations

import hashlib

from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import add, ident, linked_id, table
from mockserver.vendors.synap.rules import jobs
from mockserver.vendors.synap.rules.attempt_records import ByAttempt, get, require_attempt, save

FILES = "https://files.synap.example"


def log(call, attempt: dict, event: str, detail: str, severity: str = "info", session: dict | None = None) -> dict:
    """Append to the attempt's event log (inside the caller's transaction)."""
    return add(call, "ProctorEventLog", {
        "event": event, "detail": detail, "severity": severity, "occurredAt": call.timestamp,
    }, {"attempt": ident("Attempt", attempt), "proctorSession": ident("ProctorSession", session),
        "actor": {"type": "User", "id": call.user_id} if call.user_id else None}, _attempt=attempt["id"])


def revoke(call, attempt: dict, reason: str) -> dict:
    """Revoke an attempt (its results withheld, no marking), with the reason in its event log."""
    attempt = save(call, attempt, isRevoked=True)
    log(call, attempt, "attempt.revoked", reason, "warning")
    return attempt


def capture(call, session: dict, kind: str) -> dict:
    attempt_id = session["_attempt"]
    n = call.store.sequence(f"synap.proctor-capture.{session['id']}")
    return add(call, "ProctorCapture", {
        "kind": kind, "capturedAt": call.timestamp, "flagged": False,
        "imageUrl": f"{FILES}/{call.sandbox.tenant}/proctoring/{session['id']}/{kind}-{n}.jpg",
    }, {"proctorSession": ident("ProctorSession", session), "attempt": {"type": "Attempt", "id": attempt_id},
        "user": session["relationships"].get("user")}, _attempt=attempt_id)


def finish(call, attempt: dict) -> None:
    """Submission ends the attempt's active proctor sessions."""
    for session in call.store.find(table("ProctorSession"), _attempt=attempt["id"]):
        if session["attributes"]["status"] == "active":
            call.store.update(table("ProctorSession"), session["id"], {"attributes": {
                **session["attributes"], "status": "ended", "endedAt": call.timestamp, "updatedAt": call.timestamp}})
            log(call, attempt, "proctoring.ended", "The attempt was submitted.", session=session)


class Session(ByAttempt):
    @staticmethod
    def attributes(call, record) -> dict:
        flags = [e for e in call.store.find(table("ProctorEventLog"), _attempt=record["_attempt"])
                 if e["attributes"]["severity"] == "warning"
                 and e["attributes"]["occurredAt"] >= record["attributes"]["startedAt"]]
        return {"flagCount": len(flags)}

    @staticmethod
    def create(call, record, body) -> None:
        attempt = require_attempt(call, record)
        if attempt["attributes"]["status"] == "submitted":
            raise Conflict("A submitted attempt is no longer proctored.")
        if any(s["attributes"]["status"] == "active" for s in call.store.find(table("ProctorSession"), _attempt=attempt["id"])):
            raise Conflict("This attempt already has an active proctor session.")
        record["_attempt"] = attempt["id"]
        record["attributes"].update(status="active", startedAt=call.timestamp, endedAt=None,
                                    recordingUrl=f"{FILES}/{call.sandbox.tenant}/proctoring/{record['id']}.webm")
        record["relationships"].update(user={"type": "User", "id": linked_id(attempt, "user")},
                                       proctor={"type": "User", "id": call.user_id} if call.user_id else None)
        log(call, attempt, "proctoring.started", f"Proctoring by {record['attributes']['provider']} started.",
            session=record)
        capture(call, record, "identity")


class Review(ByAttempt):
    @staticmethod
    def create(call, record, body) -> None:
        session = call.record("ProctorSession", linked_id(record, "proctorSession") or "")
        if session is None:
            raise invalid(("relationships", "proctorSession"), "A proctor session is required.")
        attempt = get(call, session["_attempt"])
        record["_attempt"] = attempt["id"]
        record["relationships"].update(attempt=ident("Attempt", attempt),
                                       reviewer={"type": "User", "id": call.user_id} if call.user_id else None)
        verdict = record["attributes"]["verdict"]
        log(call, attempt, "proctoring.reviewed", f"Review verdict: {verdict}.",
            "warning" if verdict != "clear" else "info", session)
        if verdict == "breach" and not attempt["attributes"]["isRevoked"]:
            revoke(call, attempt, "Revoked after a proctoring review found a breach.")


class External(ByAttempt):
    @staticmethod
    def create(call, record, body) -> None:
        attempt = require_attempt(call, record)
        if attempt["attributes"]["status"] == "submitted":
            raise Conflict("A submitted attempt is no longer proctored.")
        provider = record["attributes"]["provider"]
        record["_attempt"] = attempt["id"]
        jobs.create(call, record, body, f"proctoring/{record['id']}-report.pdf")
        external = hashlib.blake2b(f"{provider}:{record['id']}".encode(), digest_size=6).hexdigest()
        record["attributes"].update(externalId=f"{provider}-{external}",
                                    launchUrl=f"https://{provider}.proctoring.example/launch/{external}")
        record["relationships"]["user"] = {"type": "User", "id": linked_id(attempt, "user")}
        log(call, attempt, "proctoring.external", f"External proctoring by {provider} launched.")


class ExternalResult(ByAttempt):
    """The provider's verdict on an external session (same id), ready RUNTIME after it started."""

    @staticmethod
    def attributes(call, record) -> dict:
        state = jobs.state(call, record)
        done = state["status"] == "complete"
        digest = int(hashlib.blake2b(record["id"].encode(), digest_size=2).hexdigest(), 16)
        score = 60 + digest % 41  # 60..100, the same for the same session
        return {"status": state["status"], "progress": state["progress"], "completedAt": state["completedAt"],
                "reportUrl": state["fileUrl"], "integrityScore": score if done else None,
                "verdict": ("clear" if score >= 75 else "suspicious") if done else None,
                "provider": record["attributes"]["provider"]}

    @staticmethod
    def relationships(call, record) -> dict:
        return {"externalProctorSession": ident("ExternalProctorSession", record)}


session, review, external, external_result = Session(), Review(), External(), ExternalResult()
