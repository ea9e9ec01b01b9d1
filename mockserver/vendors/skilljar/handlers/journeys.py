"""Skilljar journeys operations: plans, paths, course series, signup fields and invites (rules in
rules/journeys.py). Plain lists are generic (x-mock); the response shapes are in
serializers/journeys.py."""

from __future__ import annotations

from mockserver import context
from mockserver.errors import NotFound
from mockserver.responses import NoContent
from mockserver.sandbox import current
from mockserver.vendors.skilljar import resources
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.rules import events
from mockserver.vendors.skilljar.rules import journeys as rules
from mockserver.vendors.skilljar.rules import labels
from mockserver.vendors.skilljar.serializers.core import published_course
from mockserver.vendors.skilljar.serializers.journeys import (
    path_item, published_path, enrollment, user_plan_enrollment, user_path_enrollment, signup_value, invite,
)

# -- plans ------------------------------------------------------------------------------------------

PLAN_ENROLLMENTS = {"serializer": enrollment, "page_size": 250}
USER_PLAN_ENROLLMENTS = {"serializer": user_plan_enrollment, "bare": True}
USER_PATH_ENROLLMENTS = {"serializer": user_path_enrollment, "bare": True}


def _list(table, domain_name, parent_id, params):
    store = current().store
    return resources.respond_list(PLAN_ENROLLMENTS, rules.enrollments_of(store, table, domain_name, parent_id),
                                  params, store)


def _create(table, event, domain_name, parent_id, body, extra):
    sandbox = current()
    store = sandbox.store
    record, created = rules.enroll(store, table, domain_name, parent_id, body, sandbox.now())
    rendered = enrollment(record, store)
    if created and event:
        events.emit(event, {"domain": domain_name, **extra, **rendered})
    return rendered, 201


def _retrieve(table, domain_name, parent_id, enrollment_id):
    store = current().store
    return enrollment(rules.find_enrollment(store, table, domain_name, parent_id, enrollment_id), store)


def _update(table, domain_name, parent_id, enrollment_id, body):
    store = current().store
    return enrollment(rules.update_enrollment(store, table, domain_name, parent_id, enrollment_id, body), store)


def domains_plan_plan_enrollments_list(domain_name, plan_id, **params):
    return _list(rules.PLAN_ENROLLMENTS, domain_name, plan_id, params)


def domains_plan_plan_enrollments_create(domain_name, plan_id, body):
    return _create(rules.PLAN_ENROLLMENTS, None, domain_name, plan_id, body, {"plan_id": plan_id})


def domains_plan_plan_enrollments_retrieve(domain_name, plan_id, plan_enrollment_id):
    return _retrieve(rules.PLAN_ENROLLMENTS, domain_name, plan_id, plan_enrollment_id)


def domains_plan_plan_enrollments_update(domain_name, plan_id, plan_enrollment_id, body=None):
    return _update(rules.PLAN_ENROLLMENTS, domain_name, plan_id, plan_enrollment_id, body)


domains_plan_plan_enrollments_partial_update = domains_plan_plan_enrollments_update


def users_plan_enrollments_list(user_id, **params):
    store = current().store
    return resources.respond_list(USER_PLAN_ENROLLMENTS, rules.user_enrollments(store, rules.PLAN_ENROLLMENTS, user_id),
                                  params, store)


# -- published paths --------------------------------------------------------------------------------


def domains_published_paths_published_path_enrollments_list(domain_name, published_path_id, **params):
    return _list(rules.PATH_ENROLLMENTS, domain_name, published_path_id, params)


def domains_published_paths_published_path_enrollments_create(domain_name, published_path_id, body):
    return _create(rules.PATH_ENROLLMENTS, "PATH_ENROLLMENT", domain_name, published_path_id, body,
                   {"published_path_id": published_path_id})


def domains_published_paths_published_path_enrollments_retrieve(domain_name, published_path_id,
                                                                published_path_enrollment_id):
    return _retrieve(rules.PATH_ENROLLMENTS, domain_name, published_path_id, published_path_enrollment_id)


def domains_published_paths_published_path_enrollments_update(domain_name, published_path_id,
                                                              published_path_enrollment_id, body=None):
    return _update(rules.PATH_ENROLLMENTS, domain_name, published_path_id, published_path_enrollment_id, body)


domains_published_paths_published_path_enrollments_partial_update = domains_published_paths_published_path_enrollments_update


