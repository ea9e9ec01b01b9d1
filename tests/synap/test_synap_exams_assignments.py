"""Synap Assignments (groups, assignments and their items of every kind, pulses, manual review,
reattempts, resets, revocations, course versions, headline insights, SCORM results, exports) and
the Insights group (charts, custom insights, tag breakdowns)."""

from __future__ import annotations

import json

from support import Receiver, wait_for
from synap_helpers import body, errors, everything, group_named, ok, one

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}
OUTLINE = [
    {"itemType": "video", "title": "Watch", "folder": "Part 1"},
    {"itemType": "textEntry", "title": "Write", "folder": "Part 1"},
    {"itemType": "scorm", "title": "Simulate", "folder": "Part 2"},
]
KIND_PATHS = {"audio": "audios", "document": "documents", "embed": "embeds", "note": "notes", "quiz": "quizzes",
              "scorm": "scorms", "survey": "surveys", "textEntry": "text-entries", "upload": "uploads",
              "video": "videos", "zip": "zips"}


def item_url(item: dict) -> str:
    kind = item["type"].removeprefix("AssignmentItem")
    return f"/assignment-item-{KIND_PATHS[kind[0].lower() + kind[1:]]}/{item['id']}"


def new_group(synap, group_name="Year 10", outline=OUTLINE, **attributes) -> dict:
    users = group_named(synap, group_name)
    return ok(synap.post("/assignment-groups", json=body("AssignmentGroup", {"name": "Unit", "outline": outline, **attributes},
                                                         {"userGroup": one("UserGroup", users["id"])})), 201)["data"]


def assignments_of(synap, group_id: str, **headers) -> list[dict]:
    return ok(synap.get("/assignments", params={"limit": 1000, "offset": 0, "filter[assignmentGroup]": group_id}, **headers))["data"]


def items(synap, assignment_id: str, **kwargs) -> list[dict]:
    doc = ok(synap.get(f"/assignments/{assignment_id}", params={"include": "items"}, **kwargs))
    order = [i["id"] for i in doc["data"]["relationships"]["items"]["data"]]
    return sorted(doc.get("included", []), key=lambda i: order.index(i["id"]))


def patch(synap, item: dict, attributes: dict, status: int = 200, **kwargs):
    response = synap.patch(item_url(item), json=body(item["type"], attributes, id=item["id"]), **kwargs)
    return ok(response, status)["data"] if status == 200 else errors(response, status)


def assignment(synap, assignment_id: str, **kwargs) -> dict:
    return ok(synap.get(f"/assignments/{assignment_id}", **kwargs))["data"]["attributes"]


def staff_assignment(synap) -> dict:
    """The staff member's own assignment (they are a learner of the Staff group's training)."""
    mine = ok(synap.get("/assignments", params={"limit": 100, "offset": 0}, headers=STAFF))["data"]
    staff_id = mine[0]["relationships"]["user"]["data"]["id"]
    assert all(a["relationships"]["user"]["data"]["id"] == staff_id for a in mine)
    return mine[0]


# -- groups and their assignments ------------------------------------------------------------------------------


def test_an_assignment_group_gives_each_member_an_assignment_with_the_outlines_items(synap):
    year10 = group_named(synap, "Year 10")
    group = new_group(synap, dueAt="2030-01-01T00:00:00Z")
    made = assignments_of(synap, group["id"])
    assert len(made) == year10["attributes"]["totalUsers"] == group["attributes"]["assignmentCount"] > 0
    assert "outline" not in group["attributes"]
    version = ok(synap.get("/assignment-group-course-versions", params={
        "limit": 10, "offset": 0, "filter[assignmentGroup]": group["id"]}))["data"]
    assert [(v["attributes"]["versionNumber"], v["attributes"]["isCurrent"], v["attributes"]["outline"]) for v in version] == [(1, True, OUTLINE)]
    first = made[0]
    assert first["attributes"]["status"] == "notStarted" and first["attributes"]["dueAt"] == "2030-01-01T00:00:00Z"
    listed = items(synap, first["id"])
    assert [(i["type"], i["attributes"]["title"], i["attributes"]["position"]) for i in listed] == [
        ("AssignmentItemVideo", "Watch", 1), ("AssignmentItemTextEntry", "Write", 2), ("AssignmentItemScorm", "Simulate", 3)]
    folders = ok(synap.get(f"/assignments/{first['id']}", params={"include": "folders"}))["included"]
    assert [(f["attributes"]["name"], f["attributes"]["itemCount"]) for f in folders] == [("Part 1", 2), ("Part 2", 1)]
    shown = ok(synap.get(f"/assignment-folders/{folders[0]['id']}"))["data"]
    assert [i["id"] for i in shown["relationships"]["items"]["data"]] == [listed[0]["id"], listed[1]["id"]]


