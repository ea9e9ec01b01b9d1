"""Users and domain memberships.

Domain-user POST with an email that exists adds that user to the domain (if not a member yet)
and returns their existing details; a new email creates the user. Either way the answer carries
a fresh ``login_token``; a new membership raises DOMAIN_ENROLLMENT. Domain-user updates change
only ``active``, ``expires_at`` and ``access_code`` (which may be set to null). User updates change
only names and email. Anonymize scrubs identifying data for good.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from mockserver.clock import isoformat
from mockserver.errors import InvalidRequest, NotFound, Violation
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.rules import access
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.records import normalise, require


def require_user(store: Store, user_id: str) -> dict:
    return require(store, t.USERS, user_id, "user")


def _email_taken(store: Store, email: str, other_than: str | None = None) -> bool:
    wanted = email.lower()
    return any(u["email"].lower() == wanted and u["id"] != other_than for u in store.rows(t.USERS))


def update(store: Store, user_id: str, body: dict) -> dict:
    changes = {k: v for k, v in (body or {}).items() if k in ("email", "first_name", "last_name")}
    with store.transaction():
        require_user(store, user_id)
        if "email" in changes and _email_taken(store, changes["email"], user_id):
            raise InvalidRequest("email taken", violations=[Violation("body", ("email",), "A user with this email already exists.")])
        return store.update(t.USERS, user_id, changes)


def anonymize(store: Store, user_id: str, now: datetime) -> dict:
    with store.transaction():
        require_user(store, user_id)
        token = hashlib.blake2b(user_id.encode(), digest_size=6).hexdigest()
        return store.update(t.USERS, user_id, {
            "email": f"anonymized-{token}@anonymized.invalid", "first_name": "Anonymized", "last_name": "User",
            "_inactive_at": isoformat(now), "_anonymized": True,
        })


def login_token(store: Store, user_id: str) -> str:
    n = store.sequence("skilljar.login_token")
    return hashlib.blake2b(f"{store.meta.get('seed')}:{user_id}:{n}".encode(), digest_size=20).hexdigest()


def add_to_domain(store: Store, domain: str, body: dict, now: datetime) -> tuple[dict, bool]:
    """(membership, new_membership) for POST /domains/{domain}/users."""
    given = body["user"]
    fields = normalise({k: v for k, v in body.items() if k in ("active", "marketing_optin", "expires_at")})
    with store.transaction():
        require(store, t.DOMAINS, domain, "domain")
        wanted = given["email"].lower()
        existing = next((u for u in store.rows(t.USERS) if u["email"].lower() == wanted), None)
        if existing is None:
            existing = {
                "id": new_id(store, "user"), "email": given["email"],
                "first_name": given.get("first_name", ""), "last_name": given.get("last_name", ""),
                "_signed_up_at": isoformat(now), "_registrations": 0, "_completions": 0,
            }
            store.insert(t.USERS, existing["id"], existing)
        key = t.membership_id(domain, existing["id"])
        membership = store.get(t.DOMAIN_USERS, key)
        if membership is not None:
            return membership, False
        membership = {
            "_domain": domain, "_user": existing["id"], "active": fields.get("active", True),
            "marketing_optin": fields.get("marketing_optin"), "enrolled_at": isoformat(now),
            "expires_at": fields.get("expires_at"), "access_code": None, "_signup_fields": [],
        }
        store.insert(t.DOMAIN_USERS, key, membership)
        return membership, True


def members(store: Store, domain: str, params: dict) -> list[dict]:
    """The domain's memberships, filtered by access code and signup field as seed 003 documents."""
    require(store, t.DOMAINS, domain, "domain")
    email = params.get("user__email")
    if email is not None:
        # an e-mail names one user: its membership is found through the users' index rather than
        # by serializing every member (the list still applies the filter to what it serializes)
        found = (store.get(t.DOMAIN_USERS, t.membership_id(domain, u["id"])) for u in store.lookup(t.USERS, "email", email))
        rows = [m for m in found if m is not None]
    else:
        rows = store.lookup(t.DOMAIN_USERS, "_domain", domain)
    wanted = params.get("access_code")
    if wanted is not None:
        if wanted != "null":  # "No other values are accepted for this query."
            raise InvalidRequest("access_code", violations=[
                Violation("query", ("access_code",), 'Only "null" is accepted: use access_code__code to match a code.')])
        rows = [m for m in rows if m.get("access_code") is None]
    code_tests = (("access_code__code", lambda c, v: c.get("code") == v),
                  ("access_code__id", lambda c, v: c.get("id", "").lower() == v.lower()),
                  ("access_code__pool__id", lambda c, v: (c.get("pool") or {}).get("id", "").lower() == v.lower()))
    for param, test in code_tests:
        if params.get(param) is not None:
            rows = [m for m in rows if m.get("access_code") and test(m["access_code"], params[param])]
    field_tests = (("signup_field_id", lambda f: f["signup_field"]["id"]),
                   ("signup_field_label", lambda f: f["signup_field"]["label"]),
                   ("signup_field_value", lambda f: f["value"]))
    for param, read in field_tests:
        if params.get(param) is not None:
            rows = [m for m in rows if any(read(f) == params[param] for f in m.get("_signup_fields", []))]
    return rows


