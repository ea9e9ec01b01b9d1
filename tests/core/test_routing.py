"""What every vendor answers around its routes: 405 with Allow (RFC 9110 §15.5.6), HEAD as GET
without a body, Skilljar's OPTIONS as Django REST Framework's metadata, Canvas's own 404 for a
path it does not route, a trailing slash redirected, and the bundled spec with its $refs."""

from __future__ import annotations

import gzip

import requests

from support import auth_headers as _headers


def test_every_405_lists_the_methods_of_its_path(fresh):
    for vendor, path in (("quiz", "/quiz/sessions"), ("synap", "/users"), ("skilljar", "/courses")):
        response = requests.put(fresh.api(vendor) + path, headers=_headers(fresh, vendor), timeout=30)
        assert response.status_code == 405, (vendor, response.text)
        allowed = {m.strip() for m in response.headers["Allow"].split(",")}
        assert {"GET", "HEAD"} <= allowed and "PUT" not in allowed, (vendor, allowed)


def test_skilljar_names_the_method_it_refuses_as_drf_does(fresh):
    response = requests.put(fresh.api("skilljar") + "/courses", headers=_headers(fresh, "skilljar"), timeout=30)
    assert response.json() == {"detail": 'Method "PUT" not allowed.'}


def test_skilljar_answers_options_with_drf_metadata(fresh):
    response = requests.options(fresh.api("skilljar") + "/courses", headers=_headers(fresh, "skilljar"), timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Course List" and body["renders"][0] == "application/json"
    assert "multipart/form-data" in body["parses"]
    assert "OPTIONS" in response.headers["Allow"] and "GET" in response.headers["Allow"]


def test_options_elsewhere_is_a_405_in_the_vendor_shape(fresh):
    response = requests.options(fresh.api("quiz") + "/quiz/sessions", headers=_headers(fresh, "quiz"), timeout=30)
    assert response.status_code == 405 and response.json()["errors"][0]["title"] == "Verse::Error::MethodNotAllowed"
    assert "OPTIONS" not in response.headers["Allow"]


def test_head_is_get_without_a_body(fresh):
    for vendor, path in (("quiz", "/quiz/sessions/1"), ("canvas", "/accounts/1"), ("skilljar", "/courses"),
                         ("synap", "/users?limit=2&offset=0")):
        got = requests.get(fresh.api(vendor) + path, headers=_headers(fresh, vendor), timeout=30)
        head = requests.head(fresh.api(vendor) + path, headers=_headers(fresh, vendor), timeout=30)
        assert head.status_code == got.status_code == 200, vendor
        assert head.content == b"" and head.headers["Content-Type"] == got.headers["Content-Type"]
        assert int(head.headers["Content-Length"]) == len(got.content)


def test_canvas_answers_an_unrouted_path_with_its_own_404(fresh):
    response = requests.get(fresh.api("canvas") + "/no/such/thing", headers=_headers(fresh, "canvas"), timeout=30)
    assert response.status_code == 404
    assert response.json() == {"errors": [{"message": "The specified resource does not exist."}]}
    assert "Allow" not in response.headers


def test_a_trailing_slash_is_redirected_to_the_route(fresh):
    response = requests.get(fresh.api("quiz") + "/quiz/sessions/1/", headers=_headers(fresh, "quiz"),
                            allow_redirects=False, timeout=30)
    assert response.status_code == 307
    assert response.headers["Location"].endswith("/quiz/api/v3/quiz/sessions/1")


def test_the_spec_is_served_with_its_components_and_refs(fresh):
    response = requests.get(fresh.api("synap") + "/openapi.json", timeout=60)
    assert response.status_code == 200
    assert len(response.content) < 1_500_000 and '"$ref"' in response.text
    assert response.json()["components"]["schemas"]
    raw = requests.get(fresh.api("synap") + "/openapi.json", headers={"Accept-Encoding": "gzip"}, stream=True, timeout=60)
    assert raw.headers.get("Content-Encoding") == "gzip"
    assert len(raw.raw.read()) < 1_000_000 and gzip.decompress  # what a browser downloads


def test_the_swagger_ui_is_served(fresh):
    response = requests.get(fresh.api("quiz") + "/ui/", timeout=120)
    assert response.status_code == 200 and "swagger" in response.text.lower()
