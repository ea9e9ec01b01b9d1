"""Synap Exams: Exam-V-2 and the older Exam, quiz versions (draft / publish / discard), markers groups,
sections, schedules and closures, set-up validation, notifications, the markers inbox, the views of
an exam, exports on the sandbox clock and attempt revoke reversals.

Quizzes and attempts are made through the Quizzes and Attempts parts' own APIs: a quiz with a
section and questions, an attempt moved along its real lifecycle (sitting, answers, submission,
marking, override, revocation)."""

from __future__ import annotations

import pytest
from synap_helpers import body, errors, everything, group_named, many, ok, one
from synap_builders import act, answer_all

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}
EXAM = "Exam-V-2"
SINGLE = "QuizQuestionSingleCorrect"


def a_quiz(synap, name="Exam quiz") -> dict:
    """A Quiz identifier: a new quiz with a question at the top and one in a section."""
    quiz = ok(synap.post("/quizzes", json=body("Quiz", {"name": name})), 201)["data"]
    section = ok(synap.post("/quiz-sections", json=body("QuizSection", {"name": "Part A"},
                                                        {"quiz": one("Quiz", quiz["id"])})), 201)["data"]
    options = [{"id": f"o{i}", "text": f"Option {i}", "isCorrect": i == 0} for i in range(3)]
    for text, place in (("2 + 2?", {"quiz": one("Quiz", quiz["id"])}), ("3 + 3?", {"section": one("QuizSection", section["id"])})):
        ok(synap.post("/quiz-question-single-corrects", json=body(SINGLE, {"body": text, "options": options}, place)), 201)
    return {"type": "Quiz", "id": quiz["id"]}


def an_attempt(synap, exam_id: str, user_id: str, stage: str = "awaitingMarking", points: float | None = None,
               revoked: bool = False) -> dict:
    """The user's attempt of the exam, moved along the Attempts part's lifecycle to ``stage``:
    ``started`` (a sitting), ``awaitingMarking`` (submitted with written answers for a marker) or
    ``marked`` (submitted without them: marked at once; ``points`` overrides its result); then
    revoked if asked."""
    attempt = ok(synap.post("/attempts", json=body("Attempt", {}, {
        "examV2": one(EXAM, exam_id), "user": one("User", user_id)})), 201)["data"]
    act(synap, "AttemptSitting", attempt["id"])
    if stage != "started":
        answer_all(synap, attempt["id"], written=stage == "awaitingMarking")
        act(synap, "AttemptSubmission", attempt["id"])
    if points is not None:
        act(synap, "AttemptOverride", attempt["id"], {"points": points, "reason": "Set by the test"})
    if revoked:
        act(synap, "AttemptRevocation", attempt["id"])
    made = ok(synap.get(f"/attempts/{attempt['id']}"))["data"]
    status = {"started": "started"}.get(stage, "submitted")
    assert (made["attributes"]["status"], made["attributes"]["isRevoked"]) == (status, revoked)
    if stage != "started":
        assert made["attributes"]["resultsMarkingStatus"] == stage
    return made


def new_exam(synap, name="Unit exam", relationships=None, **attributes) -> dict:
    return ok(synap.post("/exam-v2s", json=body(EXAM, {"name": name, **attributes}, relationships)), 201)["data"]


def exam(synap, exam_id, **params) -> dict:
    return ok(synap.get(f"/exam-v2s/{exam_id}", params=params))


def rel(resource: dict, name: str):
    return resource["relationships"][name]["data"]


def seeded(synap, name: str) -> dict:
    return next(e for e in everything(synap, "/exam-v2s") if e["attributes"]["name"] == name)


def members(synap, group_id: str) -> set[str]:
    return {u["id"] for u in everything(synap, "/users", **{"filter[userGroups]": group_id})}


# -- Exam-V-2 and the older Exam -----------------------------------------------------------------------------


def test_an_exam_v2_is_created_with_its_schedule_and_the_create_examv2_defaults(synap):
    year10 = group_named(synap, "Year 10")
    made = new_exam(synap, "Algebra check", {"userGroup": one("UserGroup", year10["id"])},
                    markingEscalationReasons=[{"slug": "late", "label": "Late"}])
    assert made["type"] == EXAM
    attrs = made["attributes"]
    assert (attrs["isSectioned"], attrs["resumeAllowed"], attrs["markingDoubleAllocation"]) == (False, True, "manual")
    assert attrs["markingEscalationReasons"] == [{"slug": "late", "label": "Late"}]
    assert (attrs["isPublished"], attrs["hasDraft"], attrs["versionNumber"]) == (False, False, 0)
    assert rel(made, "owner")["type"] == "User" and rel(made, "userGroup")["id"] == year10["id"]
    schedule = ok(synap.get(f"/exam-schedules/{rel(made, 'schedule')['id']}"))["data"]
    assert rel(schedule, "examV2") == {"type": EXAM, "id": made["id"]}
    assert schedule["attributes"]["status"] == "unscheduled"
    found = everything(synap, "/exam-v2s", **{"filter[userGroup]": year10["id"], "filter[name]": "Algebra check"})
    assert [e["id"] for e in found] == [made["id"]]


