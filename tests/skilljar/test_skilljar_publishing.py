"""Skilljar publishing past seed 003: courses and paths published on a domain and what hangs on a
publication (tags, labels, group visibility, prerequisites, re-enrollment rules, path items), plus
the single reads and deletions of the catalog and commerce resources. Every success answer is checked
against Skilljar's official schema of its operation."""

from __future__ import annotations

from skilljar_helpers import D, demo_course, everything, ok, table
from skilljar_oracle import check, needs_oracle

pytestmark = needs_oracle

OTHER = "partners.demo-learning.com"
PC = "/domains/{domain_name}/published-courses/{published_course_id}"
PP = "/domains/{domain_name}/published-paths/{published_path_id}"


def new_course(sj, title="Fresh course"):
    return ok(sj.post("/courses", json={"title": title, "short_description": "S",
                                        "enforce_sequential_navigation": False}), 201)


# -- published courses ------------------------------------------------------------------------------


def test_a_course_is_published_once_per_domain_under_an_unused_two_word_slug(sj):
    course = new_course(sj)
    made = sj.post(f"/domains/{D}/published-courses", json={"course": {"id": course["id"]}, "slug": "fresh-start"})
    check(made, "POST", "/domains/{domain_name}/published-courses")
    published = ok(made, 201)
    assert published["course"]["id"] == course["id"] and published["slug"] == "fresh-start"
    found = everything(sj, f"/domains/{D}/published-courses", course__id=course["id"])
    assert [p["id"] for p in found] == [published["id"]]
    assert published["id"] in [p["id"] for p in everything(sj, f"/domains/{D}/published-courses", search="FRESH")]
    again = sj.post(f"/domains/{D}/published-courses", json={"course": {"id": course["id"]}, "slug": "other-slug"})
    assert again.status_code == 400 and "course" in again.json()  # already published on this domain
    taken = sj.post(f"/domains/{D}/published-courses",
                    json={"course": {"id": new_course(sj, "Second")["id"]}, "slug": "fresh-start"})
    assert taken.status_code == 400 and "slug" in taken.json()
    one_word = sj.post(f"/domains/{D}/published-courses", json={"course": {"id": course["id"]}, "slug": "single"})
    assert one_word.status_code == 400 and "slug" in one_word.json()  # the official pattern wants a hyphen
    assert sj.post(f"/domains/{D}/published-courses", json={"course": {"id": "nosuch"}}).status_code == 400
    elsewhere = ok(sj.post(f"/domains/{OTHER}/published-courses", json={"course": {"id": course["id"]}}), 201)
    assert elsewhere["slug"].startswith("fresh-course-")  # a slug made from the title


def test_a_published_course_is_changed_partially_by_put_and_patch_and_unpublished_with_its_offer(sj):
    course = new_course(sj)
    published = ok(sj.post(f"/domains/{D}/published-courses", json={"course": {"id": course["id"]}}), 201)
    one = f"/domains/{D}/published-courses/{published['id']}"
    put = sj.put(one, json={"hidden": True})
    check(put, "PUT", PC)
    assert ok(put)["hidden"] is True and ok(put)["slug"] == published["slug"]
    patched = sj.patch(one, data={"require_all_prerequisites": "true"})  # form-encoded, cast to the schema
    check(patched, "PATCH", PC)
    assert ok(patched)["require_all_prerequisites"] is True and ok(patched)["hidden"] is True
    offer = published["offer"]["id"]
    check(sj.get(f"/offers/{offer}"), "GET", "/offers/{offer_id}")
    assert sj.delete(one).status_code == 204
    assert sj.get(one).status_code == 404 and sj.get(f"/offers/{offer}").status_code == 404
    assert ok(sj.get(f"/courses/{course['id']}"))["id"] == course["id"]  # the course itself stays


