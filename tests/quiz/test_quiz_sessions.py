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
    filtered = quiz.get(S, params={"count": "true", "filter[name__match]": "Demo:"}).json()
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


# -- filters: only the keys the index declares, each against an oracle -------------------------
# verse-jsonapi dsl/index.rb builds the filter input from the resource's fields plus its
# allowed_filters (seed 004: name__match); verse-schema drops every other key, and verse-sequel
# filtering_pg.rb turns a key into ``col = v`` (an array: ``col IN (...)``) or ``name ILIKE '%v%'``.

WARNING = "X-Sandbox-Warning"

DECLARED_CASES = [
    ("filter[status]", "cancelled", lambda a: a["status"] == "cancelled"),
    ("filter[status]", "expired", lambda a: a["status"] == "expired"),
    ("filter[score]", "92.5", lambda a: a["score"] == 92.5),
    ("filter[person_id]", "1001", lambda a: a["person_id"] == 1001),
    ("filter[id]", "3", lambda a: a["id"] == 3),
    ("filter[name]", "Demo: Python Fundamentals Final Exam", lambda a: a["name"] == "Demo: Python Fundamentals Final Exam"),
    ("filter[name__match]", "pYtHoN", lambda a: "python" in a["name"].lower()),
    ("filter[name__match]", "exam", lambda a: "exam" in a["name"].lower()),
]


@pytest.mark.parametrize("param, value, predicate", DECLARED_CASES, ids=[f"{p}={v}" for p, v, _ in DECLARED_CASES])
def test_declared_filter_matches_the_oracle_without_a_warning(quiz, param, value, predicate):
    world = everything(quiz)
    expected = [i for i, attrs in world.items() if predicate({**attrs, "id": i})]
    response = quiz.get(S, params={param: value})
    assert ids(response) == expected
    assert 0 < len(expected) < len(world)
    assert WARNING not in response.headers


def test_created_at_filter_is_equality_on_the_instant_in_any_offset(quiz):
    world = everything(quiz)
    one = world[1]["created_at"]  # "2025-12-31T09:00:00Z"
    same_instant = one.replace("T09:", "T10:").replace("Z", "+01:00")
    assert ids(quiz.get(S, params={"filter[created_at]": same_instant})) == [
        i for i, a in world.items() if a["created_at"] == one]


def test_an_array_value_is_in_and_a_comma_is_part_of_the_value(quiz):
    world = everything(quiz)
    both = ids(quiz.get(S, params=[("filter[status][]", "cancelled"), ("filter[status][]", "expired")]))
    assert both == [i for i, a in world.items() if a["status"] in ("cancelled", "expired")]
    assert both
    # filtering_pg.rb: a string is ``status = 'cancelled,expired'``, which no session has
    assert ids(quiz.get(S, params={"filter[status]": "cancelled,expired"})) == []
    assert ids(quiz.get(S, params=[("filter[id][]", 2), ("filter[id][]", 4), ("filter[id][]", 400)])) == [2, 4]


def test_match_is_a_literal_case_insensitive_substring(quiz):
    # ILIKE with the value's % and _ escaped (escape_like): they match themselves only
    assert ids(quiz.get(S, params={"filter[name__match]": "%"})) == []
    assert ids(quiz.get(S, params={"filter[name__match]": "PYTHON"})) == ids(
        quiz.get(S, params={"filter[name__match]": "python"}))


def test_declared_filters_combine_with_and(quiz):
    world = everything(quiz)
    got = ids(quiz.get(S, params={"filter[status]": "completed", "filter[name__match]": "python"}))
    assert got == [i for i, a in world.items() if a["status"] == "completed" and "python" in a["name"].lower()]


IGNORED = ["filter[score__gte]=90", "filter[status__in]=completed,cancelled", "filter[bogus]=1",
           "filter[name.match]=x", "filter[name__prefix]=Demo", "filter[score__exists]=false"]


