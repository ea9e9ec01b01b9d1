"""Account calendars (canvas:app/controllers/account_calendars_api_controller.rb).

Every account has a calendar, hidden until an admin makes it visible. Users see the visible
calendars of the accounts they belong to (the list is wrapped: ``{"account_calendars": [...],
"total_results": N}``); admins list all calendars of their account and its first level of
sub-accounts (a bare list), or, with a search term or filter, of every account below.
"""

from __future__ import annotations

from mockserver.store import Store
from mockserver.vendors.canvas import forms
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.errors import ErrorsString, SearchTermTooShort
from mockserver.vendors.canvas.rules import accounts, integer_id, permissions

MIN_SEARCH = 2  # SearchTermHelper::MIN_SEARCH_TERM_LENGTH


def _by_name(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda a: (a["name"].casefold(), a["id"]))


def _matching(rows: list[dict], term: str | None) -> list[dict]:
    if term is None or term == "":
        return rows
    if len(term) < MIN_SEARCH:
        raise SearchTermTooShort(MIN_SEARCH)
    wanted = term.casefold()
    return [a for a in rows if wanted in a["name"].casefold()]


def available(store: Store, user: dict, search_term: str | None) -> list[dict]:
    """Visible calendars of the accounts the user is associated with, by name."""
    mine = [store.get(t.ACCOUNTS, a) for a in permissions.associated_accounts(store, user)]
    return _by_name(_matching([a for a in mine if a["_calendar_visible"]], search_term))


def show(store: Store, user: dict, ref) -> dict:
    account = accounts.find(store, ref)
    permissions.allow(permissions.administers(store, user, account)
                      or (account["_calendar_visible"] and account["id"] in permissions.associated_accounts(store, user)))
    return account


def _manageable(store: Store, user: dict, ref) -> dict:
    account = accounts.find(store, ref)
    permissions.allow(permissions.administers(store, user, account))  # manage_account_calendar_visibility
    return account


def _settings(body: dict) -> dict:
    changes = {}
    if "visible" in body:
        changes["_calendar_visible"] = bool(forms.boolean(body["visible"]))
    if "auto_subscribe" in body:
        changes["_calendar_auto_subscribe"] = bool(forms.boolean(body["auto_subscribe"]))
    return changes


def update(store: Store, user: dict, ref, body: dict) -> dict:
    with store.transaction():
        account = _manageable(store, user, ref)
        changes = _settings(body or {})
        return store.update(t.ACCOUNTS, account["id"], changes) if changes else account


def bulk_update(store: Store, user: dict, ref, body) -> int:
    """How many accounts the bulk update touched (its ``Updated N accounts``)."""
    with store.transaction():
        account = _manageable(store, user, ref)
        data = forms.json_array(body)
        if not isinstance(data, list) or not data or not all(isinstance(c, dict) for c in data):
            raise ErrorsString("Expected array of objects")
        if not all("id" in c for c in data):
            raise ErrorsString("Missing key(s)")
        ids = [integer_id(c["id"]) for c in data]
        if len(set(map(str, (c["id"] for c in data)))) != len(data):
            raise ErrorsString("Duplicate IDs")
        permissions.allow(set(ids) <= set(accounts.subtree_ids(store, account["id"])))
        for entry, account_id in zip(data, ids):
            changes = _settings({k: entry[k] for k in ("visible", "auto_subscribe") if entry.get(k) is not None})
            if changes:
                store.update(t.ACCOUNTS, account_id, changes)
        return len(set(ids))


def all_calendars(store: Store, user: dict, ref, search_term: str | None, filter_: str | None) -> list[dict]:
    account = _manageable(store, user, ref)
    if filter_ not in (None, "", "visible", "hidden"):
        raise ErrorsString("Expected filter param to be one of: visible, hidden")
    if search_term or filter_:
        rows = [store.get(t.ACCOUNTS, a) for a in accounts.subtree_ids(store, account["id"])]
        if filter_:
            rows = [a for a in rows if a["_calendar_visible"] is (filter_ == "visible")]
        return _by_name(_matching(rows, search_term))
    return [account] + _by_name(accounts.children(store, account["id"]))


def visible_count(store: Store, user: dict, ref) -> int:
    account = _manageable(store, user, ref)
    return sum(1 for a in accounts.subtree_ids(store, account["id"]) if store.get(t.ACCOUNTS, a)["_calendar_visible"])