def test_a_reenrollment_rule_is_set_read_changed_and_removed(sj):
    published = demo_course(sj)
    rule_url = f"/domains/{D}/published-courses/{published['id']}/reenrollment_rule"
    template = PC + "/reenrollment_rule"
    assert sj.get(rule_url).status_code == 404
    assert sj.put(rule_url, json={"cycle_duration": 2}).status_code == 404  # nothing to change yet
    made = sj.post(rule_url, data={"starts_at": "2031-03-31T00:00:00Z", "cycle_duration": "1",
                                   "cycle_duration_unit": "DAYS"})
    check(made, "POST", template)
    assert ok(made)["next_run_at"] == "2031-03-31T00:00:00Z" and ok(made)["cycle_duration_unit"] == "DAYS"
    check(sj.get(rule_url), "GET", template)
    changed = sj.patch(rule_url, json={"cycle_duration_unit": "MONTHS"})
    check(changed, "PATCH", template)
    assert ok(changed)["cycle_duration"] == 1 and ok(changed)["cycle_duration_unit"] == "MONTHS"
    check(sj.put(rule_url, json={"cycle_duration": 3}), "PUT", template)
    assert ok(sj.get(rule_url))["cycle_duration"] == 3
    assert sj.post(rule_url, json={"starts_at": "2031-03-31T00:00:00Z", "cycle_duration": 0}).status_code == 400
    assert sj.post(rule_url, json={"cycle_duration": 1}).json() == {"starts_at": ["This field is required."]}
    assert sj.delete(rule_url).status_code == 204 and sj.get(rule_url).status_code == 404


def test_tags_visibility_and_prerequisites_hang_on_a_published_course_of_the_domain(sj, fresh):
    published, other = everything(sj, f"/domains/{D}/published-courses")[:2]
    base = f"/domains/{D}/published-courses/{published['id']}"
    tag = table(fresh, "skilljar_tags")[0]
    group = everything(sj, "/groups")[0]

    tagged = sj.post(f"{base}/tags", json={"tag": {"id": tag["id"]}})
    check(tagged, "POST", PC + "/tags")
    assert ok(tagged, 201) == {"tag": {"id": tag["id"], "name": tag["name"], "slug": tag["slug"]}}
    assert sj.post(f"{base}/tags", json={"tag": {"id": tag["id"]}}).status_code == 400  # once
    assert sj.post(f"{base}/tags", json={"tag": {"id": "nosuch"}}).status_code == 400
    check(sj.get(f"{base}/tags"), "GET", PC + "/tags")
    check(sj.get(f"{base}/tags/{tag['id']}"), "GET", PC + "/tags/{tag_id}")

    hidden = sj.post(f"{base}/visibility-overrides", files={"student_group.id": (None, group["id"]),
                                                            "is_visible": (None, "false")})  # multipart
    check(hidden, "POST", PC + "/visibility-overrides")
    assert ok(hidden, 201) == {"student_group": {"id": group["id"], "name": group["name"]}, "is_visible": False}
    assert sj.post(f"{base}/visibility-overrides", json={"student_group": {"id": group["id"]}}).json() == \
        {"is_visible": ["This field is required."]}
    check(sj.get(f"{base}/visibility-overrides"), "GET", PC + "/visibility-overrides")
    check(sj.get(f"{base}/visibility-overrides/{group['id']}"), "GET", PC + "/visibility-overrides/{student_group_id}")

    required = sj.post(f"{base}/student-group-prerequisites", json={"student_group": {"id": group["id"]}})
    check(required, "POST", PC + "/student-group-prerequisites")
    check(sj.get(f"{base}/student-group-prerequisites"), "GET", PC + "/student-group-prerequisites")
    check(sj.get(f"{base}/student-group-prerequisites/{group['id']}"), "GET",
          PC + "/student-group-prerequisites/{student_group_id}")

    before = sj.post(f"{base}/published-course-prerequisites", json={"published_course": {"id": other["id"]}})
    check(before, "POST", PC + "/published-course-prerequisites")
    assert ok(before, 201) == {"published_course": {"id": other["id"]}}
    check(sj.get(f"{base}/published-course-prerequisites"), "GET", PC + "/published-course-prerequisites")
    foreign = everything(sj, f"/domains/{OTHER}/published-courses")[0]
    assert sj.post(f"{base}/published-course-prerequisites",
                   json={"published_course": {"id": foreign["id"]}}).status_code == 400  # another domain's

    for gone in (f"{base}/tags/{tag['id']}", f"{base}/visibility-overrides/{group['id']}",
                 f"{base}/student-group-prerequisites/{group['id']}",
                 f"{base}/published-course-prerequisites/{other['id']}"):
        assert sj.delete(gone).status_code == 204, gone
        assert sj.delete(gone).status_code == 404, gone
    assert tag["id"] not in [t["tag"]["id"] for t in everything(sj, f"{base}/tags")]
    for listed in ("visibility-overrides", "student-group-prerequisites"):
        assert group["id"] not in [o["student_group"]["id"] for o in everything(sj, f"{base}/{listed}")], listed
    assert other["id"] not in [p["published_course"]["id"] for p in everything(sj, f"{base}/published-course-prerequisites")]
    assert sj.get(f"/domains/{OTHER}/published-courses/{published['id']}/tags").status_code == 404  # not there


