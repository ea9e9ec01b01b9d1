"""Skilljar v1: auth, DRF paging and errors, and the resources served so far with their rules."""

from __future__ import annotations

import time

import pytest
import requests

from support import Receiver, wait_for
from skilljar_helpers import D, DEMO_EMAIL, demo_course, demo_user, enroll, everything, ok, post_at_once


# -- auth -----------------------------------------------------------------------------------------


def test_ping_answers_empty_with_a_valid_key(sj):
    response = sj.get("/ping")
    assert response.status_code == 200 and response.content == b""


def test_the_key_also_works_as_a_bearer_token(sj, fresh):
    sj.auth = None
    sj.headers["Authorization"] = f"Bearer {fresh.credentials['skilljar']['api_key']}"
    assert sj.get("/ping").status_code == 200


@pytest.mark.parametrize("auth, detail", [(None, "Authentication credentials were not provided."),
                                          (("not-a-key", ""), "Invalid username/password.")])
def test_missing_or_wrong_keys_are_drf_401s(sj, auth, detail):
    sj.auth = auth
    response = sj.get("/courses")
    assert response.status_code == 401 and response.json() == {"detail": detail}
    assert response.headers["WWW-Authenticate"] == 'Basic realm="api"'


# -- DRF paging -----------------------------------------------------------------------------------


def test_pages_carry_absolute_links_that_keep_other_parameters(sj):
    first = ok(sj.get("/courses", params={"page_size": 30}))
    assert first["count"] == 100 and len(first["results"]) == 30 and first["previous"] is None
    assert first["next"] == f"{sj.root}/courses?page_size=30&page=2"
    second = ok(sj.get(first["next"]))
    assert second["previous"] == f"{sj.root}/courses?page_size=30"  # DRF drops page=1
    third = ok(sj.get(second["next"]))
    assert third["previous"] == f"{sj.root}/courses?page_size=30&page=2"
    last = ok(sj.get("/courses", params={"page_size": 30, "page": "last"}))
    assert last["next"] is None and len(last["results"]) == 10
    assert {c["id"] for c in first["results"]}.isdisjoint(c["id"] for c in second["results"])


@pytest.mark.parametrize("page", ["5", "0", "abc", "-1"])
def test_an_invalid_page_is_a_404(sj, page):
    response = sj.get("/courses", params={"page_size": 30, "page": page})
    assert response.status_code == 404 and response.json() == {"detail": "Invalid page."}


def test_page_size_defaults_to_100_or_250_and_is_clamped_at_1000(sj):
    assert len(ok(sj.get("/courses"))["results"]) == 100
    assert len(ok(sj.get("/courses", params={"page_size": "junk"}))["results"]) == 100
    assert len(ok(sj.get("/users"))["results"]) == 250  # documented as "1000 per page": 250 since 2025-12
    assert len(ok(sj.get(f"/domains/{D}/users"))["results"]) == 250
    everyone = ok(sj.get("/users", params={"page_size": 5000}))
    assert len(everyone["results"]) == everyone["count"] == 300 and everyone["next"] is None


def test_an_empty_list_is_one_empty_page(sj):
    assert ok(sj.get("/webhooks")) == {"count": 0, "next": None, "previous": None, "results": []}


# -- courses and domains ----------------------------------------------------------------------------


def test_create_update_and_filter_courses(sj, fresh):
    fresh.clock(now="2026-04-01T09:00:00Z", frozen=True)
    created = ok(sj.post("/courses", json={"title": "Sandbox 101", "short_description": "Try it",
                                           "enforce_sequential_navigation": True, "labels": ["Sandbox"],
                                           "id": "chosen", "average_rating": 5}), 201)
    assert created["created_at"] == created["modified_at"] == "2026-04-01T09:00:00Z"
    assert created["id"] != "chosen" and created["average_rating"] == 0  # read-only fields are ignored
    fresh.advance_clock(60)
    patched = ok(sj.patch(f"/courses/{created['id']}", json={"title": "Sandbox 102"}))
    assert patched["title"] == "Sandbox 102" and patched["modified_at"] == "2026-04-01T09:01:00Z"
    put = ok(sj.put(f"/courses/{created['id']}", json={"short_description": "Partial PUT"}))
    assert put["title"] == "Sandbox 102" and put["short_description"] == "Partial PUT"
    assert [c["id"] for c in everything(sj, "/courses", label__name="Sandbox")] == [created["id"]]


