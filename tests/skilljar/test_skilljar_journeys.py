"""Skilljar journeys: plans, paths, course series, signup fields and invites, with their rules."""

from __future__ import annotations

import json


from support import Receiver, wait_for
from skilljar_oracle import check, needs_oracle
from skilljar_helpers import D, DEMO_EMAIL, demo_user, ok, post_at_once

OTHER = "partners.demo-learning.com"


def outsider(sj, email="outsider@example.com"):
    """A user who is a member of the partner domain only."""
    return ok(sj.post(f"/domains/{OTHER}/users", json={"user": {"email": email}}), 201)["user"]


def first(sj, path):
    return ok(sj.get(path))["results"][0]


# -- plans ------------------------------------------------------------------------------------------


@needs_oracle
def test_plans_of_the_demo_domain_carry_their_offer(sj):
    page = ok(sj.get(f"/domains/{D}/plan"))
    check(sj.get(f"/domains/{D}/plan"), "GET", "/domains/{domain_name}/plan")
    assert page["count"] == 5
    plan = page["results"][0]
    assert plan["plan_url"] == f"https://{D}/plan/{plan['slug']}"
    assert plan["offer"]["registration_url"] == f"https://{D}/checkout/{plan['offer']['id']}"
    assert ok(sj.get(f"/domains/{OTHER}/plan"))["count"] == 0
    assert sj.get("/domains/nosuch.example.com/plan").status_code == 404


@needs_oracle
def test_a_plan_enrollment_is_created_read_back_and_updated_partially(sj):
    user, plan = demo_user(sj), first(sj, f"/domains/{D}/plan")
    base = f"/domains/{D}/plan/{plan['id']}/plan-enrollments"
    before = ok(sj.get(base))["count"]
    purchase = {"purchase_state": "SUCCESS", "purchase_price": {"amount": "99.00", "currency_code": "USD"}}
    response = sj.post(base, json={"user": {"id": user["id"]}, "enrolled_at": "2026-03-01T10:00:00+01:00",
                                   "purchase": purchase})
    check(response, "POST", "/domains/{domain_name}/plan/{plan_id}/plan-enrollments")
    created = ok(response, 201)
    assert created["enrolled_at"] == "2026-03-01T09:00:00Z" and created["active"] is True
    assert created["purchase"] == purchase and created["user"]["email"] == DEMO_EMAIL
    listed = sj.get(base)
    check(listed, "GET", "/domains/{domain_name}/plan/{plan_id}/plan-enrollments")
    assert ok(listed)["count"] == before + 1 and created in ok(listed)["results"]

    one = f"{base}/{created['id']}"
    read = sj.get(one)
    check(read, "GET", "/domains/{domain_name}/plan/{plan_id}/plan-enrollments/{plan_enrollment_id}")
    assert ok(read) == created
    put = sj.put(one, json={"expires_at": "2027-01-01T00:00:00Z", "enrolled_at": "2020-01-01T00:00:00Z"})
    check(put, "PUT", "/domains/{domain_name}/plan/{plan_id}/plan-enrollments/{plan_enrollment_id}")
    assert ok(put)["expires_at"] == "2027-01-01T00:00:00Z" and ok(put)["enrolled_at"] == created["enrolled_at"]
    patched = sj.patch(one, json={"active": False})
    check(patched, "PATCH", "/domains/{domain_name}/plan/{plan_id}/plan-enrollments/{plan_enrollment_id}")
    assert ok(patched)["active"] is False and ok(patched)["expires_at"] == "2027-01-01T00:00:00Z"
    assert ok(sj.get(one)) == ok(patched)

    mine = sj.get(f"/users/{user['id']}/plan-enrollments")
    check(mine, "GET", "/users/{user_id}/plan-enrollments")
    assert ok(mine) == [{"plan_id": plan["id"], "domain_name": D, "enrolled_at": created["enrolled_at"],
                         "expires_at": "2027-01-01T00:00:00Z", "active": False, "enrollment_id": created["id"],
                         "plan": {"id": plan["id"], "title": plan["name"]}}]


