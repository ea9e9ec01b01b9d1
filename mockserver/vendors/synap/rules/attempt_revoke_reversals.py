"""AttemptRevokeReversal: gives a revoked Attempt back to its candidate: ``isRevoked`` becomes false,
through the Attempts part's own state changes (attempt_records.save, proctoring.revoke), so the
attempt's event log records it as a removed revocation does. Only a revoked attempt can be reversed (409). Deleting the
reversal revokes the attempt again, unless it was revoked since or no longer exists."""

from __future__ import annotations

from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import linked_id
from mockserver.vendors.synap.rules import action_logs, attempt_records, proctoring
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)

TYPE = "AttemptRevokeReversal"


def create(call, record, body) -> None:
    ref = record["relationships"].get("attempt")  # an Attempt: the controller checked the type
    if not ref:
        raise invalid(("relationships", "attempt"), "The attempt is required.")
    attempt = attempt_records.get(call, ref["id"])
    if not attempt["attributes"]["isRevoked"]:
        raise Conflict(f"Attempt {ref['id']} is not revoked.")
    attempt = attempt_records.save(call, attempt, isRevoked=False)
    proctoring.log(call, attempt, "attempt.reinstated", "Revocation reversed.")
    record["relationships"].update(examV2=attempt["relationships"].get("examV2"),
                                   reversedBy={"type": "User", "id": call.user_id} if call.user_id else None)
    record["attributes"]["reversedAt"] = call.timestamp


def created(call, record) -> None:
    action_logs.record(call, "attempt.revoke_reversal", TYPE, record["id"],
                       f"Reversed the revocation of attempt {record['relationships']['attempt']['id']}")


def delete(call, record) -> None:
    attempt = attempt_records.get(call, linked_id(record, "attempt"))
    if attempt is not None and not attempt["attributes"]["isRevoked"]:
        proctoring.revoke(call, attempt, "Revoke reversal withdrawn.")


def deleted(call, record) -> None:
    action_logs.record(call, "attempt.revoke", TYPE, record["id"],
                       f"Withdrew the reversal: attempt {record['relationships']['attempt']['id']} is revoked again")
