"""Synap attempts: the lifecycle (create -> sitting -> answers -> submission -> results), locks,
revocations, schedules and timers on the sandbox clock, the player, and the assignment.complete
webhook. Marking is in test_synap_attempts_marking.py, views and proctoring in
test_synap_attempts_views.py."""

from __future__ import annotations

import json

from support import Receiver, wait_for
from synap_builders import (
    OBJECTIVE_POINTS,
    RIGHT,
    STAFF,
    WRITTEN,
    act,
    answer,
    answer_all,
    attempt,
    learners,
    listed,
    new_attempt,
    responses,
    submitted_attempt,
)
from synap_helpers import body, errors, everything, many, ok, one

def timer(synap, attempt_record: dict) -> dict:
    return ok(synap.get(f"/attempt-timers/{attempt_record['relationships']['timer']['data']['id']}"))["data"]["attributes"]


# -- the lifecycle ------------------------------------------------------------------------------------


def test_an_attempt_is_created_started_answered_and_submitted(synap, fresh):
    fresh.clock(now="2026-03-02T09:00:00Z", frozen=True)
    candidate = learners(synap)[1]
    made = new_attempt(synap, candidate["id"], tagLabels=["mock exam", " mock exam ", "term 1"])
    attrs = made["attributes"]
    assert (attrs["status"], attrs["examStatus"], attrs["resultsStatus"]) == ("created", "notStarted", "notAvailable")
    assert attrs["marks"] is None and attrs["score"] is None and attrs["tagLabels"] == ["mock exam", "term 1"]
    assert attrs["timeRemainingSeconds"] == 3600 and "timeLimitMinutes" not in attrs
    assert made["relationships"]["user"]["data"]["id"] == candidate["id"]
    assert len(made["relationships"]["responses"]["data"]) == 13
    assert len(made["relationships"]["sections"]["data"]) == 2
    by_kind = responses(synap, made["id"])
    assert set(by_kind) == {"singleChoice", *RIGHT, *WRITTEN}
    answer(synap, by_kind["shortAnswer"][0], {"text": "Na"}, status=409)  # not started yet

    sitting = act(synap, "AttemptSitting", made["id"], {"userAgent": "pytest"})
    assert sitting["attributes"] == {"startedAt": "2026-03-02T09:00:00Z", "isResumption": False, "ipAddress": None,
                                     "userAgent": "pytest", "createdAt": "2026-03-02T09:00:00Z"}
    started = attempt(synap, made["id"])["attributes"]
    assert (started["status"], started["examStatus"], started["startedAt"]) == ("started", "inProgress", "2026-03-02T09:00:00Z")
    fresh.clock(advance=1200)
    assert act(synap, "AttemptSitting", made["id"])["attributes"]["isResumption"] is True
    answered = answer(synap, by_kind["shortAnswer"][0], {"text": "Na"}, flagged=True)["attributes"]
    assert answered["answeredAt"] == "2026-03-02T09:20:00Z" and answered["flagged"] is True
    assert answered["markingStatus"] == "pending" and answered["marks"] is None
    answer_all(synap, made["id"])

    submission = act(synap, "AttemptSubmission", made["id"])["attributes"]
    assert (submission["isLate"], submission["awaitingMarking"]) == (False, 4)
    done = attempt(synap, made["id"])["attributes"]
    assert (done["status"], done["examStatus"], done["submittedAt"]) == ("submitted", "submitted", "2026-03-02T09:20:00Z")
    assert (done["resultsMarkingStatus"], done["resultsStatus"], done["score"]) == ("awaitingMarking", "pending", None)
    assert done["marks"] == {"points": OBJECTIVE_POINTS, "maxPoints": 44, "credits": OBJECTIVE_POINTS, "penalties": 0}
    assert done["timeRemainingSeconds"] == 2400  # the timer stopped at submission
    fresh.clock(advance=7200)
    assert attempt(synap, made["id"])["attributes"]["timeRemainingSeconds"] == 2400
    marked = responses(synap, made["id"])
    assert marked["clozeText"][0]["attributes"]["markingStatus"] == "autoMarked"
    assert marked["freeText"][0]["attributes"]["markingStatus"] == "awaitingMarking"
    assert marked["informational"][0]["attributes"]["markingStatus"] == "notRequired"
    assert marked["ranked"][0]["attributes"]["correctAnswer"] is None  # not until the results are released
    act(synap, "AttemptSubmission", made["id"], status=409)
    act(synap, "AttemptSitting", made["id"], status=409)
    answer(synap, by_kind["shortAnswer"][0], {"text": "K"}, status=409)


