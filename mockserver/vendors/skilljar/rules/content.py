"""Course content (assets, web packages, lessons, lesson content items) and learner progress.

- Assets: ``content_url`` or ``asset.embed_link_url`` is required (seed 003). ``name`` defaults to
  the file name of the URL (seed: "built dynamically"), ``aspect_ratio`` to 16:9, ``sync_completion``
  to false. Uploaded assets (``content_url``) get a signed ``download_url`` valid for 1 hour on the
  sandbox clock, on retrieve only (the official list and create descriptions exclude it).
- Web packages: PROCESSING at creation, READY (with ``type`` and ``download_url``) 30 seconds later
  on the sandbox clock, computed on read [inferred delay]. The web-package lessons PUT replaces the
  package in every lesson that uses it (not in content items, per the official description).
- Lessons belong to a course; the course's ``_lesson_count`` / ``_required_lesson_count`` (non-optional
  lessons) are recounted whenever its lessons change, so CourseSummary stays true.
- Progress: a course progress per (user, published course) and a lesson progress per lesson of
  it, made when first needed (the user must be enrolled). Lesson completion raises
  LESSON_COMPLETION; completing the last required lesson completes the course. Course completion
  raises COURSE_COMPLETION and adds one to the user's ``_completions``; un-completing a course takes
  it back [inferred]. Un-completing a lesson leaves the course as it is [inferred].
- Rules return the events to raise as ``(EVENT_TYPE, ids)``; the handlers render and emit them.
"""

from __future__ import annotations

import hashlib
import posixpath
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from mockserver.clock import isoformat, parse
from mockserver.errors import InvalidRequest, NotFound, Violation
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.records import normalise, require, require_in

ASSETS = "skilljar_assets"
WEB_PACKAGES = "skilljar_web_packages"
LESSONS = "skilljar_lessons"
CONTENT_ITEMS = "skilljar_lesson_content_items"
COURSE_PROGRESS = "skilljar_course_progress"
LESSON_PROGRESS = "skilljar_lesson_progress"
PROGRESS_TOKENS = "skilljar_progress_tokens"

CDN = "https://cdn.skilljar-sandbox.test"
SIGNED_FOR = 3600
PROCESSING_SECONDS = 30

LESSON_FIELDS = ("content_asset_id", "content_html", "content_quiz_id", "content_web_package_id", "course_id",
                 "description_html", "display_fullscreen", "optional", "order", "search_keywords", "time_seconds",
                 "title", "tooltip_html", "type")
LESSON_DEFAULTS = {"content_asset_id": None, "content_html": "", "content_quiz_id": None, "content_web_package_id": None,
                   "description_html": "", "display_fullscreen": False, "optional": False, "search_keywords": "",
                   "time_seconds": None, "tooltip_html": ""}
ITEM_FIELDS = ("content_asset_id", "content_html", "content_quiz_id", "header", "order", "type")
LESSON_PROGRESS_FIELDS = ("finished_at", "completed_at", "success_status", "score", "max_score", "custom_data",
                          "validation_status", "validation_data")
COURSE_PROGRESS_FIELDS = ("completed_at", "score", "max_score", "credits_earned", "credit_unit_plural", "success_status")
TOKEN_FIELDS = ("completed_at", "success_status", "score", "max_score")

AUDIO, VIDEO = {".mp3", ".wav", ".m4a", ".aac", ".ogg"}, {".mp4", ".mov", ".webm", ".m4v", ".avi"}


def _bad(field: str | tuple, message: str) -> InvalidRequest:
    path = field if isinstance(field, tuple) else (field,)
    return InvalidRequest(message, violations=[Violation("body", path, message)])


def _missing(kind: str, value) -> str:
    return f'Invalid pk "{value}" - object does not exist.'


def signed_url(store: Store, path: str, now: datetime) -> str:
    expires = int(now.timestamp()) + SIGNED_FOR
    signature = hashlib.blake2b(f"{store.meta.get('seed', 0)}:{path}:{expires}".encode(), digest_size=16).hexdigest()
    return f"{CDN}/{path}?Expires={expires}&Signature={signature}"


# -- assets -------------------------------------------------------------------------------------


