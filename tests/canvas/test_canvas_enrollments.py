"""Canvas enrollments over HTTP: the lists (course, section, user) and their states, enrolling and
who may, the tasks (conclude, delete, deactivate) and reactivate, and answering an invitation."""

from __future__ import annotations

from canvas_helpers import (
    STUDENT, TEACHER, as_dean, as_student, as_teacher, not_found, ok, unauthorized,
)

ENROLLMENT_FIELDS = {"id", "user_id", "course_id", "course_section_id", "type", "role", "role_id", "enrollment_state",
                     "created_at", "updated_at", "html_url", "user", "limit_privileges_to_course_section"}


def users(rows):
    return {row["user_id"] for row in rows}


def newcomer(cv, login="newcomer@demo-university.edu") -> int:
    return ok(cv.post("/accounts/1/users", data={"pseudonym[unique_id]": login, "user[name]": "Nia Newcomer"}))["id"]


def test_course_enrollments_default_to_active_and_invited(cv, fresh):
    rows = ok(cv.get("/courses/4/enrollments"))
    assert {(r["user_id"], r["enrollment_state"]) for r in rows} == {(TEACHER, "active"), (STUDENT, "invited")}
    assert all(ENROLLMENT_FIELDS <= set(r) for r in rows)
    assert users(ok(cv.get("/courses/4/enrollments", params={"state[]": "active"}))) == {TEACHER}
    assert users(ok(cv.get("/courses/4/enrollments", params={"type[]": "StudentEnrollment"}))) == {STUDENT}
    student = next(r for r in ok(cv.get("/courses/1/enrollments")) if r["user_id"] == STUDENT)
    assert student["grades"]["html_url"].endswith(f"/courses/1/grades/{STUDENT}")
    assert student["sis_user_id"] == "U000004" and student["user"]["login_id"]
    uid = newcomer(cv, "classmate@demo-university.edu")
    ok(cv.post("/courses/1/enrollments", data={"enrollment[user_id]": uid, "enrollment[enrollment_state]": "active"}))
    with as_student(cv, fresh) as stella:  # her own grades, not her classmate's, and no SIS ids
        seen = {r["user_id"]: r for r in ok(stella.get("/courses/1/enrollments", params={"per_page": 100}))}
        assert "grades" in seen[STUDENT] and "grades" not in seen[uid] and "sis_user_id" not in seen[uid]


def test_enrolling_defaults_to_an_invitation_in_the_default_section(cv, fresh):
    uid = newcomer(cv)
    made = ok(cv.post("/courses/1/enrollments", data={"enrollment[user_id]": uid}))
    assert (made["type"], made["enrollment_state"], made["course_section_id"]) == ("StudentEnrollment", "invited", 1)
    again = ok(cv.post("/courses/1/enrollments", data={"enrollment[user_id]": uid, "enrollment[enrollment_state]": "active"}))
    assert again["id"] == made["id"] and again["enrollment_state"] == "active"  # the same enrollment, now active
    lab = next(s for s in ok(cv.get("/courses/1/sections")) if s["name"] == "CHEM 101 Lab A")
    in_lab = ok(cv.post(f"/sections/{lab['id']}/enrollments", json={"enrollment": {"user_id": uid, "type": "TaEnrollment",
                                                                                 "enrollment_state": "active"}}))
    assert in_lab["course_section_id"] == lab["id"] and in_lab["role_id"] == 5
    assert users(ok(cv.get(f"/sections/{lab['id']}/enrollments"))) == {uid}
    by_sis = ok(cv.post("/courses/2/enrollments", data={"enrollment[user_id]": "sis_login_id:newcomer@demo-university.edu",
                                                        "enrollment[role_id]": "7"}))
    assert by_sis["type"] == "ObserverEnrollment"
    # the new student has a submission for each of the course's assignments
    assert ok(cv.get(f"/courses/1/assignments/1/submissions/{uid}"))["workflow_state"] == "unsubmitted"


def test_notify_sends_the_invitation_to_the_outbox(cv, fresh):
    uid = newcomer(cv, "invitee@demo-university.edu")
    ok(cv.post("/courses/1/enrollments", data={"enrollment[user_id]": uid}))
    assert fresh.outbox(kind="enrollment_invitation") == []  # "Notifications are not sent by default"
    made = ok(cv.post("/courses/2/enrollments", data={"enrollment[user_id]": uid, "enrollment[notify]": "true"}))
    notice = fresh.outbox(kind="enrollment_invitation")[0]
    assert notice["to"] == "invitee@demo-university.edu" and notice["data"]["enrollment_id"] == made["id"]
    assert "Organic Chemistry Lab" in notice["subject"]


