"""Synap users, registrations, groups and memberships, portals, webhook subscriptions."""

from __future__ import annotations

import base64
import json

from support import Receiver, wait_for
from synap_helpers import body, errors, everything, group_named, many, ok, one, register

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}


def user(synap, user_id):
    return ok(synap.get(f"/users/{user_id}"))["data"]


def test_registration_without_a_group_joins_the_default_students_group(synap, fresh):
    fresh.clock(now="2026-06-01T08:00:00Z", frozen=True)
    students = group_named(synap, "Students")
    registration = register(synap, "Ada Lovelace", "ada@example.org", timeZone="Europe/London", locale="en")
    assert "password" not in registration["attributes"]
    made = user(synap, registration["relationships"]["user"]["data"]["id"])
    assert made["attributes"]["name"] == "Ada Lovelace"
    assert (made["attributes"]["firstName"], made["attributes"]["lastName"]) == ("Ada", "Lovelace")
    assert made["attributes"]["emailVerified"] is False
    assert made["relationships"]["userGroups"]["data"] == [{"type": "UserGroup", "id": students["id"]}]
    assert made["attributes"]["userGroupsMetadata"] == {students["id"]: {"dateJoined": "2026-06-01T08:00:00Z"}}
    assert group_named(synap, "Students")["attributes"]["totalUsers"] == students["attributes"]["totalUsers"] + 1
    welcome = fresh.outbox(to="ada@example.org")
    assert [m["kind"] for m in welcome] == ["welcome"]


def test_registration_takes_one_group_a_sub_portal_and_can_skip_the_welcome_email(synap, fresh):
    year10 = group_named(synap, "Year 10")
    sub = everything(synap, "/sub-portals")[0]
    registration = register(synap, "Grace Hopper", "grace@example.org", welcomeEmailDisabled=True,
                            relationships={"userGroups": many("UserGroup", year10["id"]), "subPortal": one("SubPortal", sub["id"])})
    made = user(synap, registration["relationships"]["user"]["data"]["id"])
    assert made["relationships"]["userGroups"]["data"] == [{"type": "UserGroup", "id": year10["id"]}]
    assert made["relationships"]["subPortal"]["data"] == {"type": "SubPortal", "id": sub["id"]}
    assert fresh.outbox(to="grace@example.org") == []


