"""Skilljar access: domain access-code pools and their codes, groups with their users and pools."""

from __future__ import annotations

import pytest

from mockserver.vendors.skilljar.rules import access
from skilljar_oracle import check, needs_oracle
from skilljar_helpers import D, DEMO_EMAIL, demo_user, ok

POOLS = f"/domains/{D}/access-code-pools"
POOL_T = "/domains/{domain_name}/access-code-pools/{access_code_pool_id}"
CODES_T = POOL_T + "/access-codes"


def not_found(response):
    assert response.status_code == 404, response.text
    assert response.json() == {"detail": "Not found."}


def other_domain(sj):
    names = [d["name"] for d in ok(sj.get("/domains"))["results"] if d["name"] != D]
    assert names, "the world has a second domain"
    return names[0]


def some_users(sj, n):
    return [row["user"] for row in ok(sj.get("/users", params={"page_size": n}))["results"]]


def new_pool(sj, domain=D, **fields):
    return ok(sj.post(f"/domains/{domain}/access-code-pools", json={"name": "Spring cohort", **fields}), 201)


def new_group(sj, name="Cool People", **fields):
    return ok(sj.post("/groups", json={"name": name, **fields}), 201)


# -- pools ----------------------------------------------------------------------------------------


def test_seeded_pools_of_the_demo_domain_are_listed_with_their_codes(sj):
    pools = ok(sj.get(POOLS))
    assert pools["count"] >= 2 and pools["next"] is None
    first = pools["results"][0]
    assert "code_count" not in first  # list items do not count codes
    detail = ok(sj.get(f"{POOLS}/{first['id']}"))
    codes = ok(sj.get(f"{POOLS}/{first['id']}/access-codes"))
    assert detail["code_count"] == codes["count"] > 0


def test_a_new_pool_is_empty_active_made_through_the_api_and_reads_back(sj):
    pool = new_pool(sj, start_date="2030-01-01T10:00:00+02:00", expire_linked_to_domain_membership=True)
    assert pool["active"] is True and pool["channel"] == "api" and pool["code_count"] == 0
    assert pool["start_date"] == "2030-01-01T08:00:00Z" and pool["end_date"] is None
    assert ok(sj.get(f"{POOLS}/{pool['id']}")) == pool
    listed = ok(sj.get(POOLS, params={"name": "Spring cohort"}))
    assert [p["id"] for p in listed["results"]] == [pool["id"]]


def test_pool_create_needs_no_field_and_refuses_bad_dates(sj):
    unnamed = sj.post(POOLS, json={"active": True})  # every field is optional, as officially
    assert unnamed.status_code == 201 and unnamed.json()["name"] == ""
    bad = sj.post(POOLS, json={"name": "x", "end_date": "next tuesday"})
    assert bad.status_code == 400 and list(bad.json()) == ["end_date"]
    assert sj.post(POOLS, json={"name": ""}).status_code == 400


def test_pools_of_an_unknown_domain_are_404(sj):
    not_found(sj.get("/domains/nowhere.example.com/access-code-pools"))
    not_found(sj.post("/domains/nowhere.example.com/access-code-pools", json={"name": "x"}))


def test_a_pool_is_only_found_under_its_own_domain(sj):
    pool = new_pool(sj)
    elsewhere = other_domain(sj)
    not_found(sj.get(f"/domains/{elsewhere}/access-code-pools/{pool['id']}"))
    not_found(sj.patch(f"/domains/{elsewhere}/access-code-pools/{pool['id']}", json={"name": "stolen"}))
    assert pool["id"] not in [p["id"] for p in ok(sj.get(f"/domains/{elsewhere}/access-code-pools"))["results"]]
    not_found(sj.get(f"{POOLS}/nope"))
    not_found(sj.put(f"{POOLS}/nope", json={"name": "x"}))


@pytest.mark.parametrize("method", ["put", "patch"])
def test_put_and_patch_both_update_a_pool_partially(sj, method):
    pool = new_pool(sj, end_date="2031-05-01T00:00:00Z")
    changed = ok(getattr(sj, method)(f"{POOLS}/{pool['id']}", json={"active": False, "channel": "import"}))
    assert changed["active"] is False and changed["name"] == "Spring cohort"
    assert changed["end_date"] == "2031-05-01T00:00:00Z" and changed["channel"] == "api"  # channel is read-only
    assert ok(sj.get(f"{POOLS}/{pool['id']}")) == changed
    assert getattr(sj, method)(f"{POOLS}/{pool['id']}", json={"name": ""}).status_code == 400


