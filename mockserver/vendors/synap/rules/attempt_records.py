"""What every part reads and writes of an attempt (the Attempts part's records; the Attempt type's
hooks are in rules/attempts.py): the attempt and the rows that belong to it, who sees it, the guards
on a candidate's actions and the sum of its marks.

Who sees an attempt: admins, its candidate (``user``), its ``owner`` and anyone assigned to mark it
in any role. A revoked attempt withholds its results; a locked one refuses answers and submissions
(403) until unlocked. Other parts read an attempt's state through the predicates here (``status``
created|started|submitted, ``resultsMarkingStatus`` notSubmitted|awaitingMarking|inProgress|marked),
never through spellings guessed elsewhere.
"""

from __future__ import annotations

from mockserver.errors import Conflict, Forbidden, NotFound
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import linked_id, linking, table

RESPONSE = "MarkableResponse"  # every Player*Response type shares one table; this type reads them all

# relationship of the attempt -> the role its users mark in (Assign/Unassign ... Markers)
MARKER_ROLES = {
    "markers": "marker", "moderatingMarkers": "moderator", "backreaders": "backreader",
    "escalatingMarkers": "escalation", "auditingMarkers": "auditor", "provisionalMarkers": "provisional",
}


def get(call, attempt_id: str | None) -> dict | None:
    return call.record("Attempt", attempt_id) if attempt_id else None


def marker_ids(attempt: dict, roles=tuple(MARKER_ROLES)) -> set[str]:
    rels = attempt.get("relationships") or {}
    return {ident["id"] for name in roles for ident in rels.get(name) or []}


def can_see(call, attempt: dict) -> bool:
    if call.is_admin:
        return True
    me = call.user_id
    return me is not None and (me in (linked_id(attempt, "user"), linked_id(attempt, "owner"))
                               or me in marker_ids(attempt))


def is_candidate(call, attempt: dict) -> bool:
    return call.is_admin or call.user_id == linked_id(attempt, "user")


def require_attempt(call, record: dict, pointer=("relationships", "attempt")) -> dict:
    """The attempt a request's record names in ``relationships.attempt`` (400 without one)."""
    attempt = get(call, linked_id(record, "attempt"))
    if attempt is None:
        raise invalid(pointer, "An attempt is required.")
    if not can_see(call, attempt):
        raise NotFound(f"No Attempt with id {attempt['id']!r}")
    return attempt


def attempt_id_of(row: dict) -> str | None:
    return row.get("_attempt") or linked_id(row, "attempt")


def allow_by_attempt(call, action, record) -> None:
    """Types that belong to one attempt: seen by whoever sees the attempt, changed by admins."""
    if record is not None:
        attempt = get(call, attempt_id_of(record))
        if attempt is None or not can_see(call, attempt):
            raise NotFound(f"No such resource with id {record['id']!r}")
    if action not in ("list", "show") and not call.is_admin:
        raise Forbidden("Only portal administrators can do this.")


def visible_by_attempt(call, rows) -> list:
    if call.is_admin:
        return rows
    seen: dict[str, bool] = {}
    out = []
    for row in rows:
        attempt_id = attempt_id_of(row)
        if attempt_id not in seen:
            attempt = get(call, attempt_id)
            seen[attempt_id] = attempt is not None and can_see(call, attempt)
        if seen[attempt_id]:
            out.append(row)
    return out


class ByAttempt:
    """The hooks of a type whose rows belong to one attempt and change only by rules or admins."""

    allow = staticmethod(allow_by_attempt)
    visible = staticmethod(visible_by_attempt)


class OpenCreate(ByAttempt):
    """An action anyone who sees the attempt may ask for; its rule says whether they may."""

    @staticmethod
    def allow(call, action, record) -> None:
        if action != "create":
            allow_by_attempt(call, action, record)


by_attempt = ByAttempt()


def save(call, attempt: dict, **attributes) -> dict:
    return call.store.update(table("Attempt"), attempt["id"], {
        "attributes": {**attempt["attributes"], **attributes, "updatedAt": call.timestamp}})


def _members(store, attempt_id: str, name: str, type_name: str) -> list[dict]:
    # through the attempt's own links: a few lookups, not a scan of every attempt's rows
    attempt = store.get(table("Attempt"), attempt_id) or {}
    rows = [store.get(table(type_name), ident["id"]) for ident in (attempt.get("relationships") or {}).get(name) or []]
    return sorted((r for r in rows if r is not None), key=lambda r: r["attributes"]["position"])


def responses(store, attempt_id: str) -> list[dict]:
    return _members(store, attempt_id, "responses", RESPONSE)


def sections(store, attempt_id: str) -> list[dict]:
    return _members(store, attempt_id, "sections", "PlayerSection")


def visible_attempts(call, rows) -> list:
    return rows if call.is_admin else [r for r in rows if can_see(call, r)]


