"""Records kept about a user (``relationships.user``): the user and administrators see them.

- ``LearningRecord``: learning done outside the portal (CPD): the user logs their own, an admin
  anyone's; ``completedAt`` cannot be in the future (sandbox clock).
- ``ExternalExamSitting``: an exam sat elsewhere; administrators record and correct them, the user
  reads theirs. ``score`` cannot exceed ``maxScore``; ``passed`` follows ``score`` and ``passMark``.
- ``Document``: files the portal keeps for a user (certificates, uploads, receipts); read-only.
- ``MarketingConsent``: one per user and ``channel`` (a second is a 409); deleting one withdraws it.
"""

from __future__ import annotations

from mockserver.clock import parse
from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import linking
from mockserver.vendors.synap.rules.ownership import ADMIN_WRITES, Owned, acting_for, owner_id


class LearningRecords(Owned):
    def __init__(self):
        super().__init__("LearningRecord")

    @staticmethod
    def _check(call, attrs: dict) -> None:
        when = attrs.get("completedAt")
        if when and parse(when) > call.now:
            raise invalid(("attributes", "completedAt"), "completedAt cannot be in the future.")

    def create(self, call, record, body) -> None:
        acting_for(call, record, "LearningRecord")
        self._check(call, record["attributes"])

    def update(self, call, record, changes) -> None:
        self._check(call, changes)


class ExternalExamSittings(Owned):
    def __init__(self):
        super().__init__("ExternalExamSitting", admin_writes=ADMIN_WRITES)

    @staticmethod
    def _check(attrs: dict) -> None:
        score, top = attrs.get("score"), attrs.get("maxScore")
        if score is not None and top is not None and score > top:
            raise invalid(("attributes", "score"), "score cannot be more than maxScore.")
        mark = attrs.get("passMark")
        if mark is not None and top is not None and mark > top:
            raise invalid(("attributes", "passMark"), "passMark cannot be more than maxScore.")

    def create(self, call, record, body) -> None:
        if owner_id(record) is None:
            raise invalid(("relationships", "user"), "The user who sat the exam is required.")
        self._check(record["attributes"])

    def update(self, call, record, changes) -> None:
        self._check({**record["attributes"], **changes})

    @staticmethod
    def attributes(call, record) -> dict:
        attrs = record["attributes"]
        score, mark = attrs.get("score"), attrs.get("passMark")
        return {"passed": None if score is None or mark is None else score >= mark}


class MarketingConsents(Owned):
    def __init__(self):
        super().__init__("MarketingConsent")

    def create(self, call, record, body) -> None:
        user = acting_for(call, record, "MarketingConsent")
        channel = record["attributes"]["channel"]
        for row in linking(call.store, "MarketingConsent", "user", user["id"]):
            if row["attributes"]["channel"] == channel:
                raise Conflict(f"This user has already consented to {channel} marketing.")
        record["attributes"]["consentedAt"] = call.timestamp


learning_records = LearningRecords()
external_exam_sittings = ExternalExamSittings()
documents = Owned("Document", admin_writes=ADMIN_WRITES)
marketing_consents = MarketingConsents()