def test_unpublishing_the_prerequisite_drops_it_from_the_courses_that_required_it(sj):
    published = demo_course(sj)
    course = new_course(sj)
    required = ok(sj.post(f"/domains/{D}/published-courses", json={"course": {"id": course["id"]}}), 201)
    base = f"/domains/{D}/published-courses/{published['id']}"
    ok(sj.post(f"{base}/published-course-prerequisites", json={"published_course": {"id": required["id"]}}), 201)
    assert sj.delete(f"/domains/{D}/published-courses/{required['id']}").status_code == 204
    assert everything(sj, f"{base}/published-course-prerequisites") == []


# -- published paths ----------------------------------------------------------------------------------


def test_a_path_is_made_published_and_unpublished_leaving_the_path(sj):
    made = sj.post(f"/domains/{D}/published-paths", json={"slug": "onboarding", "path": {"title": "Zeppelin onboarding"}})
    check(made, "POST", "/domains/{domain_name}/published-paths")
    published = ok(made, 201)
    path_id = published["path"]["id"]
    assert ok(sj.get(f"/paths/{path_id}"))["title"] == "Zeppelin onboarding"
    assert published["offer"]["registration_open"] is True
    assert sj.post(f"/domains/{D}/published-paths",
                   json={"slug": "onboarding", "path": {"title": "Again"}}).status_code == 400  # slug taken
    assert sj.post(f"/domains/{D}/published-paths", json={"slug": "Bad Slug", "path": {"title": "X"}}).status_code == 400
    assert sj.post(f"/domains/{D}/published-paths", json={"slug": "no-title", "path": {}}).json() == \
        {"path": {"title": ["This field is required."]}}
    found = everything(sj, f"/domains/{D}/published-paths", search="ZEPPELIN")
    assert [p["id"] for p in found] == [published["id"]]
    one = f"/domains/{D}/published-paths/{published['id']}"
    put = sj.put(one, json={"hidden": True})
    check(put, "PUT", PP)
    assert ok(put)["hidden"] is True and ok(put)["slug"] == "onboarding"
    patched = sj.patch(one, json={"slug": "onboarding-2"})
    check(patched, "PATCH", PP)
    assert ok(sj.get(one))["slug"] == "onboarding-2"
    assert sj.delete(one).status_code == 204 and sj.get(one).status_code == 404
    assert ok(sj.get(f"/paths/{path_id}"))["id"] == path_id  # the path stays


def test_path_items_are_added_moved_and_removed_and_show_on_the_path(sj):
    published = ok(sj.post(f"/domains/{D}/published-paths", json={"slug": "track", "path": {"title": "Track"}}), 201)
    base = f"/domains/{D}/published-paths/{published['id']}/path-items"
    first, second = everything(sj, f"/domains/{D}/published-courses")[:2]
    added = sj.post(base, json={"order": 2, "published_course": {"id": first["id"]}})
    check(added, "POST", PP + "/path-items")
    item = ok(added, 201)
    assert item["published_course"] == {"id": first["id"], "course_id": first["course"]["id"], "slug": first["slug"]}
    ok(sj.post(base, data={"order": "1", "published_course.id": second["id"]}), 201)  # form, nested as DRF reads it
    assert sj.post(base, json={"order": 3, "published_course": {"id": first["id"]}}).status_code == 400  # twice
    foreign = everything(sj, f"/domains/{OTHER}/published-courses")[0]
    assert sj.post(base, json={"order": 3, "published_course": {"id": foreign["id"]}}).status_code == 400
    listed = sj.get(base)
    check(listed, "GET", PP + "/path-items")
    assert [i["published_course"]["id"] for i in ok(listed)["results"]] == [second["id"], first["id"]]
    path_id = published["path"]["id"]
    assert [i["course"]["id"] for i in everything(sj, f"/paths/{path_id}/path-items")] == \
        [second["course"]["id"], first["course"]["id"]]
    check(sj.get(f"{base}/{item['id']}"), "GET", PP + "/path-items/{path_item_id}")
    moved = sj.patch(f"{base}/{item['id']}", json={"order": 0})
    check(moved, "PATCH", PP + "/path-items/{path_item_id}")
    check(sj.put(f"{base}/{item['id']}", json={"order": 0}), "PUT", PP + "/path-items/{path_item_id}")
    assert [i["id"] for i in everything(sj, base)][0] == item["id"]
    assert sj.delete(f"{base}/{item['id']}").status_code == 204
    assert sj.get(f"{base}/{item['id']}").status_code == 404 and len(everything(sj, base)) == 1


