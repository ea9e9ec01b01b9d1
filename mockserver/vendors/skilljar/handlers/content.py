"""Skilljar content operations: assets, web packages, lessons and their content items, and learner
progress (lesson progress, progress tokens, a user's published courses and lessons). Rules in
rules/content.py, response shapes in serializers/content.py."""

from __future__ import annotations

from mockserver.responses import NoContent

from mockserver.sandbox import current
from mockserver.store import Store
from mockserver.vendors.skilljar import resources
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.rules import content, publishing, events, journeys
from mockserver.vendors.skilljar.serializers.core import event_course, read_only_user
from mockserver.vendors.skilljar.serializers.content import (
    asset, web_package, lesson, content_item, lesson_progress, progress_token,
    user_lesson_progress, user_course_progress, rating_block,
)

__all__ = [
    "assets_create", "web_packages_create", "web_packages_lessons_update",
    "lessons_list", "lessons_create", "lessons_update", "lessons_partial_update",
    "lessons_content_items_list", "lessons_content_items_create", "lessons_content_items_update",
    "lessons_content_items_partial_update",
    "lesson_progress_update", "lesson_progress_partial_update", "progresstokens_update", "progresstokens_partial_update",
    "users_published_courses_list", "users_published_courses_update", "users_published_courses_partial_update",
    "users_published_courses_lessons_list", "users_published_courses_lessons_update",
    "users_published_courses_lessons_partial_update",
]

def _emit(store: Store, raised: list) -> None:
    for event, record_id in raised:
        if event in ("LESSON_COMPLETION", "QUIZ_COMPLETION"):
            record = store.get(content.LESSON_PROGRESS, record_id)
            progress = store.get(content.COURSE_PROGRESS, record["_course_progress"])
            lesson_ = store.get(content.LESSONS, record["_lesson"])
            user = store.get(t.USERS, record["_user"])
            published = store.get(t.PUBLISHED_COURSES, progress["_published_course"])
            events.emit(event, {"user": read_only_user(user),
                                "published_course_id": progress["_published_course"],
                                "domain": published["_domain"], "course": event_course(published, store),
                                **({"quiz_id": lesson_.get("content_quiz_id")} if event == "QUIZ_COMPLETION" else {}),
                                **user_lesson_progress((lesson_, record))})
        else:
            progress = store.get(content.COURSE_PROGRESS, record_id)
            user = store.get(t.USERS, progress["_user"])
            published = store.get(t.PUBLISHED_COURSES, progress["_published_course"])
            events.emit(event, {"user": read_only_user(user), **user_course_progress(progress, store),
                                "domain": published["_domain"], "course": event_course(published, store)})
            if event == "COURSE_COMPLETION":  # the last course of a path completes the path
                for path_enrollment in journeys.complete_paths(store, user["id"], progress["_course"]):
                    events.emit("PATH_COMPLETION", {"user": read_only_user(user),
                                                    "domain": path_enrollment["_domain"],
                                                    "published_path_id": path_enrollment["_published_path"],
                                                    "enrollment_id": path_enrollment["id"],
                                                    "completed_at": path_enrollment["_completed_at"]})


# -- assets -------------------------------------------------------------------------------------

def assets_create(body):
    sandbox = current()
    return asset(content.create_asset(sandbox.store, body, sandbox.now())), 201


# -- web packages -------------------------------------------------------------------------------

def web_packages_create(body):
    sandbox = current()
    return web_package(content.create_web_package(sandbox.store, body, sandbox.now())), 201


def web_packages_lessons_update(web_package_id, body):
    content.replace_web_package(current().store, web_package_id, body["web_package_id"])
    return None, 200


# -- lessons and content items ------------------------------------------------------------------

LESSONS = {"table": content.LESSONS, "serializer": lesson}
ITEMS = {"table": content.CONTENT_ITEMS, "serializer": content_item}


def lessons_list(course_id, **params):
    store = current().store
    return resources.respond_list(LESSONS, content.lessons_of(store, course_id), params, store)


def lessons_create(body):
    return lesson(content.create_lesson(current().store, body)), 201


