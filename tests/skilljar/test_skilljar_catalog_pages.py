"""Skilljar catalog pages of a domain: classic pages and their items, Builder pages and their typed
content blocks and tiles, tags and student-group visibility on a page; plus the vocabularies they
name (tags, labels, group categories), checked against the official schemas."""

from __future__ import annotations

from skilljar_helpers import D, demo_course, everything, ok
from skilljar_oracle import check, needs_oracle

pytestmark = needs_oracle

PAGES = "/domains/{domain_name}/catalog-pages"
PAGE = PAGES + "/{catalog_page_id}"


def test_the_seeded_domain_has_a_classic_page_with_items_and_a_builder_page_with_blocks(sj):
    listed = sj.get(f"/domains/{D}/catalog-pages")
    check(listed, "GET", PAGES)
    pages = {p["slug"]: p for p in ok(listed)["results"]}
    classic, built = pages["all-courses"], pages["welcome"]
    assert classic["is_classic"] is True and built["is_classic"] is False
    assert classic["url"] == f"https://{D}/page/all-courses"
    items = sj.get(f"/domains/{D}/catalog-pages/{classic['id']}/classic-page-items")
    check(items, "GET", PAGE + "/classic-page-items")
    assert [i["order"] for i in ok(items)["results"]] == [1, 2, 3, 4, 5, 6]
    assert {i["type"] for i in items.json()["results"]} == {"PUBLISHED_COURSE"}
    blocks = sj.get(f"/domains/{D}/catalog-pages/{built['id']}/content-blocks")
    check(blocks, "GET", PAGE + "/content-blocks")
    html, tiles = ok(blocks)["results"]
    assert (html["type"], tiles["type"]) == ("HTML", "TILE_SECTION")
    one = sj.get(f"/domains/{D}/catalog-pages/{built['id']}/html-content-blocks/{html['html_content_block_id']}")
    check(one, "GET", PAGE + "/html-content-blocks/{id}")
    assert ok(one)["content_block_id"] == html["id"]
    base = f"/domains/{D}/catalog-pages/{built['id']}/tile-container-content-blocks/{tiles['tile_container_content_block_id']}"
    listed_tiles = sj.get(f"{base}/items")
    check(listed_tiles, "GET", PAGE + "/tile-container-content-blocks/{tile_container_id}/items")
    assert len(ok(listed_tiles)["results"]) == 3
    # a page of another domain is not found through this one
    assert sj.get(f"/domains/partners.demo-learning.com/catalog-pages/{built['id']}").status_code == 404


def test_a_classic_page_lists_one_item_at_a_time_and_only_their_order_changes(sj):
    made = sj.post(f"/domains/{D}/catalog-pages", json={"page_title": "Security Track", "tile_callout": "New!"})
    check(made, "POST", PAGES)
    page = ok(made, 201)
    assert page["slug"] == "security-track" and page["is_classic"] is True
    assert page["search_behavior"] == "GLOBAL" and page["item_layout"] == "TILE"
    base = f"/domains/{D}/catalog-pages/{page['id']}"
    course = demo_course(sj)
    first = sj.post(f"{base}/classic-page-items", json={"item_published_course_id": course["id"]})
    check(first, "POST", PAGE + "/classic-page-items")
    assert ok(first, 201)["type"] == "PUBLISHED_COURSE" and first.json()["order"] == 1
    nested = ok(sj.post(f"{base}/classic-page-items", json={"item_catalog_page_id": page["id"]}), 201)
    assert nested["type"] == "CATALOG_PAGE" and nested["order"] == 2  # goes last
    both = sj.post(f"{base}/classic-page-items", json={"item_published_course_id": course["id"],
                                                       "item_catalog_page_id": page["id"]})
    assert both.status_code == 400 and "non_field_errors" in both.json()
    assert sj.post(f"{base}/classic-page-items", json={"item_plan_id": "nosuch"}).json() == \
        {"item_plan_id": ['Invalid pk "nosuch" - object does not exist.']}

    item = f"{base}/classic-page-items/{first.json()['id']}"
    moved = sj.patch(item, json={"order": 5, "item_catalog_page_id": page["id"]})  # what it shows stays
    check(moved, "PATCH", PAGE + "/classic-page-items/{id}")
    assert ok(moved)["order"] == 5 and moved.json()["item_published_course_id"] == course["id"]
    assert "item_catalog_page_id" not in moved.json()
    check(sj.put(item, json={"order": 3}), "PUT", PAGE + "/classic-page-items/{id}")
    refused = sj.patch(item, json={"order": 0})
    assert refused.status_code == 400 and list(refused.json()) == ["order"]
    assert sj.post(f"{base}/content-blocks", json={"type": "HTML"}).status_code == 400  # classic: no blocks
    assert sj.delete(item).status_code == 204 and sj.get(item).status_code == 404
    assert [i["id"] for i in everything(sj, f"{base}/classic-page-items")] == [nested["id"]]


