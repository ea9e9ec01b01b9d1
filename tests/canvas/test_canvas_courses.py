"""Canvas courses over HTTP: whose courses a person sees, one course, creating and changing
courses (events), deleting and concluding, and the people of a course; with Canvas's errors."""

from __future__ import annotations

from canvas_helpers import (
    ADMIN, CHEMISTRY, MANUAL, STUDENT, TEACHER, as_dean, as_student, as_teacher, client, every_page, links,
    not_found, ok, unauthorized,
)


def ids(rows):
    return [row["id"] for row in rows]


# -- the caller's courses ------------------------------------------------------------------------


def test_a_students_courses_are_current_ones_with_their_enrollment(cv, fresh):
    with as_student(cv, fresh) as student:
        mine = ok(student.get("/courses"))
        assert {1, 2} <= set(ids(mine)) and 3 not in ids(mine) and 4 not in ids(mine)
        assert mine[0]["enrollments"] == [{"type": "student", "role": "StudentEnrollment", "role_id": 3,
                                           "user_id": STUDENT, "enrollment_state": "active",
                                           "limit_privileges_to_course_section": False}]
        scored = ok(student.get("/courses/1", params={"include[]": "total_scores"}))["enrollments"][0]
        assert scored["computed_current_score"] is not None and scored["computed_current_grade"]
        concluded = ok(student.get("/courses", params={"enrollment_state": "completed"}))
        assert ids(concluded) == [3] and concluded[0]["enrollments"][0]["enrollment_state"] == "completed"
        assert 3 in ids(ok(student.get("/courses", params={"state[]": ["completed"]})))


def test_a_teacher_sees_unpublished_courses_they_teach_and_filters_by_type(cv, fresh):
    with as_teacher(cv, fresh) as teacher:
        mine = ids(every_page(teacher, "/courses", per_page=50))
        assert {1, 2, 4} <= set(mine)
        assert ids(ok(teacher.get("/courses", params={"enrollment_type": "student"}))) == []
        unpublished = ok(teacher.get("/courses", params={"state[]": "unpublished"}))
        assert 4 in ids(unpublished) and all(c["workflow_state"] == "unpublished" for c in unpublished)


def test_an_invited_student_sees_the_course_once_it_is_published(cv, fresh):
    with as_student(cv, fresh) as student:
        assert 4 not in ids(ok(student.get("/courses", params={"enrollment_state": "invited_or_pending"})))
        assert unauthorized(student.get("/courses/4"))
        ok(cv.put("/courses/4", data={"course[event]": "offer"}))
        invitations = ok(student.get("/courses", params={"enrollment_state": "invited_or_pending"}))
        assert ids(invitations) == [4] and invitations[0]["enrollments"][0]["enrollment_state"] == "invited"
        assert ok(student.get("/courses/4"))["enrollments"][0]["enrollment_state"] == "invited"


def test_a_users_courses_are_for_themselves_and_admins_above_them(cv, fresh):
    assert {1, 2} <= set(ids(ok(cv.get(f"/users/{STUDENT}/courses"))))
    assert ids(ok(cv.get("/users/sis_user_id:U000004/courses"))) == ids(ok(cv.get(f"/users/{STUDENT}/courses")))
    with as_teacher(cv, fresh) as teacher:
        assert unauthorized(teacher.get(f"/users/{STUDENT}/courses"))
    assert not_found(cv.get("/users/999999/courses"))


# -- one course ----------------------------------------------------------------------------------


def test_a_course_by_id_or_sis_id_with_includes(cv, fresh):
    answer = cv.get("/courses/1")
    assert "X-Rate-Limit-Remaining" in answer.headers and "X-Request-Cost" in answer.headers  # throttled as every route
    course = ok(cv.get("/courses/sis_course_id:CHEM101-1", params={"include[]": ["term", "teachers", "total_students"]}))
    assert course["id"] == 1 and course["term"]["name"] == "Academic Year 2026-27"
    assert course["teachers"][0]["display_name"] == "Terry Teacher" and course["total_students"] >= 1
    assert course["enrollments"] == []  # the admin is not enrolled
    assert not_found(cv.get("/courses/424242")) and not_found(cv.get("/courses/sis_course_id:NOPE"))
    with as_teacher(cv, fresh) as teacher:
        assert ok(teacher.get("/courses/4"))["workflow_state"] == "unpublished"
    with as_student(cv, fresh) as student:
        assert unauthorized(student.get("/courses/5"))  # not enrolled there


