"""Canvas coursework over HTTP: assignment groups, assignments, submissions and grading (each form
of posted_grade, excused, late and missing on the sandbox clock), the students' submissions list,
and the bulk grade job's Progress."""

from __future__ import annotations

import pytest

from canvas_helpers import STUDENT, TEACHER, as_student, as_teacher, not_found, ok, unauthorized

# Stella Student's seeded work in Introduction to Chemistry (seed/coursework.py): assignment 1 is
# graded, 2 handed in late, 3 never handed in (due 2025-12-30), 4 due 2026-01-13; 5 is unpublished.
QUIZ, REPORT, PROBLEMS, NOTEBOOK, PROPOSAL, ATTENDANCE = range(1, 7)


def sub(session, assignment, user=STUDENT, course=1, **params):
    return ok(session.get(f"/courses/{course}/assignments/{assignment}/submissions/{user}", params=params))


def grade(session, assignment, posted, user=STUDENT):
    return session.put(f"/courses/1/assignments/{assignment}/submissions/{user}", data={"submission[posted_grade]": posted})


# -- assignment groups and assignments -------------------------------------------------------------


def test_groups_with_their_assignments_and_students_see_only_published_ones(cv, fresh):
    groups = ok(cv.get("/courses/1/assignment_groups", params={"include[]": "assignments"}))
    assert [(g["name"], g["group_weight"]) for g in groups] == [("Assignments", 60), ("Labs and Quizzes", 40)]
    assert PROPOSAL in [a["id"] for a in groups[0]["assignments"]]
    one = ok(cv.get("/courses/sis_course_id:CHEM101-1/assignment_groups/2", params={"include[]": "assignments"}))
    assert one["name"] == "Labs and Quizzes" and [a["id"] for a in one["assignments"]] == [QUIZ, NOTEBOOK, ATTENDANCE]
    assert not_found(cv.get("/courses/2/assignment_groups/2"))  # another course's group
    with as_student(cv, fresh) as student:
        seen = ok(student.get("/courses/1/assignment_groups", params={"include[]": "assignments"}))
        assert PROPOSAL not in [a["id"] for g in seen for a in g["assignments"]]
        assert PROPOSAL not in [a["id"] for a in ok(student.get("/courses/1/assignments"))]
        assert unauthorized(student.get(f"/courses/1/assignments/{PROPOSAL}"))
        mine = ok(student.get(f"/courses/1/assignments/{QUIZ}", params={"include[]": "submission"}))
        assert mine["submission"]["workflow_state"] == "graded" and "needs_grading_count" not in mine
    with as_teacher(cv, fresh) as teacher:
        assert "needs_grading_count" in ok(teacher.get(f"/courses/1/assignments/{REPORT}"))


def test_assignment_groups_created_changed_and_deleted_moving_their_assignments(cv, fresh):
    with as_teacher(cv, fresh) as teacher:
        group = ok(teacher.post("/courses/1/assignment_groups", data={"name": "Extra credit", "group_weight": "5"}))
        assert (group["position"], group["group_weight"]) == (3, 5)
        assert ok(teacher.put(f"/courses/1/assignment_groups/{group['id']}", json={"name": "Bonus"}))["name"] == "Bonus"
        moved = ok(teacher.delete("/courses/1/assignment_groups/2", params={"move_assignments_to": group["id"]}))
        assert moved["id"] == 2
        assert ok(teacher.get(f"/courses/1/assignments/{QUIZ}"))["assignment_group_id"] == group["id"]
        assert not_found(teacher.get("/courses/1/assignment_groups/2"))
        ok(teacher.delete(f"/courses/1/assignment_groups/{group['id']}"))
        assert not_found(teacher.get(f"/courses/1/assignments/{QUIZ}"))  # deleted with its group
    with as_student(cv, fresh) as student:
        assert unauthorized(student.post("/courses/1/assignment_groups", data={"name": "Mine"}))