def test_page_settings_follow_the_official_constraints(sj):
    base = f"/domains/{D}/catalog-pages"
    assert sj.post(base, json={"page_title": "X", "tile_callout": "sixteen letters!"}).status_code == 400
    assert sj.post(base, json={"page_title": "X", "slug": "no spaces"}).json()["slug"]
    assert sj.post(base, json={"page_title": "X", "search_location": "FOOTER"}).status_code == 400
    assert sj.post(base, json={"page_title": ""}).status_code == 400
    assert sj.post(base, json={"slug": "x"}).json() == {"page_title": ["This field is required."]}
    page = ok(sj.post(base, json={"page_title": "Partners", "slug": "Partner_Hub", "hidden": True}), 201)
    assert sj.post(base, json={"page_title": "Again", "slug": "Partner_Hub"}).json() == \
        {"slug": ["A catalog page with this slug already exists on this domain."]}
    one = f"{base}/{page['id']}"
    changed = sj.patch(one, json={"short_description": "For partners", "search_behavior": "LOCAL", "is_classic": False})
    check(changed, "PATCH", PAGE)
    assert ok(changed)["short_description"] == "For partners" and changed.json()["hidden"] is True
    assert changed.json()["is_classic"] is True  # read-only after create
    check(sj.put(one, json={"item_layout": "LIST"}), "PUT", PAGE)
    assert ok(sj.get(one))["item_layout"] == "LIST"
    assert sj.patch(one, json={"short_description": "x" * 301}).status_code == 400
    assert ok(sj.get(one))["short_description"] == "For partners"  # a refused change changes nothing
    taken = sj.patch(one, json={"slug": "all-courses", "page_title": "Renamed"})  # the seeded classic page's
    assert taken.json() == {"slug": ["A catalog page with this slug already exists on this domain."]}
    assert ok(sj.get(one))["page_title"] == "Partners" and ok(sj.patch(one, json={"slug": "Partner_Hub"}))


def test_a_builder_page_block_of_each_type_has_its_typed_block_and_goes_with_it(sj):
    page = ok(sj.post(f"/domains/{D}/catalog-pages", json={"page_title": "Builder", "is_classic": False}), 201)
    base = f"/domains/{D}/catalog-pages/{page['id']}"
    made = {}
    for kind in ("HTML", "HERO", "ANNOUNCEMENT_BAR", "TILE_SECTION", "IN_PROGRESS_COURSES"):
        block = sj.post(f"{base}/content-blocks", json={"type": kind})
        check(block, "POST", PAGE + "/content-blocks")
        made[kind] = ok(block, 201)
    assert [b["order"] for b in made.values()] == [1, 2, 3, 4, 5]
    assert sj.post(f"{base}/content-blocks", json={"type": "VIDEO"}).status_code == 400
    assert sj.post(f"{base}/classic-page-items", json={"item_catalog_page_id": page["id"]}).status_code == 400

    hero = f"{base}/html-content-blocks/{made['HERO']['html_content_block_id']}"
    changed = sj.put(hero, json={"html": "<h1>Learn</h1>"})
    check(changed, "PUT", PAGE + "/html-content-blocks/{id}")
    assert ok(sj.get(hero))["html"] == "<h1>Learn</h1>"
    check(sj.patch(hero, json={"html": "<h2>Learn</h2>"}), "PATCH", PAGE + "/html-content-blocks/{id}")

    component = f"{base}/component-content-blocks/{made['IN_PROGRESS_COURSES']['component_content_block_id']}"
    read = sj.get(component)
    check(read, "GET", PAGE + "/component-content-blocks/{id}")
    assert ok(read)["component"] == "in_progress_content" and read.json()["max_tiles"] == 4
    check(sj.patch(component, json={"max_tiles": 8, "alignment": "center"}), "PATCH", PAGE + "/component-content-blocks/{id}")
    assert sj.put(component, json={"max_tiles": 2}).json() == {"component": ["This field is required."]}
    check(sj.put(component, json={"component": "federated_search"}), "PUT", PAGE + "/component-content-blocks/{id}")
    assert ok(sj.get(component))["max_tiles"] == 8
    assert sj.patch(component, json={"max_tiles": 0}).status_code == 400

    tiles = f"{base}/tile-container-content-blocks/{made['TILE_SECTION']['tile_container_content_block_id']}"
    check(sj.get(tiles), "GET", PAGE + "/tile-container-content-blocks/{id}")
    check(sj.put(tiles, json={"alignment": "right"}), "PUT", PAGE + "/tile-container-content-blocks/{id}")
    assert sj.patch(tiles, json={"alignment": "middle"}).status_code == 400

    block = f"{base}/content-blocks/{made['HTML']['id']}"
    check(sj.get(block), "GET", PAGE + "/content-blocks/{id}")
    moved = sj.put(block, json={"order": 9, "type": "HERO"})  # only the order changes
    check(moved, "PUT", PAGE + "/content-blocks/{id}")
    assert (ok(moved)["order"], moved.json()["type"]) == (9, "HTML")
    check(sj.patch(block, json={"order": 2}), "PATCH", PAGE + "/content-blocks/{id}")
    assert sj.delete(block).status_code == 204
    assert sj.get(f"{base}/html-content-blocks/{made['HTML']['html_content_block_id']}").status_code == 404


