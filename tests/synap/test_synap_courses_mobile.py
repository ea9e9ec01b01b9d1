"""Synap app (Mobile group): sign-up, sessions on the sandbox clock, spaced learning, practice attempts,
mobile collections and their items."""

from __future__ import annotations

from synap_helpers import body, errors, many, ok, one

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}


def listed(synap, path, headers=None, **params) -> list[dict]:
    return ok(synap.get(path, params={"limit": 1000, "offset": 0, **params}, headers=headers))["data"]


def sign_up(synap, headers=STAFF, **attrs) -> dict:
    return ok(synap.post("/mobile-users", json=body("MobileUser", {"platform": "ios", "appVersion": "4.4.0",
                                                                   "pushToken": "device-secret", **attrs}),
                         headers=headers), 201)["data"]


def test_signing_up_to_the_app_opens_a_session_that_expires_on_the_clock(synap, fresh):
    fresh.clock(now="2026-05-01T09:00:00Z", frozen=True)
    mobile_user = sign_up(synap)
    assert mobile_user["attributes"]["emailAddress"] == "marker@demo-academy.synap.example"
    assert "pushToken" not in mobile_user["attributes"]
    session_id = mobile_user["relationships"]["session"]["data"]["id"]
    session = ok(synap.get(f"/mobile-sessions/{session_id}", headers=STAFF))["data"]
    assert session["attributes"]["status"] == "active" and session["attributes"]["platform"] == "ios"
    assert session["attributes"]["expiresAt"] == "2026-05-31T09:00:00Z"
    assert ok(synap.get(f"/mobile-users/{mobile_user['id']}", headers=STAFF))["data"]["id"] == mobile_user["id"]
    fresh.clock(now="2026-05-31T09:00:00Z", frozen=True)
    assert ok(synap.get(f"/mobile-sessions/{session_id}", headers=STAFF))["data"]["attributes"]["status"] == "expired"
    errors(synap.post("/mobile-users", json=body("MobileUser", {"platform": "android"}), headers=STAFF), 409)
    errors(synap.post("/mobile-users", json=body("MobileUser", {"platform": "web"}), headers=STAFF), 400)
    errors(synap.get(f"/mobile-sessions/{session_id}", headers={"Authorization": "Bearer p:nope"}), 401)
    # an admin sees it; the staff member does not see the admin's
    admin_session = sign_up(synap, headers=None)["relationships"]["session"]["data"]["id"]
    errors(synap.get(f"/mobile-sessions/{admin_session}", headers=STAFF), 404)
    assert ok(synap.get(f"/mobile-sessions/{session_id}"))["data"]["id"] == session_id


def test_spaced_learning_takes_the_users_own_study_items(synap, fresh):
    fresh.clock(now="2026-05-01T09:00:00Z", frozen=True)
    spaced_id = sign_up(synap)["relationships"]["spacedLearning"]["data"]["id"]
    url = f"/mobile-spaced-learnings/{spaced_id}"
    spaced = ok(synap.get(url, headers=STAFF))["data"]
    assert spaced["attributes"]["itemCount"] == 0 and spaced["attributes"]["dailyGoal"] == 20
    now = ok(synap.post("/study-items", json=body("StudyItem", {"title": "Now"}), headers=STAFF), 201)["data"]
    soon = ok(synap.post("/study-items", json=body("StudyItem", {"title": "Soon", "dueAt": "2026-05-02T09:00:00Z"}),
                         headers=STAFF), 201)["data"]
    ok(synap.post(f"{url}/relationships/studyItems", json=many("StudyItem", now["id"], soon["id"]), headers=STAFF))
    attrs = ok(synap.get(url, headers=STAFF))["data"]["attributes"]
    assert (attrs["itemCount"], attrs["dueCount"]) == (2, 1)
    fresh.clock(now="2026-05-02T09:00:00Z", frozen=True)
    assert ok(synap.get(url, headers=STAFF))["data"]["attributes"]["dueCount"] == 2
    removed = ok(synap.delete(f"{url}/relationships/studyItems", json=many("StudyItem", now["id"]), headers=STAFF))
    assert [i["id"] for i in removed["data"]] == [soon["id"]]
    admins = ok(synap.post("/study-items", json=body("StudyItem", {"title": "Admin's"})), 201)["data"]
    errs = errors(synap.post(f"{url}/relationships/studyItems", json=many("StudyItem", admins["id"]), headers=STAFF), 400)
    assert errs[0]["source"] == {"pointer": "/data/0"}
    updated = ok(synap.patch(url, json=body("MobileSpacedLearning", {"dailyGoal": 35, "reminderTime": "07:15"},
                                            id=spaced_id), headers=STAFF))["data"]
    assert (updated["attributes"]["dailyGoal"], updated["attributes"]["reminderTime"]) == (35, "07:15")
    errors(synap.patch(url, json=body("MobileSpacedLearning", {"reminderTime": "7pm"}, id=spaced_id), headers=STAFF), 400)


