"""Canvas access tokens: own tokens active, others' pending until their owner activates them,
secrets shown once, hint lookups, regenerate, expiry on the sandbox clock, soft delete."""

from __future__ import annotations

import pytest
import httpx

from canvas_helpers import (
    ADMIN, STUDENT, TEACHER, TOKEN_FIELDS, as_student, as_teacher, client, links, not_found, ok, unauthorized,
)

INVALID = {"errors": [{"message": "Invalid access token."}]}


def whoami(handle, token):
    with client(handle, token) as session:
        return session.get("/users/self")


def test_a_token_for_yourself_is_active_and_shows_its_secret_once(cv, fresh):
    created = ok(cv.post("/users/self/tokens", data={"token[purpose]": "CI pipeline",
                                                     "token[scopes][]": ["url:GET|/api/v1/accounts", "url:GET|/api/v1/courses"]}))
    assert set(created) == TOKEN_FIELDS  # token_hint is not a field
    assert created["workflow_state"] == "active" and created["user_id"] == ADMIN and created["real_user_id"] is None
    assert created["scopes"] == ["url:GET|/api/v1/accounts", "url:GET|/api/v1/courses"]
    assert created["app_name"] == "User-Generated" and created["can_manually_regenerate"] is True
    secret = created["visible_token"]
    assert len(secret) == 64
    shown = ok(cv.get(f"/users/self/tokens/{created['id']}"))
    assert shown["visible_token"] == secret[:5] + "..." and shown["last_used_at"] is None
    assert ok(whoami(fresh, secret))["id"] == ADMIN
    assert ok(cv.get(f"/users/{ADMIN}/tokens/{created['id']}"))["last_used_at"] is not None


def test_json_and_form_bodies_make_the_same_token(cv):
    by_form = ok(cv.post("/users/self/tokens", data={"token[purpose]": "p", "token[expires_at]": "2031-01-01T00:00Z",
                                                     "token[scopes][]": "url:GET|/api/v1/accounts"}))
    by_json = ok(cv.post("/users/self/tokens", json={"token": {"purpose": "p", "expires_at": "2031-01-01T00:00Z",
                                                               "scopes": ["url:GET|/api/v1/accounts"]}}))
    for key in ("purpose", "expires_at", "scopes", "workflow_state"):
        assert by_form[key] == by_json[key]
    assert by_form["expires_at"] == "2031-01-01T00:00:00Z"


def test_a_missing_purpose_is_canvas_bare_array(cv):
    for response in (cv.post("/users/self/tokens", data={"token[expires_at]": "2031-01-01"}),
                     cv.post("/users/self/tokens", json={"token": {"scopes": []}})):
        assert response.status_code == 400 and response.json() == [{"message": "token[purpose] is missing"}]
    no_token = cv.post("/users/self/tokens")
    assert no_token.status_code == 400 and no_token.json() == {"errors": [{"message": "token is missing"}]}


def test_a_token_for_someone_else_is_pending_until_its_owner_activates_it(cv, fresh):
    fresh.clear_requests()
    created = ok(cv.post(f"/users/{TEACHER}/tokens", json={"token": {"purpose": "Made for Terry"}}))
    assert created["workflow_state"] == "pending" and created["user_id"] == TEACHER
    secret = created["visible_token"]
    refused = whoami(fresh, secret)
    assert refused.status_code == 401 and refused.json() == INVALID
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    notice = fresh.outbox(kind="access_token_created_on_behalf_of_user")[0]
    assert notice["to"] == "terry.teacher@demo-university.edu" and notice["data"]["token_id"] == created["id"]

    with as_teacher(cv, fresh) as teacher:
        assert unauthorized(cv.post(f"/users/{TEACHER}/tokens/{created['id']}/activate"))  # only the owner
        activated = ok(teacher.post(f"/users/self/tokens/{created['id']}/activate"))
        assert activated["workflow_state"] == "active" and activated["visible_token"] == secret[:5] + "..."
        again = teacher.post(f"/users/self/tokens/{created['id']}/activate")
        assert again.status_code == 400 and again.json() == {"errors": {"token": ["is already active"]}}
    assert ok(whoami(fresh, secret))["id"] == TEACHER


