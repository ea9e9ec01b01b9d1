"""Users of an account, a user's details and profile (canvas:app/controllers/users_controller.rb,
profile_controller.rb; lib/api/v1/user.rb, lib/api/v1/user_profile.rb).

- An account's users are those associated with it (its admins and the people of its courses and
  those below it; the root account has everyone), for the account's admins. ``search_term``
  (3 characters at least) matches name, login, e-mail, SIS id or the whole id;
  ``enrollment_type`` keeps people with such an enrollment; ``sort`` username (the default,
  by sortable name), email, sis_id or last_login; ``order`` asc or desc.
- Creating one needs ``pseudonym[unique_id]``, unused in the root account; the name defaults to
  the login, the sortable and short names are derived from it (User#sortable_name).
- A user may change their own name fields, time zone and locale; an admin above them anything.
- A profile is the user's own, or any for an admin above them.
"""

from __future__ import annotations

from datetime import datetime

from mockserver.clock import isoformat
from mockserver.store import Store
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.errors import SearchTermTooShort, UserCreateErrors
from mockserver.vendors.canvas.rules import accounts, permissions
from mockserver.vendors.canvas.rules.courses import TYPES_BY_NAME

MIN_SEARCH = 3
TAKEN = "ID already in use for this account and authentication provider"
EDITABLE = ("name", "short_name", "sortable_name", "time_zone", "locale", "email", "title", "bio", "pronouns")
_PRIVATE = {"title": "_title", "bio": "_bio", "pronouns": "_pronouns"}
_SORT = {"email": lambda u: (u.get("email") or "").casefold(), "sis_id": lambda u: u.get("sis_user_id") or "",
         "last_login": lambda u: u.get("_last_login") or "", "username": lambda u: u["sortable_name"].casefold(),
         "integration_id": lambda u: u.get("integration_id") or ""}


def sortable(name: str) -> str:
    """User.last_name_first: "Last, First" for a two-part name, else the name itself."""
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else name


def of_account(store: Store, viewer: dict, account_ref, params: dict) -> list[dict]:
    account = accounts.find(store, account_ref)
    permissions.allow(permissions.administers(store, viewer, account))  # read_roster
    rows = store.rows(t.USERS)
    if account["parent_account_id"] is not None:
        rows = [u for u in rows if account["id"] in permissions.associated_accounts(store, u)]
    kind = TYPES_BY_NAME.get(params.get("enrollment_type") or "")
    if kind:
        rows = [u for u in rows if any(k == kind for _c, k in u.get("_enrollments", []))]
    term = params.get("search_term")
    if term:
        if len(term) < MIN_SEARCH:
            raise SearchTermTooShort(MIN_SEARCH)
        needle = term.casefold()
        rows = [u for u in rows if str(u["id"]) == term or any(
            needle in (u.get(k) or "").casefold() for k in ("name", "sortable_name", "login_id", "email", "sis_user_id"))]
    key = _SORT.get(params.get("sort") or "username", _SORT["username"])
    rows = sorted(rows, key=lambda u: (key(u), u["id"]))
    if params.get("order") == "desc":
        rows.reverse()
    return rows


def create(store: Store, viewer: dict, account_ref, body, now: datetime) -> dict:
    """UsersController#create (an admin adding a user to the account)."""
    with store.transaction():
        account = accounts.find(store, account_ref)
        permissions.allow(permissions.administers(store, viewer, account))  # manage_user_logins
        body = body or {}
        given, pseudonym, channel = body.get("user") or {}, body.get("pseudonym") or {}, body.get("communication_channel") or {}
        login = str(pseudonym.get("unique_id") or "").strip()
        if not login:
            raise UserCreateErrors({"unique_id": [("too_short", "Login is too short (minimum is 1 character)")]})
        if any((u.get("login_id") or "").casefold() == login.casefold() for u in store.rows(t.USERS)):
            raise UserCreateErrors({"unique_id": [("taken", TAKEN)]})
        sis = pseudonym.get("sis_user_id")
        if sis and store.find_one(t.USERS, sis_user_id=str(sis)):
            raise UserCreateErrors({"sis_user_id": [("taken", f'SIS ID "{sis}" is already in use')]})
        name = str(given.get("name") or "").strip() or login
        first, _, last = name.partition(" ")
        email = channel.get("address") if channel.get("type", "email") == "email" and channel.get("address") else \
            (login if "@" in login else None)
        return store.insert_auto(t.USERS, {
            "name": name, "sortable_name": given.get("sortable_name") or sortable(name),
            "short_name": given.get("short_name") or name, "first_name": first, "last_name": last or "",
            "login_id": login, "email": email, "sis_user_id": str(sis) if sis else None,
            "integration_id": pseudonym.get("integration_id"), "created_at": isoformat(now),
            "locale": given.get("locale"), "time_zone": given.get("time_zone") or account["default_time_zone"],
            "avatar_url": "https://canvas.instructure.com/images/messages/avatar-50.png",
            "_admin_of": [], "_enrollments": [], "_closed_notifications": [], "_bio": None, "_title": None,
            "_pronouns": None, "_account": account["id"]})


def update(store: Store, viewer: dict, target: dict, body) -> dict:
    """UsersController#update: yourself (names, time zone, locale, profile fields), or an admin."""
    with store.transaction():
        permissions.allow(permissions.manages_user(store, viewer, target))
        given = (body or {}).get("user") or {}
        fields = {}
        for key in EDITABLE:
            if key in given:
                fields[_PRIVATE.get(key, key)] = given[key]
        if "name" in fields and not str(fields["name"] or "").strip():
            fields.pop("name")
        if "name" in fields and "sortable_name" not in given:
            fields["sortable_name"] = sortable(fields["name"])
        if "name" in fields and "short_name" not in given:
            fields["short_name"] = fields["name"]
        return store.update(t.USERS, target["id"], fields) if fields else target


def profile(store: Store, viewer: dict, target: dict) -> dict:
    permissions.allow(permissions.manages_user(store, viewer, target))
    return target
