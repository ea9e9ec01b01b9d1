"""Courses of an account (AccountsController#courses_api): every course of the account and of the
accounts below it, filtered, searched and sorted as the API documents.

``state[]`` takes Canvas's internal states (created, claimed, available, completed, deleted, and
"unpublished" for created + claimed, "all" for every one); by default every course but deleted ones.
A course is completed when its state is, or when its term has ended on the sandbox clock.
``search_term`` (3 characters at least) matches the name, course code or SIS id, or the whole
id; with ``search_by=teacher`` it matches teachers' names. The default order is by id.

The rest is CoursesController (canvas:app/controllers/courses_controller.rb): a user's courses with
their enrollments there (index, user_index), creating a course (create), changing it and its
``course[event]`` (update), deleting or concluding it (destroy), and its people (users, user).
"""

from __future__ import annotations

import hashlib
import string
from datetime import datetime

from mockserver.clock import isoformat, parse
from mockserver.errors import NotFound
from mockserver.store import Store
from mockserver.vendors.canvas import forms
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.errors import MessageError, ModelErrors, SearchTermTooShort
from mockserver.vendors.canvas.rules import accounts, check_sis_unique, enrollments, permissions
from mockserver.vendors.canvas.rules.terms import course_concluded as concluded

MIN_SEARCH = 3


def _teacher_names(store: Store, course: dict) -> list[str]:
    return [store.get(t.USERS, uid)["name"] for uid in course["_roster"].get("TeacherEnrollment", [])]


def _sort_key(store: Store, sort: str | None):
    if sort == "course_name":
        return lambda c: (c["name"].casefold(), c["id"])
    if sort == "sis_course_id":
        return lambda c: (c["sis_course_id"] or "", c["id"])
    if sort == "course_status":
        return lambda c: (c["_state"], c["id"])
    if sort == "account_name":
        return lambda c: (store.get(t.ACCOUNTS, c["account_id"])["name"].casefold(), c["id"])
    if sort == "teacher":
        def first_teacher(c):
            names = sorted(store.get(t.USERS, uid)["sortable_name"].casefold()
                           for uid in c["_roster"].get("TeacherEnrollment", []))
            return (names[0] if names else "\uffff", c["id"])  # courses without teachers last
        return first_teacher
    return lambda c: c["id"]


def _flag(rows, value, test):
    return rows if value is None else [c for c in rows if test(c) is bool(value)]


def search(store: Store, user: dict, account_ref, params: dict, now: datetime) -> list[dict]:
    account = accounts.find(store, account_ref)
    permissions.allow(permissions.administers(store, user, account))  # read_course_list
    within = set(accounts.subtree_ids(store, account["id"]))
    rows = [c for c in store.rows(t.COURSES) if c["account_id"] in within]

    states = set(params.get("state") or [])
    if "unpublished" in states:
        states |= {"created", "claimed"}
    if not states:
        rows = [c for c in rows if c["_state"] != "deleted"]
    elif "all" not in states:
        rows = [c for c in rows if c["_state"] in states]

    with_enrollments = params.get("with_enrollments")
    if with_enrollments is None and params.get("hide_enrollmentless_courses"):
        with_enrollments = True
    rows = _flag(rows, with_enrollments, lambda c: any(c["_roster"].values()))
    kinds = {f"{k.capitalize()}Enrollment" for k in params.get("enrollment_type") or []}
    if kinds:
        rows = [c for c in rows if any(c["_roster"].get(k) for k in kinds)]
    rows = _flag(rows, params.get("published"), lambda c: c["_state"] == "available")
    rows = _flag(rows, params.get("completed"), lambda c: concluded(store, c, now))
    rows = _flag(rows, params.get("blueprint"), lambda c: bool(c["blueprint"]))
    rows = _flag(rows, params.get("blueprint_associated"), lambda c: bool(c["_blueprint_associated"]))
    rows = _flag(rows, params.get("public"), lambda c: bool(c["is_public"]))
    teachers = set(params.get("by_teachers") or [])
    if teachers:
        rows = [c for c in rows if teachers & set(c["_roster"].get("TeacherEnrollment", []))]
    subaccounts = params.get("by_subaccounts") or []
    if subaccounts:
        below = {a for s in subaccounts for a in accounts.subtree_ids(store, s)}
        rows = [c for c in rows if c["account_id"] in below]
    if params.get("enrollment_term_id") is not None:
        rows = [c for c in rows if c["enrollment_term_id"] == params["enrollment_term_id"]]

    term = params.get("search_term")
    if term:
        if len(term) < MIN_SEARCH:
            raise SearchTermTooShort(MIN_SEARCH)
        wanted = term.casefold()
        if params.get("search_by") == "teacher":
            rows = [c for c in rows if any(wanted in n.casefold() for n in _teacher_names(store, c))]
        else:
            rows = [c for c in rows if str(c["id"]) == term or any(
                wanted in (c[k] or "").casefold() for k in ("name", "course_code", "sis_course_id"))]

    rows = sorted(rows, key=_sort_key(store, params.get("sort")))
    if params.get("order") == "desc":
        rows.reverse()
    return rows


