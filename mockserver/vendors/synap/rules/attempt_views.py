"""Read-side views of attempts, worked out from the attempts and their responses when read, so they
always agree with the attempt (each has the attempt's id and links it as ``attempt``):

    PlayerAttempt           the candidate's side: position, time left; PATCH moves, DELETE discards
                            an unsubmitted attempt
    AttemptPlayerState      what the player shows: answered, flagged and unanswered positions...
    AttemptChart            marks per section and per response kind
    AttemptInsight          answered/correct/incorrect counts and time spent
    AttemptResultConfig     what the candidate may see of the result, and since when
    EnrichedAttempt         an attempt with its candidate's and exam's details (no previews)
    EnrichedAttemptOption   the values EnrichedAttempts can be filtered by, with counts
    AttemptTagLabel         the distinct ``tagLabels`` of attempts, with counts
    ExportEnrichedAttempt   a CSV/XLSX export of EnrichedAttempts, a job on the sandbox clock
"""

from __future__ import annotations

import hashlib

from mockserver.clock import parse
from mockserver.errors import Conflict, Forbidden, InvalidRequest, NotFound
from mockserver.vendors.synap import paging
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import linked_id
from mockserver.vendors.synap.rules import access, attempt_timing, jobs
from mockserver.vendors.synap.rules.attempt_records import (
    can_see,
    discard,
    guard_candidate,
    is_candidate,
    marker_ids,
    responses,
    results_status,
    sections,
    visible_attempts,
)


def _responses(call, attempt_id: str) -> list[dict]:
    return responses(call.store, attempt_id)


def _answered(rows) -> list[dict]:
    return [r for r in rows if r["attributes"]["answer"] is not None]


class View:
    """A view type on the attempts table: whoever sees the attempt sees its view; read-only."""

    exclude_previews = False

    def visible(self, call, rows) -> list:
        rows = visible_attempts(call, rows)
        return [r for r in rows if not r["attributes"]["isPreview"]] if self.exclude_previews else rows

    def allow(self, call, action, record) -> None:
        if record is not None and not can_see(call, record):
            raise NotFound(f"No such resource with id {record['id']!r}")

    def relationships(self, call, record) -> dict:
        return {"attempt": {"type": "Attempt", "id": record["id"]}}


class PlayerAttempt(View):
    def attributes(self, call, record) -> dict:
        rows = _responses(call, record["id"])
        return {"timeRemainingSeconds": attempt_timing.remaining(call, record), "questionCount": len(rows),
                "answeredCount": len(_answered(rows))}

    def relationships(self, call, record) -> dict:
        position = record["attributes"].get("currentPosition")
        at = next((r for r in _responses(call, record["id"]) if r["attributes"]["position"] == position), None)
        section = linked_id(at, "section") if at else None
        return {**super().relationships(call, record),
                "currentSection": {"type": "PlayerSection", "id": section} if section else None}

    def update(self, call, record, changes) -> None:
        guard_candidate(call, record, "move through this attempt")
        position = changes.get("currentPosition")
        count = len(record["relationships"].get("responses") or [])
        if position is not None and not (isinstance(position, int) and 1 <= position <= count):
            raise invalid(("attributes", "currentPosition"), f"currentPosition is a question position, 1 to {count}.")

    def delete(self, call, record) -> None:
        if not is_candidate(call, record):
            raise Forbidden("Only the candidate or an administrator can discard an attempt.")
        if record["attributes"]["status"] == "submitted":
            raise Conflict("A submitted attempt cannot be discarded.")
        discard(call, record)


