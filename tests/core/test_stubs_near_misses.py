"""Stubs (canned answers before any handler) and near misses (what an unmatched request meant)."""

from __future__ import annotations

import uuid

import pytest
import requests

from mockserver.stubs import resolve_pointer

SESSIONS = "/quiz/api/v3/quiz/sessions"


@pytest.fixture
def tenant(sandbox):
    handle = sandbox.tenant(f"stubs-{uuid.uuid4().hex[:12]}")
    try:
        yield handle
    finally:
        handle.drop()
        handle.close()


def quiz_headers(handle) -> dict:
    token = handle.credentials["quiz"]["token"]
    return {**handle.headers, "Authorization": f"Bearer {token}", "Content-Type": "application/vnd.api+json"}


def admin(handle, method: str, path: str, **kwargs):
    return requests.request(method, f"{handle.origin}/__admin{path}", headers=handle.headers, timeout=30, **kwargs)


def test_a_stub_answers_before_the_handler_and_is_journaled_with_its_id(tenant):
    before = tenant.health()["rows"]
    stub = tenant.stub({"status": 503, "headers": {"Retry-After": "7"}, "body": {"error": "down for upkeep"}},
                       vendor="quiz", method="POST", path=SESSIONS)
    body = {"data": {"type": "quiz/sessions", "attributes": {"person_id": 1}}}
    answer = requests.post(tenant.origin + SESSIONS, json=body, headers=quiz_headers(tenant), timeout=30)
    assert answer.status_code == 503 and answer.json() == {"error": "down for upkeep"}
    assert answer.headers["retry-after"] == "7" and answer.headers["content-type"] == "application/json"
    assert tenant.health()["rows"] == before  # never applied to the store
    entry = tenant.requests(method="POST", path=SESSIONS)[0]
    assert entry["stub"] == stub["id"] and entry["status"] == 503 and '"person_id"' in entry["body"]
    assert tenant.stubs()[0]["hits"] == 1
    # A GET on the same path is not the stub's: the vendor answers.
    assert requests.get(tenant.origin + SESSIONS, headers=quiz_headers(tenant), timeout=30).status_code == 200
    assert tenant.requests(method="GET")[0]["stub"] is None


def test_stubs_match_query_headers_and_body_and_the_vendor_reads_the_body_of_a_miss(tenant):
    tenant.stub({"status": 200, "body": "by pointer"}, path=SESSIONS, method="POST",
                body={"pointer": "/data/attributes/person_id", "equals": 42})
    tenant.stub({"status": 200, "body": "by query"}, path=SESSIONS, query={"page[size]": "2"},
                headers={"X-Case": "b"})
    headers = quiz_headers(tenant)
    hit = requests.post(tenant.origin + SESSIONS, headers=headers, timeout=30,
                        json={"data": {"type": "quiz/sessions", "attributes": {"person_id": 42}}})
    assert hit.text == "by pointer" and hit.headers["content-type"].startswith("text/plain")
    # Another body: no stub takes it, and the handler still reads the whole body.
    miss = requests.post(tenant.origin + SESSIONS, headers=headers, timeout=30,
                         json={"data": {"type": "quiz/sessions", "attributes": {"person_id": 1}}})
    assert miss.status_code == 201, miss.text
    assert miss.json()["data"]["attributes"]["person_id"] == 1
    url = tenant.origin + SESSIONS + "?page[size]=2"
    assert requests.get(url, headers={**headers, "X-Case": "b"}, timeout=30).text == "by query"
    assert requests.get(url, headers={**headers, "X-Case": "c"}, timeout=30).status_code == 200
    assert requests.get(url, headers={**headers, "X-Case": "c"}, timeout=30).headers["content-type"].startswith(
        "application/vnd.api+json")


def test_lowest_priority_wins_then_newest_and_times_retires_a_stub(tenant):
    url, headers = tenant.origin + SESSIONS, quiz_headers(tenant)
    tenant.stub({"body": "low"}, path=SESSIONS, priority=1, times=1)
    tenant.stub({"body": "old"}, path=SESSIONS)
    tenant.stub({"body": "new"}, path=SESSIONS)
    assert [requests.get(url, headers=headers, timeout=30).text for _ in range(2)] == ["low", "new"]
    assert [s["active"] for s in tenant.stubs()] == [False, True, True]


