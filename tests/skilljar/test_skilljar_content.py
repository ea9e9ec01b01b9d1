"""Skilljar content: assets, web packages, lessons and content items, and learner progress."""

from __future__ import annotations

import json
import re

import pytest

from skilljar_oracle import check, needs_oracle
from skilljar_helpers import D, DEMO_EMAIL, demo_user, enroll, everything, ok


def a_course(sj):
    return ok(sj.get("/courses", params={"page_size": 1}))["results"][0]


def new_lesson(sj, course_id, **extra):
    body = {"course_id": course_id, "order": 999, "title": "Extra lesson", "type": "HTML", **extra}
    return sj.post("/lessons", json=body)


def enrolled_course(sj):
    """(user id, published course) for a fresh enrollment of the demo learner."""
    user = demo_user(sj)
    published = everything(sj, f"/domains/{D}/published-courses")
    mine = {p["published_course_id"] for p in ok(sj.get(f"/users/{user['id']}/published-courses"))}
    target = next(p for p in published if p["id"] not in mine and 3 <= p["course"]["required_lesson_count"] <= 8)
    ok(enroll(sj, user["id"], target["id"]), 201)
    return user["id"], target


# -- assets ---------------------------------------------------------------------------------------


@needs_oracle
def test_an_uploaded_asset_reads_back_with_a_one_hour_signed_download_url(sj, fresh):
    created = sj.post("/assets", json={"content_url": "https://files.example.com/v/intro.mp4", "asset": {"sync_completion": True}})
    check(created, "POST", "/assets")
    body = ok(created, 201)
    assert body["name"] == "intro.mp4" and body["type"] == "VIDEO_BOTR" and body["aspect_ratio"] == "16:9"
    assert body["sync_completion"] is True and "download_url" not in body
    one = sj.get(f"/assets/{body['id']}")
    check(one, "GET", "/assets/{asset_id}")
    url = ok(one)["download_url"]
    expires = int(re.search(r"Expires=(\d+)&Signature=\w+", url).group(1))
    now = fresh.clock()["now"]
    from mockserver.clock import parse
    assert expires == int(parse(now).timestamp()) + 3600 or abs(expires - parse(now).timestamp() - 3600) < 5
    listed = sj.get("/assets", params={"page_size": 1000})
    check(listed, "GET", "/assets")
    row = next(a for a in ok(listed)["results"] if a["id"] == body["id"])
    assert "download_url" not in row and row["name"] == "intro.mp4"


def test_an_embed_link_asset_takes_its_settings_and_has_no_download_url(sj):
    body = ok(sj.post("/assets", json={"asset": {"name": "Player", "embed_link_url": "https://player.example.com/e/1",
                                                 "aspect_ratio": "4:3"}}), 201)
    one = ok(sj.get(f"/assets/{body['id']}"))
    assert one["name"] == "Player" and one["aspect_ratio"] == "4:3" and one["embed_link_url"] == "https://player.example.com/e/1"
    assert "download_url" not in one and one["sync_completion"] is False


def test_an_asset_needs_a_content_url_or_an_embed_link(sj):
    response = sj.post("/assets", json={"asset": {"name": "nothing"}})
    assert response.status_code == 400 and "content_url" in response.json()


def test_an_unknown_asset_is_a_404(sj):
    assert sj.get("/assets/nope").status_code == 404


# -- web packages ---------------------------------------------------------------------------------


@needs_oracle
def test_a_web_package_processes_for_30_seconds_then_is_ready(sj, fresh):
    fresh.clock(frozen=True)
    created = sj.post("/web-packages", json={"content_url": "https://files.example.com/course-scorm2004.zip",
                                             "web_package": {"title": "Module 1"}})
    check(created, "POST", "/web-packages")
    body = ok(created, 201)
    assert body["state"] == "PROCESSING" and "type" not in body and "download_url" not in body
    assert body["redirect_on_completion"] is True and body["sync_completion"] is False
    assert "download_url" not in ok(sj.get(f"/web-packages/{body['id']}"))
    fresh.advance_clock(31)
    ready = sj.get(f"/web-packages/{body['id']}")
    check(ready, "GET", "/web-packages/{web_package_id}")
    ready = ok(ready)
    assert ready["state"] == "READY" and ready["type"] == "SCORM_2004" and "Signature=" in ready["download_url"]
    listed = sj.get("/web-packages", params={"page_size": 1000})
    check(listed, "GET", "/web-packages")
    row = next(p for p in ok(listed)["results"] if p["id"] == body["id"])
    assert row["state"] == "READY" and "download_url" not in row


def test_a_web_package_needs_a_title(sj):
    assert sj.post("/web-packages", json={"content_url": "https://x.example.com/a.zip", "web_package": {}}).status_code == 400


