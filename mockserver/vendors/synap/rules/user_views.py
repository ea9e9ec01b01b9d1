"""Read-only views over a user record (same id as the User), worked out from the store when read:

- ``SessionContext`` (GET /session-context): who the caller is: the user, role and permissions
  (from the user types of their groups), the portal, groups, the PAT in use and their sessions.
- ``UserEngagement``: how recently and how much each user takes part (``engagementLevel``:
  active within 7 days, engaged within 30, lapsing within 90, else inactive; never seen: inactive).
- ``UserStat``: a user's counts: groups, learning records and their credits and minutes, external
  exam sittings and passes, documents, active sessions.
Non-administrators see only themselves.
"""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import parse
from mockserver.errors import NotFound
from mockserver.vendors.synap.records import ident, table
from mockserver.vendors.synap.rules.ownership import owner_id
from mockserver.vendors.synap.rules.user_records import ExternalExamSittings

LEVELS = ((timedelta(days=7), "active"), (timedelta(days=30), "engaged"), (timedelta(days=90), "lapsing"))
RECENT = timedelta(days=90)


def _self(type_name: str):
    def allow(call, action, record) -> None:
        if record is not None and not call.is_admin and record["id"] != call.user_id:
            raise NotFound(f"No {type_name} with id {record['id']!r}")
    return allow


def _user_link(call, record) -> dict:
    return {"user": ident("User", record)}


def _of(store, table: str, user_id: str) -> list[dict]:
    return [row for row in store.rows(table) if owner_id(row) == user_id]


def active_sessions(call, user_id: str) -> int:
    return sum(1 for s in _of(call.store, table("UserSession"), user_id) if call.now < parse(s["attributes"]["expiresAt"]))


class SessionContext:
    @staticmethod
    def _groups(call, record) -> list[dict]:
        return [g for g in (call.record("UserGroup", i["id"]) for i in record["relationships"].get("userGroups") or []) if g]

    def attributes(self, call, record) -> dict:
        attrs = record["attributes"]
        types = {owner_id(g, "userType") for g in self._groups(call, record)} - {None}
        permissions = set()
        for type_id in types:
            permissions.update((call.record("UserType", type_id) or {"attributes": {}})["attributes"].get("permissions") or [])
        return {"name": attrs.get("name"), "emailAddress": attrs.get("emailAddress"), "role": record.get("_role"),
                "isAdmin": record.get("_role") == "admin", "permissions": sorted(permissions),
                "mfaEnabled": bool(record.get("_mfaEnabled")), "locale": attrs.get("locale"),
                "timeZone": attrs.get("timeZone"), "authenticatedWith": "personalAccessToken"}

    def relationships(self, call, record) -> dict:
        portal = next(iter(call.store.rows(table("Portal"))), None)
        groups = self._groups(call, record)
        types = list(dict.fromkeys(owner_id(g, "userType") for g in groups if owner_id(g, "userType")))
        pat = call.caller.get("pat")
        return {
            "user": ident("User", record),
            "portal": ident("Portal", portal),
            "subPortal": record["relationships"].get("subPortal"),
            "userGroups": [ident("UserGroup", g) for g in groups],
            "userTypes": [{"type": "UserType", "id": i} for i in types],
            "personalAccessToken": {"type": "PersonalAccessToken", "id": pat} if pat else None,
            "userSessions": [ident("UserSession", s) for s in _of(call.store, table("UserSession"), record["id"])],
        }


class Engagement:
    allow = staticmethod(_self("UserEngagement"))
    relationships = staticmethod(_user_link)

    @staticmethod
    def visible(call, rows):
        return rows if call.is_admin else [r for r in rows if r["id"] == call.user_id]

    @staticmethod
    def attributes(call, record) -> dict:
        seen = record["attributes"].get("lastSeen")
        since = call.now - parse(seen) if seen else None
        level = next((name for limit, name in LEVELS if since is not None and since <= limit), "inactive")
        recent = [r for r in _of(call.store, table("LearningRecord"), record["id"])
                  if r["attributes"].get("completedAt") and call.now - parse(r["attributes"]["completedAt"]) <= RECENT]
        return {"name": record["attributes"].get("name"), "lastSeen": seen,
                "daysSinceLastSeen": None if since is None else max(since.days, 0), "engagementLevel": level,
                "activeSessions": active_sessions(call, record["id"]), "recentLearningRecords": len(recent),
                "userGroups": len(record["relationships"].get("userGroups") or [])}


class Stats:
    allow = staticmethod(_self("UserStat"))
    relationships = staticmethod(_user_link)

    @staticmethod
    def attributes(call, record) -> dict:
        records = _of(call.store, table("LearningRecord"), record["id"])
        sittings = _of(call.store, table("ExternalExamSitting"), record["id"])
        return {
            "userGroups": len(record["relationships"].get("userGroups") or []),
            "learningRecords": len(records),
            "learningCredits": sum(r["attributes"].get("credits") or 0 for r in records),
            "learningMinutes": sum(r["attributes"].get("durationMinutes") or 0 for r in records),
            "externalExamSittings": len(sittings),
            "externalExamsPassed": sum(1 for s in sittings if ExternalExamSittings.attributes(call, s)["passed"]),
            "documents": len(_of(call.store, table("Document"), record["id"])),
            "activeSessions": active_sessions(call, record["id"]),
        }


session_context, engagement, stats = SessionContext(), Engagement(), Stats()
