"""Synap attempt views (charts, insights, result configs, enriched attempts and their options, tag
labels, the enriched export) and proctoring (sessions, event logs, captures, reviews, external
providers)."""

from __future__ import annotations

from synap_helpers import body, errors, everything, ok, one
from synap_builders import (
    OBJECTIVE_POINTS,
    STAFF,
    act,
    attempt,
    learners,
    listed,
    new_attempt,
    submitted_attempt,
)


def test_charts_insights_and_result_configs_follow_the_attempt(synap):
    done = submitted_attempt(synap, written=False)
    chart = ok(synap.get("/attempt-charts", params={"limit": 1000, "offset": 0, "filter[user]": done["relationships"]["user"]["data"]["id"]}))
    mine = next(c for c in chart["data"] if c["id"] == done["id"])
    assert mine["relationships"]["attempt"]["data"] == {"type": "Attempt", "id": done["id"]}
    attrs = mine["attributes"]
    assert (attrs["points"], attrs["maxPoints"], attrs["percentage"]) == (OBJECTIVE_POINTS, 44, round(100 * OBJECTIVE_POINTS / 44, 2))
    assert attrs["sections"] == [{"title": "Section A: objective questions", "points": OBJECTIVE_POINTS, "maxPoints": 14},
                                 {"title": "Section B: extended responses", "points": 0, "maxPoints": 30}]
    assert {k["responseType"]: k["points"] for k in attrs["responseTypes"]}["multipleChoice"] == 3

    insight = next(i for i in everything(synap, "/attempt-insights") if i["id"] == done["id"])["attributes"]
    assert (insight["questionCount"], insight["answeredCount"], insight["unansweredCount"]) == (12, 8, 4)
    assert (insight["correctCount"], insight["incorrectCount"], insight["partiallyCorrectCount"]) == (8, 4, 0)
    assert insight["awaitingMarkingCount"] == 0

    config = next(c for c in everything(synap, "/attempt-result-configs") if c["id"] == done["id"])["attributes"]
    assert (config["resultsStatus"], config["showScore"], config["showFeedback"]) == ("released", True, False)
    assert config["releasedAt"] == done["attributes"]["markedAt"]
    waiting = submitted_attempt(synap)
    pending = next(c for c in everything(synap, "/attempt-result-configs") if c["id"] == waiting["id"])["attributes"]
    assert (pending["resultsStatus"], pending["showScore"], pending["releasedAt"]) == ("pending", False, None)

    preview = ok(synap.post("/exam-previews", json=body("ExamPreview", {})), 201)["data"]
    preview_id = preview["relationships"]["attempt"]["data"]["id"]
    for view in ("/attempt-charts", "/attempt-insights", "/attempt-result-configs", "/enriched-attempts"):
        assert preview_id not in {v["id"] for v in everything(synap, view)}, view
    assert preview_id in {a["id"] for a in everything(synap, "/attempts")}


def test_tag_labels_enriched_attempts_and_their_filter_options_agree(synap):
    people = learners(synap)
    first = new_attempt(synap, people[4]["id"], tagLabels=["pytest label"])
    second = submitted_attempt(synap, written=False)
    ok(synap.patch(f"/attempts/{second['id']}", json=body("Attempt", {"tagLabels": ["pytest label", "resit"]}, id=second["id"])))
    labels = {t["attributes"]["label"]: t["attributes"]["attemptCount"] for t in everything(synap, "/attempt-tag-labels")}
    assert labels["pytest label"] == 2
    enriched = everything(synap, "/enriched-attempts", **{"filter[tagLabels]": "pytest label", "sort": "createdAt"})
    assert [e["id"] for e in enriched] == [first["id"], second["id"]]
    assert enriched[0]["attributes"]["candidateName"] == people[4]["attributes"]["name"]
    assert enriched[0]["attributes"]["candidateEmail"] == people[4]["attributes"]["emailAddress"]
    assert (enriched[1]["attributes"]["points"], enriched[1]["attributes"]["resultsStatus"]) == (OBJECTIVE_POINTS, "released")
    assert enriched[1]["attributes"]["durationSeconds"] is not None

    options = everything(synap, "/enriched-attempt-options")
    by_field: dict[str, dict[str, int]] = {}
    for option in options:
        by_field.setdefault(option["attributes"]["field"], {})[option["attributes"]["value"]] = option["attributes"]["count"]
    assert by_field["tagLabels"]["pytest label"] == 2
    everyone = everything(synap, "/enriched-attempts")
    assert sum(by_field["status"].values()) == len(everyone)
    assert by_field["status"]["submitted"] == len([e for e in everyone if e["attributes"]["status"] == "submitted"])
    statuses = everything(synap, "/enriched-attempt-options", **{"filter[field]": "resultsStatus"})
    assert {o["attributes"]["value"] for o in statuses} <= {"notAvailable", "pending", "released", "withheld"}


