"""Records -> Canvas's JSON (field lists from canvas:lib/api/v1/*.rb and the API docs' models)."""

from __future__ import annotations

from datetime import datetime

from mockserver.store import Store
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.rules import accounts, permissions, reports, roles, submissions, tokens

# The name of the default developer key, which every token made by hand belongs to.
APP_NAME = "User-Generated"


def public(record: dict) -> dict:
    return {k: v for k, v in record.items() if not k.startswith("_")}


# -- users and tokens ------------------------------------------------------------------------------

_USER_PUBLIC = ("id", "name", "created_at", "sortable_name", "short_name", "first_name", "last_name",
                "avatar_url", "locale", "time_zone")
_USER_PRIVATE = ("sis_user_id", "integration_id", "login_id", "email")


def user(record: dict, full: bool, with_email: bool = True) -> dict:
    """A User; login, SIS and e-mail only for themselves and admins (an account's user list shows
    e-mail only on ``include[]=email``, UsersController#api_index)."""
    fields = _USER_PUBLIC + (_USER_PRIVATE if full else ())
    return {k: record.get(k) for k in fields if with_email or k != "email"}


def token(record: dict, now: datetime, secret: str | None = None) -> dict:
    """token_json: the full secret only when just made (``secret``), else its hint and "..."."""
    return {
        "id": record["id"], "created_at": record["created_at"], "expires_at": record["expires_at"],
        "last_used_at": record["last_used_at"], "purpose": record["purpose"], "real_user_id": record["real_user_id"],
        "remember_access": record["remember_access"], "scopes": record["scopes"], "updated_at": record["updated_at"],
        "user_id": record["user_id"], "workflow_state": record["workflow_state"], "app_name": APP_NAME,
        "visible_token": secret or (f"{record['_hint']}..." if record["_manual"] else None),
        "can_manually_regenerate": record["_manual"] and not tokens.expired(record, now),
    }


# -- accounts --------------------------------------------------------------------------------------

_SERVICES = {"google_docs_previews": True, "skype": False, "diigo": False, "avatars": True, "account_survey_notifications": False}


def account(record: dict, store: Store, viewer: dict, includes=(), read_only: bool = False) -> dict:
    """account_json; ``read_only`` is the short form (course_accounts, unprivileged views)."""
    body = {k: record[k] for k in ("id", "name", "uuid", "parent_account_id", "root_account_id", "workflow_state")}
    body["default_time_zone"] = record["default_time_zone"]
    if read_only:
        return body
    for key in ("default_storage_quota_mb", "default_user_storage_quota_mb", "default_group_storage_quota_mb"):
        body[key] = record[key]
    admin = permissions.administers(store, viewer, record)
    if record["parent_account_id"] is not None and admin:  # SIS ids: not on the root, only for who may read SIS
        body.update(sis_account_id=record["sis_account_id"], sis_import_id=record["sis_import_id"],
                    integration_id=record["integration_id"])
    if "lti_guid" in includes:
        body["lti_guid"] = record["lti_guid"]
    if "registration_settings" in includes:
        body["registration_settings"] = {"login_handle_name": None, "require_email": False}
        if record["parent_account_id"] is None:
            body.update(terms_required=True, terms_of_use_url="https://www.instructure.com/policies/terms-of-use-canvas",
                        privacy_policy_url="https://www.instructure.com/policies/product-privacy-policy",
                        recaptcha_key=None)
    if "services" in includes and admin:
        body["services"] = dict(_SERVICES)
    if "course_count" in includes:
        body["course_count"] = sum(1 for c in store.lookup(t.COURSES, "account_id", record["id"]) if c["_state"] != "deleted")
    if "sub_account_count" in includes:
        body["sub_account_count"] = len(accounts.children(store, record["id"]))
    return body