def test_an_attempt_with_nothing_to_mark_by_hand_is_marked_at_submission(synap):
    made = new_attempt(synap)
    act(synap, "AttemptSitting", made["id"])
    by_kind = responses(synap, made["id"])
    # two right options and one wrong: a credit each for 2 and 7, a penalty for 4
    answer(synap, by_kind["multipleChoice"][0], {"choices": ["2", "4", "7"]})
    answer(synap, by_kind["singleChoice"][0], {"choice": "nucleus"})
    answer(synap, by_kind["singleChoice"][1], {"choice": "ribosome"})
    answer(synap, by_kind["clozeText"][0], {"gaps": ["Paris", "Milan"]})
    answer(synap, by_kind["ranked"][0], {"order": ["Mercury", "Earth", "Venus", "Mars"]})
    cleared = answer(synap, by_kind["shortAnswer"][0], {"text": "Na"})
    assert answer(synap, cleared, None)["attributes"]["answeredAt"] is None
    submission = act(synap, "AttemptSubmission", made["id"])
    assert submission["attributes"]["awaitingMarking"] == 0
    done = attempt(synap, made["id"])["attributes"]
    assert done["marks"] == {"points": 3, "maxPoints": 44, "credits": 4, "penalties": 1}
    assert (done["resultsMarkingStatus"], done["resultsStatus"], done["score"]) == ("marked", "released", 6.82)
    after = responses(synap, made["id"])
    assert after["multipleChoice"][0]["attributes"]["marks"] == {"points": 1, "maxPoints": 3, "credits": 2, "penalties": 1}
    assert after["clozeText"][0]["attributes"]["points"] == 1
    assert after["freeText"][0]["attributes"]["marks"] == {"points": 0, "maxPoints": 10, "credits": 0, "penalties": 0}
    assert after["ranked"][0]["attributes"]["correctAnswer"] == {"order": ["Mercury", "Venus", "Earth", "Mars"]}
    assert after["singleChoice"][0]["attributes"]["correctAnswer"] == {"choice": "mitochondrion"}


def test_answers_must_fit_their_question_kind(synap):
    made = new_attempt(synap)
    act(synap, "AttemptSitting", made["id"])
    by_kind = responses(synap, made["id"])
    wrong = [
        ("singleChoice", {"choice": "liver"}), ("multipleChoice", {"choices": ["2", "2"]}),
        ("multipleChoice", {"choices": "2"}), ("shortAnswer", {"text": 11}), ("clozeText", {"gaps": ["Paris"]}),
        ("clozeDropDown", {"gaps": ["100", "37"]}), ("clozeDragAndDrop", {"gaps": ["Austen", "Austen"]}),
        ("ranked", {"order": ["Mars", "Earth"]}), ("fileUpload", {"file": {"name": "x.pdf"}}),
        ("informational", {"viewed": False}), ("freeText", {"words": "no"}),
    ]
    for kind, value in wrong:
        errs = answer(synap, by_kind[kind][0], value, status=400)
        assert errs[0]["source"]["pointer"] == "/data/attributes/answer", (kind, errs)
    assert responses(synap, made["id"])["ranked"][0]["attributes"]["answer"] is None
    free_text = by_kind["freeText"][0]
    errors(synap.get(f"/player-single-choice-responses/{free_text['id']}"), 404)  # a response under another kind
    assert ok(synap.get(f"/player-free-text-responses/{free_text['id']}"))["data"]["attributes"]["maxPoints"] == 10


def test_the_video_update_that_the_seed_titles_update_player_audio_response(synap):
    made = new_attempt(synap)
    act(synap, "AttemptSitting", made["id"])
    video = responses(synap, made["id"])["video"][0]
    assert video["type"] == "PlayerVideoResponse"
    saved = answer(synap, video, WRITTEN["video"])
    assert saved["attributes"]["answer"] == WRITTEN["video"]
    spec = synap.get("/openapi.json").json()
    assert spec["paths"]["/player-video-responses/{id}"]["patch"]["summary"] == "Update PlayerAudioResponse"


