"""Skilljar rules and request contracts the official spec states for quizzes, groups, lessons,
license packages and ILT (past seed 003): one rating per course, e-mail domain rules that need
`add` or `remove`, PUT bodies with their required fields, 32-bit quiz settings, and the form and
multipart bodies DRF reads beside JSON."""

from __future__ import annotations

from skilljar_helpers import D, everything, ok
from skilljar_oracle import check, needs_oracle

pytestmark = needs_oracle


def new_course_with_lessons(sj, count):
    course = ok(sj.post("/courses", json={"title": "Rated", "short_description": "S",
                                          "enforce_sequential_navigation": False}), 201)
    return [ok(sj.post("/lessons", json={"course_id": course["id"], "title": f"L{n}", "type": "HTML", "order": n}), 201)
            for n in range(1, count + 1)]


def test_a_course_has_at_most_one_rating_block(sj):
    first, second = new_course_with_lessons(sj, 2)
    rating = sj.post(f"/lessons/{first['id']}/rating-content-blocks", json={"rating_scale": 10})
    check(rating, "POST", "/lessons/{lesson_id}/rating-content-blocks")
    block = ok(rating, 201)
    # "Only one rating is allowed per course" (official spec).
    refused = sj.post(f"/lessons/{second['id']}/rating-content-blocks", json={})
    assert refused.status_code == 400 and refused.json() == {"non_field_errors": ["Only one rating is allowed per course."]}
    assert [i["type"] for i in everything(sj, f"/lessons/{second['id']}/content-items")] == []  # nothing half-made
    assert sj.delete(f"/lessons/{first['id']}/rating-content-blocks/{block['id']}").status_code == 204
    assert sj.get(f"/lessons/{first['id']}/content-items/{block['content_item_id']}").status_code == 404
    moved = ok(sj.post(f"/lessons/{second['id']}/rating-content-blocks", json={}), 201)
    assert moved["rating_scale"] == 5 and moved["rating_question"]


def test_a_rating_scale_is_five_or_ten(sj):
    (lesson,) = new_course_with_lessons(sj, 1)
    assert sj.post(f"/lessons/{lesson['id']}/rating-content-blocks", json={"rating_scale": 7}).status_code == 400
    block = ok(sj.post(f"/lessons/{lesson['id']}/rating-content-blocks", json={"rating_scale": 10,
                                                                              "rating_scale_low_label": "Poor"}), 201)
    path = f"/lessons/{lesson['id']}/rating-content-blocks/{block['id']}"
    assert sj.put(path, json={"rating_scale": 3}).status_code == 400
    assert ok(sj.put(path, json={"rating_scale": 5}))["rating_scale_low_label"] == "Poor"  # the rest stays
    assert sj.patch(path, json={"rating_scale_high_label": "x" * 101}).status_code == 400


def test_email_domain_rules_need_add_or_remove_and_repeat_harmlessly(sj):
    group = ok(sj.post("/groups", json={"name": "By domain"}), 201)
    path = f"/groups/{group['id']}/email-domain-rules"
    assert sj.patch(path, json={}).json() == {"non_field_errors": ["At least one of add or remove must be provided."]}
    added = sj.patch(path, json={"add": ["Example.COM", "example.com"]})
    check(added, "PATCH", "/groups/{group_id}/email-domain-rules")
    assert ok(added) == {"add": ["example.com"], "remove": []}
    assert ok(sj.patch(path, json={"add": ["example.com"], "remove": ["not-there.org"]}))
    assert ok(sj.get(path)) == {"email_domains": ["example.com"]}
    assert ok(sj.get(f"/groups/{group['id']}"))["rule_email_domains"] == ["example.com"]
    assert ok(sj.patch(path, json={"remove": ["EXAMPLE.com"]})) == {"add": [], "remove": ["example.com"]}
    assert ok(sj.get(path)) == {"email_domains": []}
    assert sj.patch("/groups/nosuch/email-domain-rules", json={}).json() == {"detail": "Not found."}


def test_a_deleted_group_takes_its_memberships_and_links_but_not_its_users(sj):
    group = everything(sj, "/groups")[0]
    member = everything(sj, f"/groups/{group['id']}/users")[0]["user"]
    check(sj.get(f"/groups/{group['id']}"), "GET", "/groups/{group_id}")
    assert sj.delete(f"/groups/{group['id']}").status_code == 204
    assert sj.get(f"/groups/{group['id']}").status_code == 404
    assert sj.get(f"/groups/{group['id']}/users").status_code == 404
    assert ok(sj.get(f"/users/{member['id']}"))  # the user stays
    assert group["id"] not in [m["group"]["id"] for m in everything(sj, f"/users/{member['id']}/groups")]


