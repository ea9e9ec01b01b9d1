"""Synap Notifications and User Feedback: generic notifications to users and groups through the sandbox
outbox (opt-outs, mandatory groups), the background job that tracks them, transactional emails read from
what was sent, flags resolved by administrators, flag exports and tip suggestions."""

from __future__ import annotations

from synap_helpers import body, errors, everything, group_named, many, ok, one, register

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}
STAFF_EMAIL = "marker@demo-academy.synap.example"


def listed(client, path: str, headers: dict | None = None, **params) -> list[dict]:
    return ok(client.get(path, params={"limit": 1000, "offset": 0, **params}, headers=headers))["data"]


def user_by_email(synap, email: str) -> dict:
    return everything(synap, "/users", **{"filter[emailAddress]": email})[0]


def notify(client, relationships: dict, status: int = 201, **attributes):
    attrs = {"subject": "Timetable change", "message": "Lessons move to room 4.", **attributes}
    response = client.post("/generic-notifications", json=body("GenericNotification", attrs, relationships))
    return ok(response, status)["data"] if status < 400 else response


def new_user(synap, name: str, email: str) -> dict:
    registration = register(synap, name, email, welcomeEmailDisabled=True)
    return ok(synap.get(f"/users/{registration['relationships']['user']['data']['id']}"))["data"]


def a_product(synap) -> dict:
    return ok(synap.post("/products", json=body("Product", {"name": "Flaggable course", "price": 100})), 201)["data"]


# -- generic notifications, background jobs, transactional emails -------------------------------------------------


def test_a_notification_emails_each_target_once_skips_opt_outs_and_runs_as_a_background_job(synap, fresh):
    fresh.clock(now="2026-06-01T09:00:00Z", frozen=True)
    markers = group_named(synap, "Markers")  # the staff user
    staff = user_by_email(synap, STAFF_EMAIL)
    keen, quiet = new_user(synap, "Keen Kim", "keen@example.org"), new_user(synap, "Quiet Quinn", "quiet@example.org")
    ok(synap.patch(f"/users/{quiet['id']}", json=body("User", {"preferences": {"emailNotifications": False}}, id=quiet["id"])))

    made = notify(synap, {"users": many("User", keen["id"], quiet["id"], staff["id"]), "userGroups": many("UserGroup", markers["id"])},
                  actionUrl="https://example.org/timetable")
    attrs = made["attributes"]
    assert (attrs["recipientCount"], attrs["skippedCount"], attrs["channels"]) == (2, 1, ["email"])
    assert sorted(m["to"] for m in fresh.outbox(kind="GenericNotification")) == ["keen@example.org", STAFF_EMAIL]
    assert fresh.outbox(to="quiet@example.org") == []
    assert fresh.outbox(to=STAFF_EMAIL, kind="GenericNotification")[0]["body"].endswith("https://example.org/timetable")

    job_id = made["relationships"]["backgroundJob"]["data"]["id"]
    job = ok(synap.get(f"/background-jobs/{job_id}"))["data"]
    assert (job["attributes"]["jobType"], job["attributes"]["status"], job["attributes"]["itemCount"]) == ("notification", "pending", 3)
    assert job["relationships"]["subject"]["data"] == {"type": "GenericNotification", "id": made["id"]}
    fresh.advance_clock(30)
    done = ok(synap.get(f"/background-jobs/{job_id}"))["data"]["attributes"]
    assert (done["status"], done["progress"], done["processedCount"]) == ("complete", 100, 3) and done["fileUrl"]
    errors(synap.get(f"/background-jobs/{job_id}", headers=STAFF), 404)  # an administrator started it

    account = next(g for g in everything(synap, "/notification-groups") if g["attributes"]["isMandatory"])
    forced = notify(synap, {"users": many("User", quiet["id"]), "notificationGroup": one("NotificationGroup", account["id"])},
                    subject="Security notice")
    assert (forced["attributes"]["recipientCount"], forced["attributes"]["skippedCount"]) == (1, 0)
    assert [m["subject"] for m in fresh.outbox(to="quiet@example.org")] == ["Security notice"]


