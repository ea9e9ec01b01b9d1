"""Synap User Groups beyond membership: join links (settings, codes, validation, joining through a
link), user imports and group exports."""

from __future__ import annotations

from synap_helpers import body, errors, everything, group_named, ok, one

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}


def staff_id(synap) -> str:
    return ok(synap.get("/session-context", headers=STAFF))["data"]["id"]


def new_link(synap, group_name: str, **settings) -> tuple[dict, dict]:
    group = group_named(synap, group_name)
    setting = ok(synap.post("/user-group-link-settings", json=body("UserGroupLinkSetting", settings, {
        "userGroup": one("UserGroup", group["id"])})), 201)["data"]
    link = ok(synap.get(f"/user-group-links/{setting['relationships']['userGroupLink']['data']['id']}"))["data"]
    return setting, link


def validate(synap, code: str, headers=None):
    return synap.post("/user-group-link-validations", json=body("UserGroupLinkValidation", {"code": code}), headers=headers or {})


def join(synap, code: str, headers=None, relationships=None):
    return synap.post("/user-group-link-accesses", json=body("UserGroupLinkAccess", {"code": code}, relationships), headers=headers or {})


def test_a_join_link_setting_makes_a_link_whose_code_joins_the_group(synap):
    year10_setting = next(s for s in everything(synap, "/user-group-link-settings")
                           if s["relationships"]["userGroup"]["data"]["id"] == group_named(synap, "Year 10")["id"])
    link = ok(synap.get(f"/user-group-links/{year10_setting['relationships']['userGroupLink']['data']['id']}"))["data"]
    year10 = group_named(synap, "Year 10")
    assert link["relationships"]["userGroup"]["data"]["id"] == year10["id"] and link["attributes"]["enabled"] is True
    assert link["attributes"]["url"].endswith("/join/" + link["attributes"]["code"])
    checked = ok(validate(synap, link["attributes"]["code"].lower(), STAFF), 201)["data"]
    assert checked["attributes"]["valid"] is True and checked["attributes"]["groupName"] == "Year 10"
    assert checked["relationships"]["userGroup"]["data"]["id"] == year10["id"]
    joined = ok(join(synap, link["attributes"]["code"], STAFF), 201)["data"]
    assert joined["attributes"]["alreadyMember"] is False and joined["relationships"]["user"]["data"]["id"] == staff_id(synap)
    staff = ok(synap.get(f"/users/{staff_id(synap)}"))["data"]
    assert {"type": "UserGroup", "id": year10["id"]} in staff["relationships"]["userGroups"]["data"]
    assert year10["id"] in staff["attributes"]["userGroupsMetadata"]
    assert group_named(synap, "Year 10")["attributes"]["totalUsers"] == year10["attributes"]["totalUsers"] + 1
    again = ok(join(synap, link["attributes"]["code"], STAFF), 201)["data"]
    assert again["attributes"]["alreadyMember"] is True
    assert ok(synap.get(f"/user-group-links/{link['id']}"))["data"]["attributes"]["uses"] == link["attributes"]["uses"] + 1