def test_stubs_are_per_tenant_and_deleted_one_or_all(tenant, sandbox):
    stub = tenant.stub({"status": 418, "body": "teapot"}, vendor="quiz")
    assert sandbox.stubs() == []  # the default tenant has none
    token = sandbox.credentials["quiz"]["token"]
    assert requests.get(sandbox.origin + SESSIONS, headers={"Authorization": f"Bearer {token}"},
                        timeout=30).status_code == 200
    assert admin(sandbox, "DELETE", f"/stubs/{stub['id']}").status_code == 404  # not the default's
    assert admin(tenant, "DELETE", f"/stubs/{stub['id']}").status_code == 204
    tenant.stub({"body": "a"}, vendor="quiz")
    tenant.clear_stubs()
    assert tenant.stubs() == []


@pytest.mark.parametrize("stub, field", [
    ({"response": {"status": 200}}, "match"),
    ({"match": {}, "response": {"status": 200}}, "match"),
    ({"match": {"vendor": "nope"}, "response": {"status": 200}}, "vendor"),
    ({"match": {"vendor": "quiz"}, "response": {"status": 99}}, "status"),
    ({"match": {"vendor": "quiz"}, "response": {"status": 600}}, "status"),
    ({"match": {"body": {"pointer": "/a"}}, "response": {}}, "equals"),
    ({"match": {"vendor": "quiz", "colour": "red"}, "response": {}}, "colour"),
])
def test_a_bad_stub_is_a_400_naming_the_field(tenant, stub, field):
    answer = admin(tenant, "POST", "/stubs", json=stub)
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert field in error["detail"] + str(error.get("violations"))
    assert tenant.stubs() == []


def test_json_pointer_follows_rfc_6901():
    document = {"a/b": [{"m~n": 1}], "": 2}
    assert resolve_pointer(document, "/a~1b/0/m~0n") == 1
    assert resolve_pointer(document, "/") == 2
    assert resolve_pointer(document, "") is document
    assert resolve_pointer(document, "/a~1b/5") is not None and resolve_pointer(document, "/x") is not None


def test_an_unmatched_request_keeps_the_vendors_404_and_lists_its_near_misses(tenant):
    headers = quiz_headers(tenant)
    answer = requests.get(tenant.origin + "/quiz/api/v3/quiz/sesions/12", headers=headers, timeout=30)
    assert answer.status_code == 404
    assert answer.json() == requests.get(tenant.origin + "/quiz/api/v3/nothing/here", headers=headers,
                                         timeout=30).json()  # the vendor's own 404 body
    missed = tenant.unmatched()
    assert [e["path"] for e in missed] == ["/quiz/api/v3/nothing/here", "/quiz/api/v3/quiz/sesions/12"]
    best = missed[1]["near_misses"][0]
    assert best == {"method": "GET", "path": "/quiz/api/v3/quiz/sessions/{session_id}", "score": best["score"]}
    assert 0.9 < best["score"] <= 1
    # A 404 for a missing record on a real route is not a near miss.
    assert requests.get(tenant.origin + SESSIONS + "/999999", headers=headers, timeout=30).status_code == 404
    assert len(tenant.unmatched()) == 2
    assert "near_misses" not in tenant.requests(path=SESSIONS + "/999999")[0]
    assert tenant.unmatched(limit=1)[0]["path"] == "/quiz/api/v3/nothing/here"


def test_a_path_too_long_to_be_a_typo_is_marked_unmatched_without_guesses(tenant):
    long_path = "/quiz/api/v3/" + "x" * 400
    assert requests.get(tenant.origin + long_path, headers=quiz_headers(tenant), timeout=30).status_code == 404
    assert tenant.unmatched()[0]["near_misses"] == []


def test_a_fault_acts_before_a_stub(tenant):
    headers = quiz_headers(tenant)
    tenant.stub({"status": 200, "body": "stubbed"}, vendor="quiz", path=SESSIONS)
    tenant.fault({"type": "error", "status": 503}, vendor="quiz", path=SESSIONS, times=1)
    first = requests.get(tenant.origin + SESSIONS, headers=headers, timeout=30)
    second = requests.get(tenant.origin + SESSIONS, headers=headers, timeout=30)
    assert (first.status_code, second.text) == (503, "stubbed")
    entries = tenant.requests(path=SESSIONS)
    assert [(e["status"], bool(e["stub"]), bool(e["faults"])) for e in entries] == [(200, True, False), (503, False, True)]
    assert tenant.stubs()[0]["hits"] == 1