def asset_type(content_url: str | None) -> str:
    if not content_url:
        return "HTML"  # an embed link is rendered as an HTML snippet [inferred]
    ext = posixpath.splitext(urlsplit(content_url).path)[1].lower()
    if ext in VIDEO:
        return "VIDEO_BOTR"
    if ext in AUDIO:
        return "AUDIO_BOTR"
    return {".pdf": "PDF", ".html": "HTML", ".htm": "HTML"}.get(ext, "FILE")


def _default_name(url: str) -> str:
    parts = urlsplit(url)
    return posixpath.basename(parts.path) or parts.netloc or url


def create_asset(store: Store, body: dict, now: datetime) -> dict:
    meta = body.get("asset") or {}
    content_url = body.get("content_url")
    embed = meta.get("embed_link_url")
    if not content_url and not embed:
        raise _bad("content_url", "Either content_url or asset.embed_link_url is required.")
    with store.transaction():
        record = {
            "id": new_id(store, "asset"),
            "name": meta.get("name") or _default_name(content_url or embed),
            "type": asset_type(content_url),
            "aspect_ratio": meta.get("aspect_ratio") or "16:9",
            "sync_completion": bool(meta.get("sync_completion", False)),
            "embed_link_url": embed,
            "_content_url": content_url,
            "_created_at": isoformat(now),
        }
        store.insert(ASSETS, record["id"], record)
    return record


def asset_download_url(store: Store, record: dict, now: datetime) -> str | None:
    if not record.get("_content_url"):
        return None
    return signed_url(store, f"assets/{record['id']}/{_default_name(record['_content_url'])}", now)


# -- web packages -------------------------------------------------------------------------------


def create_web_package(store: Store, body: dict, now: datetime) -> dict:
    meta = body["web_package"]
    with store.transaction():
        record = {
            "id": new_id(store, "web_package"),
            "title": meta["title"],
            "redirect_on_completion": bool(meta.get("redirect_on_completion", True)),
            "sync_completion": bool(meta.get("sync_completion", False)),
            "_content_url": body["content_url"],
            "_created_at": isoformat(now),
        }
        store.insert(WEB_PACKAGES, record["id"], record)
    return record


def web_package_ready(record: dict, now: datetime) -> bool:
    return now >= parse(record["_created_at"]) + timedelta(seconds=PROCESSING_SECONDS)


def web_package_type(record: dict) -> str:
    url = record["_content_url"].lower()
    if "xapi" in url or "tincan" in url:
        return "XAPI"
    if "2004" in url:
        return "SCORM_2004"
    return "SCORM_12"  # [inferred] the official type is a free string


def web_package_download_url(store: Store, record: dict, now: datetime) -> str:
    return signed_url(store, f"web-packages/{record['id']}/{_default_name(record['_content_url'])}", now)


def replace_web_package(store: Store, web_package_id: str, replacement_id: str) -> list[dict]:
    with store.transaction():
        require(store, WEB_PACKAGES, web_package_id, "web package")
        if store.get(WEB_PACKAGES, replacement_id) is None:
            raise _bad("web_package_id", _missing("web package", replacement_id))
        return [store.update(LESSONS, lesson["id"], {"content_web_package_id": replacement_id})
                for lesson in store.rows(LESSONS) if lesson.get("content_web_package_id") == web_package_id]


# -- lessons ------------------------------------------------------------------------------------


def course_lessons(store: Store, course_id: str) -> list[dict]:
    return sorted((row for row in store.rows(LESSONS) if row["course_id"] == course_id),
                  key=lambda row: (row["order"], row["id"]))


def recount(store: Store, course_id: str) -> None:
    lessons = course_lessons(store, course_id)
    if store.get(t.COURSES, course_id) is not None:
        store.update(t.COURSES, course_id, {"_lesson_count": len(lessons),
                                            "_required_lesson_count": sum(not row["optional"] for row in lessons)})