def test_versions_and_markers_groups_cannot_be_patched_directly(synap):
    made = new_exam(synap)
    markers = group_named(synap, "Markers")
    errs = errors(synap.patch(f"/exam-v2s/{made['id']}", json=body(EXAM, {}, {"markers": one("UserGroup", markers["id"])},
                                                                    id=made["id"])), 400)
    assert errs[0]["source"]["pointer"].startswith("/data/relationships")
    renamed = ok(synap.patch(f"/exam-v2s/{made['id']}", json=body(EXAM, {"name": "Renamed", "lockedByDefault": True}, id=made["id"])))
    assert renamed["data"]["attributes"]["name"] == "Renamed" and renamed["data"]["attributes"]["lockedByDefault"] is True


def test_the_older_exam_is_the_same_record_as_its_exam_v2(synap):
    legacy = ok(synap.post("/exams", json=body("Exam", {"name": "Legacy exam", "isSectioned": True})), 201)["data"]
    assert legacy["type"] == "Exam" and legacy["attributes"]["isSectioned"] is True
    v2 = exam(synap, legacy["id"])["data"]
    assert v2["attributes"]["name"] == "Legacy exam" and v2["attributes"]["markingDoubleSequence"] == "parallel"
    assert rel(v2, "schedule") == rel(legacy, "schedule")
    ok(synap.patch(f"/exam-v2s/{legacy['id']}", json=body(EXAM, {"name": "Renamed in V2"}, id=legacy["id"])))
    assert ok(synap.get(f"/exams/{legacy['id']}"))["data"]["attributes"]["name"] == "Renamed in V2"
    assert synap.delete(f"/exams/{legacy['id']}").status_code == 204
    errors(synap.get(f"/exam-v2s/{legacy['id']}"), 404)
    errors(synap.get(f"/exam-schedules/{rel(legacy, 'schedule')['id']}"), 404)


def test_non_admins_read_exams_but_cannot_write_them(synap):
    assert everything(synap, "/exam-v2s")
    errors(synap.post("/exam-v2s", json=body(EXAM, {"name": "Nope"}), headers=STAFF), 403)


# -- quiz versions --------------------------------------------------------------------------------------------


def test_an_exam_without_a_draft_refuses_publish_and_discard_and_without_a_quiz_refuses_a_draft(synap):
    made = new_exam(synap)
    for method, path in (("post", "draft-version"), ("post", "published-version"), ("delete", "draft-version")):
        errs = errors(getattr(synap, method)(f"/exam-v2s/{made['id']}/{path}"), 409)
        assert errs[0]["detail"]
    errors(synap.post(f"/exams/{made['id']}/draft-version"), 409)
    errors(synap.post("/exam-v2s/nope/draft-version"), 404)
    after = exam(synap, made["id"])["data"]
    assert rel(after, "draftVersion") is None and after["attributes"]["versionNumber"] == 0