def test_plan_enrollment_errors_are_404s_for_unknown_objects_and_400s_for_bad_users(sj):
    plan = first(sj, f"/domains/{D}/plan")
    base = f"/domains/{D}/plan/{plan['id']}/plan-enrollments"
    assert sj.get(f"/domains/{D}/plan/nosuchplan/plan-enrollments").status_code == 404
    assert sj.get(f"/domains/{OTHER}/plan/{plan['id']}/plan-enrollments").status_code == 404
    assert sj.get(f"{base}/nosuchenrollment").status_code == 404
    assert sj.patch(f"{base}/nosuchenrollment", json={"active": False}).status_code == 404
    assert sj.post(f"/domains/{D}/plan/nosuchplan/plan-enrollments", json={"user": {"id": demo_user(sj)["id"]}}).status_code == 404
    unknown = sj.post(base, json={"user": {"id": "nosuchuser"}})
    assert unknown.status_code == 400
    assert unknown.json() == {"user": {"id": ['Invalid pk "nosuchuser" - object does not exist.']}}
    not_member = sj.post(base, json={"user": {"id": outsider(sj)["id"]}})
    assert not_member.status_code == 400 and "membership" in not_member.json()["user"][0]
    bad_date = sj.post(base, json={"user": {"id": demo_user(sj)["id"]}, "enrolled_at": "yesterday"})
    assert bad_date.status_code == 400 and "enrolled_at" in bad_date.json()
    assert sj.post(base, json={}).json() == {"user": ["This field is required."]}
    assert sj.get("/users/nosuchuser/plan-enrollments").status_code == 404


def test_32_simultaneous_identical_plan_enrollments_create_exactly_one(sj, fresh):
    user, plan = demo_user(sj), first(sj, f"/domains/{D}/plan")
    key = fresh.credentials["skilljar"]["api_key"]
    url = f"{sj.root}/domains/{D}/plan/{plan['id']}/plan-enrollments"
    before = ok(sj.get(url))["count"]
    ids = post_at_once(url, {"user": {"id": user["id"]}, "enrolled_at": "2026-07-07T07:07:07Z"}, key, 32)
    assert len(ids) == 1
    assert ok(sj.get(url))["count"] == before + 1
    later = ok(sj.post(url, json={"user": {"id": user["id"]}, "enrolled_at": "2026-07-08T07:07:07Z"}), 201)
    assert later["id"] not in ids and ok(sj.get(url))["count"] == before + 2


def test_64_simultaneous_identical_path_enrollments_create_exactly_one(sj, fresh):
    user, published = demo_user(sj), first(sj, f"/domains/{D}/published-paths")
    url = f"{sj.root}/domains/{D}/published-paths/{published['id']}/published-path-enrollments"
    before = ok(sj.get(url))["count"]
    body = {"user": {"id": user["id"]}, "enrolled_at": "2026-07-07T07:07:07Z"}
    assert len(post_at_once(url, body, fresh.credentials["skilljar"]["api_key"], 64)) == 1
    assert ok(sj.get(url))["count"] == before + 1


# -- paths ------------------------------------------------------------------------------------------


@needs_oracle
def test_paths_list_their_items_in_order_linking_real_courses(sj):
    listed = sj.get("/paths")
    check(listed, "GET", "/paths")
    paths = ok(listed)["results"]
    assert len(paths) == 6
    path = paths[0]
    items = sj.get(f"/paths/{path['id']}/path-items")
    check(items, "GET", "/paths/{path_id}/path-items")
    results = ok(items)["results"]
    assert len(results) == path["path_item_count"] >= 2
    assert all(item["course"]["title"] for item in results)
    course_ids = {c["id"] for c in ok(sj.get("/courses", params={"page_size": 1000}))["results"]}
    assert {i["course"]["id"] for i in results} <= course_ids
    assert sj.get("/paths/nosuchpath/path-items").status_code == 404


