"""Journeys: plans, paths (published on domains, with items), course series, signup fields and
domain-user invites.

Plan and published-path enrollments follow the published-course rules (rules/enrollments.py,
seed 003 "idempotent on the user.id & enrolled_at combination"): the check and the insert run in
one store transaction, an unknown user is a 400 on ``user.id``, a user without a membership of the
domain is a 400 on ``user``; ``purchase`` is kept as given. Access = at least one active enrollment
not expired on the sandbox clock.

Signup-field values (seed 003 "create or update"): one value per user and field, stored in
SIGNUP_VALUES and mirrored into the membership's ``_signup_fields`` (what the domain-user detail
renders). Invites (seed 003): the user must be a member; ``send_email`` defaults to true and, when
true, the invitation goes to the sandbox outbox and ``sent_at`` is set.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from mockserver.clock import isoformat
from mockserver.errors import InvalidRequest, NotFound, Violation
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.records import normalise, require, require_in
from mockserver.vendors.skilljar.rules import content
from mockserver.vendors.skilljar.rules import enrollments

PLANS = "skilljar_plans"
PLAN_ENROLLMENTS = "skilljar_plan_enrollments"
PATHS = "skilljar_paths"
PATH_ITEMS = "skilljar_path_items"
PUBLISHED_PATHS = "skilljar_published_paths"
PATH_ENROLLMENTS = "skilljar_published_path_enrollments"
COURSE_SERIES = "skilljar_course_series"
SIGNUP_FIELDS = "skilljar_signup_fields"
SIGNUP_VALUES = "skilljar_signup_field_values"
INVITES = "skilljar_domain_user_invites"

ENROLLMENT_UPDATABLE = ("expires_at", "active")


def domain(store: Store, name: str) -> dict:
    return require(store, t.DOMAINS, name, "domain")


def scoped(store: Store, table: str, domain_name: str, record_id: str) -> dict:
    """A record of ``table`` published on the domain; 404 for an unknown domain or record."""
    domain(store, domain_name)
    return require_in(store, table, record_id, "_domain", domain_name)


def member(store: Store, domain_name: str, user_id: str) -> dict:
    """The user's membership of the domain; 404 when the domain, the user or the membership is unknown."""
    domain(store, domain_name)
    membership = store.get(t.DOMAIN_USERS, t.membership_id(domain_name, user_id))
    if membership is None or store.get(t.USERS, user_id) is None:
        raise NotFound("domain user not found")
    return membership


def user(store: Store, user_id: str) -> dict:
    return require(store, t.USERS, user_id, "user")


# -- plan and published-path enrollments ---------------------------------------------------------

ENROLLABLE = {PLAN_ENROLLMENTS: (PLANS, "_plan"), PATH_ENROLLMENTS: (PUBLISHED_PATHS, "_published_path")}


def enroll(store: Store, table: str, domain_name: str, parent_id: str, body: dict, now: datetime) -> tuple[dict, bool]:
    """(enrollment, created) in a plan or published path; ``created`` is False for a known user + time."""
    parents, link = ENROLLABLE[table]
    with store.transaction():
        scoped(store, parents, domain_name, parent_id)
        return enrollments.idempotent_enroll(store, table, link, parent_id, domain_name, body, now,
                                             kind=table.removeprefix("skilljar_").rstrip("s"))


def enrollments_of(store: Store, table: str, domain_name: str, parent_id: str) -> list[dict]:
    parents, link = ENROLLABLE[table]
    scoped(store, parents, domain_name, parent_id)
    return [e for e in store.rows(table) if e[link] == parent_id]


def find_enrollment(store: Store, table: str, domain_name: str, parent_id: str, enrollment_id: str) -> dict:
    parents, link = ENROLLABLE[table]
    scoped(store, parents, domain_name, parent_id)
    return require_in(store, table, enrollment_id, link, parent_id, "enrollment")


def update_enrollment(store: Store, table: str, domain_name: str, parent_id: str, enrollment_id: str,
                      body: dict | None) -> dict:
    changes = normalise({k: v for k, v in (body or {}).items() if k in ENROLLMENT_UPDATABLE})
    with store.transaction():
        find_enrollment(store, table, domain_name, parent_id, enrollment_id)
        return store.update(table, enrollment_id, changes)


