"""Canvas accounts: what each person sees of the account tree, an account's settings, permissions,
sub-accounts, terms and help links, the institution search, and an account's courses."""

from __future__ import annotations

import pytest

from canvas_helpers import (
    ARTS, CHEMISTRY, COMPUTING, CONTINUING, HISTORY, MANUAL, ROOT, TEACHER,
    as_dean, as_student, as_teacher, client, every_page, ok, unauthorized,
)

SHORT_FORM = {"id", "name", "uuid", "parent_account_id", "root_account_id", "workflow_state", "default_time_zone"}


def ids(rows):
    return [row["id"] for row in rows]


# -- the accounts a person sees ----------------------------------------------------------------------


def test_admins_list_their_accounts_and_students_and_teachers_none(cv, fresh):
    listed = ok(cv.get("/accounts", params={"include[]": ["course_count", "sub_account_count", "lti_guid"]}))
    assert ids(listed) == [ROOT] and listed[0]["sub_account_count"] == 4 and listed[0]["lti_guid"].endswith(":canvas-lms")
    directly = [c for c in every_page(cv, "/accounts/1/courses", per_page=100) if c["account_id"] == ROOT]
    assert listed[0]["course_count"] == len(directly) and listed[0]["root_account_id"] is None
    with as_dean(cv, fresh) as dean:
        assert ids(ok(dean.get("/accounts"))) == [ARTS]
    for person in (as_student(cv, fresh), as_teacher(cv, fresh)):
        with person as session:
            assert ok(session.get("/accounts")) == [] and ok(session.get("/manageable_accounts")) == []


def test_manageable_accounts_reach_every_account_below(cv, fresh):
    assert ids(every_page(cv, "/manageable_accounts", per_page=3)) == list(range(1, 9))
    with as_dean(cv, fresh) as dean:
        assert ids(ok(dean.get("/manageable_accounts"))) == [ARTS, CHEMISTRY, HISTORY]


def test_course_creation_accounts_follow_the_root_accounts_settings(cv, fresh):
    assert ids(ok(cv.get("/course_creation_accounts", params={"per_page": 50}))) == list(range(1, 9))
    with as_teacher(cv, fresh) as teacher:  # teachers may create courses: the manual-courses account
        assert ids(ok(teacher.get("/course_creation_accounts"))) == [MANUAL]
    with as_student(cv, fresh) as student:
        assert ok(student.get("/course_creation_accounts")) == []


def test_course_accounts_are_those_a_person_teaches_in_in_short_form(cv, fresh):
    with as_teacher(cv, fresh) as teacher:
        rows = ok(teacher.get("/course_accounts"))
        assert {CHEMISTRY, HISTORY, MANUAL} <= set(ids(rows))
        assert all(set(row) == SHORT_FORM for row in rows)
    with as_student(cv, fresh) as student:
        assert ok(student.get("/course_accounts")) == []


def test_an_account_by_id_sis_id_or_self(cv, fresh):
    chemistry = ok(cv.get(f"/accounts/{CHEMISTRY}"))
    assert chemistry["name"] == "Department of Chemistry" and chemistry["parent_account_id"] == ARTS
    assert chemistry["sis_account_id"] == "CAS-CHEM" and chemistry["root_account_id"] == ROOT
    assert ok(cv.get("/accounts/sis_account_id:CAS-CHEM")) == chemistry
    assert ok(cv.get("/accounts/self"))["id"] == ROOT
    with as_teacher(cv, fresh) as teacher:  # who teaches in it sees it, without SIS ids
        seen = ok(teacher.get(f"/accounts/{CHEMISTRY}"))
        assert seen["id"] == CHEMISTRY and "sis_account_id" not in seen
        assert unauthorized(teacher.get(f"/accounts/{CONTINUING}"))  # Terry teaches nothing there
    with as_student(cv, fresh) as student:
        assert unauthorized(student.get(f"/accounts/{CHEMISTRY}"))


def test_settings_are_for_admins_and_the_environment_for_everyone(cv, fresh):
    settings = ok(cv.get("/accounts/1/settings"))
    assert settings["microsoft_sync_enabled"] is False and "restrict_student_past_view" in settings
    assert ok(cv.get(f"/accounts/{CHEMISTRY}/settings")) == {}
    with as_teacher(cv, fresh) as teacher:
        assert unauthorized(teacher.get("/accounts/1/settings"))
        assert ok(teacher.get("/settings/environment")) == {"calendar_contexts_limit": 10, "open_registration": False}


