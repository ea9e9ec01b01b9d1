"""Assignment groups, assignments and submissions of the first courses with students: due dates
around the seed epoch, every grading type, and submissions in every state (unsubmitted, submitted
on time or late, graded, excused, pending review). Stella Student's work in Introduction to
Chemistry is fixed, so the README and tests can name it: the first assignment graded, the second
handed in late, the third never handed in (missing once its due date has passed), the fourth due
in the future."""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import isoformat, parse
from mockserver.seed import EPOCH, SeedContext
from mockserver.store import Store
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.rules import assignments, grading, submissions

COURSES_WITH_WORK = 12
NAMED_STUDENT, NAMED_COURSE = 4, 1
# (name, group, due in days from the epoch, points, grading type, submission types, published)
PLAN = (("Lab safety quiz", 1, -20, 10, "points", ["online_quiz"], True),
        ("Reaction report", 0, -6, 100, "percent", ["online_text_entry", "online_upload"], True),
        ("Stoichiometry problem set", 0, -2, 50, "letter_grade", ["online_url", "online_text_entry"], True),
        ("Lab notebook check", 1, 12, 1, "pass_fail", ["online_text_entry"], True),
        ("Final project proposal", 0, 30, 100, "points", ["online_text_entry"], False),
        ("Attendance", 1, None, 5, "points", ["on_paper"], True))
GROUPS = (("Assignments", 60), ("Labs and Quizzes", 40))
STELLA = {0: "graded", 1: "late", 2: "unsubmitted", 3: "unsubmitted"}


def _submitted(ctx: SeedContext, assignment: dict, late: bool) -> dict:
    due = parse(assignment["due_at"]) if assignment["due_at"] else EPOCH
    when = due + timedelta(hours=ctx.rng.randint(2, 60)) if late else due - timedelta(hours=ctx.rng.randint(1, 72))
    kind = next((k for k in assignment["submission_types"] if k in submissions.SUBMITTABLE), assignment["submission_types"][0])
    return {"submitted_at": isoformat(when), "submission_type": kind, "attempt": 1, "workflow_state": "submitted",
            "body": "<p>My answer.</p>" if kind == "online_text_entry" else None,
            "url": "https://example.edu/work" if kind == "online_url" else None}


def _state(ctx: SeedContext, assignment: dict, state: str, grader: int) -> dict:
    if state == "unsubmitted":
        return {}
    if state == "excused":
        return {"excused": True, "workflow_state": "graded", "graded_at": assignment["due_at"], "grader_id": grader,
                "posted_at": assignment["due_at"]}
    fields = _submitted(ctx, assignment, state == "late")
    if state == "pending_review":
        fields["workflow_state"] = "pending_review"
    if state == "graded":
        points = assignment["points_possible"]
        score = round(points * ctx.rng.choice((0.62, 0.75, 0.84, 0.9, 0.95, 1.0)), 2)
        grade = grading.grade_for(assignment, score)
        fields.update(score=score, grade=grade, entered_score=score, entered_grade=grade, workflow_state="graded",
                      graded_at=fields["submitted_at"], grader_id=grader, posted_at=fields["submitted_at"])
    return fields


def seed(store: Store, ctx: SeedContext) -> None:
    rng = ctx.rng
    chosen = [c for c in store.rows(t.COURSES) if c["_state"] in ("available", "completed")
              and c["_roster"].get("StudentEnrollment")][:COURSES_WITH_WORK]
    group_rows, assignment_rows, submission_rows = [], [], []
    for course in chosen:
        grader = (course["_roster"].get("TeacherEnrollment") or [1])[0]
        group_ids = []
        for position, (name, weight) in enumerate(GROUPS, 1):
            group_ids.append(len(group_rows) + 1)
            group_rows.append({"id": group_ids[-1], **assignments.group_record(course["id"], name, position,
                                                                              course["created_at"], weight)})
        for n, (name, group, due, points, kind, types, published) in enumerate(PLAN):
            assignment = {"id": len(assignment_rows) + 1, **assignments.record(
                course["id"], group_ids[group], name, n + 1, course["created_at"],
                description=f"<p>{ctx.faker.sentence()}</p>",
                due_at=isoformat(EPOCH + timedelta(days=due, hours=23, minutes=59)) if due is not None else None,
                points_possible=float(points), grading_type=kind, submission_types=list(types),
                workflow_state="published" if published else "unpublished")}
            assignment_rows.append(assignment)
            for student in course["_roster"].get("StudentEnrollment", []):
                if student == NAMED_STUDENT and course["id"] == NAMED_COURSE:
                    state = STELLA.get(n, "unsubmitted")
                elif not published or due is None or due > 0:
                    state = rng.choice(("unsubmitted", "unsubmitted", "submitted"))
                else:
                    state = rng.choice(("graded", "graded", "graded", "submitted", "late", "unsubmitted", "excused"))
                if state == "submitted" and "online_quiz" in types:
                    state = "pending_review"
                if "on_paper" in types and state != "excused":
                    state = "graded" if published and rng.random() < 0.5 else "unsubmitted"
                    fields = {} if state == "unsubmitted" else {
                        "score": float(points), "grade": grading.grade_for(assignment, float(points)),
                        "entered_score": float(points), "entered_grade": grading.grade_for(assignment, float(points)),
                        "workflow_state": "graded", "graded_at": assignment["due_at"] or course["created_at"],
                        "grader_id": grader, "posted_at": assignment["due_at"] or course["created_at"]}
                else:
                    fields = _state(ctx, assignment, state, grader)
                submission_rows.append({"id": len(submission_rows) + 1,
                                        **submissions.record(assignment, student, **fields)})
    store.insert_many(t.ASSIGNMENT_GROUPS, ((g["id"], g) for g in group_rows))
    store.insert_many(t.ASSIGNMENTS, ((a["id"], a) for a in assignment_rows))
    store.insert_many(t.SUBMISSIONS, ((s["id"], s) for s in submission_rows))
