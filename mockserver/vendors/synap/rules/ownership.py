"""Records that belong to one user (``relationships.user``): the user and admins see and change them;
anyone else is told there is no such record (404), and lists show a non-admin only their own.
``acting_for`` picks whom a create is for: ``relationships.user`` when given, else the caller."""

from __future__ import annotations

from mockserver.errors import Forbidden, NotFound
from mockserver.vendors.synap import tables as t
from mockserver.vendors.synap.errors import invalid


def owner_id(record: dict, rel: str = "user") -> str | None:
    linked = (record.get("relationships") or {}).get(rel)
    return linked["id"] if linked else None


def acting_for(call, record: dict, what: str, rel: str = "user") -> dict:
    """The user a new record is for (inside the transaction); links it as ``rel``."""
    user_id = owner_id(record, rel) or call.user_id
    if user_id != call.user_id and not call.is_admin:
        raise Forbidden(f"Only administrators can create a {what} for another user.")
    user = call.store.get(t.USERS, user_id or "")
    if user is None:
        raise invalid(("relationships", rel), "A user is required.")
    record["relationships"][rel] = {"type": "User", "id": user["id"]}
    return user


class Owned:
    """Hooks for a type whose records belong to their ``rel`` user."""

    def __init__(self, type_name: str, rel: str = "user", admin_writes: bool = False):
        self.type_name, self.rel, self.admin_writes = type_name, rel, admin_writes

    def allow(self, call, action, record) -> None:
        if self.admin_writes and action not in ("list", "show") and not call.is_admin:
            raise Forbidden(f"Only portal administrators can change a {self.type_name}.")
        if record is not None and not call.is_admin and owner_id(record, self.rel) != call.user_id:
            raise NotFound(f"No {self.type_name} with id {record['id']!r}")

    def visible(self, call, rows):
        return rows if call.is_admin else [r for r in rows if owner_id(r, self.rel) == call.user_id]
