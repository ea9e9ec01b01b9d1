"""Skilljar operations past seed 003: reads of what the other routes write, the webhook lifecycle
(ping through the shared worker, sample payloads), and the official groups the seed left out."""

from __future__ import annotations

import json

from support import Receiver, api_client, wait_for
from skilljar_helpers import D, DEMO_EMAIL, demo_course, demo_user, enroll, everything, ok
from skilljar_oracle import check, needs_oracle

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


# -- labels, tags, group categories ----------------------------------------------------------------


def test_a_label_put_on_a_course_shows_in_the_course_and_follows_renames_and_deletion(sj):
    course = ok(sj.post("/courses", json={"title": "Labelled", "short_description": "S",
                                          "enforce_sequential_navigation": False, "labels": ["Brand New Label"]}), 201)
    labels = everything(sj, "/labels")
    made = next(label for label in labels if label["name"] == "Brand New Label")  # a course's new name is a label
    check(sj.get("/labels"), "GET", "/labels")
    created = sj.post("/labels", json={"name": "Quarterly"})
    check(created, "POST", "/labels")
    label = ok(created, 201)
    assert sj.post("/labels", json={"name": "Quarterly"}).json() == {"name": ["label with this name already exists."]}
    added = sj.post(f"/courses/{course['id']}/labels", json={"label": {"id": label["id"]}})
    check(added, "POST", "/courses/{course_id}/labels")
    assert ok(added, 201) == {"label": {"id": label["id"], "name": "Quarterly"}}
    assert ok(sj.get(f"/courses/{course['id']}"))["labels"] == ["Brand New Label", "Quarterly"]
    listed = sj.get(f"/courses/{course['id']}/labels")
    check(listed, "GET", "/courses/{course_id}/labels")
    assert [x["label"]["name"] for x in ok(listed)["results"]] == ["Brand New Label", "Quarterly"]
    check(sj.get(f"/courses/{course['id']}/labels/{made['id']}"), "GET", "/courses/{course_id}/labels/{label_id}")
    assert sj.post(f"/courses/{course['id']}/labels", json={"label": {"id": "nosuch"}}).json() == \
        {"label": {"id": ['Invalid pk "nosuch" - object does not exist.']}}

    renamed = sj.patch(f"/labels/{label['id']}", json={"name": "Yearly"})
    check(renamed, "PATCH", "/labels/{label_id}")
    assert ok(sj.get(f"/courses/{course['id']}"))["labels"] == ["Brand New Label", "Yearly"]
    assert [c["id"] for c in everything(sj, "/courses", label__name="Yearly")] == [course["id"]]
    assert sj.delete(f"/courses/{course['id']}/labels/{made['id']}").status_code == 204
    assert sj.delete(f"/labels/{label['id']}").status_code == 204
    assert ok(sj.get(f"/courses/{course['id']}"))["labels"] == []
    assert sj.get(f"/labels/{label['id']}").json() == {"detail": "Not found."}


def test_tags_get_unique_slugs_and_leave_what_they_tagged_when_deleted(sj):
    one = sj.post("/tags", json={"name": "Hands On!"})
    check(one, "POST", "/tags")
    tag = ok(one, 201)
    assert tag["slug"] == "hands-on"
    assert ok(sj.put(f"/tags/{tag['id']}", json={"name": "Hands-on labs"}))["slug"] == "hands-on-labs"
    published = demo_course(sj)
    base = f"/domains/{D}/published-courses/{published['id']}/tags"
    linked = sj.post(base, json={"tag": {"id": tag["id"]}})
    check(linked, "POST", "/domains/{domain_name}/published-courses/{published_course_id}/tags")
    assert ok(linked, 201)["tag"] == {"id": tag["id"], "name": "Hands-on labs", "slug": "hands-on-labs"}
    assert sj.post(base, json={"tag": {"id": tag["id"]}}).status_code == 400  # once per course
    check(sj.get(f"{base}/{tag['id']}"), "GET", "/domains/{domain_name}/published-courses/{published_course_id}/tags/{tag_id}")
    assert sj.delete(f"/tags/{tag['id']}").status_code == 204
    assert sj.get(f"{base}/{tag['id']}").status_code == 404
    assert tag["id"] not in [x["tag"]["id"] for x in everything(sj, base)]