def test_enrollment_errors_are_canvas_messages_and_change_nothing(cv, fresh):
    before = ok(cv.get("/courses/1/enrollments", params={"per_page": 100}))
    for body, message in (({}, "No parameters given"),
                          ({"enrollment[type]": "StudentEnrollment"},
                           "Can't create an enrollment without a user. Include enrollment[user_id] to create an enrollment"),
                          ({"enrollment[user_id]": "4", "enrollment[type]": "WizardEnrollment"}, "Invalid type"),
                          ({"enrollment[user_id]": "4", "enrollment[role_id]": "1"}, "Invalid role")):
        answer = cv.post("/courses/1/enrollments", data=body)
        assert answer.status_code == 400 and answer.json() == {"message": message}, body
    assert not_found(cv.post("/courses/1/enrollments", data={"enrollment[user_id]": "999999"}))
    concluded = cv.post("/courses/3/enrollments", data={"enrollment[user_id]": "5"})
    assert concluded.json() == {"message": "Can't add an enrollment to a concluded course."}
    assert ok(cv.get("/courses/1/enrollments", params={"per_page": 100})) == before


def test_teachers_add_students_and_tas_but_not_teachers_and_students_add_nobody(cv, fresh):
    uid = newcomer(cv)
    with as_teacher(cv, fresh) as teacher:
        assert ok(teacher.post("/courses/1/enrollments", data={"enrollment[user_id]": uid}))["type"] == "StudentEnrollment"
        assert unauthorized(teacher.post("/courses/1/enrollments", data={"enrollment[user_id]": uid,
                                                                         "enrollment[type]": "TeacherEnrollment"}))
        assert unauthorized(teacher.post("/courses/5/enrollments", data={"enrollment[user_id]": uid}))  # not his course
    with as_student(cv, fresh) as student:
        assert unauthorized(student.post("/courses/1/enrollments", data={"enrollment[user_id]": uid}))


def test_tasks_conclude_delete_deactivate_and_reactivate(cv, fresh):
    uid = newcomer(cv)
    made = ok(cv.post("/courses/1/enrollments", data={"enrollment[user_id]": uid, "enrollment[enrollment_state]": "active"}))
    path = f"/courses/1/enrollments/{made['id']}"
    not_inactive = cv.put(f"{path}/reactivate")
    assert not_inactive.status_code == 400 and not_inactive.json() == {"error": "enrollment not inactive"}
    assert ok(cv.delete(path, params={"task": "deactivate"}))["enrollment_state"] == "inactive"
    assert uid in users(ok(cv.get("/courses/1/enrollments")))  # staff see inactive ones by default
    with as_student(cv, fresh) as student:
        assert uid not in users(ok(student.get("/courses/1/enrollments")))
    assert uid not in users(ok(cv.get("/courses/1/enrollments", params={"state[]": "active"})))
    assert ok(cv.put(f"{path}/reactivate"))["enrollment_state"] == "active"
    assert ok(cv.delete(path))["enrollment_state"] == "completed"  # conclude is the default task
    assert uid in users(ok(cv.get("/courses/1/enrollments", params={"state[]": "current_and_concluded"})))
    assert ok(cv.delete(path, params={"task": "delete"}))["enrollment_state"] == "deleted"
    assert not_found(cv.delete(path, params={"task": "delete"}))
    with as_student(cv, fresh) as student:
        own = next(r for r in ok(student.get(f"/users/{STUDENT}/enrollments")) if r["course_id"] == 1)
        assert unauthorized(student.delete(f"/courses/1/enrollments/{own['id']}"))


