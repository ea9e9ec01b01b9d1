"""Canvas global notifications (who sees which, closing, admins' views, create and update) and
account reports (runs that advance on the sandbox clock, index, delete, abort)."""

from __future__ import annotations

import pytest

from canvas_helpers import STUDENT, as_student, as_teacher, links, not_found, ok, unauthorized

WELCOME, SURVEY, SENATE, EXAMS, MAINTENANCE, LAB_SAFETY = range(1, 7)  # fixtures/canvas.yaml


def ids(rows):
    return [row["id"] for row in rows]


@pytest.fixture
def january(fresh):
    fresh.clock(now="2026-01-10T00:00:00Z", frozen=True)  # the exam schedule is still up
    return fresh


# -- who sees which notification ---------------------------------------------------------------------


def test_each_person_sees_what_runs_now_for_their_roles_and_accounts(cv, january):
    with as_student(cv, january) as student:
        assert ids(ok(student.get("/accounts/1/account_notifications"))) == [EXAMS, SURVEY, LAB_SAFETY, WELCOME]
    with as_teacher(cv, january) as teacher:
        assert ids(ok(teacher.get("/accounts/1/account_notifications"))) == [EXAMS, SENATE, LAB_SAFETY, WELCOME]
    seen = ok(cv.get("/accounts/1/account_notifications"))  # admins see every role's
    assert ids(seen) == [EXAMS, SENATE, SURVEY, WELCOME]
    survey = next(n for n in seen if n["id"] == SURVEY)
    assert survey["roles"] == ["StudentEnrollment"] and survey["role_ids"] == [3] and survey["icon"] == "question"
    assert set(survey) == {"id", "subject", "start_at", "end_at", "icon", "message", "role_ids", "roles"}


def test_closing_hides_a_notification_for_that_person_only_and_include_past_brings_it_back(cv, fresh):
    fresh.clock(now="2026-03-01T00:00:00Z", frozen=True)  # the exam schedule ended six weeks ago
    with as_student(cv, fresh) as student:
        assert ids(ok(student.get("/accounts/1/account_notifications"))) == [SURVEY, LAB_SAFETY, WELCOME]
        closed = ok(student.delete(f"/accounts/1/account_notifications/{SURVEY}"))
        assert closed["id"] == SURVEY and closed["subject"] == "Take the course survey"
        assert ids(ok(student.get("/accounts/1/account_notifications"))) == [LAB_SAFETY, WELCOME]
        assert unauthorized(student.get(f"/accounts/1/account_notifications/{SURVEY}"))
        past = ok(student.get("/accounts/1/account_notifications", params={"include_past": "true"}))
        assert ids(past) == [EXAMS, SURVEY, LAB_SAFETY, WELCOME]
        flagged = ok(student.get("/accounts/1/account_notifications", params={"include_past": "true", "show_is_closed": "true"}))
        assert {n["id"]: n["closed"] for n in flagged} == {EXAMS: False, SURVEY: True, LAB_SAFETY: False, WELCOME: False}
    fresh.clock(now="2026-06-01T00:00:00Z", frozen=True)  # past the four months
    with as_student(cv, fresh) as student:
        assert EXAMS not in ids(ok(student.get("/accounts/1/account_notifications", params={"include_past": "true"})))
    with as_teacher(cv, fresh) as teacher:
        assert ok(teacher.get(f"/accounts/1/account_notifications/{WELCOME}"))["id"] == WELCOME


def test_show_answers_only_what_the_person_sees_now(cv, january):
    with as_student(cv, january) as student:
        assert ok(student.get(f"/accounts/1/account_notifications/{WELCOME}"))["subject"] == "Welcome to Demo University"
        assert unauthorized(student.get(f"/accounts/1/account_notifications/{SENATE}"))  # teachers only
        assert unauthorized(student.get(f"/accounts/1/account_notifications/{MAINTENANCE}"))  # not yet
        assert not_found(student.get("/accounts/1/account_notifications/999"))


def test_include_all_is_every_notification_of_the_account_with_its_author_for_admins(cv, january):
    everything = ok(cv.get("/accounts/1/account_notifications", params={"include_all": "true"}))
    assert sorted(ids(everything)) == [WELCOME, SURVEY, SENATE, EXAMS, MAINTENANCE]
    assert everything[0]["author"] == {"id": 1, "name": "Ada Admin"}
    with as_student(cv, january) as student:
        assert unauthorized(student.get("/accounts/1/account_notifications", params={"include_all": "true"}))


