"""Synap revision: studies of a learner's own study items, added and removed as a relationship."""

from __future__ import annotations

from synap_helpers import body, errors, everything, many, ok, one

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}


def study_item(synap, title=None, headers=None, **links) -> dict:
    attributes = {"title": title} if title else {}
    return ok(synap.post("/study-items", json=body("StudyItem", attributes, links or None), headers=headers), 201)["data"]


def new_study(synap, title="Cells", headers=None, **links) -> dict:
    return ok(synap.post("/studies", json=body("Study", {"title": title}, links or None), headers=headers), 201)["data"]


def listed(synap, path, headers=None, **params) -> list[dict]:
    return ok(synap.get(path, params={"limit": 1000, "offset": 0, **params}, headers=headers))["data"]


def staff_id(synap) -> str:
    return ok(synap.get("/users", params={"limit": 1, "offset": 0, "filter[emailAddress]": "marker@demo-academy.synap.example"}))["data"][0]["id"]


def test_study_items_belong_to_their_creator_and_default_from_what_they_revise(synap, fresh):
    fresh.clock(now="2026-04-01T12:00:00Z", frozen=True)
    course_item = everything(synap, "/course-item-videos")[0]
    mine = study_item(synap, headers=STAFF, courseItem=one("CourseItemVideo", course_item["id"]))
    assert mine["attributes"]["title"] == course_item["attributes"]["title"]
    assert mine["attributes"]["dueAt"] == "2026-04-01T12:00:00Z" and mine["attributes"]["timesReviewed"] == 0
    assert mine["relationships"]["user"]["data"]["id"] == staff_id(synap)
    # the course item goes; the study item keeps its title and loses the link
    assert synap.delete(f"/course-item-videos/{course_item['id']}").status_code == 204
    kept = ok(synap.get(f"/study-items/{mine['id']}", headers=STAFF))["data"]
    assert kept["relationships"]["courseItem"]["data"] is None and kept["attributes"]["title"] == course_item["attributes"]["title"]
    errs = errors(synap.post("/study-items", json=body("StudyItem", {"note": "nothing to revise"})), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/title"}
    # someone else's item is invisible to a non-admin; an admin sees it
    admins = study_item(synap, "Admin's card")
    errors(synap.get(f"/study-items/{admins['id']}", headers=STAFF), 404)
    errors(synap.delete(f"/study-items/{admins['id']}", headers=STAFF), 404)
    assert ok(synap.get(f"/study-items/{mine['id']}"))["data"]["id"] == mine["id"]
    # only an admin creates for someone else
    admin_id = admins["relationships"]["user"]["data"]["id"]
    errors(synap.post("/study-items", json=body("StudyItem", {"title": "x"}, {"user": one("User", admin_id)}), headers=STAFF), 403)
    for_staff = study_item(synap, "For Sam", user=one("User", staff_id(synap)))
    assert ok(synap.get(f"/study-items/{for_staff['id']}", headers=STAFF))["data"]["attributes"]["title"] == "For Sam"


def test_add_and_remove_study_items_change_the_study_and_its_counts(synap, fresh):
    fresh.clock(now="2026-04-01T12:00:00Z", frozen=True)
    items = [study_item(synap, f"Card {n}", headers=STAFF) for n in (1, 2, 3)]
    study = new_study(synap, headers=STAFF)
    url = f"/studies/{study['id']}/relationships/studyItems"
    added = ok(synap.post(url, json=many("StudyItem", items[0]["id"], items[1]["id"]), headers=STAFF))
    assert [i["id"] for i in added["data"]] == [items[0]["id"], items[1]["id"]]
    ok(synap.post(url, json=many("StudyItem", items[1]["id"], items[2]["id"]), headers=STAFF))  # no duplicates
    shown = ok(synap.get(f"/studies/{study['id']}", headers=STAFF))["data"]
    assert [i["id"] for i in shown["relationships"]["studyItems"]["data"]] == [i["id"] for i in items]
    assert shown["attributes"]["itemCount"] == 3 and shown["attributes"]["dueCount"] == 3
    ok(synap.delete(url, json=many("StudyItem", items[0]["id"]), headers=STAFF))
    shown = ok(synap.get(f"/studies/{study['id']}", headers=STAFF))["data"]
    assert [i["id"] for i in shown["relationships"]["studyItems"]["data"]] == [items[1]["id"], items[2]["id"]]
    assert ok(synap.get(f"/study-items/{items[0]['id']}", headers=STAFF))["data"]["id"] == items[0]["id"]  # still there
    # deleting an item takes it out of the study
    assert synap.delete(f"/study-items/{items[2]['id']}", headers=STAFF).status_code == 204
    assert ok(synap.get(f"/studies/{study['id']}", headers=STAFF))["data"]["attributes"]["itemCount"] == 1
    # another user's item is a 400 at its place; another user's study is a 404
    foreign = study_item(synap, "Admin card")
    errs = errors(synap.post(url, json=many("StudyItem", items[0]["id"], foreign["id"]), headers=STAFF), 400)
    assert errs[0]["source"] == {"pointer": "/data/1"}
    errors(synap.post(f"/studies/{new_study(synap)['id']}/relationships/studyItems",
                      json=many("StudyItem", items[0]["id"]), headers=STAFF), 404)


def test_completing_a_study_stamps_it_and_freezes_its_items(synap, fresh):
    fresh.clock(now="2026-04-02T08:00:00Z", frozen=True)
    item = study_item(synap, "Card")
    study = new_study(synap, studyItems=many("StudyItem", item["id"]))
    url = f"/studies/{study['id']}"
    done = ok(synap.patch(url, json=body("Study", {"status": "completed"}, id=study["id"])))["data"]
    assert done["attributes"]["completedAt"] == "2026-04-02T08:00:00Z"
    errors(synap.delete(f"{url}/relationships/studyItems", json=many("StudyItem", item["id"])), 409)
    again = ok(synap.patch(url, json=body("Study", {"status": "active"}, id=study["id"])))["data"]
    assert again["attributes"]["completedAt"] is None
    ok(synap.delete(f"{url}/relationships/studyItems", json=many("StudyItem", item["id"])))


def test_due_counts_follow_the_sandbox_clock(synap, fresh):
    fresh.clock(now="2026-04-01T00:00:00Z", frozen=True)
    later = ok(synap.post("/study-items", json=body("StudyItem", {"title": "Later", "dueAt": "2026-04-03T00:00:00Z"})), 201)["data"]
    study = new_study(synap, studyItems=many("StudyItem", later["id"]))
    assert ok(synap.get(f"/studies/{study['id']}"))["data"]["attributes"]["dueCount"] == 0
    fresh.clock(now="2026-04-03T00:00:01Z", frozen=True)
    assert ok(synap.get(f"/studies/{study['id']}"))["data"]["attributes"]["dueCount"] == 1


def test_lists_show_a_learner_only_their_own_studies_and_summaries(synap):
    mine = staff_id(synap)
    for path in ("/studies", "/question-summaries"):
        theirs = listed(synap, path, STAFF)
        assert theirs and all(r["relationships"]["user"]["data"]["id"] == mine for r in theirs)
        assert len(everything(synap, path)) > len(theirs)  # an admin sees everyone's
    summary = listed(synap, "/question-summaries", STAFF)[0]["attributes"]
    assert summary["accuracy"] == round(summary["timesCorrect"] / summary["timesAnswered"], 4)