def test_learners_see_only_their_own_assignments_and_items(synap):
    mine = staff_assignment(synap)
    assert ok(synap.get(f"/assignments/{mine['id']}", headers=STAFF))["data"]["id"] == mine["id"]
    someone_else = assignments_of(synap, new_group(synap)["id"])[0]
    errors(synap.get(f"/assignments/{someone_else['id']}", headers=STAFF), 404)
    errors(synap.get(item_url(items(synap, someone_else["id"])[0]), headers=STAFF), 404)
    errors(synap.get(f"/assignment-headline-insights/{someone_else['id']}", headers=STAFF), 404)
    errors(synap.patch(f"/assignments/{mine['id']}", json=body("Assignment", {"note": "x"}, id=mine["id"]), headers=STAFF), 403)
    extended = ok(synap.patch(f"/assignments/{mine['id']}", json=body("Assignment", {"dueAt": "2031-01-01T00:00:00Z", "note": "Extension"},
                                                                      id=mine["id"])))["data"]["attributes"]
    assert (extended["dueAt"], extended["note"]) == ("2031-01-01T00:00:00Z", "Extension")


def test_moving_the_group_due_date_moves_the_assignments_still_on_it(synap):
    group = new_group(synap, dueAt="2030-01-01T00:00:00Z")
    first, second = assignments_of(synap, group["id"])[:2]
    ok(synap.patch(f"/assignments/{first['id']}", json=body("Assignment", {"dueAt": "2030-02-01T00:00:00Z"}, id=first["id"])))
    ok(synap.patch(f"/assignment-groups/{group['id']}", json=body("AssignmentGroup", {"dueAt": "2030-03-01T00:00:00Z"}, id=group["id"])))
    assert assignment(synap, first["id"])["dueAt"] == "2030-02-01T00:00:00Z"
    assert assignment(synap, second["id"])["dueAt"] == "2030-03-01T00:00:00Z"


def test_deleting_a_group_deletes_its_assignments_and_items(synap):
    group = new_group(synap)
    first = assignments_of(synap, group["id"])[0]
    item = items(synap, first["id"])[0]
    assert synap.delete(f"/assignment-groups/{group['id']}").status_code == 204
    errors(synap.get(f"/assignments/{first['id']}"), 404)
    errors(synap.get(item_url(item)), 404)


# -- working through items ---------------------------------------------------------------------------------------


def test_completing_every_item_completes_the_assignment_and_sends_the_webhook(synap, fresh):
    fresh.clock(now="2026-09-01T10:00:00Z", frozen=True)
    receiver = Receiver([200])
    try:
        ok(synap.post("/webhook-subscriptions", json=body("WebhookSubscription", {
            "eventName": "assignment.complete", "targetUrl": receiver.url()})), 201)
        first = assignments_of(synap, new_group(synap)["id"])[0]
        video, text, scorm = items(synap, first["id"])
        started = patch(synap, video, {"progress": 60, "positionSeconds": 120})
        assert (started["attributes"]["status"], started["attributes"]["startedAt"]) == ("inProgress", "2026-09-01T10:00:00Z")
        assert patch(synap, video, {"progress": 20})["attributes"]["progress"] == 60  # never goes down
        assert assignment(synap, first["id"])["status"] == "inProgress"
        done = patch(synap, video, {"status": "complete"})["attributes"]
        assert (done["status"], done["progress"], done["completedAt"]) == ("complete", 100, "2026-09-01T10:00:00Z")
        patch(synap, video, {"progress": 10}, 409)  # complete items no longer change
        errs = patch(synap, text, {"status": "complete"}, 400)
        assert errs[0]["source"]["pointer"] == "/data/attributes/text"
        errs = patch(synap, text, {"status": "awaitingReview", "text": "Hi"}, 400)
        assert errs[0]["source"]["pointer"] == "/data/attributes/status"
        waiting = patch(synap, text, {"status": "complete", "text": "My essay"})["attributes"]
        assert (waiting["status"], waiting["progress"]) == ("awaitingReview", 100)
        patch(synap, text, {"text": "Changed my mind"}, 409)
        patch(synap, scorm, {"status": "complete"})
        assert assignment(synap, first["id"])["status"] == "inProgress"
        assert receiver.requests == []
        review = ok(synap.post("/assignment-manual-reviews", json=body("AssignmentManualReview", {"outcome": "pass", "score": 80,
                                                                                                   "feedback": "Well argued"},
                                                                       {"assignmentItem": one(text["type"], text["id"])}), headers=STAFF), 201)["data"]
        assert review["relationships"]["reviewer"]["data"]["type"] == "User"
        finished = assignment(synap, first["id"])
        assert (finished["status"], finished["progress"], finished["score"], finished["completedAt"]) == (
            "complete", 100, 80, "2026-09-01T10:00:00Z")
        assert wait_for(lambda: len(receiver.requests) == 1)
        payload = json.loads(receiver.requests[0]["body"])
        assert payload["eventName"] == "assignment.complete" and payload["data"]["id"] == first["id"]
    finally:
        receiver.close()