def test_assignments_created_with_canvas_defaults_and_validation(cv, fresh):
    with as_teacher(cv, fresh) as teacher:
        made = ok(teacher.post("/courses/1/assignments", data={"assignment[name]": "Titration lab"}))
        assert (made["published"], made["grading_type"], made["submission_types"], made["assignment_group_id"]) == \
            (False, "points", ["none"], 1)
        nameless = teacher.post("/courses/1/assignments", data={"assignment[points_possible]": "5"})
        assert nameless.status_code == 400 and nameless.json()["errors"]["name"][0]["type"] == "blank"
        bad = teacher.post("/courses/1/assignments", json={"assignment": {"name": "X", "submission_types": ["telepathy"],
                                                                         "due_at": "2026-02-01T00:00:00Z",
                                                                         "lock_at": "2026-01-01T00:00:00Z"}})
        assert bad.status_code == 400 and {"submission_types", "lock_at"} <= set(bad.json()["errors"])
        unpublish = teacher.put(f"/courses/1/assignments/{QUIZ}", data={"assignment[published]": "false"})
        assert unpublish.status_code == 400 and unpublish.json()["errors"]["published"][0]["message"] == \
            "Can't unpublish if there are student submissions"
        assert ok(teacher.put(f"/courses/1/assignments/{made['id']}", data={"assignment[published]": "true"}))["published"]
        assert ok(teacher.delete(f"/courses/1/assignments/{made['id']}"))["workflow_state"] == "deleted"
    with as_student(cv, fresh) as student:
        assert unauthorized(student.post("/courses/1/assignments", data={"assignment[name]": "Mine"}))


def test_assignment_buckets_and_order_on_the_sandbox_clock(cv, fresh):
    fresh.clock(now="2026-01-05T00:00:00Z", frozen=True)
    with as_student(cv, fresh) as student:
        def bucket(name):
            return [a["id"] for a in ok(student.get("/courses/1/assignments", params={"bucket": name}))]
        assert bucket("overdue") == [PROBLEMS]
        assert bucket("upcoming") == [] and bucket("future") == [NOTEBOOK, ATTENDANCE]  # undated counts as future
        assert bucket("undated") == [ATTENDANCE] and set(bucket("past")) == {QUIZ, REPORT, PROBLEMS}
        by_name = [a["name"] for a in ok(student.get("/courses/1/assignments", params={"order_by": "name"}))]
        assert by_name == sorted(by_name, key=str.casefold)
    with as_teacher(cv, fresh) as teacher:
        stella = ok(teacher.get(f"/users/{STUDENT}/courses/1/assignments", params={"include[]": "submission"}))
        assert {a["id"]: a["submission"]["workflow_state"] for a in stella}[REPORT] == "submitted"
        assert not_found(teacher.get("/users/1/courses/1/assignments"))  # Ada is not in the course
    with as_student(cv, fresh) as student:
        assert unauthorized(student.get(f"/users/{TEACHER}/courses/1/assignments"))


# -- submissions and grading -----------------------------------------------------------------------


def test_seeded_submissions_are_late_missing_and_graded_on_the_clock(cv, fresh):
    fresh.clock(now="2026-01-05T00:00:00Z", frozen=True)
    quiz, report, problems, notebook = (sub(cv, a) for a in (QUIZ, REPORT, PROBLEMS, NOTEBOOK))
    assert quiz["workflow_state"] == "graded" and quiz["score"] is not None and not quiz["late"]
    assert report["late"] and report["seconds_late"] > 0 and report["workflow_state"] == "submitted"
    assert problems["missing"] and problems["seconds_late"] == 5 * 86400 + 60  # due 2025-12-30T23:59
    assert not notebook["missing"] and not notebook["late"]
    fresh.clock(now="2026-01-20T00:00:00Z", frozen=True)
    assert sub(cv, NOTEBOOK)["missing"]
    states = {s["workflow_state"] for a in range(1, 7) for s in ok(cv.get(f"/courses/1/assignments/{a}/submissions"))}
    assert states == {"graded", "submitted", "unsubmitted"}
    reviews = [cv.get(f"/courses/{c}/students/submissions",
                      params={"student_ids[]": "all", "workflow_state": "pending_review"}) for c in range(1, 41)]
    assert any(r.ok and r.json() for r in reviews)  # quizzes waiting for a grader somewhere


