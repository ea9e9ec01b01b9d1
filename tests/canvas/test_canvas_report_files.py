"""Canvas report files (issue 15 §5): a finished provisioning or SIS export run attaches CSVs
generated from the world, with the columns of Canvas's SisExporter
(gems/plugins/account_reports/lib/account_reports/sis_exporter.rb); its ``file_url`` and
``attachment.url`` download them, and GET /files/:id answers the attachment."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import requests
from canvasapi import Canvas

from canvas_helpers import as_student, not_found, ok

USERS = ["canvas_user_id", "user_id", "integration_id", "authentication_provider_id", "login_id", "first_name",
         "last_name", "full_name", "sortable_name", "short_name", "email", "status", "created_by_sis"]
COURSES = ["canvas_course_id", "course_id", "integration_id", "short_name", "long_name", "canvas_account_id",
           "account_id", "canvas_term_id", "term_id", "status", "start_date", "end_date", "course_format",
           "canvas_blueprint_course_id", "blueprint_course_id", "created_by_sis"]
ACCOUNTS = ["canvas_account_id", "account_id", "canvas_parent_id", "parent_account_id", "name", "status",
            "created_by_sis"]
TERMS = ["canvas_term_id", "term_id", "name", "status", "start_date", "end_date", "created_by_sis"]
SECTIONS = ["canvas_section_id", "section_id", "canvas_course_id", "course_id", "integration_id", "name", "status",
            "start_date", "end_date", "canvas_account_id", "account_id", "created_by_sis"]
ENROLLMENTS = ["canvas_course_id", "course_id", "canvas_user_id", "user_id", "role", "role_id", "canvas_section_id",
               "section_id", "status", "canvas_associated_user_id", "associated_user_id", "created_by_sis",
               "base_role_type", "limit_section_privileges", "canvas_enrollment_id"]
SIS_USERS = ["user_id", "integration_id", "authentication_provider_id", "login_id", "password", "first_name",
             "last_name", "full_name", "sortable_name", "short_name", "email", "status"]


def run(cv, fresh, kind: str = "provisioning_csv", **parameters) -> dict:
    """Start a run with ``parameters[...]`` as canvasapi sends them, and let the clock finish it."""
    fresh.clock(now="2026-05-01T10:00:00Z", frozen=True)
    started = ok(cv.post(f"/accounts/1/reports/{kind}", data={f"parameters[{k}]": v for k, v in parameters.items()}))
    fresh.advance_clock(600)
    done = ok(cv.get(f"/accounts/1/reports/{kind}/{started['id']}"))
    assert done["status"] == "complete"
    return done


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def world(fresh) -> dict:
    return {name: [doc for _, doc in table] for name, table in json.loads(fresh.state())["tables"].items()}


def test_a_users_run_downloads_a_csv_of_every_user_from_its_file_url(cv, fresh):
    done = run(cv, fresh, users="true")
    response = cv.get(done["file_url"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert done["attachment"]["filename"] in response.headers["content-disposition"]
    table = rows(response.text)
    assert table[0] == USERS
    people = world(fresh)["canvas_users"]
    assert [int(r[0]) for r in table[1:]] == [u["id"] for u in people]
    ada = dict(zip(USERS, table[1]))
    assert ada == {**ada, "canvas_user_id": "1", "user_id": "U000001", "login_id": "ada.admin@demo-university.edu",
                   "first_name": "Ada", "last_name": "Admin", "sortable_name": "Admin, Ada", "status": "active",
                   "created_by_sis": "false"}
    assert done["current_line"] == len(table) and done["attachment"]["size"] == len(response.content)


def test_attachment_url_downloads_the_same_bytes_without_a_token_thanks_to_its_verifier(cv, fresh):
    done = run(cv, fresh, users="true", courses="false")
    url = done["attachment"]["url"]
    assert f"verifier={done['attachment']['uuid']}" in url
    anonymous = requests.get(url, timeout=30)
    assert anonymous.status_code == 200 and anonymous.content == cv.get(done["file_url"]).content


def test_a_download_without_verifier_or_token_is_401_and_a_student_gets_403(cv, fresh):
    done = run(cv, fresh, users="true")
    bare = requests.get(done["file_url"], timeout=30)
    assert bare.status_code == 401
    assert bare.json() == {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}
    wrong = requests.get(done["attachment"]["url"].replace("verifier=", "verifier=x"), timeout=30)
    assert wrong.status_code == 401
    with as_student(cv, fresh) as student:
        assert student.get(done["file_url"]).status_code == 403
        assert student.get(f"/files/{done['attachment']['id']}").status_code == 403


def test_get_file_answers_the_attachment_of_the_report(cv, fresh):
    done = run(cv, fresh, users="true")
    shown = ok(cv.get(f"/files/{done['attachment']['id']}"))
    assert shown == done["attachment"]
    assert shown["content-type"] == "text/csv" and shown["upload_status"] == "success"
    assert shown["display_name"] == f"provisioning_csv_01_May_2026_{done['id']}_.csv"


def test_a_file_that_does_not_exist_or_is_not_finished_is_404(cv, fresh):
    fresh.clock(now="2026-05-01T10:00:00Z", frozen=True)
    running = ok(cv.post("/accounts/1/reports/provisioning_csv", data={"parameters[users]": "true"}))
    assert not_found(cv.get(f"/files/{1000 + running['id']}"))
    assert not_found(cv.get(f"/files/{1000 + running['id']}/download"))
    assert not_found(cv.get("/files/999999"))
    assert not_found(cv.get("/accounts/2/files/1001/download"))


def test_courses_follow_the_term_and_leave_out_deleted_and_concluded_ones_unless_include_deleted(cv, fresh):
    courses = world(fresh)["canvas_courses"]
    term = 4
    in_term = [c for c in courses if c["enrollment_term_id"] == term]
    table = rows(cv.get(run(cv, fresh, courses="1", enrollment_term_id=str(term))["file_url"]).text)
    assert table[0] == COURSES
    assert [int(r[0]) for r in table[1:]] == [c["id"] for c in in_term if c["_state"] not in ("deleted", "completed")]
    states = {"available": "active", "created": "unpublished", "claimed": "unpublished"}
    assert [r[9] for r in table[1:]] == [states[c["_state"]] for c in in_term if c["_state"] in states]
    everything = rows(cv.get(run(cv, fresh, courses="yes", include_deleted="true")["file_url"]).text)
    assert len(everything) - 1 == len(courses)
    assert {"concluded", "deleted"} <= {r[9] for r in everything[1:]}


def test_several_tables_come_as_a_zip_of_one_csv_each(cv, fresh):
    done = run(cv, fresh, users="true", accounts="true", terms="true", courses="true", sections="true",
               enrollments="true", groups="true")
    assert done["attachment"]["filename"].endswith(".zip") and done["attachment"]["content-type"] == "application/zip"
    response = cv.get(done["file_url"])
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["users.csv", "accounts.csv", "terms.csv", "courses.csv", "sections.csv",
                                  "enrollments.csv"]
    files = {name: rows(archive.read(name).decode()) for name in archive.namelist()}
    headers = {"users.csv": USERS, "accounts.csv": ACCOUNTS, "terms.csv": TERMS, "courses.csv": COURSES,
               "sections.csv": SECTIONS, "enrollments.csv": ENROLLMENTS}
    assert {name: table[0] for name, table in files.items()} == headers
    state = world(fresh)
    # every sub-account (the root has no parent: SisExporter's inner join leaves it out), every term
    assert [int(r[0]) for r in files["accounts.csv"][1:]] == [a["id"] for a in state["canvas_accounts"]
                                                              if a["parent_account_id"] is not None]
    assert [int(r[0]) for r in files["terms.csv"][1:]] == [t["id"] for t in state["canvas_enrollment_terms"]]
    enrolled = files["enrollments.csv"][1:]
    assert enrolled and {r[4] for r in enrolled} <= {"student", "teacher", "ta", "observer", "designer"}
    assert all(r[12].endswith("Enrollment") and r[13] in ("true", "false") for r in enrolled)
    # enrollments and sections of concluded courses are listed (only the courses file leaves those
    # out); an enrollment in a deleted course reads "deleted"
    courses = {c["id"]: c for c in state["canvas_courses"]}
    assert {int(r[0]) for r in enrolled} <= set(courses)
    assert all(r[8] == "deleted" for r in enrolled if courses[int(r[0])]["_state"] == "deleted")
    listed = {int(r[0]) for r in files["courses.csv"][1:]}
    assert {int(r[2]) for r in files["sections.csv"][1:]} >= listed
    # the same world and clock give the same bytes
    assert cv.get(done["file_url"]).content == response.content


def test_a_run_that_selects_no_table_completes_without_a_file(cv, fresh):
    done = run(cv, fresh, enrollment_term_id="4", users="false")
    assert done["file_url"] is None and "attachment" not in done


def test_the_sis_export_has_the_import_format_columns(cv, fresh):
    table = rows(cv.get(run(cv, fresh, "sis_export_csv", users="true")["file_url"]).text)
    assert table[0] == SIS_USERS
    assert table[1][:4] == ["U000001", "", "", "ada.admin@demo-university.edu"] and table[1][4] == ""


def test_a_report_whose_content_the_sandbox_does_not_generate_downloads_empty_with_a_warning(cv, fresh):
    done = run(cv, fresh, "grade_export_csv")
    response = cv.get(done["file_url"])
    assert response.status_code == 200 and response.content == b""
    assert "grade_export_csv" in response.headers["X-Sandbox-Warning"]
    assert fresh.warnings(vendor="canvas", path="*/download")[0]["warning"] == response.headers["X-Sandbox-Warning"]


def test_the_seeded_finished_provisioning_run_has_its_file(cv, fresh):
    finished = [r for r in ok(cv.get("/accounts/1/reports/provisioning_csv")) if r["status"] == "complete"]
    assert finished
    archive = zipfile.ZipFile(io.BytesIO(cv.get(finished[0]["file_url"]).content))
    assert archive.namelist() == ["users.csv", "courses.csv", "enrollments.csv"]


def test_canvasapi_reads_the_file_and_its_contents(cv, fresh):
    done = run(cv, fresh, users="true")
    canvas = Canvas(fresh.url("canvas"), fresh.credentials["canvas"]["token"])
    file = canvas.get_file(done["attachment"]["id"])
    assert file.filename == done["attachment"]["filename"] and file.size == done["attachment"]["size"]
    assert file.get_contents().splitlines()[0] == ",".join(USERS)
