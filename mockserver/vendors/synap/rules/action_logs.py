"""ActionLog (Auditing): what the Exams and Assignments actions did, who did it and when. Only
administrators read the log; nothing writes it through the API. The rules of those groups call
``record``; other groups' writes are not logged (the engine has no hook every write passes)."""

from __future__ import annotations

from mockserver.errors import Forbidden
from mockserver.vendors.synap.records import insert, new_record

TYPE = "ActionLog"


def allow(call, action, record) -> None:
    if not call.is_admin:
        raise Forbidden("Only portal administrators can read the action log.")


def record(call, action: str, type_name: str, record_id: str, summary: str, changes: dict | None = None) -> dict:
    rt = call.registry[TYPE]
    user = {"type": "User", "id": call.user_id} if call.user_id else None
    entry = new_record(call, rt, {"action": action, "resourceType": type_name, "resourceId": record_id,
                                  "summary": summary, "changes": changes}, {"user": user})
    insert(call, rt, entry)
    return entry
