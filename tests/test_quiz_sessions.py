"""Quiz sessions (seed 004, Verse): every operation, paging, sort, count, filters, fields, rules, errors."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mockserver.vendors.quiz.paging import Resource, parse_index, run_index

S = "/quiz/sessions"
JSONAPI = "application/vnd.api+json"
SEEDED = 304  # 4 named fixtures + 300 Faker sessions at scale small


def data(response):
    assert response.status_code == 200, response.text
    return response.json()["data"]


def ids(response):
    return [int(item["id"]) for item in data(response)]


def everything(quiz):
    """The whole seeded collection, as attributes by id (one page: default size is 1000)."""
    return {int(d["id"]): d["attributes"] for d in data(quiz.get(S))}


def verse_error(response, status, title):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(JSONAPI)
    errors = response.json()["errors"]
    assert errors and all(e["title"] == title for e in errors)
    return errors


# -- index: order, paging, count ------------------------------------------------------------


def test_index_defaults_to_primary_key_order_and_empty_meta(quiz):
    response = quiz.get(S)
    assert response.headers["content-type"].startswith(JSONAPI)
    body = response.json()
    assert body["meta"] == {}
    assert [int(d["id"]) for d in body["data"]] == list(range(1, SEEDED + 1))
    first = body["data"][0]
    assert first["type"] == "quiz/sessions" and first["id"] == "1"
    assert "id" not in first["attributes"]  # verse-jsonapi renders the id only at the top
    assert first["attributes"]["name"] == "Demo: Python Fundamentals Final Exam"


def test_pages_follow_page_number_and_size(quiz):
    assert ids(quiz.get(S, params={"page[number]": 1, "page[size]": 10})) == list(range(1, 11))
    assert ids(quiz.get(S, params={"page[number]": 3, "page[size]": 10})) == list(range(21, 31))
    assert ids(quiz.get(S, params={"page[number]": 31, "page[size]": 10})) == [301, 302, 303, 304]


def test_a_page_past_the_end_is_an_empty_list(quiz):
    body = quiz.get(S, params={"page[number]": 99, "page[size]": 10, "count": "true"}).json()
    assert body["data"] == []
    assert body["meta"] == {"count": 980, "more": False}  # offset + rows past it (none)


def test_page_size_1000_is_the_maximum(quiz):
    assert len(data(quiz.get(S, params={"page[size]": 1000}))) == SEEDED
    errors = verse_error(quiz.get(S, params={"page[size]": 1001}), 422, "Verse::Error::ValidationFailed")
    assert errors[0]["source"] == {"pointer": "/page/size"} and errors[0]["status"] == 422


@pytest.mark.parametrize("param, pointer", [("page[size]", "/page/size"), ("page[number]", "/page/number")])
@pytest.mark.parametrize("value", [0, -1, "x"])
def test_page_inputs_below_one_or_not_integers_are_422_with_their_pointer(quiz, param, pointer, value):
    errors = verse_error(quiz.get(S, params={param: value}), 422, "Verse::Error::ValidationFailed")
    assert [e["source"]["pointer"] for e in errors] == [pointer]


def test_count_reports_the_total_and_whether_more_rows_exist(quiz):
    assert quiz.get(S, params={"count": "true"}).json()["meta"] == {"count": SEEDED, "more": False}
    paged = quiz.get(S, params={"count": "true", "page[number]": 2, "page[size]": 100}).json()
    assert paged["meta"] == {"count": SEEDED, "more": False} and len(paged["data"]) == 100
    filtered = quiz.get(S, params={"count": "true", "filter[name__prefix]": "Demo:"}).json()
    assert filtered["meta"]["count"] == 4
    assert quiz.get(S, params={"count": "false"}).json()["meta"] == {}


def test_count_is_capped_at_1000_rows_past_the_offset_like_verse_sequel():
    resource = Resource("things", {"id": "integer"})
    rows = [{"id": i} for i in range(1, 2501)]
    first = parse_index(resource, page={"number": 1, "size": 10}, count=True)
    assert run_index(first, rows)[1] == {"count": 1000, "more": True}
    late = parse_index(resource, page={"number": 201, "size": 10}, count=True)  # offset 2000
    assert run_index(late, rows)[1] == {"count": 2500, "more": False}


# -- sort -----------------------------------------------------------------------------------


def _key(value):
    return (value is None, value if value is not None else 0)


def test_sort_ascending_puts_nulls_last_and_descending_puts_them_first(quiz):
    up = [d["attributes"]["score"] for d in data(quiz.get(S, params={"sort": "score"}))]
    down = [d["attributes"]["score"] for d in data(quiz.get(S, params={"sort": "-score"}))]
    assert up == sorted(up, key=_key) and up[-1] is None and up[0] is not None
    assert down == sorted(down, key=_key, reverse=True) and down[0] is None
    assert sorted(up, key=_key) == sorted(down, key=_key)


def test_sort_by_several_keys_with_mixed_directions(quiz):
    rows = data(quiz.get(S, params={"sort": "person_id,-created_at"}))
    keys = [(r["attributes"]["person_id"], r["attributes"]["created_at"]) for r in rows]
    expected = sorted(keys, key=lambda k: k[1], reverse=True)
    expected = sorted(expected, key=lambda k: k[0])
    assert keys == expected


def test_sort_ties_keep_primary_key_order(quiz):
    rows = data(quiz.get(S, params={"sort": "status"}))
    for status in ("cancelled", "completed"):
        same = [int(r["id"]) for r in rows if r["attributes"]["status"] == status]
        assert same == sorted(same)


def test_sort_by_an_unknown_field_is_422(quiz):
    errors = verse_error(quiz.get(S, params={"sort": "-nope"}), 422, "Verse::Error::ValidationFailed")
    assert errors[0]["source"]["pointer"] == "/sort"


# -- filters: each operator against an oracle computed from the unfiltered collection --------

OPERATOR_CASES = [
    ("filter[status]", "cancelled", lambda a: a["status"] == "cancelled"),
    ("filter[status__eq]", "completed", lambda a: a["status"] == "completed"),
    ("filter[status__neq]", "completed", lambda a: a["status"] != "completed"),
    ("filter[score__lt]", "50", lambda a: a["score"] is not None and a["score"] < 50),
    ("filter[score__lte]", "92.5", lambda a: a["score"] is not None and a["score"] <= 92.5),
    ("filter[person_id__gt]", "1080", lambda a: a["person_id"] > 1080),
    ("filter[created_at__gte]", "2025-07-01T00:00:00Z", lambda a: a["created_at"] >= "2025-07-01T00:00:00Z"),
    ("filter[status__in]", "cancelled,expired", lambda a: a["status"] in ("cancelled", "expired")),
    ("filter[name__prefix]", "Demo:", lambda a: a["name"].startswith("Demo:")),
    ("filter[name__suffix]", "Final Exam", lambda a: a["name"].endswith("Final Exam")),
    ("filter[name__match]", "pYtHoN", lambda a: "python" in a["name"].lower()),
    ("filter[name__contains]", "Python", lambda a: "Python" in a["name"]),
    ("filter[name__contains]", "Exam", lambda a: "Exam" in a["name"]),
    ("filter[score__exists]", "true", lambda a: a["score"] is not None),
    ("filter[score__exists]", "false", lambda a: a["score"] is None),
    ("filter[id__in]", "2,4,400", lambda a: a["id"] in (2, 4)),
]


@pytest.mark.parametrize("param, value, predicate", OPERATOR_CASES, ids=[f"{p}={v}" for p, v, _ in OPERATOR_CASES])
def test_filter_operator_matches_the_oracle(quiz, param, value, predicate):
    world = everything(quiz)
    expected = [i for i, attrs in world.items() if predicate({**attrs, "id": i})]
    got = ids(quiz.get(S, params={param: value}))
    assert got == expected
    assert 0 < len(got) < len(world) or param == "filter[id__in]"


def test_contains_is_case_sensitive_while_match_is_not(quiz):
    assert ids(quiz.get(S, params={"filter[name__contains]": "python"})) == []
    assert ids(quiz.get(S, params={"filter[name__match]": "python"})) == ids(
        quiz.get(S, params={"filter[name__contains]": "Python"})
    )


def test_in_accepts_repeated_bracket_values(quiz):
    repeated = ids(quiz.get(S, params=[("filter[status__in][]", "cancelled"), ("filter[status__in][]", "expired")]))
    assert repeated == ids(quiz.get(S, params={"filter[status__in]": "cancelled,expired"}))
    assert repeated


def test_filters_combine_with_and(quiz):
    world = everything(quiz)
    got = ids(quiz.get(S, params={"filter[status]": "completed", "filter[score__gte]": "90"}))
    assert got == [i for i, a in world.items() if a["status"] == "completed" and a["score"] >= 90]


@pytest.mark.parametrize(
    "param, value, pointer",
    [
        ("filter[nope]", "1", "/filter/nope"),
        ("filter[score__between]", "1", "/filter/score__between"),
        ("filter[score__gte]", "high", "/filter/score__gte"),
        ("filter[person_id]", "1.5", "/filter/person_id"),
        ("filter[created_at__lt]", "yesterday", "/filter/created_at__lt"),
        ("filter[score__exists]", "maybe", "/filter/score__exists"),
    ],
)
def test_bad_filters_are_422_with_their_pointer(quiz, param, value, pointer):
    errors = verse_error(quiz.get(S, params={param: value}), 422, "Verse::Error::ValidationFailed")
    assert [e["source"]["pointer"] for e in errors] == [pointer]


# -- sparse fieldsets -----------------------------------------------------------------------


def test_sparse_fieldsets_in_array_form(quiz):
    rows = data(quiz.get(S, params=[("fields[quiz/sessions][]", "name"), ("fields[quiz/sessions][]", "score")]))
    assert rows and all(set(r["attributes"]) == {"name", "score"} for r in rows)
    assert all(r["type"] == "quiz/sessions" and r["id"] for r in rows)


def test_sparse_fieldsets_in_comma_form_and_other_types_are_ignored(quiz):
    rows = data(quiz.get(S, params={"fields[quiz/sessions]": "status", "fields[people]": "whatever"}))
    assert all(set(r["attributes"]) == {"status"} for r in rows)


def test_unknown_sparse_field_is_422(quiz):
    errors = verse_error(quiz.get(S, params={"fields[quiz/sessions]": "name,secret"}), 422,
                         "Verse::Error::ValidationFailed")
    assert errors[0]["source"]["pointer"] == "/fields/quiz~1sessions"


# -- create, show, update, delete --------------------------------------------------------------


def _create(quiz, **attributes):
    return quiz.post(S, json={"data": {"type": "quiz/sessions", "attributes": attributes}},
                     headers={"Content-Type": JSONAPI})


def test_create_returns_201_and_a_started_session_expiring_in_an_hour(quiz, fresh):
    fresh.clock(now="2026-03-01T12:00:00Z", frozen=True)
    response = _create(quiz, person_id=4242)
    assert response.status_code == 201, response.text
    created = response.json()["data"]
    assert created["id"] == str(SEEDED + 1)
    assert created["attributes"] == {
        "person_id": 4242,
        "created_at": "2026-03-01T12:00:00Z",
        "name": "Quiz session",
        "status": "started",
        "expires_at": "2026-03-01T13:00:00Z",
        "score": None,
    }
    assert quiz.get(f"{S}/{created['id']}").json()["data"] == created


def test_create_keeps_a_given_expiry_in_utc(quiz):
    created = _create(quiz, person_id=1, expires_at="2030-01-01T10:00:00+02:00").json()["data"]
    assert created["attributes"]["expires_at"] == "2030-01-01T08:00:00Z"


def test_create_accepts_plain_application_json(quiz):
    response = quiz.post(S, json={"data": {"type": "quiz/sessions", "attributes": {"person_id": 9}}})
    assert response.status_code == 201


@pytest.mark.parametrize(
    "attributes, pointer",
    [
        ({}, "/data/attributes/person_id"),
        ({"person_id": "nine"}, "/data/attributes/person_id"),
        ({"person_id": 9, "expires_at": "next tuesday"}, "/data/attributes/expires_at"),
    ],
)
def test_invalid_create_is_422_with_a_pointer_and_stores_nothing(quiz, attributes, pointer):
    before = quiz.get(S, params={"count": "true"}).json()["meta"]["count"]
    errors = verse_error(_create(quiz, **attributes), 422, "Verse::Error::ValidationFailed")
    assert errors[0]["source"]["pointer"] == pointer
    assert quiz.get(S, params={"count": "true"}).json()["meta"]["count"] == before


def test_create_without_a_data_member_is_422(quiz):
    errors = verse_error(quiz.post(S, json={"attributes": {"person_id": 1}}), 422, "Verse::Error::ValidationFailed")
    assert errors[0]["source"]["pointer"] == "/data"


def test_malformed_json_is_422(quiz):
    response = quiz.post(S, data=b'{"data": ', headers={"Content-Type": JSONAPI})
    verse_error(response, 422, "Verse::Error::ValidationFailed")


def test_show_returns_one_session(quiz):
    body = quiz.get(f"{S}/2").json()
    assert body["data"]["attributes"]["score"] == 92.5 and body["data"]["attributes"]["status"] == "completed"


@pytest.mark.parametrize("session_id", ["99999", "abc"])
def test_unknown_session_is_404_record_not_found(quiz, session_id):
    for response in (
        quiz.get(f"{S}/{session_id}"),
        quiz.patch(f"{S}/{session_id}", json={"data": {"type": "quiz/sessions", "attributes": {"name": "x"}}}),
        quiz.delete(f"{S}/{session_id}"),
        quiz.patch(f"{S}/{session_id}/cancel"),
    ):
        errors = verse_error(response, 404, "Verse::Error::RecordNotFound")
        assert errors[0]["status"] == "404"


def test_patch_updates_any_documented_attribute_and_lists_reflect_it(quiz):
    update = {"name": "Renamed", "status": "completed", "score": 77.5, "expires_at": "2031-05-05T05:05:05Z"}
    response = quiz.patch(f"{S}/1", json={"data": {"type": "quiz/sessions", "id": "1", "attributes": update}})
    assert response.json()["data"]["attributes"] == {**everything(quiz)[1]}
    assert {k: everything(quiz)[1][k] for k in update} == update
    assert ids(quiz.get(S, params={"filter[name]": "Renamed"})) == [1]


def test_patch_cannot_change_the_id(quiz):
    response = quiz.patch(f"{S}/2", json={"data": {"type": "quiz/sessions", "attributes": {"id": "7777", "name": "n"}}})
    assert response.json()["data"]["id"] == "2"
    assert quiz.get(f"{S}/7777").status_code == 404


def test_patch_with_an_unknown_status_is_422_and_changes_nothing(quiz):
    before = quiz.get(f"{S}/2").json()
    response = quiz.patch(f"{S}/2", json={"data": {"type": "quiz/sessions", "attributes": {"name": "x", "status": "paused"}}})
    errors = verse_error(response, 422, "Verse::Error::ValidationFailed")
    assert errors[0]["source"]["pointer"] == "/data/attributes/status"
    assert quiz.get(f"{S}/2").json() == before


def test_delete_is_204_and_the_session_is_gone(quiz):
    response = quiz.delete(f"{S}/3")
    assert response.status_code == 204 and response.content == b""
    assert quiz.get(f"{S}/3").status_code == 404
    assert 3 not in ids(quiz.get(S))


# -- cancel and expiry ----------------------------------------------------------------------


def test_cancel_moves_a_started_session_to_cancelled(quiz):
    response = quiz.patch(f"{S}/1/cancel")
    assert response.json()["data"]["attributes"]["status"] == "cancelled"
    assert quiz.get(f"{S}/1").json()["data"]["attributes"]["status"] == "cancelled"


def test_a_second_cancel_is_a_verse_bad_request(quiz):
    quiz.patch(f"{S}/1/cancel")
    errors = verse_error(quiz.patch(f"{S}/1/cancel"), 400, "Verse::Error::BadRequest")
    assert errors[0]["status"] == "400" and "cancelled" in errors[0]["detail"]


@pytest.mark.parametrize("session_id, state", [("2", "completed"), ("4", "expired")])
def test_completed_or_expired_sessions_cannot_be_cancelled(quiz, session_id, state):
    errors = verse_error(quiz.patch(f"{S}/{session_id}/cancel"), 400, "Verse::Error::BadRequest")
    assert state in errors[0]["detail"]
    assert quiz.get(f"{S}/{session_id}").json()["data"]["attributes"]["status"] == state


def test_a_started_session_expires_when_the_sandbox_clock_passes_expires_at(quiz, fresh):
    start = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
    fresh.clock(now=start.strftime("%Y-%m-%dT%H:%M:%SZ"), frozen=True)
    session = _create(quiz, person_id=77).json()["data"]
    assert session["attributes"]["status"] == "started"
    fresh.advance_clock(timedelta(hours=2).total_seconds())
    assert quiz.get(f"{S}/{session['id']}").json()["data"]["attributes"]["status"] == "expired"
    assert int(session["id"]) in ids(quiz.get(S, params={"filter[status]": "expired"}))
    assert int(session["id"]) not in ids(quiz.get(S, params={"filter[status]": "started"}))
    errors = verse_error(quiz.patch(f"{S}/{session['id']}/cancel"), 400, "Verse::Error::BadRequest")
    assert "expired" in errors[0]["detail"]


# -- auth, routes, media types ----------------------------------------------------------------


def test_missing_token_is_401_authentication_failed(quiz):
    del quiz.headers["Authorization"]
    errors = verse_error(quiz.get(S), 401, "Verse::Error::AuthenticationFailed")
    assert errors[0]["status"] == "401"


def test_unknown_token_is_401(quiz):
    quiz.headers["Authorization"] = "Bearer not-a-token"
    verse_error(quiz.get(f"{S}/1"), 401, "Verse::Error::AuthenticationFailed")


def test_a_method_the_spec_does_not_have_is_405_in_verse_shape(quiz):
    verse_error(quiz.put(f"{S}/1", json={}), 405, "Verse::Error::MethodNotAllowed")


def test_an_unknown_route_under_the_vendor_is_404_in_verse_shape(quiz):
    verse_error(quiz.get("/quiz/nothing-here"), 404, "Verse::Error::NotFound")


def test_an_unsupported_request_media_type_is_415_in_verse_shape(quiz):
    response = quiz.post(S, data="person_id=1", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.json()["errors"][0]["status"] == "415"