def _check_lesson(store: Store, lesson: dict) -> None:
    if store.get(t.COURSES, lesson["course_id"]) is None:
        raise _bad("course_id", _missing("course", lesson["course_id"]))
    for field, table in (("content_asset_id", ASSETS), ("content_web_package_id", WEB_PACKAGES)):
        if lesson.get(field) is not None and store.get(table, lesson[field]) is None:
            raise _bad(field, _missing(field, lesson[field]))
    needed = {"ASSET": "content_asset_id", "WEB_PACKAGE": "content_web_package_id", "QUIZ": "content_quiz_id"}.get(lesson["type"])
    if needed and not lesson.get(needed):
        raise _bad(needed, f"This field is required for a {lesson['type']} lesson.")


def create_lesson(store: Store, body: dict) -> dict:
    with store.transaction():
        record = {**LESSON_DEFAULTS, **{k: v for k, v in body.items() if k in LESSON_FIELDS}, "_requires_validation": False}
        _check_lesson(store, record)
        record["id"] = new_id(store, "lesson")
        store.insert(LESSONS, record["id"], record)
        recount(store, record["course_id"])
    return record


def update_lesson(store: Store, lesson_id: str, body: dict) -> dict:
    changes = {k: v for k, v in (body or {}).items() if k in LESSON_FIELDS}
    with store.transaction():
        before = require(store, LESSONS, lesson_id, "lesson")
        _check_lesson(store, {**before, **changes})
        record = store.update(LESSONS, lesson_id, changes)
        recount(store, record["course_id"])
        if before["course_id"] != record["course_id"]:
            recount(store, before["course_id"])
    return record


def lessons_of(store: Store, course_id: str) -> list[dict]:
    require(store, t.COURSES, course_id, "course")
    return course_lessons(store, course_id)


# -- lesson content items -----------------------------------------------------------------------


def items_of(store: Store, lesson_id: str) -> list[dict]:
    require(store, LESSONS, lesson_id, "lesson")
    return sorted((row for row in store.rows(CONTENT_ITEMS) if row["lesson_id"] == lesson_id),
                  key=lambda row: (row["order"], row["id"]))


def _check_item(store: Store, item: dict, creating: bool) -> None:
    if creating and item["type"] == "RATING":
        raise _bad("type", "RATING content items are made with the lesson's rating content blocks.")
    if item["type"] == "ASSET":
        if not item.get("content_asset_id"):
            raise _bad("content_asset_id", "This field is required for an ASSET content item.")
        if store.get(ASSETS, item["content_asset_id"]) is None:
            raise _bad("content_asset_id", _missing("asset", item["content_asset_id"]))
    if item["type"] == "QUIZ" and not item.get("content_quiz_id"):
        raise _bad("content_quiz_id", "This field is required for a QUIZ content item.")


def create_item(store: Store, lesson_id: str, body: dict) -> dict:
    with store.transaction():
        require(store, LESSONS, lesson_id, "lesson")
        record = {"content_html": "", **{k: v for k, v in body.items() if k in ITEM_FIELDS}, "lesson_id": lesson_id}
        _check_item(store, record, creating=True)
        record["id"] = new_id(store, "lesson_content_item")
        store.insert(CONTENT_ITEMS, record["id"], record)
    return record


def find_item(store: Store, lesson_id: str, item_id: str) -> dict:
    require(store, LESSONS, lesson_id, "lesson")
    return require_in(store, CONTENT_ITEMS, item_id, "lesson_id", lesson_id, "content item")


def update_item(store: Store, lesson_id: str, item_id: str, body: dict) -> dict:
    changes = {k: v for k, v in (body or {}).items() if k in ITEM_FIELDS}
    with store.transaction():
        before = find_item(store, lesson_id, item_id)
        if changes.get("type") == "RATING" and before["type"] != "RATING":
            raise _bad("type", "RATING content items are made with the lesson's rating content blocks.")
        _check_item(store, {**before, **changes}, creating=False)
        return store.update(CONTENT_ITEMS, item_id, changes)


# -- progress -----------------------------------------------------------------------------------


def user_enrollments(store: Store, user_id: str, published_course_id: str) -> list[dict]:
    return sorted((e for e in store.rows(t.ENROLLMENTS)
                   if e["_user"] == user_id and e["_published_course"] == published_course_id),
                  key=lambda e: e["enrolled_at"])


