"""Seeding of the Skilljar vocabularies and storefront, after every other part: the labels the
courses carry, tags on some published courses and paths, group categories (some groups in one),
the demo domain's catalog pages (a classic one listing courses, a built one with an HTML block and a
tile section), license packages with seats, visibility overrides and prerequisites. Deterministic
from the seed; it draws from the random generator last, so the parts before it are unchanged."""

from __future__ import annotations

from mockserver.seed import SeedContext
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.rules import access, catalog, journeys, labels, licenses
from mockserver.vendors.skilljar.seed.core import World

TAG_NAMES = ("New", "Popular", "Free", "Certification", "Beginner", "Advanced")
CATEGORY_NAMES = ("Customers", "Partners", "Employees")


def _link(parents: list[tuple[str, str]], linked: str, **extra) -> tuple[str, dict]:
    key = ":".join([*(value for _, value in parents), linked])
    return key, {**extra, **dict(parents), "_linked": linked, "_key": key}


def seed(store: Store, ctx: SeedContext, world: World) -> None:
    rng = ctx.rng
    names = list(dict.fromkeys(name for course in world.courses for name in course.get("labels") or []))
    labels.ensure_labels(store, names)

    tags = [{"id": new_id(store, "tag"), "name": name, "slug": labels.slugify(name)} for name in TAG_NAMES]
    store.insert_many(labels.TAGS, ((tag["id"], tag) for tag in tags))
    categories = [{"id": new_id(store, "group_category"), "name": name} for name in CATEGORY_NAMES]
    store.insert_many(labels.GROUP_CATEGORIES, ((c["id"], c) for c in categories))
    for group, category in zip(store.rows(access.GROUPS), categories):
        store.update(access.GROUPS, group["id"], {"group_category_id": category["id"]})

    domain = world.demo_domain
    on_demo = [p for p in world.published_courses if p["_domain"] == domain]
    groups = store.rows(access.GROUPS)
    course_tags, visibility = [], []
    for published in on_demo[:12]:
        parents = [("_domain", domain), ("_published_course", published["id"])]
        for tag in rng.sample(tags, rng.randint(0, 2)):
            course_tags.append(_link(parents, tag["id"]))
        if published["hidden"] and groups:
            visibility.append(_link(parents, rng.choice(groups)["id"], is_visible=True))
    store.insert_many("skilljar_published_courses_tags", course_tags)
    store.insert_many("skilljar_published_courses_visibility_overrides", visibility)
    path_labels = []
    label_rows = store.rows(labels.LABELS)
    for published in store.rows(journeys.PUBLISHED_PATHS):
        parents = [("_domain", published["_domain"]), ("_published_path", published["id"])]
        for label in rng.sample(label_rows, min(len(label_rows), rng.randint(0, 2))):
            path_labels.append(_link(parents, label["id"]))
    store.insert_many(labels.PUBLISHED_PATH_LABELS, path_labels)

    classic = {"id": new_id(store, "catalog_page"), **catalog.PAGE_DEFAULTS, "page_title": "All Courses",
               "slug": "all-courses", "is_classic": True, "_domain": domain}
    built = {"id": new_id(store, "catalog_page"), **catalog.PAGE_DEFAULTS, "page_title": "Welcome",
             "slug": "welcome", "is_classic": False, "header_html": "<h1>Welcome</h1>", "_domain": domain}
    store.insert_many(catalog.PAGES, ((p["id"], p) for p in (classic, built)))
    items = [{"id": new_id(store, "classic_page_item"), "order": n + 1, "type": "PUBLISHED_COURSE",
              "item_published_course_id": p["id"], "_domain": domain, "_catalog_page": classic["id"]}
             for n, p in enumerate(on_demo[:6])]
    store.insert_many(catalog.CLASSIC_ITEMS, ((i["id"], i) for i in items))
    html = {"id": new_id(store, "html_content_blocks"), "html": "<p>Start here.</p>", "_domain": domain,
            "_catalog_page": built["id"]}
    tiles = {"id": new_id(store, "tile_container_content_blocks"), "header_text": "Featured", "header_sub_text": "",
             "alignment": "left", "_domain": domain, "_catalog_page": built["id"]}
    blocks = [{"id": new_id(store, "content_block"), "order": 1, "type": "HTML", "html_content_block_id": html["id"],
               "_domain": domain, "_catalog_page": built["id"]},
              {"id": new_id(store, "content_block"), "order": 2, "type": "TILE_SECTION",
               "tile_container_content_block_id": tiles["id"], "_domain": domain, "_catalog_page": built["id"]}]
    html["content_block_id"], tiles["content_block_id"] = blocks[0]["id"], blocks[1]["id"]
    store.insert(catalog.HTML_BLOCKS, html["id"], html)
    store.insert(catalog.TILE_BLOCKS, tiles["id"], tiles)
    store.insert_many(catalog.CONTENT_BLOCKS, ((b["id"], b) for b in blocks))
    tile_items = [{"id": new_id(store, "tile_container_item"), "order": n + 1, "item_type": "PUBLISHED_COURSE",
                   "item_published_course_id": p["id"], "_domain": domain, "_catalog_page": built["id"],
                   "_tile_container": tiles["id"]} for n, p in enumerate(on_demo[:3])]
    store.insert_many(catalog.TILE_ITEMS, ((i["id"], i) for i in tile_items))

    domain_id = world.domains[0]["id"]
    packages, seats = [], []
    for n, name in enumerate(("Acme Corp 2026 seats", "Globex onboarding")):
        package = {"id": new_id(store, "license_package"), "tracking_id": f"PO-{1000 + n}",
                   "start_date": ctx.timestamp(-120, -30), "end_date": ctx.timestamp(200, 400), "domain_id": domain_id,
                   "license_count": rng.choice((10, 25, 50)), "name": name, "max_unique_seats": None, "_offers": []}
        packages.append(package)
        for user in rng.sample(world.users, min(len(world.users), rng.randint(1, 5))):
            seats.append((licenses.seat_key(package["id"], user["id"]), {
                "id": new_id(store, "license_seat"), "_license_package": package["id"], "_user": user["id"],
                "enrolled_at": ctx.timestamp(-30, -1), "active": True}))
    store.insert_many(licenses.PACKAGES, ((p["id"], p) for p in packages))
    store.insert_many(licenses.SEATS, seats)
