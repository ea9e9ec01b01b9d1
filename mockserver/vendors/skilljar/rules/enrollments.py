"""Published-course enrollments.

POST is idempotent on ``user.id`` + ``enrolled_at`` (the official spec: "idempotent for the same
user and enrollment time"): the same pair returns the existing enrollment and creates nothing,
even when many identical requests race (the check and the insert run in one store transaction).
The user must exist (else 400) and be a member of the domain (else 400). A new enrollment raises
COURSE_ENROLLMENT. Access = at least one active enrollment not expired on the sandbox clock.
"""

from __future__ import annotations

from datetime import datetime

from mockserver.clock import isoformat
from mockserver.errors import InvalidRequest, Violation
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.records import normalise, require, require_in

UPDATABLE = ("expires_at", "active")


def published_course(store: Store, domain: str, published_course_id: str) -> dict:
    require(store, t.DOMAINS, domain, "domain")
    return require_in(store, t.PUBLISHED_COURSES, published_course_id, "_domain", domain, "published course")


def idempotent_enroll(store: Store, table: str, link: str, parent_id: str, domain: str, body: dict,
                      now: datetime, kind: str, extra: dict | None = None) -> tuple[dict, bool]:
    """The enrollment rule of courses, plans and paths: (record, created) in ``table``, whose
    ``link`` field names the parent. Call it inside a store transaction (the check and the insert
    must not interleave with another request's)."""
    fields = normalise({k: v for k, v in body.items() if k in ("enrolled_at", "expires_at", "active", "purchase")})
    user_id = body["user"]["id"]
    if store.get(t.USERS, user_id) is None:
        raise InvalidRequest("unknown user", violations=[
            Violation("body", ("user", "id"), f'Invalid pk "{user_id}" - object does not exist.')])
    if store.get(t.DOMAIN_USERS, t.membership_id(domain, user_id)) is None:
        raise InvalidRequest("not a domain member", violations=[
            Violation("body", ("user",), "The user must have a domain membership to be enrolled.")])
    enrolled_at = fields.get("enrolled_at") or isoformat(now)
    for existing in store.rows(table):
        if (existing["_user"], existing[link], existing["enrolled_at"]) == (user_id, parent_id, enrolled_at):
            return existing, False
    record = {
        "id": new_id(store, kind),
        "_domain": domain,
        link: parent_id,
        "_user": user_id,
        "enrolled_at": enrolled_at,
        "expires_at": fields.get("expires_at"),
        "active": True if fields.get("active") is None else fields["active"],
        "purchase": fields.get("purchase"),
        **(extra or {}),
    }
    store.insert(table, record["id"], record)
    return record, True


def create(store: Store, domain: str, published_course_id: str, body: dict, now: datetime) -> tuple[dict, bool]:
    """(enrollment, created): ``created`` is False when the same user and time were enrolled already."""
    with store.transaction():
        published_course(store, domain, published_course_id)
        record, created = idempotent_enroll(store, t.ENROLLMENTS, "_published_course", published_course_id, domain,
                                            body, now, "enrollment", extra={"rating": None, "feedback": None})
        if not created:
            return record, False
        user_id = record["_user"]
        learner = store.get(t.USERS, user_id)
        store.update(t.USERS, user_id, {"_registrations": learner.get("_registrations", 0) + 1,
                                        "_latest_activity": isoformat(now)})
        return record, True


def find(store: Store, domain: str, published_course_id: str, enrollment_id: str) -> dict:
    published_course(store, domain, published_course_id)
    return require_in(store, t.ENROLLMENTS, enrollment_id, "_published_course", published_course_id, "enrollment")


def update(store: Store, domain: str, published_course_id: str, enrollment_id: str, body: dict) -> dict:
    changes = normalise({k: v for k, v in (body or {}).items() if k in UPDATABLE})
    with store.transaction():
        find(store, domain, published_course_id, enrollment_id)
        return store.update(t.ENROLLMENTS, enrollment_id, changes)

