"""The three confirm-by-emailed-token flows, end to end through the sandbox outbox."""

from __future__ import annotations

from synap_helpers import body, errors, everything, group_named, ok, one, register


def token_for(fresh, email: str, kind: str) -> tuple[str, str]:
    message = fresh.outbox(to=email, kind=kind)[0]  # newest first
    return message["data"]["id"], message["data"]["token"]


def new_user(synap, name="Flo Flow", email="flo@example.org") -> dict:
    registration = register(synap, name, email, welcomeEmailDisabled=True)
    return ok(synap.get(f"/users/{registration['relationships']['user']['data']['id']}"))["data"]


def test_email_verification_request_then_patch_with_the_emailed_token(synap, fresh):
    user = new_user(synap)
    request = ok(synap.post("/email-verification-requests",
                            json=body("EmailVerificationRequest", {"emailAddress": "flo@example.org"})), 201)["data"]
    verification_id, token = token_for(fresh, "flo@example.org", "EmailVerification")
    assert request["relationships"]["emailVerification"]["data"] == {"type": "EmailVerification", "id": verification_id}
    url = f"/email-verifications/{verification_id}"
    errs = errors(synap.patch(url, json=body("EmailVerification", {"token": "wrong"}, id=verification_id)), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/token"}
    assert ok(synap.get(f"/users/{user['id']}"))["data"]["attributes"]["emailVerified"] is False
    done = ok(synap.patch(url, json=body("EmailVerification", {"token": token}, id=verification_id)))["data"]
    assert done["attributes"]["status"] == "complete" and "token" not in done["attributes"]
    assert ok(synap.get(f"/users/{user['id']}"))["data"]["attributes"]["emailVerified"] is True
    errors(synap.patch(url, json=body("EmailVerification", {"token": token}, id=verification_id)), 400)  # used once


def test_create_email_verification_for_a_user_by_relationship(synap, fresh):
    user = new_user(synap)
    created = ok(synap.post("/email-verifications", json=body("EmailVerification", {},
                                                              {"user": one("User", user["id"])})), 201)["data"]
    assert created["attributes"]["status"] == "pending" and created["attributes"]["emailAddress"] == "flo@example.org"
    _, token = token_for(fresh, "flo@example.org", "EmailVerification")
    ok(synap.patch(f"/email-verifications/{created['id']}", json=body("EmailVerification", {"token": token}, id=created["id"])))
    errors(synap.post("/email-verification-requests",
                      json=body("EmailVerificationRequest", {"emailAddress": "nobody@example.org"})), 400)


def test_password_reset_tokens_expire_on_the_sandbox_clock_and_newer_ones_supersede(synap, fresh):
    fresh.clock(now="2026-02-01T12:00:00Z", frozen=True)
    user = new_user(synap)
    ok(synap.post("/password-reset-requests", json=body("PasswordResetRequest", {"emailAddress": "flo@example.org"})), 201)
    first_id, first_token = token_for(fresh, "flo@example.org", "PasswordReset")
    reset = ok(synap.get(f"/password-resets/{first_id}"))["data"]
    assert reset["attributes"]["expiresAt"] == "2026-02-01T13:00:00Z" and "token" not in reset["attributes"]
    fresh.advance_clock(2 * 3600)
    errs = errors(synap.patch(f"/password-resets/{first_id}", json=body("PasswordReset", {
        "token": first_token, "password": "brand new pass"}, id=first_id)), 400)
    assert "expired" in errs[0]["detail"]
    second = ok(synap.post("/password-resets", json=body("PasswordReset", {}, {"user": one("User", user["id"])})), 201)["data"]
    third = ok(synap.post("/password-resets", json=body("PasswordReset", {}, {"user": one("User", user["id"])})), 201)["data"]
    second_token = [m for m in fresh.outbox(to="flo@example.org", kind="PasswordReset") if m["data"]["id"] == second["id"]][0]["data"]["token"]
    assert ok(synap.get(f"/password-resets/{second['id']}"))["data"]["attributes"]["status"] == "superseded"
    errors(synap.patch(f"/password-resets/{second['id']}", json=body("PasswordReset", {
        "token": second_token, "password": "brand new pass"}, id=second["id"])), 400)
    _, third_token = token_for(fresh, "flo@example.org", "PasswordReset")
    errs = errors(synap.patch(f"/password-resets/{third['id']}", json=body("PasswordReset", {"token": third_token}, id=third["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/password"}
    done = ok(synap.patch(f"/password-resets/{third['id']}", json=body("PasswordReset", {
        "token": third_token, "password": "brand new pass"}, id=third["id"])))["data"]
    assert done["attributes"]["status"] == "complete" and done["attributes"]["completedAt"] is not None


def test_account_closure_confirmed_with_the_emailed_token_deletes_the_account(synap, fresh):
    user = new_user(synap)
    students = group_named(synap, "Students")
    request = ok(synap.post("/account-closure-requests",
                            json=body("AccountClosureRequest", {"emailAddress": "flo@example.org"})), 201)["data"]
    closure_id, token = token_for(fresh, "flo@example.org", "AccountClosure")
    assert request["relationships"]["accountClosure"]["data"]["id"] == closure_id
    errors(synap.patch(f"/account-closures/{closure_id}", json=body("AccountClosure", {"token": token[::-1]}, id=closure_id)), 400)
    ok(synap.get(f"/users/{user['id']}"))
    closed = ok(synap.patch(f"/account-closures/{closure_id}", json=body("AccountClosure", {"token": token}, id=closure_id)))
    assert closed["data"]["attributes"]["status"] == "complete"
    errors(synap.get(f"/users/{user['id']}"), 404)
    assert group_named(synap, "Students")["attributes"]["totalUsers"] == students["attributes"]["totalUsers"] - 1
    assert everything(synap, "/users", **{"filter[emailAddress]": "flo@example.org"}) == []


def test_a_non_admin_cannot_start_flows_for_someone_else(synap):
    staff = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}
    user = new_user(synap)
    errors(synap.post("/account-closures", json=body("AccountClosure", {}, {"user": one("User", user["id"])}), headers=staff), 403)
    errors(synap.post("/password-reset-requests", json=body("PasswordResetRequest", {"emailAddress": "flo@example.org"}),
                      headers=staff), 403)
    mine = ok(synap.post("/email-verification-requests", json=body("EmailVerificationRequest", {
        "emailAddress": "marker@demo-academy.synap.example"}), headers=staff), 201)
    assert mine["data"]["relationships"]["emailVerification"]["data"]["type"] == "EmailVerification"