# -- what other parts read of an attempt (the vocabulary of AttemptAttributes' enums) ---------------

SUBMITTED = "submitted"  # status: created -> started -> submitted
MARKING_OPEN = ("awaitingMarking", "inProgress")  # resultsMarkingStatus between notSubmitted and marked


def is_submitted(attempt: dict) -> bool:
    return attempt["attributes"]["status"] == SUBMITTED


def awaiting_marking(attempt: dict) -> bool:
    """Submitted and not yet marked, and to be marked at all (not revoked, not a preview)."""
    attrs = attempt["attributes"]
    return (is_submitted(attempt) and attrs["resultsMarkingStatus"] in MARKING_OPEN
            and not attrs["isRevoked"] and not attrs["isPreview"])


def of_exam(store, exam_id: str) -> list[dict]:
    """The candidates' attempts of an exam (previews are an author's, not a candidate's)."""
    return [a for a in linking(store, "Attempt", "examV2", exam_id) if not a["attributes"]["isPreview"]]


# -- guards ---------------------------------------------------------------------------------------


def guard_candidate(call, attempt: dict, doing: str, starting: bool = False) -> None:
    """The candidate (or an admin) acting on a started attempt (``starting``: or on one not yet
    started): answering, moving, submitting, sitting."""
    if not is_candidate(call, attempt):
        raise Forbidden(f"Only the candidate can {doing}.")
    attrs = attempt["attributes"]
    if attrs["isRevoked"]:
        raise Forbidden(f"This attempt has been revoked: you cannot {doing}.")
    if attrs["isLocked"]:
        raise Forbidden(f"This attempt is locked: you cannot {doing} until it is unlocked.")
    if attrs["status"] == "created" and not starting:
        raise Conflict(f"This attempt has not been started: you cannot {doing}.")
    if attrs["status"] == "submitted":
        raise Conflict(f"This attempt has been submitted: you cannot {doing}.")


# -- marks ----------------------------------------------------------------------------------------


def recompute(call, attempt_id: str) -> dict:
    """Sum the responses' marks into the attempt (an override replaces the points); ``score`` is set
    once marking is complete."""
    attempt = get(call, attempt_id)
    if attempt["attributes"]["status"] != "submitted":
        return attempt
    total = {"points": 0, "maxPoints": 0, "credits": 0, "penalties": 0}
    for response in responses(call.store, attempt_id):
        marks = response["attributes"].get("marks") or {}
        total["maxPoints"] += response["attributes"]["maxPoints"]
        for key in ("points", "credits", "penalties"):
            total[key] += marks.get(key) or 0
    override = attempt.get("_override")
    if override is not None:
        total["points"] = override
    score = None
    if attempt["attributes"]["resultsMarkingStatus"] == "marked":
        score = round(100 * total["points"] / total["maxPoints"], 2) if total["maxPoints"] else 0
    return save(call, attempt, marks=total, score=score)


def finish_marking(call, attempt: dict) -> dict:
    """Marking complete: every written response that was answered has its marks (409 otherwise)."""
    waiting = [r for r in responses(call.store, attempt["id"]) if r["attributes"]["markingStatus"] == "awaitingMarking"]
    if waiting:
        raise Conflict(f"{len(waiting)} response(s) still need marks before marking can be completed.")
    attempt = save(call, attempt, resultsMarkingStatus="marked", markedAt=call.timestamp)
    return recompute(call, attempt["id"])


def results_status(record: dict) -> str:
    attrs = record["attributes"]
    if attrs["isRevoked"]:
        return "withheld"
    if attrs["status"] != "submitted":
        return "notAvailable"
    return "released" if attrs["resultsMarkingStatus"] == "marked" else "pending"


# -- the rows that belong to an attempt -----------------------------------------------------------


def discard(call, attempt: dict) -> None:
    """Delete an attempt's own records (a discarded attempt, PlayerAttempt delete)."""
    for type_name in TYPES_BY_ATTEMPT:
        for row in call.store.rows(table(type_name)):
            if row.get("_attempt") == attempt["id"] or linked_id(row, "attempt") == attempt["id"]:
                call.store.delete(table(type_name), row["id"])


# The types whose rows belong to one attempt (``_attempt`` or ``relationships.attempt``).
TYPES_BY_ATTEMPT = (
    RESPONSE, "PlayerSection", "PlayerEmqGroup", "AttemptSchedule", "AttemptTimer", "AttemptLock", "AttemptRevocation",
    "AttemptSitting", "AttemptSubmission", "ExamPreview", "AttemptOverride", "AttemptTimerReset",
    "AttemptMarkSession", "AttemptMarkerEntry", "AttemptMarksSubmission",
    "MarkingSession", "MarkingEntry", "MarkingState", "ProctorSession",
    "ExternalProctorSession", "ProctorCapture", "ProctorEventLog", "ProctorReview",
)
