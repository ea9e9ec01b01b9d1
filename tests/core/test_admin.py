"""The admin API: health, reset, reseed, state export/restore, clock, credentials."""

from __future__ import annotations

import orjson
import pytest
import requests

from mockserver.vendors import REGISTRY

from support import api_client


def admin(handle):
    return api_client(handle, "quiz").__class__(handle.origin + "/__admin", _admin_checker(handle))


_cache = {}


def _admin_checker(handle):
    from spec_check import SpecChecker

    if handle.origin not in _cache:
        _cache[handle.origin] = SpecChecker(requests.get(handle.origin + "/__admin/openapi.json").json(), "/__admin")
    return _cache[handle.origin]


@pytest.fixture
def ops(fresh):
    with admin(fresh) as client:
        yield client


def test_health_reports_version_vendors_and_row_counts(ops):
    health = ops.get("/health").json()
    assert health["status"] == "ok" and health["vendors"] == list(REGISTRY)
    assert health["seed"] == 42 and health["scale"] == "small"
    assert health["rows"]["quiz_sessions"] == 304 and health["rows"]["quiz_tokens"] == 1
    assert health["rows"]["skilljar_users"] == 300 and health["rows"]["canvas_users"] == 304
    assert health["uptime_seconds"] > 0


def test_credentials_are_keyed_by_vendor_and_authenticate(ops, quiz):
    credentials = ops.get("/credentials").json()
    assert set(credentials) == set(REGISTRY) and credentials["skilljar"]["api_key"]
    assert credentials["canvas"]["token"].startswith("canvas-demo-") and len(credentials["canvas"]["token"]) == 64
    assert quiz.headers["Authorization"] == f"Bearer {credentials['quiz']['token']}"
    assert quiz.get("/quiz/sessions/1").status_code == 200


def test_reset_drops_every_change_since_seeding(ops, quiz):
    seeded = ops.get("/state").content
    quiz.delete("/quiz/sessions/1")
    quiz.post("/quiz/sessions", json={"data": {"type": "quiz/sessions", "attributes": {"person_id": 5}}})
    assert ops.get("/state").content != seeded
    assert ops.post("/reset").json()["rows"]["quiz_sessions"] == 304
    assert ops.get("/state").content == seeded
    created = quiz.post("/quiz/sessions", json={"data": {"type": "quiz/sessions", "attributes": {"person_id": 5}}})
    assert created.json()["data"]["id"] == "305"  # ids count on from the seeded world again


def test_seed_builds_another_world_and_reset_returns_to_it(ops, quiz):
    try:
        first = quiz.get("/quiz/sessions/5").json()["data"]
        assert ops.post("/seed", json={"seed": 7}).json()["seed"] == 7
        other = quiz.get("/quiz/sessions/5").json()["data"]
        assert other != first
        quiz.delete("/quiz/sessions/5")
        ops.post("/reset")
        assert quiz.get("/quiz/sessions/5").json()["data"] == other
    finally:
        ops.post("/seed", json={"seed": 42, "scale": "small"})


def test_seed_rejects_an_unknown_scale(ops):
    response = ops.post("/seed", json={"scale": "huge"})
    assert response.status_code == 400
    assert response.json()["error"]["violations"][0]["pointer"] == "/scale"


def test_state_export_restores_exactly(ops, quiz):
    quiz.patch("/quiz/sessions/2", json={"data": {"type": "quiz/sessions", "attributes": {"name": "Kept"}}})
    snapshot = ops.get("/state").content
    ops.post("/reset")
    assert quiz.get("/quiz/sessions/2").json()["data"]["attributes"]["name"] != "Kept"
    assert ops.put("/state", data=snapshot, headers={"Content-Type": "application/json"}).status_code == 200
    assert ops.get("/state").content == snapshot
    assert quiz.get("/quiz/sessions/2").json()["data"]["attributes"]["name"] == "Kept"
    assert [d["id"] for d in quiz.get("/quiz/sessions", params={"page[size]": 3}).json()["data"]] == ["1", "2", "3"]


@pytest.mark.parametrize("document", [{"tables": {}}, {"format": "other", "tables": {}}, {"format": "mockserver-state/2"},
                                      {"format": "mockserver-state/2", "tables": {"t": [["only-a-key"]]}}])
def test_a_bad_state_document_is_400_and_loses_nothing(ops, document):
    before = ops.get("/state").content
    response = ops.put("/state", json=document)
    assert response.status_code == 400 and response.json()["error"]["status"] == 400
    assert ops.get("/state").content == before


def test_state_export_is_canonical_json(ops):
    raw = ops.get("/state").content
    assert orjson.dumps(orjson.loads(raw), option=orjson.OPT_SORT_KEYS) == raw


def test_clock_can_be_set_frozen_advanced_and_returned_to_real_time(ops):
    state = ops.put("/clock", json={"now": "2099-02-03T04:05:06Z", "frozen": True}).json()
    assert state == {"now": "2099-02-03T04:05:06Z", "frozen": True, "offset_seconds": None}
    assert ops.get("/clock").json()["now"] == "2099-02-03T04:05:06Z"
    assert ops.put("/clock", json={"advance": 90}).json()["now"] == "2099-02-03T04:06:36Z"
    running = ops.put("/clock", json={"frozen": False}).json()
    assert running["frozen"] is False and running["now"] >= "2099-02-03T04:06:36Z"
    assert running["offset_seconds"] > 0  # 2099 is ahead of the real clock
    real = ops.put("/clock", json={"now": None}).json()
    assert real["frozen"] is False and abs(real["offset_seconds"]) < 5


def test_clock_rejects_a_bad_instant(ops):
    before = ops.get("/clock").json()
    response = ops.put("/clock", json={"now": "soon"})
    assert response.status_code == 400
    assert response.json()["error"]["violations"] == [
        {"location": "body", "pointer": "/now", "message": "not an ISO 8601 date-time"}
    ]
    assert ops.get("/clock").json()["frozen"] == before["frozen"]


def test_unknown_paths_outside_any_vendor_get_the_admin_error_shape(fresh):
    response = requests.get(fresh.origin + "/no/such/thing")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_each_api_serves_its_bundled_spec_and_swagger_ui(fresh):
    for root in (fresh.api("quiz"), fresh.origin + "/__admin"):
        spec = requests.get(root + "/openapi.json").json()
        assert spec["openapi"].startswith("3.0") and spec["paths"]
        ui = requests.get(root + "/ui/")
        assert ui.status_code == 200 and "swagger" in ui.text.lower()


@pytest.mark.parametrize("path", ["/vendors/nobody/actions/activate_token", "/vendors/quiz/actions/no_such_action"])
def test_an_unknown_vendor_or_vendor_action_is_the_admin_404(ops, path):
    response = ops.post(path, json={})
    assert response.status_code == 404 and response.json()["error"]["status"] == 404