@pytest.mark.parametrize("query", IGNORED)
def test_undeclared_filter_is_ignored_the_whole_collection_paged_with_a_warning(quiz, fresh, query):
    fresh.clear_requests()
    key = query.split("=", 1)[0]
    response = quiz.get(f"{S}?{query}&page[size]=50&count=true")
    assert response.status_code == 200, response.text
    assert ids(response) == list(range(1, 51))
    assert response.json()["meta"] == {"count": SEEDED, "more": False}
    warning = response.headers[WARNING]
    assert warning.startswith(f"{key} ignored") and "name__match" in warning
    assert [w["warning"] for w in fresh.warnings(vendor="quiz")] == [warning]


def test_an_undeclared_key_beside_a_declared_one_leaves_the_declared_one_applied(quiz):
    world = everything(quiz)
    response = quiz.get(S, params={"filter[status]": "completed", "filter[score__gte]": "90"})
    assert ids(response) == [i for i, a in world.items() if a["status"] == "completed"]
    assert response.headers[WARNING].startswith("filter[score__gte] ignored")
    assert "filter[status]" not in response.headers[WARNING]


def test_a_request_production_takes_as_it_is_leaves_no_warning_in_the_journal(quiz, fresh):
    fresh.clear_requests()
    quiz.get(S, params={"filter[status]": "completed", "sort": "-score", "page[size]": 3})
    assert fresh.warnings(vendor="quiz") == []
    assert fresh.requests(vendor="quiz")[0]["warnings"] == []


@pytest.mark.parametrize(
    "params, pointer",
    [
        ({"filter[score]": "high"}, "/filter/score"),
        ({"filter[person_id]": "1.5"}, "/filter/person_id"),
        ({"filter[created_at]": "yesterday"}, "/filter/created_at"),
        ({"filter[status][0]": "completed"}, "/filter/status"),
        ([("filter[name__match][]", "a"), ("filter[name__match][]", "b")], "/filter/name__match"),
    ],
)
def test_a_value_production_sql_cannot_take_is_422_here_and_says_production_fails(quiz, params, pointer):
    # PostgreSQL refuses the literal (or Ruby the array/hash) and Verse answers 500; never a 500 here
    response = quiz.get(S, params=params)
    errors = verse_error(response, 422, "Verse::Error::ValidationFailed")
    assert [e["source"]["pointer"] for e in errors] == [pointer]
    assert "Verse answers 500" in response.headers[WARNING]


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


def test_create_with_a_name_stores_the_default_name_as_verse_does_and_warns(quiz, fresh):
    fresh.clear_requests()
    response = _create(quiz, person_id=7, name="My quiz")
    assert response.status_code == 201, response.text
    created = response.json()["data"]
    assert created["attributes"]["name"] == "Quiz session"
    assert quiz.get(f"{S}/{created['id']}").json()["data"]["attributes"]["name"] == "Quiz session"
    warning = response.headers["X-Sandbox-Warning"]
    assert warning.startswith("data.attributes.name ignored") and "'Quiz session'" in warning
    assert fresh.warnings(vendor="quiz", method="POST") == [
        {"method": "POST", "path": fresh.requests(vendor="quiz", method="POST")[0]["path"], "query": "",
         "status": 201, "warning": warning}]


def test_create_with_another_type_is_422_as_verse_checks_the_type(quiz):
    response = quiz.post(S, json={"data": {"type": "quiz/session", "attributes": {"person_id": 7}}})
    errors = verse_error(response, 422, "Verse::Error::ValidationFailed")
    assert [e["source"]["pointer"] for e in errors] == ["/data/type"]


def test_create_with_only_what_it_takes_has_no_warning(quiz):
    response = _create(quiz, person_id=7, expires_at="2030-01-01T00:00:00Z")
    assert response.status_code == 201 and "X-Sandbox-Warning" not in response.headers


def test_update_ignores_an_attribute_the_resource_does_not_have_and_warns(quiz):
    response = quiz.patch(f"{S}/2", json={"data": {"type": "quiz/sessions", "attributes": {"name": "n", "color": "red"}}})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["attributes"]["name"] == "n"
    assert "color" not in response.json()["data"]["attributes"]
    assert response.headers["X-Sandbox-Warning"].startswith("data.attributes.color ignored")


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