def test_labels_tags_and_visibility_hang_on_a_published_path(sj, fresh):
    published = ok(sj.post(f"/domains/{D}/published-paths", json={"slug": "tagged", "path": {"title": "T"}}), 201)
    base = f"/domains/{D}/published-paths/{published['id']}"
    label = table(fresh, "skilljar_labels")[0]
    tag = table(fresh, "skilljar_tags")[0]
    group = everything(sj, "/groups")[0]

    labelled = sj.post(f"{base}/labels", json={"label": {"id": label["id"]}})
    check(labelled, "POST", PP + "/labels")
    assert ok(labelled, 201) == {"label": {"id": label["id"], "name": label["name"]}}
    check(sj.get(f"{base}/labels"), "GET", PP + "/labels")
    check(sj.get(f"{base}/labels/{label['id']}"), "GET", PP + "/labels/{label_id}")
    by_label = everything(sj, f"/domains/{D}/published-paths", label__name=label["name"])
    assert published["id"] in [p["id"] for p in by_label]

    check(sj.post(f"{base}/tags", json={"tag": {"id": tag["id"]}}), "POST", PP + "/tags")
    check(sj.get(f"{base}/tags"), "GET", PP + "/tags")
    check(sj.get(f"{base}/tags/{tag['id']}"), "GET", PP + "/tags/{tag_id}")

    shown = sj.post(f"{base}/visibility-overrides", json={"student_group": {"id": group["id"]}, "is_visible": True})
    check(shown, "POST", PP + "/visibility-overrides")
    check(sj.get(f"{base}/visibility-overrides"), "GET", PP + "/visibility-overrides")
    check(sj.get(f"{base}/visibility-overrides/{group['id']}"), "GET", PP + "/visibility-overrides/{student_group_id}")

    for gone in (f"{base}/labels/{label['id']}", f"{base}/tags/{tag['id']}", f"{base}/visibility-overrides/{group['id']}"):
        assert sj.delete(gone).status_code == 204 and sj.get(gone).status_code == 404, gone
    assert published["id"] not in [p["id"] for p in everything(sj, f"/domains/{D}/published-paths",
                                                                 label__name=label["name"])]


# -- single reads and deletions of the catalog and commerce resources ----------------------------------


def test_one_course_is_read_and_its_time_text_is_held_to_fifteen_characters(sj):
    course = new_course(sj)
    check(sj.get(f"/courses/{course['id']}"), "GET", "/courses/{course_id}")
    assert sj.patch(f"/courses/{course['id']}", json={"manual_course_time": "x" * 16}).status_code == 400
    assert sj.patch(f"/courses/{course['id']}", json={"manual_course_time": ""}).status_code == 400
    assert ok(sj.patch(f"/courses/{course['id']}", json={"manual_course_time": "x" * 15}))["manual_course_time"] == "x" * 15
    assert ok(sj.post("/courses", files={"title": (None, "T" * 300), "short_description": (None, "S"),
                                         "enforce_sequential_navigation": (None, "true")}), 201)["title"] == "T" * 300
    assert sj.delete(f"/courses/{course['id']}").status_code == 204
    assert sj.get(f"/courses/{course['id']}").status_code == 404


def test_series_plans_offers_and_codes_are_read_one_at_a_time(sj):
    series = everything(sj, f"/domains/{D}/course-series")[0]
    got = sj.get(f"/domains/{D}/course-series/{series['id']}")
    check(got, "GET", "/domains/{domain_name}/course-series/{course_series_id}")
    assert ok(got) == series
    plan = everything(sj, f"/domains/{D}/plan")[0]
    got = sj.get(f"/domains/{D}/plan/{plan['id']}")
    check(got, "GET", "/domains/{domain_name}/plan/{plan_id}")
    assert ok(got) == plan
    assert sj.get(f"/domains/{OTHER}/plan/{plan['id']}").status_code == 404
    credit = everything(sj, "/training-credit-codes")[0]
    got = sj.get(f"/training-credit-codes/{credit['id']}")
    check(got, "GET", "/training-credit-codes/{training_credit_code_id}")
    assert ok(got)["training_credit_code"] == credit["training_credit_code"]
    pool = everything(sj, "/promo-code-pools")[0]
    check(sj.get(f"/promo-code-pools/{pool['id']}"), "GET", "/promo-code-pools/{promo_code_pool_id}")
    code = everything(sj, "/promo-codes")[0]
    check(sj.get(f"/promo-codes/{code['id']}"), "GET", "/promo-codes/{promo_code_id}")


