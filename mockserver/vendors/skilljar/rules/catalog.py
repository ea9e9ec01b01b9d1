"""Catalog pages of a domain and what they show.

A page is classic (``is_classic``, the default on create) or built from content blocks: a classic
page lists items (``classic-page-items``), a built page stacks content blocks, each of one type
whose settings live in a typed block (official PageContentBlockItem: ``html_content_block_id``,
``tile_container_content_block_id`` or ``component_content_block_id``). HTML, hero and announcement
blocks keep HTML, tile sections hold tiles (``items``), in-progress-courses blocks are components
[inferred: which typed block each type uses]. An item names exactly one catalog page, published
course, published path or plan of the domain; its ``type`` says which. Slugs are unique on a domain.
"""

from __future__ import annotations

from mockserver.errors import InvalidRequest, Violation
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.records import require, require_in
from mockserver.vendors.skilljar.rules import journeys

PAGES = "skilljar_catalog_pages"
CLASSIC_ITEMS = "skilljar_classic_page_items"
CONTENT_BLOCKS = "skilljar_content_blocks"
HTML_BLOCKS = "skilljar_html_content_blocks"
TILE_BLOCKS = "skilljar_tile_container_content_blocks"
COMPONENT_BLOCKS = "skilljar_component_content_blocks"
TILE_ITEMS = "skilljar_tile_container_items"
PAGE_LINKS = ("skilljar_catalog_pages_tags", "skilljar_catalog_pages_visibility_overrides")
PAGE_FIELDS = ("page_title", "slug", "short_description", "tile_callout", "hidden", "strict_enforce_group_visibility",
               "header_html", "tile_sort_method", "search_location", "search_behavior", "item_layout")
PAGE_DEFAULTS = {"short_description": "", "tile_callout": "", "hidden": False, "strict_enforce_group_visibility": False,
                 "header_html": "", "tile_sort_method": "catalog_settings_order", "search_location": "HEADER_RIGHT",
                 "search_behavior": "GLOBAL", "item_layout": "TILE"}
# content block type -> (typed block table, the item's field naming it, the typed block's defaults)
BLOCK_KINDS = {
    "HTML": (HTML_BLOCKS, "html_content_block_id", {"html": ""}),
    "HERO": (HTML_BLOCKS, "html_content_block_id", {"html": ""}),
    "ANNOUNCEMENT_BAR": (HTML_BLOCKS, "html_content_block_id", {"html": ""}),
    "TILE_SECTION": (TILE_BLOCKS, "tile_container_content_block_id", {"header_text": "", "header_sub_text": "",
                                                                      "alignment": "left"}),
    "IN_PROGRESS_COURSES": (COMPONENT_BLOCKS, "component_content_block_id", {
        "component": "in_progress_content", "header_text": "", "header_sub_text": "", "include_profile_link": True,
        "max_tiles": 4, "alignment": "left"}),
}
# item field -> (its type, the table of what it names)
ITEM_TARGETS = {"item_catalog_page_id": ("CATALOG_PAGE", PAGES), "item_published_course_id": ("PUBLISHED_COURSE", t.PUBLISHED_COURSES),
                "item_published_path_id": ("PUBLISHED_PATH", journeys.PUBLISHED_PATHS), "item_plan_id": ("PLAN", journeys.PLANS)}


def _invalid(path: tuple, message: str) -> InvalidRequest:
    return InvalidRequest(message, violations=[Violation("body", path, message)])


def slugify(text: str) -> str:
    return "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in text.lower()).split()) or "page"


def page(store: Store, domain: str, page_id: str) -> dict:
    require(store, t.DOMAINS, domain, "domain")
    return require_in(store, PAGES, page_id, "_domain", domain, "catalog page")


def _slug_taken(store: Store, domain: str, slug: str, other_than: str | None = None) -> bool:
    return any(p["_domain"] == domain and p["slug"] == slug and p["id"] != other_than for p in store.rows(PAGES))


SLUG_TAKEN = "A catalog page with this slug already exists on this domain."


def create_page(store: Store, domain: str, body: dict) -> dict:
    fields = {k: v for k, v in body.items() if k in PAGE_FIELDS}
    with store.transaction():
        require(store, t.DOMAINS, domain, "domain")
        slug = fields.get("slug") or slugify(fields["page_title"])
        if _slug_taken(store, domain, slug):
            raise _invalid(("slug",), SLUG_TAKEN)
        record = {"id": new_id(store, "catalog_page"), **PAGE_DEFAULTS, **fields, "slug": slug,
                  "is_classic": body.get("is_classic", True), "_domain": domain}
        store.insert(PAGES, record["id"], record)
        return record


