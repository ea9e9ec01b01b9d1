"""Records that belong to one user: the one ownership rule of Synap's types, with parameters.

The owner sees and changes their records; administrators see and change every one; anyone else is
told there is no such record (404) and lists show them only their own (checkout sessions, flags,
studies, mobile records, learning records, marking sessions...).

    Owned(type_name, key="user", admin_writes=(), user_required=True)

``key``: the to-one relationship that names the owner (``user``, ``createdBy``), or a private
field of the stored record (``_marker``: the marking records keep their marker there).
``admin_writes``: the actions only administrators may take (403), e.g. ``ADMIN_WRITES``.
``user_required``: whether a create for a user who does not exist is a 400 at
``relationships.<key>``; otherwise it is made for whoever it names (or the caller).

A type's rules module makes one ``Owned`` (or a subclass adding its own hooks) and names it in the
spec (``rules: revision:study``), or takes its hooks (``allow, visible = owned.allow, owned.visible``).
``claim`` (and ``acting_for``, for types that only need that part) picks whom a create is for.
"""

from __future__ import annotations

from mockserver.errors import Forbidden, NotFound
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import linked_id

ADMIN_WRITES = ("create", "update", "delete")


def owner_id(record: dict, key: str = "user") -> str | None:
    """The id of the user a record belongs to: its ``key`` relationship, or its private ``_`` field."""
    return record.get(key) if key.startswith("_") else linked_id(record, key)


def acting_for(call, record: dict, type_name: str, key: str = "user", user_id: str | None = None,
               user_required: bool = True) -> dict:
    """The user a new record is for (inside the transaction): ``user_id`` (from a parent record), the
    user it names in ``key``, or the caller; only administrators make one for another user (403).
    Links the record to that user and returns the user's record ({} when there is none)."""
    wanted = user_id or owner_id(record, key) or call.user_id
    if wanted != call.user_id and not call.is_admin:
        raise Forbidden(f"Only portal administrators can create a {type_name} for another user.")
    user = call.record("User", wanted or "")
    if user is None and user_required:
        raise invalid(("relationships", key), "A user is required.")
    record["relationships"][key] = {"type": "User", "id": wanted} if wanted else None
    return user or {}


class Owned:
    """The hooks of a type whose records belong to one user."""

    def __init__(self, type_name: str, key: str = "user", admin_writes: tuple[str, ...] = (),
                 user_required: bool = True):
        self.type_name, self.key, self.admin_writes, self.user_required = type_name, key, admin_writes, user_required

    def mine(self, call, record: dict) -> bool:
        return call.is_admin or owner_id(record, self.key) == call.user_id

    def allow(self, call, action, record) -> None:
        if call.is_admin:
            return
        if record is not None and owner_id(record, self.key) != call.user_id:
            raise NotFound(f"No {self.type_name} with id {record['id']!r}")
        if action in self.admin_writes:
            raise Forbidden(f"Only portal administrators can {action} a {self.type_name}.")

    def visible(self, call, rows: list[dict]) -> list[dict]:
        return rows if call.is_admin else [r for r in rows if owner_id(r, self.key) == call.user_id]

    def claim(self, call, record: dict, user_id: str | None = None) -> dict:
        """On create: whom the record is for (see ``acting_for``); returns that user's record."""
        return acting_for(call, record, self.type_name, self.key, user_id, self.user_required)


class Claimed(Owned):
    """An ``Owned`` type whose create is for the user it names, or the caller."""

    def create(self, call, record, body) -> None:
        self.claim(call, record)


# LegacyAccessUpgradeOption needs nothing else: a user's options, written by administrators.
legacy_options = Owned("LegacyAccessUpgradeOption", admin_writes=ADMIN_WRITES, user_required=False)