def test_the_admin_action_activates_a_pending_token_as_its_owner_would(cv, fresh):
    created = ok(cv.post(f"/users/{STUDENT}/tokens", data={"token[purpose]": "Made for Stella"}))
    assert whoami(fresh, created["visible_token"]).status_code == 401
    activated = fresh.vendor_action("canvas", "activate_token", user_id=STUDENT, token_id=created["id"])
    assert activated["workflow_state"] == "active" and activated["id"] == created["id"]
    assert ok(whoami(fresh, created["visible_token"]))["id"] == STUDENT
    with pytest.raises(httpx.HTTPStatusError) as already:
        fresh.vendor_action("canvas", "activate_token", user_id=STUDENT, token_id=created["id"])
    assert already.value.response.status_code == 400
    with pytest.raises(httpx.HTTPStatusError) as nobody:
        fresh.vendor_action("canvas", "activate_token", user_id=STUDENT, token_id=999999)
    assert nobody.value.response.status_code == 404


def test_a_token_made_while_masquerading_is_pending_and_names_the_real_user(cv, fresh):
    created = ok(cv.post("/users/self/tokens", params={"as_user_id": TEACHER}, data={"token[purpose]": "as Terry"}))
    assert created["user_id"] == TEACHER and created["workflow_state"] == "pending" and created["real_user_id"] == ADMIN
    with as_student(cv, fresh) as student:
        refused = student.get("/users/self", params={"as_user_id": ADMIN})
        assert refused.status_code == 401 and refused.json() == {"errors": "Invalid as_user_id"}


def test_the_id_may_be_the_five_character_hint_and_another_users_token_is_a_404(cv, fresh):
    mine = ok(cv.get("/users/self/tokens/canva"))  # the demo token's first five characters
    assert mine["id"] == 1 and mine["visible_token"] == "canva..."
    created = ok(cv.post("/users/self/tokens", data={"token[purpose]": "hinted"}))
    hint = created["visible_token"][:5]
    assert ok(cv.get(f"/users/self/tokens/{hint}"))["id"] == created["id"]
    teachers = ok(cv.get(f"/users/{TEACHER}/user_generated_tokens"))[0]
    assert not_found(cv.get(f"/users/self/tokens/{teachers['id']}"))  # not among the admin's own
    assert not_found(cv.get("/users/self/tokens/999999"))


def test_regenerating_makes_a_new_secret_and_the_old_one_stops_at_once(cv, fresh):
    with as_teacher(cv, fresh) as teacher:
        old = cv.credentials["teacher_token"]
        renewed = ok(teacher.put("/users/self/tokens/canva", data={"token[regenerate]": "true", "token[purpose]": "renewed"}))
        assert renewed["workflow_state"] == "active" and renewed["purpose"] == "renewed"
        assert len(renewed["visible_token"]) == 64 and renewed["visible_token"] != old
    assert whoami(fresh, old).json() == INVALID
    assert ok(whoami(fresh, renewed["visible_token"]))["id"] == TEACHER


def test_regenerating_someone_elses_token_puts_it_back_to_pending(cv, fresh):
    token = ok(cv.get(f"/users/{TEACHER}/user_generated_tokens"))[0]
    renewed = ok(cv.put(f"/users/{TEACHER}/tokens/{token['id']}", json={"token": {"regenerate": True}}))
    assert renewed["workflow_state"] == "pending"
    assert whoami(fresh, renewed["visible_token"]).status_code == 401


def test_an_expired_token_is_refused_and_regenerating_it_needs_a_new_expiry(cv, fresh):
    fresh.clock(now="2027-03-01T12:00:00Z", frozen=True)
    created = ok(cv.post("/users/self/tokens", data={"token[purpose]": "short", "token[expires_at]": "2027-03-01T13:00:00Z"}))
    assert ok(whoami(fresh, created["visible_token"]))["id"] == ADMIN
    fresh.advance_clock(3600)
    expired = whoami(fresh, created["visible_token"])
    assert expired.status_code == 401 and expired.headers["WWW-Authenticate"] == 'Bearer realm="canvas-lms"'
    assert expired.json() == {"errors": [{"message": "Expired access token.", "expired_at": "2027-03-01T13:00:00Z"}]}
    assert ok(cv.get(f"/users/self/tokens/{created['id']}"))["can_manually_regenerate"] is False
    refused = cv.put(f"/users/self/tokens/{created['id']}", data={"token[regenerate]": "1"})
    assert refused.status_code == 400
    assert refused.json() == {"errors": {"message": "cannot regenerate an expired token without a new expiration date"}}
    renewed = ok(cv.put(f"/users/self/tokens/{created['id']}",
                        data={"token[regenerate]": "1", "token[expires_at]": "2027-04-01T00:00:00Z"}))
    assert renewed["expires_at"] == "2027-04-01T00:00:00Z" and renewed["can_manually_regenerate"] is True
    assert ok(whoami(fresh, renewed["visible_token"]))["id"] == ADMIN