def test_admins_create_courses_in_their_accounts_and_teachers_in_the_manual_account(cv, fresh):
    made = ok(cv.post("/accounts/5/courses", data={"course[name]": "Quantum Chemistry", "course[course_code]": "CHEM 440",
                                                  "course[sis_course_id]": "CHEM440", "offer": "true"}))
    assert (made["workflow_state"], made["account_id"], made["sis_course_id"]) == ("available", CHEMISTRY, "CHEM440")
    assert "enrollments" not in made and len(made["uuid"]) == 40
    unnamed = ok(cv.post("/accounts/5/courses", json={}))
    assert (unnamed["name"], unnamed["workflow_state"], unnamed["enrollment_term_id"]) == ("Unnamed Course", "unpublished", 1)
    before = len(every_page(cv, "/accounts/5/courses", per_page=100))
    taken = cv.post("/accounts/5/courses", data={"course[sis_course_id]": "CHEM440", "enroll_me": "true"})
    assert taken.status_code == 400 and taken.json()["errors"]["sis_source_id"][0]["type"] == "taken"
    assert len(every_page(cv, "/accounts/5/courses", per_page=100)) == before  # a refused request changes nothing
    with as_teacher(cv, fresh) as teacher:
        own = ok(teacher.post(f"/accounts/{MANUAL}/courses", data={"course[name]": "Terry's sandbox", "enroll_me": "true",
                                                                   "course[start_at]": "2027-01-01T00:00:00Z"}))
        assert own["start_at"] is None  # ignored unless restrict_enrollments_to_course_dates
        assert own["id"] in ids(ok(teacher.get("/courses", params={"state[]": "unpublished"})))
        assert ok(teacher.get(f"/courses/{own['id']}"))["enrollments"][0]["type"] == "teacher"
        stray = ok(teacher.post(f"/accounts/{MANUAL}/courses", data={"course[name]": "Not enrolled"}))
        assert unauthorized(teacher.get(f"/courses/{stray['id']}"))  # made, but not his without enroll_me
        assert unauthorized(teacher.post(f"/accounts/{CHEMISTRY}/courses", data={"course[name]": "Nope"}))
    with as_student(cv, fresh) as student:
        assert unauthorized(student.post(f"/accounts/{MANUAL}/courses", data={"course[name]": "Nope"}))
    assert not_found(cv.post("/accounts/99/courses", data={"course[name]": "Nowhere"}))


def test_events_publish_unpublish_conclude_delete_and_undelete(cv, fresh):
    with as_teacher(cv, fresh) as teacher:
        assert ok(teacher.put("/courses/4", data={"course[event]": "offer"}))["workflow_state"] == "available"
        assert ok(teacher.put("/courses/4", data={"course[event]": "claim", "course[name]": "Design Lab"}))["name"] == "Design Lab"
        assert unauthorized(teacher.put("/courses/4", data={"course[event]": "delete"}))
    with as_student(cv, fresh) as student:
        assert unauthorized(student.put("/courses/1", data={"course[name]": "Mine now"}))
    assert ok(cv.put("/courses/4", data={"course[event]": "delete"}))["workflow_state"] == "deleted"
    assert not_found(cv.get("/courses/4"))
    assert ok(cv.put("/courses/4", data={"course[event]": "undelete"}))["workflow_state"] == "unpublished"
    bad = cv.put("/courses/4", data={"course[event]": "explode"})
    assert bad.status_code == 400 and ok(cv.get("/courses/4"))["workflow_state"] == "unpublished"


def test_delete_needs_an_event_and_conclude_is_for_teachers(cv, fresh):
    missing = cv.delete("/courses/2")
    assert missing.status_code == 400 and missing.json() == {"message": 'Only "delete" and "conclude" events are allowed.'}
    with as_teacher(cv, fresh) as teacher:
        assert unauthorized(teacher.delete("/courses/2", params={"event": "delete"}))
        assert ok(teacher.delete("/courses/2", params={"event": "conclude"})) == {"conclude": True}
    assert ok(cv.get("/courses/2"))["workflow_state"] == "completed"
    assert ok(cv.delete("/courses/2", data={"event": "delete"})) == {"delete": True}
    assert not_found(cv.get("/courses/2"))


# -- the people of a course ----------------------------------------------------------------------


def test_course_users_by_sortable_name_with_filters_and_paging(cv, fresh):
    everyone = ok(cv.get("/courses/1/users", params={"include[]": ["enrollments"]}))
    names = [u["sortable_name"] for u in everyone]
    assert names == sorted(names, key=str.casefold) and {STUDENT, TEACHER} <= set(ids(everyone))
    stella = next(u for u in everyone if u["id"] == STUDENT)
    assert stella["email"] == "stella.student@demo-university.edu" and stella["enrollments"][0]["course_id"] == 1
    assert ids(ok(cv.get("/courses/1/users", params={"enrollment_type[]": "teacher"}))) == [TEACHER]
    by_email = [u["email"] for u in ok(cv.get("/courses/1/users", params={"sort": "email"}))]
    assert by_email == sorted(by_email, key=str.casefold)
    assert ids(ok(cv.get("/courses/1/users", params={"search_term": "stell"}))) == [STUDENT]
    short = cv.get("/courses/1/users", params={"search_term": "s"})
    assert short.status_code == 400 and short.json()["errors"][0]["message"] == "2 or more characters is required"
    first = cv.get("/courses/1/users", params={"per_page": 1})
    assert len(ok(first)) == 1 and "next" in links(first)
    invited = ok(cv.get("/courses/4/users", params={"enrollment_state[]": "invited"}))
    assert ids(invited) == [STUDENT] and "login_id" not in invited[0]  # not confirmed yet: no login or e-mail


def test_students_read_the_roster_without_logins_and_outsiders_may_not(cv, fresh):
    with as_student(cv, fresh) as student:
        roster = ok(student.get("/courses/1/users"))
        assert all("login_id" not in u for u in roster)
        assert ok(student.get(f"/courses/1/users/{TEACHER}"))["name"] == "Terry Teacher"
    with as_dean(cv, fresh) as dean:  # the dean of Arts and Sciences administers Chemistry's courses
        assert ok(dean.get("/courses/1/users/sis_login_id:stella.student@demo-university.edu"))["login_id"]
    assert not_found(cv.get(f"/courses/1/users/{ADMIN}"))  # not enrolled there
    with client(fresh, cv.credentials["student_token"]) as student:
        assert unauthorized(student.get("/courses/5/users"))
