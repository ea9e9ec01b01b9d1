"""TransactionalEmail: every email this world's portal sent, read from the sandbox outbox (welcome
emails, confirmation tokens, notifications, certificates, receipts...). Each message the outbox holds
is recorded once, when the emails are next read (``sync``), so they page, filter and sort like any
type and outlive the outbox's bound. Administrators see every email, users those sent to them."""

from __future__ import annotations

from mockserver.errors import NotFound
from mockserver.vendors.synap.records import ident, new_record
from mockserver.vendors.synap.rules import users


def _mine(call, record: dict) -> bool:
    me = call.record("User", call.user_id or "") or {"attributes": {}}
    return (record["attributes"]["toAddress"] or "").casefold() == (me["attributes"].get("emailAddress") or "").casefold()


def allow(call, action, record) -> None:
    if record is not None and not call.is_admin and not _mine(call, record):
        raise NotFound(f"No TransactionalEmail with id {record['id']!r}")


def visible(call, rows: list[dict]) -> list[dict]:
    return rows if call.is_admin else [r for r in rows if _mine(call, r)]


def sync(call) -> None:
    """Record the outbox's Synap messages not recorded yet, oldest first."""
    rt = call.registry["TransactionalEmail"]
    with call.store.transaction():
        seen = {row.get("_message") for row in call.store.rows(rt.table)}
        for message in reversed(call.sandbox.outbox.messages(vendor="synap")):
            key = f"{message['id']}@{message['sent_at']}"
            if key in seen:
                continue
            user = users.by_email(call.store, message["to"])
            record = new_record(call, rt, {
                "toAddress": message["to"], "subject": message["subject"], "body": message["body"],
                "kind": message["kind"] or "email", "status": "sent", "sentAt": message["sent_at"],
                "createdAt": message["sent_at"],
            }, {"user": ident("User", user)})
            record["_message"] = key
            call.store.insert(rt.table, record["id"], record)
