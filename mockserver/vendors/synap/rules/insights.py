"""Insights: a Chart's Chart.js ``data`` and a CustomInsight's headline ``value`` are worked out from
the store when read, by the metric they name; InsightsTagBreakdown aggregates the exams'
ExamQuestionStats per tag (computed, never stored).

    assignmentStatus             assignments per status (revoked apart)      value: % complete
    examAttemptStatus            the Attempts part's attempts per status     value: attempts
    usersByGroup                 members of each non-archived UserGroup      value: users
    assignmentCompletionByGroup  % complete per assignment group             value: mean of those %

Engine workaround (as markers_inbox.py): the generic list asks ``visible`` for the caller's rows;
for the computed tag breakdown those are the rows worked out here.
"""

from __future__ import annotations

from collections import Counter

from mockserver.vendors.synap.records import linked_id, rows, table
from mockserver.vendors.synap.rules import assignments, user_groups
from mockserver.vendors.synap.rules.exam_views import by_tag, weighted

STATUSES = ("notStarted", "inProgress", "complete")


def _assignment_status(call) -> dict[str, int]:
    every = call.store.rows(table(assignments.TYPE))
    counts = Counter("revoked" if a["attributes"].get("isRevoked") else a["attributes"]["status"] for a in every)
    return {s: counts[s] for s in (*STATUSES, "revoked")}


def _completion_by_group(call) -> dict[str, float]:
    out = {}
    for group in call.store.rows(table("AssignmentGroup")):
        live = [a for a in assignments.of_group(call, group["id"]) if not a["attributes"].get("isRevoked")]
        done = sum(1 for a in live if a["attributes"]["status"] == "complete")
        out[group["attributes"]["name"]] = round(100 * done / len(live), 2) if live else 0.0
    return out


def series(call, metric: str) -> tuple[str, dict]:
    """(dataset label, label -> value) of a metric."""
    if metric == "assignmentStatus":
        return "Assignments", _assignment_status(call)
    if metric == "examAttemptStatus":
        return "Attempts", dict(sorted(Counter(str(a["attributes"].get("status")) for a in rows(call, "Attempt")).items()))
    if metric == "usersByGroup":
        groups = [g for g in call.store.rows(table("UserGroup")) if not g["attributes"].get("isArchived")]
        return "Members", {g["attributes"]["name"]: len(user_groups.members(call.store, g["id"])) for g in groups}
    return "% complete", _completion_by_group(call)


def headline(call, metric: str) -> float | None:
    _, values = series(call, metric)
    if metric == "assignmentStatus":
        live = sum(values[s] for s in STATUSES)
        return round(100 * values["complete"] / live, 2) if live else None
    if metric == "usersByGroup":
        return float(len(call.store.rows(table("User"))))
    if metric == "assignmentCompletionByGroup":
        return round(sum(values.values()) / len(values), 2) if values else None
    return float(sum(values.values()))


class Chart:
    def attributes(self, call, record) -> dict:
        label, values = series(call, record["attributes"]["metric"])
        return {"data": {"labels": list(values), "datasets": [{"label": label, "data": list(values.values())}]}}


class Custom:
    def attributes(self, call, record) -> dict:
        return {"value": headline(call, record["attributes"]["metric"])}


class TagBreakdowns:
    def visible(self, call, _rows) -> list[dict]:
        stats = call.store.rows(table("ExamQuestionStats"))
        return [{"id": tag, "attributes": {
            "tag": tag, "examCount": len({linked_id(r, "examV2") for r in tagged}), "questionCount": len(tagged),
            "attemptCount": sum(r["attributes"].get("attemptCount") or 0 for r in tagged),
            "averagePercentage": weighted(tagged)}, "relationships": {}} for tag, tagged in by_tag(stats).items()]


chart = Chart()
custom = Custom()
tag_breakdowns = TagBreakdowns()