# -- codes ----------------------------------------------------------------------------------------


def test_codes_are_added_to_a_pool_and_counted(sj):
    pool = new_pool(sj)
    code = ok(sj.post(f"{POOLS}/{pool['id']}/access-codes", json={"code": "WELCOME-2030", "max_uses": 3}), 201)
    assert code["code"] == "WELCOME-2030" and code["max_uses"] == 3 and code["use_count"] == 0
    assert code["active"] is True and code["duration"] is None and code["duration_unit"] == "MONTHS"
    assert code["users"] == []
    assert ok(sj.get(f"{POOLS}/{pool['id']}/access-codes/{code['id']}")) == code
    listed = ok(sj.get(f"{POOLS}/{pool['id']}/access-codes"))
    assert listed["count"] == 1 and listed["results"][0]["id"] == code["id"] and "users" not in listed["results"][0]
    assert ok(sj.get(f"{POOLS}/{pool['id']}"))["code_count"] == 1


def test_a_code_left_out_is_generated_and_unique(sj):
    pool = new_pool(sj)
    made = [ok(sj.post(f"{POOLS}/{pool['id']}/access-codes", json={}), 201)["code"] for _ in range(3)]
    assert all(len(c) == 10 for c in made) and len(set(made)) == 3


def test_a_code_is_unique_within_the_domain(sj):
    first, second = new_pool(sj), new_pool(sj, name="Other")
    ok(sj.post(f"{POOLS}/{first['id']}/access-codes", json={"code": "SAME"}), 201)
    clash = sj.post(f"{POOLS}/{second['id']}/access-codes", json={"code": "SAME"})
    assert clash.status_code == 400 and list(clash.json()) == ["code"]
    other = ok(sj.post(f"{POOLS}/{second['id']}/access-codes", json={"code": "OTHER"}), 201)
    renamed = sj.patch(f"{POOLS}/{second['id']}/access-codes/{other['id']}", json={"code": "SAME"})
    assert renamed.status_code == 400 and list(renamed.json()) == ["code"]
    elsewhere = new_pool(sj, domain=other_domain(sj))
    ok(sj.post(f"/domains/{other_domain(sj)}/access-code-pools/{elsewhere['id']}/access-codes", json={"code": "SAME"}), 201)


def test_code_fields_are_validated(sj):
    pool = new_pool(sj)
    path = f"{POOLS}/{pool['id']}/access-codes"
    assert list(sj.post(path, json={"duration_unit": "YEARS"}).json()) == ["duration_unit"]
    assert list(sj.post(path, json={"max_uses": -1}).json()) == ["max_uses"]
    assert list(sj.post(path, json={"duration": 0}).json()) == ["duration"]
    assert list(sj.post(path, json={"code": "x" * 41}).json()) == ["code"]
    assert ok(sj.get(path))["count"] == 0


@pytest.mark.parametrize("method", ["put", "patch"])
def test_put_and_patch_both_update_a_code_partially(sj, method):
    pool = new_pool(sj)
    code = ok(sj.post(f"{POOLS}/{pool['id']}/access-codes", json={"code": "ABC", "max_uses": 2}), 201)
    path = f"{POOLS}/{pool['id']}/access-codes/{code['id']}"
    changed = ok(getattr(sj, method)(path, json={"duration": 6, "duration_unit": "DAYS", "use_count": 99}))
    assert changed["duration"] == 6 and changed["duration_unit"] == "DAYS"
    assert changed["code"] == "ABC" and changed["max_uses"] == 2 and changed["use_count"] == 0
    assert ok(sj.get(path)) == changed