def test_group_categories_are_seeded_and_groups_can_name_one(sj):
    page = sj.get("/group-categories")
    check(page, "GET", "/group-categories")
    category = ok(page)["results"][0]
    check(sj.get(f"/group-categories/{category['id']}"), "GET", "/group-categories/{group_category_id}")
    group = ok(sj.post("/groups", json={"name": "Categorised", "group_category_id": category["id"]}), 201)
    assert group["group_category_id"] == category["id"]
    assert sj.post("/groups", json={"name": "Nope", "group_category_id": "nosuch"}).status_code == 400


def test_visibility_overrides_and_prerequisites_name_real_groups_and_courses_of_the_domain(sj):
    published = demo_course(sj)
    base = f"/domains/{D}/published-courses/{published['id']}"
    group = everything(sj, "/groups")[0]
    override = sj.post(f"{base}/visibility-overrides", json={"student_group": {"id": group["id"]}, "is_visible": False})
    check(override, "POST", "/domains/{domain_name}/published-courses/{published_course_id}/visibility-overrides")
    assert ok(override, 201) == {"student_group": {"id": group["id"], "name": group["name"]}, "is_visible": False}
    prereq = sj.post(f"{base}/student-group-prerequisites", json={"student_group": {"id": group["id"]}})
    check(prereq, "POST", "/domains/{domain_name}/published-courses/{published_course_id}/student-group-prerequisites")
    other = everything(sj, f"/domains/{D}/published-courses")[1]
    before = sj.post(f"{base}/published-course-prerequisites", json={"published_course": {"id": other["id"]}})
    check(before, "POST", "/domains/{domain_name}/published-courses/{published_course_id}/published-course-prerequisites")
    elsewhere = next(p for p in everything(sj, "/domains/partners.demo-learning.com/published-courses"))
    assert sj.post(f"{base}/published-course-prerequisites",
                   json={"published_course": {"id": elsewhere["id"]}}).status_code == 400  # another domain's
    assert sj.delete(f"/groups/{group['id']}").status_code == 204  # the group's overrides go with it
    assert everything(sj, f"{base}/visibility-overrides") == [] and everything(sj, f"{base}/student-group-prerequisites") == []
    assert sj.get(f"/domains/partners.demo-learning.com/published-courses/{published['id']}/tags").status_code == 404


# -- publishing -------------------------------------------------------------------------------------


def test_a_course_published_through_the_api_is_listed_sold_and_unpublished_with_its_enrollments(sj):
    course = ok(sj.post("/courses", json={"title": "Fresh course", "short_description": "S",
                                          "enforce_sequential_navigation": False}), 201)
    made = sj.post(f"/domains/{D}/published-courses", json={"course": {"id": course["id"]}, "slug": "fresh-course"})
    check(made, "POST", "/domains/{domain_name}/published-courses")
    published = ok(made, 201)
    assert published["course_url"] == f"https://{D}/fresh-course"
    assert [p["id"] for p in everything(sj, f"/domains/{D}/published-courses", course__id=course["id"])] == [published["id"]]
    assert published["id"] in [o.get("published_course_id") for o in everything(sj, "/offers")]
    assert sj.post(f"/domains/{D}/published-courses", json={"course": {"id": course["id"]},
                                                            "slug": "fresh-course"}).status_code == 400
    changed = sj.patch(f"/domains/{D}/published-courses/{published['id']}", json={"hidden": True})
    check(changed, "PATCH", "/domains/{domain_name}/published-courses/{published_course_id}")
    offer = published["offer"]["id"]
    priced = sj.patch(f"/offers/{offer}", json={"price_cents": 4900})
    check(priced, "PATCH", "/offers/{offer_id}")
    assert ok(sj.get(f"/domains/{D}/published-courses/{published['id']}"))["offer"]["price"]["amount"] == "49.00"
    user = demo_user(sj)
    ok(enroll(sj, user["id"], published["id"]), 201)
    rule = sj.post(f"/domains/{D}/published-courses/{published['id']}/reenrollment_rule",
                   json={"starts_at": "2030-01-31T00:00:00Z", "cycle_duration": 1})
    check(rule, "POST", "/domains/{domain_name}/published-courses/{published_course_id}/reenrollment_rule")
    assert ok(rule)["next_run_at"] == "2030-01-31T00:00:00Z" and ok(rule)["cycle_duration_unit"] == "MONTHS"
    assert sj.delete(f"/domains/{D}/published-courses/{published['id']}").status_code == 204
    assert sj.get(f"/domains/{D}/published-courses/{published['id']}").status_code == 404
    assert sj.get(f"/offers/{offer}").status_code == 404
    assert published["id"] not in [p["published_course_id"] for p in ok(sj.get(f"/users/{user['id']}/published-courses"))]


