"""Hostile input, as a fuzzer or a careless client sends it: every vendor answers a 4xx in its
own error shape, changes nothing in the store, logs no traceback, and keeps serving."""

from __future__ import annotations

import http.client
import json
import logging
from urllib.parse import urlsplit

import pytest
import requests

from support import auth_headers as _headers

BIG = 2**70
DEEP_JSON = "[" * 10_000 + "]" * 10_000


def _verse(body) -> bool:
    return isinstance(body, dict) and str(body["errors"][0]["title"]).startswith("Verse::Error::")


def _synap(body) -> bool:
    error = body["errors"][0]
    return isinstance(error["status"], str) and "title" in error and "detail" in error


def _canvas(body) -> bool:
    return isinstance(body, dict) and "errors" in body


def _drf(body) -> bool:
    return isinstance(body, dict) and body and all(
        isinstance(v, (str, list, dict)) for v in body.values()) and "errors" not in body


WARM = {"quiz": "/quiz/sessions/1", "synap": "/users?limit=1&offset=0", "canvas": "/accounts/1",
        "skilljar": "/courses?page_size=1"}
SHAPES = {"quiz": _verse, "synap": _synap, "canvas": _canvas, "skilljar": _drf}


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def recorder():
    handler = Recorder()
    loggers = [logging.getLogger(name) for name in ("mockserver", "uvicorn", "uvicorn.error", "")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


JSONAPI = {"Content-Type": "application/vnd.api+json"}
JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

# (vendor, method, path below the vendor's API root, extra headers, body)
CASES = [
    # integers past 64 bits, in a body and in the query
    ("quiz", "POST", "/quiz/sessions", JSONAPI, json.dumps({"data": {"type": "quiz/sessions", "attributes": {"person_id": BIG}}})),
    ("quiz", "POST", "/quiz/sessions", JSONAPI, json.dumps({"data": {"type": "quiz/sessions", "attributes": {"person_id": 2**64 - 1}}})),
    ("synap", "POST", "/user-groups", JSONAPI, json.dumps({"data": {"type": "UserGroup", "attributes": {"name": "x", "meta": {"n": BIG}}}})),
    ("skilljar", "POST", "/domains/demo.skilljar.com/users", JSON, json.dumps({"user": {"email": "big@example.com", "first_name": BIG}})),
    ("quiz", "GET", f"/quiz/sessions?page[number]={BIG * 229}", {}, None),
    ("quiz", "GET", f"/quiz/sessions?page[size]={BIG}", {}, None),
    ("synap", "GET", f"/users?limit={2**64}&offset=0", {}, None),
    ("synap", "GET", f"/users?limit=5&offset={BIG}", {}, None),
    ("skilljar", "GET", f"/courses?page={BIG}", {}, None),
    ("canvas", "GET", f"/accounts/{BIG}", {}, None),
    # malformed keys, deep nesting
    ("quiz", "GET", "/quiz/sessions?filter[[]=x", {}, None),
    ("quiz", "GET", "/quiz/sessions?page[[size]]=x&sort[=1", {}, None),
    ("synap", "GET", "/users?filter[[]=x&limit=5&offset=0", {}, None),
    ("quiz", "POST", "/quiz/sessions", JSONAPI, DEEP_JSON),
    ("synap", "POST", "/user-groups", JSONAPI, DEEP_JSON),
    ("skilljar", "POST", "/domains/demo.skilljar.com/users", JSON, DEEP_JSON),
    ("canvas", "POST", "/users/self/tokens", FORM, "token" + "[a]" * 5000 + "=x"),
    ("skilljar", "POST", "/domains/academy.demo-learning.com/users", FORM, "user" + ".a" * 5000 + "=x"),  # DRF nesting
    ("skilljar", "POST", "/quiz-questions", FORM, "answers" + "[0]" * 5000 + "=x"),
    ("canvas", "POST", "/users/self/tokens", JSON, DEEP_JSON),
    # date-times out of range, or overflowing with their offset (Canvas reads an unparsable
    # expires_at as none, as Rails' time parsing does: not hostile there)
    ("quiz", "GET", "/quiz/sessions?filter[created_at]=9999-12-31T23:59:59-01:00", {}, None),
    ("quiz", "PATCH", "/quiz/sessions/1", JSONAPI, json.dumps({"data": {"type": "quiz/sessions", "id": "1", "attributes": {"expires_at": "10000-01-01T00:00:00Z"}}})),
    # non-ASCII digits as ids, malformed multipart
    ("canvas", "GET", "/accounts/%C2%B9", {}, None),
    ("canvas", "GET", "/users/%C2%B9/tokens/1", {}, None),
    ("canvas", "GET", "/courses/%C2%B9", {}, None),
    ("canvas", "GET", "/courses/1/assignments/%C2%B9", {}, None),
    ("canvas", "GET", "/courses/%C2%B9/enrollments", {}, None),
    ("quiz", "GET", "/quiz/sessions/%C2%B9", {}, None),
    ("canvas", "POST", "/users/self/tokens", {"Content-Type": "multipart/form-data; boundary=xyz"}, "--xyz\r\nbroken"),
    ("canvas", "POST", "/users/self/tokens", {"Content-Type": "multipart/form-data"}, "no boundary"),
    # a 5 MB string field is refused without being echoed back whole
    ("quiz", "POST", "/quiz/sessions", JSONAPI, json.dumps({"data": {"type": "quiz/sessions", "attributes": {"person_id": "x" * 5_000_000}}})),
    # over the body size limit
    ("quiz", "POST", "/quiz/sessions", JSONAPI, " " * (11 * 1024 * 1024)),
    ("skilljar", "POST", "/domains/demo.skilljar.com/users", JSON, " " * (11 * 1024 * 1024)),
]


@pytest.mark.parametrize("vendor, method, path, extra, body", CASES,
                         ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_hostile_input_is_a_vendor_4xx_that_changes_nothing(fresh, recorder, vendor, method, path, extra, body):
    # A frozen clock, and the credential used once: what authenticating writes (a token's
    # last use) is then the same bytes again, and any other change shows.
    fresh.clock(now="2026-06-01T12:00:00Z", frozen=True)
    requests.get(fresh.api(vendor) + WARM[vendor], headers=_headers(fresh, vendor), timeout=30)
    before = requests.get(fresh.origin + "/__admin/state", timeout=60).content
    response = requests.request(method, fresh.api(vendor) + path, headers={**_headers(fresh, vendor), **extra},
                                data=body.encode() if isinstance(body, str) else body, timeout=60)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert SHAPES[vendor](response.json()), response.text[:300]
    assert len(response.content) < 20_000  # a huge value is never echoed back whole
    assert requests.get(fresh.origin + "/__admin/state", timeout=60).content == before
    assert not recorder.records, [r.getMessage()[:300] for r in recorder.records]
    assert requests.get(fresh.origin + "/__admin/health", timeout=30).status_code == 200


def test_a_long_canvas_query_keeps_the_link_header_readable(fresh):
    """Canvas keeps its links in the priority next > last > prev > current > first past ~6 KB, so
    Python's http.client (which refuses a header line over 64 KiB) can read the answer."""
    token = fresh.credentials["canvas"]["token"]
    url = urlsplit(fresh.api("canvas") + "/accounts/1/courses")
    query = "per_page=2&page=2&search_term=" + "a" * 16_000
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    connection.request("GET", f"{url.path}?{query}", headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status in (200, 400), body[:300]
    link = response.getheader("Link") or ""
    assert len(link) <= 6000


def test_canvas_links_keep_next_first_when_they_are_long():
    from mockserver.vendors.canvas.paging import link_header

    link = link_header("http://h/api/v1/accounts/1/courses?search_term=" + "a" * 1500, 2, 10, 5)
    rels = [part.rsplit('rel="', 1)[1].rstrip('"') for part in link.split(",<")]
    assert rels == ["next", "prev", "last"] or set(rels) <= {"next", "last", "prev"}
    assert "next" in rels and len(link) <= 6000
