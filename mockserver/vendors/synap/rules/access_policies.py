"""Access policies: who (``userGroups``, ``userTypes``) may do what (``permissions``) with the
content a policy governs (``resources``: collections, courses, exams... of its ``resourceType``).

A resource is governed by one policy at a time: a new policy cannot take a resource another one
governs (409), and ``Create AccessMigration`` moves every resource of ``fromPolicy`` to
``toPolicy`` (same resourceType). A policy that still governs resources cannot be deleted (409),
nor can a portal default (403). ``Create AccessPolicyReset`` puts a policy's grants back as they
were when it was created. ``List AvailableAccessPolicies`` is every policy for administrators and,
for anyone else, the policies that grant one of their groups or user types something.
"""

from __future__ import annotations

from types import SimpleNamespace

from mockserver.errors import Conflict, Forbidden
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import table
from mockserver.vendors.synap.rules.accounts import admins_only
from mockserver.vendors.synap.rules.ownership import owner_id

GRANTS = ("permissions", "userGroups", "userTypes")

allow = admins_only


def grants(record: dict) -> dict:
    return {"permissions": list(record["attributes"].get("permissions") or []),
            "userGroups": list(record["relationships"].get("userGroups") or []),
            "userTypes": list(record["relationships"].get("userTypes") or [])}


def _key(ident: dict) -> tuple:
    return ident["type"], ident["id"]


def governing(store, ident: dict) -> dict | None:
    return next((p for p in store.rows(table("AccessPolicy"))
                 if _key(ident) in {_key(r) for r in p["relationships"].get("resources") or []}), None)


def _check_types(resource_type: str | None, resources: list[dict], pointer: tuple) -> None:
    for n, ident in enumerate(resources):
        if resource_type and ident["type"] != resource_type:
            raise invalid((*pointer, n, "type"), f"This policy governs {resource_type}, not {ident['type']}.")


def create(call, record, body) -> None:
    attrs = record["attributes"]
    attrs["permissions"] = list(dict.fromkeys(attrs.get("permissions") or []))
    resources = record["relationships"].get("resources") or []
    _check_types(attrs.get("resourceType"), resources, ("relationships", "resources", "data"))
    for ident in resources:
        other = governing(call.store, ident)
        if other is not None:
            raise Conflict(f"{ident['type']} {ident['id']} is governed by the policy {other['attributes']['name']!r}; "
                           "move it with an AccessMigration.")
    record["_defaults"] = grants(record)


def update(call, record, changes) -> None:
    if "permissions" in changes:
        changes["permissions"] = list(dict.fromkeys(changes["permissions"] or []))


def delete(call, record) -> None:
    if record["attributes"].get("isDefault"):
        raise Forbidden("A portal default access policy cannot be deleted.")
    if record["relationships"].get("resources"):
        raise Conflict("This policy still governs resources; move them with an AccessMigration first.")


def attributes(call, record) -> dict:
    return {"resourceCount": len(record["relationships"].get("resources") or [])}


def _write(call, policy: dict, attributes: dict | None = None, relationships: dict | None = None) -> dict:
    return call.store.update(table("AccessPolicy"), policy["id"], {
        "attributes": {**policy["attributes"], **(attributes or {}), "updatedAt": call.timestamp},
        "relationships": {**policy["relationships"], **(relationships or {})}})


def _policy(call, record: dict, rel: str) -> dict:
    policy = call.record("AccessPolicy", owner_id(record, rel) or "")
    if policy is None:
        raise invalid(("relationships", rel), "An access policy is required.")
    return policy


class Migrations:
    allow = staticmethod(admins_only)

    @staticmethod
    def create(call, record, body) -> None:
        source, target = _policy(call, record, "fromPolicy"), _policy(call, record, "toPolicy")
        if source["id"] == target["id"]:
            raise invalid(("relationships", "toPolicy"), "A migration moves resources to another policy.")
        kinds = (source["attributes"].get("resourceType"), target["attributes"].get("resourceType"))
        if all(kinds) and kinds[0] != kinds[1]:
            raise invalid(("relationships", "toPolicy"), f"{kinds[1]} policies cannot govern {kinds[0]} resources.")
        moving = source["relationships"].get("resources") or []
        kept = target["relationships"].get("resources") or []
        _write(call, target, relationships={"resources": kept + [r for r in moving if _key(r) not in {_key(k) for k in kept}]})
        _write(call, source, relationships={"resources": []})
        record["relationships"]["resources"] = moving
        record["attributes"]["migratedCount"] = len(moving)


class Resets:
    allow = staticmethod(admins_only)

    @staticmethod
    def create(call, record, body) -> None:
        policy = _policy(call, record, "accessPolicy")
        original = policy.get("_defaults") or grants(policy)
        now = grants(policy)
        record["attributes"]["restored"] = [name for name in GRANTS if now[name] != original[name]]
        _write(call, policy, {"permissions": original["permissions"]},
               {"userGroups": original["userGroups"], "userTypes": original["userTypes"]})


def _granted(call, policy: dict) -> bool:
    user = call.record("User", call.user_id or "")
    if user is None:
        return False
    groups = {g["id"] for g in user["relationships"].get("userGroups") or []}
    types = {owner_id(g, "userType") for g in (call.record("UserGroup", gid) for gid in groups) if g}
    rels = policy["relationships"]
    return bool(groups & {g["id"] for g in rels.get("userGroups") or []}
                or types & {u["id"] for u in rels.get("userTypes") or []})


migrations, resets = Migrations(), Resets()
available = SimpleNamespace(
    visible=lambda call, rows: rows if call.is_admin else [p for p in rows if _granted(call, p)],
    relationships=lambda call, record: {"accessPolicy": {"type": "AccessPolicy", "id": record["id"]}},
    attributes=attributes,
)
