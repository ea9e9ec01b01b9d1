"""Join links of user groups: a group's ``UserGroupLinkSetting`` (one per group, administrators)
makes its ``UserGroupLink``, a ``code`` anyone with the link may use:

- ``Validate UserGroupLink`` (POST /user-group-link-validations, ``code``) says which group a code
  joins; ``Create UserGroupLinkAccess`` (``code``) joins the caller (or, for administrators,
  ``relationships.user``) to that group. Joining twice changes nothing (``alreadyMember``).
- An unknown code, a disabled, expired (``expiresAt``, sandbox clock) or used-up (``maxUses``) link,
  or an archived group: 400 on ``/data/attributes/code``.
- ``regenerateCode: true`` on the setting replaces the code: the old one stops working.
"""

from __future__ import annotations

from mockserver.clock import parse
from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.ids import secret
from mockserver.vendors.synap.records import ident, linking, new_record, table
from mockserver.vendors.synap.rules import user_groups
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (settings and links: admins write)
from mockserver.vendors.synap.rules.accounts import portal_host
from mockserver.vendors.synap.rules.ownership import acting_for, owner_id

JOIN_URL = "https://{host}/join/{code}"


def new_code(store) -> str:
    return secret(store, "user-group-link", 10).upper()


def uses(store, link_id: str) -> int:
    return sum(1 for a in linking(store, "UserGroupLinkAccess", "userGroupLink", link_id)
               if not a["attributes"]["alreadyMember"])


# -- UserGroupLinkSetting -------------------------------------------------------------------------


def create(call, record, body) -> None:
    group = call.record("UserGroup", owner_id(record, "userGroup") or "")
    if group is None:
        raise invalid(("relationships", "userGroup"), "The user group the link joins is required.")
    user_groups.require_open(group)
    if linking(call.store, "UserGroupLinkSetting", "userGroup", group["id"]):
        raise Conflict("This user group already has a join link; update its UserGroupLinkSetting instead.")
    record["attributes"]["regenerateCode"] = None
    link = new_record(call, call.registry["UserGroupLink"], {"code": new_code(call.store)},
                      {"userGroupLinkSetting": ident("UserGroupLinkSetting", record)})
    call.store.insert(table("UserGroupLink"), link["id"], link)
    record["relationships"]["userGroupLink"] = ident("UserGroupLink", link)


def update(call, record, changes) -> None:
    if changes.pop("regenerateCode", None):
        link = call.record("UserGroupLink", owner_id(record, "userGroupLink"))
        call.store.update(table("UserGroupLink"), link["id"], {"attributes": {
            **link["attributes"], "code": new_code(call.store), "updatedAt": call.timestamp}})


# -- UserGroupLink: a view of its setting -----------------------------------------------------------


class Links:
    allow = staticmethod(allow)

    @staticmethod
    def _setting(call, record) -> dict:
        return call.record("UserGroupLinkSetting", owner_id(record, "userGroupLinkSetting") or "") or {
            "attributes": {}, "relationships": {}}

    def attributes(self, call, record) -> dict:
        setting = self._setting(call, record)["attributes"]
        return {"url": JOIN_URL.format(host=portal_host(call.store), code=record["attributes"]["code"]),
                "enabled": bool(setting.get("enabled")), "expiresAt": setting.get("expiresAt"),
                "maxUses": setting.get("maxUses"), "uses": uses(call.store, record["id"])}

    def relationships(self, call, record) -> dict:
        return {"userGroup": self._setting(call, record)["relationships"].get("userGroup")}


links = Links()


def usable(call, code: str) -> tuple[dict, dict]:
    """The link a code opens and its group, or a 400 on the code saying why not."""
    def refuse(why: str):
        return invalid(("attributes", "code"), why)

    wanted = (code or "").strip().upper()
    link = next((row for row in call.store.rows(table("UserGroupLink")) if row["attributes"]["code"] == wanted), None)
    if link is None:
        raise refuse("No join link has this code.")
    state = links.attributes(call, link)
    if not state["enabled"]:
        raise refuse("This join link is disabled.")
    if state["expiresAt"] and call.now >= parse(state["expiresAt"]):
        raise refuse("This join link has expired.")
    if state["maxUses"] is not None and state["uses"] >= state["maxUses"]:
        raise refuse("This join link has been used the most times it allows.")
    group = call.record("UserGroup", (links.relationships(call, link)["userGroup"] or {}).get("id", ""))
    if group is None or group["attributes"]["isArchived"]:
        raise refuse("The group of this join link no longer takes new members.")
    return link, group


def _opened(call, record) -> tuple[dict, dict]:
    link, group = usable(call, record["attributes"].get("code"))
    record["attributes"]["code"] = link["attributes"]["code"]
    record["relationships"]["userGroupLink"] = ident("UserGroupLink", link)
    record["relationships"]["userGroup"] = ident("UserGroup", group)
    return link, group


class Validations:
    @staticmethod
    def create(call, record, body) -> None:
        _, group = _opened(call, record)
        record["attributes"].update({"valid": True, "groupName": group["attributes"]["name"]})


class Accesses:
    @staticmethod
    def create(call, record, body) -> None:
        _, group = _opened(call, record)
        user = acting_for(call, record, "UserGroupLinkAccess")
        member = any(g["id"] == group["id"] for g in user["relationships"].get("userGroups") or [])
        user_groups.join(call, user, group)
        record["attributes"]["alreadyMember"] = member


validations, accesses = Validations(), Accesses()
