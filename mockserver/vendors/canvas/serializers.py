"""Records -> Canvas's JSON (field lists from canvas:lib/api/v1/*.rb and the API docs' models)."""

from __future__ import annotations

from datetime import datetime

from mockserver.store import Store
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.rules import accounts, permissions, reports, roles, tokens

# The name of the default developer key, which every token made by hand belongs to.
APP_NAME = "User-Generated"


def public(record: dict) -> dict:
    return {k: v for k, v in record.items() if not k.startswith("_")}


# -- users and tokens ------------------------------------------------------------------------------

_USER_PUBLIC = ("id", "name", "created_at", "sortable_name", "short_name", "first_name", "last_name",
                "avatar_url", "locale", "time_zone")
_USER_PRIVATE = ("sis_user_id", "integration_id", "login_id", "email")


def user(record: dict, full: bool) -> dict:
    """A User; login, SIS and e-mail only for themselves and admins."""
    fields = _USER_PUBLIC + (_USER_PRIVATE if full else ())
    return {k: record.get(k) for k in fields}


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
        body["course_count"] = sum(1 for c in store.rows(t.COURSES) if c["account_id"] == record["id"] and c["_state"] != "deleted")
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


def course(record: dict, store: Store, includes, concluded: bool, web_root: str) -> dict:
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
    return body


def terms_of_service(root: dict) -> dict:
    terms = root["_terms_of_service"]
    return {"id": root["id"], "terms_type": terms["terms_type"], "passive": terms["passive"],
            "account_id": root["id"], "content": terms["content"],
            "self_registration_type": terms["self_registration_type"]}