def test_tiles_show_one_thing_of_the_domain_and_move_within_their_section(sj):
    page = ok(sj.post(f"/domains/{D}/catalog-pages", json={"page_title": "Tiles", "is_classic": False}), 201)
    base = f"/domains/{D}/catalog-pages/{page['id']}"
    section = ok(sj.post(f"{base}/content-blocks", json={"type": "TILE_SECTION"}), 201)
    items = f"{base}/tile-container-content-blocks/{section['tile_container_content_block_id']}/items"
    course = demo_course(sj)
    one = ok(sj.post(items, json={"item_published_course_id": course["id"]}), 201)
    two = sj.post(items, json={"item_catalog_page_id": page["id"], "order": 7})
    assert ok(two, 201)["item_type"] == "CATALOG_PAGE" and two.json()["order"] == 7
    assert sj.post(items, json={"order": 1}).status_code == 400  # shows nothing
    tile = f"{items}/{one['id']}"
    check(sj.get(tile), "GET", PAGE + "/tile-container-content-blocks/{tile_container_id}/items/{id}")
    check(sj.put(tile, json={"order": 8}), "PUT", PAGE + "/tile-container-content-blocks/{tile_container_id}/items/{id}")
    moved = sj.patch(tile, json={"order": 2})
    check(moved, "PATCH", PAGE + "/tile-container-content-blocks/{tile_container_id}/items/{id}")
    assert [t["order"] for t in everything(sj, items)] == [2, 7]
    assert sj.get(f"{base}/tile-container-content-blocks/nosuch/items").status_code == 404
    assert sj.delete(tile).status_code == 204 and sj.get(tile).status_code == 404


