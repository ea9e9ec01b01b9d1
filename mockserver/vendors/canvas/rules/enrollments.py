"""Enrollments (canvas:app/controllers/enrollments_api_controller.rb, app/models/enrollment.rb).

- States: ``invited`` until the user accepts (``accept``) or rejects (``rejected``); ``active``;
  ``inactive`` (deactivated: kept, no access); ``completed`` (concluded); ``deleted``. Creating
  one through the API makes it ``invited`` unless ``enrollment[enrollment_state]`` says ``active``
  or ``inactive`` ("Default is 'invited'", EnrollmentsApiController#create).
- Lists (course, section or user) default to active and invited enrollments ("If omitted,
  'active' and 'invited' enrollments are returned"); ``state[]`` takes any of the states, plus
  ``current_and_invited``, ``current_and_future`` and ``current_and_concluded``.
- Who may enroll: the course's admins; teachers and TAs may add students and observers (and
  teachers TAs), per RoleOverride's defaults; not into a concluded course.
- ``DELETE .../enrollments/:id`` runs a task: ``conclude`` (the default), ``delete``,
  ``inactivate`` or ``deactivate``; ``reactivate`` turns an inactive one active again.
- ``accept``/``reject`` are the invited user's own answer to their invitation.
- ``enrollment[notify]``: "If true, a notification will be sent to the enrolled user.
  Notifications are not sent by default." The sandbox puts it in its outbox (Canvas's
  "Enrollment Invitation" / "Enrollment Notification" messages).
"""

from __future__ import annotations

from datetime import datetime

from mockserver.clock import isoformat
from mockserver.errors import NotFound
from mockserver.store import Store
from mockserver.vendors.canvas import forms
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.errors import CanvasError, MessageError
from mockserver.vendors.canvas.rules import accounts, integer_id, permissions, roles, submissions, terms

LIVE = ("invited", "active")  # what the course roster counts (Course#student_enrollments)
DEFAULT_STATES = ("active", "invited")
STATE_GROUPS = {"current_and_invited": ("active", "invited"), "current_and_future": ("active", "invited"),
                "current_and_concluded": ("active", "completed")}
TYPES = {"student": "StudentEnrollment", "teacher": "TeacherEnrollment", "ta": "TaEnrollment",
         "observer": "ObserverEnrollment", "designer": "DesignerEnrollment"}
TYPE_LABELS = {"StudentEnrollment": "Student", "TeacherEnrollment": "Teacher", "TaEnrollment": "TA",
               "ObserverEnrollment": "Observer", "DesignerEnrollment": "Designer"}
TASKS = {"conclude": "completed", "delete": "deleted", "inactivate": "inactive", "deactivate": "inactive"}
# What a teacher or TA may add without an admin (RoleOverride: add_student_to_course, add_ta_to_course...).
ADDABLE_BY = {"TeacherEnrollment": {"StudentEnrollment", "ObserverEnrollment", "TaEnrollment"},
              "TaEnrollment": {"StudentEnrollment", "ObserverEnrollment"}}
# EnrollmentsApiController's error messages (@@errors).
NO_PARAMETERS = "No parameters given"
MISSING_USER = "Can't create an enrollment without a user. Include enrollment[user_id] to create an enrollment"
BAD_TYPE = "Invalid type"
BAD_ROLE = "Invalid role"
CONCLUDED_COURSE = "Can't add an enrollment to a concluded course."


def record(user_id: int, course: dict, section_id: int, kind: str, state: str, created_at: str,
           limit: bool = False) -> dict:
    """An enrollment row without its id (the seed numbers them; the API's insert_auto does)."""
    return {"user_id": user_id, "course_id": course["id"], "course_section_id": section_id,
            "type": kind, "role": kind, "role_id": roles.role_id(kind), "workflow_state": state,
            "created_at": created_at, "updated_at": created_at, "start_at": None, "end_at": None,
            "limit_privileges_to_course_section": limit, "associated_user_id": None,
            "root_account_id": course["root_account_id"], "sis_import_id": None, "last_activity_at": None,
            "last_attended_at": None, "total_activity_time": 0}


