"""Skilljar access operations: domain access-code pools and codes, groups, their users and pools
(rules/access.py has the rules)."""

from __future__ import annotations

from mockserver.responses import NoContent

from mockserver.sandbox import current
from mockserver.vendors.skilljar import resources
from mockserver.vendors.skilljar.rules import access
from mockserver.vendors.skilljar.serializers.access import (
    pool_item, pool_detail, code_detail, group_view, group_user, group_pool, group_membership,
)

__all__ = [
    "domains_access_code_pools_list", "domains_access_code_pools_create",
    "domains_access_code_pools_update", "domains_access_code_pools_partial_update",
    "domains_access_code_pools_access_codes_create",
    "domains_access_code_pools_access_codes_update",
    "domains_access_code_pools_access_codes_partial_update",
    "groups_list", "groups_create", "groups_update", "groups_partial_update",
    "groups_users_create", "groups_access_code_pools_list", "groups_access_code_pools_create",
    "users_groups_list",
]

# The seed documents these lists as "1000 results per page": 250 since Skilljar's 2025-12 paging change.
POOLS_LIST = {"serializer": pool_item}
GROUPS_LIST = {"serializer": group_view, "page_size": 250}
GROUP_POOLS_LIST = {"serializer": group_pool, "page_size": 250}
USER_GROUPS_LIST = {"serializer": group_membership}

# -- domain access-code pools ---------------------------------------------------------------------


def domains_access_code_pools_list(domain_name, name=None, **params):
    store = current().store
    return resources.respond_list(POOLS_LIST, access.pools(store, domain_name, name), params, store)


def domains_access_code_pools_create(domain_name, body=None):
    sandbox = current()
    return pool_detail(access.create_pool(sandbox.store, domain_name, body, sandbox.now()), sandbox.store), 201


def domains_access_code_pools_update(domain_name, access_code_pool_id, body=None):
    store = current().store
    return pool_detail(access.update_pool(store, domain_name, access_code_pool_id, body), store)


domains_access_code_pools_partial_update = domains_access_code_pools_update

# -- access codes ---------------------------------------------------------------------------------


def domains_access_code_pools_access_codes_create(domain_name, access_code_pool_id, body=None):
    store = current().store
    return code_detail(access.create_code(store, domain_name, access_code_pool_id, body), store), 201


def domains_access_code_pools_access_codes_update(domain_name, access_code_pool_id, access_code_id, body=None):
    store = current().store
    return code_detail(access.update_code(store, domain_name, access_code_pool_id, access_code_id, body), store)


domains_access_code_pools_access_codes_partial_update = domains_access_code_pools_access_codes_update

# -- groups ---------------------------------------------------------------------------------------


def groups_list(name=None, **params):
    store = current().store
    rows = [g for g in store.rows(access.GROUPS) if name is None or g["name"] == name]
    return resources.respond_list(GROUPS_LIST, rows, params, store)


def groups_create(body):
    store = current().store
    return group_view(access.create_group(store, body), store), 201


def groups_update(group_id, body=None):
    store = current().store
    return group_view(access.update_group(store, group_id, body), store)


groups_partial_update = groups_update


def groups_users_create(group_id, body):
    sandbox = current()
    return group_user(access.add_user(sandbox.store, group_id, body, sandbox.now()), sandbox.store), 201


def groups_access_code_pools_list(group_id, **params):
    store = current().store
    return resources.respond_list(GROUP_POOLS_LIST, access.group_pools(store, group_id), params, store)


def groups_access_code_pools_create(group_id, body):
    sandbox = current()
    return group_pool(access.add_pool(sandbox.store, group_id, body, sandbox.now()), sandbox.store), 201


def users_groups_list(user_id, **params):
    store = current().store
    return resources.respond_list(USER_GROUPS_LIST, access.user_groups(store, user_id), params, store)


# -- deletions and email-domain rules (past seed 003) ---------------------------------------------


def domains_access_code_pools_destroy(domain_name, access_code_pool_id):
    access.delete_pool(current().store, domain_name, access_code_pool_id)
    return NoContent, 204


def domains_access_code_pools_access_codes_destroy(domain_name, access_code_pool_id, access_code_id):
    access.delete_code(current().store, domain_name, access_code_pool_id, access_code_id)
    return NoContent, 204


def groups_destroy(group_id):
    access.delete_group(current().store, group_id)
    return NoContent, 204


def groups_email_domain_rules_list(group_id):
    return {"email_domains": access.email_domains(current().store, group_id)}


def groups_email_domain_rules_partial_update(group_id, body=None):
    return access.change_email_domains(current().store, group_id, body)


__all__ += ["domains_access_code_pools_destroy", "domains_access_code_pools_access_codes_destroy", "groups_destroy",
            "groups_email_domain_rules_list", "groups_email_domain_rules_partial_update"]
