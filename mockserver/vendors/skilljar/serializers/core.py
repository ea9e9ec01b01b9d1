"""Users, courses, published courses, enrollments, domain users and managers; a course as webhook
events carry it."""

from __future__ import annotations

from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.records import public


def read_only_user(user: dict) -> dict:
    return {"id": user["id"], "email": user["email"], "first_name": user["first_name"], "last_name": user["last_name"]}


def user(record: dict, store: Store | None = None) -> dict:
    return {**read_only_user(record), "full_name": f"{record['first_name']} {record['last_name']}".strip()}


def user_update(record: dict, store: Store | None = None) -> dict:
    return {**read_only_user(record), "inactive_at": record.get("_inactive_at")}


def user_overview(record: dict, store: Store | None = None) -> dict:
    return {
        "user": read_only_user(record),
        "registration_count": record.get("_registrations", 0),
        "completion_count": record.get("_completions", 0),
        "signed_up_at": record["_signed_up_at"],
        "latest_activity": record.get("_latest_activity") or record["_signed_up_at"],
        "inactive_at": record.get("_inactive_at"),
    }


def course(record: dict, store: Store | None = None) -> dict:
    return public(record)


def course_summary(record: dict) -> dict:
    return {"id": record["id"], "title": record["title"], "lesson_count": record.get("_lesson_count", 0),
            "required_lesson_count": record.get("_required_lesson_count", 0)}


def published_course(record: dict, store: Store) -> dict:
    source = store.get(t.COURSES, record["_course"]) or {"id": record["_course"], "title": ""}
    offer = record["_offer"]
    return {
        "id": record["id"],
        "course": course_summary(source),
        "slug": record["slug"],
        "course_url": f"https://{record['_domain']}/{record['slug']}",
        "hidden": record["hidden"],
        "strict_enforce_group_visibility": record["strict_enforce_group_visibility"],
        "registration_required": record["registration_required"],
        "registration_starts_at": record.get("registration_starts_at"),
        "registration_ends_at": record.get("registration_ends_at"),
        "restrict_access_start_end_dates": record["restrict_access_start_end_dates"],
        "allow_self_service_reenroll": record["allow_self_service_reenroll"],
        "unique_progress_per_enrollment": record["unique_progress_per_enrollment"],
        "require_all_prerequisites": record["require_all_prerequisites"],
        "timezone": record.get("timezone"),
        "offer": {
            "id": offer["id"],
            "registration_open": offer["registration_open"],
            "registration_url": f"https://{record['_domain']}/checkout/{offer['id']}",
            "price": offer["price"],
        },
    }


def published_course_detail(record: dict, store: Store) -> dict:
    body = published_course(record, store)
    source = store.get(t.COURSES, record["_course"]) or {}
    body["course"] = {**body["course"], **course(source)} if source else body["course"]
    return body


def enrollment(record: dict, store: Store) -> dict:
    learner = store.get(t.USERS, record["_user"]) or {"id": record["_user"], "email": "", "first_name": "", "last_name": ""}
    return {
        "id": record["id"],
        "user": read_only_user(learner),
        "enrolled_at": record["enrolled_at"],
        "expires_at": record.get("expires_at"),
        "active": record["active"],
        "purchase": record.get("purchase"),
        "rating": record.get("rating"),
        "feedback": record.get("feedback"),
    }


def domain_user(record: dict, store: Store) -> dict:
    member = store.get(t.USERS, record["_user"])
    return {
        "user": user(member),
        "active": record["active"],
        "marketing_optin": record.get("marketing_optin"),
        "enrolled_at": record["enrolled_at"],
        "expires_at": record.get("expires_at"),
        "access_code": record.get("access_code"),
    }


def domain_user_detail(record: dict, store: Store) -> dict:
    return {**domain_user(record, store), "signup_fields": record.get("_signup_fields", [])}


def event_course(published: dict, store: Store) -> dict:
    """A course as webhook events carry it (Skilljar's webhook docs: id, published_course_id, title, url)."""
    source = store.get(t.COURSES, published.get("_course", "")) or {}
    return {"id": source.get("id", ""), "published_course_id": published.get("id", ""), "title": source.get("title", ""),
            "url": f"https://{published.get('_domain', '')}/{published.get('slug', '')}"}


def manager_access(record: dict, store: Store) -> dict:
    details = {k: record[k] for k in ("group_id", "can_create_users", "course_access_level", "course_ids",
                                      "path_access_level", "path_ids", "license_ids")}
    return {"user": read_only_user(store.get(t.USERS, record["_user"])), "manager_access": details,
            "invalid_ids": record["invalid_ids"]}
