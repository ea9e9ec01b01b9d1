"""Canvas users, sections and enrollment terms over HTTP: an account's users, creating and editing
users, profiles; a course's sections and cross-listing; the root account's terms."""

from __future__ import annotations

from canvas_helpers import (
    ARTS, STUDENT, TEACHER, as_dean, as_student, as_teacher, every_page, not_found, ok, unauthorized,
)


def ids(rows):
    return [row["id"] for row in rows]


# -- users ------------------------------------------------------------------------------------------


def test_account_users_searched_sorted_and_scoped_to_the_account(cv, fresh):
    found = ok(cv.get("/accounts/1/users", params={"search_term": "stella"}))
    assert ids(found) == [STUDENT] and found[0]["login_id"] == "stella.student@demo-university.edu"
    assert "email" not in found[0]
    assert ok(cv.get("/accounts/1/users", params={"search_term": "stella", "include[]": "email"}))[0]["email"]
    page = ok(cv.get("/accounts/1/users", params={"per_page": 50}))
    names = [u["sortable_name"].casefold() for u in page]
    assert names == sorted(names)
    desc = ok(cv.get("/accounts/1/users", params={"per_page": 50, "order": "desc"}))
    assert desc[0]["sortable_name"].casefold() >= desc[-1]["sortable_name"].casefold()
    assert TEACHER in ids(every_page(cv, "/accounts/1/users", per_page=100, enrollment_type="teacher"))
    short = cv.get("/accounts/1/users", params={"search_term": "st"})
    assert short.status_code == 400 and short.json()["errors"][0]["message"] == "3 or more characters is required"
    with as_dean(cv, fresh) as dean:
        assert ids(ok(dean.get(f"/accounts/{ARTS}/users", params={"search_term": "Stella"}))) == [STUDENT]
        assert unauthorized(dean.get("/accounts/1/users"))
    with as_student(cv, fresh) as student:
        assert unauthorized(student.get("/accounts/1/users"))


def test_creating_a_user_needs_an_unused_login(cv, fresh):
    made = ok(cv.post("/accounts/1/users", data={"user[name]": "Maya Angelou Rivera", "pseudonym[unique_id]": "maya@demo-university.edu",
                                                 "pseudonym[sis_user_id]": "S-MAYA", "communication_channel[address]": "maya@example.com"}))
    assert (made["sortable_name"], made["sis_user_id"], made["email"]) == ("Rivera, Maya Angelou", "S-MAYA", "maya@example.com")
    assert ok(cv.get("/users/sis_user_id:S-MAYA"))["id"] == made["id"]
    taken = cv.post("/accounts/1/users", data={"pseudonym[unique_id]": "MAYA@demo-university.edu"})
    assert taken.status_code == 400 and taken.json()["errors"]["pseudonym"]["unique_id"] == [
        {"attribute": "unique_id", "type": "taken", "message": "ID already in use for this account and authentication provider"}]
    missing = cv.post("/accounts/1/users", data={"user[name]": "No Login"})
    assert missing.status_code == 400 and missing.json()["errors"]["pseudonym"]["unique_id"][0]["type"] == "too_short"
    login_only = ok(cv.post("/accounts/1/users", json={"pseudonym": {"unique_id": "solo"}}))
    assert login_only["name"] == "solo"
    with as_teacher(cv, fresh) as teacher:
        assert unauthorized(teacher.post("/accounts/1/users", data={"pseudonym[unique_id]": "sneaky"}))


def test_editing_a_user_and_reading_profiles(cv, fresh):
    with as_student(cv, fresh) as student:
        me = ok(student.put("/users/self", data={"user[name]": "Stella Starr", "user[time_zone]": "America/Chicago"}))
        assert (me["name"], me["sortable_name"], me["time_zone"]) == ("Stella Starr", "Starr, Stella", "America/Chicago")
        profile = ok(student.get("/users/self/profile"))
        assert (profile["name"], profile["primary_email"]) == ("Stella Starr", "stella.student@demo-university.edu")
        assert unauthorized(student.put(f"/users/{TEACHER}", data={"user[name]": "Nope"}))
        assert unauthorized(student.get(f"/users/{TEACHER}/profile"))
    ok(cv.put(f"/users/{TEACHER}", json={"user": {"bio": "Chemist.", "title": "Professor"}}))
    profile = ok(cv.get(f"/users/{TEACHER}/profile"))
    assert (profile["bio"], profile["title"]) == ("Chemist.", "Professor")
    assert not_found(cv.get("/users/999999/profile"))
    assert ok(cv.get("/users/sis_login_id:TERRY.TEACHER@demo-university.edu"))["id"] == TEACHER


# -- sections ---------------------------------------------------------------------------------------


