"""Marking a submitted attempt's written responses (freeText, fileUpload, audio, video).

Who marks: admins, and users assigned to the attempt in a marker role (Assign Markers, Moderating
Markers, Backreaders, Escalating Markers, Auditing Markers, Provisional Markers). Three ways in,
one rule (``enter``):

    AttemptMarkerEntry      a marker's points and feedback for one response; opens the marker's
                            AttemptMarkSession on the attempt and QuestionMarkSession on the question
    MarkableResponse        PATCH points/feedback on the response as the marking queue shows it
    MarkingEntry            an entry in a MarkingSession (one per assigned user and role, made by the
                            Assign ... endpoints); marker, moderator and escalation entries set the
                            response's marks, provisional, backreader and auditor entries are recorded
                            only (``countsTowardsResult`` false)

Marking is refused (403) on a preview, a revoked attempt or one whose Exam-V-2 is a draft, and for
callers who are not markers of the attempt; (409) before submission and after marking is
complete. ``AttemptMarksSubmission`` (or completing a counting MarkingSession) completes marking once
no response awaits marks: the attempt's score is set and its results released. MarkingState is a
marker's own working note on a response (flag, note, draft points), one per marker and response.
"""

from __future__ import annotations

from mockserver.errors import Conflict, Forbidden, NotFound
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import add, ident, linked_id, table
from mockserver.vendors.synap.rules.attempt_records import (
    RESPONSE,
    finish_marking,
    get,
    marker_ids,
    recompute,
    require_attempt,
    responses,
    save,
)
from mockserver.vendors.synap.rules import exams
from mockserver.vendors.synap.rules.ownership import Owned
from mockserver.vendors.synap.rules.player import MANUAL, require_response

SETS_MARKS = ("marker", "moderator", "escalation")  # the other roles' entries are recorded only


def exam_is_draft(call, attempt: dict) -> bool:
    """Whether the attempt's Exam-V-2 is a draft: it has no published quiz version yet (the Exams
    part's ``isPublished``, worked out from ``publishedVersion``)."""
    ident = (attempt.get("relationships") or {}).get("examV2")
    exam = call.store.get(table(exams.EXAM), ident["id"]) if ident else None
    return exam is not None and not exams.is_published(exam)


def _user(user_id: str | None) -> dict | None:
    return {"type": "User", "id": user_id} if user_id else None


# -- the one marking rule -------------------------------------------------------------------------


def guard(call, attempt: dict, marker_id: str | None = None) -> None:
    """May ``marker_id`` (default: the caller) mark this attempt now?"""
    attrs = attempt["attributes"]
    if attrs["isPreview"]:
        raise Forbidden("A preview attempt is not marked.")
    if exam_is_draft(call, attempt):
        raise Forbidden("The exam is a draft: its attempts cannot be marked.")
    if attrs["isRevoked"]:
        raise Forbidden("This attempt has been revoked: it is not marked.")
    who = marker_id or call.user_id
    if not call.is_admin and who not in marker_ids(attempt):
        raise Forbidden("Only the attempt's assigned markers can mark it.")
    if attrs["status"] != "submitted":
        raise Conflict("This attempt has not been submitted yet.")
    if attrs["resultsMarkingStatus"] == "marked":
        raise Conflict("Marking of this attempt is complete.")


def is_written(response: dict) -> bool:
    """An answered written response of a submitted attempt: what markers mark."""
    attrs = response["attributes"]
    return attrs["responseType"] in MANUAL and attrs["markingStatus"] in ("awaitingMarking", "marked")


def _written(call, attempt_id: str) -> list[dict]:
    return [r for r in responses(call.store, attempt_id) if is_written(r)]


def markable(call, attempt: dict, response: dict, pointer: tuple) -> None:
    attrs = response["attributes"]
    if response["_attempt"] != attempt["id"]:
        raise invalid(pointer, "The response is not one of this attempt's.")
    if attrs["responseType"] not in MANUAL:
        raise invalid(pointer, f"A {attrs['responseType']} response is marked automatically.")
    if attrs["markingStatus"] not in ("awaitingMarking", "marked"):
        raise invalid(pointer, "This response was not answered: there is nothing to mark.")


def check_points(points, response: dict, pointer=("attributes", "points")) -> None:
    maximum = response["attributes"]["maxPoints"]
    if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 <= points <= maximum:
        raise invalid(pointer, f"points is between 0 and the question's maxPoints ({maximum}).")


