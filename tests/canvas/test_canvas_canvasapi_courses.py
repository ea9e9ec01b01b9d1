"""The real canvasapi client driving the course flows an integration starts with: roster sync
(courses, users, enrollments, sections, terms), SIS lookups, course creation, coursework and grade
passback (a student's submission, grading with ``submission.edit``, the bulk grade job's Progress)."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist

STELLA, TERRY = 4, 3


def test_a_course_its_people_enrollments_and_sections(canvas):
    course = canvas.get_course(1)
    assert (course.name, course.course_code, course.workflow_state) == ("Introduction to Chemistry", "CHEM 101", "available")
    people = {u.id: u for u in course.get_users(include=["enrollments"])}
    assert {STELLA, TERRY} <= set(people)
    assert people[STELLA].enrollments[0]["type"] == "StudentEnrollment"
    teachers = [u.name for u in course.get_users(enrollment_type=["teacher"])]
    assert teachers == ["Terry Teacher"]
    enrollments = list(course.get_enrollments(type=["StudentEnrollment"]))
    assert STELLA in {e.user_id for e in enrollments} and all(e.enrollment_state == "active" for e in enrollments)
    sections = [s.name for s in course.get_sections()]
    assert sections[0] == "Introduction to Chemistry" and {"CHEM 101 Lab A", "CHEM 101 Lab B"} <= set(sections)
    assert canvas.get_course("CHEM101-1", use_sis_id=True).id == 1
    assert course.get_user(STELLA).name == "Stella Student"


def test_a_users_courses_enrollments_profile_and_sis_lookups(canvas, student):
    stella = canvas.get_user("stella.student@demo-university.edu", "sis_login_id")
    assert stella.id == STELLA and canvas.get_user("U000004", "sis_user_id").id == STELLA
    mine = {c.id: c for c in stella.get_courses()}
    assert {1, 2} <= set(mine) and 3 not in mine  # World History is concluded: not current
    assert mine[1].enrollments[0]["enrollment_state"] == "active"
    assert {c.id for c in stella.get_courses(enrollment_state="completed")} >= {3}
    assert {e.course_id for e in stella.get_enrollments()} >= {1, 2}
    assert stella.get_profile()["primary_email"] == "stella.student@demo-university.edu"
    me = student.get_current_user()
    assert {c.id for c in me.get_courses()} >= {1, 2}


def test_enroll_a_user_then_deactivate_reactivate_and_conclude(canvas):
    course = canvas.get_course(2)
    newcomer = canvas.get_account(1).create_user(pseudonym={"unique_id": "new.student@demo-university.edu"},
                                                 user={"name": "Nova Newcomer"})
    assert (newcomer.name, newcomer.sortable_name) == ("Nova Newcomer", "Newcomer, Nova")
    enrollment = course.enroll_user(newcomer, enrollment={"type": "StudentEnrollment", "enrollment_state": "active"})
    assert (enrollment.user_id, enrollment.enrollment_state) == (newcomer.id, "active")
    assert newcomer.id in {u.id for u in course.get_users(enrollment_type=["student"])}
    inactive = enrollment.deactivate("deactivate")
    assert inactive.enrollment_state == "inactive"
    assert newcomer.id not in {u.id for u in course.get_users()}
    assert enrollment.reactivate().enrollment_state == "active"
    assert enrollment.deactivate("conclude").enrollment_state == "completed"
    assert newcomer.id not in {e.user_id for e in course.get_enrollments()}


def test_an_invitation_is_seen_then_accepted(canvas, student, fresh):
    sandbox = canvas.get_course(4)  # unpublished: Stella's invitation waits until it is published
    assert sandbox.update(course={"event": "offer"})
    invited = [c for c in student.get_current_user().get_courses() if c.id == 4]
    assert invited and invited[0].enrollments[0]["enrollment_state"] == "invited"
    invitation = next(e for e in sandbox.get_enrollments(state=["invited"]) if e.user_id == STELLA)
    requester = student._Canvas__requester
    assert requester.request("POST", f"courses/4/enrollments/{invitation.id}/accept").json() == {"success": True}
    assert STELLA in {e.user_id for e in sandbox.get_enrollments(state=["active"])}


def test_create_update_conclude_and_delete_a_course(canvas):
    account = canvas.get_account(5)
    course = account.create_course(course={"name": "Physical Chemistry", "course_code": "CHEM 330", "term_id": 4},
                                   enroll_me=True)
    assert (course.workflow_state, course.enrollment_term_id, course.account_id) == ("unpublished", 4, 5)
    assert course.update(course={"name": "Physical Chemistry I", "event": "offer"}) == "Physical Chemistry I"
    assert canvas.get_course(course.id).workflow_state == "available"
    assert [s.name for s in course.get_sections()] == ["Physical Chemistry"]
    assert course.conclude() is True
    assert canvas.get_course(course.id).workflow_state == "completed"
    assert course.delete() is True
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_course(course.id)


def test_enrollment_terms_listed_created_and_changed(canvas):
    account = canvas.get_account(1)
    names = [t.name for t in account.get_enrollment_terms()]
    assert names[0] == "Default Term" and "Fall 2025" in names
    term = account.create_enrollment_term(enrollment_term={"name": "Summer 2027", "start_at": "2027-06-01T00:00:00Z",
                                                           "end_at": "2027-08-01T00:00:00Z", "sis_term_id": "2027SU"})
    assert term.sis_term_id == "2027SU"
    assert term.edit(enrollment_term={"name": "Summer Session 2027"}).name == "Summer Session 2027"
    assert "Summer Session 2027" in [t.name for t in account.get_enrollment_terms()]
    assert term.delete().workflow_state == "deleted"


def test_assignment_submitted_by_a_student_and_graded_with_submission_edit(teacher, student, fresh):
    fresh.clock(now="2026-01-05T12:00:00Z", frozen=True)
    course = teacher.get_course(1)
    group = course.create_assignment_group(name="Essays", group_weight=20)
    essay = course.create_assignment({"name": "Periodic table essay", "points_possible": 20, "grading_type": "points",
                                      "submission_types": ["online_text_entry"], "due_at": "2026-01-10T23:59:00Z",
                                      "assignment_group_id": group.id, "published": True})
    assert (essay.published, essay.points_possible, essay.assignment_group_id) == (True, 20, group.id)
    assert essay.id in {a.id for a in course.get_assignments()}
    groups = {g.id: g for g in course.get_assignment_groups(include=["assignments"])}
    assert [a["id"] for a in groups[group.id].assignments] == [essay.id]

    mine = student.get_course(1).get_assignment(essay.id)
    handed_in = mine.submit({"submission_type": "online_text_entry", "body": "<p>Mendeleev</p>"})
    assert (handed_in.workflow_state, handed_in.late, handed_in.attempt) == ("submitted", False, 1)

    submission = essay.get_submission(STELLA)
    graded = submission.edit(submission={"posted_grade": "85%"}, comment={"text_comment": "Good work"})
    assert (graded.score, graded.grade, graded.workflow_state) == (17, "17", "graded")
    assert graded.submission_comments[0]["comment"] == "Good work"
    assert mine.get_submission(STELLA).score == 17  # the student sees their grade

    with pytest.raises(ResourceDoesNotExist):  # Terry is no student of the course
        student.get_course(1).get_assignment(essay.id).get_submission(TERRY)


def test_bulk_grading_answers_a_progress_that_completes_on_the_sandbox_clock(teacher, fresh):
    fresh.clock(now="2026-03-01T00:00:00Z", frozen=True)
    course = teacher.get_course(1)
    # Assignment 3 is graded by letter out of 50 points; 4 is pass/fail.
    progress = course.submissions_bulk_update(grade_data={"3": {STELLA: {"posted_grade": "B"}},
                                                          "4": {STELLA: {"posted_grade": "pass"}}})
    assert progress.workflow_state == "queued" and progress.tag == "submissions_update"
    assert course.get_assignment(3).get_submission(STELLA).grade is None  # nothing yet
    fresh.advance_clock(60)
    done = progress.query()
    assert (done.workflow_state, done.completion) == ("completed", 100)
    letter = course.get_assignment(3).get_submission(STELLA)
    assert (letter.score, letter.grade) == (43, "B")  # "B" is worth 86%: one point under B+
    assert course.get_assignment(4).get_submission(STELLA).grade == "complete"


def test_canvasapi_errors_for_the_new_resources(canvas, student):
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_course(999999)
    with pytest.raises(Forbidden):
        student.get_course(4)  # unpublished: not yet for students
    with pytest.raises(BadRequest):
        canvas.get_course(1).enroll_user(STELLA, enrollment={"type": "NoSuchEnrollment"})
