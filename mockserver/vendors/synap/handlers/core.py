"""Hand-written operations of the core resources (users and groups)."""

from __future__ import annotations

from mockserver.responses import NoContent
from mockserver.vendors.synap import schema
from mockserver.vendors.synap.documents import Call
from mockserver.vendors.synap.records import identifiers
from mockserver.vendors.synap.resources import require
from mockserver.vendors.synap.rules import user_groups
from mockserver.vendors.synap.schema import Relationship

# A group's members are not a stored relationship of the group (they live on each user's
# userGroups), so these two endpoints are written by hand rather than by the generic controller.
MEMBERS = Relationship("users", ("User",), many=True)


def _membership_change(id: str, body: dict, change) -> tuple:
    call = Call(schema.registry())
    group_type = call.registry["UserGroup"]
    with call.store.transaction():
        group = require(call, group_type, id)
        user_groups.allow(call, "update", group)
        members = identifiers(call, MEMBERS, body.get("data"), ("data",))
        change(call, group, [m["id"] for m in members])
    return NoContent, 204


def user_groups_add_users(id: str, body: dict):
    """Add Users to UserGroup: POST /user-groups/{id}/relationships/users (JSON:API to-many add)."""
    return _membership_change(id, body, user_groups.add)


def user_groups_remove_users(id: str, body: dict):
    """Remove Users from UserGroup: DELETE /user-groups/{id}/relationships/users."""
    return _membership_change(id, body, user_groups.remove)