def test_sections_listed_created_changed_and_deleted(cv, fresh):
    listed = ok(cv.get("/courses/1/sections", params={"include[]": "total_students"}))
    assert listed[0]["name"] == "Introduction to Chemistry" and listed[0]["total_students"] >= 1
    lab = ok(cv.get("/sections/sis_section_id:CHEM101-LA"))
    assert (lab["name"], lab["course_id"], lab["sis_course_id"]) == ("CHEM 101 Lab A", 1, "CHEM101-1")
    assert ok(cv.get(f"/courses/1/sections/{lab['id']}"))["id"] == lab["id"]
    assert not_found(cv.get(f"/courses/2/sections/{lab['id']}"))
    with as_teacher(cv, fresh) as teacher:
        made = ok(teacher.post("/courses/1/sections", data={"course_section[name]": "Evening"}))
        assert made["name"] == "Evening" and made["sis_section_id"] is None
        assert ok(teacher.put(f"/sections/{made['id']}", data={"course_section[name]": "Evening (online)"}))["name"] == "Evening (online)"
        assert unauthorized(teacher.post("/courses/1/sections", data={"course_section[name]": "X",
                                                                      "course_section[sis_section_id]": "X1"}))
        ok(teacher.delete(f"/sections/{made['id']}"))
        assert not_found(teacher.get(f"/sections/{made['id']}"))
        default = listed[0]["id"]
        refused = teacher.delete(f"/sections/{default}")
        assert refused.status_code == 400 and refused.json() == {"message": "You can't delete a section that has enrollments"}
    with as_student(cv, fresh) as student:
        assert ok(student.get("/courses/1/sections"))
        assert unauthorized(student.post("/courses/1/sections", data={"course_section[name]": "Mine"}))
    backwards = cv.post("/courses/1/sections", data={"course_section[start_at]": "2026-05-01T00:00:00Z",
                                                     "course_section[end_at]": "2026-04-01T00:00:00Z"})
    assert backwards.status_code == 400 and "end_at" in backwards.json()["errors"]


def test_crosslisting_moves_a_section_and_its_people_and_back(cv, fresh):
    lab = ok(cv.get("/sections/sis_section_id:CHEM101-LB"))
    uid = ok(cv.post("/accounts/1/users", data={"pseudonym[unique_id]": "lab.student@demo-university.edu"}))["id"]
    ok(cv.post(f"/sections/{lab['id']}/enrollments", data={"enrollment[user_id]": uid, "enrollment[enrollment_state]": "active"}))
    moved = ok(cv.post(f"/sections/{lab['id']}/crosslist/2"))
    assert (moved["course_id"], moved["nonxlist_course_id"]) == (2, 1)
    assert uid in [e["user_id"] for e in ok(cv.get("/courses/2/enrollments"))]
    assert uid not in [e["user_id"] for e in ok(cv.get("/courses/1/enrollments"))]
    back = ok(cv.delete(f"/sections/{lab['id']}/crosslist"))
    assert (back["course_id"], back["nonxlist_course_id"]) == (1, None)
    again = cv.delete(f"/sections/{lab['id']}/crosslist")
    assert again.status_code == 400 and again.json() == {"message": "section is not cross-listed"}
    with as_teacher(cv, fresh) as teacher:  # Terry does not teach the blueprint course
        assert unauthorized(teacher.post(f"/sections/{lab['id']}/crosslist/5"))


# -- terms ------------------------------------------------------------------------------------------


def test_terms_are_wrapped_ordered_and_for_root_admins(cv, fresh):
    listed = cv.get("/accounts/1/terms")
    body = ok(listed)
    assert list(body) == ["enrollment_terms"] and "Link" in listed.headers
    assert [t["name"] for t in body["enrollment_terms"]] == ["Default Term", "Fall 2025", "Spring 2026", "Academic Year 2026-27"]
    assert body["enrollment_terms"][1]["sis_term_id"] == "2025FA"
    one = ok(cv.get("/accounts/1/terms/sis_term_id:2026SP"))
    assert one["name"] == "Spring 2026" and one["overrides"] == {}
    assert "overrides" not in body["enrollment_terms"][0]
    assert ok(cv.get("/accounts/self/terms", params={"term_name": "fall"}))["enrollment_terms"][0]["id"] == 2
    with as_dean(cv, fresh) as dean:
        assert unauthorized(dean.get("/accounts/1/terms")) and unauthorized(dean.get(f"/accounts/{ARTS}/terms"))
    with as_student(cv, fresh) as student:
        assert unauthorized(student.get("/accounts/1/terms/2"))
    assert not_found(cv.get("/accounts/1/terms/99"))


def test_terms_created_changed_and_deleted_with_canvas_refusals(cv, fresh):
    made = ok(cv.post("/accounts/1/terms", data={"enrollment_term[name]": "Winter 2027", "enrollment_term[sis_term_id]": "2027WI"}))
    assert (made["workflow_state"], made["start_at"]) == ("active", None)
    blank = cv.post("/accounts/1/terms", data={"enrollment_term[start_at]": "2027-01-01T00:00:00Z"})
    assert blank.status_code == 400 and blank.json()["errors"]["name"][0]["type"] == "blank"
    dup = cv.post("/accounts/1/terms", data={"enrollment_term[name]": "Again", "enrollment_term[sis_term_id]": "2027WI"})
    assert dup.status_code == 400
    changed = ok(cv.put(f"/accounts/1/terms/{made['id']}", json={"enrollment_term": {"start_at": "2027-01-04T00:00:00Z",
                                                                                    "end_at": "2027-02-20T00:00:00Z"}}))
    assert changed["start_at"] == "2027-01-04T00:00:00Z"
    backwards = cv.put(f"/accounts/1/terms/{made['id']}", data={"enrollment_term[end_at]": "2026-01-01T00:00:00Z"})
    assert backwards.status_code == 400
    assert ok(cv.delete(f"/accounts/1/terms/{made['id']}"))["workflow_state"] == "deleted"
    assert made["id"] not in ids(ok(cv.get("/accounts/1/terms"))["enrollment_terms"])
    assert made["id"] in ids(ok(cv.get("/accounts/1/terms", params={"workflow_state[]": "all"}))["enrollment_terms"])
    with_courses = cv.delete("/accounts/1/terms/4")
    assert with_courses.status_code == 400 and with_courses.json()["errors"]["workflow_state"][0]["message"] == \
        "Cannot delete a term with active courses"
    assert cv.delete("/accounts/1/terms/1").json()["errors"]["workflow_state"][0]["message"] == "Cannot delete the default term"
