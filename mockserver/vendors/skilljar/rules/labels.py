"""Labels, tags and group categories: the organization's vocabularies.

A course's ``labels`` field is "a comma separated list of labels ex: ["label1", "label2"]"
(official Course schema): names, as a tag-list field keeps them, each one an organization label
(GET /v1/labels). So the course's names are the one record of its labels: the course-labels
routes read and write them, a name a course is given becomes a label if it is not one yet, a
renamed label is renamed on its courses and a deleted one leaves them. Published paths keep their
labels as associations (generic, resources.py). Tags carry a slug made from the name, unique in
the organization, as Django's slug fields are.
"""

from __future__ import annotations

import re

from mockserver.errors import InvalidRequest, NotFound, Violation
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.records import require

LABELS = "skilljar_labels"
TAGS = "skilljar_tags"
GROUP_CATEGORIES = "skilljar_group_categories"
PUBLISHED_PATH_LABELS = "skilljar_published_path_labels"
TAG_LINKS = ("skilljar_published_courses_tags", "skilljar_published_paths_tags", "skilljar_catalog_pages_tags")


def _invalid(path: tuple, message: str) -> InvalidRequest:
    return InvalidRequest(message, violations=[Violation("body", path, message)])


def _named(store: Store, table: str, name: str, other_than: str | None = None) -> dict | None:
    return next((r for r in store.rows(table) if r["name"] == name and r["id"] != other_than), None)


# -- labels ---------------------------------------------------------------------------------------


def ensure_labels(store: Store, names: list[str]) -> None:
    for name in names:
        if _named(store, LABELS, name) is None:
            label_id = new_id(store, "label")
            store.insert(LABELS, label_id, {"id": label_id, "name": name})


def sync_course(store: Store, course: dict) -> None:
    """After a course is written (x-mock ``after``): each of its label names is a label."""
    ensure_labels(store, course.get("labels") or [])


def create_label(store: Store, body: dict) -> dict:
    with store.transaction():
        if _named(store, LABELS, body["name"]) is not None:
            raise _invalid(("name",), "label with this name already exists.")
        label_id = new_id(store, "label")
        return store.insert(LABELS, label_id, {"id": label_id, "name": body["name"]})


def rename_label(store: Store, label_id: str, body: dict) -> dict:
    with store.transaction():
        label = require(store, LABELS, label_id, "label")
        name = (body or {}).get("name", label["name"])
        if _named(store, LABELS, name, label_id) is not None:
            raise _invalid(("name",), "label with this name already exists.")
        for course in store.rows(t.COURSES):
            if label["name"] in (course.get("labels") or []):
                store.update(t.COURSES, course["id"], {"labels": [name if n == label["name"] else n for n in course["labels"]]})
        return store.update(LABELS, label_id, {"name": name})


def delete_label(store: Store, label_id: str) -> None:
    with store.transaction():
        label = require(store, LABELS, label_id, "label")
        for course in store.rows(t.COURSES):
            if label["name"] in (course.get("labels") or []):
                store.update(t.COURSES, course["id"], {"labels": [n for n in course["labels"] if n != label["name"]]})
        unlink(store, (PUBLISHED_PATH_LABELS,), label_id)
        store.delete(LABELS, label_id)


def unlink(store: Store, tables: tuple[str, ...], linked_id: str) -> None:
    """Delete the associations (resources.associate) to a record that is going away."""
    for table in tables:
        for link in [r["_key"] for r in store.rows(table) if r["_linked"] == linked_id]:
            store.delete(table, link)


def course_labels(store: Store, course_id: str) -> list[dict]:
    course = require(store, t.COURSES, course_id, "course")
    by_name = {label["name"]: label for label in store.rows(LABELS)}
    return [by_name[n] for n in course.get("labels") or [] if n in by_name]


def course_label(store: Store, course_id: str, label_id: str) -> dict:
    found = next((label for label in course_labels(store, course_id) if label["id"] == label_id), None)
    if found is None:
        raise NotFound("label not on course")
    return found


def add_course_label(store: Store, course_id: str, body: dict) -> dict:
    label_id = str(body["label"]["id"])
    with store.transaction():
        course = require(store, t.COURSES, course_id, "course")
        label = store.get(LABELS, label_id)
        if label is None:
            raise _invalid(("label", "id"), f'Invalid pk "{label_id}" - object does not exist.')
        if label["name"] in (course.get("labels") or []):
            raise _invalid(("non_field_errors",), "This label is already associated with the course.")
        store.update(t.COURSES, course_id, {"labels": [*(course.get("labels") or []), label["name"]]})
        return label


def remove_course_label(store: Store, course_id: str, label_id: str) -> None:
    with store.transaction():
        label = course_label(store, course_id, label_id)
        course = store.get(t.COURSES, course_id)
        store.update(t.COURSES, course_id, {"labels": [n for n in course["labels"] if n != label["name"]]})


# -- tags -----------------------------------------------------------------------------------------


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "tag"


def _unique_slug(store: Store, name: str, other_than: str | None = None) -> str:
    base, n = slugify(name), 1
    slug = base
    while any(r["slug"] == slug and r["id"] != other_than for r in store.rows(TAGS)):
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_tag(store: Store, body: dict) -> dict:
    with store.transaction():
        if _named(store, TAGS, body["name"]) is not None:
            raise _invalid(("name",), "tag with this name already exists.")
        tag_id = new_id(store, "tag")
        return store.insert(TAGS, tag_id, {"id": tag_id, "name": body["name"], "slug": _unique_slug(store, body["name"])})


def update_tag(store: Store, tag_id: str, body: dict) -> dict:
    with store.transaction():
        tag = require(store, TAGS, tag_id, "tag")
        name = (body or {}).get("name", tag["name"])
        if name == tag["name"]:
            return tag
        if _named(store, TAGS, name, tag_id) is not None:
            raise _invalid(("name",), "tag with this name already exists.")
        return store.update(TAGS, tag_id, {"name": name, "slug": _unique_slug(store, name, tag_id)})


def delete_tag(store: Store, tag_id: str) -> None:
    """A tag leaves every published course, published path and catalog page it was on."""
    with store.transaction():
        require(store, TAGS, tag_id, "tag")
        unlink(store, TAG_LINKS, tag_id)
        store.delete(TAGS, tag_id)