def test_draft_publish_and_discard_move_the_exams_quiz_versions(synap, fresh):
    fresh.clock(now="2026-03-02T09:00:00Z", frozen=True)
    quiz = a_quiz(synap)
    made = new_exam(synap, "Versioned", {"publishedVersion": {"data": quiz}})
    assert (rel(made, "publishedVersion"), rel(made, "currentVersion"), rel(made, "draftVersion")) == (quiz, quiz, None)
    assert made["attributes"]["versionNumber"] == 1 and made["attributes"]["isPublished"] is True

    drafted = ok(synap.post(f"/exam-v2s/{made['id']}/draft-version", params={"include": "draftVersion"}))
    draft = rel(drafted["data"], "draftVersion")
    assert draft["type"] == "Quiz" and draft["id"] != quiz["id"]
    assert rel(drafted["data"], "currentVersion") == draft and rel(drafted["data"], "publishedVersion") == quiz
    assert drafted["data"]["attributes"]["hasDraft"] is True
    assert [r["id"] for r in drafted["included"]] == [draft["id"]]
    original, copied = (ok(synap.get(f"/quizzes/{q['id']}"))["data"] for q in (quiz, draft))
    assert (copied["attributes"]["questionCount"], copied["attributes"]["sectionCount"]) == (2, 1)
    [section] = rel(copied, "sections")  # the draft has its own parts, placed in it
    assert section != rel(original, "sections")[0] and not {q["id"] for q in rel(copied, "questions")} & {
        q["id"] for q in rel(original, "questions")}
    assert rel(ok(synap.get(f"/quiz-sections/{section['id']}"))["data"], "quiz") == draft
    ok(synap.patch(f"/quizzes/{draft['id']}/relationships/questions", json=many("QuizQuestionSingleCorrect")))
    assert ok(synap.get(f"/quizzes/{quiz['id']}"))["data"]["attributes"]["questionCount"] == 2  # editing the draft
    errors(synap.post(f"/exam-v2s/{made['id']}/draft-version"), 409)  # one draft at a time

    errs = errors(synap.post(f"/exam-v2s/{made['id']}/published-version", json={"data": quiz}), 400)
    assert errs[0]["source"]["pointer"] == "/data/id"
    fresh.clock(now="2026-03-03T10:00:00Z", frozen=True)
    published = ok(synap.post(f"/exam-v2s/{made['id']}/published-version", json={"data": draft}))["data"]
    assert (rel(published, "publishedVersion"), rel(published, "currentVersion"), rel(published, "draftVersion")) == (draft, draft, None)
    assert published["attributes"]["versionNumber"] == 2 and published["attributes"]["publishedAt"] == "2026-03-03T10:00:00Z"
    errors(synap.post(f"/exam-v2s/{made['id']}/published-version"), 409)
    errors(synap.delete(f"/exam-v2s/{made['id']}/draft-version"), 409)

    second = rel(ok(synap.post(f"/exams/{made['id']}/draft-version"))["data"], "draftVersion")  # the older Exam's route
    [second_section] = rel(ok(synap.get(f"/quizzes/{second['id']}"))["data"], "sections")
    discarded = ok(synap.delete(f"/exam-v2s/{made['id']}/draft-version"))["data"]
    assert (rel(discarded, "draftVersion"), rel(discarded, "currentVersion")) == (None, draft)
    assert discarded["attributes"]["versionNumber"] == 2
    errors(synap.get(f"/quizzes/{second['id']}"), 404)  # the discarded draft is gone, with its parts
    errors(synap.get(f"/quiz-sections/{second_section['id']}"), 404)
    ok(synap.get(f"/quizzes/{draft['id']}"))
    actions = [entry["attributes"]["action"] for entry in everything(synap, "/action-logs", **{"filter[resourceId]": made["id"]})]
    assert actions == ["exam.create", "exam.draft", "exam.publish", "exam.draft", "exam.discard"]


def test_a_section_drafts_its_exams_quiz_and_an_archived_exam_keeps_its_versions(synap):
    quiz = a_quiz(synap)
    made = new_exam(synap, "Sectioned", {"publishedVersion": {"data": quiz}}, isSectioned=True)
    section = ok(synap.post("/exam-sections", json=body("ExamSection", {"name": "Part 1"}, {"examV2": one(EXAM, made["id"])})), 201)["data"]
    drafted = ok(synap.post(f"/exam-sections/{section['id']}/draft-version"))["data"]
    assert drafted["id"] == made["id"] and rel(drafted, "draftVersion")
    ok(synap.patch(f"/exam-v2s/{made['id']}", json=body(EXAM, {"isArchived": True}, id=made["id"])))
    errors(synap.post(f"/exam-v2s/{made['id']}/published-version"), 409)


def test_an_exam_without_any_quiz_publishes_the_quiz_named_as_its_first_version(synap):
    quiz = a_quiz(synap)
    made = new_exam(synap)
    errs = errors(synap.post(f"/exam-v2s/{made['id']}/published-version", json=one("User", rel(made, "owner")["id"])), 400)
    assert errs[0]["source"]["pointer"] == "/data/type"
    first = ok(synap.post(f"/exam-v2s/{made['id']}/published-version", json={"data": quiz}))["data"]
    assert rel(first, "publishedVersion") == quiz and first["attributes"]["versionNumber"] == 1


# -- markers groups ------------------------------------------------------------------------------------------


def test_create_internal_markers_group_makes_an_exam_owned_group_with_its_members(synap):
    made = new_exam(synap, "Marked exam")
    learners = everything(synap, "/users", **{"filter[userGroups]": group_named(synap, "Year 10")["id"]})[:2]
    wanted = [u["id"] for u in learners]
    response = synap.post(f"/exam-v2s/{made['id']}/internal-markers-group",
                          json={"data": {"type": "UserGroup", "relationships": {"users": many("User", *wanted)}}})
    group = ok(response, 201)["data"]
    assert response.headers["Location"].endswith(f"/user-groups/{group['id']}")
    assert group["attributes"]["internal"] is True and group["attributes"]["name"] == "Marked exam: Markers"
    assert group["attributes"]["totalUsers"] == 2 and members(synap, group["id"]) == set(wanted)
    assert rel(exam(synap, made["id"])["data"], "markers") == {"type": "UserGroup", "id": group["id"]}
    errors(synap.post(f"/exam-v2s/{made['id']}/internal-markers-group"), 409)  # it has one


