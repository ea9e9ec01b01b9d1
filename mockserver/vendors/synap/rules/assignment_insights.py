"""Read-only views of the Assignments group, worked out when read (same id as what they describe):
AssignmentGroupHeadlineInsight (a group's assignments), AssignmentHeadlineInsight (one assignment's
items) and AssignmentScormResult (a Scorm item's status, score, time and cmi data)."""

from __future__ import annotations

from collections import Counter

from mockserver.vendors.synap.records import ident, linked_id, table
from mockserver.vendors.synap.rules import assignments


def _mean(values: list) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


class Group:
    def relationships(self, call, record) -> dict:
        return {"assignmentGroup": ident("AssignmentGroup", record)}

    def attributes(self, call, record) -> dict:
        every = assignments.of_group(call, record["id"])
        live = [a["attributes"] for a in every if not a["attributes"].get("isRevoked")]
        status = Counter(a["status"] for a in live)
        scores = [a["score"] for a in live if isinstance(a.get("score"), (int, float))]
        return {"assignmentCount": len(every), "notStartedCount": status["notStarted"],
                "inProgressCount": status["inProgress"], "completeCount": status["complete"],
                "revokedCount": len(every) - len(live), "overdueCount": sum(1 for a in live if assignments.overdue(call, a)),
                "completionRate": round(status["complete"] / len(live), 4) if live else 0,
                "averageProgress": _mean([a.get("progress") or 0 for a in live]), "averageScore": _mean(scores),
                "averageTimeSpentSeconds": _mean([a.get("timeSpentSeconds") or 0 for a in live])}


class Assignment:
    def allow(self, call, action, record) -> None:
        if record is not None:
            assignments.require_own(call, record, "AssignmentHeadlineInsight", record["id"])

    def relationships(self, call, record) -> dict:
        return {"assignment": ident("Assignment", record)}

    def attributes(self, call, record) -> dict:
        items = [i["attributes"] for i in assignments.items_of(call, record["id"])]
        attrs = record["attributes"]
        return {"itemCount": len(items), "completeItemCount": sum(1 for i in items if i["status"] == "complete"),
                "awaitingReviewCount": sum(1 for i in items if i["status"] == "awaitingReview"),
                "progress": attrs.get("progress") or 0, "score": attrs.get("score"),
                "timeSpentSeconds": attrs.get("timeSpentSeconds") or 0, "isOverdue": assignments.overdue(call, attrs),
                "itemsByType": dict(sorted(Counter(i["itemType"] for i in items).items()))}


class ScormResult:
    def allow(self, call, action, record) -> None:
        if record is not None:
            owner = call.store.get(table(assignments.TYPE), linked_id(record, "assignment") or "")
            assignments.require_own(call, owner, "AssignmentScormResult", record["id"])

    def relationships(self, call, record) -> dict:
        return {"assignmentItem": ident("AssignmentItemScorm", record)}

    def attributes(self, call, record) -> dict:
        attrs = record["attributes"]
        cmi = attrs.get("cmi") or {}
        score = attrs.get("score")
        if attrs["status"] == "complete":
            lesson = "completed" if score is None else ("passed" if score >= 50 else "failed")
        else:
            lesson = "not attempted" if attrs["status"] == "notStarted" else "incomplete"
        return {"lessonStatus": lesson, "scoreRaw": score, "scoreMin": 0, "scoreMax": 100,
                "totalTimeSeconds": attrs.get("timeSpentSeconds") or 0,
                "location": cmi.get("cmi.location") or cmi.get("location"),
                "suspendData": cmi.get("cmi.suspend_data") or cmi.get("suspendData"),
                "completedAt": attrs.get("completedAt")}


group = Group()
assignment = Assignment()
scorm_result = ScormResult()