def copies(rows: list[dict]) -> tuple[dict, dict]:
    """(course id -> roster, user id -> [course id, type] pairs) from enrollment rows: the copies
    tables.py describes, as the seed builds them all at once."""
    rosters: dict[int, dict] = {}
    pairs: dict[int, list] = {}
    for e in rows:
        if e["workflow_state"] in LIVE:
            ids = rosters.setdefault(e["course_id"], {}).setdefault(e["type"], [])
            if e["user_id"] not in ids:
                ids.append(e["user_id"])
        if e["workflow_state"] == "active":
            pair = [e["course_id"], e["type"]]
            if pair not in pairs.setdefault(e["user_id"], []):
                pairs[e["user_id"]].append(pair)
    return rosters, pairs


def sync(store: Store, user_id: int, course_id: int) -> None:
    """Rewrite the course's roster and the user's pairs for that course after a change."""
    in_course = store.find(t.ENROLLMENTS, course_id=course_id)
    rosters, _ = copies(in_course)
    store.update(t.COURSES, course_id, {"_roster": rosters.get(course_id, {})})
    user = store.get(t.USERS, user_id)
    _, pairs = copies([e for e in in_course if e["user_id"] == user_id])
    kept = [p for p in user.get("_enrollments", []) if p[0] != course_id]
    store.update(t.USERS, user_id, {"_enrollments": kept + pairs.get(user_id, [])})


def find(store: Store, ref) -> dict:
    found = store.get(t.ENROLLMENTS, integer_id(ref)) if integer_id(ref) is not None else None
    if found is None:
        raise NotFound(f"enrollment {ref}")
    return found


def states(wanted) -> set[str]:
    chosen: set[str] = set()
    for state in wanted or DEFAULT_STATES:
        chosen.update(STATE_GROUPS.get(state, (state,)))
    return chosen


def filtered(store: Store, rows: list[dict], params: dict, default_states=DEFAULT_STATES) -> list[dict]:
    """type[], role[], state[] and user_id, as every enrollments list reads them; ordered by type,
    then the user's sortable name, then id (EnrollmentsApiController#index)."""
    chosen = states(params.get("state") or default_states)
    rows = [e for e in rows if e["workflow_state"] in chosen]
    kinds = set(params.get("type") or []) | set(params.get("role") or [])
    if kinds:
        rows = [e for e in rows if e["type"] in kinds or e["role"] in kinds]
    if params.get("user_id") is not None:
        rows = [e for e in rows if str(e["user_id"]) == str(params["user_id"])]
    names = {e["user_id"]: store.get(t.USERS, e["user_id"])["sortable_name"].casefold() for e in rows}
    return sorted(rows, key=lambda e: (e["type"], names[e["user_id"]], e["id"]))


def visible_to(store: Store, access: permissions.CourseAccess, user: dict, rows: list[dict]) -> list[dict]:
    """Course#apply_enrollment_visibility: students see the roster's active members and their own
    enrollments; staff everything; a section-limited user their sections' (and their own)."""
    if not access.staff:
        rows = [e for e in rows if e["workflow_state"] == "active" or e["user_id"] == user["id"]]
    if access.sections is not None and not access.admin:
        rows = [e for e in rows if e["course_section_id"] in access.sections or e["user_id"] == user["id"]]
    return rows


# course_index_enrollments: without state[], staff (read_as_admin) also see inactive enrollments
# (all_active_or_pending), everyone else the active and invited ones (active_or_pending).
STAFF_DEFAULT_STATES = ("active", "invited", "inactive")


def _in_course(store: Store, user: dict, course: dict, rows: list[dict], params: dict) -> list[dict]:
    if params.get("user_id") is not None and str(params["user_id"]) in (str(user["id"]), "self"):
        # "If set to the current user's id, this is a way to determine if the user has any
        # enrollments in the course ... independent of whether the user has permission to view
        # other people on the roster."
        return filtered(store, [e for e in rows if e["user_id"] == user["id"]], {**params, "user_id": user["id"]})
    access = permissions.read_course(store, user, course)
    permissions.allow(access.member)
    defaults = STAFF_DEFAULT_STATES if access.staff else DEFAULT_STATES
    return filtered(store, visible_to(store, access, user, rows), params, defaults)


def of_course(store: Store, user: dict, course: dict, params: dict) -> list[dict]:
    return _in_course(store, user, course, store.find(t.ENROLLMENTS, course_id=course["id"]), params)


