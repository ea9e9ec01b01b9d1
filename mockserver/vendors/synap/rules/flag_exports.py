"""FlagExport: a CSV of the Flags (all, or those with the given ``statuses``), counted when it is
created and ready on the sandbox clock like every export (rules/jobs.py). Administrators only."""

from __future__ import annotations

from mockserver.errors import Forbidden
from mockserver.vendors.synap.records import table
from mockserver.vendors.synap.rules import jobs


def allow(call, action, record) -> None:
    if not call.is_admin:
        raise Forbidden("Only portal administrators export flags.")


def create(call, record, body) -> None:
    wanted = record["attributes"].get("statuses")
    flags = call.store.rows(table("Flag"))
    record["attributes"]["rowCount"] = sum(1 for f in flags if not wanted or f["attributes"]["status"] in wanted)
    record["relationships"]["createdBy"] = {"type": "User", "id": call.user_id} if call.user_id else None
    jobs.create(call, record, body, f"flags-{record['id']}.csv")


attributes = jobs.attributes