def test_a_course_without_its_required_fields_is_a_field_by_field_400(sj):
    response = sj.post("/courses", json={"short_description": "x", "labels": "not-a-list"})
    assert response.status_code == 400
    assert response.json() == {"enforce_sequential_navigation": ["This field is required."],
                               "labels": ["'not-a-list' is not of type 'array'"],
                               "title": ["This field is required."]}


def test_unknown_course_is_drf_404(sj):
    response = sj.patch("/courses/doesnotexist", json={"title": "x"})
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_domains_can_be_read_and_updated_but_not_renamed(sj):
    assert [d["name"] for d in everything(sj, "/domains")] == [D, "partners.demo-learning.com"]
    updated = ok(sj.patch(f"/domains/{D}", json={"catalog_title": "New Title", "name": "evil.example.com"}))
    assert updated["catalog_title"] == "New Title" and updated["name"] == D
    assert ok(sj.get(f"/domains/{D}"))["catalog_title"] == "New Title"
    bad = sj.put(f"/domains/{D}", json={"access": "SOMETIMES"})
    assert bad.status_code == 400 and bad.json() == {"access": ["Not a valid choice."]}
    assert sj.get("/domains/nope.example.com").status_code == 404


def test_published_courses_belong_to_their_domain(sj):
    demo = everything(sj, f"/domains/{D}/published-courses")
    partners = everything(sj, "/domains/partners.demo-learning.com/published-courses")
    assert len(demo) == 100 and 0 < len(partners) < 100
    detail = ok(sj.get(f"/domains/{D}/published-courses/{demo[0]['id']}"))
    assert detail["course"]["title"] == "Getting Started with the Demo Platform"
    assert "short_description" in detail["course"] and detail["offer"]["price"]["currency_code"] == "USD"
    assert sj.get(f"/domains/partners.demo-learning.com/published-courses/{demo[0]['id']}").status_code in (200, 404)
    assert sj.get("/domains/nope.example.com/published-courses").status_code == 404


# -- enrollments --------------------------------------------------------------------------------------


def test_enrollment_post_is_idempotent_on_user_and_enrolled_at(sj):
    user, course = demo_user(sj), demo_course(sj)
    path = f"/domains/{D}/published-courses/{course['id']}/enrollments"
    before = ok(sj.get(path))["count"]
    first = ok(enroll(sj, user["id"], course["id"], enrolled_at="2026-05-01T10:00:00Z"), 201)
    again = ok(enroll(sj, user["id"], course["id"], enrolled_at="2026-05-01T12:00:00+02:00"), 201)
    assert again == first and first["user"]["email"] == DEMO_EMAIL
    assert ok(sj.get(path))["count"] == before + 1
    later = ok(enroll(sj, user["id"], course["id"], enrolled_at="2026-06-01T10:00:00Z"), 201)
    assert later["id"] != first["id"] and ok(sj.get(path))["count"] == before + 2


def test_64_simultaneous_identical_enrollments_create_exactly_one(sj, fresh):
    user, course = demo_user(sj), demo_course(sj)
    key = fresh.credentials["skilljar"]["api_key"]
    url = f"{sj.root}/domains/{D}/published-courses/{course['id']}/enrollments"
    before = ok(sj.get(url))["count"]
    ids = post_at_once(url, {"user": {"id": user["id"]}, "enrolled_at": "2026-07-07T07:07:07Z"}, key, 64)
    assert len(ids) == 1
    assert ok(sj.get(url))["count"] == before + 1


def test_enrolling_an_unknown_user_or_a_non_member_is_a_400(sj):
    course = demo_course(sj)
    unknown = enroll(sj, "nosuchuser", course["id"])
    assert unknown.status_code == 400
    assert unknown.json() == {"user": {"id": ['Invalid pk "nosuchuser" - object does not exist.']}}
    outsider = ok(sj.post("/domains/partners.demo-learning.com/users", json={"user": {"email": "outsider@example.com"}}), 201)
    not_member = enroll(sj, outsider["user"]["id"], course["id"])
    assert not_member.status_code == 400 and "membership" in not_member.json()["user"][0]
    assert enroll(sj, "", course["id"]).status_code == 400


def test_an_enrollment_keeps_its_purchase_and_can_be_updated(sj):
    user, course = demo_user(sj), demo_course(sj)
    purchase = {"purchase_state": "PENDING", "purchase_price": {"amount": "99.00", "currency_code": "USD"}}
    created = ok(enroll(sj, user["id"], course["id"], purchase=purchase), 201)
    assert created["purchase"] == purchase and created["active"] is True
    path = f"/domains/{D}/published-courses/{course['id']}/enrollments/{created['id']}"
    updated = ok(sj.patch(path, json={"active": False, "expires_at": "2027-01-01T00:00:00Z", "rating": 1}))
    assert updated["active"] is False and updated["expires_at"] == "2027-01-01T00:00:00Z" and updated["rating"] is None
    assert ok(sj.get(path)) == updated
    assert sj.get(f"/domains/{D}/published-courses/{course['id']}/enrollments/nope").status_code == 404
    bad = enroll(sj, user["id"], course["id"], purchase={"purchase_state": "MAYBE"})
    assert bad.status_code == 400 and bad.json() == {"purchase": {"purchase_state": ["Not a valid choice."]}}