def test_a_failed_review_sends_the_item_back_and_only_reviewers_review(synap, fresh):
    first = assignments_of(synap, new_group(synap)["id"])[0]
    text = items(synap, first["id"])[1]
    review = body("AssignmentManualReview", {"outcome": "fail", "feedback": "Cite your sources"},
                  {"assignmentItem": one(text["type"], text["id"])})
    errors(synap.post("/assignment-manual-reviews", json=review), 409)  # nothing to review yet
    patch(synap, text, {"status": "complete", "text": "Draft"})
    errors(synap.post("/assignment-manual-reviews", json=review, headers={"Authorization": "Bearer p:synap-revoked-0c3a5e7f9b1d2468"}), 401)
    ok(synap.post("/assignment-manual-reviews", json=review), 201)
    back = ok(synap.get(item_url(text)))["data"]["attributes"]
    assert (back["status"], back["feedback"]) == ("inProgress", "Cite your sources")
    learner = ok(synap.get(f"/users/{first['relationships']['user']['data']['id']}"))["data"]["attributes"]["emailAddress"]
    assert [m["data"]["outcome"] for m in fresh.outbox(to=learner, kind="AssignmentManualReview")] == ["fail"]
    assert patch(synap, text, {"status": "complete", "text": "With sources"})["attributes"]["status"] == "awaitingReview"


def test_pulses_add_time_and_start_an_item_but_never_complete_it(synap, fresh):
    fresh.clock(now="2026-09-02T10:00:00Z", frozen=True)
    mine = staff_assignment(synap)
    reset = body("AssignmentReset", {}, {"assignment": one("Assignment", mine["id"])})
    errors(synap.post("/assignment-resets", json=reset, headers=STAFF), 403)  # admins reset
    ok(synap.post("/assignment-resets", json=reset), 201)
    video = items(synap, mine["id"], headers=STAFF)[0]
    assert video["type"] == "AssignmentItemVideo" and video["attributes"]["status"] == "notStarted"
    for seconds in (30, 45):
        ok(synap.post("/assignment-item-pulses", json=body("AssignmentItemPulse", {"seconds": seconds, "progress": 100, "positionSeconds": 75},
                                                          {"assignmentItem": one(video["type"], video["id"])}), headers=STAFF), 201)
    after = ok(synap.get(item_url(video), headers=STAFF))["data"]["attributes"]
    assert (after["status"], after["progress"], after["timeSpentSeconds"], after["positionSeconds"]) == ("inProgress", 100, 75, 75)
    assert after["lastActivityAt"] == after["startedAt"] == "2026-09-02T10:00:00Z"
    state = assignment(synap, mine["id"], headers=STAFF)
    assert (state["status"], state["timeSpentSeconds"]) == ("inProgress", 75)
    other = items(synap, assignments_of(synap, new_group(synap)["id"])[0]["id"])[0]
    errors(synap.post("/assignment-item-pulses", json=body("AssignmentItemPulse", {"seconds": 5},
                                                           {"assignmentItem": one(other["type"], other["id"])}), headers=STAFF), 404)
    errors(synap.post("/assignment-item-pulses", json=body("AssignmentItemPulse", {"seconds": 0},
                                                           {"assignmentItem": one(video["type"], video["id"])})), 400)


# -- revocations, reattempts, resets -------------------------------------------------------------------------------