def test_an_unknown_web_package_is_a_404(sj):
    assert sj.get("/web-packages/nope").status_code == 404


@needs_oracle
def test_replacing_a_web_package_moves_every_lesson_that_used_it(sj):
    course = a_course(sj)
    old = ok(sj.post("/web-packages", json={"content_url": "https://x.example.com/a.zip", "web_package": {"title": "A"}}), 201)
    new = ok(sj.post("/web-packages", json={"content_url": "https://x.example.com/b.zip", "web_package": {"title": "B"}}), 201)
    lesson = ok(new_lesson(sj, course["id"], type="WEB_PACKAGE", content_web_package_id=old["id"]), 201)
    response = sj.put(f"/web-packages/{old['id']}/lessons", json={"web_package_id": new["id"]})
    check(response, "PUT", "/web-packages/{web_package_id}/lessons")
    assert response.status_code == 200
    moved = next(x for x in everything(sj, "/lessons", course_id=course["id"]) if x["id"] == lesson["id"])
    assert moved["content_web_package_id"] == new["id"]
    assert sj.put(f"/web-packages/{old['id']}/lessons", json={"web_package_id": "nope"}).status_code == 400
    assert sj.put("/web-packages/nope/lessons", json={"web_package_id": new["id"]}).status_code == 404


# -- lessons --------------------------------------------------------------------------------------


@needs_oracle
def test_a_course_lists_its_seeded_lessons_in_order_matching_its_lesson_count(sj):
    course = a_course(sj)
    listed = sj.get("/lessons", params={"course_id": course["id"], "page_size": 1000})
    check(listed, "GET", "/lessons")
    lessons = ok(listed)["results"]
    published = next(p for p in everything(sj, f"/domains/{D}/published-courses") if p["course"]["id"] == course["id"])
    assert len(lessons) == published["course"]["lesson_count"] > 0
    assert sum(not x["optional"] for x in lessons) == published["course"]["required_lesson_count"]
    assert [x["order"] for x in lessons] == sorted(x["order"] for x in lessons)
    assert all(x["course_id"] == course["id"] for x in lessons)


def test_lessons_need_a_known_course(sj):
    assert sj.get("/lessons").status_code == 400
    assert sj.get("/lessons", params={"course_id": "nope"}).status_code == 404


@needs_oracle
def test_a_new_lesson_reads_back_and_counts_in_its_course(sj):
    course = a_course(sj)
    before = ok(sj.get("/lessons", params={"course_id": course["id"]}))["count"]
    created = new_lesson(sj, course["id"], description_html="<p>d</p>")
    check(created, "POST", "/lessons")
    lesson = ok(created, 201)
    assert lesson["content_html"] == "" and lesson["optional"] is False and lesson["content_asset_id"] is None
    listed = ok(sj.get("/lessons", params={"course_id": course["id"], "page_size": 1000}))
    assert listed["count"] == before + 1 and listed["results"][-1]["id"] == lesson["id"]
    published = next(p for p in everything(sj, f"/domains/{D}/published-courses") if p["course"]["id"] == course["id"])
    assert published["course"]["lesson_count"] == before + 1


@pytest.mark.parametrize("extra, field", [({"course_id": "nope"}, "course_id"), ({"type": "ASSET"}, "content_asset_id"),
                                          ({"type": "ASSET", "content_asset_id": "nope"}, "content_asset_id"),
                                          ({"type": "WEB_PACKAGE", "content_web_package_id": "nope"}, "content_web_package_id")])
def test_a_lesson_with_bad_references_is_a_400_on_the_field(sj, extra, field):
    response = new_lesson(sj, extra.pop("course_id", a_course(sj)["id"]), **extra)
    assert response.status_code == 400 and field in response.json()


@needs_oracle
def test_put_and_patch_update_a_lesson_partially(sj):
    course = a_course(sj)
    lesson = ok(new_lesson(sj, course["id"]), 201)
    patched = sj.patch(f"/lessons/{lesson['id']}", json={"title": "Renamed", "optional": True})
    check(patched, "PATCH", "/lessons/{lesson_id}")
    put = sj.put(f"/lessons/{lesson['id']}", json={"time_seconds": 120})
    check(put, "PUT", "/lessons/{lesson_id}")
    body = ok(put)
    assert body["title"] == "Renamed" and body["optional"] is True and body["time_seconds"] == 120
    stored = next(x for x in everything(sj, "/lessons", course_id=course["id"]) if x["id"] == lesson["id"])
    assert stored == body
    assert sj.patch("/lessons/nope", json={"title": "x"}).status_code == 404
    assert sj.patch(f"/lessons/{lesson['id']}", json={"type": "ASSET"}).status_code == 400


# -- content items --------------------------------------------------------------------------------