# -- one course, and the caller's courses ------------------------------------------------------------
# canvas:app/controllers/courses_controller.rb (index, user_index, show, create, update, destroy,
# users, user). A course id is an id or ``sis_course_id:<id>`` (api_find); deleted courses are gone
# (404) except to the admin who undeletes one.

EVENTS = {"claim": "claimed", "offer": "available", "conclude": "completed", "delete": "deleted", "undelete": "claimed"}
ADMIN_EVENTS = ("delete", "undelete")  # Course#grants_right?(:delete / :undelete): account admins
TYPE_NAMES = {"StudentEnrollment": "student", "TeacherEnrollment": "teacher", "TaEnrollment": "ta",
              "ObserverEnrollment": "observer", "DesignerEnrollment": "designer"}
DEFAULT_NAME = "Unnamed Course"  # "If omitted, the course will be named 'Unnamed Course.'"
UPDATABLE = ("name", "course_code", "start_at", "end_at", "license", "is_public", "is_public_to_auth_users",
             "public_syllabus", "public_syllabus_to_auth", "default_view", "syllabus_body", "time_zone",
             "apply_assignment_group_weights", "hide_final_grades", "restrict_enrollments_to_course_dates",
             "grading_standard_id", "course_color", "friendly_name", "homeroom_course", "sis_course_id",
             "integration_id")
_DATES = ("start_at", "end_at")
_FLAGS = ("is_public", "is_public_to_auth_users", "public_syllabus", "public_syllabus_to_auth",
          "apply_assignment_group_weights", "hide_final_grades", "restrict_enrollments_to_course_dates",
          "homeroom_course")


def find(store: Store, ref, include_deleted: bool = False) -> dict:
    text = str(ref)
    if text.startswith("sis_course_id:"):
        found = store.find_one(t.COURSES, sis_course_id=text.split(":", 1)[1])
    else:
        found = store.get(t.COURSES, int(text)) if text.isdecimal() else None
    if found is None or (found["_state"] == "deleted" and not include_deleted):
        raise NotFound(f"course {ref}")
    return found


def enrollment_states_of(store: Store, user: dict) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for e in store.find(t.ENROLLMENTS, user_id=user["id"]):
        if e["workflow_state"] not in ("deleted", "rejected"):
            found.setdefault(e["course_id"], []).append(e)
    return found


def _enrollment_state(store: Store, enrollment: dict, course: dict, now: datetime) -> str:
    """Enrollment#state_based_on_date: an active enrollment in a concluded course is completed."""
    if enrollment["workflow_state"] == "active" and concluded(store, course, now):
        return "completed"
    return enrollment["workflow_state"]


def of_user(store: Store, user: dict, params: dict, now: datetime) -> list[tuple[dict, list[dict]]]:
    """CoursesController#index: the user's courses with their enrollments there.

    By default the current and invited ones (not concluded, not deleted), and unpublished courses
    only where the user is staff. ``enrollment_state`` (active, invited_or_pending, completed),
    ``enrollment_type`` and ``state[]`` (course states) narrow or widen that."""
    found = []
    wanted_state = params.get("enrollment_state")
    kind = TYPES_BY_NAME.get(params.get("enrollment_type") or "")
    course_states = set(params.get("state") or [])
    if "unpublished" in course_states:
        course_states |= {"created", "claimed"}
    for course_id, rows in enrollment_states_of(store, user).items():
        course = store.get(t.COURSES, course_id)
        if kind:
            rows = [e for e in rows if e["type"] == kind]
        states = {id(e): _enrollment_state(store, e, course, now) for e in rows}
        if wanted_state == "active":
            rows = [e for e in rows if states[id(e)] == "active"]
        elif wanted_state == "invited_or_pending":
            rows = [e for e in rows if states[id(e)] == "invited"]
        elif wanted_state == "completed":
            rows = [e for e in rows if states[id(e)] == "completed"]
        elif not course_states:
            rows = [e for e in rows if states[id(e)] in ("active", "invited")]
        else:
            rows = [e for e in rows if states[id(e)] in ("active", "invited", "completed")]
        if not rows:
            continue
        staff = any(e["type"] in ADMIN_TYPES for e in rows)
        if course_states:
            if course["_state"] not in course_states:
                continue
        elif course["_state"] == "deleted" or (course["_state"] in ("created", "claimed") and not staff):
            continue
        found.append((course, rows))
    return sorted(found, key=lambda pair: pair[0]["id"])


