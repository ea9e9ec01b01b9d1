"""Skilljar operations past seed 003: reads of what the other routes write, the webhook lifecycle
(ping through the shared worker, sample payloads), and the official groups the seed left out."""

from __future__ import annotations

import json

from conftest import wait_for
from skilljar_helpers import D, DEMO_EMAIL, demo_course, demo_user, enroll, everything, ok
from skilljar_oracle import check, needs_oracle
from test_webhooks import Receiver

pytestmark = needs_oracle

EVENTS = ("course-completion", "course-enrollment", "dashboard-task-created", "domain-enrollment",
          "lesson-completion", "path-completion", "path-enrollment", "purchase-fulfillment", "quiz-completion",
          "vilt-registration")


# -- users and domain users ---------------------------------------------------------------------


def test_a_user_made_through_a_domain_is_readable_as_a_user_and_as_a_member(sj):
    made = ok(sj.post(f"/domains/{D}/users", json={"user": {"email": "reader@example.com", "first_name": "R" * 40}}), 201)
    user_id = made["user"]["id"]
    overview = sj.get(f"/users/{user_id}")
    check(overview, "GET", "/users/{user_id}")
    assert ok(overview)["user"] == {"id": user_id, "email": "reader@example.com", "first_name": "R" * 40, "last_name": ""}
    member = sj.get(f"/domains/{D}/users/{user_id}")
    check(member, "GET", "/domains/{domain_name}/users/{user_id}")
    assert ok(member)["user"]["email"] == "reader@example.com" and ok(member)["signup_fields"] == []
    assert sj.get("/users/nosuchuser").json() == {"detail": "Not found."}
    assert sj.get(f"/domains/partners.demo-learning.com/users/{user_id}").status_code == 404  # not a member there
    too_long = sj.post(f"/domains/{D}/users", json={"user": {"email": "x@example.com", "first_name": "F" * 51}})
    assert too_long.status_code == 400 and list(too_long.json()["user"]) == ["first_name"]


def test_bulk_create_adds_every_user_or_none(sj):
    body = {"users": [{"email": "bulk1@example.com", "first_name": "Bulk"}, {"email": DEMO_EMAIL}]}
    answer = sj.post(f"/domains/{D}/users/bulk-create", json=body)
    check(answer, "POST", "/domains/{domain_name}/users/bulk-create")
    assert ok(answer)["user"]["email"] == "bulk1@example.com"
    emails = {m["user"]["email"] for m in everything(sj, f"/domains/{D}/users")}
    assert {"bulk1@example.com", DEMO_EMAIL} <= emails
    refused = sj.post(f"/domains/{D}/users/bulk-create", json={"users": [{"email": "bulk2@example.com"}, {"email": "nope"}]})
    assert refused.status_code == 400
    assert ok(sj.get("/users", params={"email": "bulk2@example.com"}))["count"] == 0
    assert sj.post(f"/domains/{D}/users/bulk-create", json={"users": []}).status_code == 400


def test_manager_access_is_set_reported_and_removed(sj):
    user = demo_user(sj)
    course = ok(sj.get("/courses", params={"page_size": 1}))["results"][0]
    base = f"/domains/{D}/users/{user['id']}/manager-access"
    body = {"group_name": "Partner managers", "course_access_level": "SELECTED", "path_access_level": "NONE",
            "course_ids": [course["id"], "nosuchcourse"]}
    answer = sj.put(base, json=body)
    check(answer, "PUT", "/domains/{domain_name}/users/{user_id}/manager-access")
    access = ok(answer)
    assert access["manager_access"]["course_ids"] == [course["id"]]
    assert access["invalid_ids"]["course_ids"] == ["nosuchcourse"]
    groups = everything(sj, "/groups", name="Partner managers")
    assert [g["id"] for g in groups] == [access["manager_access"]["group_id"]]
    assert sj.put(base, json={"group_name": "x"}).json()["course_access_level"] == ["This field is required."]
    assert sj.delete(base).status_code == 204
    assert sj.delete(base).status_code == 404


def test_one_invite_and_one_signup_value_are_readable(sj):
    user = demo_user(sj)
    invite = ok(sj.post(f"/domains/{D}/users/{user['id']}/invites", json={"send_email": False}), 201)
    got = sj.get(f"/domains/{D}/users/{user['id']}/invites/{invite['id']}")
    check(got, "GET", "/domains/{domain_name}/users/{user_id}/invites/{domain_user_invite_id}")
    assert ok(got) == invite
    assert sj.get(f"/domains/{D}/users/{user['id']}/invites/nosuch").status_code == 404
    fields = everything(sj, f"/domains/{D}/signup-fields")
    text = next(f for f in fields if f["type"] != "PICKLIST")
    ok(sj.post(f"/domains/{D}/users/{user['id']}/signup-fields", json={"signup_field": {"id": text["id"]}, "value": "v1"}), 201)
    value = sj.get(f"/domains/{D}/users/{user['id']}/signup-fields/{text['id']}")
    check(value, "GET", "/domains/{domain_name}/users/{user_id}/signup-fields/{signup_field_id}")
    assert ok(value)["value"] == "v1"
    assert sj.get(f"/domains/{D}/users/{user['id']}/signup-fields/nosuch").status_code == 404


# -- webhooks ------------------------------------------------------------------------------------


