"""Canvas conventions on every route: auth answers, paging and its Link header, error shapes,
throttle headers and throttling, serving at the real root."""

from __future__ import annotations

import requests

from canvas_helpers import client, links, not_found, ok, unauthorized
from mockserver.testing import SandboxServer


# -- auth ------------------------------------------------------------------------------------------


def test_no_credentials_is_unauthenticated_without_a_challenge(fresh):
    with client(fresh, None) as anonymous:
        response = anonymous.get("/accounts")
    assert response.status_code == 401
    assert response.json() == {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}
    assert "WWW-Authenticate" not in response.headers


def test_an_unknown_token_is_invalid_with_a_bearer_challenge(fresh):
    with client(fresh, "not-a-real-token") as stranger:
        response = stranger.get("/accounts")
    assert response.status_code == 401 and response.json() == {"errors": [{"message": "Invalid access token."}]}
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'


def test_the_token_also_works_as_the_access_token_query_parameter(cv, fresh):
    with client(fresh, None) as anonymous:
        me = ok(anonymous.get("/users/self", params={"access_token": cv.credentials["token"]}))
        assert me["id"] == 1
        assert anonymous.get("/users/self", params={"access_token": "nope"}).status_code == 401
    assert fresh.requests(vendor="canvas", path="*/users/self")[0]["query"] == "access_token=[redacted]"


def test_not_allowed_is_a_403_unauthorized(cv, fresh):
    with client(fresh, cv.credentials["student_token"]) as student:
        assert unauthorized(student.get("/accounts/1/reports"))


def test_an_unknown_record_or_route_is_canvas_404(cv):
    assert not_found(cv.get("/accounts/424242"))
    assert not_found(cv.get("/accounts/1/no_such_thing"))
    assert not_found(cv.get("/accounts/sis_account_id:NOPE"))


def test_a_request_that_breaks_the_spec_is_a_400_in_canvas_shape(cv):
    response = cv.get("/accounts/1/courses", params={"sort": "shoe_size", "enrollment_term_id": "fall"})
    assert response.status_code == 400
    messages = [e["message"] for e in response.json()["errors"]]
    assert any(m.startswith("sort is invalid") for m in messages)
    assert any(m.startswith("enrollment_term_id") for m in messages)
    bad_icon = cv.post("/accounts/1/account_notifications", data={"account_notification[icon]": "skull"})
    assert bad_icon.status_code == 400
    assert bad_icon.json()["errors"][0]["message"].startswith("account_notification[icon] is invalid")


# -- paging ----------------------------------------------------------------------------------------


def test_the_link_header_has_every_rel_in_canvas_order_and_keeps_the_query(cv, fresh):
    response = cv.get("/accounts/1/courses", params={"per_page": 5, "page": 2, "include[]": ["term", "teachers"],
                                                     "access_token": cv.credentials["token"], "sort": "course_name"})
    assert len(ok(response)) == 5
    base = f"{fresh.api('canvas')}/accounts/1/courses?include%5B%5D=term&include%5B%5D=teachers&sort=course_name&"
    assert response.headers["Link"] == ",".join([
        f'<{base}page=2&per_page=5>; rel="current"', f'<{base}page=3&per_page=5>; rel="next"',
        f'<{base}page=1&per_page=5>; rel="prev"', f'<{base}page=1&per_page=5>; rel="first"',
        f'<{base}page=8&per_page=5>; rel="last"'])


COURSES = 37  # the seeded courses of the root account and below that are not deleted


def test_per_page_defaults_to_10_and_is_clamped_to_1_through_100(cv):
    assert len(ok(cv.get("/accounts/1/courses"))) == 10
    one = cv.get("/accounts/1/courses", params={"per_page": 0})
    assert len(ok(one)) == 1 and links(one)["last"].endswith(f"page={COURSES}&per_page=1")
    assert len(ok(cv.get("/accounts/1/courses", params={"per_page": "abc"}))) == 1  # Ruby's "abc".to_i
    many = cv.get("/accounts/1/courses", params={"per_page": 1000})
    assert len(ok(many)) == COURSES and links(many)["current"].endswith("page=1&per_page=100")


def test_a_page_past_the_end_is_an_empty_list(cv):
    response = cv.get("/accounts/1/courses", params={"page": 99})
    assert ok(response) == []
    assert set(links(response)) == {"current", "prev", "first", "last"}


def test_following_next_reaches_every_course_once(cv):
    seen, response = [], cv.get("/accounts/1/courses", params={"per_page": 7})
    while True:
        seen += [c["id"] for c in ok(response)]
        if "next" not in links(response):
            break
        response = cv.get(links(response)["next"])
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == COURSES


# -- throttle --------------------------------------------------------------------------------------