def unique_slug(store: Store, page: dict) -> None:
    """After a page is changed (x-mock ``after``, in the update's transaction): its slug is still its
    own on the domain, else the change is undone with a 400 on `slug`."""
    if _slug_taken(store, page["_domain"], page["slug"], page["id"]):
        raise _invalid(("slug",), SLUG_TAKEN)


def delete_page(store: Store, domain: str, page_id: str) -> None:
    """A page goes with its items and blocks; items of other pages that showed it go too."""
    with store.transaction():
        page(store, domain, page_id)
        for table in (CLASSIC_ITEMS, TILE_ITEMS):
            for item in [i for i in store.rows(table) if i["_catalog_page"] == page_id or i.get("item_catalog_page_id") == page_id]:
                store.delete(table, item["id"])
        for block in [b for b in store.rows(CONTENT_BLOCKS) if b["_catalog_page"] == page_id]:
            _delete_block(store, block)
        for table in PAGE_LINKS:
            for link in [r for r in store.rows(table) if r["_catalog_page"] == page_id]:
                store.delete(table, link["_key"])
        store.delete(PAGES, page_id)


def _target(store: Store, domain: str, body: dict) -> tuple[str, str, str]:
    given = [(field, body[field]) for field in ITEM_TARGETS if body.get(field)]
    if len(given) != 1:
        raise _invalid(("non_field_errors",), "Exactly one of item_catalog_page_id, item_published_course_id, "
                                             "item_published_path_id or item_plan_id is required.")
    field, value = given[0]
    kind, table = ITEM_TARGETS[field]
    target = store.get(table, value)
    if target is None or target.get("_domain") != domain:
        raise _invalid((field,), f'Invalid pk "{value}" - object does not exist.')
    return field, value, kind


def _next_order(rows: list[dict]) -> int:
    return max((r["order"] for r in rows), default=0) + 1


def add_classic_item(store: Store, domain: str, page_id: str, body: dict) -> dict:
    with store.transaction():
        owner = page(store, domain, page_id)
        if not owner["is_classic"]:
            raise _invalid(("non_field_errors",), "Only classic catalog pages have page items; use content blocks.")
        field, value, kind = _target(store, domain, body)
        siblings = [i for i in store.rows(CLASSIC_ITEMS) if i["_catalog_page"] == page_id]
        record = {"id": new_id(store, "classic_page_item"), "order": body.get("order") or _next_order(siblings),
                  "type": kind, field: value, "_domain": domain, "_catalog_page": page_id}
        store.insert(CLASSIC_ITEMS, record["id"], record)
        return record


def add_block(store: Store, domain: str, page_id: str, body: dict) -> dict:
    with store.transaction():
        owner = page(store, domain, page_id)
        if owner["is_classic"]:
            raise _invalid(("non_field_errors",), "Classic catalog pages have page items, not content blocks.")
        table, field, defaults = BLOCK_KINDS[body["type"]]
        block_id = new_id(store, "content_block")
        typed = {"id": new_id(store, table.removeprefix("skilljar_")), **defaults, "content_block_id": block_id,
                 "_domain": domain, "_catalog_page": page_id}
        store.insert(table, typed["id"], typed)
        siblings = [b for b in store.rows(CONTENT_BLOCKS) if b["_catalog_page"] == page_id]
        record = {"id": block_id, "order": body.get("order") or _next_order(siblings), "type": body["type"],
                  field: typed["id"], "_domain": domain, "_catalog_page": page_id}
        store.insert(CONTENT_BLOCKS, block_id, record)
        return record


def _delete_block(store: Store, block: dict) -> None:
    table, field, _ = BLOCK_KINDS[block["type"]]
    if table == TILE_BLOCKS:
        for item in [i for i in store.rows(TILE_ITEMS) if i["_tile_container"] == block[field]]:
            store.delete(TILE_ITEMS, item["id"])
    store.delete(table, block[field])
    store.delete(CONTENT_BLOCKS, block["id"])


def delete_block(store: Store, domain: str, page_id: str, block_id: str) -> None:
    with store.transaction():
        page(store, domain, page_id)
        _delete_block(store, require_in(store, CONTENT_BLOCKS, block_id, "_catalog_page", page_id, "content block"))


def add_tile(store: Store, domain: str, page_id: str, container_id: str, body: dict) -> dict:
    with store.transaction():
        page(store, domain, page_id)
        container = require_in(store, TILE_BLOCKS, container_id, "_catalog_page", page_id, "tile container")
        field, value, kind = _target(store, domain, body)
        siblings = [i for i in store.rows(TILE_ITEMS) if i["_tile_container"] == container_id]
        record = {"id": new_id(store, "tile_container_item"), "order": body.get("order") or _next_order(siblings),
                  "item_type": kind, field: value, "_domain": domain, "_catalog_page": page_id,
                  "_tile_container": container_id}
        store.insert(TILE_ITEMS, record["id"], record)
        return record