def test_an_offer_price_changes_by_put_and_shows_on_its_published_course(sj):
    published = demo_course(sj)
    offer = published["offer"]["id"]
    priced = sj.put(f"/offers/{offer}", data={"price_cents": "1250"})  # PUT is partial, as PATCH
    check(priced, "PUT", "/offers/{offer_id}")
    assert ok(priced)["price_cents"] == 1250 and ok(priced)["currency_code"]
    shown = ok(sj.get(f"/domains/{D}/published-courses/{published['id']}"))["offer"]["price"]
    assert shown["amount"] == "12.50"
    assert sj.patch(f"/offers/{offer}", json={"price_cents": -1}).status_code == 400
    assert sj.patch(f"/offers/{offer}", json={"currency_code": "XXX"}).status_code == 400


def test_commerce_deletions_detach_and_remove(sj):
    pool = everything(sj, "/promo-code-pools")[0]
    offer = everything(sj, "/offers")[0]
    ok(sj.post(f"/promo-code-pools/{pool['id']}/offers", data={"id": offer["id"]}), 201)  # a form names one offer
    assert sj.delete(f"/promo-code-pools/{pool['id']}/offers/{offer['id']}").status_code == 204
    assert sj.delete(f"/promo-code-pools/{pool['id']}/offers/{offer['id']}").status_code == 404
    assert ok(sj.get(f"/offers/{offer['id']}"))["id"] == offer["id"]  # the offer stays
    code = ok(sj.post("/promo-codes", json={"code": "GONE-SOON", "max_uses": 3, "promo_code_pool_id": pool["id"]}), 201)
    assert sj.delete(f"/promo-codes/{code['id']}").status_code == 204
    assert sj.get(f"/promo-codes/{code['id']}").status_code == 404
    assert sj.post("/promo-codes", json={"code": "x" * 41, "max_uses": 1, "promo_code_pool_id": pool["id"]}).status_code == 400


def test_access_code_pools_and_codes_are_deleted(sj):
    pool = ok(sj.post(f"/domains/{D}/access-code-pools", data={"name": "Short-lived pool"}), 201)
    base = f"/domains/{D}/access-code-pools/{pool['id']}"
    code = ok(sj.post(f"{base}/access-codes", json={"code": "ONE-USE"}), 201)
    second = ok(sj.post(f"{base}/access-codes", json={}), 201)
    assert sj.delete(f"{base}/access-codes/{code['id']}").status_code == 204
    assert sj.get(f"{base}/access-codes/{code['id']}").status_code == 404
    assert sj.delete(base).status_code == 204
    assert sj.get(base).status_code == 404 and sj.get(f"{base}/access-codes/{second['id']}").status_code == 404


def test_a_training_credit_code_read_alone_names_its_groups_and_offers(sj):
    credit = everything(sj, "/training-credit-codes")[0]
    group = everything(sj, "/groups")[0]
    ok(sj.patch(f"/training-credit-codes/{credit['id']}",
                json={"available_to_all_students": False, "student_groups": {"add": [group["id"]]}}))
    got = sj.get(f"/training-credit-codes/{credit['id']}")
    check(got, "GET", "/training-credit-codes/{training_credit_code_id}")
    assert group["id"] in ok(got)["student_groups"] and isinstance(ok(got)["offers"], list)


def test_assets_and_web_packages_are_deleted_only_when_no_lesson_uses_them(sj, fresh):
    used_asset = next(l["content_asset_id"] for l in table(fresh, "skilljar_lessons") if l.get("content_asset_id"))
    refused = sj.delete(f"/assets/{used_asset}")
    assert refused.status_code == 400 and "non_field_errors" in refused.json()
    assert sj.get(f"/assets/{used_asset}").status_code == 200
    asset = ok(sj.post("/assets", json={"content_url": "https://files.example.com/guide.pdf"}), 201)
    assert sj.delete(f"/assets/{asset['id']}").status_code == 204 and sj.get(f"/assets/{asset['id']}").status_code == 404
    used_package = next(l["content_web_package_id"] for l in table(fresh, "skilljar_lessons")
                        if l.get("content_web_package_id"))
    assert sj.delete(f"/web-packages/{used_package}").status_code == 400
    package = ok(sj.post("/web-packages", data={"content_url": "https://files.example.com/scorm.zip",
                                                "web_package.title": "SCORM"}), 201)
    assert sj.delete(f"/web-packages/{package['id']}").status_code == 204
    assert sj.get(f"/web-packages/{package['id']}").status_code == 404
