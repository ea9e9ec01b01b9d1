"""The exports of the accounts part (InviteExport, LearningRecordExport, UserGroupExport): CSV jobs
that start ``pending`` and complete on the sandbox clock with a ``fileUrl`` (rules/jobs.py).
``rowCount`` is fixed when the export is made: the rows the file holds."""

from __future__ import annotations

from mockserver.errors import Forbidden, NotFound
from mockserver.vendors.synap.records import table
from mockserver.vendors.synap.rules import jobs, user_groups
from mockserver.vendors.synap.rules.ownership import owner_id


class Export:
    """One export type: ``rows(call, record)`` counts the rows its file holds."""

    def __init__(self, slug: str, rows, admin_only: bool = True):
        self.slug, self.rows, self.admin_only = slug, rows, admin_only

    def allow(self, call, action, record) -> None:
        if self.admin_only and not call.is_admin:
            raise Forbidden("Only portal administrators can export this.")
        if record is not None and not call.is_admin and owner_id(record) != call.user_id:
            raise NotFound(f"No export with id {record['id']!r}")

    def create(self, call, record, body) -> None:
        jobs.create(call, record, body, f"{self.slug}-{record['id']}.csv")
        record["attributes"]["rowCount"] = self.rows(call, record)

    attributes = staticmethod(jobs.attributes)


def _invite_rows(call, record) -> int:
    wanted = record["attributes"].get("inviteStatus")
    return sum(1 for i in call.store.rows(table("Invite")) if wanted in (None, i["attributes"]["status"]))


def _learning_record_rows(call, record) -> int:
    if not call.is_admin:  # a learner exports their own records only
        record["relationships"]["user"] = {"type": "User", "id": call.user_id}
    user_id = owner_id(record)
    return sum(1 for r in call.store.rows(table("LearningRecord")) if user_id in (None, owner_id(r)))


def _membership_rows(call, record) -> int:
    # one row per membership of the chosen groups (every group when none is chosen)
    chosen = [g["id"] for g in record["relationships"].get("userGroups") or []]
    groups = chosen or [g["id"] for g in call.store.rows(table("UserGroup"))]
    return sum(len(user_groups.members(call.store, group_id)) for group_id in groups)


invites = Export("invites", _invite_rows)
learning_records = Export("learning-records", _learning_record_rows, admin_only=False)
user_groups_export = Export("user-groups", _membership_rows)
