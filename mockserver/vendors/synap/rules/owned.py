"""Types whose records belong to one user (a ``user``-style to-one relationship): administrators see
and change every record; any other caller sees only their own, and another user's record is a 404 as
if it did not exist (checkout sessions, flags, tip suggestions, upgrade options, background jobs).

A type's rules module makes one ``Owned`` and takes its hooks (``allow = owned.allow``), or names
it directly (``rules: owned:legacy_options``) when that is all the type needs.
"""

from __future__ import annotations

from mockserver.errors import Forbidden, NotFound
from mockserver.vendors.synap import tables as t


class Owned:
    def __init__(self, type_name: str, relationship: str = "user", admin_only: tuple[str, ...] = ()):
        self.type_name, self.relationship, self.admin_only = type_name, relationship, admin_only

    def owner_id(self, record: dict) -> str | None:
        linked = record.get("relationships", {}).get(self.relationship)
        return linked["id"] if linked else None

    def mine(self, call, record: dict) -> bool:
        return call.is_admin or self.owner_id(record) == call.user_id

    def allow(self, call, action, record) -> None:
        if call.is_admin:
            return
        if record is not None and self.owner_id(record) != call.user_id:
            raise NotFound(f"No {self.type_name} with id {record['id']!r}")
        if action in self.admin_only:
            raise Forbidden(f"Only portal administrators can {action} a {self.type_name}.")

    def visible(self, call, rows: list[dict]) -> list[dict]:
        return rows if call.is_admin else [r for r in rows if self.owner_id(r) == call.user_id]

    def claim(self, call, record: dict) -> dict:
        """On create: the record is the caller's unless an administrator names another user.
        Returns the owner's user record."""
        named = self.owner_id(record)
        if named is not None and named != call.user_id and not call.is_admin:
            raise Forbidden(f"Only portal administrators can make a {self.type_name} for another user.")
        owner_id = named or call.user_id
        record["relationships"][self.relationship] = {"type": "User", "id": owner_id} if owner_id else None
        return call.store.get(t.USERS, owner_id or "") or {}


legacy_options = Owned("LegacyAccessUpgradeOption", admin_only=("create", "update", "delete"))
