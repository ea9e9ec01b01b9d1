"""Access-code pools and codes, groups, their users and pools, a user's groups."""

from __future__ import annotations

from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.rules import access
from mockserver.vendors.skilljar.serializers.core import read_only_user


def pool_item(record: dict, store: Store | None = None) -> dict:
    return {k: record.get(k) for k in ("id", "name", "active", "start_date", "end_date",
                                        "expire_linked_to_domain_membership", "channel")}


def pool_detail(record: dict, store: Store) -> dict:
    return {**pool_item(record), "code_count": access.code_count(store, record["id"])}


def code_item(record: dict, store: Store) -> dict:
    return {"id": record["id"], "code": record["code"], "active": record["active"], "max_uses": record["max_uses"],
            "use_count": len(access.code_holders(store, record["id"])), "duration": record.get("duration"),
            "duration_unit": record["duration_unit"]}


def code_detail(record: dict, store: Store) -> dict:
    holders = access.code_holders(store, record["id"])
    return {**code_item(record, store), "users": [read_only_user(u) for u in holders]}


def group_view(record: dict, store: Store) -> dict:
    return {"id": record["id"], "name": record["name"], "user_count": access.user_count(store, record["id"]),
            "discount_percent": record.get("discount_percent"), "group_category_id": record.get("group_category_id"),
            "sign_up_field_rule": record["sign_up_field_rule"], "rule_email_domains": record.get("rule_email_domains", [])}


def group_user(link: dict, store: Store) -> dict:
    member = store.get(t.USERS, link["_user"]) or {"id": link["_user"], "email": "", "first_name": "", "last_name": ""}
    return {"user": read_only_user(member), "created_at": link["created_at"]}


def group_pool(link: dict, store: Store) -> dict:
    linked = store.get(access.POOLS, link["_pool"]) or {"id": link["_pool"], "name": ""}
    return {"access_code_pool": {"id": linked["id"], "name": linked["name"]}, "created_at": link["created_at"]}


def group_membership(link: dict, store: Store) -> dict:
    owner = store.get(access.GROUPS, link["_group"])
    return {"id": link["id"], "group": {"id": owner["id"], "name": owner["name"]}, "joined_at": link["created_at"]}