def test_escalating_auditing_and_back_reading_groups_need_their_marking_flag(synap):
    made = new_exam(synap)
    markers = group_named(synap, "Markers")
    for slug, role, flag in (("escalating-markers", "escalatingMarkers", "markingEscalationEnabled"),
                             ("auditing-markers", "auditingMarkers", "markingAuditingEnabled"),
                             ("back-reading-markers", "backReadingMarkers", "markingBackReadingEnabled")):
        errs = errors(synap.post(f"/exam-v2s/{made['id']}/internal-{slug}-group"), 409)
        assert flag in errs[0]["detail"]
        errors(synap.patch(f"/exam-v2s/{made['id']}/relationships/{role}", json=one("UserGroup", markers["id"])), 409)
        ok(synap.patch(f"/exam-v2s/{made['id']}", json=body(EXAM, {flag: True}, id=made["id"])))
        ok(synap.post(f"/exam-v2s/{made['id']}/internal-{slug}-group"), 201)
    moderating = ok(synap.post(f"/exam-v2s/{made['id']}/internal-moderating-markers-group",
                               json={"data": {"type": "UserGroup", "attributes": {"name": "Moderators"}}}), 201)["data"]
    after = exam(synap, made["id"])["data"]
    assert rel(after, "moderatingMarkers")["id"] == moderating["id"] and moderating["attributes"]["name"] == "Moderators"
    assert all(rel(after, r) for r in ("escalatingMarkers", "auditingMarkers", "backReadingMarkers"))


def test_set_shared_markers_group_replaces_and_deletes_the_internal_group(synap):
    made, other = new_exam(synap, "One"), new_exam(synap, "Two")
    learner = everything(synap, "/users", **{"filter[userGroups]": group_named(synap, "Year 11")["id"]})[0]
    internal = ok(synap.post(f"/exam-v2s/{made['id']}/internal-markers-group",
                             json={"data": {"type": "UserGroup", "relationships": {"users": many("User", learner["id"])}}}), 201)["data"]
    foreign = ok(synap.post(f"/exam-v2s/{other['id']}/internal-markers-group"), 201)["data"]
    url = f"/exam-v2s/{made['id']}/relationships/markers"
    errs = errors(synap.patch(url, json=one("UserGroup", foreign["id"])), 400)
    assert errs[0]["source"]["pointer"] == "/data"
    errors(synap.patch(url, json=one("UserGroup", group_named(synap, "Class of 2024")["id"])), 403)
    errors(synap.patch(url, json=one("User", learner["id"])), 400)
    shared = group_named(synap, "Markers")
    assert ok(synap.patch(url, json=one("UserGroup", shared["id"])))["data"] == {"type": "UserGroup", "id": shared["id"]}
    errors(synap.get(f"/user-groups/{internal['id']}"), 404)
    assert internal["id"] not in ok(synap.get(f"/users/{learner['id']}"))["data"]["attributes"]["userGroupsMetadata"]
    assert ok(synap.patch(url, json={"data": None}))["data"] is None
    ok(synap.get(f"/user-groups/{shared['id']}"))  # a shared group is only unlinked
    assert rel(exam(synap, made["id"])["data"], "markers") is None
    errors(synap.patch(url, json=one("UserGroup", shared["id"]), headers=STAFF), 403)


def test_the_older_exam_has_markers_and_moderating_markers_group_routes(synap):
    legacy = ok(synap.post("/exams", json=body("Exam", {"name": "Old style"})), 201)["data"]
    group = ok(synap.post(f"/exams/{legacy['id']}/internal-moderating-markers-group"), 201)["data"]
    assert rel(ok(synap.get(f"/exams/{legacy['id']}"))["data"], "moderatingMarkers")["id"] == group["id"]
    shared = group_named(synap, "Markers")
    ok(synap.patch(f"/exams/{legacy['id']}/relationships/markers", json=one("UserGroup", shared["id"])))
    ok(synap.patch(f"/exams/{legacy['id']}/relationships/moderatingMarkers", json=one("UserGroup", shared["id"])))
    errors(synap.get(f"/user-groups/{group['id']}"), 404)
    made = ok(synap.post(f"/exams/{legacy['id']}/internal-markers-group"), 201)["data"]
    assert rel(exam(synap, legacy["id"])["data"], "markers")["id"] == made["id"]


# -- sections -----------------------------------------------------------------------------------------------