@needs_oracle
def test_published_paths_show_their_path_and_can_be_read_one_by_one(sj):
    listed = sj.get(f"/domains/{D}/published-paths")
    check(listed, "GET", "/domains/{domain_name}/published-paths")
    published = ok(listed)["results"]
    assert len(published) == 5
    one = sj.get(f"/domains/{D}/published-paths/{published[0]['id']}")
    check(one, "GET", "/domains/{domain_name}/published-paths/{published_path_id}")
    assert ok(one) == published[0] and ok(one)["path_url"] == f"https://{D}/path/{published[0]['slug']}"
    path_ids = {p["id"] for p in ok(sj.get("/paths"))["results"]}
    assert published[0]["path"]["id"] in path_ids
    assert sj.get(f"/domains/{D}/published-paths/nosuch").status_code == 404
    assert sj.get(f"/domains/{OTHER}/published-paths/{published[0]['id']}").status_code == 404
    assert ok(sj.get(f"/domains/{OTHER}/published-paths"))["count"] == 0


@needs_oracle
def test_a_new_path_enrollment_raises_path_enrollment_once(sj, fresh):
    receiver = Receiver([200])
    try:
        ok(sj.post("/webhooks", json={"target_url": receiver.url(), "event_type": "PATH_ENROLLMENT"}), 201)
        user, published = demo_user(sj), first(sj, f"/domains/{D}/published-paths")
        base = f"/domains/{D}/published-paths/{published['id']}/published-path-enrollments"
        body = {"user": {"id": user["id"]}, "enrolled_at": "2026-05-05T05:05:05Z", "expires_at": "2026-06-01T00:00:00Z"}
        response = sj.post(base, json=body)
        check(response, "POST", "/domains/{domain_name}/published-paths/{published_path_id}/published-path-enrollments")
        created = ok(response, 201)
        assert ok(sj.post(base, json=body), 201)["id"] == created["id"]  # idempotent: same enrollment, no event
        assert wait_for(lambda: len(receiver.requests) == 1)
        delivered = json.loads(receiver.requests[0]["body"])
        assert delivered["event_type"] == "PATH_ENROLLMENT" and delivered["id"] == created["id"]
        assert delivered["published_path_id"] == published["id"]

        listed = sj.get(base)
        check(listed, "GET", "/domains/{domain_name}/published-paths/{published_path_id}/published-path-enrollments")
        assert created in ok(listed)["results"]
        one = f"{base}/{created['id']}"
        template = "/domains/{domain_name}/published-paths/{published_path_id}/published-path-enrollments/{published_path_enrollment_id}"
        read = sj.get(one)
        check(read, "GET", template)
        assert ok(read) == created
        put = sj.put(one, json={"expires_at": None})
        check(put, "PUT", template)
        assert ok(put)["expires_at"] is None
        patched = sj.patch(one, json={"active": False})
        check(patched, "PATCH", template)
        assert ok(sj.get(one))["active"] is False and ok(sj.get(one))["expires_at"] is None

        mine = sj.get(f"/users/{user['id']}/published-path-enrollments")
        check(mine, "GET", "/users/{user_id}/published-path-enrollments")
        [entry] = ok(mine)
        assert entry["enrollment_id"] == created["id"] and entry["published_path_id"] == published["id"]
        assert entry["published_path"] == {"id": published["id"], "title": published["path"]["title"],
                                           "course_count": published["path"]["path_item_count"]}
        assert entry["active"] is False and entry["published_path_progress"]["completed_course_count"] == 0
    finally:
        receiver.close()


def test_path_enrollment_errors(sj):
    published = first(sj, f"/domains/{D}/published-paths")
    base = f"/domains/{D}/published-paths/{published['id']}/published-path-enrollments"
    assert sj.get(f"/domains/{D}/published-paths/nosuch/published-path-enrollments").status_code == 404
    assert sj.get(f"{base}/nosuch").status_code == 404
    assert sj.put(f"{base}/nosuch", json={"active": True}).status_code == 404
    assert sj.post(base, json={"user": {"id": "nosuchuser"}}).json() == {
        "user": {"id": ['Invalid pk "nosuchuser" - object does not exist.']}}
    assert sj.post(base, json={"user": {"id": outsider(sj)["id"]}}).status_code == 400
    assert sj.post(base, json={"user": {"id": demo_user(sj)["id"]}, "active": "maybe"}).status_code == 400
    assert sj.get("/users/nosuchuser/published-path-enrollments").status_code == 404