def test_a_notification_needs_targets_an_administrator_and_in_app_reaches_everyone(synap, fresh):
    errs = errors(notify(synap, {"users": many("User")}, status=400), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/users"}
    staff = user_by_email(synap, STAFF_EMAIL)
    errors(synap.post("/generic-notifications", headers=STAFF, json=body("GenericNotification", {
        "subject": "Hi", "message": "Hello"}, {"users": many("User", staff["id"])})), 403)
    offers = next(g for g in everything(synap, "/notification-groups") if g["attributes"]["key"] == "offers")
    ok(synap.patch(f"/users/{staff['id']}", json=body("User", {"preferences": {"notificationGroups": {"offers": False}}}, id=staff["id"])))
    in_app = notify(synap, {"users": many("User", staff["id"]), "notificationGroup": one("NotificationGroup", offers["id"])},
                    channels=["email", "inApp"])
    assert (in_app["attributes"]["recipientCount"], in_app["attributes"]["skippedCount"]) == (1, 1)
    assert fresh.outbox(to=STAFF_EMAIL) == []


def test_transactional_emails_are_what_the_portal_sent_and_users_read_their_own(synap, fresh):
    fresh.clock(now="2026-06-01T09:00:00Z", frozen=True)
    seeded = everything(synap, "/transactional-emails")
    registration = register(synap, "Welcome Wendy", "wendy@example.org")
    staff = user_by_email(synap, STAFF_EMAIL)
    notify(synap, {"users": many("User", staff["id"])}, subject="For the marker")

    emails = everything(synap, "/transactional-emails")
    assert len(emails) == len(seeded) + 2
    welcome = everything(synap, "/transactional-emails", **{"filter[toAddress]": "wendy@example.org"})
    assert [(e["attributes"]["kind"], e["attributes"]["sentAt"], e["attributes"]["status"]) for e in welcome] == [
        ("welcome", "2026-06-01T09:00:00Z", "sent")]
    assert welcome[0]["relationships"]["user"]["data"] == registration["relationships"]["user"]["data"]
    assert len(everything(synap, "/transactional-emails")) == len(emails)  # read twice, recorded once
    newest = everything(synap, "/transactional-emails", sort="-sentAt,toAddress")[0]
    assert newest["attributes"]["sentAt"] == "2026-06-01T09:00:00Z"

    mine = listed(synap, "/transactional-emails", STAFF)
    assert [e["attributes"]["subject"] for e in mine] == ["For the marker"]
    ok(synap.get(f"/transactional-emails/{mine[0]['id']}", headers=STAFF))
    errors(synap.get(f"/transactional-emails/{welcome[0]['id']}", headers=STAFF), 404)
    assert ok(synap.get(f"/transactional-emails/{welcome[0]['id']}"))["data"]["attributes"]["subject"] == "Welcome to the portal"
    fresh.reset()  # a new world: the outbox is empty again, and so are the recorded emails beyond the seed's
    register(synap, "Second Sam", "second@example.org")
    found = ok(synap.get("/search", params={"query": "second@example.org", "filter[type]": "TransactionalEmail",
                                            "limit": 5, "offset": 0}))["data"]
    assert [e["attributes"]["kind"] for e in found] == ["welcome"]  # Search records the outbox too
    assert len(everything(synap, "/transactional-emails")) == len(seeded) + 1


# -- flags, flag exports, tip suggestions --------------------------------------------------------------------------


def test_a_flag_is_resolved_by_an_administrator_and_the_reporter_is_told(synap, fresh):
    fresh.clock(now="2026-06-01T09:00:00Z", frozen=True)
    course = a_product(synap)
    staff = user_by_email(synap, STAFF_EMAIL)
    flag = ok(synap.post("/flags", headers=STAFF, json=body("Flag", {"reason": "typo", "comment": "Lesson 2 title"},
                                                            {"subject": one("Product", course["id"])})), 201)["data"]
    assert flag["relationships"]["user"]["data"] == {"type": "User", "id": staff["id"]}
    assert (flag["attributes"]["status"], flag["relationships"]["resolvedBy"]["data"]) == ("open", None)
    errors(synap.post("/flags", headers=STAFF, json=body("Flag", {"reason": "other"}, {"subject": one("Product", course["id"])})), 409)
    url = f"/flags/{flag['id']}"
    edited = ok(synap.patch(url, headers=STAFF, json=body("Flag", {"comment": "Lesson 2 and 3"}, id=flag["id"])))
    assert edited["data"]["attributes"]["comment"] == "Lesson 2 and 3"
    errors(synap.patch(url, headers=STAFF, json=body("Flag", {"status": "resolved"}, id=flag["id"])), 403)

    admin = user_by_email(synap, "admin@demo-academy.synap.example")
    fresh.advance_clock(60)
    resolved = ok(synap.patch(url, json=body("Flag", {"status": "resolved", "resolution": "Fixed, thanks!"}, id=flag["id"])))["data"]
    assert (resolved["attributes"]["status"], resolved["attributes"]["resolvedAt"]) == ("resolved", "2026-06-01T09:01:00Z")
    assert resolved["relationships"]["resolvedBy"]["data"] == {"type": "User", "id": admin["id"]}
    told = fresh.outbox(to=STAFF_EMAIL, kind="FlagResolved")
    assert [(m["subject"], m["body"]) for m in told] == [("Your flag was resolved", "Fixed, thanks!")]
    errors(synap.patch(url, headers=STAFF, json=body("Flag", {"comment": "more"}, id=flag["id"])), 409)

    reopened = ok(synap.patch(url, json=body("Flag", {"status": "open"}, id=flag["id"])))["data"]
    assert (reopened["attributes"]["resolvedAt"], reopened["attributes"]["resolution"]) == (None, None)
    assert reopened["relationships"]["resolvedBy"]["data"] is None
    assert len(fresh.outbox(kind="FlagResolved")) == 1  # reopening tells nobody


def test_reporters_see_their_own_flags_and_flags_need_a_subject(synap):
    course = a_product(synap)
    seeded = everything(synap, "/flags")
    mine = ok(synap.post("/flags", headers=STAFF, json=body("Flag", {"reason": "unclear"},
                                                            {"subject": one("Product", course["id"])})), 201)["data"]
    assert [f["id"] for f in listed(synap, "/flags", STAFF)] == [mine["id"]]
    assert len(everything(synap, "/flags")) == len(seeded) + 1
    errors(synap.get(f"/flags/{seeded[0]['id']}", headers=STAFF), 404)
    errs = errors(synap.post("/flags", json=body("Flag", {"reason": "typo"}, {"subject": {"data": None}})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/subject"}
    learner = seeded[0]["relationships"]["user"]["data"]
    on_behalf = ok(synap.post("/flags", json=body("Flag", {"reason": "broken"}, {
        "subject": one("Product", course["id"]), "user": {"data": learner}})), 201)["data"]
    assert on_behalf["relationships"]["user"]["data"] == learner
    errors(synap.post("/flags", headers=STAFF, json=body("Flag", {"reason": "broken"}, {
        "subject": one("Product", a_product(synap)["id"]), "user": {"data": learner}})), 403)


def test_a_flag_export_counts_the_chosen_flags_and_completes_on_the_clock(synap, fresh):
    fresh.clock(now="2026-06-01T09:00:00Z", frozen=True)
    flags = everything(synap, "/flags")
    open_flags = [f for f in flags if f["attributes"]["status"] == "open"]
    export = ok(synap.post("/flag-exports", json=body("FlagExport", {"statuses": ["open"]})), 201)["data"]
    assert (export["attributes"]["rowCount"], export["attributes"]["status"], export["attributes"]["fileUrl"]) == (
        len(open_flags), "pending", None)
    everything_export = ok(synap.post("/flag-exports", json=body("FlagExport", {})), 201)["data"]
    assert everything_export["attributes"]["rowCount"] == len(flags)
    fresh.advance_clock(30)  # FlagExport has no Get: read it back through Search (its statuses are text)
    later = ok(synap.get("/search", params={"query": "open", "filter[type]": "FlagExport", "limit": 10, "offset": 0}))["data"]
    done = next(r for r in later if r["id"] == export["id"])["attributes"]
    assert (done["status"], done["completedAt"]) == ("complete", "2026-06-01T09:00:30Z")
    assert done["fileUrl"].endswith(f"flags-{export['id']}.csv")
    errors(synap.post("/flag-exports", headers=STAFF, json=body("FlagExport", {})), 403)


def test_tip_suggestions_belong_to_their_author_and_are_not_repeated(synap):
    course = a_product(synap)
    seeded = everything(synap, "/tip-suggestions")
    staff = user_by_email(synap, STAFF_EMAIL)
    tip = ok(synap.post("/tip-suggestions", headers=STAFF, json=body("TipSuggestion", {"text": "Draw the  diagram first."},
                                                                     {"subject": one("Product", course["id"])})), 201)["data"]
    assert (tip["attributes"]["status"], tip["relationships"]["user"]["data"]["id"]) == ("pending", staff["id"])
    errors(synap.post("/tip-suggestions", headers=STAFF, json=body("TipSuggestion", {"text": "draw the diagram FIRST."},
                                                                   {"subject": one("Product", course["id"])})), 409)
    assert [t["id"] for t in listed(synap, "/tip-suggestions", STAFF)] == [tip["id"]]
    assert len(everything(synap, "/tip-suggestions")) == len(seeded) + 1
    assert len(everything(synap, "/tip-suggestions", **{"filter[status]": "pending"})) == 1 + sum(
        t["attributes"]["status"] == "pending" for t in seeded)