def test_permissions_answer_each_name_asked_for(cv, fresh):
    asked = {"permissions[]": ["become_user", "manage_account_settings", "fly"]}
    assert ok(cv.get("/accounts/self/permissions", params=asked)) == {
        "become_user": True, "manage_account_settings": True, "fly": False}
    with as_teacher(cv, fresh) as teacher:
        assert ok(teacher.get(f"/accounts/{CHEMISTRY}/permissions", params=asked)) == {
            "become_user": False, "manage_account_settings": False, "fly": False}
    with as_student(cv, fresh) as student:
        assert unauthorized(student.get("/accounts/self/permissions", params=asked))


def test_sub_accounts_direct_or_recursive_with_counts(cv, fresh):
    direct = ok(cv.get("/accounts/1/sub_accounts", params={"include[]": "sub_account_count"}))
    assert ids(direct) == [ARTS, 3, 4, MANUAL]
    assert [a["sub_account_count"] for a in direct] == [2, 1, 0, 0]
    assert ids(every_page(cv, "/accounts/1/sub_accounts", recursive="true", per_page=2)) == list(range(2, 9))
    with as_dean(cv, fresh) as dean:
        assert ids(ok(dean.get(f"/accounts/{ARTS}/sub_accounts"))) == [CHEMISTRY, HISTORY]
        assert unauthorized(dean.get("/accounts/1/sub_accounts"))


def test_terms_of_service_and_help_links(cv, fresh):
    with as_student(cv, fresh) as student:
        terms = ok(student.get("/accounts/1/terms_of_service"))
        assert terms["terms_type"] == "custom" and terms["account_id"] == ROOT and "acceptable use" in terms["content"]
        links = ok(student.get("/accounts/self/help_links"))
        assert links["help_link_name"] == "Help" and links["custom_help_links"][0]["text"] == "IT Service Desk"
        assert {link["type"] for link in links["default_help_links"]} == {"default"}


def test_the_manually_created_courses_account_in_full_or_short_form(cv, fresh):
    full = ok(cv.get("/manually_created_courses_account"))
    assert full["id"] == MANUAL and full["name"] == "Manually-Created Courses" and "default_storage_quota_mb" in full
    with as_student(cv, fresh) as student:
        assert set(ok(student.get("/manually_created_courses_account"))) == SHORT_FORM


def test_account_search_needs_no_token_and_answers_at_most_five(fresh):
    with client(fresh, None) as anonymous:
        demo = ok(anonymous.get("/accounts/search", params={"name": "demo"}))
        assert demo[0] == {"name": "Demo University", "domain": "demo.instructure.com", "distance": None,
                           "authentication_provider": "canvas"}
        assert len(ok(anonymous.get("/accounts/search", params={"domain": "instructure"}))) == 5
        assert ok(anonymous.get("/accounts/search", params={"name": "zzzz-no-such-school"})) == []
        assert ok(anonymous.get("/accounts/search", params={"domain": "DEMOCC", "latitude": 40.7})) == [
            {"name": "Demo Community College", "domain": "democc.instructure.com", "distance": None,
             "authentication_provider": "canvas"}]


# -- an account's courses -------------------------------------------------------------------------


def courses(cv, account=ROOT, **params):
    return every_page(cv, f"/accounts/{account}/courses", per_page=100, **params)


def test_the_course_list_spans_sub_accounts_and_leaves_out_deleted_courses(cv):
    everything = courses(cv, **{"state[]": "all"})
    listed = courses(cv)
    assert len(listed) >= 25 and {c["account_id"] for c in listed} >= {ROOT, CHEMISTRY, HISTORY, COMPUTING, MANUAL}
    assert "deleted" in {c["workflow_state"] for c in everything} and "deleted" not in {c["workflow_state"] for c in listed}
    assert {c["account_id"] for c in courses(cv, ARTS)} <= {ARTS, CHEMISTRY, HISTORY}


def test_state_published_and_blueprint_filters(cv):
    unpublished = courses(cv, **{"state[]": "unpublished"})
    assert unpublished and {c["workflow_state"] for c in unpublished} == {"unpublished"}
    assert {c["workflow_state"] for c in courses(cv, **{"state[]": ["available", "completed"]})} == {"available", "completed"}
    published, not_published = courses(cv, published="true"), courses(cv, published="false")
    assert {c["workflow_state"] for c in published} == {"available"}
    assert "available" not in {c["workflow_state"] for c in not_published}
    assert len(published) + len(not_published) == len(courses(cv))
    assert [c["name"] for c in courses(cv, blueprint="true")] == ["Blueprint - Intro Programming"]