def test_a_revoked_assignment_refuses_changes_until_the_revocation_is_deleted(synap):
    first = assignments_of(synap, new_group(synap)["id"])[0]
    video = items(synap, first["id"])[0]
    revoke = body("AssignmentRevocation", {"reason": "Left"}, {"assignment": one("Assignment", first["id"])})
    errors(synap.post("/assignment-revocations", json=revoke, headers=STAFF), 403)
    revocation = ok(synap.post("/assignment-revocations", json=revoke), 201)["data"]
    errors(synap.post("/assignment-revocations", json=revoke), 409)
    state = assignment(synap, first["id"])
    assert state["isRevoked"] is True and state["revokedAt"]
    patch(synap, video, {"progress": 10}, 403)
    errors(synap.post("/assignment-item-pulses", json=body("AssignmentItemPulse", {"seconds": 5},
                                                           {"assignmentItem": one(video["type"], video["id"])})), 403)
    errors(synap.post("/assignment-resets", json=body("AssignmentReset", {}, {"assignment": one("Assignment", first["id"])})), 409)
    assert synap.delete(f"/assignment-revocations/{revocation['id']}").status_code == 204
    assert assignment(synap, first["id"])["isRevoked"] is False
    assert patch(synap, video, {"progress": 10})["attributes"]["progress"] == 10


def finish(synap, assignment_id: str) -> None:
    for item in items(synap, assignment_id):
        extra = {"text": "Done"} if item["type"] == "AssignmentItemTextEntry" else {}
        patch(synap, item, {"status": "complete", **extra})
        if item["type"] == "AssignmentItemTextEntry":
            ok(synap.post("/assignment-manual-reviews", json=body("AssignmentManualReview", {"outcome": "pass", "score": 90},
                                                                  {"assignmentItem": one(item["type"], item["id"])})), 201)


def test_a_reattempt_restarts_a_complete_assignment_and_keeps_the_time_spent(synap):
    first = assignments_of(synap, new_group(synap)["id"])[0]
    again = body("AssignmentReattempt", {"reason": "Better score"}, {"assignment": one("Assignment", first["id"])})
    errors(synap.post("/assignment-reattempts", json=again), 409)  # not complete yet
    ok(synap.post("/assignment-item-pulses", json=body("AssignmentItemPulse", {"seconds": 40}, {
        "assignmentItem": one(items(synap, first["id"])[0]["type"], items(synap, first["id"])[0]["id"])})), 201)
    finish(synap, first["id"])
    assert assignment(synap, first["id"])["status"] == "complete"
    errors(synap.post("/assignment-reattempts", json=again, headers=STAFF), 403)  # not the learner's
    made = ok(synap.post("/assignment-reattempts", json=again), 201)["data"]
    assert made["attributes"]["attemptNumber"] == 2
    state = assignment(synap, first["id"])
    assert (state["status"], state["progress"], state["attemptNumber"], state["timeSpentSeconds"]) == ("notStarted", 0, 2, 40)
    assert {i["attributes"]["status"] for i in items(synap, first["id"])} == {"notStarted"}


def test_groups_can_refuse_reattempts_and_a_reset_wipes_everything(synap):
    first = assignments_of(synap, new_group(synap, allowReattempts=False)["id"])[0]
    video = items(synap, first["id"])[0]
    ok(synap.post("/assignment-item-pulses", json=body("AssignmentItemPulse", {"seconds": 40, "positionSeconds": 30},
                                                       {"assignmentItem": one(video["type"], video["id"])})), 201)
    finish(synap, first["id"])
    errors(synap.post("/assignment-reattempts", json=body("AssignmentReattempt", {}, {"assignment": one("Assignment", first["id"])})), 403)
    ok(synap.post("/assignment-resets", json=body("AssignmentReset", {"reason": "Wrong set"}, {"assignment": one("Assignment", first["id"])})), 201)
    state = assignment(synap, first["id"])
    assert (state["status"], state["timeSpentSeconds"], state["score"], state["completedAt"]) == ("notStarted", 0, None, None)
    wiped = ok(synap.get(item_url(video)))["data"]["attributes"]
    assert (wiped["status"], wiped["timeSpentSeconds"], wiped["positionSeconds"], wiped["startedAt"]) == ("notStarted", 0, None, None)


# -- course versions ----------------------------------------------------------------------------------------------


