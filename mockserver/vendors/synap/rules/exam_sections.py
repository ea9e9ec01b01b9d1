"""ExamSection: the ordered sections of a sectioned exam. ``position`` is 1-based and dense: a create
or a move renumbers the exam's other sections, a delete closes the gap."""

from __future__ import annotations

from mockserver.vendors.synap.records import linked_id, table
from mockserver.vendors.synap.rules import action_logs, exams
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)

TYPE = "ExamSection"


def _renumber(call, others: list[dict]) -> None:
    for n, section in enumerate(others, start=1):
        if section["attributes"].get("position") != n:
            call.store.update(table(TYPE), section["id"], {"attributes": {**section["attributes"], "position": n}})


def _place(call, exam_id: str, section_id: str, wanted: int | None) -> int:
    """Put the section at ``wanted`` (default: last) among its exam's sections; the others move."""
    others = [s for s in exams.sections(call, exam_id) if s["id"] != section_id]
    position = len(others) + 1 if wanted is None else max(1, min(wanted, len(others) + 1))
    _renumber(call, others[: position - 1])
    for n, section in enumerate(others[position - 1:], start=position + 1):
        if section["attributes"].get("position") != n:
            call.store.update(table(TYPE), section["id"], {"attributes": {**section["attributes"], "position": n}})
    return position


def create(call, record, body) -> None:
    exam = exams.required_exam(call, record)
    exams.require_sectioned(exam)
    record["attributes"]["position"] = _place(call, exam["id"], record["id"], record["attributes"].get("position"))


def created(call, record) -> None:
    action_logs.record(call, "exam_section.create", TYPE, record["id"], f"Added section {record['attributes']['name']!r}")


def update(call, record, changes) -> None:
    if "position" in changes:
        changes["position"] = _place(call, linked_id(record, "examV2"), record["id"], changes["position"])


def delete(call, record) -> None:
    _renumber(call, [s for s in exams.sections(call, linked_id(record, "examV2")) if s["id"] != record["id"]])