def test_bad_disabled_expired_and_used_up_codes_are_400s_on_the_code(synap, fresh):
    fresh.clock(now="2026-06-01T00:00:00Z", frozen=True)
    errs = errors(validate(synap, "NOSUCHCODE"), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/code"}
    disabled = next(s for s in everything(synap, "/user-group-link-settings") if not s["attributes"]["enabled"])
    code = ok(synap.get(f"/user-group-links/{disabled['relationships']['userGroupLink']['data']['id']}"))["data"]["attributes"]["code"]
    assert "disabled" in errors(validate(synap, code), 400)[0]["detail"]
    assert "disabled" in errors(join(synap, code, STAFF), 400)[0]["detail"]
    ok(synap.patch(f"/user-group-link-settings/{disabled['id']}", json=body("UserGroupLinkSetting", {"enabled": True}, id=disabled["id"])))
    ok(validate(synap, code), 201)
    setting, link = new_link(synap, "Administrators", maxUses=1, expiresAt="2026-06-02T00:00:00Z")
    ok(join(synap, link["attributes"]["code"], STAFF), 201)
    assert "used" in errors(join(synap, link["attributes"]["code"]), 400)[0]["detail"]
    ok(synap.patch(f"/user-group-link-settings/{setting['id']}", json=body("UserGroupLinkSetting", {"maxUses": 5}, id=setting["id"])))
    ok(validate(synap, link["attributes"]["code"]), 201)
    fresh.advance_clock(86400)
    assert "expired" in errors(validate(synap, link["attributes"]["code"]), 400)[0]["detail"]


def test_regenerating_the_code_retires_the_old_one(synap):
    setting, link = new_link(synap, "Year 11")
    old = link["attributes"]["code"]
    ok(synap.patch(f"/user-group-link-settings/{setting['id']}", json=body("UserGroupLinkSetting", {"regenerateCode": True}, id=setting["id"])))
    new = ok(synap.get(f"/user-group-links/{link['id']}"))["data"]["attributes"]["code"]
    assert new != old
    errors(validate(synap, old), 400)
    ok(validate(synap, new), 201)
    shown = ok(synap.get(f"/user-group-link-settings/{setting['id']}"))["data"]
    assert "regenerateCode" not in shown["attributes"]


def test_one_link_per_group_none_for_archived_groups_and_admins_manage_them(synap):
    year10 = group_named(synap, "Year 10")
    errors(synap.post("/user-group-link-settings", json=body("UserGroupLinkSetting", {}, {"userGroup": one("UserGroup", year10["id"])})), 409)
    archived = group_named(synap, "Class of 2024")
    errors(synap.post("/user-group-link-settings", json=body("UserGroupLinkSetting", {}, {"userGroup": one("UserGroup", archived["id"])})), 403)
    errs = errors(synap.post("/user-group-link-settings", json=body("UserGroupLinkSetting", {})), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/userGroup"}
    errors(synap.post("/user-group-link-settings", json=body("UserGroupLinkSetting", {}, {"userGroup": one("UserGroup", year10["id"])}),
                      headers=STAFF), 403)


def test_a_link_to_a_group_archived_later_stops_working_and_admins_can_join_someone_else(synap):
    setting, link = new_link(synap, "Year 11")
    code = link["attributes"]["code"]
    learner = next(u for u in everything(synap, "/users") if u["attributes"]["emailAddress"].endswith("@learners.example"))
    ok(join(synap, code, relationships={"user": one("User", learner["id"])}), 201)
    errors(join(synap, code, STAFF, {"user": one("User", learner["id"])}), 403)
    year11 = group_named(synap, "Year 11")
    ok(synap.patch(f"/user-groups/{year11['id']}", json=body("UserGroup", {"isArchived": True}, id=year11["id"])))
    assert "no longer" in errors(validate(synap, code), 400)[0]["detail"]


def test_a_user_import_makes_new_users_in_the_group_and_reports_the_rest(synap, fresh):
    fresh.clock(now="2026-06-01T00:00:00Z", frozen=True)
    year10 = group_named(synap, "Year 10")
    rows = [{"name": "Imogen Port", "emailAddress": "imogen@example.org", "externalId": "S-1"},
            {"name": "Dup Admin", "emailAddress": "admin@demo-academy.synap.example"},
            {"name": "Ian Port", "emailAddress": "ian@example.org"},
            {"name": "Ian Again", "emailAddress": "IAN@example.org"}]
    made = ok(synap.post("/user-imports", json=body("UserImport", {"rows": rows, "sendWelcomeEmail": True},
                                                      {"userGroup": one("UserGroup", year10["id"])})), 201)["data"]
    attrs = made["attributes"]
    assert (attrs["importedCount"], attrs["skippedCount"]) == (2, 2) and "rows" not in attrs
    assert [e["row"] for e in attrs["errors"]] == [1, 3]
    users = {u["id"]: u for u in everything(synap, "/users", **{"filter[emailAddress]": "imogen@example.org,ian@example.org"})}
    assert set(users) == {u["id"] for u in made["relationships"]["users"]["data"]}
    imogen = next(u for u in users.values() if u["attributes"]["name"] == "Imogen Port")
    assert imogen["attributes"]["externalId"] == "S-1"
    assert all(u["relationships"]["userGroups"]["data"] == [{"type": "UserGroup", "id": year10["id"]}] for u in users.values())
    assert [m["kind"] for m in fresh.outbox(to="ian@example.org")] == ["welcome"]
    assert attrs["status"] == "pending"
    fresh.advance_clock(31)
    report = ok(synap.get(f"/user-imports/{made['id']}"))["data"]["attributes"]
    assert report["status"] == "complete" and report["fileUrl"].endswith(f"user-import-{made['id']}-report.csv")
    errors(synap.post("/user-imports", json=body("UserImport", {"rows": rows[:1]}), headers=STAFF), 403)
    errors(synap.post("/user-imports", json=body("UserImport", {"rows": [{"name": "No mail"}]})), 400)


def test_a_group_export_counts_the_memberships_it_writes(synap, fresh):
    fresh.clock(now="2026-06-01T00:00:00Z", frozen=True)
    staff, markers = group_named(synap, "Staff"), group_named(synap, "Markers")
    export = ok(synap.post("/user-group-exports", json=body("UserGroupExport", {}, {"userGroups": {"data": [
        {"type": "UserGroup", "id": staff["id"]}, {"type": "UserGroup", "id": markers["id"]}]}})), 201)["data"]
    assert export["attributes"]["rowCount"] == staff["attributes"]["totalUsers"] + markers["attributes"]["totalUsers"]
    every = ok(synap.post("/user-group-exports", json=body("UserGroupExport", {})), 201)["data"]
    assert every["attributes"]["rowCount"] == sum(g["attributes"]["totalUsers"] for g in everything(synap, "/user-groups"))
    fresh.advance_clock(30)
    assert ok(synap.get(f"/user-group-exports/{export['id']}"))["data"]["attributes"]["status"] == "complete"
    errors(synap.get(f"/user-group-exports/{export['id']}", headers=STAFF), 403)
