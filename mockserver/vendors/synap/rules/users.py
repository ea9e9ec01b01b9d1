"""Users: unique email addresses, names kept in step, memberships that live on the user.

A user's groups are its ``userGroups`` relationship, and ``userGroupsMetadata`` holds
``{<groupId>: {"dateJoined"}}`` for each (update-user sample, vendors.md §1). Deleting a user
therefore removes its memberships; its PATs stop working too, and what the other parts keep for
that user alone goes with it (rules/user_cascade.py).
"""

from __future__ import annotations

import hashlib

from mockserver.errors import Forbidden
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import table
from mockserver.vendors.synap.rules import events, user_cascade, user_groups


def by_email(store, email: str) -> dict | None:
    wanted = email.strip().lower()
    for user in store.rows(table("User")):
        if (user["attributes"].get("emailAddress") or "").lower() == wanted:
            return user
    return None


def require_unique_email(store, email: str, pointer: tuple, except_id: str | None = None) -> None:
    found = by_email(store, email)
    if found is not None and found["id"] != except_id:
        raise invalid(pointer, f"A user with the email address {email} already exists.")


def password_hash(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


def split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().partition(" ")
    return first, last


def allow(call, action, record) -> None:
    # A non-admin sees everyone (a directory) but changes only itself; only admins delete users.
    if action == "delete" and not call.is_admin:
        raise Forbidden("Only portal administrators can delete users.")
    if action == "update" and not call.is_admin and record["id"] != call.user_id:
        raise Forbidden("You can only update your own user.")


def update(call, record, changes) -> None:
    if "emailAddress" in changes and changes["emailAddress"] != record["attributes"]["emailAddress"]:
        require_unique_email(call.store, changes["emailAddress"], ("attributes", "emailAddress"), record["id"])
        changes["emailVerified"] = False  # a new address is unverified until confirmed
    if "name" in changes and not ({"firstName", "lastName"} & set(changes)):
        changes["firstName"], changes["lastName"] = split_name(changes["name"])
    elif {"firstName", "lastName"} & set(changes) and "name" not in changes:
        first = changes.get("firstName", record["attributes"].get("firstName")) or ""
        last = changes.get("lastName", record["attributes"].get("lastName")) or ""
        changes["name"] = f"{first} {last}".strip()


def updated(call, before, after) -> None:
    events.emit(call, "user.update", "User", after)


def delete(call, record) -> None:
    for pat in call.store.rows(table("PersonalAccessToken")):
        if pat.get("_owner") == record["id"]:
            call.store.update(table("PersonalAccessToken"), pat["id"],
                              {"attributes": {**pat["attributes"], "isRevoked": True}})
    user_cascade.remove(call, record["id"])


def deleted(call, record) -> None:
    events.emit(call, "user.delete", "User", record)


def relink(call, record, name, linked) -> dict:
    """/users/{id}/relationships/userGroups: memberships keep their dateJoined; new ones start now."""

    before = {g["id"] for g in record["relationships"].get("userGroups") or []}
    for ident in linked:
        if ident["id"] not in before:
            user_groups.require_open(call.record("UserGroup", ident["id"]))
    metadata = record["attributes"].get("userGroupsMetadata") or {}
    return {"userGroupsMetadata": {g["id"]: metadata.get(g["id"]) or {"dateJoined": call.timestamp} for g in linked}}