def test_delete_is_soft_and_a_deleted_token_no_longer_works_nor_shows_up(cv, fresh):
    created = ok(cv.post("/users/self/tokens", data={"token[purpose]": "short-lived"}))
    deleted = ok(cv.delete(f"/users/self/tokens/{created['id']}"))
    assert deleted["workflow_state"] == "deleted" and deleted["id"] == created["id"]
    assert whoami(fresh, created["visible_token"]).json() == INVALID
    assert not_found(cv.get(f"/users/self/tokens/{created['id']}"))
    assert created["id"] not in [t["id"] for t in ok(cv.get("/users/self/user_generated_tokens", params={"per_page": 100}))]
    assert not_found(cv.delete(f"/users/self/tokens/{created['id']}"))


def test_students_must_expire_their_tokens_within_120_days(cv, fresh):
    fresh.clock(now="2027-01-10T00:00:00Z", frozen=True)
    with as_student(cv, fresh) as student:
        for expires, message in ((None, "Expiration date is required"),
                                 ("2027-06-01T00:00:00Z", "Expiration date cannot be more than 120 days in the future"),
                                 ("next tuesday", "Invalid expiration date format")):
            token = {"purpose": "planner", **({"expires_at": expires} if expires else {})}
            refused = student.post("/users/self/tokens", json={"token": token})
            assert refused.status_code == 400 and refused.json() == [{"message": message}]
        made = ok(student.post("/users/self/tokens", json={"token": {"purpose": "planner", "expires_at": "2027-04-01T00:00:00Z"}}))
        assert made["workflow_state"] == "active"


def test_nobody_but_the_owner_or_an_admin_above_them_touches_tokens(cv, fresh):
    fresh.clock(now="2027-01-10T00:00:00Z", frozen=True)
    with as_student(cv, fresh) as student:
        assert unauthorized(student.get(f"/users/{ADMIN}/user_generated_tokens"))
        assert unauthorized(student.get(f"/users/{ADMIN}/tokens/1"))
        # (the students' expiry rule comes first, as in tokens_controller#create)
        assert unauthorized(student.post(f"/users/{ADMIN}/tokens", data={"token[purpose]": "mine now",
                                                                         "token[expires_at]": "2027-02-01T00:00:00Z"}))
        assert not_found(student.put(f"/users/{ADMIN}/tokens/1", data={"token[purpose]": "hijacked"}))
        assert not_found(student.delete(f"/users/{ADMIN}/tokens/1"))
    assert ok(cv.get("/users/self/tokens/1"))["purpose"] == "Demo admin integration"
    assert ok(cv.get(f"/users/{STUDENT}/tokens/canva"))["user_id"] == STUDENT  # admins may


def test_the_token_list_pages_oldest_first(cv):
    for n in range(3):
        ok(cv.post("/users/self/tokens", data={"token[purpose]": f"batch {n}"}))
    first = cv.get("/users/self/user_generated_tokens", params={"per_page": 2})
    assert [t["purpose"] for t in ok(first)] == ["Demo admin integration", "batch 0"]
    assert set(links(first)) == {"current", "next", "first", "last"}
    second = ok(cv.get(links(first)["next"]))
    assert [t["purpose"] for t in second] == ["batch 1", "batch 2"]
    assert all(t["visible_token"].endswith("...") for t in second)


def test_users_self_says_who_the_token_belongs_to(cv, fresh):
    me = ok(cv.get("/users/self"))
    assert me["name"] == "Ada Admin" and me["sortable_name"] == "Admin, Ada" and me["login_id"] == "ada.admin@demo-university.edu"
    with as_teacher(cv, fresh) as teacher:
        pupil = ok(teacher.get(f"/users/{STUDENT}"))  # a student of theirs: the public fields
        assert pupil["name"] == "Stella Student" and "email" not in pupil
    with as_student(cv, fresh) as student:
        assert unauthorized(student.get(f"/users/{ADMIN}"))
    assert ok(cv.get(f"/users/{STUDENT}"))["email"] == "stella.student@demo-university.edu"
    assert not_found(cv.get("/users/999999"))
