"""Canvas account calendars: what users see, what admins manage, one at a time or in bulk."""

from __future__ import annotations

import orjson

from canvas_helpers import (
    ARTS, CHEMISTRY, COMPUTING, CONTINUING, ENGINEERING, HISTORY, MANUAL, ROOT,
    as_dean, as_student, ok, unauthorized,
)

CALENDAR_FIELDS = {"id", "name", "parent_account_id", "root_account_id", "visible", "auto_subscribe", "asset_string",
                   "type", "calendar_event_url", "can_create_calendar_events", "create_calendar_event_url",
                   "new_calendar_event_url"}


def ids(rows):
    return [row["id"] for row in rows]


def test_users_see_the_visible_calendars_of_their_accounts_wrapped_with_a_total(cv, fresh):
    with as_student(cv, fresh) as student:
        answer = ok(student.get("/account_calendars"))
        assert set(answer) == {"account_calendars", "total_results"}
        names = [c["name"] for c in answer["account_calendars"]]
        assert names == sorted(names) and "Demo University" in names and answer["total_results"] == len(names)
        assert all(c["visible"] for c in answer["account_calendars"])
        assert all(set(c) == CALENDAR_FIELDS for c in answer["account_calendars"])
        assert not any(c["can_create_calendar_events"] for c in answer["account_calendars"])
        searched = ok(student.get("/account_calendars", params={"search_term": "chem"}))
        assert [c["id"] for c in searched["account_calendars"]] == [CHEMISTRY] and searched["total_results"] == 1
        short = student.get("/account_calendars", params={"search_term": "c"})
        assert short.status_code == 400 and short.json()["errors"][0]["message"] == "2 or more characters is required"
        paged = student.get("/account_calendars", params={"per_page": 1})
        assert len(ok(paged)["account_calendars"]) == 1 and ok(paged)["total_results"] == answer["total_results"]
        assert 'rel="next"' in paged.headers["Link"]


def test_a_single_calendar(cv, fresh):
    root = ok(cv.get("/account_calendars/1"))
    assert root == {**root, "id": ROOT, "asset_string": "account_1", "type": "account", "visible": True,
                    "auto_subscribe": True, "root_account_id": None, "can_create_calendar_events": True,
                    "calendar_event_url": "/accounts/1/calendar_events/%7B%7B%20id%20%7D%7D",
                    "create_calendar_event_url": "/accounts/1/calendar_events",
                    "new_calendar_event_url": "/accounts/1/calendar_events/new"}
    with as_student(cv, fresh) as student:
        assert ok(student.get(f"/account_calendars/{CHEMISTRY}"))["visible"] is True
        assert unauthorized(student.get(f"/account_calendars/{CONTINUING}"))  # hidden


def test_an_admin_sets_visibility_and_auto_subscribe_by_form_or_json(cv, fresh):
    shown = ok(cv.put(f"/account_calendars/{CONTINUING}", data={"visible": "true", "auto_subscribe": "1"}))
    assert shown["visible"] is True and shown["auto_subscribe"] is True
    hidden = ok(cv.put(f"/account_calendars/{CONTINUING}", json={"visible": False}))
    assert hidden["visible"] is False and hidden["auto_subscribe"] is True
    with as_student(cv, fresh) as student:
        assert unauthorized(student.put(f"/account_calendars/{CHEMISTRY}", data={"visible": "false"}))
    assert ok(cv.get(f"/account_calendars/{CHEMISTRY}"))["visible"] is True


def test_bulk_update_takes_a_json_array_or_its_form_encoding(cv):
    assert ok(cv.put("/accounts/1/account_calendars", json=[{"id": HISTORY, "visible": True},
                                                             {"id": COMPUTING, "auto_subscribe": True}])) == {
        "message": "Updated 2 accounts"}
    assert ok(cv.get(f"/account_calendars/{HISTORY}"))["visible"] is True
    assert ok(cv.get(f"/account_calendars/{COMPUTING}"))["auto_subscribe"] is True
    form = {"_json[][id]": [str(HISTORY), str(MANUAL)], "_json[][visible]": ["false", "true"]}
    assert ok(cv.put("/accounts/1/account_calendars", data=form)) == {"message": "Updated 2 accounts"}
    assert ok(cv.get(f"/account_calendars/{HISTORY}"))["visible"] is False
    assert ok(cv.put("/accounts/1/account_calendars", json=[{"id": MANUAL, "visible": False}])) == {
        "message": "Updated 1 account"}


def accounts_table(fresh):
    return [doc for _, doc in orjson.loads(fresh.state())["tables"]["canvas_accounts"]]


def test_bulk_update_refuses_what_is_not_an_array_of_calendars_and_changes_nothing(cv, fresh):
    before = accounts_table(fresh)
    for body, message in (({}, "Expected array of objects"), ([], "Expected array of objects"),
                          (["x"], "Expected array of objects"), ([{"visible": True}], "Missing key(s)"),
                          ([{"id": 4}, {"id": 4}], "Duplicate IDs")):
        response = cv.put("/accounts/1/account_calendars", json=body)
        assert response.status_code == 400 and response.json() == {"errors": message}
    with as_dean(cv, fresh) as dean:  # an account outside the dean's college
        refused = dean.put(f"/accounts/{ARTS}/account_calendars", json=[{"id": HISTORY, "visible": True},
                                                                          {"id": COMPUTING, "visible": True}])
        assert unauthorized(refused)
    assert accounts_table(fresh) == before
    with as_dean(cv, fresh) as dean:
        assert ok(dean.put(f"/accounts/{ARTS}/account_calendars", json=[{"id": HISTORY, "visible": True}]))
    assert accounts_table(fresh) != before


def test_all_calendars_lists_the_account_and_its_children_hidden_ones_too(cv):
    rows = ok(cv.get("/accounts/1/account_calendars"))
    assert ids(rows) == [ROOT, ARTS, CONTINUING, MANUAL, ENGINEERING]  # the account, then by name
    assert isinstance(rows, list) and {r["visible"] for r in rows} == {True, False}
    assert [r["sub_account_count"] for r in rows] == [4, 2, 0, 0, 1]


def test_all_calendars_filter_and_search_reach_every_account_below(cv):
    hidden = ok(cv.get("/accounts/1/account_calendars", params={"filter": "hidden"}))
    assert ids(hidden) == [COMPUTING, CONTINUING, HISTORY, MANUAL]
    visible = ok(cv.get("/accounts/1/account_calendars", params={"filter": "visible", "search_term": "of"}))
    assert ids(visible) == [ARTS, CHEMISTRY, ENGINEERING]
    bad = cv.get("/accounts/1/account_calendars", params={"filter": "shiny"})
    assert bad.status_code == 400 and bad.json() == {"errors": "Expected filter param to be one of: visible, hidden"}
    short = cv.get("/accounts/1/account_calendars", params={"search_term": "x"})
    assert short.status_code == 400


def test_visible_calendars_count(cv, fresh):
    assert ok(cv.get("/accounts/1/visible_calendars_count")) == {"count": 4}
    ok(cv.put("/accounts/1/account_calendars", json=[{"id": HISTORY, "visible": True}]))
    assert ok(cv.get("/accounts/1/visible_calendars_count")) == {"count": 5}
    assert ok(cv.get(f"/accounts/{ARTS}/visible_calendars_count")) == {"count": 3}
    with as_student(cv, fresh) as student:
        assert unauthorized(student.get("/accounts/1/visible_calendars_count"))