def test_registration_refuses_two_groups_a_taken_email_and_an_archived_group(synap):
    students, year10 = group_named(synap, "Students"), group_named(synap, "Year 10")
    errs = errors(synap.post("/user-registrations", json=body("UserRegistration", {
        "name": "Two Groups", "emailAddress": "two@example.org", "password": "longenough"},
        {"userGroups": many("UserGroup", students["id"], year10["id"])})), 400)
    assert errs[0]["source"]["pointer"] == "/data/relationships/userGroups/data"
    errs = errors(synap.post("/user-registrations", json=body("UserRegistration", {
        "name": "Copy", "emailAddress": "ADMIN@demo-academy.synap.example", "password": "longenough"})), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/emailAddress"
    archived = group_named(synap, "Class of 2024")
    errors(synap.post("/user-registrations", json=body("UserRegistration", {
        "name": "Late", "emailAddress": "late@example.org", "password": "longenough"},
        {"userGroups": many("UserGroup", archived["id"])})), 403)
    assert everything(synap, "/users", **{"filter[emailAddress]": "late@example.org"}) == []


def test_add_and_remove_users_to_a_group_update_membership_and_date_joined(synap, fresh):
    fresh.clock(now="2026-07-01T10:00:00Z", frozen=True)
    markers = group_named(synap, "Markers")
    learners = everything(synap, "/users", **{"filter[userGroups]": group_named(synap, "Year 10")["id"]})[:3]
    ids = [u["id"] for u in learners]
    url = f"/user-groups/{markers['id']}/relationships/users"
    assert synap.post(url, json=many("User", *ids)).status_code == 204
    assert synap.post(url, json=many("User", ids[0])).status_code == 204  # already a member: unchanged
    assert group_named(synap, "Markers")["attributes"]["totalUsers"] == markers["attributes"]["totalUsers"] + 3
    assert user(synap, ids[0])["attributes"]["userGroupsMetadata"][markers["id"]] == {"dateJoined": "2026-07-01T10:00:00Z"}
    assert synap.delete(url, json=many("User", ids[0], ids[1])).status_code == 204
    assert group_named(synap, "Markers")["attributes"]["totalUsers"] == markers["attributes"]["totalUsers"] + 1
    assert markers["id"] not in user(synap, ids[0])["attributes"]["userGroupsMetadata"]
    errors(synap.post(url, json=many("User", "nobody")), 404)
    archived = group_named(synap, "Class of 2024")
    errors(synap.post(f"/user-groups/{archived['id']}/relationships/users", json=many("User", ids[0])), 403)
    errors(synap.post(url, json=many("User", ids[2]), headers=STAFF), 403)


def test_deleting_a_user_removes_its_memberships(synap):
    year11 = group_named(synap, "Year 11")
    member, other = everything(synap, "/users", **{"filter[userGroups]": year11["id"]})[:2]
    errors(synap.delete(f"/users/{other['id']}", headers=STAFF), 403)
    assert synap.delete(f"/users/{member['id']}").status_code == 204
    errors(synap.get(f"/users/{member['id']}"), 404)
    assert group_named(synap, "Year 11")["attributes"]["totalUsers"] == year11["attributes"]["totalUsers"] - 1


def test_user_groups_crud_with_parent_and_default_group_rules(synap):
    students = group_named(synap, "Students")
    created = ok(synap.post("/user-groups", json=body("UserGroup", {"name": "Year 12", "description": "Sixth form"},
                                                      {"parentGroup": one("UserGroup", students["id"])})), 201)["data"]
    assert created["attributes"]["parentId"] == students["id"] and created["attributes"]["totalUsers"] == 0
    assert created["attributes"]["isDefaultGroup"] is False
    updated = ok(synap.patch(f"/user-groups/{created['id']}", json=body("UserGroup", {"isArchived": True}, id=created["id"])))
    assert updated["data"]["attributes"]["isArchived"] is True
    assert synap.delete(f"/user-groups/{created['id']}").status_code == 204
    errs = errors(synap.delete(f"/user-groups/{students['id']}"), 403)
    assert "default" in errs[0]["detail"]


def test_updating_a_user_keeps_names_in_step_and_unverifies_a_new_email(synap):
    admin = everything(synap, "/users", **{"filter[emailAddress]": "admin@demo-academy.synap.example"})[0]
    assert admin["attributes"]["emailVerified"] is True
    updated = ok(synap.patch(f"/users/{admin['id']}", json=body("User", {
        "name": "Dana Q. Admin", "emailAddress": "dana@demo-academy.synap.example", "emailVerified": True,
        "preferences": {"emailNotifications": False}}, id=admin["id"])))["data"]["attributes"]
    assert (updated["firstName"], updated["lastName"]) == ("Dana", "Q. Admin")
    assert updated["emailVerified"] is False  # read-only, and a new address needs verifying
    assert updated["preferences"] == {"emailNotifications": False}
    other = everything(synap, "/users", **{"filter[emailAddress]": "marker@demo-academy.synap.example"})[0]
    errs = errors(synap.patch(f"/users/{other['id']}", json=body("User", {"emailAddress": "dana@demo-academy.synap.example"},
                                                                   id=other["id"])), 400)
    assert errs[0]["source"]["pointer"] == "/data/attributes/emailAddress"
    errors(synap.patch(f"/users/{admin['id']}", json=body("User", {"name": "x"}, id=admin["id"]), headers=STAFF), 403)


def test_user_account_is_the_sign_in_view_of_a_user(synap):
    registration = register(synap, "Alan Turing", "alan@example.org")
    user_id = registration["relationships"]["user"]["data"]["id"]
    account = ok(synap.get(f"/user-accounts/{user_id}", params={"include": "user"}))
    assert account["data"]["type"] == "UserAccount" and account["data"]["id"] == user_id
    assert account["data"]["attributes"]["hasPassword"] is True
    assert account["data"]["attributes"]["emailAddress"] == "alan@example.org"
    assert account["data"]["relationships"]["user"]["data"] == {"type": "User", "id": user_id}
    assert account["included"][0]["attributes"]["name"] == "Alan Turing"
    errors(synap.get(f"/user-accounts/{user_id}", headers=STAFF), 404)


def test_user_types_are_listed_and_updated_by_admins(synap):
    types = everything(synap, "/user-types", sort="name")
    assert [t["attributes"]["name"] for t in types] == ["Administrator", "Staff", "Student"]
    staff = types[1]
    changed = ok(synap.patch(f"/user-types/{staff['id']}", json=body("UserType", {"description": "Teachers"}, id=staff["id"])))
    assert changed["data"]["attributes"]["description"] == "Teachers"
    assert changed["data"]["attributes"]["updatedAt"] is not None
    errors(synap.patch(f"/user-types/{staff['id']}", json=body("UserType", {"description": "x"}, id=staff["id"]), headers=STAFF), 403)


def test_portal_and_sub_portals(synap):
    sub = ok(synap.post("/sub-portals", json=body("SubPortal", {"name": "Night School", "slug": "night"})), 201)["data"]
    portal_id = sub["relationships"]["portal"]["data"]["id"]
    portal = ok(synap.get(f"/portals/{portal_id}"))["data"]
    assert portal["attributes"]["name"] == "Demo Academy"
    renamed = ok(synap.patch(f"/portals/{portal_id}", json=body("Portal", {"name": "Demo Academy II"}, id=portal_id)))
    assert renamed["data"]["attributes"]["name"] == "Demo Academy II"
    errors(synap.patch(f"/portals/{portal_id}", json=body("Portal", {"name": "x"}, id=portal_id), headers=STAFF), 403)
    registration = register(synap, "Night Owl", "owl@example.org", relationships={"subPortal": one("SubPortal", sub["id"])})
    user_id = registration["relationships"]["user"]["data"]["id"]
    ok(synap.patch(f"/sub-portals/{sub['id']}", json=body("SubPortal", {"description": "After hours"}, id=sub["id"])))
    assert len(everything(synap, "/sub-portals")) == 4
    assert synap.delete(f"/sub-portals/{sub['id']}").status_code == 204
    assert user(synap, user_id)["relationships"]["subPortal"]["data"] is None
    errors(synap.get(f"/sub-portals/{sub['id']}"), 404)


def test_webhook_subscriptions_receive_user_events_with_basic_auth(synap, fresh):
    receiver, idle = Receiver([200]), Receiver([200])
    try:
        created = ok(synap.post("/webhook-subscriptions", json=body("WebhookSubscription", {
            "eventName": "user.create", "targetUrl": receiver.url(),
            "basicAuth": {"username": "hook", "password": "s3cret"}})), 201)["data"]
        assert created["attributes"]["basicAuth"] == {"username": "hook"} and created["attributes"]["active"] is True
        ok(synap.post("/webhook-subscriptions", json=body("WebhookSubscription", {
            "eventName": "user.create", "targetUrl": idle.url(), "active": False})), 201)
        registration = register(synap, "Hook Test", "hook@example.org")
        assert wait_for(lambda: len(receiver.requests) == 1)
        delivered = receiver.requests[0]
        assert delivered["headers"]["authorization"] == "Basic " + base64.b64encode(b"hook:s3cret").decode()
        payload = json.loads(delivered["body"])
        assert payload["eventName"] == "user.create"
        assert payload["data"]["type"] == "User"
        assert payload["data"]["id"] == registration["relationships"]["user"]["data"]["id"]
        log = fresh.webhooks(vendor="synap", event="user.create")
        assert len(log) == 1 and log[0]["target_url"] == receiver.url()
        assert idle.requests == []
        listed = everything(synap, "/webhook-subscriptions", **{"filter[active]": "true"})
        assert [s["id"] for s in listed] == [created["id"]]
        off = ok(synap.patch(f"/webhook-subscriptions/{created['id']}", json=body("WebhookSubscription", {"active": False}, id=created["id"])))
        assert off["data"]["attributes"]["active"] is False
        assert synap.delete(f"/webhook-subscriptions/{created['id']}").status_code == 204
        errors(synap.post("/webhook-subscriptions", json=body("WebhookSubscription", {
            "eventName": "user.create", "targetUrl": "ftp://x"})), 400)
        errors(synap.get("/webhook-subscriptions", params={"limit": 1, "offset": 0}, headers=STAFF), 403)
    finally:
        receiver.close()
        idle.close()
