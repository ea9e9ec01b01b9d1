"""Sessions and short-lived tokens.

- ``Token`` (GET /tokens/{id}): every short-lived sign-in token the portal issued: a bot session's
  access token, an app-login QR code's token. ``status`` follows the sandbox clock: ``active`` until
  ``expiresAt``, then ``expired``; ``revoked`` once replaced (a newer QR code) or ended.
- ``UserSession``: a user's signed-in browser or app session. ``Delete own UserSession`` signs out
  one of the caller's own sessions; nobody ends another user's session this way (403).
- ``BotUser``: an automation account an administrator creates; ``Create BotSession`` issues it an
  access token (shown once) valid for an hour, refused for a bot created inactive.
"""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import isoformat, parse
from mockserver.errors import Forbidden, NotFound
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.ids import secret
from mockserver.vendors.synap.records import ident, new_record, table
from mockserver.vendors.synap.rules.ownership import owner_id

BOT_SESSION_TTL = timedelta(hours=1)


def token_status(call, record) -> str:
    attrs = record["attributes"]
    if attrs.get("revokedAt"):
        return "revoked"
    return "expired" if call.now >= parse(attrs["expiresAt"]) else "active"


def issue_token(call, purpose: str, subject: dict, ttl: timedelta) -> tuple[dict, str]:
    """A new Token row (inside a transaction) and its secret."""
    value = secret(call.store, f"token.{purpose}", 48)
    token = new_record(call, call.registry["Token"], {
        "purpose": purpose, "expiresAt": isoformat(call.now + ttl), "revokedAt": None,
    }, {"subject": subject})
    token["_secret"] = value
    call.store.insert(table("Token"), token["id"], token)
    return token, value


def revoke_tokens(call, purpose: str, subject_id: str) -> None:
    for row in call.store.rows(table("Token")):
        if (row["attributes"]["purpose"] == purpose and owner_id(row, "subject") == subject_id
                and token_status(call, row) == "active"):
            call.store.update(table("Token"), row["id"], {"attributes": {**row["attributes"], "revokedAt": call.timestamp}})


class Tokens:
    @staticmethod
    def allow(call, action, record) -> None:
        if record is not None and not call.is_admin and owner_id(record, "subject") != call.user_id:
            raise NotFound(f"No Token with id {record['id']!r}")

    @staticmethod
    def attributes(call, record) -> dict:
        return {"status": token_status(call, record)}


class UserSessions:
    @staticmethod
    def allow(call, action, record) -> None:
        if action == "delete" and owner_id(record) != call.user_id:
            raise Forbidden("You can only sign out of your own sessions.")


class BotUsers:
    @staticmethod
    def allow(call, action, record) -> None:
        if not call.is_admin:
            raise Forbidden("Only portal administrators can manage bot users.")

    @staticmethod
    def create(call, record, body) -> None:
        record["relationships"]["owner"] = {"type": "User", "id": call.user_id} if call.user_id else None
        record["attributes"]["lastSessionAt"] = None


class BotSessions:
    allow = staticmethod(BotUsers.allow)

    @staticmethod
    def create(call, record, body) -> dict:
        bot = call.record("BotUser", owner_id(record, "botUser") or "")
        if bot is None:
            raise invalid(("relationships", "botUser"), "A bot user is required.")
        if not bot["attributes"].get("isActive"):
            raise Forbidden("This bot user is inactive and cannot start a session.")
        token, value = issue_token(call, "bot-session", ident("BotUser", bot), BOT_SESSION_TTL)
        call.store.update(table("BotUser"), bot["id"], {"attributes": {**bot["attributes"], "lastSessionAt": call.timestamp}})
        record["relationships"]["token"] = ident("Token", token)
        record["attributes"]["expiresAt"] = token["attributes"]["expiresAt"]
        return {"accessToken": value}

    @staticmethod
    def attributes(call, record) -> dict:
        token = call.record("Token", owner_id(record, "token") or "")
        return {"status": token_status(call, token) if token else "revoked"}


tokens, user_sessions, bot_users, bot_sessions = Tokens(), UserSessions(), BotUsers(), BotSessions()
