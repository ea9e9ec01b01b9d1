"""UserGroups and membership: ``totalUsers`` counts members; the default group cannot be deleted;
archived groups take no new members; Add/Remove Users write the members' ``userGroups`` and
``userGroupsMetadata.<groupId>.dateJoined``."""

from __future__ import annotations

from mockserver.errors import Forbidden
from mockserver.vendors.synap.records import ident, table
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)


def _member(user: dict, group_id: str) -> bool:
    return any(g["id"] == group_id for g in user.get("relationships", {}).get("userGroups") or [])


def members(store, group_id: str) -> list[dict]:
    return [u for u in store.rows(table("User")) if _member(u, group_id)]


def default_group(store) -> dict | None:
    return next((g for g in store.rows(table("UserGroup"))
                 if g["attributes"]["isDefaultGroup"] and g["attributes"].get("defaultGroupType") == "student"), None)


def attributes(call, record) -> dict:
    parent = record["relationships"].get("parentGroup")
    return {"totalUsers": len(members(call.store, record["id"])), "parentId": parent["id"] if parent else None}


def delete(call, record) -> None:
    if record["attributes"]["isDefaultGroup"]:
        raise Forbidden("The default group cannot be deleted.")
    remove(call, record, [u["id"] for u in members(call.store, record["id"])])


def join(call, user: dict, group: dict) -> dict:
    """Add one membership (inside a transaction); joining twice keeps the first dateJoined."""
    if _member(user, group["id"]):
        return user
    groups = [*(user["relationships"].get("userGroups") or []), ident("UserGroup", group)]
    metadata = {**(user["attributes"].get("userGroupsMetadata") or {}), group["id"]: {"dateJoined": call.timestamp}}
    return call.store.update(table("User"), user["id"], {
        "attributes": {**user["attributes"], "userGroupsMetadata": metadata},
        "relationships": {**user["relationships"], "userGroups": groups},
    })


def require_open(group: dict) -> None:
    if group["attributes"]["isArchived"]:
        raise Forbidden("An archived group cannot take new members.")


def add(call, group: dict, user_ids: list[str]) -> None:
    require_open(group)
    for user_id in user_ids:
        join(call, call.record("User", user_id), group)


def remove(call, group: dict, user_ids: list[str]) -> None:
    for user_id in user_ids:
        user = call.record("User", user_id)
        if user is None or not _member(user, group["id"]):
            continue
        metadata = {k: v for k, v in (user["attributes"].get("userGroupsMetadata") or {}).items() if k != group["id"]}
        groups = [g for g in user["relationships"]["userGroups"] if g["id"] != group["id"]]
        call.store.update(table("User"), user_id, {
            "attributes": {**user["attributes"], "userGroupsMetadata": metadata},
            "relationships": {**user["relationships"], "userGroups": groups},
        })