@pytest.mark.parametrize(("assignment", "posted", "score", "shown"), [
    (QUIZ, "8", 8, "8"), (QUIZ, "85%", 8.5, "8.5"), (QUIZ, "9.25", 9.25, "9.25"),
    (REPORT, "85%", 85, "85%"), (REPORT, "72", 72, "72%"),
    (PROBLEMS, "B", 43, "B"), (PROBLEMS, "A", 50, "A"), (PROBLEMS, "b+", 44.5, "B+"), (PROBLEMS, "40", 40, "B-"),
    (NOTEBOOK, "pass", 1, "complete"), (NOTEBOOK, "fail", 0, "incomplete"), (NOTEBOOK, "complete", 1, "complete"),
])
def test_posted_grades_in_each_form_canvas_takes(cv, fresh, assignment, posted, score, shown):
    graded = ok(grade(cv, assignment, posted))
    assert (graded["score"], graded["grade"], graded["workflow_state"]) == (score, shown, "graded")
    assert graded["grader_id"] == 1 and graded["graded_at"]


def test_bad_grades_are_refused_and_blank_clears(cv, fresh):
    for assignment, posted in ((QUIZ, "lots"), (NOTEBOOK, "B"), (PROBLEMS, "Z")):
        refused = grade(cv, assignment, posted)
        assert refused.status_code == 400 and list(refused.json()) == ["error"]
    assert sub(cv, NOTEBOOK)["grade"] is None
    cleared = ok(grade(cv, QUIZ, ""))
    assert (cleared["score"], cleared["grade"], cleared["workflow_state"]) == (None, None, "submitted")


def test_excusing_comments_and_who_may_grade(cv, fresh):
    fresh.clock(now="2026-01-05T00:00:00Z", frozen=True)
    excused = ok(cv.put(f"/courses/1/assignments/{PROBLEMS}/submissions/{STUDENT}", data={"submission[excuse]": "true"}))
    assert excused["excused"] and not excused["missing"] and excused["score"] is None
    with as_student(cv, fresh) as student:
        assert unauthorized(grade(student, QUIZ, "10"))
        commented = ok(student.put(f"/courses/1/assignments/{QUIZ}/submissions/self",
                                   data={"comment[text_comment]": "Can we go over question 3?"}))
        assert commented["submission_comments"][-1]["author_id"] == STUDENT
        assert unauthorized(student.get(f"/courses/1/assignments/{QUIZ}/submissions"))
    with as_teacher(cv, fresh) as teacher:
        assert ok(grade(teacher, QUIZ, "10"))["score"] == 10
        assert not_found(teacher.get(f"/courses/1/assignments/{QUIZ}/submissions/{TEACHER}"))
    status = ok(cv.put(f"/courses/1/assignments/{NOTEBOOK}/submissions/{STUDENT}",
                       data={"submission[late_policy_status]": "missing"}))
    assert status["missing"] and status["late_policy_status"] == "missing"


def test_a_student_submits_and_resubmits_on_the_clock(cv, fresh):
    fresh.clock(now="2026-01-14T08:00:00Z", frozen=True)  # after the notebook check's due date
    with as_student(cv, fresh) as student:
        path = f"/courses/1/assignments/{NOTEBOOK}/submissions"
        wrong = student.post(path, data={"submission[submission_type]": "online_url", "submission[url]": "https://x.y"})
        assert wrong.status_code == 400 and wrong.json() == {"message": "Invalid submission[submission_type] given"}
        empty = student.post(path, data={"submission[submission_type]": "online_text_entry"})
        assert empty.status_code == 400 and empty.json() == {
            "message": "Invalid parameters for submission_type online_text_entry. Required: submission[body]"}
        first = ok(student.post(path, data={"submission[submission_type]": "online_text_entry", "submission[body]": "<p>Done</p>",
                                            "comment[text_comment]": "Sorry it is late"}))
        assert (first["workflow_state"], first["late"], first["attempt"], first["body"]) == ("submitted", True, 1, "<p>Done</p>")
        assert first["seconds_late"] == 8 * 3600 + 60  # due 2026-01-13T23:59
        assert first["submission_comments"][0]["comment"] == "Sorry it is late"
    ok(grade(cv, NOTEBOOK, "pass"))
    with as_student(cv, fresh) as student:
        again = ok(student.post(f"/courses/1/assignments/{NOTEBOOK}/submissions",
                                json={"submission": {"submission_type": "online_text_entry", "body": "<p>v2</p>"}}))
        assert (again["attempt"], again["workflow_state"], again["grade_matches_current_submission"]) == (2, "submitted", False)
        assert again["grade"] == "complete"
        assert unauthorized(student.post(f"/courses/1/assignments/{PROPOSAL}/submissions",
                                         data={"submission[submission_type]": "online_text_entry", "submission[body]": "x"}))
    with as_teacher(cv, fresh) as teacher:
        assert unauthorized(teacher.post(f"/courses/1/assignments/{NOTEBOOK}/submissions",
                                         data={"submission[submission_type]": "online_text_entry", "submission[body]": "x"}))


