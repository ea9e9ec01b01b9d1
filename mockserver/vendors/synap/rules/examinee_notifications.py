"""ExamineeNotification: a message emailed (the sandbox outbox) to an exam's candidates, the members of
its userGroup, or only to the ``users`` named, who must be candidates when the exam has a group."""

from __future__ import annotations

from mockserver.vendors.synap.errors import invalid, invalid_body
from mockserver.vendors.synap.rules import action_logs, exams
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)
from mockserver.vendors.synap.rules.exam_views import candidates


def create(call, record, body) -> None:
    exam = exams.required_exam(call, record)
    rels = record["relationships"]
    expected = {u["id"] for u in candidates(call, exam)}
    named = [u["id"] for u in rels.get("users") or []]
    if exam["relationships"].get("userGroup"):
        for n, user_id in enumerate(named):
            if user_id not in expected:
                raise invalid_body(("data", "relationships", "users", "data", n), f"User {user_id} is not a candidate of this exam.")
    recipients = named or sorted(expected)
    if not recipients:
        raise invalid(("relationships", "users"), "The exam has no candidates to notify; name the users.")
    record["_recipients"] = recipients
    record["attributes"].update(recipientCount=len(recipients), sentAt=call.timestamp)
    rels["sentBy"] = {"type": "User", "id": call.user_id} if call.user_id else None


def created(call, record) -> None:
    attrs = record["attributes"]
    exam_id = record["relationships"]["examV2"]["id"]
    for user_id in record["_recipients"]:
        user = call.record("User", user_id)
        if user is None:
            continue
        call.sandbox.outbox.send(vendor="synap", to=user["attributes"]["emailAddress"], kind="ExamineeNotification",
                                 subject=attrs["subject"], body=attrs["message"],
                                 data={"type": "ExamineeNotification", "id": record["id"], "examV2": exam_id})
    action_logs.record(call, "exam.notify", "ExamineeNotification", record["id"],
                       f"Notified {attrs['recipientCount']} candidates of exam {exam_id}")