def test_a_webhook_is_read_changed_pinged_and_deleted(sj, fresh):
    receiver = Receiver([200])
    failing = Receiver([500])
    try:
        made = ok(sj.post("/webhooks", json={"target_url": receiver.url("/in"), "event_type": "DOMAIN_ENROLLMENT",
                                            "basic_auth_username": "u", "basic_auth_password": "p"}), 201)
        one = f"/webhooks/{made['id']}"
        got = sj.get(one)
        check(got, "GET", "/webhooks/{webhook_id}")
        assert ok(got) == made
        changed = sj.patch(one, json={"event_type": None})
        check(changed, "PATCH", "/webhooks/{webhook_id}")
        assert ok(changed)["event_type"] is None and ok(changed)["target_url"] == receiver.url("/in")
        put = sj.put(one, json={"target_url": receiver.url("/ping")})
        check(put, "PUT", "/webhooks/{webhook_id}")
        assert ok(put)["basic_auth_username"] == "u"  # Skilljar's PUT is partial too
        assert sj.put(one, json={"target_url": "nope"}).json() == {"target_url": ["Enter a valid URL."]}

        pinged = sj.post(f"{one}/ping")
        check(pinged, "POST", "/webhooks/{webhook_id}/ping")
        assert ok(pinged)["succeeded"] is True and ok(pinged)["http_status_code"] == 200
        assert len(receiver.requests) == 1
        delivered = json.loads(receiver.requests[0]["body"])
        assert delivered["event_type"] == "PING" and receiver.requests[0]["path"] == "/ping"
        assert receiver.requests[0]["headers"]["authorization"].startswith("Basic ")
        assert [d["event"] for d in fresh.webhooks(vendor="skilljar") if d["target_url"] == receiver.url("/ping")] == ["PING"]

        bad = ok(sj.post("/webhooks", json={"target_url": failing.url(), "active": False}), 201)
        answer = ok(sj.post(f"/webhooks/{bad['id']}/ping"))
        assert answer["succeeded"] is False and answer["http_status_code"] == 500
        assert not wait_for(lambda: len(failing.requests) > 1, timeout=1.5)  # a failed ping is not retried
        assert ok(sj.get(f"/webhooks/{bad['id']}"))["active"] is False  # nor deactivates anything

        assert sj.delete(one).status_code == 204
        assert sj.get(one).json() == {"detail": "Not found."}
        assert sj.post(f"{one}/ping").status_code == 404
        ok(sj.post(f"/domains/{D}/users", json={"user": {"email": "after-delete@example.com"}}), 201)
        assert not wait_for(lambda: len(receiver.requests) > 1, timeout=0.5)
    finally:
        receiver.close()
        failing.close()


def test_each_sample_endpoint_answers_a_one_item_list_of_its_event(sj):
    for name in EVENTS:
        answer = sj.get(f"/webhooks/sample-{name}")
        check(answer, "GET", f"/webhooks/sample-{name}")
        (event,) = ok(answer)["results"]
        expected = "VILT_EVENT_REGISTRATION" if name == "vilt-registration" else name.upper().replace("-", "_")
        assert event["event_type"] == expected and event["user"]["id"]
        assert set(event["domain"]) == {"id", "name"}


def test_the_sample_is_the_latest_event_as_it_was_delivered(sj):
    receiver = Receiver([200])
    try:
        ok(sj.post("/webhooks", json={"target_url": receiver.url(), "event_type": "COURSE_ENROLLMENT"}), 201)
        enrolled = ok(enroll(sj, demo_user(sj)["id"], demo_course(sj)["id"]), 201)
        assert wait_for(lambda: len(receiver.requests) == 1)
        delivered = json.loads(receiver.requests[0]["body"])
        (sample,) = ok(sj.get("/webhooks/sample-course-enrollment"))["results"]
        assert sample == delivered and sample["id"] == enrolled["id"]
    finally:
        receiver.close()


# -- paths and ILT sessions ------------------------------------------------------------------------


def test_a_path_is_read_changed_and_deleted_with_what_hangs_on_it(sj):
    path = everything(sj, "/paths")[0]
    got = sj.get(f"/paths/{path['id']}")
    check(got, "GET", "/paths/{path_id}")
    assert ok(got) == path
    changed = sj.patch(f"/paths/{path['id']}", json={"title": "Renamed path"})
    check(changed, "PATCH", "/paths/{path_id}")
    assert ok(sj.get(f"/paths/{path['id']}"))["title"] == "Renamed path"
    assert sj.put(f"/paths/{path['id']}", json={"course_name_singular": "x" * 51}).status_code == 400
    items = everything(sj, f"/paths/{path['id']}/path-items")
    item = sj.get(f"/paths/{path['id']}/path-items/{items[0]['id']}")
    check(item, "GET", "/paths/{path_id}/path-items/{path_item_id}")
    assert ok(item) == items[0]
    published = [p for p in everything(sj, f"/domains/{D}/published-paths") if p["path"]["id"] == path["id"]]
    assert published and published[0]["path"]["title"] == "Renamed path"
    assert sj.delete(f"/paths/{path['id']}").status_code == 204
    assert sj.get(f"/paths/{path['id']}").status_code == 404
    assert sj.get(f"/domains/{D}/published-paths/{published[0]['id']}").status_code == 404
    assert path["id"] not in [p["path"]["id"] for p in everything(sj, f"/domains/{D}/published-paths")]


def test_ilt_sessions_are_listed_and_read(sj):
    page = sj.get("/ilt-sessions", params={"page_size": 2})
    check(page, "GET", "/ilt-sessions")
    first = ok(page)["results"][0]
    one = sj.get(f"/ilt-sessions/{first['id']}")
    check(one, "GET", "/ilt-sessions/{ilt_session_id}")
    assert ok(one) == first
    assert sj.get("/ilt-sessions/nosuch").json() == {"detail": "Not found."}