def of_section(store: Store, user: dict, section: dict, params: dict) -> list[dict]:
    course = store.get(t.COURSES, section["course_id"])
    return _in_course(store, user, course, store.find(t.ENROLLMENTS, course_section_id=section["id"]), params)


def of_user(store: Store, viewer: dict, target: dict, params: dict, now: datetime) -> list[dict]:
    """user_index_enrollments: your own (by default the current and invited ones, not those of
    concluded courses); another user's only for an admin with read_roster on the root account
    ("Currently, only a root level admin user can return other users' enrollments"), by default
    the active and invited ones."""
    rows = store.find(t.ENROLLMENTS, user_id=target["id"])
    if viewer["id"] == target["id"]:
        if not params.get("state"):
            rows = [e for e in rows if e["workflow_state"] in DEFAULT_STATES
                    and not terms.course_concluded(store, store.get(t.COURSES, e["course_id"]), now)]
            return filtered(store, rows, {**params, "state": list(DEFAULT_STATES)})
        return filtered(store, rows, params)
    permissions.allow(permissions.administers(store, viewer, accounts.root(store)))
    return filtered(store, rows, params)


def in_account(store: Store, user: dict, account: dict, ref) -> dict:
    """EnrollmentsApiController#show: an enrollment of a course in the account or below it, for
    its own user or those with read_roster on the account (its admins)."""
    enrollment = find(store, ref)
    course = store.get(t.COURSES, enrollment["course_id"])
    if course["account_id"] not in accounts.subtree_ids(store, account["id"]):
        raise NotFound(f"enrollment {ref}")
    permissions.allow(enrollment["user_id"] == user["id"] or permissions.administers(store, user, account))
    return enrollment


def _kind(given: dict) -> str:
    role_id = given.get("role_id")
    if role_id is not None and str(role_id).strip():
        names = roles.resolve([role_id])
        if not names or names[0] not in roles.ROLE_IDS or names[0].startswith("Account"):
            raise MessageError(BAD_ROLE)
        kind = names[0]
        if given.get("type") and given["type"] != kind:
            raise MessageError("The specified type must match the base type for the role")
        return kind
    kind = given.get("type") or "StudentEnrollment"
    if kind not in TYPES.values():
        raise MessageError(BAD_TYPE)
    return kind


def create(store: Store, actor: dict, course: dict, section: dict | None, body, now: datetime,
           find_user, outbox=None) -> dict:
    """EnrollmentsApiController#create; ``find_user`` reads ``enrollment[user_id]`` as the API does
    (an id, ``sis_user_id:``, ``sis_login_id:`` or ``self``)."""
    with store.transaction():
        given = body.get("enrollment") if isinstance(body, dict) else None
        if not isinstance(given, dict) or not given:
            raise MessageError(NO_PARAMETERS)
        if given.get("user_id") in (None, ""):
            raise MessageError(MISSING_USER)
        kind = _kind(given)
        access = permissions.course_access(store, actor, course)
        permissions.allow(access.admin or any(kind in ADDABLE_BY.get(r, ()) for r in access.roles))
        if course["_state"] in ("completed", "deleted"):
            raise MessageError(CONCLUDED_COURSE)
        user = find_user(given["user_id"])
        if user is None:
            raise NotFound(f"user {given['user_id']}")
        if section is None and given.get("course_section_id") not in (None, ""):
            section = store.get(t.SECTIONS, integer_id(given["course_section_id"]))
            if section is None or section["course_id"] != course["id"] or section["workflow_state"] == "deleted":
                raise NotFound(f"section {given['course_section_id']}")
        if section is None:
            section = default_section(store, course)
        state = given.get("enrollment_state") or "invited"
        if state not in ("active", "invited", "inactive"):
            raise CanvasError({"errors": {"enrollment_state": [{"attribute": "enrollment_state", "type": "invalid",
                                                                 "message": "invalid"}]}})
        limit = bool(forms.boolean(given.get("limit_privileges_to_course_section")))
        stamp = isoformat(now)
        existing = next((e for e in store.find(t.ENROLLMENTS, user_id=user["id"], course_section_id=section["id"])
                         if e["type"] == kind), None)
        if existing:  # Course#enroll_user reuses the user's enrollment of that type in that section
            keep = existing["workflow_state"] == "active" and state == "invited"
            enrollment = store.update(t.ENROLLMENTS, existing["id"], {
                "workflow_state": existing["workflow_state"] if keep else state,
                "limit_privileges_to_course_section": limit, "updated_at": stamp})
        else:
            enrollment = store.insert_auto(t.ENROLLMENTS, record(user["id"], course, section["id"], kind, state, stamp, limit))
        sync(store, user["id"], course["id"])
        if kind == "StudentEnrollment" and state in LIVE:
            submissions.ensure_for_student(store, course["id"], user["id"], now)
    if outbox is not None and forms.boolean(given.get("notify")) and user.get("email"):
        invited = enrollment["workflow_state"] == "invited"
        outbox.send(vendor="canvas", to=user["email"],
                    kind="enrollment_invitation" if invited else "enrollment_notification",
                    subject=f"Course Invitation: {course['name']}" if invited else f"Course Enrollment: {course['name']}",
                    body=f"You have been {'invited to participate in' if invited else 'enrolled in'} the course "
                         f"{course['name']} as a {TYPE_LABELS[kind]}.",
                    data={"course_id": course["id"], "enrollment_id": enrollment["id"], "user_id": user["id"]})
    return enrollment