def enter(call, attempt: dict, response: dict, marker_id: str | None, points, feedback) -> dict:
    """Write a response's marks and move the attempt's marking on (inside the transaction)."""
    attrs = {**response["attributes"], "points": points, "feedback": feedback, "markingStatus": "marked",
             "marks": {"points": points, "maxPoints": response["attributes"]["maxPoints"], "credits": points,
                       "penalties": 0},
             "markedAt": call.timestamp, "updatedAt": call.timestamp}
    written = call.store.update(table(RESPONSE), response["id"], {
        "attributes": attrs, "relationships": {**response["relationships"], "markedBy": _user(marker_id)}})
    if attempt["attributes"]["resultsMarkingStatus"] == "awaitingMarking":
        save(call, attempt, resultsMarkingStatus="inProgress")
    recompute(call, attempt["id"])
    return written


def _response_of(call, record: dict, attempt: dict) -> dict:
    ident = record["relationships"].get("response")
    if ident is None:
        raise invalid(("relationships", "response"), "A response is required.")
    response = require_response(call, ident, ("relationships", "response"))
    markable(call, attempt, response, ("relationships", "response"))
    return response


# -- AttemptMarkerEntry, AttemptMarkSession, QuestionMarkSession, AttemptMarksSubmission -------------


def _session_for(call, attempt: dict, marker_id: str) -> dict:
    for session in call.store.find(table("AttemptMarkSession"), _attempt=attempt["id"], _marker=marker_id):
        return session
    return add(call, "AttemptMarkSession", {
        "status": "inProgress", "startedAt": call.timestamp, "submittedAt": None,
    }, {"attempt": ident("Attempt", attempt), "marker": _user(marker_id)}, _attempt=attempt["id"], _marker=marker_id)


def _question_session_for(call, response: dict, marker_id: str) -> dict:
    question = response["attributes"]["questionId"]
    for session in call.store.find(table("QuestionMarkSession"), _question=question, _marker=marker_id):
        return session
    attrs = response["attributes"]
    return add(call, "QuestionMarkSession", {
        "questionId": question, "prompt": attrs["prompt"], "responseType": attrs["responseType"],
        "startedAt": call.timestamp,
    }, {"marker": _user(marker_id)}, _question=question, _marker=marker_id)


class MarkerEntry(Owned):
    @staticmethod
    def create(call, record, body) -> None:
        attempt = require_attempt(call, record)
        guard(call, attempt)
        response = _response_of(call, record, attempt)
        attrs = record["attributes"]
        check_points(attrs.get("points"), response)
        enter(call, attempt, response, call.user_id, attrs["points"], attrs.get("feedback"))
        session = _session_for(call, attempt, call.user_id)
        question = _question_session_for(call, response, call.user_id)
        record.update(_attempt=attempt["id"], _marker=call.user_id)
        record["relationships"].update(marker=_user(call.user_id), markSession=ident("AttemptMarkSession", session),
                                       questionMarkSession=ident("QuestionMarkSession", question))


class MarkSession(Owned):
    @staticmethod
    def attributes(call, record) -> dict:
        entries = call.store.find(table("AttemptMarkerEntry"), _attempt=record["_attempt"], _marker=record["_marker"])
        written = _written(call, record["_attempt"])
        return {"entryCount": len(entries), "markableCount": len(written),
                "markedCount": sum(1 for r in written if r["attributes"]["markingStatus"] == "marked")}


class QuestionSession(Owned):
    @staticmethod
    def attributes(call, record) -> dict:
        question, marker = record["_question"], record["_marker"]
        marked = awaiting = 0
        for response in call.store.rows(table(RESPONSE)):
            if response["attributes"]["questionId"] != question:
                continue
            status = response["attributes"]["markingStatus"]
            if status == "marked" and linked_id(response, "markedBy") == marker:
                marked += 1
            elif status == "awaitingMarking":
                attempt = get(call, response["_attempt"])
                if attempt is not None and marker in marker_ids(attempt):
                    awaiting += 1
        return {"markedCount": marked, "awaitingCount": awaiting, "status": "inProgress" if awaiting else "complete"}


