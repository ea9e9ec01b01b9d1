"""Synap marking: assigning markers in their roles, marker entries, the marking queue (MarkableResponse),
marking sessions and entries, marks submission and results, overrides, marking states."""

from __future__ import annotations

from synap_helpers import body, errors, everything, many, ok, one
from synap_builders import (
    OBJECTIVE_POINTS,
    STAFF,
    act,
    answer_all,
    attempt,
    listed,
    new_attempt,
    responses,
    submitted_attempt,
)


def staff_id(synap) -> str:
    return everything(synap, "/users", **{"filter[emailAddress]": "marker@demo-academy.synap.example"})[0]["id"]


def assign(synap, attempt_id: str, relationship: str, *user_ids: str, status: int = 200):
    reply = synap.post(f"/attempts/{attempt_id}/relationships/{relationship}", json=many("User", *user_ids))
    return ok(reply, status)["data"] if status == 200 else errors(reply, status)


def entry(synap, attempt_id: str, response: dict, points, status: int = 201, headers=STAFF, **more):
    reply = synap.post("/attempt-marker-entries", json=body("AttemptMarkerEntry", {"points": points, **more}, {
        "attempt": one("Attempt", attempt_id), "response": one(response["type"], response["id"])}), headers=headers)
    return ok(reply, status)["data"] if status == 201 else errors(reply, status)


def written(synap, attempt_id: str) -> list[dict]:
    by_kind = responses(synap, attempt_id)
    return [by_kind[k][0] for k in ("freeText", "fileUpload", "audio", "video")]