def test_the_seeded_enrollments_belong_to_demo_domain_members(sj):
    published = first(sj, f"/domains/{D}/published-paths")
    rows = ok(sj.get(f"/domains/{D}/published-paths/{published['id']}/published-path-enrollments"))["results"]
    assert rows
    members = {m["user"]["id"] for m in ok(sj.get(f"/domains/{D}/users", params={"page_size": 1000}))["results"]}
    assert {row["user"]["id"] for row in rows} <= members


# -- course series ----------------------------------------------------------------------------------


@needs_oracle
def test_course_series_group_the_domains_published_courses(sj):
    listed = sj.get(f"/domains/{D}/course-series")
    check(listed, "GET", "/domains/{domain_name}/course-series")
    series = ok(listed)["results"]
    assert len(series) == 3
    courses = sj.get(f"/domains/{D}/course-series/{series[0]['id']}/published-courses")
    check(courses, "GET", "/domains/{domain_name}/course-series/{course_series_id}/published-courses")
    results = ok(courses)["results"]
    assert len(results) == series[0]["published_course_count"] >= 2
    on_domain = {p["id"] for p in ok(sj.get(f"/domains/{D}/published-courses", params={"page_size": 1000}))["results"]}
    assert {c["id"] for c in results} <= on_domain
    assert sj.get(f"/domains/{D}/course-series/nosuch/published-courses").status_code == 404
    assert sj.get(f"/domains/{OTHER}/course-series/{series[0]['id']}/published-courses").status_code == 404
    assert sj.get("/domains/nosuch.example.com/course-series").status_code == 404


# -- signup fields ----------------------------------------------------------------------------------


def fields_by_label(sj):
    return {f["label"]: f for f in ok(sj.get(f"/domains/{D}/signup-fields"))["results"]}


@needs_oracle
def test_a_members_signup_value_is_created_then_updated_in_place(sj):
    listed = sj.get(f"/domains/{D}/signup-fields")
    check(listed, "GET", "/domains/{domain_name}/signup-fields")
    fields = fields_by_label(sj)
    assert [o["value"] for o in fields["Region"]["options"]] == ["Americas", "EMEA", "APAC"]
    user = demo_user(sj)
    base = f"/domains/{D}/users/{user['id']}/signup-fields"
    assert ok(sj.get(base))["count"] == 0
    response = sj.post(base, json={"signup_field": {"id": fields["Company"]["id"]}, "value": "Acme"})
    check(response, "POST", "/domains/{domain_name}/users/{user_id}/signup-fields")
    assert ok(response, 201) == {"signup_field": {"id": fields["Company"]["id"], "label": "Company"}, "value": "Acme"}
    ok(sj.post(base, json={"signup_field": {"id": fields["Company"]["id"]}, "value": "Acme Corp"}), 201)
    values = sj.get(base)
    check(values, "GET", "/domains/{domain_name}/users/{user_id}/signup-fields")
    assert ok(values)["results"] == [{"signup_field": {"id": fields["Company"]["id"], "label": "Company"},
                                      "value": "Acme Corp"}]


def test_signup_value_errors(sj):
    fields, user = fields_by_label(sj), demo_user(sj)
    base = f"/domains/{D}/users/{user['id']}/signup-fields"
    unknown = sj.post(base, json={"signup_field": {"id": "nosuchfield"}, "value": "x"})
    assert unknown.json() == {"signup_field": {"id": ['Invalid pk "nosuchfield" - object does not exist.']}}
    bad = sj.post(base, json={"signup_field": {"id": fields["Role"]["id"]}, "value": "Astronaut"})
    assert bad.status_code == 400 and bad.json() == {"value": ['"Astronaut" is not a valid choice.']}
    assert sj.post(base, json={"signup_field": {"id": fields["Role"]["id"]}}).json() == {"value": ["This field is required."]}
    assert sj.get(f"/domains/{D}/users/nosuchuser/signup-fields").status_code == 404
    stranger = outsider(sj)
    assert sj.get(f"/domains/{D}/users/{stranger['id']}/signup-fields").status_code == 404
    assert sj.post(f"/domains/{D}/users/{stranger['id']}/signup-fields",
                   json={"signup_field": {"id": fields["Company"]["id"]}, "value": "x"}).status_code == 404
    assert ok(sj.get(base))["count"] == 0


