"""Synap Access Policies (policies, migrations between them, resets, what the caller may use) and
Billing (subscriptions, billing details, billing-portal sessions, portal usage)."""

from __future__ import annotations

from synap_helpers import body, errors, everything, group_named, many, ok, one

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}


def collection_ids(synap) -> list[str]:
    return [c["id"] for c in everything(synap, "/collections")][:3]


def policy(synap, name: str, resource_type="Collection", resources=(), **attributes) -> dict:
    rels = {"resources": many(resource_type, *resources)} if resources else {}
    return ok(synap.post("/access-policies", json=body("AccessPolicy", {"name": name, "resourceType": resource_type, **attributes},
                                                        rels)), 201)["data"]


def test_a_resource_is_governed_by_one_policy_and_moves_by_migration(synap):
    first, second, third = collection_ids(synap)
    source = policy(synap, "Partners view", resources=[first, second], permissions=["view", "view", "edit"])
    assert source["attributes"]["permissions"] == ["view", "edit"] and source["attributes"]["resourceCount"] == 2
    errs = errors(synap.post("/access-policies", json=body("AccessPolicy", {"name": "Grab", "resourceType": "Collection"},
                                                           {"resources": many("Collection", second)})), 409)
    assert "AccessMigration" in errs[0]["detail"]
    errs = errors(synap.post("/access-policies", json=body("AccessPolicy", {"name": "Wrong kind", "resourceType": "Course"},
                                                           {"resources": many("Collection", third)})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/resources/data/0/type"}
    target = policy(synap, "Partners edit", resources=[third], permissions=["view", "edit"])
    errors(synap.delete(f"/access-policies/{source['id']}"), 409)
    moved = ok(synap.post("/access-migrations", json=body("AccessMigration", {}, {
        "fromPolicy": one("AccessPolicy", source["id"]), "toPolicy": one("AccessPolicy", target["id"])})), 201)["data"]
    assert moved["attributes"]["migratedCount"] == 2
    assert {r["id"] for r in moved["relationships"]["resources"]["data"]} == {first, second}
    after = ok(synap.get(f"/access-policies/{target['id']}"))["data"]
    assert {r["id"] for r in after["relationships"]["resources"]["data"]} == {first, second, third}
    assert ok(synap.get(f"/access-policies/{source['id']}"))["data"]["attributes"]["resourceCount"] == 0
    assert synap.delete(f"/access-policies/{source['id']}").status_code == 204


def test_migrations_need_two_policies_of_the_same_kind(synap):
    collections = [p for p in everything(synap, "/access-policies") if p["attributes"]["resourceType"] == "Collection"]
    exams = next(p for p in everything(synap, "/access-policies") if p["attributes"]["resourceType"] == "Exam-V-2")
    errs = errors(synap.post("/access-migrations", json=body("AccessMigration", {}, {
        "fromPolicy": one("AccessPolicy", collections[0]["id"]), "toPolicy": one("AccessPolicy", exams["id"])})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/toPolicy"}
    errors(synap.post("/access-migrations", json=body("AccessMigration", {}, {
        "fromPolicy": one("AccessPolicy", collections[0]["id"]), "toPolicy": one("AccessPolicy", collections[0]["id"])})), 400)
    errs = errors(synap.post("/access-migrations", json=body("AccessMigration", {}, {"toPolicy": one("AccessPolicy", exams["id"])})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/fromPolicy"}
    ok(synap.post("/access-migrations", json=body("AccessMigration", {}, {
        "fromPolicy": one("AccessPolicy", collections[0]["id"]), "toPolicy": one("AccessPolicy", collections[1]["id"])})), 201)


def test_defaults_cannot_be_deleted_resources_only_move_by_migration_and_only_admins_manage(synap):
    default = next(p for p in everything(synap, "/access-policies")
                   if p["attributes"]["isDefault"] and p["attributes"]["resourceType"] == "Collection")
    errors(synap.delete(f"/access-policies/{default['id']}"), 403)
    first = collection_ids(synap)[0]
    errors(synap.patch(f"/access-policies/{default['id']}", json=body("AccessPolicy", {}, {"resources": many("Collection", first)},
                                                                     id=default["id"])), 400)
    errors(synap.get("/access-policies", params={"limit": 5, "offset": 0}, headers=STAFF), 403)
    errors(synap.post("/access-policies", json=body("AccessPolicy", {"name": "Mine"}), headers=STAFF), 403)


def test_a_reset_puts_the_grants_back_as_they_were_created(synap):
    revision = next(p for p in everything(synap, "/access-policies") if p["attributes"]["name"] == "Year 11 revision")
    url = f"/access-policies/{revision['id']}"
    staff_group = group_named(synap, "Staff")
    changed = ok(synap.patch(url, json=body("AccessPolicy", {"permissions": ["view", "edit"], "name": "Year 11 + staff"},
                                            {"userGroups": many("UserGroup", staff_group["id"])}, id=revision["id"])))["data"]
    assert changed["relationships"]["userGroups"]["data"] == [{"type": "UserGroup", "id": staff_group["id"]}]
    reset = ok(synap.post("/access-policy-resets", json=body("AccessPolicyReset", {}, {"accessPolicy": one("AccessPolicy", revision["id"])})), 201)
    assert reset["data"]["attributes"]["restored"] == ["permissions", "userGroups"]
    back = ok(synap.get(url))["data"]
    assert back["attributes"]["permissions"] == ["view"] and back["attributes"]["name"] == "Year 11 + staff"
    assert back["relationships"]["userGroups"]["data"] == revision["relationships"]["userGroups"]["data"]
    again = ok(synap.post("/access-policy-resets", json=body("AccessPolicyReset", {}, {"accessPolicy": one("AccessPolicy", revision["id"])})), 201)
    assert again["data"]["attributes"]["restored"] == []


def test_available_policies_are_those_granting_the_caller_something(synap):
    everyone = everything(synap, "/access-policies")
    assert {p["id"] for p in everything(synap, "/available-access-policies")} == {p["id"] for p in everyone}
    staff_view = ok(synap.get("/available-access-policies", params={"limit": 100, "offset": 0}, headers=STAFF))["data"]
    names = {p["attributes"]["name"] for p in staff_view}
    # the marker is in Staff and Markers (user type Staff): the exam marking and authoring policies, not the students' ones
    assert names == {"Exams: staff mark", "Authors edit collections"}
    assert all(p["relationships"]["accessPolicy"]["data"] == {"type": "AccessPolicy", "id": p["id"]} for p in staff_view)
    only_exams = ok(synap.get("/available-access-policies", params={"limit": 100, "offset": 0, "filter[resourceType]": "Exam-V-2"},
                              headers=STAFF))["data"]
    assert [p["attributes"]["name"] for p in only_exams] == ["Exams: staff mark"]


# -- billing -----------------------------------------------------------------------------------------


def test_billing_info_follows_the_active_subscription(synap):
    info = ok(synap.get("/billing-info", params={"include": "subscription"}))
    subscriptions = everything(synap, "/subscriptions")
    active = next(s for s in subscriptions if s["attributes"]["status"] == "active")
    assert {s["attributes"]["status"] for s in subscriptions} == {"active", "canceled"}
    assert info["data"]["attributes"]["plan"] == active["attributes"]["plan"] == "Growth"
    assert info["data"]["attributes"]["seats"] == 500
    assert info["data"]["attributes"]["nextInvoiceDate"] == active["attributes"]["currentPeriodEnd"]
    assert info["included"] == [ok(synap.get(f"/subscriptions/{active['id']}"))["data"]]
    assert info["data"]["attributes"]["paymentMethod"]["last4"] == "4242"
    errors(synap.get("/billing-info", headers=STAFF), 403)
    errors(synap.get("/subscriptions", params={"limit": 5, "offset": 0}, headers=STAFF), 403)


def test_a_billing_portal_session_is_open_for_thirty_minutes(synap, fresh):
    fresh.clock(now="2026-07-01T09:00:00Z", frozen=True)
    session = ok(synap.post("/manage-billing-sessions", json=body("ManageBillingSession", {
        "returnUrl": "https://demo-academy.synap.example/settings/billing"})), 201)["data"]
    assert session["attributes"]["url"].endswith(session["id"]) and session["attributes"]["status"] == "open"
    assert session["attributes"]["expiresAt"] == "2026-07-01T09:30:00Z"
    errors(synap.post("/manage-billing-sessions", json=body("ManageBillingSession", {}), headers=STAFF), 403)


def test_portal_usage_counts_users_and_seats_from_the_store(synap, fresh):
    fresh.clock(now="2026-01-01T00:00:00Z", frozen=True)
    context = ok(synap.get("/session-context"))["data"]
    portal_id = context["relationships"]["portal"]["data"]["id"]
    usage = ok(synap.get(f"/portal-usages/{portal_id}"))["data"]["attributes"]
    users = everything(synap, "/users")
    assert usage["totalUsers"] == len(users) and usage["administrators"] == 1 and usage["staff"] == 1
    assert usage["learners"] == len(users) - 2 and usage["seatLimit"] == 500
    assert usage["seatsRemaining"] == 500 - len(users) and usage["overSeatLimit"] is False
    assert usage["activeUsers"] == len(users)  # everyone was seen in the 20 days before the seed's epoch
    ok(synap.post("/user-registrations", json=body("UserRegistration", {
        "name": "New Learner", "emailAddress": "new@example.org", "password": "long enough"})), 201)
    grown = ok(synap.get(f"/portal-usages/{portal_id}"))["data"]["attributes"]
    assert grown["totalUsers"] == usage["totalUsers"] + 1 and grown["seatsRemaining"] == usage["seatsRemaining"] - 1
    fresh.advance_clock(60 * 86400)
    assert ok(synap.get(f"/portal-usages/{portal_id}"))["data"]["attributes"]["activeUsers"] == 0
    errors(synap.get(f"/portal-usages/{portal_id}", headers=STAFF), 403)