def lessons_update(lesson_id, body):
    return lesson(content.update_lesson(current().store, lesson_id, body))


lessons_partial_update = lessons_update


def lessons_content_items_list(lesson_id, **params):
    store = current().store
    return resources.respond_list(ITEMS, content.items_of(store, lesson_id), params, store)


def lessons_content_items_create(lesson_id, body):
    return content_item(content.create_item(current().store, lesson_id, body)), 201


def lessons_content_items_update(lesson_id, lesson_content_item_id, body):
    return content_item(content.update_item(current().store, lesson_id, lesson_content_item_id, body))


lessons_content_items_partial_update = lessons_content_items_update


# -- progress -----------------------------------------------------------------------------------


def lesson_progress_update(lesson_progress_id, body):
    sandbox = current()
    record, raised = content.update_lesson_progress(sandbox.store, lesson_progress_id, body, sandbox.now())
    _emit(sandbox.store, raised)
    return lesson_progress(record)


lesson_progress_partial_update = lesson_progress_update


def progresstokens_update(progress_token_id, body):
    sandbox = current()
    record, raised = content.update_token(sandbox.store, progress_token_id, body, sandbox.now())
    _emit(sandbox.store, raised)
    return progress_token(record)


progresstokens_partial_update = progresstokens_update


def users_published_courses_list(user_id):
    store = current().store
    return [user_course_progress(p, store) for p in content.user_course_progresses(store, user_id)]


def users_published_courses_update(user_id, published_course_id, body):
    sandbox = current()
    record, raised = content.update_course_progress(sandbox.store, user_id, published_course_id, body, sandbox.now())
    _emit(sandbox.store, raised)
    return user_course_progress(record, sandbox.store)


users_published_courses_partial_update = users_published_courses_update

USER_LESSONS = {"table": content.LESSON_PROGRESS, "serializer": user_lesson_progress}


def users_published_courses_lessons_list(user_id, published_course_id, **params):
    store = current().store
    with store.transaction():
        progress = content.ensure_progress(store, user_id, published_course_id)
    return resources.respond_list(USER_LESSONS, content.lesson_progresses(store, progress), params, store)


def users_published_courses_lessons_update(user_id, published_course_id, lesson_id, body):
    sandbox = current()
    lesson_, record, raised = content.update_user_lesson(sandbox.store, user_id, published_course_id, lesson_id,
                                                         body, sandbox.now())
    _emit(sandbox.store, raised)
    return user_lesson_progress((lesson_, record))


users_published_courses_lessons_partial_update = users_published_courses_lessons_update


# -- past seed 003: deletions, reads of one progress, rating blocks ---------------------------------


def assets_destroy(asset_id):
    content.delete_asset(current().store, asset_id)
    return NoContent, 204


def web_packages_destroy(web_package_id):
    content.delete_web_package(current().store, web_package_id)
    return NoContent, 204


def courses_destroy(course_id):
    publishing.delete_course(current().store, course_id)
    return NoContent, 204


def lessons_destroy(lesson_id):
    content.delete_lesson(current().store, lesson_id)
    return NoContent, 204


def users_published_courses_retrieve(user_id, published_course_id):
    store = current().store
    with store.transaction():
        progress = content.ensure_progress(store, user_id, published_course_id)
    return user_course_progress(progress, store)


def users_published_courses_lessons_retrieve(user_id, published_course_id, lesson_id):
    return user_lesson_progress(content.user_lesson(current().store, user_id, published_course_id, lesson_id))


def lessons_rating_content_blocks_create(lesson_id, body=None):
    return rating_block(content.create_rating_block(current().store, lesson_id, body)), 201


def lessons_rating_content_blocks_destroy(lesson_id, rating_content_block_id):
    content.delete_rating_block(current().store, lesson_id, rating_content_block_id)
    return NoContent, 204


__all__ += ["assets_destroy", "web_packages_destroy", "courses_destroy", "lessons_destroy",
            "users_published_courses_retrieve", "users_published_courses_lessons_retrieve",
            "lessons_rating_content_blocks_create", "lessons_rating_content_blocks_destroy"]
