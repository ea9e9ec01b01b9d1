"""Skilljar behaviours that join resource groups: domain-user filters on access codes and signup
fields, and the completion events (QUIZ_COMPLETION, PATH_COMPLETION) that progress raises."""

from __future__ import annotations

import json


from support import Receiver, wait_for
from skilljar_helpers import D, DEMO_EMAIL, demo_user, enroll, everything, ok, table


def members(sj, **params):
    return everything(sj, f"/domains/{D}/users", **params)


def test_domain_users_filter_by_access_code(sj):
    user = demo_user(sj)
    pool = everything(sj, f"/domains/{D}/access-code-pools")[0]
    code = everything(sj, f"/domains/{D}/access-code-pools/{pool['id']}/access-codes")[0]
    ok(sj.patch(f"/domains/{D}/users/{user['id']}", json={"access_code": {"id": code["id"]}}))
    by_code = members(sj, access_code__code=code["code"])
    assert [m["user"]["id"] for m in by_code] == [user["id"]]
    assert [m["user"]["id"] for m in members(sj, access_code__id=code["id"].upper())] == [user["id"]]
    assert [m["user"]["id"] for m in members(sj, access_code__pool__id=pool["id"])] == [user["id"]]
    without = members(sj, access_code="null")
    assert user["id"] not in {m["user"]["id"] for m in without} and len(without) == 299
    refused = sj.get(f"/domains/{D}/users", params={"access_code": code["code"]})
    assert refused.status_code == 400 and list(refused.json()) == ["access_code"]
    assert sj.get("/domains/nope.example.com/users").status_code == 404


def test_domain_users_filter_by_signup_field_and_include_its_data(sj):
    user = demo_user(sj)
    fields = {f["label"]: f for f in everything(sj, f"/domains/{D}/signup-fields")}
    company = fields["Company"]
    ok(sj.post(f"/domains/{D}/users/{user['id']}/signup-fields",
               json={"signup_field": {"id": company["id"]}, "value": "Sandbox Labs"}), 201)
    found = members(sj, signup_field_value="Sandbox Labs")
    assert [m["user"]["id"] for m in found] == [user["id"]] and "signup_fields" not in found[0]
    assert user["id"] in {m["user"]["id"] for m in members(sj, signup_field_id=company["id"])}
    assert user["id"] in {m["user"]["id"] for m in members(sj, signup_field_label="Company")}
    assert members(sj, signup_field_label="company") == []  # labels match case-sensitively
    detailed = members(sj, signup_field_value="Sandbox Labs", include_signup_field_data="true")
    assert {"signup_field": {"id": company["id"], "label": "Company"}, "value": "Sandbox Labs"} in detailed[0]["signup_fields"]


def test_completing_the_last_course_of_a_path_completes_the_path_once(sj, fresh):
    receiver = Receiver([200])
    try:
        ok(sj.post("/webhooks", json={"target_url": receiver.url(), "event_type": "PATH_COMPLETION"}), 201)
        user = demo_user(sj)
        published_paths = {p["id"]: p for p in table(fresh, "skilljar_published_paths")}
        items = {i["id"]: i for i in table(fresh, "skilljar_path_items")}
        published_courses = {p["id"]: p for p in table(fresh, "skilljar_published_courses")}
        path_id, published = next((pid, p) for pid, p in published_paths.items() if p["_domain"] == D)
        courses = [i["_course"] for i in sorted(items.values(), key=lambda i: i["_order"]) if i["_path"] == published["_path"]]
        on_demo = {p["_course"]: pc for pc, p in published_courses.items() if p["_domain"] == D}
        assert courses and all(c in on_demo for c in courses)

        ok(sj.post(f"/domains/{D}/published-paths/{path_id}/published-path-enrollments",
                   json={"user": {"id": user["id"]}, "enrolled_at": "2026-03-01T00:00:00Z"}), 201)
        for n, course in enumerate(courses):
            ok(enroll(sj, user["id"], on_demo[course], enrolled_at="2026-03-02T00:00:00Z"), 201)
            done = {"course_progress": {"completed_at": f"2026-03-{10 + n:02d}T00:00:00Z"}}
            ok(sj.put(f"/users/{user['id']}/published-courses/{on_demo[course]}", json=done))
            mine = ok(sj.get(f"/users/{user['id']}/published-path-enrollments"))
            progress = next(e for e in mine if e["published_path_id"] == path_id)["published_path_progress"]
            assert progress["completed_course_count"] == n + 1
            assert ("completed_at" in progress) is (n == len(courses) - 1)
        assert progress["completed_at"] == f"2026-03-{10 + len(courses) - 1:02d}T00:00:00Z"
        assert wait_for(lambda: len(receiver.requests) == 1)
        delivered = json.loads(receiver.requests[0]["body"])
        assert delivered["event_type"] == "PATH_COMPLETION" and delivered["published_path_id"] == path_id

        # Completing a path course again (after un-completing it) does not complete the path twice.
        last = on_demo[courses[-1]]
        ok(sj.patch(f"/users/{user['id']}/published-courses/{last}", json={"course_progress": {"completed_at": None}}))
        ok(sj.patch(f"/users/{user['id']}/published-courses/{last}", json={"course_progress": {"completed_at": "2026-04-01T00:00:00Z"}}))
        assert not wait_for(lambda: len(receiver.requests) > 1, timeout=0.5)
    finally:
        receiver.close()


def test_completing_a_quiz_lesson_raises_quiz_completion(sj, fresh):
    receiver = Receiver([200])
    try:
        ok(sj.post("/webhooks", json={"target_url": receiver.url(), "event_type": "QUIZ_COMPLETION"}), 201)
        user = demo_user(sj)
        published = everything(sj, f"/domains/{D}/published-courses")[3]
        ok(enroll(sj, user["id"], published["id"], enrolled_at="2026-03-02T00:00:00Z"), 201)
        quiz = everything(sj, "/quizzes")[0]
        lesson = ok(sj.post("/lessons", json={"course_id": published["course"]["id"], "title": "Checkpoint",
                                              "type": "QUIZ", "content_quiz_id": quiz["id"], "optional": True,
                                              "order": 9999}), 201)
        ok(sj.get(f"/users/{user['id']}/published-courses/{published['id']}/lessons"))
        path = f"/users/{user['id']}/published-courses/{published['id']}/lessons/{lesson['id']}"
        ok(sj.patch(path, json={"lesson_progress": {"completed_at": "2026-03-05T00:00:00Z"}}))
        assert wait_for(lambda: len(receiver.requests) == 1)
        delivered = json.loads(receiver.requests[0]["body"])
        assert delivered["event_type"] == "QUIZ_COMPLETION" and delivered["quiz_id"] == quiz["id"]
        assert delivered["user"]["email"] == DEMO_EMAIL
    finally:
        receiver.close()