def test_a_new_course_version_moves_unfinished_assignments_and_keeps_their_progress(synap):
    group = new_group(synap)
    done, started, untouched = assignments_of(synap, group["id"])[:3]
    finish(synap, done["id"])
    patch(synap, items(synap, started["id"])[0], {"progress": 50})
    outline = [OUTLINE[0], {"itemType": "quiz", "title": "Check", "folder": None}]
    version = ok(synap.post("/assignment-group-course-versions", json=body("AssignmentGroupCourseVersion", {"outline": outline},
                                                                           {"assignmentGroup": one("AssignmentGroup", group["id"])})), 201)["data"]
    total = group["attributes"]["assignmentCount"]
    assert (version["attributes"]["versionNumber"], version["attributes"]["upgradedCount"], version["attributes"]["isCurrent"]) == (2, total - 1, True)
    assert ok(synap.get(f"/assignment-groups/{group['id']}"))["data"]["relationships"]["courseVersion"]["data"]["id"] == version["id"]
    moved = items(synap, started["id"])
    assert [(i["type"], i["attributes"]["position"], i["attributes"]["progress"]) for i in moved] == [
        ("AssignmentItemVideo", 1, 50), ("AssignmentItemQuiz", 2, 0)]
    assert len(items(synap, untouched["id"])) == 2 and len(items(synap, done["id"])) == 3
    assert ok(synap.get(f"/assignments/{done['id']}"))["data"]["relationships"]["courseVersion"]["data"]["id"] != version["id"]
    versions = ok(synap.get("/assignment-group-course-versions", params={"limit": 10, "offset": 0, "filter[assignmentGroup]": group["id"],
                                                                         "sort": "versionNumber"}))["data"]
    assert [v["attributes"]["isCurrent"] for v in versions] == [False, True]
    same = ok(synap.post("/assignment-group-course-versions", json=body("AssignmentGroupCourseVersion", {"upgradeAssignments": False},
                                                                        {"assignmentGroup": one("AssignmentGroup", group["id"])})), 201)["data"]
    assert same["attributes"]["outline"] == outline and same["attributes"]["upgradedCount"] == 0


# -- headline insights, scorm results, exports -------------------------------------------------------------------


def test_headline_insights_add_up_the_group_and_the_assignment(synap, fresh):
    group = new_group(synap, dueAt="2020-01-01T00:00:00Z")
    every = assignments_of(synap, group["id"])
    finish(synap, every[0]["id"])
    patch(synap, items(synap, every[1]["id"])[0], {"progress": 50})
    ok(synap.post("/assignment-revocations", json=body("AssignmentRevocation", {}, {"assignment": one("Assignment", every[2]["id"])})), 201)
    insight = ok(synap.get(f"/assignment-group-headline-insights/{group['id']}"))["data"]
    attrs = insight["attributes"]
    live = len(every) - 1
    assert insight["relationships"]["assignmentGroup"]["data"] == {"type": "AssignmentGroup", "id": group["id"]}
    assert (attrs["assignmentCount"], attrs["completeCount"], attrs["inProgressCount"], attrs["revokedCount"]) == (len(every), 1, 1, 1)
    assert attrs["notStartedCount"] == live - 2 and attrs["overdueCount"] == live - 1
    assert attrs["completionRate"] == round(1 / live, 4) and attrs["averageScore"] == 90
    one_view = ok(synap.get(f"/assignment-headline-insights/{every[1]['id']}"))["data"]["attributes"]
    assert (one_view["itemCount"], one_view["completeItemCount"], one_view["isOverdue"]) == (3, 0, True)
    assert one_view["itemsByType"] == {"scorm": 1, "textEntry": 1, "video": 1}


def test_a_scorm_result_reads_the_scorm_items_runtime_data(synap):
    first = assignments_of(synap, new_group(synap)["id"])[0]
    scorm = items(synap, first["id"])[2]
    assert ok(synap.get(f"/assignment-scorm-results/{scorm['id']}"))["data"]["attributes"]["lessonStatus"] == "not attempted"
    patch(synap, scorm, {"cmi": {"cmi.location": "slide-4", "cmi.suspend_data": "x=1"}})
    result = ok(synap.get(f"/assignment-scorm-results/{scorm['id']}"))["data"]
    assert (result["attributes"]["lessonStatus"], result["attributes"]["location"], result["attributes"]["suspendData"]) == (
        "incomplete", "slide-4", "x=1")
    assert result["relationships"]["assignmentItem"]["data"] == {"type": "AssignmentItemScorm", "id": scorm["id"]}
    errors(synap.get(f"/assignment-scorm-results/{items(synap, first['id'])[0]['id']}"), 404)  # not a Scorm item
    errors(synap.get(f"/assignment-item-videos/{scorm['id']}"), 404)  # typed routes only read their kind