def test_an_invitation_is_the_invited_users_to_accept_or_reject(cv, fresh):
    ok(cv.put("/courses/4", data={"course[event]": "offer"}))
    invitation = next(r for r in ok(cv.get("/courses/4/enrollments")) if r["user_id"] == STUDENT)
    with as_teacher(cv, fresh) as teacher:
        assert unauthorized(teacher.post(f"/courses/4/enrollments/{invitation['id']}/accept"))
        assert not_found(teacher.post(f"/courses/1/enrollments/{invitation['id']}/accept"))  # not that course's
    with as_student(cv, fresh) as student:
        assert ok(student.post(f"/courses/4/enrollments/{invitation['id']}/accept")) == {"success": True}
        assert ok(student.post(f"/courses/4/enrollments/{invitation['id']}/accept")) == {"success": True}  # already so
        late = student.post(f"/courses/4/enrollments/{invitation['id']}/reject")
        assert late.status_code == 400 and late.json() == {"error": "no current invitation"}
        assert 4 in [c["id"] for c in ok(student.get("/courses"))]
    uid = newcomer(cv)
    made = ok(cv.post("/courses/4/enrollments", data={"enrollment[user_id]": uid}))
    # the admin answers as the invited user (masquerading with as_user_id)
    assert ok(cv.post(f"/courses/4/enrollments/{made['id']}/reject", params={"as_user_id": uid})) == {"success": True}
    assert made["user_id"] not in users(ok(cv.get("/courses/4/enrollments")))
    assert uid in users(ok(cv.get("/courses/4/enrollments", params={"state[]": "rejected"})))


def test_a_users_enrollments_are_their_own_or_a_root_admins(cv, fresh):
    assert {1, 2, 3, 4} <= {r["course_id"] for r in ok(cv.get(f"/users/{STUDENT}/enrollments"))}
    for session in (as_teacher(cv, fresh), as_dean(cv, fresh)):
        with session as other:  # "only a root level admin user can return other users' enrollments"
            assert unauthorized(other.get(f"/users/{STUDENT}/enrollments"))
    with as_student(cv, fresh) as student:
        mine = ok(student.get("/users/self/enrollments"))
        assert {r["course_id"] for r in mine} == {1, 2, 4}  # World History is concluded
        assert [r["type"] for r in mine] == sorted(r["type"] for r in mine)
        assert 3 in {r["course_id"] for r in ok(student.get("/users/self/enrollments", params={"state[]": "active"}))}
        # your own id in user_id: your enrollments in a course whose roster you may not read
        assert unauthorized(student.get("/courses/5/enrollments"))
        assert ok(student.get("/courses/5/enrollments", params={"user_id": STUDENT})) == []


def test_an_enrollment_by_id_in_an_account(cv, fresh):
    enrollment = ok(cv.get("/courses/1/enrollments"))[0]
    assert ok(cv.get(f"/accounts/1/enrollments/{enrollment['id']}"))["id"] == enrollment["id"]
    with as_dean(cv, fresh) as dean:  # Chemistry is below Arts and Sciences
        assert ok(dean.get(f"/accounts/2/enrollments/{enrollment['id']}"))["course_id"] == 1
    assert not_found(cv.get(f"/accounts/3/enrollments/{enrollment['id']}"))  # not under Engineering
    with as_teacher(cv, fresh) as teacher:
        assert unauthorized(teacher.get(f"/accounts/1/enrollments/{enrollment['id']}"))
    own = next(r for r in ok(cv.get("/courses/1/enrollments")) if r["user_id"] == STUDENT)
    with as_student(cv, fresh) as student:  # your own enrollment you may read
        assert ok(student.get(f"/accounts/1/enrollments/{own['id']}"))["user_id"] == STUDENT


def test_a_section_limited_ta_sees_only_their_sections_people(cv, fresh):
    lab_a = ok(cv.get("/sections/sis_section_id:CHEM101-LA"))
    lab_b = ok(cv.get("/sections/sis_section_id:CHEM101-LB"))
    ta = newcomer(cv, "lab.ta@demo-university.edu")
    other = newcomer(cv, "lab.b@demo-university.edu")
    ok(cv.post(f"/sections/{lab_a['id']}/enrollments", data={"enrollment[user_id]": ta, "enrollment[type]": "TaEnrollment",
                                                            "enrollment[enrollment_state]": "active",
                                                            "enrollment[limit_privileges_to_course_section]": "true"}))
    ok(cv.post(f"/sections/{lab_b['id']}/enrollments", data={"enrollment[user_id]": other,
                                                            "enrollment[enrollment_state]": "active"}))
    seen = users(ok(cv.get("/courses/1/enrollments", params={"as_user_id": ta, "per_page": 100})))  # as the TA
    assert ta in seen and other not in seen and STUDENT not in seen
    assert other in users(ok(cv.get("/courses/1/enrollments", params={"per_page": 100})))