def test_a_path_published_with_items_shows_them_on_the_path_too(sj):
    made = sj.post(f"/domains/{D}/published-paths", json={"slug": "new-path", "path": {"title": "New path"}})
    check(made, "POST", "/domains/{domain_name}/published-paths")
    published = ok(made, 201)
    path_id = published["path"]["id"]
    assert ok(sj.get(f"/paths/{path_id}"))["title"] == "New path"
    course = demo_course(sj)
    item = sj.post(f"/domains/{D}/published-paths/{published['id']}/path-items",
                   json={"order": 1, "published_course": {"id": course["id"]}})
    check(item, "POST", "/domains/{domain_name}/published-paths/{published_path_id}/path-items")
    assert [i["course"]["id"] for i in everything(sj, f"/paths/{path_id}/path-items")] == [course["course"]["id"]]
    label = everything(sj, "/labels")[0]
    ok(sj.post(f"/domains/{D}/published-paths/{published['id']}/labels", json={"label": {"id": label["id"]}}), 201)
    assert [p["id"] for p in everything(sj, f"/domains/{D}/published-paths", label__name=label["name"])
            if p["id"] == published["id"]] == [published["id"]]
    assert sj.delete(f"/domains/{D}/published-paths/{published['id']}").status_code == 204
    assert sj.get(f"/paths/{path_id}").status_code == 200  # the path stays, only its publication goes


# -- catalog pages and license packages ---------------------------------------------------------------


def test_a_built_catalog_page_stacks_typed_content_blocks_with_tiles(sj):
    made = sj.post(f"/domains/{D}/catalog-pages", json={"page_title": "Landing", "is_classic": False})
    check(made, "POST", "/domains/{domain_name}/catalog-pages")
    page = ok(made, 201)
    base = f"/domains/{D}/catalog-pages/{page['id']}"
    assert page["slug"] == "landing" and page["url"] == f"https://{D}/page/landing"
    block = ok(sj.post(f"{base}/content-blocks", json={"type": "TILE_SECTION"}), 201)
    tiles = block["tile_container_content_block_id"]
    changed = sj.patch(f"{base}/tile-container-content-blocks/{tiles}", json={"header_text": "Top picks"})
    check(changed, "PATCH", "/domains/{domain_name}/catalog-pages/{catalog_page_id}/tile-container-content-blocks/{id}")
    course = demo_course(sj)
    tile = sj.post(f"{base}/tile-container-content-blocks/{tiles}/items", json={"item_published_course_id": course["id"]})
    check(tile, "POST", "/domains/{domain_name}/catalog-pages/{catalog_page_id}/tile-container-content-blocks/{tile_container_id}/items")
    assert ok(tile, 201)["item_type"] == "PUBLISHED_COURSE"
    assert sj.post(f"{base}/classic-page-items", json={"item_published_course_id": course["id"]}).status_code == 400
    assert sj.post(f"{base}/tile-container-content-blocks/{tiles}/items", json={}).status_code == 400
    assert sj.delete(f"{base}/content-blocks/{block['id']}").status_code == 204
    assert sj.get(f"{base}/tile-container-content-blocks/{tiles}").status_code == 404
    assert sj.delete(base).status_code == 204 and sj.get(base).status_code == 404