TYPES_BY_NAME = {v: k for k, v in TYPE_NAMES.items()}
ADMIN_TYPES = ("TeacherEnrollment", "TaEnrollment", "DesignerEnrollment")


def _fields(store: Store, given: dict, errors: dict) -> dict:
    fields = {}
    for key in UPDATABLE:
        if key in given:
            value = given[key]
            if key in _DATES:
                try:
                    value = forms.timestamp(value)
                except ValueError:
                    value = None
            elif key in _FLAGS:
                value = bool(forms.boolean(value))
            fields[key] = value
    if "term_id" in given or "enrollment_term_id" in given:
        ref = given.get("term_id", given.get("enrollment_term_id"))
        term = store.get(t.TERMS, int(ref)) if str(ref).isdecimal() else None
        if term is None or term["workflow_state"] == "deleted":
            raise NotFound(f"term {ref}")
        fields["enrollment_term_id"] = term["id"]
    forms.require_name(fields, errors)
    if fields.get("start_at") and fields.get("end_at") and parse(fields["end_at"]) < parse(fields["start_at"]):
        errors.setdefault("conclude_at", []).append(("invalid", "End date cannot be before start date"))
    return fields


def create(store: Store, user: dict, account_ref, body, now: datetime) -> dict:
    """CoursesController#create: account admins anywhere below them; others where course creation
    lets them (the Manually-Created Courses account), who are then enrolled as the teacher."""
    with store.transaction():
        account = accounts.find(store, account_ref)
        admin = permissions.administers(store, user, account)
        creatable = {a["id"] for a in accounts.course_creation(store, user, permissions.enrollment_types(user))}
        permissions.allow(admin or account["id"] in creatable)
        given = (body or {}).get("course") or {}
        errors: dict = {}
        fields = _fields(store, given, errors)
        if not fields.get("restrict_enrollments_to_course_dates"):
            fields.pop("start_at", None)
            fields.pop("end_at", None)
        check_sis_unique(store, t.COURSES, "sis_course_id", fields.get("sis_course_id"), None, errors)
        if errors:
            raise ModelErrors(errors)
        stamp = isoformat(now)
        name = fields.pop("name", None) or DEFAULT_NAME
        course = {
            "name": name, "course_code": fields.pop("course_code", None) or "Unnamed", "original_name": None,
            "uuid": _uuid(store), "account_id": account["id"], "root_account_id": accounts.root(store)["id"],
            "enrollment_term_id": fields.pop("enrollment_term_id", 1), "sis_course_id": None, "sis_import_id": None,
            "integration_id": None, "created_at": stamp, "start_at": None, "end_at": None, "grading_standard_id": None,
            "is_public": False, "is_public_to_auth_users": False, "public_syllabus": False,
            "public_syllabus_to_auth": False, "license": "private", "default_view": "modules", "storage_quota_mb": 500,
            "apply_assignment_group_weights": False, "time_zone": account["default_time_zone"],
            "hide_final_grades": False, "restrict_enrollments_to_course_dates": False, "grade_passback_setting": None,
            "homeroom_course": False, "course_color": None, "friendly_name": None, "template": False,
            "blueprint": False, "_blueprint_associated": False, "syllabus_body": None, "_storage_quota_used_mb": 0.0,
            "_post_manually": False, "_state": "available" if forms.boolean((body or {}).get("offer")) else "created",
            "_roster": {}, **fields}
        course = store.insert_auto(t.COURSES, course)
        section = enrollments.default_section(store, course)
        if forms.boolean((body or {}).get("enroll_me")):
            store.insert_auto(t.ENROLLMENTS, enrollments.record(user["id"], course, section["id"], "TeacherEnrollment",
                                                                "active", stamp))
            enrollments.sync(store, user["id"], course["id"])
        return store.get(t.COURSES, course["id"])


_SLUG = string.ascii_letters + string.digits


def _uuid(store: Store) -> str:
    """A CanvasSlug-like uuid (40 letters and digits) from the store's sequence: the same requests
    after a reset make the same uuids."""
    digest = hashlib.sha256(f"canvas-course-{store.sequence('canvas_course_uuids')}".encode()).digest()
    return "".join(_SLUG[b % len(_SLUG)] for b in digest + digest[:8])