def calendar(record: dict, store: Store, viewer: dict, with_sub_account_count: bool = False) -> dict:
    """account_calendar_json (the auto_subscribe feature is on)."""
    base = f"/accounts/{record['id']}/calendar_events"
    body = {k: record[k] for k in ("id", "name", "parent_account_id", "root_account_id")}
    body.update(visible=record["_calendar_visible"], auto_subscribe=record["_calendar_auto_subscribe"],
                asset_string=f"account_{record['id']}", type="account")
    if with_sub_account_count:
        body["sub_account_count"] = len(accounts.children(store, record["id"]))
    body.update(calendar_event_url=f"{base}/%7B%7B%20id%20%7D%7D",
                can_create_calendar_events=permissions.administers(store, viewer, record),
                create_calendar_event_url=base, new_calendar_event_url=f"{base}/new")
    return body


# -- notifications and reports --------------------------------------------------------------------


def notification(record: dict, store: Store, with_author: bool = False, closed: bool | None = None) -> dict:
    body = {k: record[k] for k in ("id", "subject", "start_at", "end_at", "icon", "message")}
    body["role_ids"] = [roles.role_id(name) for name in record["_roles"]]
    body["roles"] = list(record["_roles"])
    if with_author:
        author = store.get(t.USERS, record["_author_id"])
        body["author"] = {"id": record["_author_id"], "name": author["name"] if author else None}
    if closed is not None:
        body["closed"] = closed
    return body


def report(record: dict, now: datetime, web_root: str) -> dict:
    """account_report_json, with its status, progress and times read off the sandbox clock."""
    run = reports.progress(record, now)
    body = {"id": record["id"], "progress": run.progress, "parameters": record["parameters"],
            "current_line": run.current_line, "status": run.status, "report": record["report"],
            "created_at": record["created_at"], "started_at": run.started_at, "ended_at": run.ended_at,
            "run_time": run.run_time, "file_url": None}
    attachment = reports.attachment(record, run) if run.status == "complete" else None
    if attachment is not None:
        body["file_url"] = f"{web_root}{FILES_ROOT}/accounts/{record['account_id']}/files/{attachment['id']}/download"
        body["attachment"] = file(attachment, web_root)
    return body


# Canvas serves a file's bytes from its web routes (/files/:id/download,
# /accounts/:account_id/files/:id/download), outside /api/v1, which is all the sandbox mounts for
# Canvas: the sandbox serves the same paths below /api/v1 (openapi/canvas/files.yaml).
FILES_ROOT = "/api/v1"


def file(attachment: dict, web_root: str) -> dict:
    """attachment_json (lib/api/v1/attachment.rb): its ``url`` downloads the file with the
    ``verifier`` that lets anyone holding the URL read it (file_download_url(..., verifier: uuid))."""
    url = f"{web_root}{FILES_ROOT}/files/{attachment['id']}/download?download_frd=1&verifier={attachment['uuid']}"
    return {**attachment, "url": url}


def available_report(definition: dict, last_run: dict | None) -> dict:
    parameters = definition.get("parameters")
    return {"title": definition["title"],
            "parameters": {name: {"required": bool(p.get("required")), "description": p.get("description")}
                           for name, p in parameters.items()} if parameters else None,
            "report": definition["report"], "last_run": last_run}


# -- courses ---------------------------------------------------------------------------------------

_COURSE_FIELDS = ("id", "name", "account_id", "uuid", "start_at", "grading_standard_id", "is_public", "created_at",
                  "course_code", "default_view", "root_account_id", "enrollment_term_id", "license",
                  "grade_passback_setting", "end_at", "public_syllabus", "public_syllabus_to_auth", "storage_quota_mb",
                  "is_public_to_auth_users", "homeroom_course", "course_color", "friendly_name",
                  "apply_assignment_group_weights", "time_zone", "blueprint", "template", "sis_course_id",
                  "sis_import_id", "integration_id", "hide_final_grades", "restrict_enrollments_to_course_dates")
# Course#workflow_state as the API names it: created and claimed courses are "unpublished".
API_STATES = {"created": "unpublished", "claimed": "unpublished"}
NO_PROGRESS = ("no progress available because this course is not module based (has modules and module "
               "completion requirements) or the user is not enrolled as a student in this course")