def test_license_seats_run_out_and_come_back_when_a_seat_is_set_inactive(sj):
    domain_id = ok(sj.get(f"/domains/{D}"))["id"]
    made = sj.post("/license-packages", json={"name": "Two seats", "license_count": 1, "domain_id": domain_id})
    check(made, "POST", "/license-packages")
    package = ok(made, 201)
    base = f"/license-packages/{package['id']}"
    user = demo_user(sj)
    seat = sj.post(f"{base}/students", json={"student": {"email": DEMO_EMAIL}})
    check(seat, "POST", "/license-packages/{license_package_id}/students")
    assert ok(seat, 201)["student"]["id"] == user["id"]
    assert ok(sj.get(base))["license_seats_remaining"] == 0
    other = everything(sj, "/users")[1]["user"]
    assert sj.post(f"{base}/students", json={"student": {"id": other["id"]}}).status_code == 400  # no seat left
    freed = sj.patch(f"{base}/students/{user['id']}", json={"active": False})
    check(freed, "PATCH", "/license-packages/{license_package_id}/students/{student_id}")
    ok(sj.post(f"{base}/students", json={"student": {"id": other["id"]}}), 201)
    assert sj.post("/license-packages", json={"name": "x", "license_count": 1, "domain_id": "nosuch"}).status_code == 400
    assert sj.delete(base).status_code == 204 and sj.get(base).status_code == 404


# -- bodies and DRF edges on the new operations ------------------------------------------------------


def test_form_encoded_and_multipart_bodies_nest_as_drf_reads_them_and_cast_to_the_schema_types(sj):
    made = sj.post(f"/domains/{D}/users", data={"user.email": "formed@example.com", "user.first_name": "Form",
                                               "active": "false"})
    assert ok(made, 201)["user"]["first_name"] == "Form" and made.json()["active"] is False
    quiz = sj.post("/quizzes", files={"name": (None, "Multipart quiz"), "max_attempts": (None, "3")})
    assert ok(quiz, 201)["max_attempts"] == 3
    label = ok(sj.post("/labels", data={"name": "From a form"}), 201)
    assert ok(sj.get(f"/labels/{label['id']}"))["name"] == "From a form"
    assert sj.post("/quizzes", data={"name": "Q", "max_attempts": str(2 ** 31)}).status_code == 400


def test_a_form_with_rack_style_brackets_is_not_nested_as_drf_does_not_nest_it(sj):
    # DRF reads user.email (rest_framework/utils/html.py parse_html_dict); user[email] is just a
    # field name no serializer has, so the nested user is missing
    refused = sj.post(f"/domains/{D}/users", data={"user[email]": "bracketed@example.com"})
    assert refused.status_code == 400 and refused.json() == {"user": ["This field is required."]}
    tagged = sj.post("/quiz-questions", data={"quiz": "x", "html": "<p>?</p>", "type": "MULTIPLE_CHOICE",
                                              "answers[][answer_text]": "Right"})
    assert tagged.status_code == 400


def test_new_operations_answer_drf_errors(fresh, sj):
    with api_client(fresh, "skilljar") as anonymous:
        refused = anonymous.get("/labels")
        assert refused.status_code == 401 and refused.json() == {"detail": "Authentication credentials were not provided."}
        assert refused.headers["WWW-Authenticate"] == 'Basic realm="api"'
    assert sj.get("/tags/nosuch").json() == {"detail": "Not found."}
    assert sj.get("/labels", params={"page": 99}).json() == {"detail": "Invalid page."}
    wrong = sj.delete("/group-categories")
    # DRF's MethodNotAllowed names the method (rest_framework/exceptions.py), with the Allow header
    assert wrong.status_code == 405 and wrong.json() == {"detail": 'Method "DELETE" not allowed.'}
    assert wrong.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert sj.post("/tags", json={}).json() == {"name": ["This field is required."]}
    assert sj.post("/labels", json={"name": "x" * 256}).status_code == 400
    page = ok(sj.get("/tags", params={"page_size": 2}))
    assert page["count"] == 6 and len(page["results"]) == 2 and page["next"].endswith("page=2")


# -- reads and deletions of the seed's resources ---------------------------------------------------


