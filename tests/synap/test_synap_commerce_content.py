"""Synap Content Metadata, Integrations and Search: attribute configs and their public/facet views, tag sets
and tags (uniqueness, cascades), clone jobs on the sandbox clock, write-only integration secrets, and the
cross-type Search with its filter configs."""

from __future__ import annotations

from synap_helpers import body, errors, everything, many, ok, one

STAFF = {"Authorization": "Bearer p:synap-staff-2b8f6c1e9a4d7035"}


def create(client, path: str, type_name: str, attributes: dict, relationships: dict | None = None, status: int = 201):
    response = client.post(path, json=body(type_name, attributes, relationships))
    return ok(response, status)["data"] if status < 400 else response


def search(client, query: str, headers=None, limit: int = 100, offset: int = 0, **filters) -> dict:
    params = {"query": query, "limit": limit, "offset": offset, **{f"filter[{k}]": v for k, v in filters.items()}}
    return ok(client.get("/search", params=params, headers=headers))


def keys(client, path: str) -> set[str]:
    return {r["attributes"]["key"] for r in everything(client, path)}


# -- attribute configs ------------------------------------------------------------------------------------------


def test_attribute_configs_keep_keys_unique_and_fixed_and_feed_the_public_and_facet_views(synap):
    made = create(synap, "/attribute-configs", "AttributeConfig", {
        "name": "Term", "key": "term", "dataType": "select", "options": ["Autumn", "Spring"], "isPublic": True, "isFilterable": True})
    assert "term" in keys(synap, "/public-attribute-configs") and "term" in keys(synap, "/facet-configs")
    public = next(r for r in everything(synap, "/public-attribute-configs") if r["id"] == made["id"])
    assert public["type"] == "PublicAttributeConfig" and "isFilterable" not in public["attributes"]
    assert "internalNotes" not in keys(synap, "/public-attribute-configs")  # the seeded private one

    ok(synap.patch(f"/attribute-configs/{made['id']}", json=body("AttributeConfig", {"isFilterable": False}, id=made["id"])))
    assert "term" not in keys(synap, "/facet-configs") and "term" in keys(synap, "/public-attribute-configs")

    errs = errors(create(synap, "/attribute-configs", "AttributeConfig", {"name": "Again", "key": "term"}, status=400), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/key"}
    errs = errors(synap.patch(f"/attribute-configs/{made['id']}", json=body("AttributeConfig", {"key": "season"}, id=made["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/key"}
    errs = errors(create(synap, "/attribute-configs", "AttributeConfig",
                         {"name": "Board", "key": "board", "dataType": "multiSelect"}, status=400), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/options"}
    errs = errors(synap.patch(f"/attribute-configs/{made['id']}", json=body("AttributeConfig", {"options": []}, id=made["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/options"}
    errors(synap.post("/attribute-configs", headers=STAFF, json=body("AttributeConfig", {"name": "X", "key": "x"})), 403)
    assert synap.delete(f"/attribute-configs/{made['id']}").status_code == 204
    assert "term" not in keys(synap, "/public-attribute-configs")


# -- tag sets and tags ------------------------------------------------------------------------------------------


def test_tags_are_unique_within_their_set_and_the_set_lists_them(synap):
    topics = create(synap, "/tag-sets", "TagSet", {"name": "Topics"})
    errors(create(synap, "/tag-sets", "TagSet", {"name": "topics"}, status=400), 400)
    in_set = {"tagSet": one("TagSet", topics["id"])}
    vectors = create(synap, "/tags", "Tag", {"name": "Vectors", "color": "#00AA00"}, in_set)
    create(synap, "/tags", "Tag", {"name": "Matrices"}, in_set)
    errs = errors(create(synap, "/tags", "Tag", {"name": "VECTORS"}, in_set, status=400), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/name"}
    create(synap, "/tags", "Tag", {"name": "Vectors"})  # the same name outside the set is another tag
    shown = ok(synap.get(f"/tag-sets/{topics['id']}", params={"include": "tags"}))
    assert shown["data"]["attributes"]["totalTags"] == 2
    assert {i["id"] for i in shown["data"]["relationships"]["tags"]["data"]} == {r["id"] for r in shown["included"]}
    assert vectors["id"] in {r["id"] for r in shown["included"]}
    assert len(everything(synap, "/tags", **{"filter[tagSet]": topics["id"]})) == 2


def test_deleting_a_tag_untags_everything_and_deleting_a_set_deletes_its_tags(synap):
    topics = create(synap, "/tag-sets", "TagSet", {"name": "Topics"})
    kept = create(synap, "/tags", "Tag", {"name": "Kept"})
    doomed = create(synap, "/tags", "Tag", {"name": "Doomed"}, {"tagSet": one("TagSet", topics["id"])})
    course = create(synap, "/products", "Product", {"name": "Tagged course", "price": 100},
                    {"tags": many("Tag", kept["id"], doomed["id"])})
    assert synap.delete(f"/tags/{doomed['id']}").status_code == 204
    assert ok(synap.get(f"/products/{course['id']}"))["data"]["relationships"]["tags"]["data"] == [{"type": "Tag", "id": kept["id"]}]

    second = create(synap, "/tags", "Tag", {"name": "Also doomed"}, {"tagSet": one("TagSet", topics["id"])})
    ok(synap.patch(f"/products/{course['id']}", json=body("Product", None, {"tags": many("Tag", kept["id"], second["id"])},
                                                            id=course["id"])))
    assert synap.delete(f"/tag-sets/{topics['id']}").status_code == 204
    errors(synap.get(f"/tags/{second['id']}"), 404)
    assert ok(synap.get(f"/products/{course['id']}"))["data"]["relationships"]["tags"]["data"] == [{"type": "Tag", "id": kept["id"]}]
    errors(synap.delete(f"/tags/{kept['id']}", headers=STAFF), 403)


# -- clone jobs -------------------------------------------------------------------------------------------------


def test_a_clone_job_copies_the_source_and_names_the_copy_once_complete(synap, fresh):
    fresh.clock(now="2026-06-01T12:00:00Z", frozen=True)
    source = create(synap, "/products", "Product", {"name": "Original course", "price": 4500, "description": "Words"})
    job = create(synap, "/clone-jobs", "CloneJob", {}, {"source": one("Product", source["id"])})
    assert (job["attributes"]["status"], job["attributes"]["progress"], job["attributes"]["name"]) == (
        "pending", 0, "Copy of Original course")
    assert job["relationships"]["clone"]["data"] is None
    fresh.advance_clock(16)
    halfway = ok(synap.get(f"/clone-jobs/{job['id']}"))["data"]
    assert halfway["attributes"]["status"] == "processing" and 0 < halfway["attributes"]["progress"] < 100
    fresh.advance_clock(14)
    done = ok(synap.get(f"/clone-jobs/{job['id']}", params={"include": "clone"}))
    assert done["data"]["attributes"]["status"] == "complete" and done["data"]["attributes"]["completedAt"] == "2026-06-01T12:00:30Z"
    copy = done["included"][0]
    assert done["data"]["relationships"]["clone"]["data"] == {"type": "Product", "id": copy["id"]} and copy["id"] != source["id"]
    assert (copy["attributes"]["name"], copy["attributes"]["price"], copy["attributes"]["description"]) == (
        "Copy of Original course", 4500, "Words")
    named = create(synap, "/clone-jobs", "CloneJob", {"name": "Second edition"}, {"source": one("Product", source["id"])})
    assert named["attributes"]["name"] == "Second edition"

    admin = everything(synap, "/users", **{"filter[emailAddress]": "admin@demo-academy.synap.example"})[0]
    errs = errors(create(synap, "/clone-jobs", "CloneJob", {}, {"source": one("User", admin["id"])}, status=400), 400)
    assert errs[0]["source"] == {"pointer": "/data/relationships/source/data/type"}
    errors(create(synap, "/clone-jobs", "CloneJob", {}, {"source": one("Product", "missing")}, status=404), 404)


# -- integrations -----------------------------------------------------------------------------------------------


def test_integration_secrets_are_write_only_and_oauth_providers_need_theirs(synap):
    errs = errors(create(synap, "/integrations", "Integration", {"name": "LMS", "provider": "lti", "clientId": "abc"}, status=400), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/clientSecret"}
    lti = create(synap, "/integrations", "Integration", {"name": "LMS", "provider": "lti", "clientId": "abc", "clientSecret": "s3cret"})
    assert "clientSecret" not in lti["attributes"] and lti["attributes"]["configuredSecrets"] == ["clientSecret"]
    assert "s3cret" not in synap.get(f"/integrations/{lti['id']}").text
    patched = ok(synap.patch(f"/integrations/{lti['id']}", json=body("Integration", {"apiKey": "k-1", "isEnabled": False}, id=lti["id"])))
    assert patched["data"]["attributes"]["configuredSecrets"] == ["clientSecret", "apiKey"]
    assert patched["data"]["attributes"]["isEnabled"] is False
    errs = errors(synap.patch(f"/integrations/{lti['id']}", json=body("Integration", {"clientSecret": None}, id=lti["id"])), 400)
    assert errs[0]["source"] == {"pointer": "/data/attributes/clientSecret"}
    cleared = ok(synap.patch(f"/integrations/{lti['id']}", json=body("Integration", {"apiKey": None}, id=lti["id"])))
    assert cleared["data"]["attributes"]["configuredSecrets"] == ["clientSecret"]

    errors(synap.get(f"/integrations/{lti['id']}", headers=STAFF), 403)
    errors(synap.post("/integrations", headers=STAFF, json=body("Integration", {"name": "Z", "provider": "zoom"})), 403)
    assert synap.delete(f"/integrations/{lti['id']}").status_code == 204
    errors(synap.get(f"/integrations/{lti['id']}"), 404)


# -- search -----------------------------------------------------------------------------------------------------


def test_search_finds_records_of_every_type_best_match_first(synap):
    create(synap, "/products", "Product", {"name": "Algebra Booster", "price": 100})
    found = search(synap, "algebra")
    types = [r["type"] for r in found["data"]]
    assert types[0] == "Tag" and found["data"][0]["attributes"]["name"] == "Algebra"  # the exact name first
    assert "Product" in types and found["meta"]["totalByType"]["Tag"] >= 1
    assert found["meta"]["query"] == "algebra" and found["meta"]["total"] == len(found["data"])

    who = search(synap, "marker@demo-academy")["data"]
    assert [(r["type"], r["attributes"]["name"]) for r in who if r["type"] == "User"] == [("User", "Sam Marker")]
    both = search(synap, "students default")["data"]  # every term, in any text attribute
    assert ("UserGroup", "Students") in [(r["type"], r["attributes"].get("name")) for r in both]
    assert search(synap, "zzzz-nothing")["data"] == []


def test_search_filters_come_from_the_search_filter_configs(synap):
    configs = {c["attributes"]["key"]: c["attributes"] for c in everything(synap, "/search-filter-configs")}
    assert {"type", "tags", "subPortal", "locale"} <= set(configs) and configs["timeZone"]["isEnabled"] is False
    assert {"User", "UserGroup", "Product"} <= set(configs["type"]["options"])

    groups = search(synap, "year", type="UserGroup")["data"]  # with the exam-owned markers group of a Year 11 exam
    assert {r["attributes"]["name"] for r in groups} == {"Year 10", "Year 11", "Year 11 Chemistry Final: Moderating markers"}
    everywhere = search(synap, "year")
    assert everywhere["meta"]["total"] >= len(groups)
    narrowed = search(synap, "year", type="UserGroup")
    assert narrowed["meta"]["totalWithoutFilters"] == everywhere["meta"]["total"]

    tag = create(synap, "/tags", "Tag", {"name": "Quantum"})
    course = create(synap, "/products", "Product", {"name": "Physics course one", "price": 1}, {"tags": many("Tag", tag["id"])})
    create(synap, "/products", "Product", {"name": "Physics course two", "price": 1})
    assert [r["id"] for r in search(synap, "physics course", tags=tag["id"])["data"]] == [course["id"]]
    sub = everything(synap, "/sub-portals")[0]
    scoped = search(synap, "year", subPortal=sub["id"])["data"]
    assert [r["attributes"]["name"] for r in scoped] == ["Year 11"]

    errs = errors(synap.get("/search", params={"query": "x", "limit": 5, "offset": 0, "filter[timeZone]": "UTC"}), 400)
    assert errs[0]["source"] == {"parameter": "filter[timeZone]"}
    errs = errors(synap.get("/search", params={"query": "x", "limit": 5, "offset": 0, "filter[type]": "Nope"}), 400)
    assert errs[0]["source"] == {"parameter": "filter[type]"}
    errs = errors(synap.get("/search", params={"query": "   ", "limit": 5, "offset": 0}), 400)
    assert errs[0]["source"] == {"parameter": "query"}


def test_search_pages_and_shows_a_caller_only_what_they_may_read(synap):
    first = search(synap, "a", limit=5, offset=0)
    second = search(synap, "a", limit=5, offset=5)
    assert first["meta"]["pages"] == second["meta"]["pages"] > 1 and second["meta"]["page"] == 2
    assert not {r["id"] for r in first["data"]} & {r["id"] for r in second["data"]}

    as_admin = search(synap, "a")["meta"]["totalByType"]
    as_staff = search(synap, "a", headers=STAFF)["meta"]["totalByType"]
    assert as_admin.get("Integration") and "Integration" not in as_staff  # administrators only
    assert as_admin.get("PersonalAccessToken") and "PersonalAccessToken" not in as_staff
    assert as_admin.get("Flag") and "Flag" not in as_staff  # the staff user flagged nothing
    thin = ok(synap.get("/search", params={"query": "Students", "limit": 5, "offset": 0, "filter[type]": "UserGroup",
                                           "fields[UserGroup]": "name"}))["data"][0]
    assert list(thin["attributes"]) == ["name"]