def update(store: Store, user: dict, ref, body, now: datetime) -> dict:
    """CoursesController#update: teachers (and TAs, designers) change the course and publish or
    unpublish it (``offer`` / ``claim``) and conclude it; delete and undelete are the admins'."""
    with store.transaction():
        given = (body or {}).get("course") or {}
        event = given.get("event")
        course = find(store, ref, include_deleted=event == "undelete")
        access = permissions.course_access(store, user, course)
        permissions.allow(access.staff)
        if event:
            permissions.allow(access.admin or event not in ADMIN_EVENTS)
        if course["_state"] == "deleted" and event != "undelete":
            raise NotFound(f"course {ref}")
        errors: dict = {}
        fields = _fields(store, given, errors)
        if "sis_course_id" in fields:
            permissions.allow(access.admin)  # manage_sis
        check_sis_unique(store, t.COURSES, "sis_course_id", fields.get("sis_course_id"), course["id"], errors)
        if errors:
            raise ModelErrors(errors)
        if event:
            fields["_state"] = EVENTS[event]
        return store.update(t.COURSES, course["id"], fields)


def destroy(store: Store, user: dict, ref, event: str | None) -> dict:
    """CoursesController#destroy: ``event`` is required, delete (admins) or conclude (staff)."""
    with store.transaction():
        course = find(store, ref)
        access = permissions.course_access(store, user, course)
        if event not in ("delete", "conclude"):
            raise MessageError('Only "delete" and "conclude" events are allowed.')
        permissions.allow(access.admin if event == "delete" else access.teacher)
        store.update(t.COURSES, course["id"], {"_state": EVENTS[event]})
        return {event: True}


USER_SEARCH_MIN = 2  # SearchTermHelper: the roster search wants 2 characters


def users(store: Store, viewer: dict, course: dict, params: dict) -> list[tuple[dict, list[dict]]]:
    """CoursesController#users: the people of the course with their enrollments there, by sortable
    name; active and invited enrollments unless ``enrollment_state[]`` says otherwise."""
    access = permissions.read_course(store, viewer, course)
    permissions.allow(access.member)
    rows = enrollments.visible_to(store, access, viewer, store.find(t.ENROLLMENTS, course_id=course["id"]))
    # "active" and "invited" by default; include_inactive adds inactive ones for staff (read_as_admin)
    defaults = ("active", "invited", "inactive") if access.staff and forms.boolean(params.get("include_inactive")) \
        else ("active", "invited")
    chosen = set(params.get("enrollment_state") or defaults)
    rows = [e for e in rows if e["workflow_state"] in chosen]
    kinds = {TYPES_BY_NAME.get(k, k) for k in params.get("enrollment_type") or []}
    if kinds:
        rows = [e for e in rows if e["type"] in kinds]
    if params.get("enrollment_role_id") is not None:
        rows = [e for e in rows if e["role_id"] == params["enrollment_role_id"]]
    by_user: dict[int, list[dict]] = {}
    for e in rows:
        by_user.setdefault(e["user_id"], []).append(e)
    wanted = {str(u) for u in params.get("user_ids") or []}
    found = []
    for user_id, theirs in by_user.items():
        if wanted and str(user_id) not in wanted:
            continue
        found.append((store.get(t.USERS, user_id), theirs))
    term = params.get("search_term")
    if term:
        if len(term) < USER_SEARCH_MIN:
            raise SearchTermTooShort(USER_SEARCH_MIN)
        needle = term.casefold()
        found = [(u, e) for u, e in found if str(u["id"]) == term or any(
            needle in (u.get(k) or "").casefold() for k in ("name", "sortable_name", "login_id", "sis_user_id", "email"))]
    key = USER_SORTS.get(params.get("sort") or "username", USER_SORTS["username"])
    return sorted(found, key=lambda pair: (key(pair[0]), pair[0]["sortable_name"].casefold(), pair[0]["id"]))


# CoursesController#users ``sort``: by sortable name unless told otherwise (UserSearch's orders).
USER_SORTS = {"username": lambda u: u["sortable_name"].casefold(), "email": lambda u: (u.get("email") or "").casefold(),
              "sis_id": lambda u: u.get("sis_user_id") or "", "last_login": lambda u: u.get("_last_login") or ""}


def user(store: Store, viewer: dict, course: dict, target: dict | None) -> tuple[dict, list[dict]]:
    """CoursesController#user: one person of the course (any enrollment but deleted), else 404."""
    access = permissions.read_course(store, viewer, course)
    permissions.allow(access.member)
    if target is None:
        raise NotFound("user")
    theirs = [e for e in store.find(t.ENROLLMENTS, course_id=course["id"], user_id=target["id"])
              if e["workflow_state"] not in ("deleted", "rejected")]
    if not theirs:
        raise NotFound(f"user {target['id']}")
    return target, theirs