def test_codes_are_only_found_in_their_own_pool_and_domain(sj):
    pool, other = new_pool(sj), new_pool(sj, name="Other")
    code = ok(sj.post(f"{POOLS}/{pool['id']}/access-codes", json={"code": "MINE"}), 201)
    not_found(sj.get(f"{POOLS}/{other['id']}/access-codes/{code['id']}"))
    not_found(sj.patch(f"{POOLS}/{other['id']}/access-codes/{code['id']}", json={"active": False}))
    not_found(sj.get(f"/domains/{other_domain(sj)}/access-code-pools/{pool['id']}/access-codes/{code['id']}"))
    not_found(sj.get(f"{POOLS}/nope/access-codes"))
    not_found(sj.post(f"{POOLS}/nope/access-codes", json={"code": "X"}))
    not_found(sj.get(f"{POOLS}/{pool['id']}/access-codes/nope"))
    not_found(sj.put(f"{POOLS}/{pool['id']}/access-codes/nope", json={"active": False}))


def test_access_code_lists_default_to_250_per_page(sj):
    pool = new_pool(sj)
    path = f"{POOLS}/{pool['id']}/access-codes"
    for _ in range(251):
        ok(sj.post(path, json={}), 201)
    first = ok(sj.get(path))
    assert first["count"] == 251 and len(first["results"]) == 250 and first["next"].endswith("page=2")
    assert len(ok(sj.get(first["next"]))["results"]) == 1
    assert len(ok(sj.get(path, params={"page_size": 1000}))["results"]) == 251


def test_find_access_code_and_its_view_for_domain_memberships():
    from datetime import datetime, timezone

    from mockserver.store import Store
    from mockserver.vendors.skilljar import tables as t

    store = Store()
    now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    for name in ("a.example.com", "b.example.com"):
        store.insert(t.DOMAINS, name, {"id": name, "name": name})
    pool = access.create_pool(store, "a.example.com", {"name": "Members"}, now)
    code = access.create_code(store, "a.example.com", pool["id"], {"code": "JOIN"})
    record = access.find_access_code(store, "a.example.com", code["id"])
    view = access.access_code_view(store, record)
    assert view == {"id": code["id"], "code": "JOIN", "pool": {"id": pool["id"], "name": "Members"}}
    assert access.find_access_code(store, "b.example.com", code["id"]) is None
    assert access.find_access_code(store, "a.example.com", "nope") is None
    # A membership carrying the view counts as a use of the code and lists its holder.
    store.insert(t.USERS, "u1", {"id": "u1", "email": "u1@example.com", "first_name": "U", "last_name": "One"})
    store.insert(t.DOMAIN_USERS, t.membership_id("a.example.com", "u1"),
                 {"_domain": "a.example.com", "_user": "u1", "access_code": view})
    assert [u["id"] for u in access.code_holders(store, code["id"])] == ["u1"]


# -- groups ---------------------------------------------------------------------------------------


def test_seeded_groups_have_members_and_the_demo_learner_is_in_one(sj):
    groups = ok(sj.get("/groups"))
    assert groups["count"] >= 3 and all(g["user_count"] > 0 for g in groups["results"])
    mine = ok(sj.get(f"/users/{demo_user(sj)['id']}/groups"))
    assert mine["count"] >= 1
    group = mine["results"][0]["group"]
    members = ok(sj.get(f"/groups/{group['id']}/users", params={"page_size": 1000}))
    assert DEMO_EMAIL in [m["user"]["email"] for m in members["results"]]


def test_a_new_group_reads_back_and_filters_by_exact_name(sj):
    group = new_group(sj, discount_percent=10, rule_email_domains=["Example.COM", "example.com"],
                      sign_up_field_rule={"enforce": True, "options": []})
    assert group["user_count"] == 0 and group["discount_percent"] == 10 and group["group_category_id"] is None
    assert group["rule_email_domains"] == ["example.com"]
    assert group["sign_up_field_rule"] == {"enforce": True, "require_match_all": False, "options": []}
    listed = ok(sj.get("/groups", params={"name": "Cool People"}))["results"]
    assert listed == [group]
    assert ok(sj.get("/groups", params={"name": "Cool"}))["count"] == 0


def test_group_names_are_unique_and_fields_validated(sj):
    new_group(sj)
    assert list(sj.post("/groups", json={"name": "Cool People"}).json()) == ["name"]
    assert sj.post("/groups", json={}).json() == {"name": ["This field is required."]}
    assert list(sj.post("/groups", json={"name": "x", "discount_percent": 101}).json()) == ["discount_percent"]
    assert list(sj.post("/groups", json={"name": "y", "group_category_id": "nope"}).json()) == ["group_category_id"]
    bad_rule = sj.post("/groups", json={"name": "z", "sign_up_field_rule": {"options": [{"id": "nope"}]}})
    assert bad_rule.status_code == 400 and list(bad_rule.json()) == ["sign_up_field_rule"]
    assert ok(sj.get("/groups", params={"name": "x"}))["count"] == 0