@needs_oracle
def test_bulk_signup_values_answer_only_what_changed_with_a_location(sj):
    fields, user = fields_by_label(sj), demo_user(sj)
    base = f"/domains/{D}/users/{user['id']}/signup-fields"
    ok(sj.post(base, json={"signup_field": {"id": fields["Company"]["id"]}, "value": "Acme"}), 201)
    response = sj.post(f"{base}-bulk", json={"signup_fields": [
        {"id": fields["Company"]["id"], "value": "Acme"},  # unchanged: not in the answer
        {"id": fields["Role"]["id"], "value": "Developer"},
        {"id": fields["Job Title"]["id"], "value": "Engineer"}]})
    check(response, "POST", "/domains/{domain_name}/users/{user_id}/signup-fields-bulk")
    body = ok(response, 201)
    assert response.headers["Location"].endswith(f"/domains/{D}/users/{user['id']}/signup-fields")
    assert {(v["signup_field"]["label"], v["value"]) for v in body["results"]} == {("Role", "Developer"), ("Job Title", "Engineer")}
    everything = ok(sj.get(response.headers["Location"]))
    assert everything["count"] == 3
    rejected = sj.post(f"{base}-bulk", json={"signup_fields": [{"id": fields["Job Title"]["id"], "value": "CTO"},
                                                              {"id": fields["Role"]["id"], "value": "Pilot"}]})
    assert rejected.status_code == 400 and rejected.json() == {"signup_fields": {"value": ['"Pilot" is not a valid choice.']}}
    assert "CTO" not in [v["value"] for v in ok(sj.get(base))["results"]]  # all or nothing
    assert sj.post(f"/domains/{D}/users/nosuchuser/signup-fields-bulk", json={"signup_fields": []}).status_code == 404


# -- invites ----------------------------------------------------------------------------------------


@needs_oracle
def test_an_invite_is_emailed_unless_send_email_is_false(sj, fresh):
    user = demo_user(sj)
    base = f"/domains/{D}/users/{user['id']}/invites"
    response = sj.post(base, json={})
    check(response, "POST", "/domains/{domain_name}/users/{user_id}/invites")
    sent = ok(response, 201)
    assert sent["sent_at"] is not None and sent["used_at"] is None and sent["token"] in sent["invite_url"]
    [mail] = fresh.outbox(to=DEMO_EMAIL, kind="invite")
    assert mail["vendor"] == "skilljar" and mail["data"]["token"] == sent["token"]
    assert sent["invite_url"] in mail["body"]
    quiet = ok(sj.post(base, json={"send_email": False}), 201)
    assert quiet["sent_at"] is None and len(fresh.outbox(kind="invite")) == 1
    listed = sj.get(base)
    check(listed, "GET", "/domains/{domain_name}/users/{user_id}/invites")
    assert [i["id"] for i in ok(listed)["results"]] == [sent["id"], quiet["id"]]


def test_invites_need_a_domain_member(sj):
    stranger = outsider(sj)
    assert sj.post(f"/domains/{D}/users/{stranger['id']}/invites", json={}).status_code == 404
    assert sj.get(f"/domains/{D}/users/{stranger['id']}/invites").status_code == 404
    assert sj.post(f"/domains/nosuch.example.com/users/{stranger['id']}/invites", json={}).status_code == 404
    assert sj.post(f"/domains/{D}/users/{demo_user(sj)['id']}/invites", json={"send_email": "perhaps"}).status_code == 400
    assert ok(sj.get(f"/domains/{OTHER}/users/{stranger['id']}/invites"))["count"] == 0
