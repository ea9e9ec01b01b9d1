"""The Synap app (Mobile group): sign-up, sessions, spaced learning, collections and practice attempts.

Every record belongs to one user (rules/ownership.py), as in the Revision group.

- Create MobileUser signs a user up to the app once (409 for a second), opens a MobileSession that
  expires 30 days later on the sandbox clock, and gives the user a MobileSpacedLearning set.
- A MobileSpacedLearning set holds the user's own StudyItems; ``dueCount`` follows the clock.
- A MobileAttempt is made with ``questionCount`` empty MobileResponses; answering one stamps
  ``answeredAt``; ``status: submitted`` hands it in (``score`` = responses marked correct,
  ``maxScore`` = responses) and freezes it and its responses (409).
- A MobileCollectionItem sits at the end of its MobileCollection; progress 100 completes it, and
  opening (updating) it stamps ``lastOpenedAt`` on it and its collection.
"""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import isoformat, parse
from mockserver.errors import Conflict
from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import add, ident, linking, table
from mockserver.vendors.synap.rules.courses import renumber
from mockserver.vendors.synap.rules.ownership import Claimed, owner_id
from mockserver.vendors.synap.rules.revision import StudyItemSets

SESSION_LIFETIME = timedelta(days=30)


def children(store, type_name: str, parent: str, parent_id: str) -> list[dict]:
    return sorted(linking(store, type_name, parent, parent_id), key=lambda r: r["attributes"]["position"])


class MobileUsers(Claimed):
    def create(self, call, record, body) -> None:
        user_id = self.claim(call, record)["id"]
        if linking(call.store, "MobileUser", "user", user_id):
            raise Conflict("This user has already signed up to the app.")
        user = call.record("User", user_id)
        attributes = record["attributes"]
        attributes.update(name=user["attributes"]["name"], emailAddress=user["attributes"]["emailAddress"])
        owner = {"type": "User", "id": user_id}
        session = add(call, "MobileSession", {
            "platform": attributes["platform"], "appVersion": attributes.get("appVersion"),
            "startedAt": call.timestamp, "expiresAt": isoformat(call.now + SESSION_LIFETIME),
        }, {"user": owner, "mobileUser": ident("MobileUser", record)})
        spaced = next(iter(linking(call.store, "MobileSpacedLearning", "user", user_id)), None)
        if spaced is None:
            spaced = add(call, "MobileSpacedLearning", {}, {"user": owner})
        record["relationships"].update(session=ident("MobileSession", session),
                                       spacedLearning=ident("MobileSpacedLearning", spaced))


class Sessions(Claimed):
    def attributes(self, call, record) -> dict:
        return {"status": "expired" if call.now >= parse(record["attributes"]["expiresAt"]) else "active"}


class Attempts(Claimed):
    def create(self, call, record, body) -> None:
        user_id = self.claim(call, record)["id"]
        attributes = record["attributes"]
        if attributes["status"] != "inProgress":
            raise invalid(("attributes", "status"), "A new attempt starts inProgress; PATCH it to submit.")
        item = record["relationships"].get("mobileCollectionItem")
        if item and owner_id(call.record("MobileCollectionItem", item["id"])) != user_id:
            raise invalid(("relationships", "mobileCollectionItem"), "The collection item is another user's.")
        attributes.update(startedAt=call.timestamp, submittedAt=None, score=None, maxScore=None)
        for n in range(1, attributes["questionCount"] + 1):
            add(call, "MobileResponse", {"position": n},
                 {"user": {"type": "User", "id": user_id}, "mobileAttempt": ident("MobileAttempt", record)})

    def update(self, call, record, changes) -> None:
        attributes = record["attributes"]
        if attributes["status"] == "submitted":
            raise Conflict("The attempt has been submitted: it no longer changes.")
        if changes.get("questionCount", attributes["questionCount"]) != attributes["questionCount"]:
            raise invalid(("attributes", "questionCount"), "An attempt keeps the questions it was made with.")
        if changes.get("status") == "submitted":
            responses = children(call.store, "MobileResponse", "mobileAttempt", record["id"])
            changes.update(submittedAt=call.timestamp, maxScore=len(responses),
                           score=sum(1 for r in responses if r["attributes"]["isCorrect"] is True))

    def attributes(self, call, record) -> dict:
        responses = children(call.store, "MobileResponse", "mobileAttempt", record["id"])
        return {"answeredCount": sum(1 for r in responses if r["attributes"]["answeredAt"])}

    def relationships(self, call, record) -> dict:
        return {"responses": [ident("MobileResponse", r)
                              for r in children(call.store, "MobileResponse", "mobileAttempt", record["id"])]}


class Responses(Claimed):
    def update(self, call, record, changes) -> None:
        attempt = call.record("MobileAttempt", record["relationships"]["mobileAttempt"]["id"])
        if attempt["attributes"]["status"] == "submitted":
            raise Conflict("The attempt has been submitted: its responses no longer change.")
        if changes.get("answer") is not None and not record["attributes"]["answeredAt"]:
            changes["answeredAt"] = call.timestamp


class Collections(Claimed):
    def attributes(self, call, record) -> dict:
        items = children(call.store, "MobileCollectionItem", "mobileCollection", record["id"])
        done = sum(1 for i in items if i["attributes"]["completedAt"])
        return {"itemCount": len(items), "completedCount": done,
                "progress": round(100 * done / len(items)) if items else 0}

    def relationships(self, call, record) -> dict:
        return {"items": [ident("MobileCollectionItem", i)
                          for i in children(call.store, "MobileCollectionItem", "mobileCollection", record["id"])]}


class CollectionItems(Claimed):
    def create(self, call, record, body) -> None:
        parent = record["relationships"].get("mobileCollection")
        if parent is None:
            raise invalid(("relationships", "mobileCollection"), "An item belongs to a mobile collection.")
        collection = call.record("MobileCollection", parent["id"])
        self.claim(call, record, owner_id(collection))
        record["attributes"]["position"] = len(children(call.store, "MobileCollectionItem", "mobileCollection", parent["id"])) + 1
        self._progress(record["attributes"], record["attributes"], call)

    def update(self, call, record, changes) -> None:
        self._progress(record["attributes"], changes, call)
        changes["lastOpenedAt"] = call.timestamp
        collection = call.record("MobileCollection", record["relationships"]["mobileCollection"]["id"])
        call.store.update(table("MobileCollection"), collection["id"], {
            "attributes": {**collection["attributes"], "lastOpenedAt": call.timestamp}})

    @staticmethod
    def _progress(before: dict, changes: dict, call) -> None:
        progress = changes.get("progress", before["progress"])
        if progress == 100 and not before.get("completedAt"):
            changes["completedAt"] = call.timestamp
        elif progress < 100:
            changes["completedAt"] = None

    def delete(self, call, record) -> None:
        parent = record["relationships"]["mobileCollection"]["id"]
        renumber(call, table("MobileCollectionItem"), [i for i in children(call.store, "MobileCollectionItem", "mobileCollection", parent)
                                          if i["id"] != record["id"]])


mobile_user = MobileUsers("MobileUser")
mobile_session = Sessions("MobileSession")
spaced_learning = StudyItemSets("MobileSpacedLearning")  # the same rules as a Study without its status
attempt = Attempts("MobileAttempt")
response = Responses("MobileResponse")
collection = Collections("MobileCollection")
collection_item = CollectionItems("MobileCollectionItem")
