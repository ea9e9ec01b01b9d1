"""Synap courses: folders and items of every kind on one table, their order and how it moves."""

from __future__ import annotations

from synap_helpers import body, errors, everything, many, ok, one

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}


def new_course(synap, title="Cell Biology", **attrs) -> dict:
    return ok(synap.post("/courses", json=body("Course", {"title": title, **attrs})), 201)["data"]


def new_folder(synap, course, title) -> dict:
    return ok(synap.post("/course-folders", json=body("CourseFolder", {"title": title},
                                                      {"course": one("Course", course["id"])})), 201)["data"]


def new_item(synap, path, type_name, title, course=None, folder=None, **attrs) -> dict:
    links = {}
    if course:
        links["course"] = one("Course", course["id"])
    if folder:
        links["folder"] = one("CourseFolder", folder["id"])
    return ok(synap.post(path, json=body(type_name, {"title": title, **attrs}, links)), 201)["data"]


def note(synap, title, course=None, folder=None) -> dict:
    return new_item(synap, "/course-item-notes", "CourseItemNote", title, course, folder, content="<p>Hi</p>")


def ids(linkage: dict) -> list[str]:
    return [i["id"] for i in linkage["data"]]


def course_links(synap, course) -> dict:
    return ok(synap.get(f"/courses/{course['id']}"))["data"]["relationships"]


def test_typed_items_share_one_table_told_apart_by_item_type(synap):
    course = new_course(synap)
    video = new_item(synap, "/course-item-videos", "CourseItemVideo", "Mitosis", course,
                     url="https://videos.example/mitosis", provider="youtube", durationSeconds=300)
    quiz = new_item(synap, "/course-item-quizzes", "CourseItemQuiz", "Check-up", course, passMark=70)
    assert video["type"] == "CourseItemVideo" and video["attributes"]["itemType"] == "video"
    assert video["attributes"]["provider"] == "youtube" and video["attributes"]["position"] == 1
    assert quiz["attributes"]["itemType"] == "quiz" and quiz["attributes"]["position"] == 2
    # each typed route shows only its kind: a video is not a quiz
    errors(synap.get(f"/course-item-quizzes/{video['id']}"), 404)
    errors(synap.patch(f"/course-item-quizzes/{video['id']}", json=body("CourseItemQuiz", {"title": "x"}, id=video["id"])), 404)
    errors(synap.delete(f"/course-item-quizzes/{video['id']}"), 404)
    # the generic list holds both (as CourseItem), the "Use Generic" lists one kind each
    generic = everything(synap, "/course-items", **{"filter[course]": course["id"], "sort": "position"})
    assert [(i["type"], i["attributes"]["itemType"], i["id"]) for i in generic] == [
        ("CourseItem", "video", video["id"]), ("CourseItem", "quiz", quiz["id"])]
    videos = everything(synap, "/course-item-videos", **{"filter[course]": course["id"]})
    assert [(i["type"], i["id"]) for i in videos] == [("CourseItemVideo", video["id"])]
    assert all(i["attributes"]["itemType"] == "video" for i in everything(synap, "/course-item-videos"))
    assert everything(synap, "/course-items", **{"filter[itemType]": "zip", "filter[course]": course["id"]}) == []
    # a kind's own attributes are its own; itemType cannot be rewritten by a client
    updated = ok(synap.patch(f"/course-item-videos/{video['id']}", json=body(
        "CourseItemVideo", {"durationSeconds": 320, "itemType": "quiz"}, id=video["id"])))["data"]
    assert updated["attributes"]["durationSeconds"] == 320 and updated["attributes"]["itemType"] == "video"
    included = ok(synap.get(f"/courses/{course['id']}", params={"include": "items"}))["included"]
    assert {(r["type"], r["id"]) for r in included} == {("CourseItemVideo", video["id"]), ("CourseItemQuiz", quiz["id"])}