def test_sections_keep_a_dense_order_through_create_move_and_delete(synap):
    flat = new_exam(synap, "Flat")
    errors(synap.post("/exam-sections", json=body("ExamSection", {"name": "A"}, {"examV2": one(EXAM, flat["id"])})), 409)
    made = new_exam(synap, "Sectioned", isSectioned=True)

    def add(name, **extra):
        return ok(synap.post("/exam-sections", json=body("ExamSection", {"name": name, **extra},
                                                          {"examV2": one(EXAM, made["id"])})), 201)["data"]

    a, b = add("A"), add("B")
    c = add("C", position=1)
    def order():
        return [r["id"] for r in exam(synap, made["id"], include="sections")["included"]]

    assert order() == [c["id"], a["id"], b["id"]]
    assert [rel_id["id"] for rel_id in rel(exam(synap, made["id"])["data"], "sections")] == order()
    moved = ok(synap.patch(f"/exam-v2s/{made['id']}/sections/{c['id']}",
                           json=body("ExamSection", {"position": 9, "timeLimitMinutes": 20}, id=c["id"])))["data"]
    assert moved["attributes"]["position"] == 3 and moved["attributes"]["timeLimitMinutes"] == 20
    assert order() == [a["id"], b["id"], c["id"]]
    errors(synap.patch(f"/exam-v2s/{flat['id']}/sections/{c['id']}", json=body("ExamSection", {"name": "X"}, id=c["id"])), 404)
    ok(synap.patch(f"/exams/{made['id']}/sections/{a['id']}", json=body("ExamSection", {"name": "A2"}, id=a["id"])))
    assert synap.delete(f"/exam-sections/{a['id']}").status_code == 204
    assert [ok(synap.get(f"/exam-sections/{s}"))["data"]["attributes"]["position"] for s in (b["id"], c["id"])] == [1, 2]


# -- schedules and closures ----------------------------------------------------------------------------------