def _lesson_progress_record(store: Store, course_progress: dict, lesson: dict) -> dict:
    return {"id": new_id(store, "lesson_progress"), "_user": course_progress["_user"],
            "_course_progress": course_progress["id"], "_lesson": lesson["id"], "view_count": 0,
            "last_viewed_on": None, "finished_at": None, "completed_at": None, "success_status": None,
            "score": None, "max_score": None, "custom_data": None, "validation_status": None, "validation_data": None}


def ensure_progress(store: Store, user_id: str, published_course_id: str) -> dict:
    """The course progress of an enrolled user (404 otherwise), with a lesson progress per lesson."""
    require(store, t.USERS, user_id, "user")
    published = require(store, t.PUBLISHED_COURSES, published_course_id, "published course")
    enrollments = user_enrollments(store, user_id, published_course_id)
    if not enrollments:
        raise NotFound("not enrolled")
    progress = next((p for p in store.rows(COURSE_PROGRESS)
                     if p["_user"] == user_id and p["_published_course"] == published_course_id), None)
    if progress is None:
        progress = {"id": new_id(store, "course_progress"), "_user": user_id, "_published_course": published_course_id,
                    "_course": published["_course"], "completed_at": None, "latest_activity": enrollments[-1]["enrolled_at"],
                    "score": None, "max_score": None, "credits_earned": "", "credit_unit_plural": "",
                    "success_status": None}
        store.insert(COURSE_PROGRESS, progress["id"], progress)
    have = {p["_lesson"] for p in store.rows(LESSON_PROGRESS) if p["_course_progress"] == progress["id"]}
    missing = [_lesson_progress_record(store, progress, lesson)
               for lesson in course_lessons(store, published["_course"]) if lesson["id"] not in have]
    if missing:
        store.insert_many(LESSON_PROGRESS, ((p["id"], p) for p in missing))
    return progress


def lesson_progresses(store: Store, course_progress: dict) -> list[tuple[dict, dict]]:
    """(lesson, lesson progress) for the course's current lessons, in lesson order."""
    by_lesson = {p["_lesson"]: p for p in store.rows(LESSON_PROGRESS) if p["_course_progress"] == course_progress["id"]}
    return [(lesson, by_lesson[lesson["id"]]) for lesson in course_lessons(store, course_progress["_course"])
            if lesson["id"] in by_lesson]


def _complete_course(store: Store, progress: dict, completed_at: str | None, events: list) -> dict:
    was = progress.get("completed_at")
    progress = store.update(COURSE_PROGRESS, progress["id"], {"completed_at": completed_at})
    if was is None and completed_at is not None:
        user = store.get(t.USERS, progress["_user"])
        store.update(t.USERS, user["id"], {"_completions": user.get("_completions", 0) + 1})
        events.append(("COURSE_COMPLETION", progress["id"]))
    elif was is not None and completed_at is None:
        user = store.get(t.USERS, progress["_user"])
        store.update(t.USERS, user["id"], {"_completions": max(0, user.get("_completions", 0) - 1)})
    return progress


def _apply_lesson_progress(store: Store, record: dict, changes: dict, now: datetime, events: list) -> dict:
    """Update a lesson progress; completion follows finished_at (unless the lesson needs validation)."""
    lesson = store.get(LESSONS, record["_lesson"]) or {}
    was_completed = record["completed_at"] is not None
    merged = {**record, **changes}
    if "completed_at" not in changes and merged["completed_at"] is None and merged.get("finished_at"):
        if not lesson.get("_requires_validation") or merged.get("validation_status") == "PASSED":
            changes["completed_at"] = merged["finished_at"]
    record = store.update(LESSON_PROGRESS, record["id"], changes)
    progress = store.update(COURSE_PROGRESS, record["_course_progress"], {"latest_activity": isoformat(now)})
    if changes.get("completed_at") is not None and not was_completed:
        events.append(("LESSON_COMPLETION", record["id"]))
        if lesson.get("type") == "QUIZ":  # a quiz lesson completed is a quiz completed
            events.append(("QUIZ_COMPLETION", record["id"]))
        required = [p for lesson_, p in lesson_progresses(store, progress) if not lesson_.get("optional")]
        if progress["completed_at"] is None and required and all(p["completed_at"] for p in required):
            _complete_course(store, progress, changes["completed_at"], events)
    return record