def test_course_counts_and_links_follow_its_folders_and_items(synap, fresh):
    fresh.clock(now="2026-03-01T09:00:00Z", frozen=True)
    course = new_course(synap)
    assert course["attributes"]["status"] == "draft" and course["attributes"]["publishedAt"] is None
    assert course["attributes"]["createdAt"] == "2026-03-01T09:00:00Z"
    assert course["relationships"]["owner"]["data"]["type"] == "User"
    week1, week2 = new_folder(synap, course, "Week 1"), new_folder(synap, course, "Week 2")
    assert (week1["attributes"]["position"], week2["attributes"]["position"]) == (1, 2)
    a = note(synap, "A", course)
    b = note(synap, "B", folder=week1)  # the folder says which course
    assert b["relationships"]["course"]["data"] == {"type": "Course", "id": course["id"]}
    assert b["attributes"]["position"] == 1
    links = course_links(synap, course)
    assert ids(links["folders"]) == [week1["id"], week2["id"]]
    assert links["items"]["data"] == [{"type": "CourseItemNote", "id": a["id"]}]  # top level only
    shown = ok(synap.get(f"/courses/{course['id']}"))["data"]["attributes"]
    assert (shown["folderCount"], shown["itemCount"]) == (2, 2)
    assert ok(synap.get(f"/course-folders/{week1['id']}"))["data"]["attributes"]["itemCount"] == 1
    # publishing needs an item and stamps publishedAt once
    empty = new_course(synap, "Empty")
    errs = errors(synap.patch(f"/courses/{empty['id']}", json=body("Course", {"status": "published"}, id=empty["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/status"}
    fresh.clock(now="2026-03-02T09:00:00Z", frozen=True)
    published = ok(synap.patch(f"/courses/{course['id']}", json=body("Course", {"status": "published"}, id=course["id"])))
    assert published["data"]["attributes"]["publishedAt"] == "2026-03-02T09:00:00Z"
    errors(synap.post("/courses", json=body("Course", {"title": "Straight to live", "status": "published"})), 400)


def test_items_and_folders_need_a_course_of_their_own(synap):
    course, other = new_course(synap), new_course(synap, "Other")
    folder = new_folder(synap, other, "Elsewhere")
    errs = errors(synap.post("/course-item-notes", json=body("CourseItemNote", {"title": "Lost"})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/course"}
    errs = errors(synap.post("/course-item-notes", json=body("CourseItemNote", {"title": "Mixed"}, {
        "course": one("Course", course["id"]), "folder": one("CourseFolder", folder["id"])})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/folder"}
    errors(synap.post("/course-folders", json=body("CourseFolder", {"title": "Orphan"})), 400)
    errors(synap.post("/course-item-notes", json=body("CourseItemNote", {"title": "x"}, {"course": one("Course", "nope")})), 404)
    # an item moves only through the folder/reorder endpoints, not by PATCHing its links
    item = note(synap, "Stay", course)
    errors(synap.patch(f"/course-item-notes/{item['id']}", json=body("CourseItemNote", {}, {
        "folder": one("CourseFolder", folder["id"])}, id=item["id"])), 400)
    assert ok(synap.get(f"/course-item-notes/{item['id']}"))["data"]["relationships"]["folder"]["data"] is None
    # kind rules: an embed needs something to embed, a text entry's word limits make sense
    errs = errors(synap.post("/course-item-embeds", json=body("CourseItemEmbed", {"title": "Blank"},
                                                              {"course": one("Course", course["id"])})), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/url"}
    entry = new_item(synap, "/course-item-text-entries", "CourseItemTextEntry", "Essay", course, minWords=100, maxWords=500)
    errs = errors(synap.patch(f"/course-item-text-entries/{entry['id']}", json=body(
        "CourseItemTextEntry", {"minWords": 600}, id=entry["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/minWords"}


def test_reorder_course_folders_and_items_show_in_later_reads(synap):
    course = new_course(synap)
    folders = [new_folder(synap, course, f"Part {n}") for n in (1, 2, 3)]
    items = [note(synap, f"Note {n}", course) for n in (1, 2, 3)]
    in_folder = note(synap, "Inside", folder=folders[0])
    wanted = [folders[2]["id"], folders[0]["id"], folders[1]["id"]]
    answer = ok(synap.patch(f"/courses/{course['id']}/relationships/folders", json=many("CourseFolder", *wanted)))
    assert ids(answer) == wanted
    assert ids(course_links(synap, course)["folders"]) == wanted
    assert ok(synap.get(f"/course-folders/{folders[2]['id']}"))["data"]["attributes"]["position"] == 1
    listed = everything(synap, "/course-folders", **{"filter[course]": course["id"], "sort": "position"})
    assert [f["id"] for f in listed] == wanted

    url = f"/courses/{course['id']}/relationships/items"
    order = [items[1]["id"], items[2]["id"], items[0]["id"]]
    ok(synap.patch(url, json=many("CourseItemNote", *order)))
    assert ids(course_links(synap, course)["items"]) == order
    generic = everything(synap, "/course-items", **{"filter[course]": course["id"], "sort": "position"})
    assert [i["id"] for i in generic if i["relationships"]["folder"]["data"] is None] == order

    # not a member (an item inside a folder, or a folder of another course), or one left out: 400, nothing moves
    errs = errors(synap.patch(url, json=many("CourseItemNote", *order, in_folder["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/3"}
    errs = errors(synap.patch(url, json=many("CourseItemNote", order[0], order[1])), 400)
    assert errs[0]["source"] == {"pointer": "/data"}
    stranger = new_folder(synap, new_course(synap, "Other"), "Not yours")
    errors(synap.patch(f"/courses/{course['id']}/relationships/folders",
                       json=many("CourseFolder", *wanted, stranger["id"])), 400)
    errs = errors(synap.patch(url, json={"data": [{"type": "CourseItemVideo", "id": i} for i in order]}), 400)
    assert errs[0]["source"] == {"pointer": "/data/0/type"}
    assert ids(course_links(synap, course)["items"]) == order
    errors(synap.patch(url, json=many("CourseItemNote", *reversed(order)), headers=STAFF), 403)


def test_update_course_folder_items_moves_items_in_and_out(synap):
    course = new_course(synap)
    week1, week2 = new_folder(synap, course, "Week 1"), new_folder(synap, course, "Week 2")
    top = [note(synap, f"Top {n}", course) for n in (1, 2, 3)]
    w2 = [note(synap, f"W2 {n}", folder=week2) for n in (1, 2)]
    old = note(synap, "Old", folder=week1)
    url = f"/course-folders/{week1['id']}/relationships/items"
    wanted = [w2[1]["id"], top[0]["id"]]
    answer = ok(synap.patch(url, json={"data": [{"type": "CourseItemNote", "id": i} for i in wanted]}))
    assert ids(answer) == wanted
    folder = ok(synap.get(f"/course-folders/{week1['id']}"))["data"]
    assert ids(folder["relationships"]["items"]) == wanted and folder["attributes"]["itemCount"] == 2
    moved = ok(synap.get(f"/course-item-notes/{w2[1]['id']}"))["data"]
    assert moved["relationships"]["folder"]["data"]["id"] == week1["id"] and moved["attributes"]["position"] == 1
    # the sources close up; what left the folder goes to the end of the top level
    assert ids(ok(synap.get(f"/course-folders/{week2['id']}"))["data"]["relationships"]["items"]) == [w2[0]["id"]]
    assert ok(synap.get(f"/course-item-notes/{w2[0]['id']}"))["data"]["attributes"]["position"] == 1
    assert ids(course_links(synap, course)["items"]) == [top[1]["id"], top[2]["id"], old["id"]]
    assert [ok(synap.get(f"/course-item-notes/{i}"))["data"]["attributes"]["position"]
            for i in (top[1]["id"], top[2]["id"], old["id"])] == [1, 2, 3]
    # emptying the folder puts its items back on the top level
    ok(synap.patch(url, json={"data": []}))
    assert ok(synap.get(f"/course-folders/{week1['id']}"))["data"]["attributes"]["itemCount"] == 0
    assert len(course_links(synap, course)["items"]["data"]) == 5
    # an item of another course is refused
    foreign = note(synap, "Foreign", new_course(synap, "Other"))
    errs = errors(synap.patch(url, json=many("CourseItemNote", foreign["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/0"}


def test_deleting_closes_gaps_and_cascades(synap):
    course = new_course(synap)
    folders = [new_folder(synap, course, f"F{n}") for n in (1, 2)]
    items = [note(synap, f"N{n}", folder=folders[0]) for n in (1, 2, 3)]
    assert synap.delete(f"/course-item-notes/{items[0]['id']}").status_code == 204
    assert [ok(synap.get(f"/course-item-notes/{i['id']}"))["data"]["attributes"]["position"] for i in items[1:]] == [1, 2]
    assert synap.delete(f"/course-folders/{folders[0]['id']}").status_code == 204
    errors(synap.get(f"/course-item-notes/{items[1]['id']}"), 404)  # went with its folder
    assert ok(synap.get(f"/course-folders/{folders[1]['id']}"))["data"]["attributes"]["position"] == 1
    top = note(synap, "Top", course)
    assert synap.delete(f"/courses/{course['id']}").status_code == 204
    errors(synap.get(f"/course-folders/{folders[1]['id']}"), 404)
    errors(synap.get(f"/course-item-notes/{top['id']}"), 404)
    assert everything(synap, "/course-items", **{"filter[course]": course["id"]}) == []


def test_an_archived_course_content_is_read_only_and_staff_only_read(synap):
    course = new_course(synap)
    folder = new_folder(synap, course, "Frozen")
    item = note(synap, "Frozen note", course)
    ok(synap.patch(f"/courses/{course['id']}", json=body("Course", {"status": "archived"}, id=course["id"])))
    errors(synap.post("/course-folders", json=body("CourseFolder", {"title": "Late"}, {"course": one("Course", course["id"])})), 409)
    errors(synap.patch(f"/course-item-notes/{item['id']}", json=body("CourseItemNote", {"title": "Edit"}, id=item["id"])), 409)
    errors(synap.delete(f"/course-folders/{folder['id']}"), 409)
    errors(synap.patch(f"/course-folders/{folder['id']}/relationships/items", json=many("CourseItemNote", item["id"])), 409)
    ok(synap.patch(f"/courses/{course['id']}", json=body("Course", {"status": "draft"}, id=course["id"])))
    ok(synap.patch(f"/course-folders/{folder['id']}/relationships/items", json=many("CourseItemNote", item["id"])))
    assert ok(synap.get(f"/courses/{course['id']}", headers=STAFF))["data"]["id"] == course["id"]
    errors(synap.post("/courses", json=body("Course", {"title": "Mine"}), headers=STAFF), 403)
    errors(synap.delete(f"/course-item-notes/{item['id']}", headers=STAFF), 403)


def test_the_seeded_courses_are_laid_out_consistently(synap):
    items = everything(synap, "/course-items")
    assert {i["attributes"]["itemType"] for i in items} == {
        "audio", "document", "embed", "note", "quiz", "scorm", "survey", "textEntry", "upload", "video", "zip"}
    containers: dict = {}
    for i in items:
        folder = i["relationships"]["folder"]["data"]
        key = (i["relationships"]["course"]["data"]["id"], folder["id"] if folder else None)
        containers.setdefault(key, []).append(i["attributes"]["position"])
    assert all(sorted(p) == list(range(1, len(p) + 1)) for p in containers.values())
    course_id = items[0]["relationships"]["course"]["data"]["id"]
    course = ok(synap.get(f"/courses/{course_id}"))["data"]
    assert course["attributes"]["itemCount"] == sum(1 for i in items if i["relationships"]["course"]["data"]["id"] == course_id)


LISTS = {  # every list of the three groups, with every relationship included
    "/course-items": "course,folder", "/course-folders": "course,items", "/course-item-quizzes": "course,folder,quiz",
    "/studies": "user,studyItems.courseItem,course,collection", "/question-summaries": "user,study,question,quiz",
    "/mobile-attempts": "user,quiz,mobileCollectionItem,responses", "/mobile-responses": "user,mobileAttempt,question",
    "/mobile-collections": "user,collection,items", "/mobile-collection-items": "user,mobileCollection,collectionItem",
}


def test_every_seeded_list_renders_with_its_relationships_included(synap):
    for path, include in LISTS.items():
        document = ok(synap.get(path, params={"limit": 50, "offset": 0, "include": include}))
        assert document["data"], path
        first = document["data"][0]
        if path == "/question-summaries":  # list only
            continue
        if path == "/course-items":  # the generic list has no show: each item shows at its typed route
            path = "/course-item-" + first["attributes"]["itemType"] + "s"
        assert ok(synap.get(f"{path}/{first['id']}"))["data"]["id"] == first["id"]