def test_quizzes_banks_and_questions_are_read_moved_and_deleted(sj):
    quiz = ok(sj.post("/quizzes", json={"name": "Reader quiz"}), 201)
    check(sj.get(f"/quizzes/{quiz['id']}"), "GET", "/quizzes/{quiz_id}")
    assert ok(sj.patch(f"/quizzes/{quiz['id']}", json={"max_attempts": 2}))["max_attempts"] == 2
    bank = ok(sj.post("/question-banks", json={"name": "Reader bank"}), 201)
    question = ok(sj.post("/quiz-questions", json={"quiz": quiz["id"], "html": "<p>Why?</p>", "type": "FREEFORM"}), 201)
    listed = sj.get(f"/quizzes/{quiz['id']}/questions")
    check(listed, "GET", "/quizzes/{quiz_id}/questions")
    assert [q["id"] for q in ok(listed)["results"]] == [question["id"]]
    check(sj.get(f"/quiz-questions/{question['id']}"), "GET", "/quiz-questions/{question_id}")
    moved = sj.put(f"/quiz-questions/{question['id']}", json={"quiz_question_bank": bank["id"], "html": "<p>How?</p>",
                                                             "type": "FREEFORM"})
    check(moved, "PUT", "/quiz-questions/{question_id}")
    assert everything(sj, f"/quizzes/{quiz['id']}/questions") == []
    in_bank = sj.get(f"/question-banks/{bank['id']}/questions/{question['id']}")
    check(in_bank, "GET", "/question-banks/{question_bank_id}/questions/{question_id}")
    assert ok(in_bank)["html"] == "<p>How?</p>" and ok(sj.get(f"/question-banks/{bank['id']}"))["question_count"] == 1
    assert sj.delete(f"/question-banks/{bank['id']}/questions/{question['id']}").status_code == 204
    assert sj.get(f"/quiz-questions/{question['id']}").status_code == 404
    seeded = next(b for b in everything(sj, "/question-banks") if b["quiz_association_count"])
    quiz_id = next(q["id"] for q in everything(sj, "/quizzes")
                   if any(b["id"] == seeded["id"] for b in everything(sj, f"/quizzes/{q['id']}/question-banks")))
    assigned = sj.get(f"/quizzes/{quiz_id}/question-banks/{seeded['id']}")
    check(assigned, "GET", "/quizzes/{quiz_id}/question-banks/{question_bank_id}")
    assert sj.delete(f"/quizzes/{quiz['id']}").status_code == 204 and sj.get(f"/quizzes/{quiz['id']}").status_code == 404
    assert sj.delete(f"/question-banks/{bank['id']}").status_code == 204


def test_ilt_instructors_are_made_renamed_and_removed_unless_they_teach(sj):
    made = sj.post("/ilt-instructors", json={"email": "New.Teacher@Example.com"})
    check(made, "POST", "/ilt-instructors")
    assert ok(made, 201)["email"] == "new.teacher@example.com"
    assert sj.post("/ilt-instructors", json={"email": "new.teacher@example.com"}).status_code == 400
    # Instructors are numbered 1, 2, ... (the official path parameter is "a unique integer value");
    # the list does not show the number, so the new one is the last: the count.
    number = ok(sj.get("/ilt-instructors"))["count"]
    got = sj.get(f"/ilt-instructors/{number}")
    check(got, "GET", "/ilt-instructors/{id}")
    assert ok(got)["email"] == "new.teacher@example.com"
    assert ok(sj.patch(f"/ilt-instructors/{number}", json={"email": "renamed@example.com"}))["email"] == "renamed@example.com"
    assert sj.delete(f"/ilt-instructors/{number}").status_code == 204 and sj.get(f"/ilt-instructors/{number}").status_code == 404
    teaching = everything(sj, "/ilt-sessions")[0]["instructor_email"]
    teacher = next(n for n, i in enumerate(everything(sj, "/ilt-instructors"), 1) if i["email"] == teaching)
    assert sj.delete(f"/ilt-instructors/{teacher}").status_code == 400  # still teaches a session
    registration = everything(sj, "/vilt-session-registrations")[0]
    check(sj.get(f"/vilt-session-registrations/{registration['id']}"), "GET",
          "/vilt-session-registrations/{vilt_session_registration_id}")
    event = everything(sj, "/vilt-session-events")[0]
    check(sj.get(f"/vilt-session-events/{event['id']}"), "GET", "/vilt-session-events/{vilt_session_event_id}")
    assert sj.delete(f"/vilt-session-registrations/{registration['id']}").status_code == 204
    assert registration["id"] not in [r["id"] for r in everything(sj, "/vilt-session-registrations")]
    multi = everything(sj, "/ilt-multi-session-events")[0]
    check(sj.get(f"/ilt-multi-session-events/{multi['id']}"), "GET", "/ilt-multi-session-events/{multi_session_event_id}")