# -- users and domain users ---------------------------------------------------------------------------


def test_users_list_filters(sj):
    mine = everything(sj, "/users", email=DEMO_EMAIL)
    assert len(mine) == 1 and mine[0]["registration_count"] >= 0 and mine[0]["inactive_at"] is None
    assert everything(sj, "/users", first_name="Dana", last_name="Demo")[0]["user"]["email"] == DEMO_EMAIL
    assert everything(sj, "/users", is_inactive="true") == []


def test_user_updates_change_only_names_and_email(sj):
    user = demo_user(sj)
    changed = ok(sj.patch(f"/users/{user['id']}", json={"first_name": "Dee", "id": "other", "inactive_at": "2020-01-01T00:00:00Z"}))
    assert changed == {**user, "first_name": "Dee", "inactive_at": None}
    other = everything(sj, "/users")[5]["user"]
    taken = sj.put(f"/users/{user['id']}", json={"email": other["email"]})
    assert taken.status_code == 400 and taken.json() == {"email": ["A user with this email already exists."]}
    assert sj.patch(f"/users/{user['id']}", json={"email": "nope"}).json() == {"email": ["Enter a valid email address."]}


def test_anonymize_scrubs_a_user_irreversibly(sj):
    user = demo_user(sj)
    scrubbed = ok(sj.post(f"/users/{user['id']}/anonymize"))
    assert scrubbed["user"]["id"] == user["id"] and DEMO_EMAIL not in str(scrubbed)
    assert scrubbed["inactive_at"] is not None
    assert everything(sj, "/users", email=DEMO_EMAIL) == []
    assert [u["user"]["id"] for u in everything(sj, "/users", is_inactive="true")] == [user["id"]]
    assert sj.post("/users/nosuchuser/anonymize").status_code == 404


def test_adding_an_existing_email_to_a_domain_returns_that_user(sj):
    users_before = ok(sj.get("/users"))["count"]
    existing = ok(sj.post(f"/domains/{D}/users", json={"user": {"email": DEMO_EMAIL.upper(), "first_name": "Ignored"}}), 201)
    assert existing["user"]["email"] == DEMO_EMAIL and existing["user"]["first_name"] == "Dana"
    assert existing["login_token"] and ok(sj.get("/users"))["count"] == users_before
    new = ok(sj.post(f"/domains/{D}/users", json={"user": {"email": "fresh@example.com", "first_name": "Fresh"}}), 201)
    assert new["user"]["full_name"] == "Fresh" and new["active"] is True and new["login_token"] != existing["login_token"]
    assert ok(sj.get("/users"))["count"] == users_before + 1
    members = everything(sj, f"/domains/{D}/users", user__email="fresh@example.com")
    assert [m["user"]["id"] for m in members] == [new["user"]["id"]]
    assert sj.post(f"/domains/{D}/users", json={"user": {"first_name": "No email"}}).json() == {"user": {"email": ["This field is required."]}}


def test_membership_updates_change_only_active_expiry_and_access_code(sj):
    user = demo_user(sj)
    path = f"/domains/{D}/users/{user['id']}"
    before = everything(sj, f"/domains/{D}/users", user__email=DEMO_EMAIL)[0]
    updated = ok(sj.patch(path, json={"active": False, "expires_at": "2030-01-01T00:00:00Z", "access_code": None,
                                      "marketing_optin": not before["marketing_optin"]}))
    assert updated["active"] is False and updated["expires_at"] == "2030-01-01T00:00:00Z"
    assert updated["access_code"] is None and updated["marketing_optin"] == before["marketing_optin"]
    inactive = everything(sj, f"/domains/{D}/users", active="false")
    assert user["id"] in [m["user"]["id"] for m in inactive]
    assert sj.patch(path, json={"access_code": {"id": "nope"}}).status_code == 400
    assert sj.patch(f"/domains/{D}/users/nosuchuser", json={"active": True}).status_code == 404


# -- webhooks -------------------------------------------------------------------------------------------


