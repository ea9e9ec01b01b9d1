"""Accounts (AccountsController): the accounts a user sees, an account, its settings, permissions,
sub-accounts, terms of service and help links, and the institution search."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.canvas import paging, serializers
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.auth import actor
from mockserver.vendors.canvas.rules import accounts, permissions


def _page_of_accounts(rows, viewer, include=None, page=None, per_page=None, read_only=False):
    store = current().store
    items, status, headers = paging.paged(rows, page, per_page)
    return [serializers.account(a, store, viewer, include or (), read_only) for a in items], status, headers


def accounts_index(include=None, page=None, per_page=None):
    store = current().store
    me = actor().user
    rows = [store.get(t.ACCOUNTS, a) for a in sorted(me.get("_admin_of", []))]
    return _page_of_accounts([a for a in rows if a], me, include, page, per_page)


def accounts_manageable_accounts(page=None, per_page=None):
    me = actor().user
    return _page_of_accounts(accounts.manageable(current().store, me), me, page=page, per_page=per_page)


def accounts_course_creation_accounts(page=None, per_page=None):
    me = actor().user
    rows = accounts.course_creation(current().store, me, permissions.enrollment_types(me))
    return _page_of_accounts(rows, me, page=page, per_page=per_page)


def accounts_course_accounts(page=None, per_page=None):
    store = current().store
    me = actor().user
    rows = [store.get(t.ACCOUNTS, a) for a in sorted(permissions.course_accounts(store, me))]
    return _page_of_accounts(rows, me, page=page, per_page=per_page, read_only=True)


def accounts_show(id):
    store = current().store
    me = actor().user
    account = accounts.find(store, id)
    permissions.allow(permissions.member_of(store, me, account))
    return serializers.account(account, store, me)


def accounts_show_settings(account_id):
    store = current().store
    account = accounts.find(store, account_id)
    permissions.allow(permissions.administers(store, actor().user, account))  # manage_account_settings
    return dict(accounts.root(store)["_settings"]) if account["parent_account_id"] is None else {}


def accounts_environment():
    return dict(accounts.root(current().store)["_environment"])


def accounts_permissions(account_id, **params):  # permissions[] arrives as "permissions": a name taken here
    store = current().store
    return permissions.rights(store, actor().user, accounts.find(store, account_id), params.get("permissions") or [])


def accounts_sub_accounts(account_id, recursive=False, include=None, page=None, per_page=None):
    store = current().store
    me = actor().user
    account = accounts.find(store, account_id)
    permissions.allow(permissions.administers(store, me, account))
    rows = accounts.descendants(store, account["id"]) if recursive else accounts.children(store, account["id"])
    return _page_of_accounts(sorted(rows, key=lambda a: a["id"]), me, include, page, per_page)


def accounts_terms_of_service(account_id):
    store = current().store
    accounts.find(store, account_id)  # the terms are the root account's, but the account must exist
    return serializers.terms_of_service(accounts.root(store))


def accounts_help_links(account_id):
    store = current().store
    accounts.find(store, account_id)
    return dict(accounts.root(store)["_help_links"])


def accounts_manually_created_courses_account():
    store = current().store
    me = actor().user
    account = accounts.manually_created_courses(store)
    return serializers.account(account, store, me, read_only=not permissions.member_of(store, me, account))


def accounts_search(name=None, domain=None, latitude=None, longitude=None):
    return accounts.search_domains(current().store, name, domain)