def test_access_pools_codes_and_group_links_are_read_and_deleted(sj):
    pool = everything(sj, f"/domains/{D}/access-code-pools")[0]
    code = everything(sj, f"/domains/{D}/access-code-pools/{pool['id']}/access-codes")[0]
    member = demo_user(sj)
    ok(sj.patch(f"/domains/{D}/users/{member['id']}", json={"access_code": {"id": code["id"]}}))
    assert sj.delete(f"/domains/{D}/access-code-pools/{pool['id']}/access-codes/{code['id']}").status_code == 204
    assert ok(sj.get(f"/domains/{D}/users/{member['id']}"))["access_code"] is None  # the member stays
    group = everything(sj, "/groups")[0]
    link = everything(sj, f"/groups/{group['id']}/users")[0]
    one = sj.get(f"/groups/{group['id']}/users/{link['user']['id']}")
    check(one, "GET", "/groups/{group_id}/users/{user_id}")
    assert sj.delete(f"/groups/{group['id']}/users/{link['user']['id']}").status_code == 204
    assert sj.get(f"/groups/{group['id']}/users/{link['user']['id']}").status_code == 404
    pools = everything(sj, f"/groups/{group['id']}/access-code-pools")
    check(sj.get(f"/groups/{group['id']}/access-code-pools/{pools[0]['access_code_pool']['id']}"), "GET",
          "/groups/{group_id}/access-code-pools/{access_code_pool_id}")
    rules = sj.patch(f"/groups/{group['id']}/email-domain-rules", json={"add": ["Example.com"], "remove": []})
    check(rules, "PATCH", "/groups/{group_id}/email-domain-rules")
    assert "example.com" in ok(sj.get(f"/groups/{group['id']}/email-domain-rules"))["email_domains"]
    assert "example.com" in ok(sj.get(f"/groups/{group['id']}"))["rule_email_domains"]
    assert sj.delete(f"/domains/{D}/access-code-pools/{pool['id']}").status_code == 204
    assert pool["id"] not in [p["access_code_pool"]["id"] for p in everything(sj, f"/groups/{group['id']}/access-code-pools")]


def test_courses_and_lessons_are_read_and_deleted_with_what_hangs_on_them(sj):
    course = ok(sj.post("/courses", json={"title": "Short-lived", "short_description": "S",
                                          "enforce_sequential_navigation": False}), 201)
    check(sj.get(f"/courses/{course['id']}"), "GET", "/courses/{course_id}")
    lesson = ok(sj.post("/lessons", json={"course_id": course["id"], "title": "L1", "type": "HTML", "order": 1}), 201)
    check(sj.get(f"/lessons/{lesson['id']}"), "GET", "/lessons/{lesson_id}")
    rating = sj.post(f"/lessons/{lesson['id']}/rating-content-blocks", json={"rating_scale": 10})
    check(rating, "POST", "/lessons/{lesson_id}/rating-content-blocks")
    block = ok(rating, 201)
    item = sj.get(f"/lessons/{lesson['id']}/content-items/{block['content_item_id']}")
    check(item, "GET", "/lessons/{lesson_id}/content-items/{lesson_content_item_id}")
    assert ok(item)["type"] == "RATING"
    assert ok(sj.patch(f"/lessons/{lesson['id']}/rating-content-blocks/{block['id']}",
                       json={"rating_question": "Useful?"}))["rating_question"] == "Useful?"
    published = ok(sj.post(f"/domains/{D}/published-courses", json={"course": {"id": course["id"]},
                                                                   "slug": "short-lived"}), 201)
    assert sj.delete(f"/courses/{course['id']}").status_code == 204
    for gone in (f"/courses/{course['id']}", f"/lessons/{lesson['id']}",
                 f"/domains/{D}/published-courses/{published['id']}"):
        assert sj.get(gone).status_code == 404, gone