class PlayerState(View):
    def attributes(self, call, record) -> dict:
        rows = _responses(call, record["id"])
        attrs = record["attributes"]
        asked = [r for r in rows if r["attributes"]["responseType"] != "informational"]
        completed = [s for s in sections(call.store, record["id"]) if s["attributes"]["isCompleted"]]
        return {
            "status": attrs["status"], "currentPosition": attrs.get("currentPosition"),
            "questionCount": len(rows), "answeredCount": len(_answered(asked)),
            "flaggedPositions": [r["attributes"]["position"] for r in rows if r["attributes"]["flagged"]],
            "unansweredPositions": [r["attributes"]["position"] for r in asked if r["attributes"]["answer"] is None],
            "completedSectionCount": len(completed), "remainingSeconds": attempt_timing.remaining(call, record),
            "isLocked": attrs["isLocked"],
            "canSubmit": attrs["status"] == "started" and not attrs["isLocked"] and not attrs["isRevoked"],
        }


def _sum(rows) -> dict:
    points = sum(((r["attributes"]["marks"] or {}).get("points") or 0) for r in rows)
    return {"points": points, "maxPoints": sum(r["attributes"]["maxPoints"] for r in rows)}


class Chart(View):
    exclude_previews = True

    def attributes(self, call, record) -> dict:
        rows = _responses(call, record["id"])
        marks = record["attributes"]["marks"]
        by_section, kinds = {}, {}
        for row in rows:
            by_section.setdefault(linked_id(row, "section"), []).append(row)
            kinds.setdefault(row["attributes"]["responseType"], []).append(row)
        titles = {s["id"]: s["attributes"]["title"] for s in sections(call.store, record["id"])}
        return {
            "points": marks["points"] if marks else None, "maxPoints": marks["maxPoints"] if marks else None,
            "percentage": round(100 * marks["points"] / marks["maxPoints"], 2) if marks and marks["maxPoints"] else None,
            "sections": [{"title": titles.get(sid), **_sum(group)} for sid, group in by_section.items()],
            "responseTypes": [{"responseType": kind, **_sum(group)} for kind, group in sorted(kinds.items())],
        }


class Insight(View):
    exclude_previews = True

    def attributes(self, call, record) -> dict:
        rows = [r for r in _responses(call, record["id"]) if r["attributes"]["responseType"] != "informational"]
        marked = [r for r in rows if r["attributes"]["marks"] is not None]
        full = [r for r in marked if r["attributes"]["marks"]["points"] == r["attributes"]["maxPoints"]]
        none = [r for r in marked if r["attributes"]["marks"]["points"] == 0]
        timer = attempt_timing.timer_of(call, record)
        return {
            "questionCount": len(rows), "answeredCount": len(_answered(rows)),
            "unansweredCount": len(rows) - len(_answered(rows)),
            "flaggedCount": sum(1 for r in rows if r["attributes"]["flagged"]),
            "correctCount": len(full), "incorrectCount": len(none),
            "partiallyCorrectCount": len(marked) - len(full) - len(none),
            "awaitingMarkingCount": sum(1 for r in rows if r["attributes"]["markingStatus"] == "awaitingMarking"),
            "timeSpentSeconds": int(attempt_timing.elapsed(call, timer)) if timer else None,
        }


class ResultConfig(View):
    exclude_previews = True

    def attributes(self, call, record) -> dict:
        status = results_status(record)
        released = status == "released"
        feedback = any(r["attributes"]["feedback"] for r in _responses(call, record["id"]))
        return {"resultsStatus": status, "showScore": released, "showMarks": released,
                "showCorrectAnswers": released, "showFeedback": released and feedback,
                "releasedAt": record["attributes"]["markedAt"] if released else None}


def _exam_title(call, record: dict) -> str | None:
    ident = (record.get("relationships") or {}).get("examV2")
    rt = call.registry.get(ident["type"]) if ident else None
    exam = call.store.get(rt.table, ident["id"]) if rt else None
    attrs = (exam or {}).get("attributes") or {}
    return attrs.get("title") or attrs.get("name")


