"""Access-code pools and their codes (per domain), and groups with their users and pools.

Pools belong to one domain: a pool of another domain is a 404, as is an unknown domain. A new
pool is empty, active, and made through the API (``channel`` "api"); ``code_count`` is counted
live. A code belongs to one pool; its ``code`` is unique within the domain (a learner types it to
join the private domain) [inferred: the seed and the official spec do not say], and is generated
when the request leaves it out. ``use_count`` and ``users`` come from the domain memberships that
carry the code. PUT and PATCH both update partially (seed 003).

Group names are unique (official: "Unique name of the group"). Adding a user or a pool to a group
twice keeps one link and answers the existing one; an unknown user or pool is a 400 on its field
(DRF's related-field "Invalid pk"), an unknown group a 404. ``user_count`` is counted live.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from mockserver.clock import isoformat, parse
from mockserver.errors import InvalidRequest, Violation
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.records import require, require_in

POOLS = "skilljar_access_code_pools"
CODES = "skilljar_access_codes"
GROUPS = "skilljar_groups"
GROUP_USERS = "skilljar_group_users"
GROUP_POOLS = "skilljar_group_access_code_pools"
GROUP_CATEGORIES = "skilljar_group_categories"
# Associations to a group (resources.py links) that go when the group goes.
GROUP_LINKS = ("skilljar_published_courses_visibility_overrides", "skilljar_published_paths_visibility_overrides",
               "skilljar_catalog_pages_visibility_overrides", "skilljar_published_course_group_prerequisites")

POOL_FIELDS = ("name", "active", "start_date", "end_date", "expire_linked_to_domain_membership")
CODE_FIELDS = ("code", "active", "max_uses", "duration", "duration_unit")
GROUP_FIELDS = ("name", "discount_percent", "group_category_id", "sign_up_field_rule")
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def link_id(parent: str, child: str) -> str:
    return f"{parent}:{child}"


def _invalid(path: tuple, message: str) -> InvalidRequest:
    return InvalidRequest(message, violations=[Violation("body", path, message)])


def _dates(fields: dict) -> dict:
    """``start_date``/``end_date`` in UTC ``Z`` form, as DRF renders datetimes; a bad one is a 400."""
    for key in ("start_date", "end_date"):
        if isinstance(fields.get(key), str):
            try:
                fields[key] = isoformat(parse(fields[key]))
            except ValueError:
                raise _invalid((key,), "Datetime has wrong format. Use one of these formats instead: "
                                       "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].") from None
    return fields


# -- pools ----------------------------------------------------------------------------------------


def domain(store: Store, domain_name: str) -> dict:
    return require(store, t.DOMAINS, domain_name, "domain")


def pool(store: Store, domain_name: str, pool_id: str) -> dict:
    domain(store, domain_name)
    return require_in(store, POOLS, pool_id, "_domain", domain_name, "access code pool")


def pools(store: Store, domain_name: str, name: str | None = None) -> list[dict]:
    domain(store, domain_name)
    return [p for p in store.rows(POOLS) if p["_domain"] == domain_name and (name is None or p["name"] == name)]


def create_pool(store: Store, domain_name: str, body: dict, now: datetime) -> dict:
    fields = _dates({k: v for k, v in (body or {}).items() if k in POOL_FIELDS})
    with store.transaction():
        domain(store, domain_name)
        record = {"id": new_id(store, "access_code_pool"), "name": fields.get("name", ""),
                  "active": fields.get("active", True), "start_date": fields.get("start_date"),
                  "end_date": fields.get("end_date"),
                  "expire_linked_to_domain_membership": fields.get("expire_linked_to_domain_membership", False),
                  "channel": "api", "_domain": domain_name, "_created_at": isoformat(now)}
        store.insert(POOLS, record["id"], record)
        return record


def update_pool(store: Store, domain_name: str, pool_id: str, body: dict) -> dict:
    changes = _dates({k: v for k, v in (body or {}).items() if k in POOL_FIELDS})
    with store.transaction():
        pool(store, domain_name, pool_id)
        return store.update(POOLS, pool_id, changes)


def code_count(store: Store, pool_id: str) -> int:
    return sum(1 for c in store.rows(CODES) if c["_pool"] == pool_id)


# -- codes ----------------------------------------------------------------------------------------


def code(store: Store, domain_name: str, pool_id: str, code_id: str) -> dict:
    pool(store, domain_name, pool_id)
    return require_in(store, CODES, code_id, "_pool", pool_id, "access code")


def _code_taken(store: Store, domain_name: str, text: str, other_than: str | None = None) -> bool:
    return any(c["_domain"] == domain_name and c["code"] == text and c["id"] != other_than for c in store.rows(CODES))


def _generated_code(store: Store, domain_name: str, rng_seed: str) -> str:
    n = 0
    while True:
        digest = int.from_bytes(hashlib.blake2b(f"{store.meta.get('seed')}:{rng_seed}:{n}".encode(), digest_size=8).digest(), "big")
        text = "".join(CODE_ALPHABET[(digest >> (5 * i)) % len(CODE_ALPHABET)] for i in range(10))
        if not _code_taken(store, domain_name, text):
            return text
        n += 1


def create_code(store: Store, domain_name: str, pool_id: str, body: dict) -> dict:
    fields = {k: v for k, v in (body or {}).items() if k in CODE_FIELDS}
    with store.transaction():
        pool(store, domain_name, pool_id)
        code_id = new_id(store, "access_code")
        if "code" not in fields:
            fields["code"] = _generated_code(store, domain_name, code_id)
        elif _code_taken(store, domain_name, fields["code"]):
            raise _invalid(("code",), "An access code with this code already exists on this domain.")
        record = {"id": code_id, "code": fields["code"], "active": fields.get("active", True),
                  "max_uses": fields.get("max_uses", 1), "duration": fields.get("duration"),
                  "duration_unit": fields.get("duration_unit", "MONTHS"), "_pool": pool_id, "_domain": domain_name}
        store.insert(CODES, code_id, record)
        return record


def _forget_codes(store: Store, code_ids: set[str]) -> None:
    """Members who joined with a deleted code keep their membership; their access_code becomes null."""
    for member in store.rows(t.DOMAIN_USERS):
        if (member.get("access_code") or {}).get("id") in code_ids:
            store.update(t.DOMAIN_USERS, t.membership_id(member["_domain"], member["_user"]), {"access_code": None})


def delete_pool(store: Store, domain_name: str, pool_id: str) -> None:
    """A pool goes with its codes and its group links."""
    with store.transaction():
        pool(store, domain_name, pool_id)
        doomed = {c["id"] for c in store.rows(CODES) if c["_pool"] == pool_id}
        for code_id in doomed:
            store.delete(CODES, code_id)
        _forget_codes(store, doomed)
        for link in store.rows(GROUP_POOLS):
            if link["_pool"] == pool_id:
                store.delete(GROUP_POOLS, link_id(link["_group"], pool_id))
        store.delete(POOLS, pool_id)


def delete_code(store: Store, domain_name: str, pool_id: str, code_id: str) -> None:
    with store.transaction():
        code(store, domain_name, pool_id, code_id)
        store.delete(CODES, code_id)
        _forget_codes(store, {code_id})


def update_code(store: Store, domain_name: str, pool_id: str, code_id: str, body: dict) -> dict:
    changes = {k: v for k, v in (body or {}).items() if k in CODE_FIELDS}
    with store.transaction():
        code(store, domain_name, pool_id, code_id)
        if "code" in changes and _code_taken(store, domain_name, changes["code"], code_id):
            raise _invalid(("code",), "An access code with this code already exists on this domain.")
        return store.update(CODES, code_id, changes)


def code_holders(store: Store, code_id: str) -> list[dict]:
    """The users whose domain membership carries this code."""
    held = [m["_user"] for m in store.rows(t.DOMAIN_USERS) if (m.get("access_code") or {}).get("id") == code_id]
    return [u for u in (store.get(t.USERS, user_id) for user_id in held) if u is not None]


def find_access_code(store: Store, domain_name: str, access_code_id: str) -> dict | None:
    """The code of that id in one of the domain's pools, or None (for domain-user updates)."""
    record = store.get(CODES, access_code_id)
    if record is None or record["_domain"] != domain_name or store.get(POOLS, record["_pool"]) is None:
        return None
    return record