@needs_oracle
def test_content_items_are_created_listed_in_order_and_updated(sj):
    lesson = ok(new_lesson(sj, a_course(sj)["id"], type="MODULAR"), 201)
    asset = ok(sj.post("/assets", json={"content_url": "https://x.example.com/a.pdf"}), 201)
    base = f"/lessons/{lesson['id']}/content-items"
    second = sj.post(base, json={"header": "Read", "order": 2, "type": "ASSET", "content_asset_id": asset["id"]})
    check(second, "POST", "/lessons/{lesson_id}/content-items")
    first = ok(sj.post(base, json={"header": "Intro", "order": 1, "type": "HTML", "content_html": "<p>hi</p>"}), 201)
    listed = sj.get(base)
    check(listed, "GET", "/lessons/{lesson_id}/content-items")
    assert [i["id"] for i in ok(listed)["results"]] == [first["id"], ok(second, 201)["id"]]
    assert ok(listed)["results"][1]["content_asset_id"] == asset["id"]
    one = f"{base}/{first['id']}"
    patched = sj.patch(one, json={"order": 3})
    check(patched, "PATCH", "/lessons/{lesson_id}/content-items/{lesson_content_item_id}")
    put = sj.put(one, json={"header": "Outro"})
    check(put, "PUT", "/lessons/{lesson_id}/content-items/{lesson_content_item_id}")
    assert ok(put)["header"] == "Outro" and ok(put)["order"] == 3 and ok(put)["lesson_id"] == lesson["id"]
    assert [i["header"] for i in ok(sj.get(base))["results"]] == ["Read", "Outro"]


def test_content_item_errors(sj):
    lesson = ok(new_lesson(sj, a_course(sj)["id"], type="MODULAR"), 201)
    base = f"/lessons/{lesson['id']}/content-items"
    assert sj.get("/lessons/nope/content-items").status_code == 404
    assert sj.post("/lessons/nope/content-items", json={"header": "h", "order": 1, "type": "HTML"}).status_code == 404
    bad = sj.post(base, json={"header": "h", "order": 1, "type": "ASSET", "content_asset_id": "nope"})
    assert bad.status_code == 400 and "content_asset_id" in bad.json()
    assert "type" in sj.post(base, json={"header": "h", "order": 1, "type": "RATING"}).json()
    assert sj.post(base, json={"order": 1, "type": "HTML"}).status_code == 400
    assert sj.patch(f"{base}/nope", json={"order": 2}).status_code == 404


# -- progress -------------------------------------------------------------------------------------


@needs_oracle
def test_a_users_published_courses_are_a_bare_array_with_progress(sj):
    user, published = enrolled_course(sj)
    listed = sj.get(f"/users/{user}/published-courses")
    check(listed, "GET", "/users/{user_id}/published-courses")
    entry = next(p for p in ok(listed) if p["published_course_id"] == published["id"])
    assert entry["domain_name"] == D and entry["course"]["id"] == published["course"]["id"]
    assert entry["course_progress"]["completed_lesson_count"] == 0 and entry["course_progress"]["completed_at"] is None
    assert entry["all_enrollments"][0]["enrollment_id"] == entry["enrollment_id"]
    assert sj.get("/users/nope/published-courses").status_code == 404


@needs_oracle
def test_completing_lessons_completes_the_course_and_counts_for_the_user(sj, fresh):
    ok(sj.post("/webhooks", json={"target_url": "http://127.0.0.1:9/hook"}), 201)
    user, published = enrolled_course(sj)
    base = f"/users/{user}/published-courses/{published['id']}/lessons"
    listed = sj.get(base)
    check(listed, "GET", "/users/{user_id}/published-courses/{published_course_id}/lessons")
    rows = ok(listed)["results"]
    required = [r for r, lesson in zip(rows, everything(sj, "/lessons", course_id=published["course"]["id"]))
                if not lesson["optional"]]
    completions = ok(sj.get("/users", params={"email": DEMO_EMAIL}))["results"][0]["completion_count"]
    for n, row in enumerate(required):
        path = f"{base}/{row['lesson']['id']}"
        response = (sj.put if n % 2 else sj.patch)(path, json={"lesson_progress": {"completed_at": "2026-01-02T03:04:05Z"}})
        check(response, "PUT" if n % 2 else "PATCH", "/users/{user_id}/published-courses/{published_course_id}/lessons/{lesson_id}")
        assert ok(response)["lesson_progress"]["completed_at"] == "2026-01-02T03:04:05Z"
    entry = next(p for p in ok(sj.get(f"/users/{user}/published-courses")) if p["published_course_id"] == published["id"])
    assert entry["course_progress"]["completed_required_lesson_count"] == len(required)
    assert entry["course_progress"]["completed_at"] == "2026-01-02T03:04:05Z" and entry["certificate"]["code"]
    after = ok(sj.get("/users", params={"email": DEMO_EMAIL}))["results"][0]["completion_count"]
    assert after == completions + 1
    assert sj.patch(f"{base}/nope", json={"lesson_progress": {"completed_at": None}}).status_code == 404
    events = [d["event"] for d in fresh.webhooks(vendor="skilljar")]
    assert events.count("LESSON_COMPLETION") == len(required) and events.count("COURSE_COMPLETION") == 1