def user_enrollments(store: Store, table: str, user_id: str) -> list[dict]:
    user(store, user_id)
    return [e for e in store.rows(table) if e["_user"] == user_id]


# -- paths and course series ------------------------------------------------------------------------


def path(store: Store, path_id: str) -> dict:
    return require(store, PATHS, path_id, "path")


def path_items(store: Store, path_id: str) -> list[dict]:
    return sorted((i for i in store.rows(PATH_ITEMS) if i["_path"] == path_id), key=lambda i: i["_order"])


def delete_path(store: Store, path_id: str) -> None:
    """A path goes with its items and its publications on every domain (and their enrollments):
    nothing may point at a path that no longer exists."""
    with store.transaction():
        path(store, path_id)
        for item in path_items(store, path_id):
            store.delete(PATH_ITEMS, item["id"])
        for published in [p for p in store.rows(PUBLISHED_PATHS) if p["_path"] == path_id]:
            delete_published_path(store, published["id"])
        store.delete(PATHS, path_id)


def delete_published_path(store: Store, published_path_id: str) -> None:
    with store.transaction():
        for enrollment in [e for e in store.rows(PATH_ENROLLMENTS) if e["_published_path"] == published_path_id]:
            store.delete(PATH_ENROLLMENTS, enrollment["id"])
        store.delete(PUBLISHED_PATHS, published_path_id)


def series_courses(store: Store, domain_name: str, series_id: str) -> list[dict]:
    series = scoped(store, COURSE_SERIES, domain_name, series_id)
    courses = (store.get(t.PUBLISHED_COURSES, pid) for pid in series["_published_courses"])
    return [c for c in courses if c is not None and c["_domain"] == domain_name]


# -- signup fields ----------------------------------------------------------------------------------


def value_id(domain_name: str, user_id: str, field_id: str) -> str:
    return f"{domain_name}:{user_id}:{field_id}"


def signup_values(store: Store, domain_name: str, user_id: str) -> list[dict]:
    member(store, domain_name, user_id)
    rows = [v for v in store.rows(SIGNUP_VALUES) if v["_domain"] == domain_name and v["_user"] == user_id]
    order = {f["id"]: f.get("order", 0) for f in store.rows(SIGNUP_FIELDS)}
    return sorted(rows, key=lambda v: (order.get(v["_field"], 0), v["_field"]))


def _field(store: Store, domain_name: str, field_id: str, path: tuple) -> dict:
    field = store.get(SIGNUP_FIELDS, field_id)
    if field is None or field["_domain"] != domain_name:
        raise InvalidRequest("unknown signup field", violations=[
            Violation("body", path, f'Invalid pk "{field_id}" - object does not exist.')])
    return field


def _check_value(field: dict, value: str, path: tuple) -> None:
    if field["type"] == "PICKLIST" and value not in [o["value"] for o in field.get("options", [])]:
        raise InvalidRequest("not an option", violations=[Violation("body", path, f'"{value}" is not a valid choice.')])


def set_signup_values(store: Store, domain_name: str, user_id: str, pairs: list[tuple[str, str]],
                      where: tuple[tuple, tuple]) -> list[dict]:
    """Create or update the user's values; returns only the new or changed ones. ``where`` = the body
    paths of a field's id and of its value, for the 400s."""
    id_path, value_path = where
    with store.transaction():
        membership = member(store, domain_name, user_id)
        fields = []
        for field_id, value in pairs:
            field = _field(store, domain_name, field_id, id_path)
            _check_value(field, value, value_path)
            fields.append(field)
        changed = []
        for (field_id, value), field in zip(pairs, fields):
            key = value_id(domain_name, user_id, field_id)
            current = store.get(SIGNUP_VALUES, key)
            if current is None:
                record = {"_domain": domain_name, "_user": user_id, "_field": field_id, "value": value}
                store.insert(SIGNUP_VALUES, key, record)
            elif current["value"] != value:
                record = store.update(SIGNUP_VALUES, key, {"value": value})
            else:
                continue
            changed = [c for c in changed if c["_field"] != field_id] + [record]
        mirrored = [{"signup_field": {"id": v["_field"], "label": (store.get(SIGNUP_FIELDS, v["_field"]) or {}).get("label", "")},
                     "value": v["value"]}
                    for v in store.rows(SIGNUP_VALUES) if v["_domain"] == domain_name and v["_user"] == user_id]
        store.update(t.DOMAIN_USERS, t.membership_id(domain_name, membership["_user"]), {"_signup_fields": mirrored})
        return changed


