"""The real canvasapi client against the live sandbox, as an integrator would use it:
``canvasapi.Canvas(sandbox_url + "/canvas", token)``.

Where canvasapi and Canvas disagree the sandbox follows Canvas: canvasapi reads GET
/api/v1/account_calendars as a bare list, Canvas wraps it in ``{"account_calendars": [...]}`` (that
listing is tested over plain HTTP in test_canvas_calendars.py)."""

from __future__ import annotations

import pytest
from canvasapi import Canvas
from canvasapi.account import Account
from canvasapi.exceptions import Forbidden, InvalidAccessToken, ResourceDoesNotExist, Unauthorized
from canvasapi.util import combine_kwargs

from mockserver.testing import SandboxServer


def test_who_am_i_and_my_accounts(canvas):
    me = canvas.get_current_user()
    assert (me.id, me.name) == (1, "Ada Admin")
    accounts = list(canvas.get_accounts())
    assert [a.name for a in accounts] == ["Demo University"]
    root = canvas.get_account(1)
    assert root.default_time_zone == "America/Denver"
    assert canvas.get_account("CAS-CHEM", use_sis_id=True).name == "Department of Chemistry"


def test_sub_accounts_direct_and_recursive(canvas):
    root = canvas.get_account(1)
    assert [a.id for a in root.get_subaccounts()] == [2, 3, 4, 8]
    assert [a.id for a in root.get_subaccounts(recursive=True)] == list(range(2, 9))


