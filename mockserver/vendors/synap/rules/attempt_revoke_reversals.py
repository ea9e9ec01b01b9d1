"""AttemptRevokeReversal: gives a revoked Attempt (the Attempts part's, linked as ``"*"``) back to its
candidate: ``isRevoked`` becomes false. Only a revoked attempt can be reversed (409). Deleting the
reversal revokes the attempt again, unless it was revoked since or no longer exists."""

from __future__ import annotations

from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid, invalid_body
from mockserver.vendors.synap.rules import action_logs
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)
from mockserver.vendors.synap.rules.others import ATTEMPT, target

TYPE = "AttemptRevokeReversal"


def _revoke(call, attempt_type, attempt: dict, revoked: bool) -> None:
    attrs = {**attempt["attributes"], "isRevoked": revoked}
    if "revokedAt" in attrs:
        attrs["revokedAt"] = call.timestamp if revoked else None
    if "updatedAt" in attrs:
        attrs["updatedAt"] = call.timestamp
    call.store.update(attempt_type.table, attempt["id"], {"attributes": attrs})


def create(call, record, body) -> None:
    ref = record["relationships"].get("attempt")
    if not ref:
        raise invalid(("relationships", "attempt"), "The attempt is required.")
    if ref["type"] != ATTEMPT:
        raise invalid_body(("data", "relationships", "attempt", "data", "type"), f"attempt is an {ATTEMPT}, not a {ref['type']}.")
    attempt_type, attempt = target(call, ref)
    if not attempt["attributes"].get("isRevoked"):
        raise Conflict(f"Attempt {ref['id']} is not revoked.")
    _revoke(call, attempt_type, attempt, False)
    exam = (attempt.get("relationships") or {}).get("examV2")
    record["relationships"].update(examV2=exam if exam and exam.get("type") == "Exam-V-2" else None,
                                   reversedBy={"type": "User", "id": call.user_id} if call.user_id else None)
    record["attributes"]["reversedAt"] = call.timestamp


def created(call, record) -> None:
    action_logs.record(call, "attempt.revoke_reversal", TYPE, record["id"],
                       f"Reversed the revocation of attempt {record['relationships']['attempt']['id']}")


def delete(call, record) -> None:
    attempt_type, attempt = target(call, record["relationships"].get("attempt"))
    if attempt is not None and not attempt["attributes"].get("isRevoked"):
        _revoke(call, attempt_type, attempt, True)


def deleted(call, record) -> None:
    action_logs.record(call, "attempt.revoke", TYPE, record["id"],
                       f"Withdrew the reversal: attempt {record['relationships']['attempt']['id']} is revoked again")