def test_schedule_status_follows_the_sandbox_clock_and_refuses_an_end_before_the_start(synap, fresh):
    fresh.clock(now="2026-05-01T08:00:00Z", frozen=True)
    made = new_exam(synap)
    schedule_id = rel(made, "schedule")["id"]
    url = f"/exam-schedules/{schedule_id}"
    errs = errors(synap.patch(url, json=body("ExamSchedule", {"startsAt": "2026-05-02T09:00:00Z", "endsAt": "2026-05-02T08:00:00Z"},
                                             id=schedule_id)), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/endsAt"
    planned = ok(synap.patch(url, json=body("ExamSchedule", {"startsAt": "2026-05-02T09:00:00Z", "endsAt": "2026-05-02T11:00:00Z",
                                                             "timeLimitMinutes": 90}, id=schedule_id)))["data"]
    assert planned["attributes"]["status"] == "upcoming"
    fresh.clock(now="2026-05-02T10:00:00Z", frozen=True)
    assert ok(synap.get(url))["data"]["attributes"]["status"] == "open"
    hall = ok(synap.get(f"/exam-halls/{made['id']}"))["data"]
    assert hall["attributes"]["scheduleStatus"] == "open" and hall["attributes"]["startsAt"] == "2026-05-02T09:00:00Z"
    fresh.clock(now="2026-05-02T11:00:00Z", frozen=True)
    assert ok(synap.get(url))["data"]["attributes"]["status"] == "closed"


def test_a_closure_closes_the_exam_when_its_time_comes_and_then_cannot_change(synap, fresh):
    fresh.clock(now="2026-06-01T08:00:00Z", frozen=True)
    made = new_exam(synap)
    ok(synap.patch(f"/exam-schedules/{rel(made, 'schedule')['id']}", json=body("ExamSchedule", {
        "startsAt": "2026-06-01T07:00:00Z"}, id=rel(made, "schedule")["id"])))
    closure = ok(synap.post("/exam-closures", json=body("ExamClosure", {"closesAt": "2026-06-01T09:00:00Z", "reason": "Fire alarm"},
                                                        {"examV2": one(EXAM, made["id"])})), 201)["data"]
    assert closure["attributes"]["status"] == "scheduled" and rel(closure, "createdBy")["type"] == "User"
    errors(synap.post("/exam-closures", json=body("ExamClosure", {}, {"examV2": one(EXAM, made["id"])})), 409)
    moved = ok(synap.patch(f"/exam-closures/{closure['id']}", json=body("ExamClosure", {"closesAt": "2026-06-01T10:00:00Z"}, id=closure["id"])))
    assert moved["data"]["attributes"]["closesAt"] == "2026-06-01T10:00:00Z"
    schedule_url = f"/exam-schedules/{rel(made, 'schedule')['id']}"
    assert ok(synap.get(schedule_url))["data"]["attributes"]["status"] == "open"
    fresh.advance_clock(2 * 3600)
    assert ok(synap.get(f"/exam-closures/{closure['id']}"))["data"]["attributes"]["status"] == "closed"
    assert ok(synap.get(schedule_url))["data"]["attributes"]["status"] == "closed"
    errors(synap.patch(f"/exam-closures/{closure['id']}", json=body("ExamClosure", {"reason": "x"}, id=closure["id"])), 409)
    errors(synap.delete(f"/exam-closures/{closure['id']}"), 409)
    assert [c["id"] for c in everything(synap, "/exam-closures", **{"filter[examV2]": made["id"]})] == [closure["id"]]
    errs = errors(synap.post("/exam-closures", json=body("ExamClosure", {})), 400)
    assert errs[0]["source"]["pointer"].startswith("/data")


def test_a_scheduled_closure_can_be_withdrawn_and_defaults_to_now(synap, fresh):
    fresh.clock(now="2026-06-01T08:00:00Z", frozen=True)
    made = new_exam(synap)
    later = ok(synap.post("/exam-closures", json=body("ExamClosure", {"closesAt": "2026-07-01T00:00:00Z"},
                                                      {"examV2": one(EXAM, made["id"])})), 201)["data"]
    assert synap.delete(f"/exam-closures/{later['id']}").status_code == 204
    now = ok(synap.post("/exam-closures", json=body("ExamClosure", {}, {"examV2": one(EXAM, made["id"])})), 201)["data"]
    assert now["attributes"]["closesAt"] == "2026-06-01T08:00:00Z" and now["attributes"]["status"] == "closed"


# -- set-up validation, notifications, exports --------------------------------------------------------------


def test_setup_validation_reports_what_the_exam_lacks(synap):
    made = new_exam(synap, "Bare", isSectioned=True, markingEscalationEnabled=True, markingDoubleEnabled=True)
    report = ok(synap.post("/exam-target-quiz-setup-validations", json=body("ExamTargetQuizSetupValidation", {},
                                                                            {"examV2": one(EXAM, made["id"])})), 201)["data"]
    codes = {p["code"]: p["severity"] for p in report["attributes"]["problems"]}
    assert report["attributes"]["isValid"] is False
    assert {"no_quiz", "no_candidates", "no_markers", "escalation_without_markers", "sectioned_without_sections",
            "double_marking_min_markers"} <= {c for c, s in codes.items() if s == "error"}
    assert codes["unscheduled"] == "warning" and codes["escalation_without_reasons"] == "warning"
    errors(synap.post("/exam-target-quiz-setup-validations", json=body("ExamTargetQuizSetupValidation", {})), 400)


def test_setup_validation_passes_a_complete_exam_against_its_quiz(synap):
    quiz = a_quiz(synap)
    made = new_exam(synap, "Ready", {"publishedVersion": {"data": quiz}, "userGroup": one("UserGroup", group_named(synap, "Year 10")["id"]),
                                     "markers": one("UserGroup", group_named(synap, "Markers")["id"])})
    ok(synap.patch(f"/exam-schedules/{rel(made, 'schedule')['id']}",
                   json=body("ExamSchedule", {"startsAt": "2030-01-01T09:00:00Z"}, id=rel(made, "schedule")["id"])))
    report = ok(synap.post("/exam-target-quiz-setup-validations", json=body("ExamTargetQuizSetupValidation", {},
                                                                            {"examV2": one(EXAM, made["id"])})), 201)["data"]
    assert report["attributes"] == {**report["attributes"], "isValid": True, "problems": []}
    assert rel(report, "targetQuiz") == quiz


def test_examinee_notifications_email_the_exams_candidates(synap, fresh):
    year10 = group_named(synap, "Year 10")
    made = new_exam(synap, "Notify", {"userGroup": one("UserGroup", year10["id"])})
    candidates = members(synap, year10["id"])
    sent = ok(synap.post("/examinee-notifications", json=body("ExamineeNotification", {
        "subject": "Room change", "message": "The exam is in the hall."}, {"examV2": one(EXAM, made["id"])})), 201)["data"]
    assert sent["attributes"]["recipientCount"] == len(candidates) > 0
    mail = fresh.outbox(kind="ExamineeNotification")
    assert len(mail) == len(candidates) and {m["data"]["examV2"] for m in mail} == {made["id"]}
    assert all(m["subject"] == "Room change" for m in mail)
    outsider = next(u for u in everything(synap, "/users") if u["id"] not in candidates)
    errs = errors(synap.post("/examinee-notifications", json=body("ExamineeNotification", {"subject": "s", "message": "m"}, {
        "examV2": one(EXAM, made["id"]), "users": many("User", min(candidates), outsider["id"])})), 400)
    assert errs[0]["source"]["pointer"] == "/data/relationships/users/data/1"
    nobody = new_exam(synap, "Nobody")
    errors(synap.post("/examinee-notifications", json=body("ExamineeNotification", {"subject": "s", "message": "m"},
                                                           {"examV2": one(EXAM, nobody["id"])})), 400)


@pytest.mark.parametrize("path,type_name", [("/exam-candidate-exports", "ExamCandidateExport"),
                                            ("/exam-question-stats-exports", "ExamQuestionStatsExport")])
def test_exam_exports_complete_on_the_sandbox_clock(synap, fresh, path, type_name):
    fresh.clock(now="2026-04-01T12:00:00Z", frozen=True)
    made = seeded(synap, "Year 10 Mathematics Mock")
    job = ok(synap.post(path, json=body(type_name, {"format": "xlsx"}, {"examV2": one(EXAM, made["id"])})), 201)["data"]
    assert (job["attributes"]["status"], job["attributes"]["fileUrl"]) == ("pending", None)
    fresh.advance_clock(10)
    assert ok(synap.get(f"{path}/{job['id']}"))["data"]["attributes"]["status"] == "processing"
    fresh.advance_clock(60)
    done = ok(synap.get(f"{path}/{job['id']}"))["data"]["attributes"]
    assert done["status"] == "complete" and done["progress"] == 100 and done["fileUrl"].endswith(".xlsx")
    assert done["completedAt"] == "2026-04-01T12:00:30Z"
    errors(synap.post(path, json=body(type_name, {})), 400)


# -- views: question stats, tag breakdown, headline, hall, inbox ----------------------------------------------


def test_tag_breakdown_is_the_attempt_weighted_view_of_the_question_stats(synap):
    made = seeded(synap, "Year 10 Mathematics Mock")
    stats = everything(synap, "/exam-question-stats", **{"filter[examV2]": made["id"]})
    assert stats and all(rel(s, "examV2")["id"] == made["id"] for s in stats)
    breakdown = ok(synap.get(f"/exam-test-tag-breakdowns/{made['id']}"))["data"]
    assert rel(breakdown, "examV2") == {"type": EXAM, "id": made["id"]}
    for row in breakdown["attributes"]["tags"]:
        tagged = [s["attributes"] for s in stats if row["tag"] in s["attributes"]["tags"]]
        weight = sum(s["attemptCount"] for s in tagged)
        assert row["questionCount"] == len(tagged) and row["attemptCount"] == weight
        assert row["averagePercentage"] == round(sum(s["attemptCount"] * s["averagePercentage"] for s in tagged) / weight, 2)


def test_headline_and_hall_count_candidates_and_attempts(synap):
    year11 = group_named(synap, "Year 11")
    made = new_exam(synap, "Counted", {"userGroup": one("UserGroup", year11["id"]), "publishedVersion": {"data": a_quiz(synap)}})
    candidates = sorted(members(synap, year11["id"]))
    headline = ok(synap.get(f"/exam-attempt-headline-insights/{made['id']}"))["data"]["attributes"]
    assert headline["candidateCount"] == len(candidates) and headline["attemptCount"] == 0 and headline["averageScore"] is None
    assert ok(synap.get(f"/exam-halls/{made['id']}"))["data"]["attributes"]["notStartedCount"] == len(candidates)
    an_attempt(synap, made["id"], candidates[0], "marked", points=11)  # of the 44 points: 25%
    an_attempt(synap, made["id"], candidates[1], "marked", points=33)  # 75%
    an_attempt(synap, made["id"], candidates[1], "started", revoked=True)
    ok(synap.post("/exam-previews", json=body("ExamPreview", {}, {"examV2": one(EXAM, made["id"])})), 201)  # not a candidate's
    headline = ok(synap.get(f"/exam-attempt-headline-insights/{made['id']}"))["data"]["attributes"]
    assert (headline["attemptCount"], headline["revokedCount"]) == (3, 1)
    assert headline["attemptsByStatus"] == {"started": 1, "submitted": 2}
    assert (headline["averageScore"], headline["highestScore"], headline["lowestScore"]) == (50, 75, 25)
    hall = ok(synap.get(f"/exam-halls/{made['id']}", params={"include": "userGroup"}))
    assert hall["data"]["attributes"]["notStartedCount"] == len(candidates) - 2
    assert hall["included"][0]["id"] == year11["id"]


def test_the_markers_inbox_lists_the_callers_exams_per_role(synap):
    staff_items = ok(synap.get("/markers-inbox-items", params={"limit": 100, "offset": 0}, headers=STAFF))["data"]
    staff_id = {rel(i, "marker")["id"] for i in staff_items}
    assert len(staff_id) == 1 and staff_items
    roles = {(i["attributes"]["examName"], i["attributes"]["role"]) for i in staff_items}
    assert ("Year 11 Chemistry Final", "moderatingMarkers") in roles and ("Year 10 Mathematics Mock", "markers") in roles
    assert not any(name == "2024 Physics Final" for name, _ in roles)  # archived
    learner = everything(synap, "/users", **{"filter[userGroups]": group_named(synap, "Year 10")["id"]})[0]
    made = new_exam(synap, "Inbox exam")
    assert everything(synap, "/markers-inbox-items", **{"filter[marker]": learner["id"]}) == []
    ok(synap.post(f"/exam-v2s/{made['id']}/internal-markers-group",
                  json={"data": {"type": "UserGroup", "relationships": {"users": many("User", learner["id"])}}}), 201)
    mine = everything(synap, "/markers-inbox-items", **{"filter[marker]": learner["id"]})
    assert [(i["attributes"]["examName"], i["attributes"]["role"], i["attributes"]["pendingCount"]) for i in mine] == [
        ("Inbox exam", "markers", 0)]
    by_role = everything(synap, "/markers-inbox-items", **{"filter[role]": "moderatingMarkers"})
    assert {i["attributes"]["role"] for i in by_role} == {"moderatingMarkers"}


def test_pending_marking_counts_submitted_unmarked_attempts(synap):
    made = seeded(synap, "Year 10 Mathematics Mock")
    learners = sorted(members(synap, rel(made, "userGroup")["id"]))

    def counts():
        items = ok(synap.get("/markers-inbox-items", params={"limit": 100, "offset": 0, "filter[examV2]": made["id"]},
                             headers=STAFF))["data"]
        return [(i["attributes"]["attemptCount"], i["attributes"]["pendingCount"]) for i in items]

    [(attempts, pending)] = counts()
    an_attempt(synap, made["id"], learners[0], "awaitingMarking")
    an_attempt(synap, made["id"], learners[1], "marked")
    an_attempt(synap, made["id"], learners[1], "awaitingMarking", revoked=True)
    an_attempt(synap, made["id"], learners[1], "started")
    assert counts() == [(attempts + 3, pending + 1)]


# -- attempt revoke reversals ----------------------------------------------------------------------------------


def test_an_attempt_revoke_reversal_needs_an_attempt(synap):
    admin_id = ok(synap.get("/exam-v2s", params={"limit": 1, "offset": 0}))["data"][0]["relationships"]["owner"]["data"]["id"]
    errs = errors(synap.post("/attempt-revoke-reversals", json=body("AttemptRevokeReversal", {}, {
        "attempt": one("User", admin_id)})), 400)
    assert errs[0]["source"]["pointer"] == "/data/relationships/attempt/data/type"
    errors(synap.post("/attempt-revoke-reversals", json=body("AttemptRevokeReversal", {"reason": "x"})), 400)


def test_reversing_a_revocation_restores_the_attempt_and_deleting_it_revokes_again(synap):
    made = seeded(synap, "Year 10 Mathematics Mock")
    learner = min(members(synap, rel(made, "userGroup")["id"]))
    attempt = an_attempt(synap, made["id"], learner, revoked=True)
    assert attempt["attributes"]["isRevoked"] is True
    fine = an_attempt(synap, made["id"], learner)
    errors(synap.post("/attempt-revoke-reversals", json=body("AttemptRevokeReversal", {}, {"attempt": one("Attempt", fine["id"])})), 409)
    reversal = ok(synap.post("/attempt-revoke-reversals", json=body("AttemptRevokeReversal", {"reason": "Proctor error"}, {
        "attempt": one("Attempt", attempt["id"])})), 201)["data"]
    assert rel(reversal, "examV2") == {"type": EXAM, "id": made["id"]} and reversal["attributes"]["reversedAt"]
    assert ok(synap.get(f"/attempts/{attempt['id']}"))["data"]["attributes"]["isRevoked"] is False
    errors(synap.post("/attempt-revoke-reversals", json=body("AttemptRevokeReversal", {}, {"attempt": one("Attempt", attempt["id"])})), 409)
    edited = ok(synap.patch(f"/attempt-revoke-reversals/{reversal['id']}",
                            json=body("AttemptRevokeReversal", {"reason": "Proctor error (confirmed)"}, id=reversal["id"])))
    assert edited["data"]["attributes"]["reason"] == "Proctor error (confirmed)"
    assert [r["id"] for r in everything(synap, "/attempt-revoke-reversals", **{"filter[attempt]": attempt["id"]})] == [reversal["id"]]
    assert synap.delete(f"/attempt-revoke-reversals/{reversal['id']}").status_code == 204
    assert ok(synap.get(f"/attempts/{attempt['id']}"))["data"]["attributes"]["isRevoked"] is True
    errors(synap.delete(f"/exam-v2s/{made['id']}"), 409)  # it has attempts


# -- the action log ---------------------------------------------------------------------------------------------


def test_the_action_log_is_for_administrators(synap):
    made = new_exam(synap, "Logged")
    entries = everything(synap, "/action-logs", **{"filter[resourceId]": made["id"]})
    assert [(e["attributes"]["action"], e["attributes"]["resourceType"]) for e in entries] == [("exam.create", EXAM)]
    assert ok(synap.get(f"/action-logs/{entries[0]['id']}"))["data"]["attributes"]["summary"] == "Created exam 'Logged'"
    errors(synap.get("/action-logs", params={"limit": 5, "offset": 0}, headers=STAFF), 403)
    errors(synap.get(f"/action-logs/{entries[0]['id']}", headers=STAFF), 403)
