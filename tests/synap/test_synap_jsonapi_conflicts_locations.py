"""Synap as JSON:API 1.1 says (issue 15 §3), over every operation of the served spec:

- a POST or PATCH whose ``data.type`` is not the type of the endpoint's collection is a 409 Conflict;
- the ``Location`` of a 201 is a URL that answers a GET with the created resource, or is left out;
- a JSON:API media type with parameters (``; charset=utf-8``) is accepted with an X-Sandbox-Warning.
"""

from __future__ import annotations

import json
import re

import pytest
import requests

from support import api_client
from synap_helpers import body, errors, ok
from synap_smoke import World, smoke_body

MEDIA = "application/vnd.api+json"


@pytest.fixture
def served(fresh):
    token = fresh.credentials["synap"]["token"]
    client = api_client(fresh, "synap", {"Authorization": f"Bearer {token}", "Content-Type": MEDIA})
    document = requests.get(fresh.api("synap") + "/openapi.json", timeout=30).json()
    return client, document, World(document, json.loads(fresh.state()))


def _types(document: dict, operation: dict) -> list[str] | None:
    """The type(s) the operation's body names in its ``data.type`` enum (None: no resource body)."""
    content = (operation.get("requestBody") or {}).get("content", {})
    media = content.get(MEDIA)
    if media is None:
        return None
    node = media["schema"]
    schemas = document["components"]["schemas"]
    while "$ref" in node:
        node = schemas[node["$ref"].rsplit("/", 1)[-1]]
    data = (node.get("properties") or {}).get("data") or {}
    while "$ref" in data:
        data = schemas[data["$ref"].rsplit("/", 1)[-1]]
    return ((data.get("properties") or {}).get("type") or {}).get("enum")


def test_every_post_and_patch_answers_a_foreign_data_type_with_409_conflict(served):
    client, document, world = served
    checked, problems = 0, []
    for path, item in sorted(document["paths"].items()):
        for method in ("post", "patch"):
            operation = item.get(method)
            types = _types(document, operation) if operation else None
            if not types:
                continue
            record_id = world.id_for(path)
            good = smoke_body(document, operation, record_id, checked)
            plural = types[0] + "s"  # what a client that pluralises types sends
            good["data"]["type"] = plural
            response = client.request(method.upper(), re.sub(r"\{[^}]+\}", record_id, path), json=good)
            checked += 1
            if response.status_code != 409:
                problems.append(f"{method.upper()} {path} -> {response.status_code} {response.text[:200]}")
                continue
            error = response.json()["errors"][0]
            if error["status"] != "409" or error["source"] != {"pointer": "/data/type"} or plural not in error["detail"]:
                problems.append(f"{method.upper()} {path}: {error}")
    assert checked > 250
    assert problems == []


def test_a_missing_or_non_string_type_stays_a_400(synap):
    assert errors(synap.post("/tag-sets", json={"data": {"attributes": {"name": "x"}}}), 400)
    errs = errors(synap.post("/tag-sets", json={"data": {"type": 7, "attributes": {"name": "x"}}}), 400)
    assert {e["source"]["pointer"] for e in errs} == {"/data/type"}


def test_a_conflicting_create_changes_nothing(synap):
    before = ok(synap.get("/tag-sets", params={"limit": 1000, "offset": 0}))["meta"]
    errors(synap.post("/tag-sets", json=body("TagSets", {"name": "Plural"})), 409)
    assert ok(synap.get("/tag-sets", params={"limit": 1000, "offset": 0}))["meta"] == before


def test_a_patch_with_another_type_is_409(synap):
    created = ok(synap.post("/tag-sets", json=body("TagSet", {"name": "Mine"})), 201)["data"]
    errs = errors(synap.patch(f"/tag-sets/{created['id']}", json=body("Tag", {"name": "x"}, id=created["id"])), 409)
    assert errs[0]["source"] == {"pointer": "/data/type"}
    assert ok(synap.get(f"/tag-sets/{created['id']}"))["data"]["attributes"]["name"] == "Mine"