def access_code_view(store: Store, record: dict) -> dict:
    """The official ``AccessCode`` shape a domain membership carries: ``{id, code, pool: {id, name}}``."""
    owner = store.get(POOLS, record["_pool"]) or {"id": record["_pool"], "name": ""}
    return {"id": record["id"], "code": record["code"], "pool": {"id": owner["id"], "name": owner["name"]}}


# -- groups ---------------------------------------------------------------------------------------


def group(store: Store, group_id: str) -> dict:
    return require(store, GROUPS, group_id, "group")


def _check_group_fields(store: Store, fields: dict, other_than: str | None = None) -> dict:
    if "name" in fields and any(g["name"] == fields["name"] and g["id"] != other_than for g in store.rows(GROUPS)):
        raise _invalid(("name",), "A group with this name already exists.")
    category = fields.get("group_category_id")
    if category is not None and store.get(GROUP_CATEGORIES, category) is None:  # the seeded categories (GET /group-categories)
        raise _invalid(("group_category_id",), f'Invalid pk "{category}" - object does not exist.')
    rule = fields.get("sign_up_field_rule")
    if rule is not None:
        options = rule.get("options") or []
        if options:
            # Nor are sign-up field options: a rule can only be stored without options.
            raise _invalid(("sign_up_field_rule", "options"),
                           f'Invalid pk "{options[0].get("id")}" - object does not exist.')
        fields["sign_up_field_rule"] = {"enforce": rule.get("enforce", False),
                                        "require_match_all": rule.get("require_match_all", False), "options": []}
    return fields