def test_the_user_scoped_routes_canvasapi_calls_work_for_yourself_only(cv, january):
    with as_student(cv, january) as student:
        mine = ok(student.get(f"/accounts/1/users/{STUDENT}/account_notifications"))
        assert ids(mine) == ids(ok(student.get("/accounts/1/users/self/account_notifications")))
        assert not_found(student.get("/accounts/1/users/1/account_notifications"))
        ok(student.delete(f"/accounts/1/users/self/account_notifications/{WELCOME}"))
        assert WELCOME not in ids(ok(student.get("/accounts/1/account_notifications")))
        assert unauthorized(student.get(f"/accounts/1/users/self/account_notifications/{WELCOME}"))


# -- create and update --------------------------------------------------------------------------------


def test_an_admin_creates_a_notification_by_form_with_roles(cv, january):
    created = ok(cv.post("/accounts/1/account_notifications", data={
        "account_notification[subject]": "Library hours", "account_notification[message]": "Open late all week",
        "account_notification[start_at]": "2026-01-01T00:00Z", "account_notification[end_at]": "2026-02-01T00:00Z",
        "account_notification_roles[]": ["StudentEnrollment", "4", "Bogus"]}))
    assert created["icon"] == "warning" and created["start_at"] == "2026-01-01T00:00:00Z"
    assert created["roles"] == ["StudentEnrollment", "TeacherEnrollment"] and created["role_ids"] == [3, 4]
    with as_student(cv, january) as student:
        assert ids(ok(student.get("/accounts/1/account_notifications")))[0] == created["id"]


def test_a_json_notification_without_roles_reaches_everyone(cv, january):
    created = ok(cv.post("/accounts/5/account_notifications", json={"account_notification": {
        "subject": "Fume hoods", "message": "Serviced Friday", "start_at": "2026-01-09T00:00:00Z",
        "end_at": "2026-01-20T00:00:00Z", "icon": "information"}}))
    assert created["roles"] == [] and created["icon"] == "information"
    with as_student(cv, january) as student:  # Stella takes chemistry: the department's notice reaches her
        assert created["id"] in ids(ok(student.get("/accounts/1/account_notifications")))


def test_a_notification_needs_its_fields_and_dates_in_order(cv, january):
    missing = cv.post("/accounts/1/account_notifications", data={"account_notification[message]": "no subject"})
    assert missing.status_code == 400
    errors = missing.json()["errors"]
    assert set(errors) == {"subject", "start_at", "end_at"}
    assert errors["subject"] == [{"attribute": "subject", "type": "blank", "message": "blank"}]
    backwards = cv.post("/accounts/1/account_notifications", json={"account_notification": {
        "subject": "s", "message": "m", "start_at": "2026-02-01T00:00:00Z", "end_at": "2026-01-01T00:00:00Z"}})
    assert backwards.status_code == 400
    assert backwards.json()["errors"]["end_at"][0]["message"] == "Account notification end time precedes start time"
    nothing = cv.post("/accounts/1/account_notifications")
    assert nothing.status_code == 400 and nothing.json() == {"errors": [{"message": "account_notification is missing"}]}
    with as_teacher(cv, january) as teacher:
        assert unauthorized(teacher.post("/accounts/1/account_notifications", json={"account_notification": {"subject": "x"}}))
    assert len(ok(cv.get("/accounts/1/account_notifications", params={"include_all": "true"}))) == 5


def test_an_update_changes_the_given_fields_and_replaces_the_roles(cv, january):
    updated = ok(cv.put(f"/accounts/1/account_notifications/{SURVEY}", data={
        "account_notification[subject]": "Survey closes Friday"}))
    assert updated["subject"] == "Survey closes Friday" and updated["icon"] == "question"
    assert updated["roles"] == []  # no account_notification_roles[]: Canvas clears them
    with as_teacher(cv, january) as teacher:
        assert SURVEY in ids(ok(teacher.get("/accounts/1/account_notifications")))
    retargeted = ok(cv.put(f"/accounts/1/account_notifications/{SURVEY}", json={
        "account_notification": {"icon": "error"}, "account_notification_roles": ["TeacherEnrollment"]}))
    assert retargeted["roles"] == ["TeacherEnrollment"] and retargeted["icon"] == "error"
    assert not_found(cv.put(f"/accounts/5/account_notifications/{SURVEY}", json={"account_notification": {"subject": "x"}}))


# -- reports --------------------------------------------------------------------------------------------