def default_section(store: Store, course: dict) -> dict:
    found = next((s for s in store.find(t.SECTIONS, course_id=course["id"]) if s["_default"]), None)
    if found is None:  # Course#default_section makes one on first use
        found = store.insert_auto(t.SECTIONS, section_record(course, course["name"], course["created_at"], default=True))
    return found


def section_record(course: dict, name: str, created_at: str, default: bool = False, **extra) -> dict:
    return {"course_id": course["id"], "name": name, "start_at": None, "end_at": None, "created_at": created_at,
            "restrict_enrollments_to_section_dates": False, "nonxlist_course_id": None,
            "sis_section_id": None, "integration_id": None, "sis_import_id": None, "workflow_state": "active",
            "_default": default, **extra}


def _managed(store: Store, actor: dict, course: dict, enrollment: dict) -> None:
    if enrollment["course_id"] != course["id"] or enrollment["workflow_state"] == "deleted":
        raise NotFound(f"enrollment {enrollment['id']}")
    access = permissions.course_access(store, actor, course)
    permissions.allow(access.admin or any(enrollment["type"] in ADDABLE_BY.get(r, ()) for r in access.roles))


def run_task(store: Store, actor: dict, course: dict, ref, task: str | None, now: datetime) -> dict:
    with store.transaction():
        enrollment = find(store, ref)
        _managed(store, actor, course, enrollment)
        state = TASKS[task or "conclude"]
        updated = store.update(t.ENROLLMENTS, enrollment["id"], {"workflow_state": state, "updated_at": isoformat(now)})
        sync(store, enrollment["user_id"], course["id"])
        return updated


def reactivate(store: Store, actor: dict, course: dict, ref, now: datetime) -> dict:
    with store.transaction():
        enrollment = find(store, ref)
        _managed(store, actor, course, enrollment)
        if enrollment["workflow_state"] != "inactive":
            raise CanvasError({"error": "enrollment not inactive"}, status=400)
        updated = store.update(t.ENROLLMENTS, enrollment["id"], {"workflow_state": "active", "updated_at": isoformat(now)})
        sync(store, enrollment["user_id"], course["id"])
        return updated


def answer_invitation(store: Store, actor: dict, course: dict, ref, accept: bool, now: datetime) -> None:
    """EnrollmentsApiController#accept / #reject: the invited user's own answer. Answering what is
    already so (accepting an active one, rejecting a rejected one) succeeds; an inactive one is
    "membership not activated"; a rejected invitation may still be accepted; anything else that
    is not an open invitation is "no current invitation"."""
    with store.transaction():
        enrollment = find(store, ref)
        if enrollment["course_id"] != course["id"]:
            raise NotFound(f"enrollment {ref}")
        permissions.allow(enrollment["user_id"] == actor["id"])
        state = enrollment["workflow_state"]
        if state == ("active" if accept else "rejected"):
            return
        if state == "inactive":
            raise CanvasError({"error": "membership not activated"}, status=400)
        if state != "invited" and not (accept and state == "rejected"):
            raise CanvasError({"error": "no current invitation"}, status=400)
        store.update(t.ENROLLMENTS, enrollment["id"], {"workflow_state": "active" if accept else "rejected",
                                                       "updated_at": isoformat(now)})
        sync(store, actor["id"], course["id"])
