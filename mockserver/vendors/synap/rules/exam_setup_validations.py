"""ExamTargetQuizSetupValidation: checks an exam's set-up against the quiz it will run (targetQuiz,
by default the exam's currentVersion) and answers the problems, each with a code, a severity and a
detail; ``isValid`` is true when none is an error. The checks are the sandbox's reading of what an
exam needs to be sat and marked [inferred]."""

from __future__ import annotations

from mockserver.vendors.synap.records import target
from mockserver.vendors.synap.rules import exam_timing, exams
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)

ROLE_CHECKS = (  # flag on -> that role needs a group
    ("markingEscalationEnabled", "escalatingMarkers", "escalation_without_markers"),
    ("markingAuditingEnabled", "auditingMarkers", "auditing_without_markers"),
    ("markingBackReadingEnabled", "backReadingMarkers", "back_reading_without_markers"),
)


def problems(call, exam: dict, quiz_ref: dict | None) -> list[dict]:
    attrs, rels = exam["attributes"], exam["relationships"]
    found = []

    def problem(code, detail, severity="error"):
        found.append({"code": code, "severity": severity, "detail": detail})

    if quiz_ref is None:
        problem("no_quiz", "The exam has no quiz and no targetQuiz was given.")
    else:
        _, quiz = target(call, quiz_ref)
        if quiz is None:
            problem("quiz_missing", f"The quiz {quiz_ref['id']} no longer exists.")
        elif (quiz.get("attributes") or {}).get("isArchived"):
            problem("quiz_archived", f"The quiz {quiz_ref['id']} is archived.")
    if attrs.get("isArchived"):
        problem("exam_archived", "The exam is archived.")
    if not rels.get("userGroup"):
        problem("no_candidates", "No userGroup: nobody can sit the exam.")
    if not rels.get("markers"):
        problem("no_markers", "No markers group: nobody can mark the exam.")
    if attrs.get("markingDoubleEnabled") and (attrs.get("markingDoubleMinMarkers") or 0) < 2:
        problem("double_marking_min_markers", "Double marking needs markingDoubleMinMarkers of at least 2.")
    if attrs.get("markingDoubleEnabled") and not rels.get("moderatingMarkers"):
        problem("double_marking_without_moderators", "Double marking without a moderating markers group.", "warning")
    for flag, role, code in ROLE_CHECKS:
        if attrs.get(flag) and not rels.get(role):
            problem(code, f"{flag} is on but the exam has no {role} group.")
    if attrs.get("markingEscalationEnabled") and not attrs.get("markingEscalationReasons"):
        problem("escalation_without_reasons", "Escalation is on but markingEscalationReasons is empty.", "warning")
    if attrs.get("isSectioned") and not exams.sections(call, exam["id"]):
        problem("sectioned_without_sections", "The exam is sectioned but has no ExamSection.")
    schedule = exam_timing.schedule_of(call, exam)
    if exam_timing.status(call, schedule, exam["id"]) == "unscheduled":
        problem("unscheduled", "The exam's schedule has no startsAt.", "warning")
    if rels.get("draftVersion"):
        problem("unpublished_draft", "A draft quiz is pending; new attempts use the published version.", "warning")
    return found


def create(call, record, body) -> None:
    exam = exams.required_exam(call, record)
    rels = record["relationships"]
    rels["targetQuiz"] = rels.get("targetQuiz") or exam["relationships"].get("currentVersion")
    found = problems(call, exam, rels["targetQuiz"])
    record["attributes"].update(problems=found, isValid=not any(p["severity"] == "error" for p in found))