def users_published_path_enrollments_list(user_id, **params):
    store = current().store
    return resources.respond_list(USER_PATH_ENROLLMENTS, rules.user_enrollments(store, rules.PATH_ENROLLMENTS, user_id),
                                  params, store)


# -- paths and course series ------------------------------------------------------------------------

PATH_ITEMS = {"serializer": path_item}
SERIES_COURSES = {"serializer": published_course}


def paths_path_items_list(path_id, **params):
    store = current().store
    rules.path(store, path_id)
    return resources.respond_list(PATH_ITEMS, rules.path_items(store, path_id), params, store)


PUBLISHED_PATHS = {"serializer": published_path, "search": ["path.title", "slug"]}


def domains_published_paths_list(domain_name, label__name=None, include_searchable_content=None, **params):
    store = current().store
    rules.domain(store, domain_name)
    rows = [p for p in store.rows(rules.PUBLISHED_PATHS) if p["_domain"] == domain_name]
    if label__name is not None:
        named = {label["id"] for label in store.rows(labels.LABELS) if label["name"] == label__name}
        labelled = {link["_published_path"] for link in store.rows(labels.PUBLISHED_PATH_LABELS) if link["_linked"] in named}
        rows = [p for p in rows if p["id"] in labelled]
    return resources.respond_list(PUBLISHED_PATHS, rows, params, store)


def paths_destroy(path_id):
    rules.delete_path(current().store, path_id)
    return NoContent, 204


def domains_course_series_published_courses_list(domain_name, course_series_id, **params):
    store = current().store
    return resources.respond_list(SERIES_COURSES, rules.series_courses(store, domain_name, course_series_id),
                                  params, store)


# -- signup fields ----------------------------------------------------------------------------------

SIGNUP_VALUES = {"serializer": signup_value}


def domains_users_signup_fields_list(domain_name, user_id, **params):
    store = current().store
    return resources.respond_list(SIGNUP_VALUES, rules.signup_values(store, domain_name, user_id), params, store)


def domains_users_signup_fields_create(domain_name, user_id, body):
    store = current().store
    field_id = body["signup_field"]["id"]
    rules.set_signup_values(store, domain_name, user_id, [(field_id, body["value"])],
                            (("signup_field", "id"), ("value",)))
    return signup_value(rules.signup_value(store, domain_name, user_id, field_id), store), 201


def domains_users_signup_fields_retrieve(domain_name, user_id, signup_field_id):
    store = current().store
    rules.member(store, domain_name, user_id)
    value = rules.signup_value(store, domain_name, user_id, signup_field_id)
    if value is None:
        raise NotFound("no value for this field")
    return signup_value(value, store)


def domains_users_signup_fields_bulk_create(domain_name, user_id, body):
    store = current().store
    pairs = [(item["id"], item["value"]) for item in body["signup_fields"]]
    changed = rules.set_signup_values(store, domain_name, user_id, pairs,
                                      (("signup_fields", "id"), ("signup_fields", "value")))
    location = context.request().url.removesuffix("-bulk")
    return {"results": [signup_value(v, store) for v in changed]}, 201, {"Location": location}


# -- invites ----------------------------------------------------------------------------------------

INVITES = {"serializer": invite}


def domains_users_invites_list(domain_name, user_id, **params):
    store = current().store
    return resources.respond_list(INVITES, rules.invites(store, domain_name, user_id), params, store)


def domains_users_invites_retrieve(domain_name, user_id, domain_user_invite_id):
    return invite(rules.find_invite(current().store, domain_name, user_id, domain_user_invite_id))


def domains_users_invites_create(domain_name, user_id, body=None):
    sandbox = current()
    store = sandbox.store
    send_email = (body or {}).get("send_email", True)
    record = rules.invite(store, domain_name, user_id, send_email is not False, sandbox.now())
    if record["sent_at"]:
        learner = store.get(t.USERS, user_id)
        site = store.get(t.DOMAINS, domain_name)
        sandbox.outbox.send(
            vendor="skilljar", to=learner["email"], kind="invite",
            subject=f"You're invited to {site.get('catalog_title') or domain_name}",
            body=f"Hi {learner['first_name']},\n\nYou have been invited to {domain_name}. "
                 f"Accept your invitation: {record['invite_url']}\n",
            data={"domain": domain_name, "user_id": user_id, "invite_id": record["id"], "token": record["token"],
                  "invite_url": record["invite_url"]})
    return invite(record), 201


__all__ = [name for name in dir() if name.startswith(("domains_", "users_", "paths_"))]