class Enriched(View):
    exclude_previews = True

    def attributes(self, call, record) -> dict:
        attrs = record["attributes"]
        user = call.record("User", linked_id(record, "user") or "") or {"attributes": {}}
        marks = attrs["marks"] or {}
        duration = None
        if attrs["startedAt"] and attrs["submittedAt"]:
            duration = int((parse(attrs["submittedAt"]) - parse(attrs["startedAt"])).total_seconds())
        return {
            "candidateName": user["attributes"].get("name"), "candidateEmail": user["attributes"].get("emailAddress"),
            "examTitle": _exam_title(call, record), "resultsStatus": results_status(record),
            "points": marks.get("points"), "maxPoints": marks.get("maxPoints"), "durationSeconds": duration,
            "markerCount": len(marker_ids(record)),
        }


OPTION_FIELDS = ("status", "resultsStatus", "resultsMarkingStatus", "tagLabels", "examV2")


def _option_id(*parts: str) -> str:
    return hashlib.blake2b(":".join(parts).encode(), digest_size=8).hexdigest()


class EnrichedOption(View):
    """Synthesised rows, one per (field, value): the filter values EnrichedAttempts offer."""

    exclude_previews = True

    def visible(self, call, rows) -> list:
        counts: dict[tuple[str, str], int] = {}
        labels: dict[tuple[str, str], str] = {}
        for attempt in super().visible(call, rows):
            values = {"status": [attempt["attributes"]["status"]], "resultsStatus": [results_status(attempt)],
                      "resultsMarkingStatus": [attempt["attributes"]["resultsMarkingStatus"]],
                      "tagLabels": attempt["attributes"]["tagLabels"] or [],
                      "examV2": [linked_id(attempt, "examV2")] if linked_id(attempt, "examV2") else []}
            for field in OPTION_FIELDS:
                for value in values[field]:
                    counts[(field, value)] = counts.get((field, value), 0) + 1
                    if field == "examV2":
                        labels[(field, value)] = _exam_title(call, attempt) or value
        return [{"id": _option_id(field, value), "relationships": {}, "attributes": {
                    "field": field, "value": value, "label": labels.get((field, value), value), "count": count}}
                for (field, value), count in sorted(counts.items())]

    def relationships(self, call, record) -> dict:
        return {}


class TagLabel(View):
    """Synthesised rows, one per distinct label on the attempts the caller sees."""

    def visible(self, call, rows) -> list:
        counts: dict[str, int] = {}
        for attempt in super().visible(call, rows):
            for label in attempt["attributes"]["tagLabels"] or []:
                counts[label] = counts.get(label, 0) + 1
        return [{"id": _option_id("tag", label), "relationships": {},
                  "attributes": {"label": label, "attemptCount": count}} for label, count in sorted(counts.items())]

    def relationships(self, call, record) -> dict:
        return {}


class Export:
    allow = staticmethod(access.allow)
    attributes = staticmethod(jobs.attributes)

    @staticmethod
    def create(call, record, body) -> None:
        rt = call.registry["EnrichedAttempt"]
        wanted = record["attributes"].get("filter") or {}
        try:
            query = paging.parse(call.registry, rt, limit=1, offset=0, filter={k: str(v) for k, v in wanted.items()})
        except InvalidRequest as exc:
            raise invalid(("attributes", "filter"), exc.violations[0].message) from exc
        rows = enriched.visible(call, call.store.rows(rt.table))
        computed = {}
        for row in rows:
            computed[row["id"]] = {**row["attributes"], **enriched.attributes(call, row)}
        for name, is_rel, test in query.filters:
            rows = [r for r in rows if test((r.get("relationships") or {}).get(name) if is_rel else computed[r["id"]].get(name))]
        jobs.create(call, record, body, f"enriched-attempts-{record['id']}.{record['attributes']['format']}")
        record["attributes"]["rowCount"] = len(rows)


player_attempt, player_state, chart, insight, result_config = PlayerAttempt(), PlayerState(), Chart(), Insight(), ResultConfig()
enriched, enriched_option, tag_label, export = Enriched(), EnrichedOption(), TagLabel(), Export()
