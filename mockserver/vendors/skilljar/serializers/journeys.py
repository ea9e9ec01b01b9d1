"""Plans, paths and their items, published paths, plan and path enrollments, course series,
signup fields and their values, invites."""

from __future__ import annotations

from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.records import public
from mockserver.vendors.skilljar.rules import journeys
from mockserver.vendors.skilljar.serializers.core import course_summary, read_only_user


def offer(record: dict) -> dict:
    data = record["_offer"]
    return {"id": data["id"], "registration_open": data["registration_open"],
            "registration_url": f"https://{record['_domain']}/checkout/{data['id']}", "price": data["price"]}


def plan(record: dict, store: Store | None = None) -> dict:
    return {"id": record["id"], "name": record["name"], "slug": record["slug"],
            "plan_url": f"https://{record['_domain']}/plan/{record['slug']}", "offer": offer(record),
            "hidden": record["hidden"], "short_description": record.get("short_description")}


def path(record: dict, store: Store) -> dict:
    return {**public(record), "path_item_count": len(journeys.path_items(store, record["id"]))}


def path_item(record: dict, store: Store) -> dict:
    course = store.get(t.COURSES, record["_course"]) or {"id": record["_course"], "title": ""}
    return {"id": record["id"], "slug": record["slug"], "course": course_summary(course)}


def published_path(record: dict, store: Store) -> dict:
    source = store.get(journeys.PATHS, record["_path"])
    return {"id": record["id"], "slug": record["slug"], "path": path(source, store),
            "path_url": f"https://{record['_domain']}/path/{record['slug']}", "hidden": record["hidden"],
            "strict_enforce_group_visibility": record["strict_enforce_group_visibility"], "offer": offer(record),
            "unique_progress_per_enrollment": record["unique_progress_per_enrollment"],
            "created_at": record["created_at"], "modified_at": record["modified_at"]}


def enrollment(record: dict, store: Store) -> dict:
    learner = store.get(t.USERS, record["_user"]) or {"id": record["_user"], "email": "", "first_name": "", "last_name": ""}
    return {"id": record["id"], "user": read_only_user(learner), "enrolled_at": record["enrolled_at"],
            "expires_at": record.get("expires_at"), "active": record["active"], "purchase": record.get("purchase")}


def user_plan_enrollment(record: dict, store: Store) -> dict:
    source = store.get(journeys.PLANS, record["_plan"]) or {"id": record["_plan"], "name": ""}
    return {"plan_id": record["_plan"], "domain_name": record["_domain"], "enrolled_at": record["enrolled_at"],
            "expires_at": record.get("expires_at"), "active": record["active"], "enrollment_id": record["id"],
            "plan": {"id": source["id"], "title": source["name"]}}


def user_path_enrollment(record: dict, store: Store) -> dict:
    published = store.get(journeys.PUBLISHED_PATHS, record["_published_path"])
    source = store.get(journeys.PATHS, published["_path"]) if published else None
    items = journeys.path_items(store, source["id"]) if source else []
    # completed_at is left out until the path is completed (the official schema does not allow null).
    progress = {"path_progress_id": f"{record['id']}p", **journeys.path_progress(store, record)}
    return {"published_path_id": record["_published_path"], "domain_name": record["_domain"],
            "enrolled_at": record["enrolled_at"], "expires_at": record.get("expires_at"), "active": record["active"],
            "enrollment_id": record["id"],
            "published_path": {"id": record["_published_path"], "title": source["title"] if source else "",
                               "course_count": len(items)},
            "published_path_progress": progress}


def course_series(record: dict, store: Store) -> dict:
    return {"id": record["id"], "title": record["title"], "visible_on_catalog": record["visible_on_catalog"],
            "series_url": f"https://{record['_domain']}/series/{record['slug']}",
            "published_course_count": len(journeys.series_courses(store, record["_domain"], record["id"])),
            "offer": offer(record)}


def signup_field(record: dict, store: Store | None = None) -> dict:
    return public(record)


def signup_value(record: dict, store: Store) -> dict:
    field = store.get(journeys.SIGNUP_FIELDS, record["_field"]) or {"label": ""}
    return {"signup_field": {"id": record["_field"], "label": field["label"]}, "value": record["value"]}


def invite(record: dict, store: Store | None = None) -> dict:
    return public(record)