def teacher(record: dict, course_id: int, web_root: str) -> dict:
    return {"id": record["id"], "anonymous_id": _base36(record["id"]), "display_name": record["short_name"],
            "avatar_image_url": record["avatar_url"], "html_url": f"{web_root}/courses/{course_id}/users/{record['id']}",
            "pronouns": None}


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def course(record: dict, store: Store, includes, concluded: bool, web_root: str,
           enrollments: list[dict] | None = None) -> dict:
    body = {k: record[k] for k in _COURSE_FIELDS}
    body["calendar"] = {"ics": f"{web_root}/feeds/calendars/course_{record['uuid']}.ics"}
    body["workflow_state"] = API_STATES.get(record["_state"], record["_state"])
    if "syllabus_body" in includes:
        body["syllabus_body"] = record["syllabus_body"]
    if "term" in includes:
        term = store.get(t.TERMS, record["enrollment_term_id"])
        body["term"] = {k: term[k] for k in ("id", "name", "start_at", "end_at", "created_at", "workflow_state",
                                             "grading_period_group_id")}
    if "course_progress" in includes:
        body["course_progress"] = {"error": NO_PROGRESS}
    if "storage_quota_used_mb" in includes:
        body["storage_quota_used_mb"] = record["_storage_quota_used_mb"]
    if "total_students" in includes:
        body["total_students"] = len(record["_roster"].get("StudentEnrollment", []))
    if "teachers" in includes:
        body["teachers"] = [teacher(store.get(t.USERS, uid), record["id"], web_root)
                            for uid in record["_roster"].get("TeacherEnrollment", [])]
    if "account_name" in includes:
        body["account_name"] = store.get(t.ACCOUNTS, record["account_id"])["name"]
    if "concluded" in includes:
        body["concluded"] = concluded
    if "post_manually" in includes:
        body["post_manually"] = record["_post_manually"]
    if "sections" in includes and enrollments is not None:
        body["sections"] = [{"id": e["course_section_id"], "name": store.get(t.SECTIONS, e["course_section_id"])["name"],
                             "enrollment_role": e["role"], "start_at": None, "end_at": None} for e in enrollments]
    if enrollments is not None:  # course_json(..., enrollments): the caller's own, in short form
        body["enrollments"] = [course_enrollment(e, concluded) for e in enrollments]
        if "total_scores" in includes:  # the student's computed scores (course_json's total_scores)
            for short, full in zip(body["enrollments"], enrollments):
                if full["type"] == "StudentEnrollment":
                    grades = submissions.scores(store, record["id"], full["user_id"])
                    short.update({f"computed_{k}": v for k, v in grades.items()})
    return body


_TYPE_NAMES = {"StudentEnrollment": "student", "TeacherEnrollment": "teacher", "TaEnrollment": "ta",
               "ObserverEnrollment": "observer", "DesignerEnrollment": "designer"}


def course_enrollment(record: dict, concluded: bool) -> dict:
    state = "completed" if concluded and record["workflow_state"] == "active" else record["workflow_state"]
    return {"type": _TYPE_NAMES[record["type"]], "role": record["role"], "role_id": record["role_id"],
            "user_id": record["user_id"], "enrollment_state": state,
            "limit_privileges_to_course_section": record["limit_privileges_to_course_section"]}


# -- enrollments, sections, terms, profiles (lib/api/v1/user.rb#enrollment_json, section.rb,
# enrollment_term.rb, user_profile.rb) -------------------------------------------------------------

_ENROLLMENT_FIELDS = ("id", "user_id", "course_id", "course_section_id", "type", "role", "role_id", "created_at",
                      "updated_at", "start_at", "end_at", "associated_user_id", "root_account_id",
                      "limit_privileges_to_course_section", "sis_import_id", "last_activity_at", "last_attended_at",
                      "total_activity_time")


def enrollment_grades(store: Store, record: dict, web_root: str) -> dict | None:
    """A student enrollment's ``grades`` (Enrollment's computed scores; rules/submissions.py#scores)."""
    if record["type"] != "StudentEnrollment":
        return None
    return {"html_url": f"{web_root}/courses/{record['course_id']}/grades/{record['user_id']}",
            **submissions.scores(store, record["course_id"], record["user_id"])}


