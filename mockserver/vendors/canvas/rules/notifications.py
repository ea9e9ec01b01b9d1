"""Global announcements: account notifications
(canvas:app/controllers/account_notifications_controller.rb, app/models/account_notification.rb).

- A user sees the notifications of the accounts they belong to that are running now on the
  sandbox clock, meant for one of their roles (no roles: everyone; admins see every role's), and
  that they have not closed. ``include_past`` adds those that ended in the last four months and
  the closed ones. ``include_all`` (account admins only) is every notification of the account,
  whatever its dates and roles, with its author.
- Closing (DELETE) hides a notification for the current user only.
- Create needs subject, message, start_at and end_at (end not before start); the icon defaults
  to "warning". An update replaces the roles with ``account_notification_roles[]``: leaving it out
  clears them (the notification then goes to everyone), as Canvas's update does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mockserver.clock import isoformat, parse
from mockserver.errors import NotFound
from mockserver.store import Store
from mockserver.vendors.canvas import forms
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.errors import ParameterMissing, RecordInvalid
from mockserver.vendors.canvas.rules import accounts, integer_id, permissions, roles

PAST_WINDOW = timedelta(days=120)  # "include_past is used for obtaining notification from the last 4 months"
FIELDS = ("subject", "message", "start_at", "end_at", "icon")


def find(store: Store, ref) -> dict:
    found = store.get(t.NOTIFICATIONS, integer_id(ref)) if integer_id(ref) is not None else None
    if found is None:
        raise NotFound(f"account notification {ref}")
    return found


def _user_roles(user: dict) -> set[str]:
    kinds = permissions.enrollment_types(user)
    return kinds | ({"AccountAdmin"} if permissions.is_admin(user) else set()) or {roles.NIL_ENROLLMENT}


def _for_user(store: Store, user: dict, now: datetime, include_past: bool) -> list[dict]:
    mine = permissions.associated_accounts(store, user) | {accounts.root(store)["id"]}
    user_roles = _user_roles(user)
    closed = set(user.get("_closed_notifications", []))
    found = []
    for note in store.rows(t.NOTIFICATIONS):
        if note["account_id"] not in mine:
            continue
        account = store.get(t.ACCOUNTS, note["account_id"])
        if note["_roles"] and not (set(note["_roles"]) & user_roles) and not permissions.administers(store, user, account):
            continue
        start, end = parse(note["start_at"]), parse(note["end_at"])
        if start > now:
            continue
        if include_past:
            if end < now - PAST_WINDOW:
                continue
        elif end < now or note["id"] in closed:
            continue
        found.append(note)
    return sorted(found, key=lambda n: (n["start_at"], n["id"]), reverse=True)


def user_index(store: Store, user: dict, account_ref, now: datetime, include_past: bool, include_all: bool) -> list[dict]:
    account = accounts.find(store, account_ref)
    if include_all:
        permissions.allow(permissions.administers(store, user, account))  # manage_alerts
        return sorted(store.lookup(t.NOTIFICATIONS, "account_id", account["id"]),
                      key=lambda n: (n["start_at"], n["id"]), reverse=True)
    return _for_user(store, user, now, include_past)


def show(store: Store, user: dict, ref, now: datetime) -> dict:
    note = find(store, ref)
    permissions.allow(any(n["id"] == note["id"] for n in _for_user(store, user, now, include_past=False)))
    return note


def close(store: Store, user: dict, ref) -> dict:
    with store.transaction():
        note = find(store, ref)
        closed = list(store.get(t.USERS, user["id"]).get("_closed_notifications", []))
        if note["id"] not in closed:
            store.update(t.USERS, user["id"], {"_closed_notifications": closed + [note["id"]]})
        return note


def _fields(given: dict, current: dict | None) -> dict:
    """The notification's fields after ``given``, or RecordInvalid naming what is wrong."""
    merged = {k: (current or {}).get(k) for k in FIELDS}
    merged.update({k: given[k] for k in FIELDS if k in given})
    errors: dict[str, list[str]] = {}
    for key in ("start_at", "end_at"):
        try:
            merged[key] = forms.timestamp(merged[key])
        except ValueError:
            merged[key] = None  # Rails casts a date it cannot read to nil: then it is blank
    for key in ("subject", "message", "start_at", "end_at"):
        if merged[key] is None or str(merged[key]).strip() == "":
            errors.setdefault(key, []).append("blank")
    if merged["start_at"] and merged["end_at"] and parse(merged["end_at"]) < parse(merged["start_at"]):
        errors.setdefault("end_at", []).append("Account notification end time precedes start time")
    if errors:
        raise RecordInvalid(errors)
    merged["icon"] = merged["icon"] or "warning"
    return merged


def _given(body) -> dict:
    given = body.get("account_notification") if isinstance(body, dict) else None
    if not isinstance(given, dict) or not given:
        raise ParameterMissing("account_notification")
    return given


def create(store: Store, user: dict, account_ref, body, now: datetime) -> dict:
    with store.transaction():
        account = accounts.find(store, account_ref)
        permissions.allow(permissions.administers(store, user, account))
        fields = _fields(_given(body), None)
        return store.insert_auto(t.NOTIFICATIONS, {
            "account_id": account["id"], **fields, "_roles": roles.resolve(body.get("account_notification_roles")),
            "_author_id": user["id"], "created_at": isoformat(now)})


def update(store: Store, user: dict, account_ref, ref, body) -> dict:
    with store.transaction():
        account = accounts.find(store, account_ref)
        permissions.allow(permissions.administers(store, user, account))
        note = find(store, ref)
        if note["account_id"] != account["id"]:
            raise NotFound(f"account notification {ref}")
        fields = _fields(_given(body), note)
        return store.update(t.NOTIFICATIONS, note["id"],
                            {**fields, "_roles": roles.resolve(body.get("account_notification_roles"))})