def test_an_assigned_marker_marks_the_written_responses_and_completes_marking(synap, fresh):
    fresh.clock(now="2026-03-10T14:00:00Z", frozen=True)
    done = submitted_attempt(synap)
    free_text, upload, audio, video = written(synap, done["id"])
    me = staff_id(synap)
    entry(synap, done["id"], free_text, 7, status=404)  # not assigned: the attempt is not even visible

    linked = assign(synap, done["id"], "markers", me)
    assert linked == [{"type": "User", "id": me}]
    assert assign(synap, done["id"], "markers", me) == linked  # already assigned: unchanged
    assert attempt(synap, done["id"])["relationships"]["markers"]["data"] == linked
    sessions = listed(synap, "/marking-sessions", STAFF, **{"filter[attempt]": done["id"]})
    assert [(s["attributes"]["role"], s["attributes"]["status"]) for s in sessions] == [("marker", "notStarted")]

    errs = entry(synap, done["id"], free_text, 11, status=400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/points"
    objective = responses(synap, done["id"])["shortAnswer"][0]
    errs = entry(synap, done["id"], objective, 1, status=400)
    assert errs[0]["source"]["pointer"] == "/data/relationships/response"
    made = entry(synap, done["id"], free_text, 7, feedback="Good range of causes.")
    assert made["relationships"]["marker"]["data"] == {"type": "User", "id": me}
    after = attempt(synap, done["id"])["attributes"]
    assert after["resultsMarkingStatus"] == "inProgress" and after["score"] is None
    assert after["marks"]["points"] == OBJECTIVE_POINTS + 7
    marked = ok(synap.get(f"/player-free-text-responses/{free_text['id']}"))["data"]
    assert (marked["attributes"]["points"], marked["attributes"]["feedback"]) == (7, "Good range of causes.")
    assert marked["attributes"]["markingStatus"] == "marked" and marked["relationships"]["markedBy"]["data"]["id"] == me

    mark_session = ok(synap.get(f"/attempt-mark-sessions/{made['relationships']['markSession']['data']['id']}", headers=STAFF))
    assert mark_session["data"]["attributes"] == {**mark_session["data"]["attributes"], "status": "inProgress",
                                                  "entryCount": 1, "markableCount": 4, "markedCount": 1}
    question = ok(synap.get(f"/question-mark-sessions/{made['relationships']['questionMarkSession']['data']['id']}",
                            headers=STAFF))["data"]["attributes"]
    assert (question["questionId"], question["responseType"]) == ("question-10", "freeText")

    errs = errors(synap.post("/attempt-marks-submissions", json=body("AttemptMarksSubmission", {}, {
        "attempt": one("Attempt", done["id"])}), headers=STAFF), 409)
    assert "3 response(s)" in errs[0]["detail"]

    queue = listed(synap, "/markable-responses", STAFF, **{"filter[attempt]": done["id"], "filter[markingStatus]": "awaitingMarking"})
    assert [r["id"] for r in queue] == [upload["id"], audio["id"], video["id"]]
    for response, points in zip(queue, (8, 5, 4)):
        patched = ok(synap.patch(f"/markable-responses/{response['id']}", json=body("MarkableResponse", {
            "points": points, "feedback": "Marked in the queue"}, id=response["id"]), headers=STAFF))["data"]
        assert patched["attributes"]["markingStatus"] == "marked" and patched["attributes"]["points"] == points
    errs = errors(synap.patch(f"/markable-responses/{video['id']}", json=body("MarkableResponse", {"points": 6}, id=video["id"]),
                              headers=STAFF), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/points"

    submission = ok(synap.post("/attempt-marks-submissions", json=body("AttemptMarksSubmission", {}, {
        "attempt": one("Attempt", done["id"])}), headers=STAFF), 201)["data"]["attributes"]
    total = OBJECTIVE_POINTS + 7 + 8 + 5 + 4
    assert (submission["points"], submission["maxPoints"], submission["score"]) == (total, 44, round(100 * total / 44, 2))
    final = attempt(synap, done["id"])["attributes"]
    assert (final["resultsMarkingStatus"], final["resultsStatus"], final["markedAt"]) == ("marked", "released", "2026-03-10T14:00:00Z")
    assert final["score"] == round(100 * total / 44, 2)
    assert ok(synap.get(f"/attempt-mark-sessions/{mark_session['data']['id']}"))["data"]["attributes"]["status"] == "submitted"
    entry(synap, done["id"], free_text, 9, status=409)  # marking is complete
    assert listed(synap, "/markable-responses", STAFF, **{"filter[attempt]": done["id"], "filter[markingStatus]": "awaitingMarking"}) == []


def test_a_question_mark_session_counts_one_markers_work_on_a_question_across_attempts(synap):
    me = staff_id(synap)
    first, second = submitted_attempt(synap), submitted_attempt(synap)
    for done in (first, second):
        assign(synap, done["id"], "markers", me)
    made = entry(synap, first["id"], written(synap, first["id"])[0], 5)
    url = f"/question-mark-sessions/{made['relationships']['questionMarkSession']['data']['id']}"
    before = ok(synap.get(url, headers=STAFF))["data"]["attributes"]
    assert before["awaitingCount"] >= 1 and before["status"] == "inProgress"
    again = entry(synap, second["id"], written(synap, second["id"])[0], 6)
    assert again["relationships"]["questionMarkSession"] == made["relationships"]["questionMarkSession"]
    after = ok(synap.get(url, headers=STAFF))["data"]["attributes"]
    assert (after["markedCount"], after["awaitingCount"]) == (before["markedCount"] + 1, before["awaitingCount"] - 1)
    assert ok(synap.get(url))["data"]["relationships"]["marker"]["data"]["id"] == me  # admins see every session


def test_an_override_replaces_a_marked_attempts_points(synap):
    done = submitted_attempt(synap, written=False)
    assert done["attributes"]["marks"]["points"] == OBJECTIVE_POINTS
    override = ok(synap.post("/attempt-overrides", json=body("AttemptOverride", {"points": 22, "reason": "Appeal"}, {
        "attempt": one("Attempt", done["id"])})), 201)["data"]
    assert override["attributes"]["previousPoints"] == OBJECTIVE_POINTS
    after = attempt(synap, done["id"])["attributes"]
    assert (after["marks"]["points"], after["score"], after["isOverridden"]) == (22, 50.0, True)
    errs = errors(synap.post("/attempt-overrides", json=body("AttemptOverride", {"points": 45}, {
        "attempt": one("Attempt", done["id"])})), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/points"
    waiting = submitted_attempt(synap)
    errors(synap.post("/attempt-overrides", json=body("AttemptOverride", {"points": 1}, {
        "attempt": one("Attempt", waiting["id"])})), 409)
    listed_ids = [o["id"] for o in listed(synap, "/attempt-overrides", **{"filter[attempt]": done["id"]})]
    assert listed_ids == [override["id"]]


def test_marking_is_refused_before_submission_and_for_revoked_and_preview_attempts(synap):
    me = staff_id(synap)
    started = new_attempt(synap)
    act(synap, "AttemptSitting", started["id"])
    assign(synap, started["id"], "markers", me)
    entry(synap, started["id"], written(synap, started["id"])[0], 1, status=409)

    revoked = submitted_attempt(synap)
    assign(synap, revoked["id"], "markers", me)
    act(synap, "AttemptRevocation", revoked["id"])
    errs = entry(synap, revoked["id"], written(synap, revoked["id"])[0], 1, status=403)
    assert "revoked" in errs[0]["detail"]

    preview = ok(synap.post("/exam-previews", json=body("ExamPreview", {})), 201)["data"]
    preview_id = preview["relationships"]["attempt"]["data"]["id"]
    previewed = attempt(synap, preview_id)["attributes"]
    assert (previewed["isPreview"], previewed["status"], previewed["timeRemainingSeconds"]) == (True, "started", None)
    assert preview["attributes"]["playerUrl"].endswith(f"/player/{preview_id}?preview=1")
    act(synap, "AttemptSubmission", preview_id)
    errs = entry(synap, preview_id, written(synap, preview_id)[0], 0, headers={}, status=403)
    assert "preview" in errs[0]["detail"]

    other = submitted_attempt(synap)
    assign(synap, other["id"], "backreaders", me)  # any marker role may mark through entries
    entry(synap, other["id"], written(synap, other["id"])[0], 3)


def test_an_attempt_of_a_draft_exam_is_not_marked_until_the_exam_is_published(synap):
    exam = ok(synap.post("/exam-v2s", json=body("Exam-V-2", {"name": "Unpublished exam"})), 201)["data"]
    assert exam["attributes"]["isPublished"] is False  # no publishedVersion: a draft
    made = new_attempt(synap, relationships={"examV2": one("Exam-V-2", exam["id"])})
    act(synap, "AttemptSitting", made["id"])
    answer_all(synap, made["id"])
    act(synap, "AttemptSubmission", made["id"])
    assign(synap, made["id"], "markers", staff_id(synap))
    free_text = written(synap, made["id"])[0]
    errs = entry(synap, made["id"], free_text, 5, status=403)
    assert "draft" in errs[0]["detail"]
    entry(synap, made["id"], free_text, 5, headers={}, status=403)  # not even an administrator
    quiz = ok(synap.post("/quizzes", json=body("Quiz", {"name": "The exam's first version"})), 201)["data"]
    published = ok(synap.post(f"/exam-v2s/{exam['id']}/published-version", json=one("Quiz", quiz["id"])))["data"]
    assert published["attributes"]["isPublished"] is True
    assert entry(synap, made["id"], free_text, 5)["attributes"]["points"] == 5


def test_the_candidate_cannot_mark_and_unassigning_removes_or_keeps_sessions(synap):
    done = submitted_attempt(synap)
    candidate = done["relationships"]["user"]["data"]["id"]
    errs = assign(synap, done["id"], "markers", candidate, status=400)
    assert errs[0]["source"]["pointer"] == "/data/0"
    me = staff_id(synap)
    errors(synap.post(f"/attempts/{done['id']}/relationships/markers", json=many("User", me), headers=STAFF), 404)
    assign(synap, done["id"], "auditingMarkers", me)
    errs = errors(synap.post(f"/attempts/{done['id']}/relationships/markers", json=many("User", me), headers=STAFF), 403)
    assert "administrators" in errs[0]["detail"]  # a marker sees the attempt but does not assign
    assign(synap, done["id"], "escalatingMarkers", me)
    roles = sorted(s["attributes"]["role"] for s in listed(synap, "/marking-sessions", **{"filter[attempt]": done["id"]}))
    assert roles == ["auditor", "escalation"]

    escalation = next(s for s in listed(synap, "/marking-sessions", **{"filter[attempt]": done["id"]})
                      if s["attributes"]["role"] == "escalation")
    response = written(synap, done["id"])[0]
    ok(synap.post("/marking-entries", json=body("MarkingEntry", {"points": 2}, {
        "markingSession": one("MarkingSession", escalation["id"]), "response": one(response["type"], response["id"])}),
        headers=STAFF), 201)
    left = ok(synap.delete(f"/attempts/{done['id']}/relationships/escalatingMarkers", json=many("User", me)))
    assert left["data"] == []
    ok(synap.delete(f"/attempts/{done['id']}/relationships/auditingMarkers", json=many("User", me)))
    remaining = listed(synap, "/marking-sessions", **{"filter[attempt]": done["id"]})
    assert [(s["attributes"]["role"], s["attributes"]["status"]) for s in remaining] == [("escalation", "unassigned")]
    errors(synap.get(f"/attempts/{done['id']}", headers=STAFF), 404)
    assign(synap, done["id"], "escalatingMarkers", me)  # assigned again: the kept session carries on
    again = ok(synap.get(f"/marking-sessions/{escalation['id']}", headers=STAFF))["data"]["attributes"]
    assert (again["status"], again["entryCount"]) == ("inProgress", 1)


def test_marking_sessions_entries_count_by_role_and_completing_one_completes_marking(synap):
    done = submitted_attempt(synap)
    me = staff_id(synap)
    assign(synap, done["id"], "provisionalMarkers", me)
    assign(synap, done["id"], "moderatingMarkers", me)
    sessions = {s["attributes"]["role"]: s for s in listed(synap, "/marking-sessions", STAFF, **{"filter[attempt]": done["id"]})}
    responses_ = written(synap, done["id"])

    def add(role, response, points, status=201):
        reply = synap.post("/marking-entries", json=body("MarkingEntry", {"points": points}, {
            "markingSession": one("MarkingSession", sessions[role]["id"]),
            "response": one(response["type"], response["id"])}), headers=STAFF)
        return ok(reply, status)["data"] if status == 201 else errors(reply, status)

    provisional = add("provisional", responses_[0], 9)
    assert (provisional["attributes"]["role"], provisional["attributes"]["countsTowardsResult"]) == ("provisional", False)
    assert attempt(synap, done["id"])["attributes"]["marks"]["points"] == OBJECTIVE_POINTS  # recorded only
    moderator_entries = [add("moderator", r, p) for r, p in zip(responses_, (6, 5, 2, 1))]
    assert moderator_entries[0]["attributes"]["countsTowardsResult"] is True
    assert attempt(synap, done["id"])["attributes"]["marks"]["points"] == OBJECTIVE_POINTS + 14
    add("moderator", responses_[0], 3, status=409)  # one entry per response and session: update it instead
    first = moderator_entries[0]
    changed = ok(synap.patch(f"/marking-entries/{first['id']}", json=body("MarkingEntry", {"points": 10}, id=first["id"]),
                             headers=STAFF))["data"]
    assert changed["attributes"]["points"] == 10
    assert attempt(synap, done["id"])["attributes"]["marks"]["points"] == OBJECTIVE_POINTS + 18

    url = f"/marking-sessions/{sessions['provisional']['id']}"
    errs = errors(synap.patch(url, json=body("MarkingSession", {"status": "completed"}, id=sessions["provisional"]["id"]),
                              headers=STAFF), 409)
    assert "3 response(s)" in errs[0]["detail"]
    ok(synap.patch(url, json=body("MarkingSession", {"notes": "Only checked Q10"}, id=sessions["provisional"]["id"]),
                   headers=STAFF))
    moderation = sessions["moderator"]["id"]
    progress = ok(synap.get(f"/marking-sessions/{moderation}", headers=STAFF))["data"]["attributes"]
    assert (progress["progress"], progress["entryCount"], progress["status"]) == (100, 4, "inProgress")
    completed = ok(synap.patch(f"/marking-sessions/{moderation}", json=body("MarkingSession", {"status": "completed"},
                                                                            id=moderation), headers=STAFF))["data"]
    assert completed["attributes"]["completedAt"] is not None
    final = attempt(synap, done["id"])["attributes"]
    assert (final["resultsMarkingStatus"], final["resultsStatus"]) == ("marked", "released")
    assert final["score"] == round(100 * (OBJECTIVE_POINTS + 18) / 44, 2)
    errors(synap.patch(f"/marking-entries/{first['id']}", json=body("MarkingEntry", {"points": 1}, id=first["id"]),
                       headers=STAFF), 409)
    errors(synap.patch(f"/marking-sessions/{moderation}", json=body("MarkingSession", {"status": "inProgress"}, id=moderation),
                       headers=STAFF), 409)
    mine = {e["id"] for e in listed(synap, "/marking-entries", STAFF)}
    assert {provisional["id"], first["id"]} <= mine


def test_marking_states_are_each_markers_own_notes(synap):
    done = submitted_attempt(synap)
    me = staff_id(synap)
    response = written(synap, done["id"])[1]
    target = {"response": one(response["type"], response["id"])}
    errors(synap.post("/marking-states", json=body("MarkingState", {"flag": "review"}, target), headers=STAFF), 403)
    assign(synap, done["id"], "markers", me)
    errs = errors(synap.post("/marking-states", json=body("MarkingState", {"draftPoints": 11}, target), headers=STAFF), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/draftPoints"
    state = ok(synap.post("/marking-states", json=body("MarkingState", {"flag": "escalate", "draftPoints": 6}, target),
                          headers=STAFF), 201)["data"]
    assert state["relationships"]["attempt"]["data"]["id"] == done["id"]
    assert state["relationships"]["user"]["data"]["id"] == me
    errors(synap.post("/marking-states", json=body("MarkingState", {}, target), headers=STAFF), 409)
    admins = ok(synap.post("/marking-states", json=body("MarkingState", {"note": "Admin's own"}, target)), 201)["data"]
    assert [s["id"] for s in listed(synap, "/marking-states", STAFF, **{"filter[attempt]": done["id"]})] == [state["id"]]
    errors(synap.get(f"/marking-states/{admins['id']}", headers=STAFF), 404)
    resolved = ok(synap.patch(f"/marking-states/{state['id']}", json=body("MarkingState", {"flag": "resolved"}, id=state["id"]),
                              headers=STAFF))["data"]
    assert resolved["attributes"]["flag"] == "resolved" and resolved["attributes"]["draftPoints"] == 6
    assert synap.delete(f"/marking-states/{state['id']}", headers=STAFF).status_code == 204
    errors(synap.get(f"/marking-states/{state['id']}"), 404)


def test_seeded_marking_is_consistent(synap):
    """The seed marks through the same rules: every released attempt has its written responses marked."""
    released = [a for a in everything(synap, "/attempts", **{"filter[resultsStatus]": "released"})]
    assert released
    for item in released:
        for response in written(synap, item["id"]):
            assert response["attributes"]["markingStatus"] in ("marked", "autoMarked")
        assert item["attributes"]["score"] is not None
    queue = listed(synap, "/markable-responses", STAFF)
    assert queue and all(r["attributes"]["responseType"] in ("freeText", "fileUpload", "audio", "video") for r in queue)