def enrollment(record: dict, store: Store, web_root: str, viewer: dict, access: permissions.CourseAccess) -> dict:
    """enrollment_json as ``viewer`` may see it: SIS ids and logins for staff (read_sis), a student's
    grades for graders and the student themselves."""
    viewer_sees_sis = access.staff
    course_row = store.get(t.COURSES, record["course_id"])
    section = store.get(t.SECTIONS, record["course_section_id"])
    person = store.get(t.USERS, record["user_id"])
    body = {k: record[k] for k in _ENROLLMENT_FIELDS}
    body["enrollment_state"] = record["workflow_state"]
    body["html_url"] = f"{web_root}/courses/{record['course_id']}/users/{record['user_id']}"
    if viewer_sees_sis:
        body.update(sis_course_id=course_row["sis_course_id"], course_integration_id=course_row["integration_id"],
                    sis_section_id=section["sis_section_id"] if section else None,
                    section_integration_id=section["integration_id"] if section else None,
                    sis_user_id=person["sis_user_id"], sis_account_id=None)
    grades = enrollment_grades(store, record, web_root) if access.grader or record["user_id"] == viewer["id"] else None
    if grades is not None:
        body["grades"] = grades
    body["user"] = {k: person.get(k) for k in ("id", "name", "created_at", "sortable_name", "short_name")}
    if viewer_sees_sis:
        body["user"].update(sis_user_id=person["sis_user_id"], integration_id=person["integration_id"],
                            login_id=person["login_id"])
    return body


def section(record: dict, store: Store, includes=()) -> dict:
    course_row = store.get(t.COURSES, record["course_id"])
    body = {k: record[k] for k in ("id", "course_id", "name", "start_at", "end_at", "created_at",
                                   "restrict_enrollments_to_section_dates", "nonxlist_course_id", "sis_section_id",
                                   "integration_id", "sis_import_id")}
    body["sis_course_id"] = course_row["sis_course_id"]
    if "total_students" in includes:
        body["total_students"] = sum(1 for e in store.find(t.ENROLLMENTS, course_section_id=record["id"])
                                     if e["type"] == "StudentEnrollment" and e["workflow_state"] in ("active", "invited"))
    if "students" in includes:
        ids = [e["user_id"] for e in store.find(t.ENROLLMENTS, course_section_id=record["id"])
               if e["type"] == "StudentEnrollment" and e["workflow_state"] in ("active", "invited")]
        body["students"] = [user(store.get(t.USERS, uid), False) for uid in sorted(set(ids))] or None
    return body


def term(record: dict, sees_sis: bool, overrides: bool = False) -> dict:
    """enrollment_term_json; ``overrides``: the term's dates per enrollment type (none are set here)."""
    body = {k: record[k] for k in ("id", "name", "start_at", "end_at", "workflow_state", "grading_period_group_id",
                                   "created_at")}
    if sees_sis:
        body.update(sis_term_id=record.get("sis_term_id"), sis_import_id=None)
    if overrides:
        body["overrides"] = {}
    return body


def course_user(record: dict, full: bool, includes=(), enrollments: list[dict] | None = None,
                unconfirmed: bool = False) -> dict:
    """user_json in a course (CoursesController#users adds "sis_user_id" and "email" to every
    include): SIS ids, login and e-mail for those who may read them (staff), except for a user
    whose every enrollment there is still an invitation (the "pseudonym" and "personal_info" parts
    are left out until they accept)."""
    body = {k: record.get(k) for k in ("id", "name", "created_at", "sortable_name", "short_name")}
    if full and not unconfirmed:
        body.update(sis_user_id=record["sis_user_id"], integration_id=record["integration_id"], login_id=record["login_id"],
                    email=record.get("email"))
    if "avatar_url" in includes:
        body["avatar_url"] = record["avatar_url"]
    if "bio" in includes:
        body["bio"] = record.get("_bio")
    if "uuid" in includes:
        body["uuid"] = f"{record['id']:040d}"
    if enrollments is not None:
        body["enrollments"] = enrollments
    return body