def create_group(store: Store, body: dict) -> dict:
    fields = {k: v for k, v in (body or {}).items() if k in GROUP_FIELDS}
    domains = sorted({d.strip().lower() for d in (body or {}).get("rule_email_domains") or []})
    with store.transaction():
        _check_group_fields(store, fields)
        record = {"id": new_id(store, "group"), "name": fields.get("name", ""),
                  "discount_percent": fields.get("discount_percent"), "group_category_id": fields.get("group_category_id"),
                  "sign_up_field_rule": fields.get("sign_up_field_rule")
                  or {"enforce": False, "require_match_all": False, "options": []},
                  "rule_email_domains": domains}
        store.insert(GROUPS, record["id"], record)
        return record


def update_group(store: Store, group_id: str, body: dict) -> dict:
    # rule_email_domains is read-only on update (official GroupUpdate).
    changes = {k: v for k, v in (body or {}).items() if k in GROUP_FIELDS}
    with store.transaction():
        group(store, group_id)
        _check_group_fields(store, changes, group_id)
        return store.update(GROUPS, group_id, changes)


def delete_group(store: Store, group_id: str) -> None:
    """A group goes with its memberships, pool links, visibility overrides and prerequisites."""
    with store.transaction():
        group(store, group_id)
        for table in (GROUP_USERS, GROUP_POOLS):
            for record in store.rows(table):
                if record["_group"] == group_id:
                    store.delete(table, link_id(group_id, record.get("_user") or record.get("_pool")))
        for table in GROUP_LINKS:
            for record in store.rows(table):
                if record["_linked"] == group_id:
                    store.delete(table, record["_key"])
        store.delete(GROUPS, group_id)


def email_domains(store: Store, group_id: str) -> list[str]:
    return list(group(store, group_id).get("rule_email_domains") or [])


def change_email_domains(store: Store, group_id: str, body: dict) -> dict:
    """PATCH email-domain-rules: ``add`` and ``remove`` lists of domains (lower-cased, as stored).
    Official spec: "At least one of `add` or `remove` must be provided. Domains are normalized to
    lowercase. Adding an existing domain or removing a non-existent domain is idempotent."""
    add = sorted({d.strip().lower() for d in (body or {}).get("add") or []})
    remove = sorted({d.strip().lower() for d in (body or {}).get("remove") or []})
    with store.transaction():
        current = set(email_domains(store, group_id))
        if not {"add", "remove"} & set(body or {}):
            raise _invalid(("non_field_errors",), "At least one of add or remove must be provided.")
        store.update(GROUPS, group_id, {"rule_email_domains": sorted((current | set(add)) - set(remove))})
    return {"add": add, "remove": remove}


def user_count(store: Store, group_id: str) -> int:
    return sum(1 for link in store.rows(GROUP_USERS) if link["_group"] == group_id)


def add_user(store: Store, group_id: str, body: dict, now: datetime) -> dict:
    user_id = body["user"]["id"]
    with store.transaction():
        group(store, group_id)
        if store.get(t.USERS, user_id) is None:
            raise _invalid(("user", "id"), f'Invalid pk "{user_id}" - object does not exist.')
        key = link_id(group_id, user_id)
        existing = store.get(GROUP_USERS, key)
        if existing is not None:
            return existing
        record = {"id": new_id(store, "group_membership"), "_group": group_id, "_user": user_id,
                  "created_at": isoformat(now)}
        store.insert(GROUP_USERS, key, record)
        return record


def user_groups(store: Store, user_id: str) -> list[dict]:
    require(store, t.USERS, user_id, "user")
    return [link for link in store.rows(GROUP_USERS) if link["_user"] == user_id and store.get(GROUPS, link["_group"])]


def group_pools(store: Store, group_id: str) -> list[dict]:
    group(store, group_id)
    return [link for link in store.rows(GROUP_POOLS) if link["_group"] == group_id and store.get(POOLS, link["_pool"])]


def add_pool(store: Store, group_id: str, body: dict, now: datetime) -> dict:
    pool_id = body["access_code_pool"]["id"]
    with store.transaction():
        group(store, group_id)
        if store.get(POOLS, pool_id) is None:
            raise _invalid(("access_code_pool", "id"), f'Invalid pk "{pool_id}" - object does not exist.')
        key = link_id(group_id, pool_id)
        existing = store.get(GROUP_POOLS, key)
        if existing is not None:
            return existing
        record = {"_group": group_id, "_pool": pool_id, "created_at": isoformat(now)}
        store.insert(GROUP_POOLS, key, record)
        return record