@pytest.mark.parametrize("method", ["put", "patch"])
def test_put_and_patch_both_update_a_group_partially(sj, method):
    group = new_group(sj, discount_percent=5, rule_email_domains=["a.com"])
    changed = ok(getattr(sj, method)(f"/groups/{group['id']}", json={"discount_percent": 20, "rule_email_domains": []}))
    assert changed["discount_percent"] == 20 and changed["name"] == "Cool People"
    assert changed["rule_email_domains"] == ["a.com"]  # read-only on update
    renamed = ok(getattr(sj, method)(f"/groups/{group['id']}", json={"name": "Cooler People"}))
    assert ok(sj.get("/groups", params={"name": "Cooler People"}))["results"] == [renamed]
    new_group(sj, name="Taken")
    assert list(getattr(sj, method)(f"/groups/{group['id']}", json={"name": "Taken"}).json()) == ["name"]
    not_found(getattr(sj, method)("/groups/nope", json={"name": "x"}))


def test_groups_list_defaults_to_250_per_page(sj):
    seeded = ok(sj.get("/groups"))["count"]
    for n in range(251 - seeded):
        new_group(sj, name=f"G{n}")
    first = ok(sj.get("/groups"))
    assert first["count"] == 251 and len(first["results"]) == 250 and first["next"] is not None
    assert len(ok(sj.get("/groups", params={"page_size": 2}))["results"]) == 2


# -- group users ----------------------------------------------------------------------------------


def test_adding_a_user_to_a_group_counts_once_and_shows_on_both_sides(sj):
    group = new_group(sj)
    user = some_users(sj, 1)[0]
    added = ok(sj.post(f"/groups/{group['id']}/users", json={"user": {"id": user["id"]}}), 201)
    assert added["user"] == user and added["created_at"].endswith("Z")
    again = ok(sj.post(f"/groups/{group['id']}/users", json={"user": {"id": user["id"]}}), 201)
    assert again == added
    members = ok(sj.get(f"/groups/{group['id']}/users"))
    assert members["count"] == 1 and members["results"] == [added]
    assert ok(sj.get("/groups", params={"name": "Cool People"}))["results"][0]["user_count"] == 1
    memberships = ok(sj.get(f"/users/{user['id']}/groups", params={"page_size": 1000}))["results"]
    mine = [m for m in memberships if m["group"]["id"] == group["id"]]
    assert mine and mine[0]["group"]["name"] == "Cool People" and mine[0]["joined_at"] == added["created_at"]


def test_adding_an_unknown_user_is_400_and_an_unknown_group_404(sj):
    group = new_group(sj)
    response = sj.post(f"/groups/{group['id']}/users", json={"user": {"id": "nope"}})
    assert response.status_code == 400 and response.json() == {"user": {"id": ['Invalid pk "nope" - object does not exist.']}}
    assert sj.post(f"/groups/{group['id']}/users", json={}).json() == {"user": ["This field is required."]}
    assert ok(sj.get(f"/groups/{group['id']}/users"))["count"] == 0
    not_found(sj.post("/groups/nope/users", json={"user": {"id": some_users(sj, 1)[0]["id"]}}))
    not_found(sj.get("/groups/nope/users"))


def test_groups_of_an_unknown_user_are_404(sj):
    not_found(sj.get("/users/nope/groups"))


def test_a_user_in_no_group_has_an_empty_page(sj):
    user = ok(sj.post(f"/domains/{D}/users", json={"user": {"email": "loner@example.com"}}), 201)["user"]
    assert ok(sj.get(f"/users/{user['id']}/groups")) == {"count": 0, "next": None, "previous": None, "results": []}


# -- group pools ----------------------------------------------------------------------------------