def test_every_answer_carries_the_cost_and_what_is_left_of_the_bucket(cv, fresh):
    fresh.clock(now="2030-01-01T00:00:00Z", frozen=True)
    token = ok(cv.post("/users/self/tokens", data={"token[purpose]": "metered"}))["visible_token"]
    with client(fresh, token) as metered:
        first, second = metered.get("/users/self"), metered.get("/accounts/999")
        assert (first.headers["X-Request-Cost"], first.headers["X-Rate-Limit-Remaining"]) == ("1.0", "599.0")
        assert (second.status_code, second.headers["X-Rate-Limit-Remaining"]) == (404, "598.0")
        fresh.advance_clock(0.1)  # the bucket drains at 10 a second
        assert metered.get("/users/self").headers["X-Rate-Limit-Remaining"] == "598.0"


def test_a_full_bucket_is_throttled_in_canvas_plain_text_until_it_drains(cv, fresh):
    fresh.clock(now="2030-02-01T00:00:00Z", frozen=True)
    token = ok(cv.post("/users/self/tokens", data={"token[purpose]": "greedy"}))["visible_token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    url = fresh.api("canvas") + "/users/self"
    remaining = [session.get(url).headers["X-Rate-Limit-Remaining"] for _ in range(550)]
    assert remaining[-1] == "50.0"  # 50 left: exactly the up-front cost a request reserves
    throttled = session.get(url)
    assert throttled.status_code == 403 and throttled.text == "403 Forbidden (Rate Limit Exceeded)\n"
    assert throttled.headers["Content-Type"].startswith("text/plain")
    assert throttled.headers["X-Rate-Limit-Remaining"] == "0.0"
    fresh.advance_clock(1)
    assert session.get(url).status_code == 200


def test_the_throttle_can_be_turned_off_for_a_load_test_and_on_again(cv, fresh):
    fresh.clock(now="2030-03-01T00:00:00Z", frozen=True)
    token = ok(cv.post("/users/self/tokens", data={"token[purpose]": "load"}))["visible_token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    url = fresh.api("canvas") + "/users/self"
    assert fresh.vendor_action("canvas", "throttle", enabled=False) == {"enabled": False}
    try:
        answers = [session.get(url) for _ in range(600)]
        assert {a.status_code for a in answers} == {200}
        assert answers[-1].headers["X-Rate-Limit-Remaining"] == "600.0"
    finally:
        assert fresh.vendor_action("canvas", "throttle", enabled=True) == {"enabled": True}
    remaining = [session.get(url).headers["X-Rate-Limit-Remaining"] for _ in range(550)]
    assert remaining[0] == "599.0" and remaining[-1] == "50.0" and session.get(url).status_code == 403
    refused = requests.post(fresh.origin + "/__admin/vendors/canvas/actions/throttle", json={"enabled": "no"})
    assert refused.status_code == 400
    # Turning it on empties the buckets: the token secrets a reset makes again start with a full one.
    fresh.vendor_action("canvas", "throttle", enabled=True)
    assert session.get(url).headers["X-Rate-Limit-Remaining"] == "599.0"


def test_an_injected_rate_limit_is_canvas_throttling(cv, fresh):
    fresh.fault({"type": "rate_limit", "retry_after": 5}, vendor="canvas", times=1)
    response = requests.get(fresh.api("canvas") + "/accounts", headers={"Authorization": cv.headers["Authorization"]})
    assert response.status_code == 403 and response.text == "403 Forbidden (Rate Limit Exceeded)\n"
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.headers["X-Rate-Limit-Remaining"] == "0.0"
    assert ok(cv.get("/accounts"))[0]["id"] == 1


def test_injected_server_errors_are_canvas_error_reports(cv, fresh):
    fresh.fault({"type": "error", "status": 503}, vendor="canvas", times=1)
    response = requests.get(fresh.api("canvas") + "/accounts", headers={"Authorization": cv.headers["Authorization"]})
    assert response.status_code == 503
    assert response.json() == {"errors": [{"message": "An error occurred.", "error_code": "service_unavailable"}]}


# -- serving -----------------------------------------------------------------------------------------


def test_vendor_canvas_serves_at_the_real_root_with_matching_links():
    with SandboxServer(vendor="canvas") as handle:
        assert handle.url("canvas") == handle.origin and handle.api("canvas") == handle.origin + "/api/v1"
        headers = {"Authorization": f"Bearer {handle.credentials['canvas']['token']}"}
        response = requests.get(handle.origin + "/api/v1/accounts/1/sub_accounts", params={"per_page": 2}, headers=headers)
        assert response.status_code == 200 and len(response.json()) == 2
        assert response.headers["Link"].startswith(f"<{handle.origin}/api/v1/accounts/1/sub_accounts?page=1&per_page=2>")


def test_without_auth_every_request_acts_as_the_demo_admin():
    with SandboxServer(no_auth=True, vendor="canvas") as handle:
        me = requests.get(handle.api("canvas") + "/users/self")
        assert me.status_code == 200 and me.json()["name"] == "Ada Admin"
