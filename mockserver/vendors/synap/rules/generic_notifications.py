"""GenericNotification: an administrator's message to users and the members of user groups.

Every target gets it in-app when ``inApp`` is a channel; by email (the sandbox outbox, so it shows as
a TransactionalEmail) when ``email`` is, unless they turned email notifications off in their
``preferences`` (``emailNotifications: false``, or ``notificationGroups.<key>: false`` for the named
NotificationGroup) and the group is not mandatory. A BackgroundJob tracks the sending.
"""

from __future__ import annotations

from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.rules import background_jobs, user_groups
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)


def _targets(call, record: dict) -> list[dict]:
    found: dict[str, dict] = {}
    for ident in record["relationships"].get("users") or []:
        found.setdefault(ident["id"], call.record("User", ident["id"]))
    for ident in record["relationships"].get("userGroups") or []:
        for member in user_groups.members(call.store, ident["id"]):
            found.setdefault(member["id"], member)
    return list(found.values())


def _opted_out(user: dict, group: dict | None) -> bool:
    if group is not None and group["attributes"]["isMandatory"]:
        return False
    preferences = user["attributes"].get("preferences") or {}
    if preferences.get("emailNotifications") is False:
        return True
    return group is not None and (preferences.get("notificationGroups") or {}).get(group["attributes"]["key"]) is False


def create(call, record, body) -> None:
    targets = _targets(call, record)
    if not targets:
        raise invalid(("relationships", "users"), "A notification needs at least one target (users or userGroups).")
    linked = record["relationships"].get("notificationGroup")
    group = call.record("NotificationGroup", linked["id"]) if linked else None
    channels = record["attributes"].get("channels") or ["email"]
    emailed = [u for u in targets if not _opted_out(u, group)] if "email" in channels else []
    skipped = len(targets) - len(emailed) if "email" in channels else 0
    reached = len(targets) if "inApp" in channels else len(emailed)
    record["attributes"].update({"channels": channels, "recipientCount": reached, "skippedCount": skipped})
    record["relationships"]["sender"] = {"type": "User", "id": call.user_id} if call.user_id else None
    record["_emailTo"] = [u["attributes"]["emailAddress"] for u in emailed]
    job = background_jobs.start(call, "notification", {"type": "GenericNotification", "id": record["id"]},
                                len(targets), record["attributes"]["subject"])
    record["relationships"]["backgroundJob"] = {"type": "BackgroundJob", "id": job["id"]}


def created(call, record) -> None:
    attrs = record["attributes"]
    text = attrs["message"] + (f"\n\n{attrs['actionUrl']}" if attrs.get("actionUrl") else "")
    for address in record["_emailTo"]:
        call.sandbox.outbox.send(vendor="synap", to=address, kind="GenericNotification", subject=attrs["subject"],
                                 body=text, data={"type": "GenericNotification", "id": record["id"]})