def update_lesson_progress(store: Store, lesson_progress_id: str, body: dict, now: datetime) -> tuple[dict, list]:
    changes = normalise({k: v for k, v in (body or {}).items() if k in LESSON_PROGRESS_FIELDS})
    events: list = []
    with store.transaction():
        record = require(store, LESSON_PROGRESS, lesson_progress_id, "lesson progress")
        record = _apply_lesson_progress(store, record, changes, now, events)
    return record, events


def update_user_lesson(store: Store, user_id: str, published_course_id: str, lesson_id: str, body: dict,
                       now: datetime) -> tuple[dict, dict, list]:
    fields = (body or {}).get("lesson_progress") or {}
    changes = normalise({k: v for k, v in fields.items() if k in LESSON_PROGRESS_FIELDS}, ("lesson_progress",))
    events: list = []
    with store.transaction():
        progress = ensure_progress(store, user_id, published_course_id)
        pair = next(((lesson, p) for lesson, p in lesson_progresses(store, progress) if lesson["id"] == lesson_id), None)
        if pair is None:
            raise NotFound("lesson not found")
        lesson, record = pair
        record = _apply_lesson_progress(store, record, changes, now, events)
    return lesson, record, events


def update_token(store: Store, token_id: str, body: dict, now: datetime) -> tuple[dict, list]:
    changes = normalise({k: v for k, v in (body or {}).items() if k in TOKEN_FIELDS})
    events: list = []
    with store.transaction():
        token = require(store, PROGRESS_TOKENS, token_id, "progress token")
        token = store.update(PROGRESS_TOKENS, token_id, changes)
        lesson_progress = store.get(LESSON_PROGRESS, token["_lesson_progress"])
        if lesson_progress is not None:
            passed_on = {k: changes[k] for k in ("success_status", "score", "max_score") if k in changes}
            if changes.get("completed_at"):
                passed_on["finished_at"] = changes["completed_at"]
            _apply_lesson_progress(store, lesson_progress, passed_on, now, events)
    return token, events


def update_course_progress(store: Store, user_id: str, published_course_id: str, body: dict,
                           now: datetime) -> tuple[dict, list]:
    fields = (body or {}).get("course_progress") or {}
    changes = normalise({k: v for k, v in fields.items() if k in COURSE_PROGRESS_FIELDS}, ("course_progress",))
    events: list = []
    with store.transaction():
        progress = ensure_progress(store, user_id, published_course_id)
        completion = changes.pop("completed_at", progress["completed_at"])
        progress = store.update(COURSE_PROGRESS, progress["id"], {**changes, "latest_activity": isoformat(now)})
        progress = _complete_course(store, progress, completion, events)
    return progress, events


def user_course_progresses(store: Store, user_id: str) -> list[dict]:
    require(store, t.USERS, user_id, "user")
    with store.transaction():
        enrolled = []
        for enrollment in sorted(store.rows(t.ENROLLMENTS), key=lambda e: e["enrolled_at"]):
            if enrollment["_user"] == user_id and enrollment["_published_course"] not in enrolled:
                if store.get(t.PUBLISHED_COURSES, enrollment["_published_course"]) is not None:
                    enrolled.append(enrollment["_published_course"])
        return [ensure_progress(store, user_id, pc) for pc in enrolled]


# -- deletions (past seed 003) ------------------------------------------------------------------

RATING_BLOCKS = "skilljar_rating_content_blocks"
RATING_FIELDS = ("rating_question", "additional_feedback_question", "include_additional_feedback", "rating_scale",
                 "rating_scale_low_label", "rating_scale_high_label")
RATING_DEFAULTS = {"rating_question": "How would you rate this lesson?", "additional_feedback_question": "",
                   "include_additional_feedback": False, "rating_scale": 5, "rating_scale_low_label": "",
                   "rating_scale_high_label": ""}  # [inferred]


def _in_use(store: Store, field: str, value: str, what: str) -> None:
    """DRF answers a protected foreign key with a 400 naming what still uses it [inferred]."""
    users = [row["id"] for table in (LESSONS, CONTENT_ITEMS) for row in store.rows(table) if row.get(field) == value]
    if users:
        raise InvalidRequest(f"{what} in use", violations=[Violation(
            "body", ("non_field_errors",), f"This {what} is used by {len(users)} lesson(s) or content item(s) and cannot be deleted.")])


