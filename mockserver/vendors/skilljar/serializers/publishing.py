"""Re-enrollment rules and the items of a published path."""

from __future__ import annotations

from mockserver.store import Store
from mockserver.vendors.skilljar.records import public


def reenrollment_rule(record: dict) -> dict:
    return public(record)


def path_item(pair: tuple[dict, dict | None], store: Store | None = None) -> dict:
    item, published = pair
    course = {"id": published["id"], "course_id": published["_course"], "slug": published["slug"]} if published else \
        {"id": "", "course_id": item["_course"], "slug": item["slug"]}
    return {"id": item["id"], "order": item["_order"], "published_course": course}