def test_events_reach_each_matching_active_webhook_once_per_url(sj, fresh):
    receiver, other = Receiver([200]), Receiver([200])
    try:
        hook = {"target_url": receiver.url(), "event_type": "COURSE_ENROLLMENT", "basic_auth_username": "hook",
                "basic_auth_password": "pw"}
        created = ok(sj.post("/webhooks", json=hook), 201)
        assert created["active"] is True and created["deactivate_reason"] is None
        ok(sj.post("/webhooks", json=hook), 201)  # the same URL twice: still one delivery
        ok(sj.post("/webhooks", json={"target_url": other.url(), "event_type": None}), 201)  # every event
        ok(sj.post("/webhooks", json={"target_url": other.url("/off"), "active": False}), 201)
        ok(sj.post("/webhooks", json={"target_url": other.url("/domain"), "event_type": "DOMAIN_ENROLLMENT"}), 201)
        assert ok(sj.get("/webhooks"))["count"] == 5

        user, course = demo_user(sj), demo_course(sj)
        enrolled = ok(enroll(sj, user["id"], course["id"], enrolled_at="2026-08-01T00:00:00Z"), 201)
        ok(enroll(sj, user["id"], course["id"], enrolled_at="2026-08-01T00:00:00Z"), 201)  # idempotent: no event
        assert wait_for(lambda: len(receiver.requests) == 1 and len(other.requests) == 1)
        time.sleep(0.3)
        assert len(receiver.requests) == 1 and [r["path"] for r in other.requests] == ["/hook"]
        import json

        delivered = json.loads(receiver.requests[0]["body"])
        assert delivered["event_type"] == "COURSE_ENROLLMENT" and delivered["id"] == enrolled["id"]
        assert delivered["domain"]["name"] == D and delivered["course"]["published_course_id"] == course["id"]
        assert receiver.requests[0]["headers"]["authorization"].startswith("Basic ")
        # Deliveries are history, like the journal: a reset keeps them, so look at this test's own target.
        assert [d["event"] for d in fresh.webhooks(vendor="skilljar") if d["target_url"] == receiver.url()] == ["COURSE_ENROLLMENT"]

        ok(sj.post(f"/domains/{D}/users", json={"user": {"email": "hooked@example.com"}}), 201)
        assert wait_for(lambda: any(r["path"] == "/domain" for r in other.requests))
    finally:
        receiver.close()
        other.close()


def test_a_webhook_needs_a_valid_url(sj):
    assert sj.post("/webhooks", json={"target_url": "not a url"}).json() == {"target_url": ["Enter a valid URL."]}
    assert sj.post("/webhooks", json={}).json() == {"target_url": ["This field is required."]}
    assert sj.post("/webhooks", json={"target_url": "https://ok.example.com", "event_type": "SOMETHING"}).status_code == 400


def test_vendor_flag_serves_skilljar_at_its_real_root_with_links_to_match():
    from mockserver.testing import SandboxServer

    with SandboxServer(vendor="skilljar") as handle:
        key = handle.credentials["skilljar"]["api_key"]
        page = requests.get(handle.origin + "/v1/courses", params={"page_size": 10}, auth=(key, ""), timeout=30)
        assert page.status_code == 200 and page.json()["count"] == 100
        assert page.json()["next"] == handle.origin + "/v1/courses?page_size=10&page=2"
        assert requests.get(handle.origin + "/skilljar/v1/courses", auth=(key, ""), timeout=30).status_code == 404
        assert handle.url("skilljar") == handle.origin


def test_a_member_can_be_given_an_access_code_of_the_domain_and_it_counts_as_used(sj):
    user = demo_user(sj)
    pool = everything(sj, f"/domains/{D}/access-code-pools")[0]
    code = everything(sj, f"/domains/{D}/access-code-pools/{pool['id']}/access-codes")[0]
    assert code["use_count"] == 0
    updated = ok(sj.patch(f"/domains/{D}/users/{user['id']}", json={"access_code": {"id": code["id"]}}))
    assert updated["access_code"]["id"] == code["id"] and updated["access_code"]["code"] == code["code"]
    assert updated["access_code"]["pool"]["id"] == pool["id"]
    reread = ok(sj.get(f"/domains/{D}/access-code-pools/{pool['id']}/access-codes/{code['id']}"))
    assert reread["use_count"] == 1
    cleared = ok(sj.patch(f"/domains/{D}/users/{user['id']}", json={"access_code": None}))
    assert cleared["access_code"] is None
    other_domain = sj.patch(f"/domains/partners.demo-learning.com/users/{user['id']}", json={"access_code": {"id": code["id"]}})
    assert other_domain.status_code == 404  # not a member there