def test_students_submissions_for_themselves_or_everyone_grouped(cv, fresh):
    with as_student(cv, fresh) as student:
        mine = ok(student.get("/courses/1/students/submissions"))
        assert {s["user_id"] for s in mine} == {STUDENT} and PROPOSAL not in {s["assignment_id"] for s in mine}
        assert unauthorized(student.get("/courses/1/students/submissions", params={"student_ids[]": "all"}))
    grouped = ok(cv.get("/courses/1/students/submissions", params={"student_ids[]": "all", "grouped": "true",
                                                                  "assignment_ids[]": [QUIZ, REPORT]}))
    stella = next(g for g in grouped if g["user_id"] == STUDENT)
    assert stella["section_id"] == 1 and [s["assignment_id"] for s in stella["submissions"]] == [QUIZ, REPORT]
    graded = ok(cv.get("/courses/1/students/submissions", params={"student_ids[]": [STUDENT], "workflow_state": "graded"}))
    assert {s["assignment_id"] for s in graded} >= {QUIZ}


# -- the bulk grade job ----------------------------------------------------------------------------


def test_bulk_grading_runs_as_a_progress_on_the_sandbox_clock(cv, fresh):
    fresh.clock(now="2026-02-01T00:00:00Z", frozen=True)
    with as_teacher(cv, fresh) as teacher:
        job = ok(teacher.post(f"/courses/1/assignments/{REPORT}/submissions/update_grades",
                              data={f"grade_data[{STUDENT}][posted_grade]": "91%",
                                    f"grade_data[{STUDENT}][text_comment]": "Well argued"}))
        assert (job["workflow_state"], job["completion"], job["context_type"]) == ("queued", 0, "Course")
        assert job["url"].endswith(f"/api/v1/progress/{job['id']}")
        fresh.advance_clock(1.2)
        running = ok(teacher.get(f"/progress/{job['id']}"))
        assert running["workflow_state"] == "running" and 0 <= running["completion"] < 100
        assert sub(teacher, REPORT)["score"] is None or sub(teacher, REPORT)["grade"] != "91%"
        fresh.advance_clock(30)
        assert ok(teacher.get(f"/progress/{job['id']}"))["workflow_state"] == "completed"
        done = sub(teacher, REPORT, **{"include[]": "submission_comments"})
        assert (done["grade"], done["score"]) == ("91%", 91) and done["submission_comments"][-1]["comment"] == "Well argued"
    with as_student(cv, fresh) as student:
        assert unauthorized(student.get(f"/progress/{job['id']}"))
        assert unauthorized(student.post("/courses/1/submissions/update_grades",
                                         data={f"grade_data[{QUIZ}][{STUDENT}][posted_grade]": "10"}))
    assert not_found(cv.get("/progress/99999"))


def test_a_bulk_job_with_a_bad_grade_fails_and_changes_nothing(cv, fresh):
    fresh.clock(now="2026-02-01T00:00:00Z", frozen=True)
    before = sub(cv, QUIZ)
    job = ok(cv.post("/courses/1/submissions/update_grades",
                     json={"grade_data": {str(QUIZ): {str(STUDENT): {"posted_grade": "7"}},
                                          str(NOTEBOOK): {str(STUDENT): {"posted_grade": "B"}}}}))
    fresh.advance_clock(30)
    failed = ok(cv.get(f"/progress/{job['id']}"))
    assert failed["workflow_state"] == "failed" and "pass/fail" in failed["message"]
    assert sub(cv, QUIZ)["score"] == before["score"]
    missing = cv.post("/courses/1/submissions/update_grades", data={})
    assert missing.status_code == 400 and missing.json() == "'grade_data' parameter required"  # a bare JSON string
    assert not_found(cv.post("/courses/1/submissions/update_grades",
                             data={f"grade_data[99999][{STUDENT}][posted_grade]": "1"}))
    assert unauthorized(cv.post("/courses/1/submissions/update_grades",  # unpublished assignment
                                data={f"grade_data[{PROPOSAL}][{STUDENT}][posted_grade]": "1"}))