def test_every_location_of_a_201_answers_a_get_with_the_created_resource(served):
    client, document, world = served
    created, problems = 0, []
    for n, (path, item) in enumerate(sorted(document["paths"].items())):
        operation = item.get("post")
        if operation is None or "201" not in operation["responses"]:
            continue
        record_id = world.id_for(path)
        response = client.post(re.sub(r"\{[^}]+\}", record_id, path), json=smoke_body(document, operation, record_id, n))
        if response.status_code != 201:
            continue
        created += 1
        location = response.headers.get("Location")
        if location is None:
            continue
        data = response.json().get("data") or {}
        shown = client.get(location if location.startswith("http") else client.root + location)
        if shown.status_code != 200:
            problems.append(f"POST {path}: Location {location} -> {shown.status_code}")
        elif {k: shown.json()["data"].get(k) for k in ("type", "id")} != {k: data.get(k) for k in ("type", "id")}:
            problems.append(f"POST {path}: Location {location} shows {shown.json()['data'].get('type')} "
                            f"{shown.json()['data'].get('id')}, not the created {data.get('type')} {data.get('id')}")
    assert created > 40
    assert problems == [], "\n".join(problems)


def test_a_json_api_media_type_with_charset_is_accepted_with_a_warning(synap, fresh):
    fresh.clear_requests()
    response = synap.post("/tag-sets", json=body("TagSet", {"name": "Charset"}),
                          headers={"Content-Type": f"{MEDIA}; charset=utf-8"})
    assert ok(response, 201)["data"]["attributes"]["name"] == "Charset"
    warning = response.headers["X-Sandbox-Warning"]
    assert "charset=utf-8" in warning and "415" in warning
    assert [w["warning"] for w in fresh.warnings(vendor="synap")] == [warning]


@pytest.mark.parametrize("content_type", [MEDIA, f'{MEDIA}; profile="https://example.org/p"', "application/json; charset=utf-8"])
def test_a_media_type_synap_takes_as_it_is_has_no_warning(synap, fresh, content_type):
    fresh.clear_requests()
    response = synap.post("/tag-sets", json=body("TagSet", {"name": "Plain"}), headers={"Content-Type": content_type})
    assert response.status_code == 201 and "X-Sandbox-Warning" not in response.headers
    assert fresh.warnings(vendor="synap") == []


def test_every_collection_post_advertises_only_a_location_its_spec_answers_with_a_get(served):
    """The static half of the test above, for the creates a smoke body cannot make: the Location
    template of each generic create is a GET of the served spec that shows the created type."""
    from mockserver.vendors.synap import locations

    _, document, _ = served
    creates = [(path, item["post"]["x-mock"]) for path, item in document["paths"].items()
               if (item.get("post") or {}).get("x-mock", {}).get("action") == "create"]
    advertised = 0
    for path, mock in creates:
        template = locations.show_template(document, mock["type"], mock.get("where"), below=path)
        if template is None:
            continue
        advertised += 1
        shown = document["paths"][template]["get"]
        schema = shown["responses"]["200"]["content"][MEDIA]["schema"]
        assert shown.get("x-mock", {}).get("type", "") == mock["type"] or schema == {
            "$ref": f"#/components/schemas/{mock['type']}Document"}, (path, template)
    assert len(creates) >= 150 and advertised >= 95


def test_a_registration_has_no_location_because_no_get_shows_one(synap):
    created = synap.post("/user-registrations", json=body(
        "UserRegistration", {"name": "Reg", "emailAddress": "reg@example.org", "password": "correct horse"}))
    assert created.status_code == 201, created.text
    assert "Location" not in created.headers


def test_a_created_tag_set_location_is_the_absolute_url_of_its_show(synap):
    created = synap.post("/tag-sets", json=body("TagSet", {"name": "Located"}))
    location = created.headers["Location"]
    assert location == f"{synap.root}/tag-sets/{created.json()['data']['id']}"
    assert ok(synap.get(location))["data"]["attributes"]["name"] == "Located"
