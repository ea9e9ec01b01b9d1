"""CloneJob: copies a content resource (a Course, Collection, Quiz, Exam-V-2, ... of any type but the
portal's people, tokens, settings and records of what happened). The copy ("Copy of <name>" unless
``name`` is given) is stored when the job is created, so nothing can fail later; the job itself runs
on the sandbox clock like every job (rules/jobs.py) and names the copy in ``clone`` once complete."""

from __future__ import annotations

import copy

from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.ids import new_id
from mockserver.vendors.synap.rules import jobs
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)

NOT_CONTENT = frozenset({
    "Portal", "SubPortal", "User", "UserAccount", "UserGroup", "UserType", "UserRegistration",
    "PersonalAccessToken", "WebhookSubscription", "EmailVerification", "EmailVerificationRequest",
    "PasswordReset", "PasswordResetRequest", "AccountClosure", "AccountClosureRequest",
    "Integration", "AttributeConfig", "PortalStore", "CheckoutSession", "Certificate", "GenericNotification",
    "TransactionalEmail", "BackgroundJob", "CloneJob", "FlagExport", "Flag", "TipSuggestion",
})
NAMES = ("name", "title", "label")


def create(call, record, body) -> None:
    source = record["relationships"].get("source")
    if source is None:
        raise invalid(("relationships", "source"), "Name the resource to clone.")
    if source["type"] in NOT_CONTENT:
        raise invalid(("relationships", "source", "data", "type"), f"A {source['type']} cannot be cloned.")
    rt = call.registry[source["type"]]
    original = call.store.get(rt.table, source["id"])
    duplicate = copy.deepcopy(original)
    duplicate["id"] = new_id(call.store, rt.name)
    attrs = duplicate["attributes"]
    label = next((n for n in NAMES if n in rt.attributes and n not in rt.computed), None)
    name = record["attributes"].get("name")
    if label is not None:
        name = name or f"Copy of {attrs.get(label) or source['id']}"
        attrs[label] = name
    for stamp in ("createdAt", "updatedAt"):
        if stamp in attrs:
            attrs[stamp] = call.timestamp
    call.store.insert(rt.table, duplicate["id"], duplicate)
    record["attributes"]["name"] = name
    record["relationships"]["clone"] = None
    record["relationships"]["createdBy"] = {"type": "User", "id": call.user_id} if call.user_id else None
    record["_clone"] = {"type": rt.name, "id": duplicate["id"]}
    jobs.create(call, record, body)


def attributes(call, record) -> dict:
    return jobs.state(call, record)


def relationships(call, record) -> dict:
    done = jobs.state(call, record)["status"] == "complete"
    return {"clone": record["_clone"] if done else None}