class MarksSubmission(Owned):
    @staticmethod
    def create(call, record, body) -> None:
        attempt = require_attempt(call, record)
        guard(call, attempt)
        attempt = finish_marking(call, attempt)
        for session in call.store.find(table("AttemptMarkSession"), _attempt=attempt["id"]):
            call.store.update(table("AttemptMarkSession"), session["id"], {"attributes": {
                **session["attributes"], "status": "submitted", "submittedAt": call.timestamp}})
        record.update(_attempt=attempt["id"], _marker=call.user_id)
        record["attributes"].update(points=attempt["attributes"]["marks"]["points"],
                                    maxPoints=attempt["attributes"]["marks"]["maxPoints"],
                                    score=attempt["attributes"]["score"])
        record["relationships"]["marker"] = _user(call.user_id)


# -- MarkableResponse: the marking queue ------------------------------------------------------------


def _queued(call, response: dict) -> bool:
    if not is_written(response):
        return False
    attempt = get(call, response["_attempt"])
    return attempt is not None and (call.is_admin or call.user_id in marker_ids(attempt))


class Markable:
    @staticmethod
    def visible(call, rows) -> list:
        return [r for r in rows if _queued(call, r)]

    @staticmethod
    def allow(call, action, record) -> None:
        if record is not None and not _queued(call, record):
            raise NotFound(f"No MarkableResponse with id {record['id']!r}")

    @staticmethod
    def attributes(call, record) -> dict:
        attempt = get(call, record["_attempt"])
        return {"attemptMarkingStatus": attempt["attributes"]["resultsMarkingStatus"] if attempt else None}

    @staticmethod
    def update(call, record, changes) -> None:
        attempt = get(call, record["_attempt"])
        guard(call, attempt)
        points = changes.get("points", record["attributes"]["points"])
        if points is None:
            raise invalid(("attributes", "points"), "points is required to mark a response.")
        check_points(points, record)
        written = enter(call, attempt, record, call.user_id, points,
                        changes.get("feedback", record["attributes"]["feedback"]))
        changes.update(written["attributes"])


# -- MarkingSession, MarkingEntry ---------------------------------------------------------------------


def sessions_assigned(call, attempt: dict, role: str, user_ids: list[str]) -> None:
    for user_id in user_ids:
        kept = call.store.find(table("MarkingSession"), _attempt=attempt["id"], _marker=user_id, _role=role)
        if kept:  # assigned again after being unassigned: the old session carries on
            session = kept[0]
            status = "inProgress" if _entries(call, session) else "notStarted"
            call.store.update(table("MarkingSession"), session["id"], {"attributes": {**session["attributes"], "status": status}})
            continue
        add(call, "MarkingSession", {
            "role": role, "status": "notStarted", "startedAt": None, "completedAt": None, "notes": None,
        }, {"attempt": ident("Attempt", attempt), "marker": _user(user_id)},
            _attempt=attempt["id"], _marker=user_id, _role=role)


def sessions_unassigned(call, attempt: dict, role: str, user_ids: list[str]) -> None:
    for user_id in user_ids:
        for session in call.store.find(table("MarkingSession"), _attempt=attempt["id"], _marker=user_id, _role=role):
            if _entries(call, session):
                call.store.update(table("MarkingSession"), session["id"], {"attributes": {
                    **session["attributes"], "status": "unassigned", "updatedAt": call.timestamp}})
            else:
                call.store.delete(table("MarkingSession"), session["id"])


def _entries(call, session: dict) -> list[dict]:
    return call.store.find(table("MarkingEntry"), _session=session["id"])


def _markable_ids(call, attempt_id: str) -> set[str]:
    return {r["id"] for r in _written(call, attempt_id)}


class MarkingSession(Owned):
    @staticmethod
    def attributes(call, record) -> dict:
        wanted = _markable_ids(call, record["_attempt"])
        done = {linked_id(e, "response") for e in _entries(call, record)} & wanted
        return {"entryCount": len(_entries(call, record)), "markableCount": len(wanted),
                "progress": round(100 * len(done) / len(wanted)) if wanted else 100}

    @staticmethod
    def update(call, record, changes) -> None:
        status = changes.get("status", record["attributes"]["status"])
        current = record["attributes"]["status"]
        if status == current:
            return
        if current in ("completed", "unassigned"):
            raise Conflict(f"This marking session is {current}.")
        if status != "completed":
            raise invalid(("attributes", "status"), "A marking session can only be set to completed.")
        attempt = get(call, record["_attempt"])
        missing = _markable_ids(call, attempt["id"]) - {linked_id(e, "response") for e in _entries(call, record)}
        if missing:
            raise Conflict(f"{len(missing)} response(s) have no entry in this session yet.")
        changes["completedAt"] = call.timestamp
        if record["_role"] in SETS_MARKS and attempt["attributes"]["resultsMarkingStatus"] != "marked":
            finish_marking(call, attempt)