def test_available_reports_list_parameters_and_the_last_run(cv):
    reports = {r["report"]: r for r in ok(cv.get("/accounts/1/reports"))}
    assert len(reports) == 6
    provisioning = reports["provisioning_csv"]
    assert provisioning["title"] == "Provisioning" and provisioning["parameters"]["users"] == {
        "required": False, "description": "Get the Provisioning file for users"}
    assert provisioning["last_run"]["id"] == 1 and provisioning["last_run"]["status"] == "complete"  # run 3 was deleted
    assert reports["student_assignment_outcome_map_csv"]["parameters"] is None
    assert reports["sis_export_csv"]["last_run"] is None


def test_a_report_run_advances_on_the_sandbox_clock_to_complete(cv, fresh):
    fresh.clock(now="2026-05-01T10:00:00Z", frozen=True)
    started = ok(cv.post("/accounts/1/reports/provisioning_csv",
                         data={"parameters[enrollment_term_id]": "4", "parameters[users]": "true"}))
    assert (started["status"], started["progress"], started["file_url"]) == ("created", 0, None)
    assert started["parameters"] == {"enrollment_term_id": "4", "users": "true"} and started["created_at"] == "2026-05-01T10:00:00Z"
    fresh.advance_clock(2 + 30)  # queued two seconds, then half of its 60
    running = ok(cv.get(f"/accounts/1/reports/provisioning_csv/{started['id']}"))
    assert (running["status"], running["progress"], running["started_at"]) == ("running", 50, "2026-05-01T10:00:02Z")
    fresh.advance_clock(30)
    done = ok(cv.get(f"/accounts/1/reports/provisioning_csv/{started['id']}"))
    assert (done["status"], done["progress"], done["ended_at"], done["run_time"]) == ("complete", 100, "2026-05-01T10:01:02Z", 60.0)
    assert done["file_url"].endswith(f"/accounts/1/files/{done['attachment']['id']}/download")
    assert done["attachment"]["filename"].startswith("provisioning_csv_") and done["current_line"] > 1
    latest = {r["report"]: r for r in ok(cv.get("/accounts/1/reports"))}["provisioning_csv"]["last_run"]
    assert latest["id"] == started["id"]
    index = cv.get("/accounts/1/reports/provisioning_csv", params={"per_page": 1})
    assert ids(ok(index)) == [started["id"]] and "next" in links(index)


def test_json_parameters_are_kept_as_given(cv):
    started = ok(cv.post("/accounts/1/reports/grade_export_csv", json={"parameters": {"enrollment_term_id": 4, "include_deleted": True}}))
    assert started["parameters"] == {"enrollment_term_id": 4, "include_deleted": True}


def test_deleting_a_run_hides_it_everywhere(cv):
    deleted = ok(cv.delete("/accounts/1/reports/grade_export_csv/2"))
    assert deleted["status"] == "deleted"
    assert not_found(cv.get("/accounts/1/reports/grade_export_csv/2"))
    assert 2 not in ids(ok(cv.get("/accounts/1/reports/grade_export_csv")))
    assert {r["report"]: r for r in ok(cv.get("/accounts/1/reports"))}["grade_export_csv"]["last_run"] is None


def test_an_aborted_run_stays_aborted_and_a_finished_one_cannot_be(cv, fresh):
    fresh.clock(now="2026-05-01T10:00:00Z", frozen=True)
    started = ok(cv.post("/accounts/1/reports/sis_export_csv"))
    fresh.advance_clock(2 + 45)  # half of its 90 seconds
    aborted = ok(cv.put(f"/accounts/1/reports/sis_export_csv/{started['id']}/abort"))
    assert (aborted["status"], aborted["progress"], aborted["ended_at"]) == ("aborted", 50, "2026-05-01T10:00:47Z")
    fresh.advance_clock(3600)
    later = ok(cv.get(f"/accounts/1/reports/sis_export_csv/{started['id']}"))
    assert (later["status"], later["progress"], later["file_url"]) == ("aborted", 50, None)
    finished = ok(cv.put("/accounts/1/reports/provisioning_csv/1/abort"))
    assert finished["status"] == "complete"


def test_reports_are_for_account_admins_and_known_names(cv, fresh):
    assert not_found(cv.post("/accounts/1/reports/no_such_report"))
    assert not_found(cv.get("/accounts/1/reports/sis_export_csv/1"))  # run 1 is a provisioning_csv
    with as_teacher(cv, fresh) as teacher:
        assert unauthorized(teacher.post("/accounts/1/reports/provisioning_csv"))
        assert unauthorized(teacher.get("/accounts/1/reports/provisioning_csv/1"))