@needs_oracle
def test_course_progress_is_completed_and_uncompleted_directly(sj):
    user, published = enrolled_course(sj)
    path = f"/users/{user}/published-courses/{published['id']}"
    count = lambda: ok(sj.get("/users", params={"email": DEMO_EMAIL}))["results"][0]["completion_count"]  # noqa: E731
    before = count()
    done = sj.put(path, json={"course_progress": {"completed_at": "2026-02-01T00:00:00Z", "success_status": "PASSED", "score": 90}})
    check(done, "PUT", "/users/{user_id}/published-courses/{published_course_id}")
    assert ok(done)["course_progress"]["score"] == 90 and ok(done)["course_progress"]["success_status"] == "PASSED"
    assert count() == before + 1
    undone = sj.patch(path, json={"course_progress": {"completed_at": None}})
    check(undone, "PATCH", "/users/{user_id}/published-courses/{published_course_id}")
    assert ok(undone)["course_progress"]["completed_at"] is None and "certificate" not in ok(undone)
    assert count() == before
    other = everything(sj, f"/domains/{D}/published-courses")
    mine = {p["published_course_id"] for p in ok(sj.get(f"/users/{user}/published-courses"))}
    stranger = next(p["id"] for p in other if p["id"] not in mine)
    assert sj.patch(f"/users/{user}/published-courses/{stranger}", json={"course_progress": {}}).status_code == 404
    assert sj.patch(path, json={"course_progress": {"completed_at": "soon"}}).status_code == 400


@needs_oracle
def test_finishing_a_lesson_completes_it_and_null_uncompletes(sj):
    user, published = enrolled_course(sj)
    rows = ok(sj.get(f"/users/{user}/published-courses/{published['id']}/lessons"))["results"]
    lp = rows[0]["lesson_progress"]["lesson_progress_id"]
    finished = sj.patch(f"/lesson-progress/{lp}", json={"finished_at": "2026-03-01T10:00:00Z", "score": 7, "max_score": 10})
    check(finished, "PATCH", "/lesson-progress/{lesson_progress_id}")
    assert ok(finished)["completed_at"] == "2026-03-01T10:00:00Z" and ok(finished)["score"] == 7
    undone = sj.put(f"/lesson-progress/{lp}", json={"completed_at": None})
    check(undone, "PUT", "/lesson-progress/{lesson_progress_id}")
    assert ok(undone)["completed_at"] is None and ok(undone)["finished_at"] == "2026-03-01T10:00:00Z"
    again = ok(sj.get(f"/users/{user}/published-courses/{published['id']}/lessons"))["results"][0]
    assert again["lesson_progress"]["completed_at"] is None
    assert sj.patch("/lesson-progress/nope", json={"score": 1}).status_code == 404
    assert sj.patch(f"/lesson-progress/{lp}", json={"finished_at": "later"}).status_code == 400


@needs_oracle
def test_a_progress_token_completes_its_lesson(sj, fresh):
    tokens = fresh_tokens(fresh)
    token, lesson_progress_id = tokens[0]
    response = sj.patch(f"/progresstokens/{token}", json={"completed_at": "2026-04-01T00:00:00Z", "success_status": "PASSED",
                                                          "score": 5, "max_score": 5})
    check(response, "PATCH", "/progresstokens/{progress_token_id}")
    body = ok(response)
    assert body["completed_at"] == "2026-04-01T00:00:00Z" and body["success_status"] == "PASSED"
    progress = ok(sj.put(f"/lesson-progress/{lesson_progress_id}", json={}))
    assert progress["finished_at"] == "2026-04-01T00:00:00Z" and progress["score"] == 5
    put = sj.put(f"/progresstokens/{token}", json={"score": 4})
    check(put, "PUT", "/progresstokens/{progress_token_id}")
    assert ok(put)["score"] == 4 and ok(put)["completed_at"] == "2026-04-01T00:00:00Z"
    assert sj.patch("/progresstokens/nope", json={"score": 1}).status_code == 404


def fresh_tokens(fresh):
    """(token id, lesson progress id) of the seeded tokens (no operation lists them), from the state export."""
    rows = json.loads(fresh.state())["tables"]["skilljar_progress_tokens"]
    assert rows, "seeded progress tokens"
    return [(record["id"], record["_lesson_progress"]) for _, record in rows]