def profile(record: dict, web_root: str) -> dict:
    return {"id": record["id"], "name": record["name"], "short_name": record["short_name"],
            "sortable_name": record["sortable_name"], "title": record.get("_title"), "bio": record.get("_bio"),
            "pronunciation": None, "primary_email": record.get("email"), "login_id": record.get("login_id"),
            "sis_user_id": record.get("sis_user_id"), "integration_id": record.get("integration_id"),
            "avatar_url": record["avatar_url"], "calendar": {"ics": f"{web_root}/feeds/calendars/user_{record['id']:040d}.ics"},
            "time_zone": record.get("time_zone"), "locale": record.get("locale"),
            "effective_locale": record.get("locale") or "en", "lti_user_id": f"{record['id']:040x}",
            "k5_user": False, "use_classic_font_in_k5": False, "pronouns": record.get("_pronouns")}


# -- assignment groups, assignments, submissions, progress (lib/api/v1/assignment_group.rb,
# assignment.rb, submission.rb, progress.rb) -----------------------------------------------------

def assignment_group(record: dict, assignments: list[dict] | None = None) -> dict:
    body = {k: record[k] for k in ("id", "name", "position", "group_weight", "sis_source_id", "integration_data", "rules")}
    if assignments is not None:
        body["assignments"] = assignments
    return body


def assignment(record: dict, web_root: str, has_submissions: bool, submission_json: dict | None = None,
               needs_grading: int | None = None) -> dict:
    base = f"{web_root}/courses/{record['course_id']}/assignments/{record['id']}"
    published = record["workflow_state"] == "published"
    body = {k: record[k] for k in ("id", "name", "description", "created_at", "updated_at", "due_at", "lock_at",
                                   "unlock_at", "course_id", "assignment_group_id", "points_possible", "grading_type",
                                   "submission_types", "position", "peer_reviews", "grading_standard_id",
                                   "omit_from_final_grade", "allowed_extensions", "allowed_attempts",
                                   "only_visible_to_overrides", "anonymous_grading", "post_manually")}
    body.update(has_overrides=False, html_url=base, submissions_download_url=f"{base}/submissions?zip=1",
                due_date_required=False, max_name_length=255, turnitin_enabled=False, vericite_enabled=False,
                grade_group_students_individually=False, group_category_id=None, automatic_peer_reviews=False,
                moderated_grading=False, published=published, unpublishable=not has_submissions,
                workflow_state=record["workflow_state"], has_submitted_submissions=has_submissions,
                locked_for_user=False, is_quiz_assignment="online_quiz" in record["submission_types"])
    if needs_grading is not None:
        body["needs_grading_count"] = needs_grading
    if submission_json is not None:
        body["submission"] = submission_json
    return body


def submission(record: dict, assignment_row: dict, timing: dict, web_root: str, includes=(), store: Store | None = None) -> dict:
    body = {k: record[k] for k in ("id", "assignment_id", "user_id", "body", "url", "grade", "score", "submitted_at",
                                   "submission_type", "workflow_state", "grade_matches_current_submission",
                                   "graded_at", "grader_id", "attempt", "excused", "late_policy_status", "posted_at",
                                   "extra_attempts", "entered_grade", "entered_score")}
    body.update(timing)
    body.update(cached_due_date=assignment_row["due_at"], points_deducted=None, grading_period_id=None,
                redo_request=False, custom_grade_status_id=None, sticky=None,
                preview_url=f"{web_root}/courses/{record['course_id']}/assignments/{record['assignment_id']}"
                            f"/submissions/{record['user_id']}?preview=1&version=1")
    if "submission_comments" in includes:
        body["submission_comments"] = [dict(c) for c in record["_comments"]]
    if "assignment" in includes:
        body["assignment"] = assignment(assignment_row, web_root, False)
    if "user" in includes and store is not None:
        body["user"] = user(store.get(t.USERS, record["user_id"]), False)
    return body


def progress(record: dict, api_root: str) -> dict:
    body = {k: record[k] for k in ("id", "context_id", "context_type", "user_id", "tag", "completion",
                                   "workflow_state", "created_at", "updated_at", "message")}
    body["url"] = f"{api_root}/progress/{record['id']}"
    if record["workflow_state"] not in ("queued", "running") and record["results"] is not None:
        body["results"] = record["results"]
    return body


def terms_of_service(root: dict) -> dict:
    terms = root["_terms_of_service"]
    return {"id": root["id"], "terms_type": terms["terms_type"], "passive": terms["passive"],
            "account_id": root["id"], "content": terms["content"],
            "self_registration_type": terms["self_registration_type"]}