def membership(store: Store, domain: str, user_id: str) -> dict:
    require(store, t.DOMAINS, domain, "domain")
    record = store.get(t.DOMAIN_USERS, t.membership_id(domain, user_id))
    if record is None:
        raise NotFound("not a member")
    return record


def update_membership(store: Store, domain: str, user_id: str, body: dict) -> dict:
    changes = normalise({k: v for k, v in (body or {}).items() if k in ("active", "expires_at", "access_code")})
    with store.transaction():
        membership(store, domain, user_id)
        code = changes.get("access_code")
        if code is not None:  # null clears the member's code; an id must name a code of this domain's pools
            found = access.find_access_code(store, domain, code.get("id"))
            if found is None:
                raise InvalidRequest("unknown access code", violations=[
                    Violation("body", ("access_code", "id"), f'Invalid pk "{code.get("id")}" - object does not exist.')])
            changes["access_code"] = access.access_code_view(store, found)
        return store.update(t.DOMAIN_USERS, t.membership_id(domain, user_id), changes)


def add_many_to_domain(store: Store, domain: str, entries: list[dict], now: datetime) -> list[tuple[dict, bool]]:
    """POST /domains/{domain}/users/bulk-create: each entry as one domain-user POST, all or nothing."""
    with store.transaction():
        require(store, t.DOMAINS, domain, "domain")
        added = []
        for entry in entries:
            user = {k: entry[k] for k in ("email", "first_name", "last_name") if k in entry}
            added.append(add_to_domain(store, domain, {"user": user, **{k: entry[k] for k in
                                       ("active", "marketing_optin", "expires_at") if k in entry}}, now))
        return added


# -- third-party manager access -------------------------------------------------------------------

MANAGER_ACCESS = "skilljar_manager_access"
# Each id list of a manager's access and the table its ids must name (license packages: commerce).
MANAGED = {"course_ids": t.COURSES, "path_ids": "skilljar_paths", "license_ids": "skilljar_license_packages"}


def set_manager_access(store: Store, domain: str, user_id: str, body: dict) -> dict:
    """The member manages the group named ``group_name`` (found, or created). Ids that name nothing
    are left out and reported in ``invalid_ids`` rather than refused (official ManagerAccess)."""
    with store.transaction():
        membership(store, domain, user_id)
        named = next((g for g in store.rows(access.GROUPS) if g["name"] == body["group_name"]), None)
        group = named or access.create_group(store, {"name": body["group_name"]})
        record = {"_domain": domain, "_user": user_id, "group_id": group["id"],
                  "can_create_users": body.get("can_create_users", False),
                  "course_access_level": body["course_access_level"], "path_access_level": body["path_access_level"],
                  "invalid_ids": {}}
        for field, table in MANAGED.items():
            given = list(dict.fromkeys(body.get(field) or []))
            record[field] = [i for i in given if store.get(table, i) is not None]
            record["invalid_ids"][field] = [i for i in given if store.get(table, i) is None]
        key = t.membership_id(domain, user_id)
        store.delete(MANAGER_ACCESS, key)
        store.insert(MANAGER_ACCESS, key, record)
        return record


def remove_manager_access(store: Store, domain: str, user_id: str) -> None:
    with store.transaction():
        membership(store, domain, user_id)
        if not store.delete(MANAGER_ACCESS, t.membership_id(domain, user_id)):
            raise NotFound("no manager access")