def test_update_attempt_responses_saves_several_answers_all_or_none(synap):
    made = new_attempt(synap)
    act(synap, "AttemptSitting", made["id"])
    by_kind = responses(synap, made["id"])
    short, ranked = by_kind["shortAnswer"][0], by_kind["ranked"][0]
    batch = {"data": [
        {"type": short["type"], "id": short["id"], "attributes": {"answer": {"text": "Na"}, "flagged": True}},
        {"type": ranked["type"], "id": ranked["id"], "attributes": {"answer": {"order": ["Mars"]}}},
    ]}
    errs = errors(synap.patch(f"/attempts/{made['id']}/responses", json=batch), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/answer"
    assert responses(synap, made["id"])["shortAnswer"][0]["attributes"]["answer"] is None  # nothing was saved
    batch["data"][1]["attributes"]["answer"] = RIGHT["ranked"]
    saved = ok(synap.patch(f"/attempts/{made['id']}/responses", json=batch))["data"]
    assert [r["attributes"]["answer"] for r in saved] == [{"text": "Na"}, RIGHT["ranked"]]
    assert saved[0]["attributes"]["flagged"] is True
    other = new_attempt(synap)
    errs = errors(synap.patch(f"/attempts/{other['id']}/responses", json=batch), 400)
    assert errs[0]["source"]["pointer"] == "/data/0/id"


# -- locks and revocations -------------------------------------------------------------------------------


def test_a_locked_attempt_refuses_answers_sittings_and_submission_until_unlocked(synap, fresh):
    fresh.clock(now="2026-04-01T10:00:00Z", frozen=True)
    made = new_attempt(synap, timeLimitMinutes=30)
    act(synap, "AttemptSitting", made["id"])
    short = responses(synap, made["id"])["shortAnswer"][0]
    lock = act(synap, "AttemptLock", made["id"], {"reason": "Phone on the desk"})
    assert lock["relationships"]["lockedBy"]["data"]["type"] == "User"
    assert attempt(synap, made["id"])["attributes"]["isLocked"] is True
    act(synap, "AttemptLock", made["id"], status=409)
    answer(synap, short, {"text": "Na"}, status=403)
    act(synap, "AttemptSitting", made["id"], status=403)
    act(synap, "AttemptSubmission", made["id"], status=403)
    fresh.clock(advance=900)  # the timer waits while the attempt is locked
    assert attempt(synap, made["id"])["attributes"]["timeRemainingSeconds"] == 1800
    assert synap.delete(f"/attempt-locks/{lock['id']}").status_code == 204
    assert attempt(synap, made["id"])["attributes"]["isLocked"] is False
    fresh.clock(advance=60)
    assert attempt(synap, made["id"])["attributes"]["timeRemainingSeconds"] == 1740
    answer(synap, short, {"text": "Na"})
    act(synap, "AttemptSubmission", made["id"])
    act(synap, "AttemptLock", made["id"], status=409)  # a submitted attempt is not locked
    act(synap, "AttemptLock", new_attempt(synap)["id"], status=403, headers=STAFF)
    errors(synap.delete(f"/attempt-locks/{lock['id']}"), 404)


def test_a_revoked_attempt_withholds_results_until_the_revocation_is_removed(synap):
    done = submitted_attempt(synap, written=False)
    assert done["attributes"]["resultsStatus"] == "released"
    revocation = act(synap, "AttemptRevocation", done["id"], {"reason": "Malpractice"})
    revoked = attempt(synap, done["id"])["attributes"]
    assert (revoked["isRevoked"], revoked["resultsStatus"]) == (True, "withheld")
    act(synap, "AttemptRevocation", done["id"], status=409)
    assert synap.delete(f"/attempt-revocations/{revocation['id']}").status_code == 204
    reinstated = attempt(synap, done["id"])["attributes"]
    assert (reinstated["isRevoked"], reinstated["resultsStatus"]) == (False, "released")
    started = new_attempt(synap)
    act(synap, "AttemptSitting", started["id"])
    act(synap, "AttemptRevocation", started["id"])
    answer(synap, responses(synap, started["id"])["shortAnswer"][0], {"text": "Na"}, status=403)
    act(synap, "AttemptSubmission", started["id"], status=403)


# -- time -------------------------------------------------------------------------------------------------


def test_the_timer_runs_on_the_sandbox_clock_and_a_reset_restores_it(synap, fresh):
    fresh.clock(now="2026-05-04T08:00:00Z", frozen=True)
    made = new_attempt(synap, timeLimitMinutes=30)
    before = timer(synap, made)
    assert (before["durationSeconds"], before["remainingSeconds"], before["isRunning"]) == (1800, 1800, False)
    act(synap, "AttemptSitting", made["id"])
    fresh.clock(advance=600)
    running = timer(synap, made)
    assert (running["remainingSeconds"], running["elapsedSeconds"], running["isRunning"]) == (1200, 600, True)
    assert running["expiresAt"] == "2026-05-04T08:30:00Z"
    fresh.clock(advance=1500)
    up = attempt(synap, made["id"])["attributes"]
    assert (up["timeRemainingSeconds"], up["examStatus"]) == (0, "timeUp")
    assert timer(synap, made)["isExpired"] is True
    short = responses(synap, made["id"])["shortAnswer"][0]
    errs = answer(synap, short, {"text": "Na"}, status=403)
    assert "time" in errs[0]["detail"]

    reset = act(synap, "AttemptTimerReset", made["id"])
    assert reset["attributes"]["previousRemainingSeconds"] == 0
    after = timer(synap, made)
    assert (after["remainingSeconds"], after["resetCount"], after["isExpired"]) == (1800, 1, False)
    answer(synap, short, {"text": "Na"})
    timer_id = made["relationships"]["timer"]["data"]["id"]
    paused = ok(synap.patch(f"/attempt-timers/{timer_id}", json=body("AttemptTimer", {"isPaused": True}, id=timer_id)))
    assert paused["data"]["attributes"]["isRunning"] is False
    fresh.clock(advance=300)
    assert timer(synap, made)["remainingSeconds"] == 1800
    ok(synap.patch(f"/attempt-timers/{timer_id}", json=body("AttemptTimer", {"isPaused": False, "durationSeconds": 600}, id=timer_id)))
    fresh.clock(advance=700)
    submission = act(synap, "AttemptSubmission", made["id"])  # submitting stays possible after the time is up
    assert submission["attributes"]["isLate"] is True
    errors(synap.patch(f"/attempt-timers/{timer_id}", json=body("AttemptTimer", {"isPaused": True}, id=timer_id)), 409)
    act(synap, "AttemptTimerReset", made["id"], status=409)
    untimed = new_attempt(synap, timeLimitMinutes=None)
    assert untimed["attributes"]["timeRemainingSeconds"] is None
    act(synap, "AttemptTimerReset", untimed["id"], status=409)


def test_the_schedule_sets_the_window_and_the_time_allowed(synap, fresh):
    fresh.clock(now="2026-06-01T09:00:00Z", frozen=True)
    made = new_attempt(synap, timeLimitMinutes=45)
    schedule_id = made["relationships"]["schedule"]["data"]["id"]
    url = f"/attempt-schedules/{schedule_id}"
    schedule = ok(synap.get(url))["data"]
    assert schedule["attributes"]["timeLimitMinutes"] == 45 and schedule["attributes"]["isOpen"] is True
    later = ok(synap.patch(url, json=body("AttemptSchedule", {"opensAt": "2026-06-02T09:00:00Z",
                                                              "extraTimeMinutes": 15}, id=schedule_id)))
    assert later["data"]["attributes"]["isOpen"] is False
    assert timer(synap, made)["durationSeconds"] == 3600
    errs = act(synap, "AttemptSitting", made["id"], status=403)
    assert "opens" in errs[0]["detail"]
    errs = errors(synap.patch(url, json=body("AttemptSchedule", {"closesAt": "2026-06-01T12:00:00Z"}, id=schedule_id)), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/closesAt"
    fresh.clock(now="2026-06-02T09:30:00Z", frozen=True)
    act(synap, "AttemptSitting", made["id"])
    changed = ok(synap.patch(f"/attempts/{made['id']}", json=body("Attempt", {"timeLimitMinutes": 90}, id=made["id"])))
    assert changed["data"]["attributes"]["timeRemainingSeconds"] == (90 + 15) * 60
    assert ok(synap.get(url))["data"]["attributes"]["timeLimitMinutes"] == 90
    errors(synap.patch(url, json=body("AttemptSchedule", {"extraTimeMinutes": 5}, id=schedule_id), headers=STAFF), 404)
    listed = everything(synap, "/attempt-schedules", **{"filter[attempt]": made["id"]})
    assert [s["id"] for s in listed] == [schedule_id]


# -- the player ---------------------------------------------------------------------------------------------


def test_the_player_moves_through_sections_and_shows_its_state(synap):
    made = new_attempt(synap)
    player = ok(synap.get(f"/player-attempts/{made['id']}", params={"include": "sections"}))
    assert player["data"]["relationships"]["attempt"]["data"] == {"type": "Attempt", "id": made["id"]}
    assert [s["attributes"]["title"] for s in player["included"]] == [
        "Section A: objective questions", "Section B: extended responses"]
    section_a, section_b = (s["id"] for s in player["included"])
    move = body("PlayerAttempt", {"currentPosition": 10}, id=made["id"])
    errors(synap.patch(f"/player-attempts/{made['id']}", json=move), 409)  # not started
    act(synap, "AttemptSitting", made["id"])
    moved = ok(synap.patch(f"/player-attempts/{made['id']}", json=move))["data"]
    assert moved["relationships"]["currentSection"]["data"] == {"type": "PlayerSection", "id": section_b}
    errs = errors(synap.patch(f"/player-attempts/{made['id']}", json=body("PlayerAttempt", {"currentPosition": 14}, id=made["id"])), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/currentPosition"

    by_kind = responses(synap, made["id"])
    answer(synap, by_kind["shortAnswer"][0], {"text": "Na"}, flagged=True)
    answer(synap, by_kind["informational"][0], {"viewed": True})
    state = ok(synap.get(f"/attempt-player-states/{made['id']}"))["data"]["attributes"]
    assert state["currentPosition"] == 10 and state["flaggedPositions"] == [4]
    assert state["answeredCount"] == 1 and 4 not in state["unansweredPositions"] and 9 not in state["unansweredPositions"]
    assert len(state["unansweredPositions"]) == 11 and state["canSubmit"] is True

    group = ok(synap.get(f"/player-emq-groups/{by_kind['singleChoice'][0]['relationships']['emqGroup']['data']['id']}"))["data"]
    assert [r["id"] for r in group["relationships"]["responses"]["data"]] == [r["id"] for r in by_kind["singleChoice"]]
    assert group["attributes"]["options"] == ["nucleus", "mitochondrion", "ribosome", "golgi apparatus"]

    section = ok(synap.patch(f"/player-sections/{section_a}", json=body("PlayerSection", {"isCompleted": True}, id=section_a)))
    assert section["data"]["attributes"]["completedAt"] is not None
    assert section["data"]["attributes"]["answeredCount"] == 1 and section["data"]["attributes"]["questionCount"] == 8
    answer(synap, by_kind["ranked"][0], RIGHT["ranked"], status=409)  # its section is completed
    errs = errors(synap.patch(f"/player-sections/{section_a}", json=body("PlayerSection", {"isCompleted": False}, id=section_a)), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/isCompleted"
    assert ok(synap.get(f"/attempt-player-states/{made['id']}"))["data"]["attributes"]["completedSectionCount"] == 1


def test_discarding_an_unsubmitted_attempt_removes_everything_it_held(synap):
    made = new_attempt(synap)
    act(synap, "AttemptSitting", made["id"])
    short = responses(synap, made["id"])["shortAnswer"][0]
    timer_id = made["relationships"]["timer"]["data"]["id"]
    assert synap.delete(f"/player-attempts/{made['id']}").status_code == 204
    errors(synap.get(f"/attempts/{made['id']}"), 404)
    errors(synap.get(f"/player-short-answer-responses/{short['id']}"), 404)
    errors(synap.get(f"/attempt-timers/{timer_id}"), 404)
    assert everything(synap, "/proctor-event-logs", **{"filter[attempt]": made["id"]}) == []
    done = submitted_attempt(synap, written=False)
    errors(synap.delete(f"/player-attempts/{done['id']}"), 409)


# -- who may do what ------------------------------------------------------------------------------------------


def test_non_admins_see_only_the_attempts_they_are_assigned_to_mark(synap):
    people = learners(synap)
    made = new_attempt(synap, people[2]["id"])
    staff_sees = {a["id"] for a in listed(synap, "/attempts", STAFF)}
    assert made["id"] not in staff_sees
    assert all(a["relationships"]["markers"]["data"] or a["relationships"]["moderatingMarkers"]["data"]
               for a in listed(synap, "/attempts", STAFF))
    errors(synap.get(f"/attempts/{made['id']}", headers=STAFF), 404)
    staff = everything(synap, "/users", **{"filter[emailAddress]": "marker@demo-academy.synap.example"})[0]
    ok(synap.post(f"/attempts/{made['id']}/relationships/markers", json=many("User", staff["id"])))
    assert attempt(synap, made["id"], headers=STAFF)["id"] == made["id"]
    act(synap, "AttemptSitting", made["id"], status=403, headers=STAFF)  # a marker is not the candidate
    errs = errors(synap.post("/attempts", json=body("Attempt", {}, {"user": one("User", people[3]["id"])}), headers=STAFF), 403)
    assert "other users" in errs[0]["detail"]
    own = ok(synap.post("/attempts", json=body("Attempt", {}), headers=STAFF), 201)["data"]
    assert own["relationships"]["user"]["data"]["id"] == staff["id"]
    errors(synap.patch(f"/attempts/{made['id']}", json=body("Attempt", {"tagLabels": ["x"]}, id=made["id"]), headers=STAFF), 403)


def test_updating_an_attempt_changes_its_labels_and_links(synap):
    made = new_attempt(synap)
    exam = another_parts(synap, "/exam-v2s")
    changed = ok(synap.patch(f"/attempts/{made['id']}", json=body("Attempt", {"tagLabels": ["resit", "resit"]},
                                                                   {"examV2": {"data": exam}}, id=made["id"])))
    assert changed["data"]["attributes"]["tagLabels"] == ["resit"]
    assert changed["data"]["relationships"]["examV2"]["data"] == exam
    errs = errors(synap.patch(f"/attempts/{made['id']}", json=body("Attempt", {"timeLimitMinutes": 0}, id=made["id"])), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/timeLimitMinutes"
    errors(synap.patch(f"/attempts/{made['id']}", json=body("Attempt", {}, {"markers": many("User")}, id=made["id"])), 400)


# -- webhooks -------------------------------------------------------------------------------------------------


def another_parts(synap, path: str) -> dict:
    """A seeded resource of a type another part of the spec serves (``/assignments``, ``/exam-v2s``)."""
    found = everything(synap, path)
    return {"type": found[0]["type"], "id": found[0]["id"]}


def test_submitting_an_attempt_with_an_assignment_raises_assignment_complete(synap, fresh):
    receiver = Receiver([200])
    try:
        ok(synap.post("/webhook-subscriptions", json=body("WebhookSubscription", {
            "eventName": "assignment.complete", "targetUrl": receiver.url()})), 201)
        plain = new_attempt(synap)
        act(synap, "AttemptSitting", plain["id"])
        act(synap, "AttemptSubmission", plain["id"])  # no assignment: no event
        assigned = new_attempt(synap, relationships={"assignment": {"data": another_parts(synap, "/assignments")}})
        act(synap, "AttemptSitting", assigned["id"])
        answer_all(synap, assigned["id"], written=False)
        act(synap, "AttemptSubmission", assigned["id"])
        assert wait_for(lambda: len(receiver.requests) == 1)
        payload = json.loads(receiver.requests[0]["body"])
        assert payload["eventName"] == "assignment.complete"
        assert (payload["data"]["type"], payload["data"]["id"]) == ("Attempt", assigned["id"])
        assert payload["data"]["attributes"]["status"] == "submitted"
        assert payload["data"]["attributes"]["resultsStatus"] == "released"
        assert [d["event"] for d in fresh.webhooks(vendor="synap")] == ["assignment.complete"]
        assert len(receiver.requests) == 1
    finally:
        receiver.close()