def test_a_learners_progress_is_read_one_course_and_one_lesson_at_a_time(sj):
    user = demo_user(sj)
    progress = ok(sj.get(f"/users/{user['id']}/published-courses"))[0]
    one = sj.get(f"/users/{user['id']}/published-courses/{progress['published_course_id']}")
    check(one, "GET", "/users/{user_id}/published-courses/{published_course_id}")
    assert ok(one) == progress
    lessons = everything(sj, f"/users/{user['id']}/published-courses/{progress['published_course_id']}/lessons")
    first = lessons[0]
    got = sj.get(f"/users/{user['id']}/published-courses/{progress['published_course_id']}/lessons/{first['lesson']['id']}")
    check(got, "GET", "/users/{user_id}/published-courses/{published_course_id}/lessons/{lesson_id}")
    assert ok(got) == first
    lesson_progress = sj.get(f"/lesson-progress/{first['lesson_progress']['lesson_progress_id']}")
    check(lesson_progress, "GET", "/lesson-progress/{lesson_progress_id}")
    tokens = sj.get("/progresstokens")
    check(tokens, "GET", "/progresstokens")


def test_commerce_reads_and_deletions(sj):
    offer = everything(sj, "/offers")[0]
    check(sj.get(f"/offers/{offer['id']}"), "GET", "/offers/{offer_id}")
    pool = everything(sj, "/promo-code-pools")[0]
    check(sj.get(f"/promo-code-pools/{pool['id']}"), "GET", "/promo-code-pools/{promo_code_pool_id}")
    attached = ok(sj.post(f"/promo-code-pools/{pool['id']}/offers", json={"id": offer["id"]}), 201)
    assert offer["id"] in [o["id"] for o in attached["offers"]]
    assert sj.delete(f"/promo-code-pools/{pool['id']}/offers/{offer['id']}").status_code == 204
    assert sj.delete(f"/promo-code-pools/{pool['id']}/offers/{offer['id']}").status_code == 404
    code = everything(sj, "/promo-codes")[0]
    check(sj.get(f"/promo-codes/{code['id']}"), "GET", "/promo-codes/{promo_code_id}")
    assert sj.delete(f"/promo-codes/{code['id']}").status_code == 204 and sj.get(f"/promo-codes/{code['id']}").status_code == 404
    credit = everything(sj, "/training-credit-codes")[0]
    check(sj.get(f"/training-credit-codes/{credit['id']}"), "GET", "/training-credit-codes/{training_credit_code_id}")
    series = everything(sj, f"/domains/{D}/course-series")[0]
    check(sj.get(f"/domains/{D}/course-series/{series['id']}"), "GET", "/domains/{domain_name}/course-series/{course_series_id}")
    plan = everything(sj, f"/domains/{D}/plan")[0]
    check(sj.get(f"/domains/{D}/plan/{plan['id']}"), "GET", "/domains/{domain_name}/plan/{plan_id}")


def test_an_empty_body_is_empty_data_as_drf_reads_it(sj):
    # rest_framework/request.py _parse: no stream -> empty data, which the serializer then checks
    course = sj.get("/courses").json()["results"][0]
    for headers in ({"Content-Type": "application/json"}, {"Content-Type": "application/x-www-form-urlencoded"}, {}):
        patched = ok(sj.patch(f"/courses/{course['id']}", data=b"", headers=headers))  # a partial update of nothing
        assert {**patched, "modified_at": None} == {**course, "modified_at": None}  # saved: only modified_at moves
        assert sj.post("/groups", data=b"", headers=headers).json() == {"name": ["This field is required."]}
