"""Revision: a learner's Studies of StudyItems, and QuestionSummaries (Revision group); the sets of
a user's own StudyItems that the Mobile group shares.

Everything here belongs to one user (``relationships.user``): the caller by default; an
administrator may name another user, anyone else gets a 403 for trying. A non-administrator lists
only their own records and gets a 404 for anyone else's. A study takes and loses items only while
it is ``active`` (409), and only its owner's items (400 at ``/data/n``); completing it stamps
``completedAt``. Deleting a StudyItem takes it out of every study and spaced-learning set.
"""

from __future__ import annotations

from mockserver.clock import parse
from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid, invalid_body
from mockserver.vendors.synap.records import table
from mockserver.vendors.synap.rules.ownership import Claimed, owner_id



def require_own_items(call, owner: str | None, idents: list[dict], pointer: tuple) -> None:
    for n, ident in enumerate(idents):
        item = call.record("StudyItem", ident["id"])
        if item is None or owner_id(item) != owner:
            raise invalid_body((*pointer, n), f"StudyItem {ident['id']} is not this user's.")


def due(call, idents: list[dict]) -> int:
    count = 0
    for ident in idents:
        item = call.record("StudyItem", ident["id"])
        when = item and item["attributes"].get("dueAt")
        if when and parse(when) <= call.now:
            count += 1
    return count


class StudyItemSets(Claimed):
    """A user's set of their own StudyItems (``studyItems``): a Study, or the app's spaced learning."""

    def check_open(self, record) -> None:
        pass

    def relink(self, call, record, name, linked) -> dict:
        self.check_open(record)
        before = {i["id"] for i in record["relationships"].get(name) or []}
        require_own_items(call, owner_id(record), [i for i in linked if i["id"] not in before], ("data",))
        return {}

    def attributes(self, call, record) -> dict:
        items = record["relationships"].get("studyItems") or []
        return {"itemCount": len(items), "dueCount": due(call, items)}


class Studies(StudyItemSets):
    def create(self, call, record, body) -> None:
        owner = self.claim(call, record)["id"]
        require_own_items(call, owner, record["relationships"].get("studyItems") or [],
                          ("data", "relationships", "studyItems", "data"))
        if record["attributes"]["status"] == "completed":
            record["attributes"]["completedAt"] = call.timestamp

    def update(self, call, record, changes) -> None:
        status = changes.get("status", record["attributes"]["status"])
        if status != record["attributes"]["status"]:
            changes["completedAt"] = call.timestamp if status == "completed" else None

    def check_open(self, record) -> None:
        if record["attributes"]["status"] != "active":
            raise Conflict(f"The study is {record['attributes']['status']}: its items cannot change.")


class StudyItems(Claimed):
    def create(self, call, record, body) -> None:
        self.claim(call, record)
        attributes = record["attributes"]
        linked = record["relationships"].get("courseItem")
        if not attributes.get("title"):
            source = linked and call.record("CourseItem", linked["id"])
            if source is None and not any(record["relationships"].get(n) for n in ("question", "collectionItem")):
                raise invalid(("attributes", "title"), "A study item needs a title or something to revise.")
            attributes["title"] = source["attributes"]["title"] if source else None
        if attributes.get("dueAt") is None:
            attributes["dueAt"] = call.timestamp

    def delete(self, call, record) -> None:
        for table_name in (table("Study"), table("MobileSpacedLearning")):
            for parent in call.store.rows(table_name):
                kept = [i for i in parent["relationships"].get("studyItems") or [] if i["id"] != record["id"]]
                if len(kept) != len(parent["relationships"].get("studyItems") or []):
                    call.store.update(table_name, parent["id"], {"relationships": {**parent["relationships"], "studyItems": kept}})


class QuestionSummaries(Claimed):
    def attributes(self, call, record) -> dict:
        answered, correct = record["attributes"]["timesAnswered"], record["attributes"]["timesCorrect"]
        return {"accuracy": round(correct / answered, 4) if answered else None}


study = Studies("Study")
study_item = StudyItems("StudyItem")
question_summary = QuestionSummaries("QuestionSummary")