def test_linking_a_pool_to_a_group_keeps_one_link(sj):
    group, pool = new_group(sj), new_pool(sj, name="Linked")
    link = ok(sj.post(f"/groups/{group['id']}/access-code-pools", json={"access_code_pool": {"id": pool["id"]}}), 201)
    assert link["access_code_pool"] == {"id": pool["id"], "name": "Linked"} and link["created_at"].endswith("Z")
    again = ok(sj.post(f"/groups/{group['id']}/access-code-pools", json={"access_code_pool": {"id": pool["id"]}}), 201)
    assert again == link
    listed = ok(sj.get(f"/groups/{group['id']}/access-code-pools"))
    assert listed["count"] == 1 and listed["results"] == [link]
    ok(sj.patch(f"{POOLS}/{pool['id']}", json={"name": "Renamed"}))
    assert ok(sj.get(f"/groups/{group['id']}/access-code-pools"))["results"][0]["access_code_pool"]["name"] == "Renamed"


def test_linking_an_unknown_pool_is_400_and_an_unknown_group_404(sj):
    group, pool = new_group(sj), new_pool(sj)
    response = sj.post(f"/groups/{group['id']}/access-code-pools", json={"access_code_pool": {"id": "nope"}})
    assert response.status_code == 400 and list(response.json()) == ["access_code_pool"]
    assert ok(sj.get(f"/groups/{group['id']}/access-code-pools"))["count"] == 0
    not_found(sj.post("/groups/nope/access-code-pools", json={"access_code_pool": {"id": pool["id"]}}))
    not_found(sj.get("/groups/nope/access-code-pools"))


def test_seeded_groups_have_linked_pools(sj):
    linked = [ok(sj.get(f"/groups/{g['id']}/access-code-pools"))["count"] for g in ok(sj.get("/groups"))["results"]]
    assert sum(linked) >= 2


# -- the official contract ------------------------------------------------------------------------


@needs_oracle
def test_pool_and_code_responses_match_the_official_schemas(sj):
    check(sj.get(POOLS), "GET", "/domains/{domain_name}/access-code-pools")
    created = sj.post(POOLS, json={"name": "Official", "end_date": "2031-01-01T00:00:00Z"})
    check(created, "POST", "/domains/{domain_name}/access-code-pools")
    pool = f"{POOLS}/{created.json()['id']}"
    check(sj.get(pool), "GET", POOL_T)
    check(sj.put(pool, json={"active": False}), "PUT", POOL_T)
    check(sj.patch(pool, json={"name": "Official 2"}), "PATCH", POOL_T)
    code = sj.post(f"{pool}/access-codes", json={"code": "OFFICIAL", "duration": 3})
    check(code, "POST", CODES_T)
    check(sj.get(f"{pool}/access-codes"), "GET", CODES_T)
    one = f"{pool}/access-codes/{code.json()['id']}"
    check(sj.get(one), "GET", CODES_T + "/{access_code_id}")
    check(sj.put(one, json={"max_uses": 9}), "PUT", CODES_T + "/{access_code_id}")
    check(sj.patch(one, json={"active": False}), "PATCH", CODES_T + "/{access_code_id}")
    seeded = sj.get(POOLS).json()["results"][0]["id"]
    check(sj.get(f"{POOLS}/{seeded}/access-codes"), "GET", CODES_T)


@needs_oracle
def test_group_responses_match_the_official_schemas(sj):
    check(sj.get("/groups"), "GET", "/groups")
    created = sj.post("/groups", json={"name": "Official", "discount_percent": 15, "rule_email_domains": ["x.com"]})
    check(created, "POST", "/groups")
    group = f"/groups/{created.json()['id']}"
    check(sj.put(group, json={"discount_percent": None}), "PUT", "/groups/{group_id}")
    check(sj.patch(group, json={"name": "Official 2"}), "PATCH", "/groups/{group_id}")
    user = demo_user(sj)["id"]
    check(sj.post(f"{group}/users", json={"user": {"id": user}}), "POST", "/groups/{group_id}/users")
    check(sj.get(f"{group}/users"), "GET", "/groups/{group_id}/users")
    pool = sj.get(POOLS).json()["results"][0]["id"]
    check(sj.post(f"{group}/access-code-pools", json={"access_code_pool": {"id": pool}}), "POST", "/groups/{group_id}/access-code-pools")
    check(sj.get(f"{group}/access-code-pools"), "GET", "/groups/{group_id}/access-code-pools")
    check(sj.get(f"/users/{user}/groups"), "GET", "/users/{user_id}/groups")
