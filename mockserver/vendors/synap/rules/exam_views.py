"""Read-only views of an exam (same id as the exam, on its table), worked out when read:
ExamAttemptHeadlineInsight and ExamHall from the Attempts part's attempts of the exam and the
members of its userGroup; ExamTestTagBreakdown from the exam's ExamQuestionStats."""

from __future__ import annotations

from collections import Counter

from mockserver.vendors.synap.records import linked_id, linking
from mockserver.vendors.synap.rules import exam_timing, user_groups
from mockserver.vendors.synap.rules.attempt_records import of_exam


def _exam_link(call, record) -> dict:
    return {"examV2": {"type": "Exam-V-2", "id": record["id"]}}


def candidates(call, exam: dict) -> list[dict]:
    group = linked_id(exam, "userGroup")
    return user_groups.members(call.store, group) if group else []


def attempt_counts(attempts: list[dict]) -> dict:
    return {"attemptsByStatus": dict(sorted(Counter(str(a["attributes"].get("status")) for a in attempts).items())),
            "revokedCount": sum(1 for a in attempts if a["attributes"].get("isRevoked"))}


class Headline:
    relationships = staticmethod(_exam_link)

    def attributes(self, call, record) -> dict:
        attempts = of_exam(call.store, record["id"])
        scores = [a["attributes"]["score"] for a in attempts
                  if not a["attributes"].get("isRevoked") and isinstance(a["attributes"].get("score"), (int, float))]
        return {"candidateCount": len(candidates(call, record)), "attemptCount": len(attempts),
                **attempt_counts(attempts),
                "averageScore": round(sum(scores) / len(scores), 2) if scores else None,
                "highestScore": max(scores) if scores else None, "lowestScore": min(scores) if scores else None}


class Hall:
    def relationships(self, call, record) -> dict:
        return {**_exam_link(call, record), "userGroup": record["relationships"].get("userGroup"),
                "schedule": record["relationships"].get("schedule")}

    def attributes(self, call, record) -> dict:
        attempts = of_exam(call.store, record["id"])
        started = {linked_id(a, "user") for a in attempts}
        people = candidates(call, record)
        schedule = exam_timing.schedule_of(call, record)
        timing = (schedule or {}).get("attributes") or {}
        return {"name": record["attributes"]["name"],
                "scheduleStatus": exam_timing.status(call, schedule, record["id"]),
                "startsAt": timing.get("startsAt"), "endsAt": timing.get("endsAt"),
                "candidateCount": len(people), "notStartedCount": sum(1 for u in people if u["id"] not in started),
                **attempt_counts(attempts), "lockedByDefault": bool(record["attributes"].get("lockedByDefault"))}


def weighted(rows: list[dict]) -> float | None:
    """The attempt-weighted average percentage of question stats (None without attempts)."""
    weight = sum(r["attributes"].get("attemptCount") or 0 for r in rows if r["attributes"].get("averagePercentage") is not None)
    if not weight:
        return None
    total = sum((r["attributes"].get("attemptCount") or 0) * r["attributes"]["averagePercentage"]
                for r in rows if r["attributes"].get("averagePercentage") is not None)
    return round(total / weight, 2)


def by_tag(rows: list[dict]) -> dict[str, list[dict]]:
    tags: dict[str, list[dict]] = {}
    for row in rows:
        for tag in row["attributes"].get("tags") or []:
            tags.setdefault(tag, []).append(row)
    return dict(sorted(tags.items()))


class TagBreakdown:
    relationships = staticmethod(_exam_link)

    def attributes(self, call, record) -> dict:
        stats = linking(call.store, "ExamQuestionStats", "examV2", record["id"])
        return {"tags": [{"tag": tag, "questionCount": len(rows),
                          "attemptCount": sum(r["attributes"].get("attemptCount") or 0 for r in rows),
                          "averagePercentage": weighted(rows)} for tag, rows in by_tag(stats).items()]}


headline = Headline()
hall = Hall()
tag_breakdown = TagBreakdown()
