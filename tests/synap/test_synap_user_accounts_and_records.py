"""Synap Users group beyond registration and the emailed flows: session context, generated
accounts, password changes, learning records and their export, invites, marketing consent,
external exam sittings, documents, and the engagement and stats views computed from the store."""

from __future__ import annotations

from synap_helpers import body, errors, everything, group_named, ok, one

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}


def as_staff(synap, path: str) -> list[dict]:
    return ok(synap.get(path, params={"limit": 1000, "offset": 0}, headers=STAFF))["data"]


def me(synap, headers=None) -> dict:
    return ok(synap.get("/session-context", headers=headers or {}))


def learner(synap) -> dict:
    students = group_named(synap, "Students")
    return next(u for u in everything(synap, "/users") if u["relationships"]["userGroups"]["data"] == [
        {"type": "UserGroup", "id": students["id"]}])


def moderators_group(synap) -> str:
    """The internal moderating markers group the Exams seed made for its sectioned exam: the staff
    marker is a member (the markers inbox shows it the exam in that role)."""
    chemistry = next(e for e in everything(synap, "/exam-v2s") if e["attributes"]["name"] == "Year 11 Chemistry Final")
    group = ok(synap.get(f"/user-groups/{chemistry['relationships']['moderatingMarkers']['data']['id']}"))["data"]
    assert group["attributes"]["internal"] is True
    return group["id"]


def test_session_context_says_who_the_caller_is(synap):
    context = me(synap, STAFF)
    data = context["data"]
    assert data["type"] == "SessionContext" and data["attributes"]["role"] == "staff"
    assert data["attributes"]["isAdmin"] is False and data["attributes"]["emailAddress"] == "marker@demo-academy.synap.example"
    assert data["attributes"]["permissions"] == ["author", "learn", "mark"]  # the Staff user type's
    groups = {g["id"] for g in data["relationships"]["userGroups"]["data"]}
    assert groups == {group_named(synap, "Staff")["id"], group_named(synap, "Markers")["id"], moderators_group(synap)}
    assert data["relationships"]["portal"]["data"]["type"] == "Portal"
    pat = data["relationships"]["personalAccessToken"]["data"]["id"]
    staff_pat = next(p for p in everything(synap, "/personal-access-tokens") if p["attributes"]["label"].startswith("Reporting"))
    assert pat == staff_pat["id"]
    admin = me(synap)["data"]
    assert admin["attributes"]["isAdmin"] is True and "admin" in admin["attributes"]["permissions"]
    included = ok(synap.get("/session-context", params={"include": "userGroups,user"}))["included"]
    assert {r["type"] for r in included} == {"UserGroup", "User"}


