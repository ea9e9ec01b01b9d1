"""Hand-written Skilljar operations: the ones with rules. Plain CRUD is generic (resources.py)."""

from __future__ import annotations

from mockserver.responses import NoContent
from mockserver.sandbox import current
from mockserver.vendors.skilljar import resources
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.rules import enrollments, events, users
from mockserver.vendors.skilljar.serializers.core import (
    domain_user, domain_user_detail, enrollment, event_course, manager_access, user_overview, user_update,
)


def ping_retrieve():
    return None, 200


# -- users ------------------------------------------------------------------------------------

# The seed documents these lists as "1000 results per page": 250 since Skilljar's 2025-12 paging change.
USERS_LIST = {"table": t.USERS, "serializer": user_overview, "page_size": 250,
              "filters": {"email": "user.email", "first_name": "user.first_name", "last_name": "user.last_name"}}


def users_list(is_inactive=None, **params):
    store = current().store
    # An exact-match filter (the list's filters are exact, as DRF's filterset fields) is looked up
    # in the store's index instead of serializing every user first; respond_list applies them all.
    exact = next(((f, params[f]) for f in ("email", "first_name", "last_name") if params.get(f) is not None), None)
    rows = store.find(t.USERS, **{exact[0]: exact[1]}) if exact else store.rows(t.USERS)
    if is_inactive is not None:
        rows = [u for u in rows if (u.get("_inactive_at") is not None) is is_inactive]
    return resources.respond_list(USERS_LIST, rows, params, store)


def users_update(user_id, body):
    return user_update(users.update(current().store, user_id, body))


users_partial_update = users_update


def users_anonymize_create(user_id):
    sandbox = current()
    return user_overview(users.anonymize(sandbox.store, user_id, sandbox.now()))


# -- domain users -----------------------------------------------------------------------------


DOMAIN_USERS_LIST = {"table": t.DOMAIN_USERS, "page_size": 250,  # "1000 results per page" in the seed
                     "filters": {"user__email": "user.email", "user__first_name": "user.first_name",
                                 "user__last_name": "user.last_name", "active": "active"}}


def domains_users_list(domain_name, include_signup_field_data=False, **params):
    store = current().store
    rows = users.members(store, domain_name, params)
    serializer = domain_user_detail if include_signup_field_data else domain_user
    return resources.respond_list({**DOMAIN_USERS_LIST, "serializer": serializer},
                                  rows, params, store)


def domains_users_create(domain_name, body):
    sandbox = current()
    store = sandbox.store
    membership, new = users.add_to_domain(store, domain_name, body, sandbox.now())
    if new:
        events.emit("DOMAIN_ENROLLMENT", {"domain": domain_name, **domain_user(membership, store)})
    answer = {**domain_user_detail(membership, store), "login_token": users.login_token(store, membership["_user"])}
    return answer, 201


def domains_users_update(domain_name, user_id, body):
    store = current().store
    record = users.update_membership(store, domain_name, user_id, body)
    return {**domain_user_detail(record, store), "login_token": users.login_token(store, user_id)}


domains_users_partial_update = domains_users_update


def domains_users_retrieve(domain_name, user_id):
    store = current().store
    return domain_user_detail(users.membership(store, domain_name, user_id), store)


def bulk_create_domain_users(domain_name, body):
    sandbox = current()
    store = sandbox.store
    added = users.add_many_to_domain(store, domain_name, body["users"], sandbox.now())
    for membership, new in added:
        if new:
            events.emit("DOMAIN_ENROLLMENT", {"domain": domain_name, **domain_user(membership, store)})
    return domain_user_detail(added[0][0], store)


def domains_users_manager_access_update(domain_name, user_id, body):
    store = current().store
    return manager_access(users.set_manager_access(store, domain_name, user_id, body), store)


def domains_users_manager_access_destroy(domain_name, user_id):
    users.remove_manager_access(current().store, domain_name, user_id)
    return NoContent, 204


# -- published-course enrollments ----------------------------------------------------------------

def domains_published_courses_enrollments_create(domain_name, published_course_id, body):
    sandbox = current()
    store = sandbox.store
    record, created = enrollments.create(store, domain_name, published_course_id, body, sandbox.now())
    rendered = enrollment(record, store)
    if created:
        course = event_course(store.get(t.PUBLISHED_COURSES, published_course_id), store)
        events.emit("COURSE_ENROLLMENT", {"domain": domain_name, "published_course_id": published_course_id,
                                          "course": course, **rendered})
    return rendered, 201


def domains_published_courses_enrollments_update(domain_name, published_course_id, enrollment_id, body):
    store = current().store
    record = enrollments.update(store, domain_name, published_course_id, enrollment_id, body)
    return enrollment(record, store)


domains_published_courses_enrollments_partial_update = domains_published_courses_enrollments_update