def test_with_enrollments_splits_the_list(cv):
    enrolled, empty = courses(cv, with_enrollments="true"), courses(cv, with_enrollments="false")
    assert enrolled and empty and len(enrolled) + len(empty) == len(courses(cv))
    assert all(c["total_students"] == 0 for c in courses(cv, with_enrollments="false", **{"include[]": "total_students"}))
    assert ids(courses(cv, hide_enrollmentless_courses="true")) == ids(enrolled)
    students = courses(cv, **{"enrollment_type[]": "student", "include[]": "total_students"})
    assert students and all(c["total_students"] > 0 for c in students)


def test_completed_courses_include_those_whose_term_ended(cv, fresh):
    fresh.clock(now="2026-03-01T00:00:00Z", frozen=True)  # Fall 2025 has ended, Spring 2026 has not
    done = courses(cv, completed="true", **{"include[]": ["term", "concluded"]})
    assert done and all(c["concluded"] for c in done)
    assert {c["term"]["name"] for c in done if c["workflow_state"] != "completed"} == {"Fall 2025"}
    fresh.clock(now="2026-07-01T00:00:00Z", frozen=True)  # now Spring 2026 has ended too
    assert {c["term"]["name"] for c in courses(cv, completed="true", **{"include[]": "term"})
            if c["workflow_state"] != "completed"} == {"Fall 2025", "Spring 2026"}
    assert not any(c["concluded"] for c in courses(cv, completed="false", **{"include[]": "concluded"}))


def test_term_teacher_and_subaccount_filters(cv):
    assert {c["enrollment_term_id"] for c in courses(cv, enrollment_term_id=3)} == {3}
    taught = courses(cv, **{"by_teachers[]": TEACHER, "include[]": "teachers"})
    assert ids(taught)[:4] == [1, 2, 3, 4] and all(TEACHER in ids(c["teachers"]) for c in taught)
    chemistry_and_computing = courses(cv, **{"by_subaccounts[]": [CHEMISTRY, COMPUTING]})
    assert {c["account_id"] for c in chemistry_and_computing} == {CHEMISTRY, COMPUTING}
    assert {c["account_id"] for c in courses(cv, **{"by_subaccounts[]": ARTS})} <= {ARTS, CHEMISTRY, HISTORY}


def test_search_term_matches_name_code_or_id_and_needs_three_characters(cv):
    chem = courses(cv, search_term="chem")
    assert chem and all("chem" in (c["name"] + c["course_code"] + c["sis_course_id"]).lower() for c in chem)
    assert ids(courses(cv, search_term="CHEM 101")) == [1]
    by_teacher = courses(cv, search_term="terry", search_by="teacher")
    assert ids(by_teacher)[:4] == [1, 2, 3, 4]
    short = cv.get("/accounts/1/courses", params={"search_term": "ch"})
    assert short.status_code == 400 and short.json() == {
        "errors": [{"field": "search_term", "code": "invalid", "message": "3 or more characters is required"}]}


def test_sort_and_order(cv):
    by_name = courses(cv, sort="course_name")
    assert [c["name"].casefold() for c in by_name] == sorted(c["name"].casefold() for c in by_name)
    backwards = courses(cv, sort="course_name", order="desc")
    assert ids(backwards) == ids(by_name)[::-1]
    by_account = courses(cv, sort="account_name", **{"include[]": "account_name"})
    assert [c["account_name"].casefold() for c in by_account] == sorted(c["account_name"].casefold() for c in by_account)
    assert ids(courses(cv, order="desc")) == sorted(ids(courses(cv)), reverse=True)


def test_includes_add_their_fields(cv):
    course = courses(cv, **{"include[]": ["syllabus_body", "term", "course_progress", "storage_quota_used_mb",
                                          "total_students", "teachers", "account_name", "concluded", "post_manually"],
                            "search_term": "CHEM 101"})[0]
    assert course["term"]["name"] == "Academic Year 2026-27" and course["account_name"] == "Department of Chemistry"
    assert course["teachers"][0]["display_name"] == "Terry Teacher" and course["total_students"] >= 1
    assert course["syllabus_body"].startswith("<p>") and "error" in course["course_progress"]
    assert {"storage_quota_used_mb", "concluded", "post_manually"} <= set(course)
    assert course["calendar"]["ics"].endswith(f"course_{course['uuid']}.ics")


@pytest.mark.parametrize("account", [ROOT, CHEMISTRY])
def test_only_admins_above_an_account_list_its_courses(cv, fresh, account):
    with as_teacher(cv, fresh) as teacher:
        assert unauthorized(teacher.get(f"/accounts/{account}/courses"))
    with as_dean(cv, fresh) as dean:
        listed = dean.get(f"/accounts/{account}/courses")
        assert unauthorized(listed) if account == ROOT else listed.status_code == 200
