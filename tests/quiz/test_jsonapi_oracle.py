"""Quiz documents against the official JSON:API 1.0 schema (shared/oracles, read at test time).

Verse departs from JSON:API in two documented ways, which these tests pin rather than hide:
its resource type names contain a slash (``quiz/sessions``, the name every seed-004 description
uses) and ValidationFailed entries carry an integer ``status`` (vendors.md §4).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import validators

from support import empty_patterns_to_caret as _empty_patterns_to_caret

ORACLE = Path(__file__).resolve().parents[2].parent / "shared" / "oracles" / "jsonapi-1.0-schema.json"
VERSE_TYPE = "quiz/sessions"

pytestmark = pytest.mark.skipif(not ORACLE.exists(), reason=f"JSON:API oracle not found at {ORACLE}")


@pytest.fixture(scope="module")
def jsonapi():
    schema = _empty_patterns_to_caret(json.loads(ORACLE.read_text()))
    return validators.validator_for(schema)(schema)


def violations(validator, document) -> list[str]:
    return [e.message for e in validator.iter_errors(document)]


def with_legal_type(document):
    document = copy.deepcopy(document)
    data = document.get("data")
    for resource in data if isinstance(data, list) else [data] if data else []:
        assert resource["type"] == VERSE_TYPE
        resource["type"] = "quiz-sessions"
    return document


def test_the_oracle_accepts_a_plain_json_api_document(jsonapi):
    assert violations(jsonapi, {"data": [{"type": "things", "id": "1", "attributes": {"name": "x"}}]}) == []
    assert violations(jsonapi, {"data": [{"type": "things", "id": "1", "attributes": {"type": "x"}}]})


def test_quiz_documents_are_json_api_apart_from_the_verse_type_name(quiz, jsonapi):
    S = "/quiz/sessions"
    responses = [
        quiz.get(S, params={"page[size]": 3, "count": "true"}),
        quiz.get(S, params={"fields[quiz/sessions]": "name", "page[size]": 2}),
        quiz.get(S, params={"page[number]": 50}),
        quiz.get(f"{S}/2"),
        quiz.post(S, json={"data": {"type": VERSE_TYPE, "attributes": {"person_id": 1}}}),
        quiz.patch(f"{S}/1", json={"data": {"type": VERSE_TYPE, "attributes": {"name": "n"}}}),
        quiz.patch(f"{S}/1/cancel"),
        quiz.patch(f"{S}/1/cancel"),  # 400
        quiz.get(f"{S}/999999"),  # 404
        quiz.get(S, headers={"Authorization": "Bearer wrong"}),  # 401
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 201, 200, 200, 400, 404, 401]
    for response in responses:
        assert violations(jsonapi, with_legal_type(response.json())) == [], response.request.url


def test_the_verse_type_name_is_not_a_json_api_member_name(quiz, jsonapi):
    document = quiz.get("/quiz/sessions/1").json()
    assert document["data"]["type"] == VERSE_TYPE
    assert violations(jsonapi, document)


def test_validation_failures_keep_verses_integer_status_which_json_api_forbids(quiz, jsonapi):
    response = quiz.get("/quiz/sessions", params={"page[size]": 0})
    assert response.status_code == 422 and response.json()["errors"][0]["status"] == 422
    assert violations(jsonapi, response.json())
    as_string = copy.deepcopy(response.json())
    as_string["errors"][0]["status"] = "422"
    assert violations(jsonapi, as_string) == []  # that integer is the only departure
