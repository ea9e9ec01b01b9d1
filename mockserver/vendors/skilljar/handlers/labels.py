"""Labels, tags and course labels (rules in rules/labels.py); lists and reads are generic."""

from __future__ import annotations

from mockserver.responses import NoContent

from mockserver.sandbox import current
from mockserver.vendors.skilljar import resources
from mockserver.vendors.skilljar.rules import labels as rules
from mockserver.vendors.skilljar.records import public
from mockserver.vendors.skilljar.serializers.labels import course_label


def labels_create(body):
    return public(rules.create_label(current().store, body)), 201


def labels_update(label_id, body=None):
    return public(rules.rename_label(current().store, label_id, body))


labels_partial_update = labels_update


def labels_destroy(label_id):
    rules.delete_label(current().store, label_id)
    return NoContent, 204


def tags_create(body):
    return public(rules.create_tag(current().store, body)), 201


def tags_update(tag_id, body=None):
    return public(rules.update_tag(current().store, tag_id, body))


tags_partial_update = tags_update


def tags_destroy(tag_id):
    rules.delete_tag(current().store, tag_id)
    return NoContent, 204


# -- a course's labels ----------------------------------------------------------------------------


def courses_labels_list(course_id, **params):
    store = current().store
    rows = [course_label(label) for label in rules.course_labels(store, course_id)]
    return resources.respond_list({}, rows, params, store)


def courses_labels_create(course_id, body):
    return course_label(rules.add_course_label(current().store, course_id, body)), 201


def courses_labels_retrieve(course_id, label_id):
    return course_label(rules.course_label(current().store, course_id, label_id))


def courses_labels_destroy(course_id, label_id):
    rules.remove_course_label(current().store, course_id, label_id)
    return NoContent, 204


__all__ = [name for name in dir() if name.startswith(("labels_", "tags_", "courses_labels_"))]