def test_a_page_carries_tags_and_group_overrides_that_go_when_the_tag_or_the_page_goes(sj):
    page = ok(sj.post(f"/domains/{D}/catalog-pages", json={"page_title": "Tagged"}), 201)
    base = f"/domains/{D}/catalog-pages/{page['id']}"
    tag = ok(sj.post("/tags", json={"name": "Onboarding"}), 201)
    linked = sj.post(f"{base}/tags", json={"tag": {"id": tag["id"]}})
    check(linked, "POST", PAGE + "/tags")
    assert ok(linked, 201) == {"tag": {"id": tag["id"], "name": "Onboarding", "slug": "onboarding"}}
    assert sj.post(f"{base}/tags", json={"tag": {"id": tag["id"]}}).status_code == 400  # once per page
    assert sj.post(f"{base}/tags", json={"tag": {"id": "nosuch"}}).status_code == 400
    check(sj.get(f"{base}/tags"), "GET", PAGE + "/tags")
    check(sj.get(f"{base}/tags/{tag['id']}"), "GET", PAGE + "/tags/{tag_id}")
    renamed = ok(sj.patch(f"/tags/{tag['id']}", json={"name": "Day one"}))
    assert ok(sj.get(f"{base}/tags/{tag['id']}"))["tag"] == {"id": tag["id"], "name": "Day one", "slug": renamed["slug"]}
    assert sj.delete(f"/tags/{tag['id']}").status_code == 204
    assert everything(sj, f"{base}/tags") == []

    group = everything(sj, "/groups")[0]
    override = sj.post(f"{base}/visibility-overrides", json={"student_group": {"id": group["id"]}, "is_visible": True})
    check(override, "POST", PAGE + "/visibility-overrides")
    assert ok(override, 201) == {"student_group": {"id": group["id"], "name": group["name"]}, "is_visible": True}
    assert sj.post(f"{base}/visibility-overrides", json={"student_group": {"id": group["id"]}}).json() == \
        {"is_visible": ["This field is required."]}
    check(sj.get(f"{base}/visibility-overrides"), "GET", PAGE + "/visibility-overrides")
    check(sj.get(f"{base}/visibility-overrides/{group['id']}"), "GET", PAGE + "/visibility-overrides/{student_group_id}")
    assert sj.delete(f"{base}/visibility-overrides/{group['id']}").status_code == 204
    assert sj.get(f"{base}/visibility-overrides/{group['id']}").status_code == 404

    other = ok(sj.post("/tags", json={"name": "Stays"}), 201)
    ok(sj.post(f"{base}/tags", json={"tag": {"id": other["id"]}}), 201)
    assert sj.delete(base).status_code == 204
    assert sj.get(f"{base}/tags").status_code == 404
    assert ok(sj.get(f"/tags/{other['id']}"))["name"] == "Stays"  # the tag itself stays


def test_catalog_bodies_may_be_form_encoded_or_multipart(sj):
    made = sj.post(f"/domains/{D}/catalog-pages", data={"page_title": "Formed", "hidden": "true", "is_classic": "false"})
    page = ok(made, 201)
    assert page["hidden"] is True and page["is_classic"] is False
    block = ok(sj.post(f"/domains/{D}/catalog-pages/{page['id']}/content-blocks",
                       files={"type": (None, "IN_PROGRESS_COURSES"), "order": (None, "3")}), 201)
    assert block["order"] == 3
    tag = ok(sj.post("/tags", data={"name": "Formed tag"}), 201)
    linked = sj.post(f"/domains/{D}/catalog-pages/{page['id']}/tags", data={"tag.id": tag["id"]})
    assert ok(linked, 201)["tag"]["id"] == tag["id"]


def test_the_vocabularies_read_as_the_official_schemas_say(sj):
    for path in ("/tags", "/labels", "/group-categories"):
        listed = sj.get(path)
        check(listed, "GET", path)
        first = ok(listed)["results"][0]
        param = {"/tags": "{tag_id}", "/labels": "{label_id}", "/group-categories": "{group_category_id}"}[path]
        check(sj.get(f"{path}/{first['id']}"), "GET", f"{path}/{param}")
    assert [c["name"] for c in everything(sj, "/group-categories")] == ["Customers", "Partners", "Employees"]
    tag = ok(sj.post("/tags", json={"name": "Deep Dive"}), 201)
    assert sj.post("/tags", json={"name": "Deep Dive"}).json() == {"name": ["tag with this name already exists."]}
    assert sj.post("/tags", json={"name": ""}).status_code == 400
    assert sj.put(f"/tags/{tag['id']}", json={}).json() == {"name": ["This field is required."]}
    check(sj.patch(f"/tags/{tag['id']}", json={}), "PATCH", "/tags/{tag_id}")
    check(sj.put(f"/tags/{tag['id']}", json={"name": "Deeper Dive"}), "PUT", "/tags/{tag_id}")
    label = ok(sj.post("/labels", json={"name": "Compliance"}), 201)
    check(sj.put(f"/labels/{label['id']}", json={"name": "Compliance 2027"}), "PUT", "/labels/{label_id}")
    assert sj.patch(f"/labels/{label['id']}", json={"name": "y" * 256}).status_code == 400
    assert sj.delete(f"/labels/{label['id']}").status_code == 204
    assert sj.delete(f"/tags/{tag['id']}").status_code == 204
