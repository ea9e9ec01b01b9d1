"""Publishing courses and paths on domains, re-enrollment rules and published-path items
(rules in rules/publishing.py)."""

from __future__ import annotations

from mockserver.responses import NoContent

from mockserver.sandbox import current
from mockserver.vendors.skilljar import resources
from mockserver.vendors.skilljar.rules import publishing as rules
from mockserver.vendors.skilljar.serializers.core import published_course
from mockserver.vendors.skilljar.serializers.publishing import reenrollment_rule, path_item
from mockserver.vendors.skilljar.serializers.journeys import published_path


def domains_published_courses_create(domain_name, body):
    sandbox = current()
    record = rules.publish_course(sandbox.store, domain_name, body, sandbox.now())
    return published_course(record, sandbox.store), 201


def domains_published_courses_update(domain_name, published_course_id, body=None):
    store = current().store
    return published_course(rules.update_course(store, domain_name, published_course_id, body), store)


domains_published_courses_partial_update = domains_published_courses_update


def domains_published_courses_destroy(domain_name, published_course_id):
    rules.unpublish_course(current().store, domain_name, published_course_id)
    return NoContent, 204


# -- re-enrollment rule ---------------------------------------------------------------------------


def domains_published_courses_reenrollment_rule_retrieve(domain_name, published_course_id):
    return reenrollment_rule(rules.reenrollment_rule(current().store, domain_name, published_course_id))


def domains_published_courses_reenrollment_rule_create(domain_name, published_course_id, body):
    sandbox = current()
    return reenrollment_rule(rules.set_reenrollment_rule(sandbox.store, domain_name, published_course_id, body,
                                                         sandbox.now(), partial=False))


def domains_published_courses_reenrollment_rule_update(domain_name, published_course_id, body=None):
    sandbox = current()
    return reenrollment_rule(rules.set_reenrollment_rule(sandbox.store, domain_name, published_course_id, body,
                                                         sandbox.now(), partial=True))


domains_published_courses_reenrollment_rule_partial_update = domains_published_courses_reenrollment_rule_update


def domains_published_courses_reenrollment_rule_destroy(domain_name, published_course_id):
    rules.delete_reenrollment_rule(current().store, domain_name, published_course_id)
    return NoContent, 204


# -- published paths ------------------------------------------------------------------------------


def domains_published_paths_create(domain_name, body):
    sandbox = current()
    return published_path(rules.publish_path(sandbox.store, domain_name, body, sandbox.now()), sandbox.store), 201


def domains_published_paths_update(domain_name, published_path_id, body=None):
    sandbox = current()
    record = rules.update_path(sandbox.store, domain_name, published_path_id, body, sandbox.now())
    return published_path(record, sandbox.store)


domains_published_paths_partial_update = domains_published_paths_update


def domains_published_paths_destroy(domain_name, published_path_id):
    rules.unpublish_path(current().store, domain_name, published_path_id)
    return NoContent, 204


def domains_published_paths_path_items_list(domain_name, published_path_id, **params):
    store = current().store
    rows = rules.path_items(store, domain_name, published_path_id)
    return resources.respond_list({"serializer": path_item}, rows, params, store)


def domains_published_paths_path_items_create(domain_name, published_path_id, body):
    return path_item(rules.add_path_item(current().store, domain_name, published_path_id, body)), 201


def domains_published_paths_path_items_retrieve(domain_name, published_path_id, path_item_id):
    return path_item(rules.path_item(current().store, domain_name, published_path_id, path_item_id))


def domains_published_paths_path_items_update(domain_name, published_path_id, path_item_id, body=None):
    return path_item(rules.move_path_item(current().store, domain_name, published_path_id, path_item_id, body))


domains_published_paths_path_items_partial_update = domains_published_paths_path_items_update


def domains_published_paths_path_items_destroy(domain_name, published_path_id, path_item_id):
    rules.remove_path_item(current().store, domain_name, published_path_id, path_item_id)
    return NoContent, 204


__all__ = [name for name in dir() if name.startswith("domains_")]