def test_a_practice_attempt_is_answered_then_submitted_and_frozen(synap, fresh):
    fresh.clock(now="2026-05-03T10:00:00Z", frozen=True)
    attempt = ok(synap.post("/mobile-attempts", json=body("MobileAttempt", {"questionCount": 3}), headers=STAFF), 201)["data"]
    assert attempt["attributes"]["status"] == "inProgress" and attempt["attributes"]["startedAt"] == "2026-05-03T10:00:00Z"
    responses = [r["id"] for r in attempt["relationships"]["responses"]["data"]]
    assert len(responses) == 3
    listed_responses = listed(synap, "/mobile-responses", STAFF, **{"filter[mobileAttempt]": attempt["id"], "sort": "position"})
    assert [r["id"] for r in listed_responses] == responses
    assert [r["attributes"]["position"] for r in listed_responses] == [1, 2, 3]
    fresh.clock(now="2026-05-03T10:05:00Z", frozen=True)
    for response_id, correct in zip(responses[:2], (True, False)):
        answered = ok(synap.patch(f"/mobile-responses/{response_id}", json=body(
            "MobileResponse", {"answer": {"choice": "B"}, "isCorrect": correct, "confidence": 4}, id=response_id),
            headers=STAFF))["data"]
        assert answered["attributes"]["answeredAt"] == "2026-05-03T10:05:00Z"
    url = f"/mobile-attempts/{attempt['id']}"
    assert ok(synap.get(url, headers=STAFF))["data"]["attributes"]["answeredCount"] == 2
    errors(synap.patch(url, json=body("MobileAttempt", {"questionCount": 9}, id=attempt["id"]), headers=STAFF), 400)
    fresh.clock(now="2026-05-03T10:09:00Z", frozen=True)
    submitted = ok(synap.patch(url, json=body("MobileAttempt", {"status": "submitted", "timeSpentSeconds": 540},
                                              id=attempt["id"]), headers=STAFF))["data"]["attributes"]
    assert (submitted["score"], submitted["maxScore"], submitted["submittedAt"]) == (1, 3, "2026-05-03T10:09:00Z")
    errors(synap.patch(url, json=body("MobileAttempt", {"status": "inProgress"}, id=attempt["id"]), headers=STAFF), 409)
    errors(synap.patch(f"/mobile-responses/{responses[2]}", json=body(
        "MobileResponse", {"answer": {"choice": "A"}}, id=responses[2]), headers=STAFF), 409)
    errors(synap.post("/mobile-attempts", json=body("MobileAttempt", {"status": "submitted"}), headers=STAFF), 400)
    # the learner's own attempts only
    assert all(a["relationships"]["user"]["data"] == attempt["relationships"]["user"]["data"]
               for a in listed(synap, "/mobile-attempts", STAFF))
    assert len(listed(synap, "/mobile-attempts")) > len(listed(synap, "/mobile-attempts", STAFF))


def test_mobile_collection_items_track_progress_in_their_collection(synap, fresh):
    fresh.clock(now="2026-05-04T18:00:00Z", frozen=True)
    collection = listed(synap, "/mobile-collections", STAFF)[0]
    before = collection["attributes"]
    item = ok(synap.post("/mobile-collection-items", json=body("MobileCollectionItem", {"title": "Flashcards", "itemType": "note"},
                                                               {"mobileCollection": one("MobileCollection", collection["id"])}),
                         headers=STAFF), 201)["data"]
    assert item["attributes"]["position"] == before["itemCount"] + 1 and item["attributes"]["completedAt"] is None
    url = f"/mobile-collection-items/{item['id']}"
    done = ok(synap.patch(url, json=body("MobileCollectionItem", {"progress": 100}, id=item["id"]), headers=STAFF))["data"]
    assert done["attributes"]["completedAt"] == "2026-05-04T18:00:00Z"
    assert done["attributes"]["lastOpenedAt"] == "2026-05-04T18:00:00Z"
    after = ok(synap.get(f"/mobile-collections/{collection['id']}", headers=STAFF))["data"]
    assert after["attributes"]["itemCount"] == before["itemCount"] + 1
    assert after["attributes"]["completedCount"] == before["completedCount"] + 1
    assert after["attributes"]["lastOpenedAt"] == "2026-05-04T18:00:00Z"
    assert after["relationships"]["items"]["data"][-1] == {"type": "MobileCollectionItem", "id": item["id"]}
    undone = ok(synap.patch(url, json=body("MobileCollectionItem", {"progress": 50}, id=item["id"]), headers=STAFF))["data"]
    assert undone["attributes"]["completedAt"] is None
    assert synap.delete(url, headers=STAFF).status_code == 204
    assert ok(synap.get(f"/mobile-collections/{collection['id']}", headers=STAFF))["data"]["attributes"]["itemCount"] == before["itemCount"]
    # another learner's collection is not the staff member's to fill, nor to see
    others = [c for c in listed(synap, "/mobile-collections") if c["relationships"]["user"]["data"] != collection["relationships"]["user"]["data"]]
    errors(synap.post("/mobile-collection-items", json=body("MobileCollectionItem", {"title": "x"},
                                                            {"mobileCollection": one("MobileCollection", others[0]["id"])}),
                      headers=STAFF), 403)
    errors(synap.get(f"/mobile-collections/{others[0]['id']}", headers=STAFF), 404)
    errors(synap.post("/mobile-collection-items", json=body("MobileCollectionItem", {"title": "x"}), headers=STAFF), 400)