def test_puts_that_replace_name_the_official_required_fields(sj):
    quiz = ok(sj.post("/quizzes", json={"name": "Replace me", "max_attempts": 3}), 201)
    assert sj.put(f"/quizzes/{quiz['id']}", json={"max_attempts": 4}).json() == {"name": ["This field is required."]}
    replaced = sj.put(f"/quizzes/{quiz['id']}", json={"name": "Replaced"})
    check(replaced, "PUT", "/quizzes/{quiz_id}")
    assert ok(replaced)["max_attempts"] == 3
    bank = ok(sj.post("/question-banks", json={"name": "Bank"}), 201)
    assert sj.put(f"/question-banks/{bank['id']}", json={}).json() == {"name": ["This field is required."]}
    question = ok(sj.post("/quiz-questions", json={"quiz": quiz["id"], "html": "<p>2+2?</p>", "type": "FREEFORM"}), 201)
    assert set(sj.put(f"/quiz-questions/{question['id']}", json={}).json()) == {"html", "type"}
    assert ok(sj.put(f"/quiz-questions/{question['id']}", json={"html": "<p>3+3?</p>", "type": "FREEFORM"}))["html"] == "<p>3+3?</p>"
    instructor = ok(sj.post("/ilt-instructors", json={"email": "replaced.teacher@example.com"}), 201)
    number = len(everything(sj, "/ilt-instructors"))
    assert ok(sj.get(f"/ilt-instructors/{number}"))["email"] == instructor["email"]
    assert sj.put(f"/ilt-instructors/{number}", json={}).json() == {"email": ["This field is required."]}


def test_quiz_settings_are_capped_at_32_bits(sj):
    top = 2 ** 31 - 1
    for field in ("max_attempts", "limit_question_count", "passing_percentage_correct"):
        assert sj.post("/quizzes", json={"name": "Big", field: top + 1}).status_code == 400, field
        made = sj.post("/quizzes", json={"name": "Big", field: top})
        check(made, "POST", "/quizzes")
        assert ok(made, 201)[field] == top
    assert sj.post("/quizzes", json={"name": "Slow", "time_limit_seconds": 3600001}).status_code == 400
    assert list(sj.post("/quizzes", json={"name": "No text", "html": ""}).json()) == ["html"]  # official minLength 1


def test_form_and_multipart_bodies_reach_quizzes_groups_and_licenses(sj):
    group = sj.post("/groups", data={"name": "Formed group", "discount_percent": "15"})
    assert ok(group, 201)["discount_percent"] == 15
    quiz = ok(sj.post("/quizzes", data={"name": "Form quiz"}), 201)
    # A list of objects in a form body, as DRF reads one (parse_html_list: answers[0]field, in index order).
    question = sj.post("/quiz-questions", files=[
        ("quiz", (None, quiz["id"])), ("html", (None, "<p>Pick one</p>")), ("type", (None, "MULTIPLE_CHOICE")),
        ("answers[1]answer_text", (None, "Wrong")), ("answers[1]correct", (None, "false")),
        ("answers[0]answer_text", (None, "Right")), ("answers[0]correct", (None, "true"))])
    made = ok(question, 201)
    assert [(a["answer_text"], a["correct"]) for a in made["answers"]] == [("Right", True), ("Wrong", False)]
    assert [q["id"] for q in everything(sj, f"/quizzes/{quiz['id']}/questions")] == [made["id"]]
    domain_id = next(d["id"] for d in ok(sj.get("/domains"))["results"] if d["name"] == D)
    package = sj.post("/license-packages", data={"name": "Formed seats", "domain_id": domain_id, "license_count": "2"})
    check(package, "POST", "/license-packages")
    patched = sj.patch(f"/license-packages/{ok(package, 201)['id']}", files={"license_count": (None, "5")})
    assert ok(patched)["license_count"] == 5
    assert sj.post("/ilt-instructors", data={"email": "not-an-email"}).status_code == 400


def test_a_membership_and_a_pool_link_are_read_and_removed_one_at_a_time(sj):
    group = everything(sj, "/groups")[0]
    link = everything(sj, f"/groups/{group['id']}/users")[0]
    one = f"/groups/{group['id']}/users/{link['user']['id']}"
    check(sj.get(one), "GET", "/groups/{group_id}/users/{user_id}")
    assert ok(sj.get(one)) == link
    assert sj.delete(one).status_code == 204
    assert sj.get(one).status_code == 404 and sj.delete(one).status_code == 404
    assert ok(sj.get(f"/groups/{group['id']}"))["user_count"] == group["user_count"] - 1
    pool = everything(sj, f"/domains/{D}/access-code-pools")[0]
    linked = ok(sj.post(f"/groups/{group['id']}/access-code-pools", data={"access_code_pool.id": pool["id"]}), 201)
    path = f"/groups/{group['id']}/access-code-pools/{pool['id']}"
    check(sj.get(path), "GET", "/groups/{group_id}/access-code-pools/{access_code_pool_id}")
    assert ok(sj.get(path)) == linked
    assert sj.delete(path).status_code == 204
    assert ok(sj.get(f"/domains/{D}/access-code-pools/{pool['id']}"))["id"] == pool["id"]  # the pool stays
    assert sj.get(path).status_code == 404
