"""MarkersInboxItem: an item per exam and marking role whose markers group the caller belongs to
(administrators: every marker's), with how many of the exam's attempts wait for marking. Items are
worked out when listed and never stored.

Engine workaround: the generic list reads the type's (empty) table and then asks ``visible`` which
rows the caller may see; for a computed type those are exactly the rows worked out here, so the list
keeps the engine's filters, sort, include and paging.
"""

from __future__ import annotations

import hashlib

from mockserver.vendors.synap.records import ident
from mockserver.vendors.synap.rules import exams, user_groups
from mockserver.vendors.synap.rules.attempt_records import awaiting_marking, of_exam


def _id(*parts: str) -> str:
    return hashlib.blake2b(":".join(parts).encode(), digest_size=12).hexdigest()


def items(call) -> list[dict]:
    out, groups = [], {}
    for exam in exams.rows(call):
        if exam["attributes"].get("isArchived"):
            continue
        attempts = None
        for role in exams.ROLE_FLAGS:
            group = exam["relationships"].get(role)
            if not group:
                continue
            if group["id"] not in groups:
                groups[group["id"]] = [u for u in user_groups.members(call.store, group["id"]) if call.is_admin or u["id"] == call.user_id]
            markers = groups[group["id"]]
            if not markers:
                continue
            if attempts is None:
                attempts = [a for a in of_exam(call.store, exam["id"]) if not a["attributes"].get("isRevoked")]
            for marker in markers:
                out.append({"id": _id(exam["id"], role, marker["id"]), "attributes": {
                    "role": role, "examName": exam["attributes"]["name"], "attemptCount": len(attempts),
                    "pendingCount": sum(1 for a in attempts if awaiting_marking(a)),
                }, "relationships": {"examV2": ident("Exam-V-2", exam), "marker": ident("User", marker),
                                     "userGroup": ident("UserGroup", group)}})
    return out


def visible(call, rows) -> list[dict]:
    return items(call)
