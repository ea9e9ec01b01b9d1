"""Assets, web packages, lessons, content items, rating blocks and learner progress."""

from __future__ import annotations

import hashlib

from mockserver.sandbox import current
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.records import public
from mockserver.vendors.skilljar.rules import content
from mockserver.vendors.skilljar.serializers.core import course_summary


def _present(body: dict) -> dict:
    return {k: v for k, v in body.items() if v is not None}


def asset(record: dict, store: Store | None = None) -> dict:
    return _present({k: record.get(k) for k in ("id", "name", "type", "embed_link_url", "aspect_ratio", "sync_completion")})


def asset_detail(record: dict, store: Store) -> dict:
    return _present({**asset(record), "download_url": content.asset_download_url(store, record, current().now())})


def web_package(record: dict, store: Store | None = None) -> dict:
    body = {k: record[k] for k in ("id", "title", "redirect_on_completion", "sync_completion")}
    ready = content.web_package_ready(record, current().now())
    body["state"] = "READY" if ready else "PROCESSING"
    if ready:
        body["type"] = content.web_package_type(record)
    return body


def web_package_detail(record: dict, store: Store) -> dict:
    body = web_package(record)
    if body["state"] == "READY":
        body["download_url"] = content.web_package_download_url(store, record, current().now())
    return body


def lesson(record: dict, store: Store | None = None) -> dict:
    return public(record)


def content_item(record: dict, store: Store | None = None) -> dict:
    return _present(public(record))


def lesson_progress(record: dict, store: Store | None = None) -> dict:
    return public(record)


def progress_token(record: dict, store: Store | None = None) -> dict:
    return _present(public(record)) | {k: record.get(k) for k in ("completed_at", "score", "max_score")}


def user_lesson_progress(pair: tuple[dict, dict], store: Store | None = None) -> dict:
    lesson_, record = pair
    return {
        "lesson": {"id": lesson_["id"], "title": lesson_["title"]},
        "lesson_progress": {**{k: record[k] for k in ("view_count", "last_viewed_on", "completed_at", "success_status",
                                                     "score", "max_score", "custom_data")},
                            "lesson_progress_id": record["id"]},
    }


def user_course_progress(record: dict, store: Store) -> dict:
    published = store.get(t.PUBLISHED_COURSES, record["_published_course"])
    course = store.get(t.COURSES, record["_course"]) or {"id": record["_course"], "title": ""}
    enrollments = content.user_enrollments(store, record["_user"], record["_published_course"])
    pairs = content.lesson_progresses(store, record)
    body = {
        "published_course_id": record["_published_course"],
        "domain_name": published["_domain"],
        "enrolled_at": enrollments[-1]["enrolled_at"] if enrollments else None,
        "enrollment_id": enrollments[-1]["id"] if enrollments else None,
        "course": course_summary(course),
        "course_progress": {
            "course_progress_id": record["id"],
            "completed_lesson_count": sum(1 for _, p in pairs if p["completed_at"]),
            "completed_required_lesson_count": sum(1 for l_, p in pairs if p["completed_at"] and not l_["optional"]),
            **{k: record[k] for k in ("completed_at", "latest_activity", "score", "max_score", "credits_earned",
                                      "credit_unit_plural", "success_status")},
        },
        "all_enrollments": [{"course_progress_id": record["id"], "active": e["active"], "expires_at": e.get("expires_at"),
                             "enrollment_id": e["id"]} for e in enrollments],
    }
    if record["completed_at"]:
        code = hashlib.blake2b(f"{record['id']}:{record['completed_at']}".encode(), digest_size=6).hexdigest()
        body["certificate"] = {"code": code, "validate_url": f"https://{published['_domain']}/certificates/{code}",
                               "issued_at": record["completed_at"], "expires_at": None}
    return _present(body)


def rating_block(record: dict, store: Store | None = None) -> dict:
    return public(record)