class MarkingEntry(Owned):
    @staticmethod
    def _open(call, session: dict) -> dict:
        if not marking_session.mine(call, session):
            raise Forbidden("Only the session's marker can enter marks in it.")
        if session["attributes"]["status"] in ("completed", "unassigned"):
            raise Conflict(f"This marking session is {session['attributes']['status']}.")
        attempt = get(call, session["_attempt"])
        guard(call, attempt, session["_marker"])
        return attempt

    @staticmethod
    def create(call, record, body) -> None:
        session = call.record("MarkingSession", linked_id(record, "markingSession") or "")
        if session is None:
            raise invalid(("relationships", "markingSession"), "A marking session is required.")
        attempt = MarkingEntry._open(call, session)
        response = _response_of(call, record, attempt)
        if any(linked_id(e, "response") == response["id"] for e in _entries(call, session)):
            raise Conflict("This session already has an entry for the response: update that entry.")
        attrs = record["attributes"]
        check_points(attrs.get("points"), response)
        counts = session["_role"] in SETS_MARKS
        if counts:
            enter(call, attempt, response, session["_marker"], attrs["points"], attrs.get("feedback"))
        if session["attributes"]["status"] == "notStarted":
            call.store.update(table("MarkingSession"), session["id"], {"attributes": {
                **session["attributes"], "status": "inProgress", "startedAt": call.timestamp}})
        attrs.update(role=session["_role"], countsTowardsResult=counts)
        record.update(_attempt=attempt["id"], _marker=session["_marker"], _session=session["id"])
        record["relationships"].update(attempt=ident("Attempt", attempt), marker=_user(session["_marker"]))

    @staticmethod
    def update(call, record, changes) -> None:
        session = call.record("MarkingSession", record["_session"])
        attempt = MarkingEntry._open(call, session)
        response = call.store.get(table(RESPONSE), linked_id(record, "response"))
        points = changes.get("points", record["attributes"]["points"])
        check_points(points, response)
        if record["attributes"]["countsTowardsResult"]:
            enter(call, attempt, response, session["_marker"], points,
                  changes.get("feedback", record["attributes"]["feedback"]))


# -- MarkingState -------------------------------------------------------------------------------------


class MarkingState(Owned):
    @staticmethod
    def create(call, record, body) -> None:
        given = record["relationships"].get("response")
        if given is None:
            raise invalid(("relationships", "response"), "A response is required.")
        response = require_response(call, given, ("relationships", "response"))
        attempt = get(call, response["_attempt"])
        if not call.is_admin and call.user_id not in marker_ids(attempt):
            raise Forbidden("Only the attempt's assigned markers keep marking states on its responses.")
        if call.store.find(table("MarkingState"), _response=response["id"], _marker=call.user_id):
            raise Conflict("You already have a marking state for this response: update it.")
        _check_draft(record["attributes"].get("draftPoints"), response)
        record.update(_attempt=attempt["id"], _marker=call.user_id, _response=response["id"])
        record["relationships"].update(attempt=ident("Attempt", attempt), user=_user(call.user_id))

    @staticmethod
    def update(call, record, changes) -> None:
        if "draftPoints" in changes:
            _check_draft(changes["draftPoints"], call.store.get(table(RESPONSE), record["_response"]))


def _check_draft(points, response: dict) -> None:
    if points is not None:
        check_points(points, response, ("attributes", "draftPoints"))


# a marker's own records: the marker is kept in the private ``_marker`` field
marker_entry = MarkerEntry("AttemptMarkerEntry", key="_marker")
mark_session = MarkSession("AttemptMarkSession", key="_marker")
question_session = QuestionSession("QuestionMarkSession", key="_marker")
marks_submission = MarksSubmission("AttemptMarksSubmission", key="_marker")
markable_response = Markable()
marking_session = MarkingSession("MarkingSession", key="_marker")
marking_entry = MarkingEntry("MarkingEntry", key="_marker")
marking_state = MarkingState("MarkingState", key="_marker")