def test_paginated_list_follows_link_headers_across_pages():
    # canvasapi always adds per_page=100 after the caller's own per_page, and Canvas (Rack) keeps the
    # last of a repeated parameter: pages of 100, so this takes a world of some hundreds of courses,
    # served at Canvas's real root.
    with SandboxServer(vendor="canvas", scale="medium") as handle:
        canvas = Canvas(handle.url("canvas"), handle.credentials["canvas"]["token"])
        courses = list(canvas.get_account(1).get_courses(include=["term"]))
        assert len(courses) == len({c.id for c in courses}) > 300
        assert all(hasattr(c, "term") for c in courses)
        pages = handle.requests(vendor="canvas", path="/api/v1/accounts/1/courses")
        assert len(pages) == -(-len(courses) // 100)  # one request per page, all but the first through rel="next"
        assert all("per_page=100" in page["query"] for page in pages)


def test_course_filters_through_canvasapi(canvas):
    root = canvas.get_account(1)
    blueprints = list(root.get_courses(blueprint=True))
    assert [c.name for c in blueprints] == ["Blueprint - Intro Programming"]
    chem = list(root.get_courses(search_term="CHEM 101", by_teachers=[3]))
    assert [c.course_code for c in chem] == ["CHEM 101"]


def test_global_notifications_create_list_and_close(canvas, fresh):
    fresh.clock(now="2026-04-01T00:00:00Z", frozen=True)
    root = canvas.get_account(1)
    created = root.create_notification(account_notification={
        "subject": "Registration opens", "message": "Sign up for fall courses",
        "start_at": "2026-03-30T00:00:00Z", "end_at": "2026-04-30T00:00:00Z", "icon": "calendar"},
        account_notification_roles=["StudentEnrollment"])
    assert created.subject == "Registration opens" and created.roles == ["StudentEnrollment"]

    # A student may not read the account itself, so build canvasapi's Account around its id.
    student = Canvas(fresh.url("canvas"), fresh.credentials["canvas"]["student_token"])
    account = Account(student._Canvas__requester, {"id": 1})
    seen = [n.id for n in account.get_user_notifications(4)]
    assert created.id in seen
    closed = account.close_notification_for_user(4, created.id)
    assert closed.id == created.id
    assert created.id not in [n.id for n in account.get_user_notifications(4)]
    again = account.get_global_notification(seen[-1])
    assert again.id == seen[-1]


def test_a_report_runs_to_completion_as_the_clock_advances(canvas, fresh):
    fresh.clock(now="2026-05-01T00:00:00Z", frozen=True)
    root = canvas.get_account(1)
    assert "provisioning_csv" in {r.report for r in root.get_reports()}
    report = root.create_report("provisioning_csv", parameters={"users": True, "courses": True})
    assert report.status == "created" and report.parameters == {"users": "true", "courses": "true"}
    fresh.advance_clock(120)  # through the admin API: PUT /__admin/clock
    done = root.get_report("provisioning_csv", report.id)
    assert done.status == "complete" and done.progress == 100 and done.file_url
    assert [r.id for r in root.get_index_of_reports("provisioning_csv")][0] == report.id
    deleted = done.delete_report()
    assert deleted.status == "deleted"
    with pytest.raises(ResourceDoesNotExist):
        root.get_report("provisioning_csv", report.id)


def test_account_calendars_through_canvasapi(canvas):
    root = canvas.get_account(1)
    calendar = root.get_account_calendar()
    assert calendar.visible is True and calendar.asset_string == "account_1"
    chemistry = canvas.get_account(5)
    assert chemistry.update_account_calendar_visibility(visible=False).visible is False
    listed = list(root.get_all_account_calendars())  # a bare list in Canvas too
    assert [c.id for c in listed][0] == 1 and all(hasattr(c, "sub_account_count") for c in listed)
    bulk = root.update_many_account_calendars_visibility(_json=[{"id": 5, "visible": True}, {"id": 6, "visible": True}])
    assert bulk.message == "Updated 2 accounts"
    assert canvas.get_account(6).get_account_calendar().visible is True


def test_account_search_and_course_accounts(canvas, fresh):
    assert [d["name"] for d in canvas.search_accounts(name="demo")] == ["Demo University", "Demo Community College"]
    teacher = Canvas(fresh.url("canvas"), fresh.credentials["canvas"]["teacher_token"])
    assert {a.id for a in teacher.get_course_accounts()} >= {5, 6, 8}


def test_tokens_through_canvasapis_requester(canvas, fresh):
    """canvasapi has no token methods; its requester sends what it would (form-encoded, bracketed)."""
    requester = canvas._Canvas__requester
    created = requester.request("POST", "users/self/tokens",
                                _kwargs=combine_kwargs(token={"purpose": "canvasapi", "scopes": ["url:GET|/api/v1/accounts"]})).json()
    assert created["workflow_state"] == "active" and created["scopes"] == ["url:GET|/api/v1/accounts"]
    assert Canvas(fresh.url("canvas"), created["visible_token"]).get_current_user().id == 1
    for_teacher = requester.request("POST", "users/3/tokens", _kwargs=combine_kwargs(token={"purpose": "for Terry"})).json()
    assert for_teacher["workflow_state"] == "pending"
    with pytest.raises(InvalidAccessToken):
        Canvas(fresh.url("canvas"), for_teacher["visible_token"]).get_current_user()
    fresh.vendor_action("canvas", "activate_token", user_id=3, token_id=for_teacher["id"])
    assert Canvas(fresh.url("canvas"), for_teacher["visible_token"]).get_current_user().id == 3


def test_canvasapi_raises_its_own_errors_for_canvas_answers(fresh):
    with pytest.raises(InvalidAccessToken):
        Canvas(fresh.url("canvas"), "not-a-token").get_current_user()
    student = Canvas(fresh.url("canvas"), fresh.credentials["canvas"]["student_token"])
    with pytest.raises(Forbidden):
        student.get_account(1)
    with pytest.raises(ResourceDoesNotExist):
        Canvas(fresh.url("canvas"), fresh.credentials["canvas"]["token"]).get_account(4242)
    with pytest.raises(Unauthorized):  # a 401 without a Bearer challenge: no credentials at all
        Canvas(fresh.url("canvas"), "")._Canvas__requester.request("GET", "accounts", use_auth=False)