def delete_asset(store: Store, asset_id: str) -> None:
    with store.transaction():
        require(store, ASSETS, asset_id, "asset")
        _in_use(store, "content_asset_id", asset_id, "asset")
        store.delete(ASSETS, asset_id)


def delete_web_package(store: Store, web_package_id: str) -> None:
    with store.transaction():
        require(store, WEB_PACKAGES, web_package_id, "web package")
        _in_use(store, "content_web_package_id", web_package_id, "web package")
        store.delete(WEB_PACKAGES, web_package_id)


def delete_lesson(store: Store, lesson_id: str) -> None:
    """A lesson goes with its content items, rating blocks and learners' progress on it."""
    with store.transaction():
        lesson = require(store, LESSONS, lesson_id, "lesson")
        for table, field in ((CONTENT_ITEMS, "lesson_id"), (RATING_BLOCKS, "_lesson"), (LESSON_PROGRESS, "_lesson")):
            for row in [r for r in store.rows(table) if r.get(field) == lesson_id]:
                store.delete(table, row["id"])
        store.delete(LESSONS, lesson_id)
        recount(store, lesson["course_id"])


def delete_course(store: Store, course_id: str) -> list[str]:
    """A course goes with its lessons and progress; the published courses of it (answered, for
    the caller to remove with their enrollments) cannot outlive it."""
    with store.transaction():
        require(store, t.COURSES, course_id, "course")
        for lesson in course_lessons(store, course_id):
            delete_lesson(store, lesson["id"])
        for progress in [p for p in store.rows(COURSE_PROGRESS) if p["_course"] == course_id]:
            store.delete(COURSE_PROGRESS, progress["id"])
        store.delete(t.COURSES, course_id)
        return [p["id"] for p in store.rows(t.PUBLISHED_COURSES) if p["_course"] == course_id]


def user_lesson(store: Store, user_id: str, published_course_id: str, lesson_id: str) -> tuple[dict, dict]:
    with store.transaction():
        progress = ensure_progress(store, user_id, published_course_id)
    pair = next(((lesson, p) for lesson, p in lesson_progresses(store, progress) if lesson["id"] == lesson_id), None)
    if pair is None:
        raise NotFound("lesson not found")
    return pair


def create_rating_block(store: Store, lesson_id: str, body: dict) -> dict:
    """A rating block is a RATING content item of the lesson, at its end, with the block's settings.
    "Only one rating is allowed per course" (official spec, lessons_rating_content_blocks_create)."""
    with store.transaction():
        lesson = require(store, LESSONS, lesson_id, "lesson")
        course_lessons_ids = {row["id"] for row in course_lessons(store, lesson["course_id"])}
        if any(block["_lesson"] in course_lessons_ids for block in store.rows(RATING_BLOCKS)):
            raise InvalidRequest("one rating per course", violations=[Violation(
                "body", ("non_field_errors",), "Only one rating is allowed per course.")])
        order = max((row["order"] for row in store.rows(CONTENT_ITEMS) if row["lesson_id"] == lesson_id), default=0) + 1
        item = {"id": new_id(store, "lesson_content_item"), "type": "RATING", "order": order, "header": "",
                "content_html": "", "lesson_id": lesson_id}
        store.insert(CONTENT_ITEMS, item["id"], item)
        record = {**RATING_DEFAULTS, **{k: v for k, v in (body or {}).items() if k in RATING_FIELDS},
                  "id": new_id(store, "rating_content_block"), "content_item_id": item["id"], "_lesson": lesson_id}
        store.insert(RATING_BLOCKS, record["id"], record)
        return record


def delete_rating_block(store: Store, lesson_id: str, block_id: str) -> None:
    with store.transaction():
        require(store, LESSONS, lesson_id, "lesson")
        record = require_in(store, RATING_BLOCKS, block_id, "_lesson", lesson_id, "rating block")
        store.delete(CONTENT_ITEMS, record["content_item_id"])
        store.delete(RATING_BLOCKS, block_id)