def signup_value(store: Store, domain_name: str, user_id: str, field_id: str) -> dict:
    return store.get(SIGNUP_VALUES, value_id(domain_name, user_id, field_id))


# -- invites ----------------------------------------------------------------------------------------


def invites(store: Store, domain_name: str, user_id: str) -> list[dict]:
    member(store, domain_name, user_id)
    rows = [i for i in store.rows(INVITES) if i["_domain"] == domain_name and i["_user"] == user_id]
    return sorted(rows, key=lambda i: i["_created_at"])


def find_invite(store: Store, domain_name: str, user_id: str, invite_id: str) -> dict:
    found = next((i for i in invites(store, domain_name, user_id) if i["id"] == invite_id), None)
    if found is None:
        raise NotFound("invite not found")
    return found


def invite(store: Store, domain_name: str, user_id: str, send_email: bool, now: datetime) -> dict:
    with store.transaction():
        member(store, domain_name, user_id)
        invite_id = new_id(store, "domain_user_invite")
        token = hashlib.blake2b(f"invite:{store.meta.get('seed', 0)}:{invite_id}".encode(), digest_size=16).hexdigest()
        record = {
            "id": invite_id,
            "token": token,
            "sent_at": isoformat(now) if send_email else None,
            "used_at": None,
            "invite_url": f"https://{domain_name}/invite/{token}",
            "_domain": domain_name,
            "_user": user_id,
            "_send_email": send_email,
            "_created_at": isoformat(now),
        }
        store.insert(INVITES, invite_id, record)
        return record


# -- path progress ------------------------------------------------------------------------------


def completed_courses(store: Store, user_id: str) -> dict[str, str]:
    """course id -> when the user completed it (course progress kept by rules/content.py)."""


    return {p["_course"]: p["completed_at"] for p in store.rows(content.COURSE_PROGRESS)
            if p["_user"] == user_id and p.get("completed_at")}


def path_progress(store: Store, enrollment: dict) -> dict:
    """How far the user is along the enrollment's path: every item counts as required."""
    published = store.get(PUBLISHED_PATHS, enrollment["_published_path"]) or {}
    courses = [item["_course"] for item in path_items(store, published.get("_path", ""))]
    done = completed_courses(store, enrollment["_user"])
    finished = [done[c] for c in courses if c in done]
    progress = {"completed_course_count": len(finished), "completed_required_course_count": len(finished),
                "latest_activity": max([enrollment["enrolled_at"], *finished])}
    if courses and len(finished) == len(courses):
        progress["completed_at"] = max(finished)
    return progress


def complete_paths(store: Store, user_id: str, course_id: str) -> list[dict]:
    """Path enrollments of the user that the completion of ``course_id`` has just completed.

    Each path enrollment completes once (``_completed_at`` is set then), so PATH_COMPLETION is raised once.
    """
    completed = []
    with store.transaction():
        for enrollment in store.rows(PATH_ENROLLMENTS):
            if enrollment["_user"] != user_id or enrollment.get("_completed_at"):
                continue
            published = store.get(PUBLISHED_PATHS, enrollment["_published_path"]) or {}
            if course_id not in {i["_course"] for i in path_items(store, published.get("_path", ""))}:
                continue
            progress = path_progress(store, enrollment)
            if "completed_at" in progress:
                completed.append(store.update(PATH_ENROLLMENTS, enrollment["id"], {"_completed_at": progress["completed_at"]}))
    return completed