def test_exporting_enriched_attempts_completes_on_the_sandbox_clock(synap, fresh):
    fresh.clock(now="2026-07-01T12:00:00Z", frozen=True)
    submitted = everything(synap, "/enriched-attempts", **{"filter[status]": "submitted"})
    made = ok(synap.post("/export-enriched-attempts", json=body("ExportEnrichedAttempt", {
        "filter": {"status": "submitted"}, "format": "xlsx"})), 201)["data"]
    assert (made["attributes"]["status"], made["attributes"]["fileUrl"]) == ("pending", None)
    assert made["attributes"]["rowCount"] == len(submitted)
    url = f"/export-enriched-attempts/{made['id']}"
    fresh.clock(advance=10)
    assert ok(synap.get(url))["data"]["attributes"]["status"] == "processing"
    fresh.clock(advance=30)
    done = ok(synap.get(url))["data"]["attributes"]
    assert (done["status"], done["progress"], done["completedAt"]) == ("complete", 100, "2026-07-01T12:00:30Z")
    assert done["fileUrl"].endswith(f"enriched-attempts-{made['id']}.xlsx")
    errs = errors(synap.post("/export-enriched-attempts", json=body("ExportEnrichedAttempt", {"filter": {"shoeSize": "9"}})), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/filter"
    errors(synap.post("/export-enriched-attempts", json=body("ExportEnrichedAttempt", {}), headers=STAFF), 403)


# -- proctoring ----------------------------------------------------------------------------------------------


def proctor(synap, attempt_id: str, status: int = 201, **attributes):
    reply = synap.post("/proctor-sessions", json=body("ProctorSession", attributes, {"attempt": one("Attempt", attempt_id)}))
    return ok(reply, status)["data"] if status == 201 else errors(reply, status)


def test_a_proctor_session_watches_the_attempt_and_ends_when_it_is_submitted(synap, fresh):
    fresh.clock(now="2026-08-03T09:00:00Z", frozen=True)
    made = new_attempt(synap)
    session = proctor(synap, made["id"], provider="synap")
    assert (session["attributes"]["status"], session["attributes"]["flagCount"]) == ("active", 0)
    proctor(synap, made["id"], status=409)
    captures = everything(synap, "/proctor-captures", **{"filter[proctorSession]": session["id"]})
    assert [c["attributes"]["kind"] for c in captures] == ["identity"]
    act(synap, "AttemptSitting", made["id"])
    fresh.clock(advance=60)
    lock = act(synap, "AttemptLock", made["id"], {"reason": "Looked away repeatedly"})
    assert ok(synap.get(f"/proctor-sessions/{session['id']}"))["data"]["attributes"]["flagCount"] == 1
    assert synap.delete(f"/attempt-locks/{lock['id']}").status_code == 204
    fresh.clock(advance=60)
    act(synap, "AttemptSubmission", made["id"])
    ended = ok(synap.get(f"/proctor-sessions/{session['id']}"))["data"]["attributes"]
    assert (ended["status"], ended["endedAt"]) == ("ended", "2026-08-03T09:02:00Z")
    log = everything(synap, "/proctor-event-logs", **{"filter[attempt]": made["id"], "sort": "occurredAt"})
    assert [e["attributes"]["event"] for e in log] == [
        "proctoring.started", "attempt.started", "attempt.locked", "attempt.unlocked", "proctoring.ended", "attempt.submitted"]
    assert log[2]["attributes"]["severity"] == "warning" and log[2]["attributes"]["detail"] == "Looked away repeatedly"
    proctor(synap, made["id"], status=409)
    errors(synap.post("/proctor-sessions", json=body("ProctorSession", {}, {"attempt": one("Attempt", made["id"])}), headers=STAFF), 403)


def test_a_breach_found_in_review_revokes_the_attempt(synap):
    made = new_attempt(synap)
    session = proctor(synap, made["id"])
    clear = ok(synap.post("/proctor-reviews", json=body("ProctorReview", {"verdict": "clear"}, {
        "proctorSession": one("ProctorSession", session["id"])})), 201)["data"]
    assert clear["relationships"]["attempt"]["data"]["id"] == made["id"]
    assert attempt(synap, made["id"])["attributes"]["isRevoked"] is False
    ok(synap.post("/proctor-reviews", json=body("ProctorReview", {"verdict": "breach", "notes": "Second person"}, {
        "proctorSession": one("ProctorSession", session["id"])})), 201)
    revoked = attempt(synap, made["id"])["attributes"]
    assert (revoked["isRevoked"], revoked["resultsStatus"]) == (True, "withheld")
    reviews = everything(synap, "/proctor-reviews", **{"filter[proctorSession]": session["id"]})
    assert [r["attributes"]["verdict"] for r in reviews] == ["clear", "breach"]
    events = [e["attributes"]["event"] for e in everything(synap, "/proctor-event-logs", **{"filter[attempt]": made["id"]})]
    assert events[-2:] == ["proctoring.reviewed", "attempt.revoked"]
    errs = errors(synap.post("/proctor-reviews", json=body("ProctorReview", {"verdict": "maybe"}, {
        "proctorSession": one("ProctorSession", session["id"])})), 400)
    assert errs[0]["source"]["pointer"].startswith("/data/attributes/verdict")


def test_an_external_proctor_sessions_result_is_ready_on_the_sandbox_clock(synap, fresh):
    fresh.clock(now="2026-09-01T10:00:00Z", frozen=True)
    made = new_attempt(synap)
    external = ok(synap.post("/external-proctor-sessions", json=body("ExternalProctorSession", {"provider": "proctorio"}, {
        "attempt": one("Attempt", made["id"])})), 201)["data"]
    assert external["attributes"]["externalId"].startswith("proctorio-")
    assert external["attributes"]["launchUrl"].startswith("https://proctorio.proctoring.example/launch/")
    url = f"/external-proctor-session-results/{external['id']}"
    result = ok(synap.get(url))["data"]
    assert result["relationships"]["externalProctorSession"]["data"] == {"type": "ExternalProctorSession", "id": external["id"]}
    assert (result["attributes"]["status"], result["attributes"]["verdict"], result["attributes"]["reportUrl"]) == ("pending", None, None)
    fresh.clock(advance=30)
    ready = ok(synap.get(url))["data"]["attributes"]
    assert ready["status"] == "complete" and 60 <= ready["integrityScore"] <= 100
    assert ready["verdict"] == ("clear" if ready["integrityScore"] >= 75 else "suspicious")
    assert ready["reportUrl"].endswith(f"{external['id']}-report.pdf")
    act(synap, "AttemptSitting", made["id"])
    act(synap, "AttemptSubmission", made["id"])
    errors(synap.post("/external-proctor-sessions", json=body("ExternalProctorSession", {"provider": "proctorio"}, {
        "attempt": one("Attempt", made["id"])})), 409)


def test_seeded_proctoring_and_views_are_there_to_read(synap):
    assert everything(synap, "/proctor-event-logs")
    assert {c["attributes"]["kind"] for c in everything(synap, "/proctor-captures")} == {"identity"}
    breaches = [r for r in everything(synap, "/proctor-reviews") if r["attributes"]["verdict"] == "breach"]
    assert breaches and all(attempt(synap, r["relationships"]["attempt"]["data"]["id"])["attributes"]["isRevoked"] for r in breaches)
    assert len(everything(synap, "/attempt-timers")) == len(everything(synap, "/attempts"))
    assert listed(synap, "/proctor-event-logs", STAFF) != []  # the marker sees the logs of attempts it marks