def test_every_item_kind_is_read_and_updated_on_its_own_route(synap):
    seeded = everything(synap, "/assignments")
    kinds = {}
    for a in seeded:
        for item in ok(synap.get(f"/assignments/{a['id']}"))["data"]["relationships"]["items"]["data"]:
            kinds.setdefault(item["type"], item)
        if len(kinds) == 11:
            break
    assert len(kinds) == 11
    for type_name, ident in kinds.items():
        shown = ok(synap.get(item_url(ident)))["data"]
        assert shown["type"] == type_name and shown["attributes"]["itemType"][0].upper() + shown["attributes"]["itemType"][1:] == type_name.removeprefix("AssignmentItem")


def test_assignment_group_data_export_completes_on_the_sandbox_clock(synap, fresh):
    fresh.clock(now="2026-04-01T12:00:00Z", frozen=True)
    group = new_group(synap)
    job = ok(synap.post("/assignment-group-data-exports", json=body("AssignmentGroupDataExport", {},
                                                                     {"assignmentGroup": one("AssignmentGroup", group["id"])})), 201)["data"]
    assert job["attributes"]["status"] == "pending"
    fresh.advance_clock(31)
    done = ok(synap.get(f"/assignment-group-data-exports/{job['id']}"))["data"]["attributes"]
    assert done["status"] == "complete" and done["fileUrl"].endswith(f"{group['id']}-{job['id']}.csv")
    errors(synap.post("/assignment-group-data-exports", json=body("AssignmentGroupDataExport", {}, {
        "assignmentGroup": one("AssignmentGroup", group["id"])}), headers=STAFF), 403)
    errors(synap.post("/assignment-group-data-exports", json=body("AssignmentGroupDataExport", {})), 400)


# -- insights ---------------------------------------------------------------------------------------------------


def test_charts_and_custom_insights_are_worked_out_from_the_store(synap):
    insights = {i["attributes"]["metric"]: i for i in everything(synap, "/custom-insights")}
    assert set(insights) == {"assignmentStatus", "examAttemptStatus", "usersByGroup", "assignmentCompletionByGroup"}
    members = ok(synap.get(f"/charts/{insights['usersByGroup']['relationships']['chart']['data']['id']}"))["data"]
    groups = {g["attributes"]["name"]: g["attributes"]["totalUsers"] for g in everything(synap, "/user-groups")
              if not g["attributes"]["isArchived"]}
    assert dict(zip(members["attributes"]["data"]["labels"], members["attributes"]["data"]["datasets"][0]["data"])) == groups
    status_chart = ok(synap.get(f"/charts/{insights['assignmentStatus']['relationships']['chart']['data']['id']}"))["data"]
    before = dict(zip(status_chart["attributes"]["data"]["labels"], status_chart["attributes"]["data"]["datasets"][0]["data"]))
    every = everything(synap, "/assignments")
    assert sum(before.values()) == len(every)
    assert insights["assignmentStatus"]["attributes"]["value"] == round(
        100 * before["complete"] / (len(every) - before["revoked"]), 2)
    group = new_group(synap)
    finish(synap, assignments_of(synap, group["id"])[0]["id"])
    after = ok(synap.get(f"/charts/{status_chart['id']}"))["data"]["attributes"]["data"]
    counts = dict(zip(after["labels"], after["datasets"][0]["data"]))
    assert counts["complete"] == before["complete"] + 1
    assert counts["notStarted"] == before["notStarted"] + group["attributes"]["assignmentCount"] - 1


def test_insights_tag_breakdowns_aggregate_the_exam_question_stats(synap):
    stats = everything(synap, "/exam-question-stats")
    rows = everything(synap, "/insights-tag-breakdowns", sort="-questionCount")
    tags = sorted({t for s in stats for t in s["attributes"]["tags"]})
    assert sorted(r["id"] for r in rows) == tags
    counts = [r["attributes"]["questionCount"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    for row in rows:
        tagged = [s["attributes"] for s in stats if row["id"] in s["attributes"]["tags"]]
        assert row["attributes"]["attemptCount"] == sum(s["attemptCount"] for s in tagged)
        assert row["attributes"]["examCount"] == len({s["relationships"]["examV2"]["data"]["id"] for s in stats
                                                      if row["id"] in s["attributes"]["tags"]})
    page = ok(synap.get("/insights-tag-breakdowns", params={"limit": 2, "offset": 1}))
    assert page["meta"]["total"] == len(tags) and len(page["data"]) == 2