def test_a_generated_account_shows_its_password_once_and_joins_a_group(synap, fresh):
    year10 = group_named(synap, "Year 10")
    made = ok(synap.post("/generated-accounts", json=body("GeneratedAccount", {}, {"userGroup": one("UserGroup", year10["id"])})), 201)["data"]
    password = made["attributes"]["password"]
    assert len(password) == 16 and made["attributes"]["emailAddress"].startswith("generated-")
    assert made["attributes"]["emailAddress"].endswith("@demo-academy.synap.example")
    user_id = made["relationships"]["user"]["data"]["id"]
    user = ok(synap.get(f"/users/{user_id}"))["data"]
    assert user["attributes"]["name"] == made["attributes"]["name"]
    assert user["relationships"]["userGroups"]["data"] == [{"type": "UserGroup", "id": year10["id"]}]
    assert ok(synap.get(f"/user-accounts/{user_id}"))["data"]["attributes"]["hasPassword"] is True
    named = ok(synap.post("/generated-accounts", json=body("GeneratedAccount", {"name": "Pat Guest", "emailAddress": "guest@example.org"})), 201)["data"]
    students = group_named(synap, "Students")
    assert ok(synap.get(f"/users/{named['relationships']['user']['data']['id']}"))["data"]["relationships"]["userGroups"]["data"] == [
        {"type": "UserGroup", "id": students["id"]}]
    errs = errors(synap.post("/generated-accounts", json=body("GeneratedAccount", {"emailAddress": "guest@example.org"})), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/emailAddress"}
    errors(synap.post("/generated-accounts", json=body("GeneratedAccount", {}, {
        "userGroup": one("UserGroup", group_named(synap, "Class of 2024")["id"])})), 403)  # archived
    errors(synap.post("/generated-accounts", json=body("GeneratedAccount", {}), headers=STAFF), 403)


def test_changing_ones_password_needs_the_current_one_and_signs_out_everywhere(synap, fresh):
    staff = me(synap, STAFF)["data"]
    assert len(staff["relationships"]["userSessions"]["data"]) == 1
    errs = errors(synap.post("/user-passwords", json=body("UserPassword", {"password": "a brand new one", "currentPassword": "nope"}),
                             headers=STAFF), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/currentPassword"}
    errors(synap.post("/user-passwords", json=body("UserPassword", {"password": "short"}), headers=STAFF), 400)
    changed = ok(synap.post("/user-passwords", json=body("UserPassword", {
        "password": "a brand new one", "currentPassword": "marker@demo-academy.synap.example-password"}), headers=STAFF), 201)["data"]
    assert changed["attributes"]["signedOutSessions"] == 1 and "password" not in changed["attributes"]
    assert me(synap, STAFF)["data"]["relationships"]["userSessions"]["data"] == []
    assert fresh.outbox(to="marker@demo-academy.synap.example", kind="password-changed")
    # now the old password is the wrong current one; an admin sets anyone's without it
    errors(synap.post("/user-passwords", json=body("UserPassword", {
        "password": "another new one", "currentPassword": "marker@demo-academy.synap.example-password"}), headers=STAFF), 400)
    ok(synap.post("/user-passwords", json=body("UserPassword", {"password": "set by admin"}, {"user": one("User", staff["id"])})), 201)
    ok(synap.post("/user-passwords", json=body("UserPassword", {"password": "mine again", "currentPassword": "set by admin"}),
                  headers=STAFF), 201)
    errors(synap.post("/user-passwords", json=body("UserPassword", {"password": "not yours"}, {"user": one("User", me(synap)["data"]["id"])}),
                      headers=STAFF), 403)


def test_learning_records_belong_to_their_user(synap, fresh):
    fresh.clock(now="2026-05-01T12:00:00Z", frozen=True)
    staff_id = me(synap, STAFF)["data"]["id"]
    mine = ok(synap.post("/learning-records", json=body("LearningRecord", {
        "title": "Marking workshop", "completedAt": "2026-04-20T15:00:00Z", "durationMinutes": 90, "credits": 1.5}), headers=STAFF), 201)["data"]
    assert mine["relationships"]["user"]["data"]["id"] == staff_id
    errs = errors(synap.post("/learning-records", json=body("LearningRecord", {"title": "Tomorrow", "completedAt": "2026-05-02T00:00:00Z"}),
                             headers=STAFF), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/completedAt"}
    someone = learner(synap)
    theirs = ok(synap.post("/learning-records", json=body("LearningRecord", {"title": "Induction"}, {"user": one("User", someone["id"])})), 201)["data"]
    errors(synap.post("/learning-records", json=body("LearningRecord", {"title": "Forged"}, {"user": one("User", someone["id"])}),
                      headers=STAFF), 403)
    staff_view = as_staff(synap, "/learning-records")
    assert staff_view and {r["relationships"]["user"]["data"]["id"] for r in staff_view} == {staff_id}
    assert len(everything(synap, "/learning-records")) > len(staff_view)
    errors(synap.get(f"/learning-records/{theirs['id']}", headers=STAFF), 404)
    errors(synap.delete(f"/learning-records/{theirs['id']}", headers=STAFF), 404)
    ok(synap.patch(f"/learning-records/{mine['id']}", json=body("LearningRecord", {"credits": 2}, id=mine["id"]), headers=STAFF))
    assert synap.delete(f"/learning-records/{mine['id']}", headers=STAFF).status_code == 204


def test_exports_start_pending_and_complete_on_the_clock_with_their_row_count(synap, fresh):
    fresh.clock(now="2026-05-01T12:00:00Z", frozen=True)
    staff_id = me(synap, STAFF)["data"]["id"]
    own = [r for r in everything(synap, "/learning-records") if r["relationships"]["user"]["data"]["id"] == staff_id]
    export = ok(synap.post("/learning-record-exports", json=body("LearningRecordExport", {}), headers=STAFF), 201)["data"]
    assert export["attributes"]["status"] == "pending" and export["attributes"]["fileUrl"] is None
    assert export["attributes"]["rowCount"] == len(own) and export["relationships"]["user"]["data"]["id"] == staff_id
    everyone = ok(synap.post("/learning-record-exports", json=body("LearningRecordExport", {})), 201)["data"]
    assert everyone["attributes"]["rowCount"] == len(everything(synap, "/learning-records"))
    invites = ok(synap.post("/invite-exports", json=body("InviteExport", {"inviteStatus": "pending"})), 201)["data"]
    pending = [i for i in everything(synap, "/invites") if i["attributes"]["status"] == "pending"]
    assert invites["attributes"]["rowCount"] == len(pending) == 3
    errors(synap.post("/invite-exports", json=body("InviteExport", {}), headers=STAFF), 403)
    errors(synap.get(f"/learning-record-exports/{everyone['id']}", headers=STAFF), 404)  # not theirs
    fresh.advance_clock(10)
    polled = ok(synap.get(f"/learning-record-exports/{export['id']}", headers=STAFF))["data"]["attributes"]
    assert polled["status"] == "processing" and 0 < polled["progress"] < 100 and polled["fileUrl"] is None
    fresh.advance_clock(20)
    done = ok(synap.get(f"/invite-exports/{invites['id']}"))["data"]["attributes"]
    assert done["status"] == "complete" and done["progress"] == 100 and done["completedAt"] == "2026-05-01T12:00:30Z"
    assert done["fileUrl"].endswith(f"/invites-{invites['id']}.csv")


def test_invites_are_revoked_reinstated_and_resent_but_only_the_invitee_accepts(synap, fresh):
    fresh.clock(now="2026-05-01T12:00:00Z", frozen=True)
    invites = everything(synap, "/invites")
    pending = next(i for i in invites if i["attributes"]["status"] == "pending" and not i["attributes"]["isExpired"])
    expired = next(i for i in invites if i["attributes"]["isExpired"])
    accepted = next(i for i in invites if i["attributes"]["status"] == "accepted")
    url = f"/invites/{pending['id']}"
    revoked = ok(synap.patch(url, json=body("Invite", {"status": "revoked"}, id=pending["id"])))["data"]
    assert revoked["attributes"]["status"] == "revoked"
    errors(synap.patch(url, json=body("Invite", {"resend": True}, id=pending["id"])), 409)
    back = ok(synap.patch(url, json=body("Invite", {"status": "pending"}, id=pending["id"])))["data"]
    assert back["attributes"]["sentAt"] == "2026-05-01T12:00:00Z" and back["attributes"]["expiresAt"] == "2026-05-15T12:00:00Z"
    assert [m["kind"] for m in fresh.outbox(to=pending["attributes"]["emailAddress"])] == ["invite"]
    resent = ok(synap.patch(f"/invites/{expired['id']}", json=body("Invite", {"resend": True}, id=expired["id"])))["data"]
    assert resent["attributes"]["isExpired"] is False and "resend" not in resent["attributes"]
    errs = errors(synap.patch(url, json=body("Invite", {"status": "accepted"}, id=pending["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/status"}
    errors(synap.patch(f"/invites/{accepted['id']}", json=body("Invite", {"status": "revoked"}, id=accepted["id"])), 409)
    assert accepted["relationships"]["user"]["data"] is not None
    errors(synap.get(url, headers=STAFF), 403)
    fresh.advance_clock(15 * 86400)
    assert ok(synap.get(url))["data"]["attributes"]["isExpired"] is True


def test_marketing_consent_is_one_per_channel_and_withdrawn_by_deleting_it(synap):
    staff_id = me(synap, STAFF)["data"]["id"]
    consent = ok(synap.post("/marketing-consents", json=body("MarketingConsent", {"channel": "email", "source": "profile"}),
                            headers=STAFF), 201)["data"]
    assert consent["relationships"]["user"]["data"]["id"] == staff_id and consent["attributes"]["consentedAt"]
    errors(synap.post("/marketing-consents", json=body("MarketingConsent", {"channel": "email"}), headers=STAFF), 409)
    ok(synap.post("/marketing-consents", json=body("MarketingConsent", {"channel": "sms"}), headers=STAFF), 201)
    admin_consent = ok(synap.post("/marketing-consents", json=body("MarketingConsent", {"channel": "email"})), 201)["data"]
    errors(synap.delete(f"/marketing-consents/{admin_consent['id']}", headers=STAFF), 404)
    assert synap.delete(f"/marketing-consents/{consent['id']}", headers=STAFF).status_code == 204
    ok(synap.post("/marketing-consents", json=body("MarketingConsent", {"channel": "email"}), headers=STAFF), 201)  # again, after withdrawing


def test_external_exam_sittings_work_out_passed_and_refuse_impossible_scores(synap):
    staff_id = me(synap, STAFF)["data"]["id"]
    sitting = ok(synap.post("/external-exam-sittings", json=body("ExternalExamSitting", {
        "examName": "ACCA F1", "status": "sat", "score": 55, "maxScore": 100, "passMark": 50},
        {"user": one("User", staff_id)})), 201)["data"]
    assert sitting["attributes"]["passed"] is True
    url = f"/external-exam-sittings/{sitting['id']}"
    assert ok(synap.patch(url, json=body("ExternalExamSitting", {"passMark": 60}, id=sitting["id"])))["data"]["attributes"]["passed"] is False
    errs = errors(synap.patch(url, json=body("ExternalExamSitting", {"score": 120}, id=sitting["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/score"}
    errs = errors(synap.post("/external-exam-sittings", json=body("ExternalExamSitting", {"examName": "Nobody's"})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/user"}
    assert [s["id"] for s in as_staff(synap, "/external-exam-sittings")] == [sitting["id"]]
    errors(synap.patch(url, json=body("ExternalExamSitting", {"score": 99}, id=sitting["id"]), headers=STAFF), 403)


def test_documents_show_each_user_their_own(synap):
    documents = everything(synap, "/documents")
    assert documents and as_staff(synap, "/documents") == []
    owners = {d["relationships"]["user"]["data"]["id"] for d in documents}
    assert len(owners) == len(documents)


def test_user_stats_and_engagement_are_counted_from_the_store(synap, fresh):
    fresh.clock(now="2026-05-01T12:00:00Z", frozen=True)
    staff_id = me(synap, STAFF)["data"]["id"]
    before = ok(synap.get(f"/user-stats/{staff_id}", headers=STAFF))["data"]["attributes"]
    ok(synap.post("/learning-records", json=body("LearningRecord", {
        "title": "Moderation", "completedAt": "2026-04-30T10:00:00Z", "durationMinutes": 60, "credits": 2}), headers=STAFF), 201)
    ok(synap.post("/external-exam-sittings", json=body("ExternalExamSitting", {
        "examName": "Exam", "score": 80, "maxScore": 100, "passMark": 50}, {"user": one("User", staff_id)})), 201)
    after = ok(synap.get(f"/user-stats/{staff_id}", headers=STAFF))["data"]
    assert after["attributes"]["learningRecords"] == before["learningRecords"] + 1
    assert after["attributes"]["learningMinutes"] == before["learningMinutes"] + 60
    assert after["attributes"]["learningCredits"] == before["learningCredits"] + 2
    assert after["attributes"]["externalExamsPassed"] == before["externalExamsPassed"] + 1
    assert after["attributes"]["userGroups"] == 3  # Staff, Markers and an exam's internal moderating markers group
    assert after["relationships"]["user"]["data"]["id"] == staff_id
    errors(synap.get(f"/user-stats/{me(synap)['data']['id']}", headers=STAFF), 404)
    mine = as_staff(synap, "/user-engagements")
    assert [e["id"] for e in mine] == [staff_id] and mine[0]["attributes"]["recentLearningRecords"] >= 1
    everyone = everything(synap, "/user-engagements")
    assert len(everyone) == len(everything(synap, "/users"))
    levels = {e["attributes"]["engagementLevel"] for e in everyone}
    assert levels <= {"active", "engaged", "lapsing", "inactive"}
    lapsing = everything(synap, "/user-engagements", **{"filter[engagementLevel]": "inactive"})
    assert all(e["attributes"]["daysSinceLastSeen"] is None or e["attributes"]["daysSinceLastSeen"] > 90 for e in lapsing)
