"""Publishing courses and paths on a domain, and the rules that hang on a published course.

- A course is published on a domain at most once, with a slug unique on that domain (official
  pattern ``^[a-z0-9]+(-[a-z0-9]+)+$``); it gets a free, open offer, listed at GET /offers like the
  seeded ones. Deleting a published course deletes its enrollments, its offer and every
  association to it (tags, visibility overrides, prerequisites, its re-enrollment rule).
- A path is published with a new path made from the body's ``path`` ("Serializer to create a new
  Path when publishing one to a domain. Only title is required.", official spec).
- A published path's items are its path's items, each shown as the published course of its course
  on the domain: adding one adds the course to the path, so GET /paths/{id}/path-items shows it too.
- A published course has at most one re-enrollment rule (``reenrollment_rule``: POST sets it,
  answering 200; ``next_run_at`` is its start, or the next cycle after now).
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from mockserver.clock import isoformat, parse
from mockserver.errors import InvalidRequest, NotFound, Violation
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.records import normalise, require
from mockserver.vendors.skilljar.rules import commerce, content, enrollments
from mockserver.vendors.skilljar.rules import journeys as paths

COURSE_FIELDS = ("slug", "hidden", "strict_enforce_group_visibility", "registration_required", "registration_starts_at",
                 "registration_ends_at", "restrict_access_start_end_dates", "allow_self_service_reenroll",
                 "unique_progress_per_enrollment", "require_all_prerequisites")
PATH_FIELDS = ("slug", "hidden", "strict_enforce_group_visibility", "unique_progress_per_enrollment")
NEW_PATH_FIELDS = ("title", "short_description", "long_description_html", "header_html", "course_name_singular",
                   "course_name_plural")
REENROLLMENT_RULES = "skilljar_reenrollment_rules"
# Associations to a published course (resources.py links) that go with it.
COURSE_LINKS = ("skilljar_published_courses_tags", "skilljar_published_courses_visibility_overrides",
                "skilljar_published_course_group_prerequisites", "skilljar_published_course_prerequisites")
PATH_LINKS = ("skilljar_published_paths_tags", "skilljar_published_paths_visibility_overrides",
              "skilljar_published_path_labels")


def _invalid(path: tuple, message: str) -> InvalidRequest:
    return InvalidRequest(message, violations=[Violation("body", path, message)])


def _slug_taken(store: Store, table: str, domain: str, slug: str, other_than: str | None = None) -> bool:
    return any(r["_domain"] == domain and r["slug"] == slug and r["id"] != other_than for r in store.rows(table))


def _new_offer(store: Store) -> dict:
    return {"id": new_id(store, "offer"), "registration_open": True, "price": {"amount": "0.00", "currency_code": "USD"}}


def _unlink(store: Store, tables: tuple[str, ...], field: str, value: str) -> None:
    for table in tables:
        for link in [r for r in store.rows(table) if r.get(field) == value or r.get("_linked") == value]:
            store.delete(table, link["_key"])


# -- published courses ----------------------------------------------------------------------------


def publish_course(store: Store, domain: str, body: dict, now: datetime) -> dict:
    fields = normalise({k: v for k, v in body.items() if k in COURSE_FIELDS})
    with store.transaction():
        require(store, t.DOMAINS, domain, "domain")
        course = store.get(t.COURSES, str(body["course"]["id"]))
        if course is None:
            raise _invalid(("course", "id"), f'Invalid pk "{body["course"]["id"]}" - object does not exist.')
        # "The course must not already be published to this domain." (official reference of this POST)
        if any(p["_domain"] == domain and p["_course"] == course["id"] for p in store.rows(t.PUBLISHED_COURSES)):
            raise _invalid(("course",), "This course is already published on this domain.")
        slug = fields.get("slug") or f"{paths_slug(course['title'])}-{new_id(store, 'slug', 6)}"
        if _slug_taken(store, t.PUBLISHED_COURSES, domain, slug):
            raise _invalid(("slug",), "A published course with this slug already exists on this domain.")
        record = {"id": new_id(store, "published_course"), "_domain": domain, "_course": course["id"], "slug": slug,
                  "hidden": False, "strict_enforce_group_visibility": False, "registration_required": False,
                  # the official PublishedCourse has both as non-null datetimes: registration opens now,
                  # for ten years unless the body says otherwise [inferred]
                  "registration_starts_at": isoformat(now), "registration_ends_at": isoformat(now + timedelta(days=3652)),
                  "restrict_access_start_end_dates": False, "allow_self_service_reenroll": True,
                  "unique_progress_per_enrollment": False, "require_all_prerequisites": False,
                  "timezone": None, **fields, "_offer": _new_offer(store)}
        store.insert(t.PUBLISHED_COURSES, record["id"], record)
        offer = commerce.offer_from_published_course(record, course["title"])
        store.insert(commerce.OFFERS, offer["id"], offer)
        return record


def paths_slug(title: str) -> str:
    return "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in title.lower()).split()) or "course"


def update_course(store: Store, domain: str, published_course_id: str, body: dict) -> dict:
    changes = normalise({k: v for k, v in (body or {}).items() if k in COURSE_FIELDS})
    with store.transaction():
        enrollments.published_course(store, domain, published_course_id)
        if "slug" in changes and _slug_taken(store, t.PUBLISHED_COURSES, domain, changes["slug"], published_course_id):
            raise _invalid(("slug",), "A published course with this slug already exists on this domain.")
        return store.update(t.PUBLISHED_COURSES, published_course_id, changes)


def unpublish_course(store: Store, domain: str, published_course_id: str) -> None:
    with store.transaction():
        record = enrollments.published_course(store, domain, published_course_id)
        for enrollment in [e for e in store.rows(t.ENROLLMENTS) if e["_published_course"] == published_course_id]:
            store.delete(t.ENROLLMENTS, enrollment["id"])
        store.delete(commerce.OFFERS, record["_offer"]["id"])
        _unlink(store, COURSE_LINKS, "_published_course", published_course_id)
        store.delete(REENROLLMENT_RULES, published_course_id)
        store.delete(t.PUBLISHED_COURSES, published_course_id)


def delete_course(store: Store, course_id: str) -> None:
    """A course goes with its lessons and progress (rules/content.py), its publications on every
    domain (with their enrollments) and its place in paths."""
    with store.transaction():
        for published_id in content.delete_course(store, course_id):
            unpublish_course(store, store.get(t.PUBLISHED_COURSES, published_id)["_domain"], published_id)
        for item in [i for i in store.rows(paths.PATH_ITEMS) if i["_course"] == course_id]:
            store.delete(paths.PATH_ITEMS, item["id"])


# -- re-enrollment rules --------------------------------------------------------------------------


def _add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def next_run(rule: dict, now: datetime) -> str:
    """The first cycle start not before now (the start itself when it is still ahead); a cycle that
    would run past the year 9999 is a 400 on ``cycle_duration``."""
    start, step = parse(rule["starts_at"]), rule["cycle_duration"]
    try:
        if start >= now:
            return isoformat(start)
        if rule["cycle_duration_unit"] == "MONTHS":
            months = (now.year - start.year) * 12 + now.month - start.month
            cycles = max(0, months // step)
            moment = _add_months(start, cycles * step)
            while moment < now:
                moment = _add_months(moment, step)
        else:
            cycles = -(-(now - start).days // step)
            moment = start + timedelta(days=cycles * step)
            while moment < now:
                moment += timedelta(days=step)
        return isoformat(moment)
    except (OverflowError, ValueError):
        raise _invalid(("cycle_duration",), "The next cycle would start after the year 9999.") from None


def reenrollment_rule(store: Store, domain: str, published_course_id: str) -> dict:
    enrollments.published_course(store, domain, published_course_id)
    rule = store.get(REENROLLMENT_RULES, published_course_id)
    if rule is None:
        raise NotFound("no re-enrollment rule")
    return rule


def set_reenrollment_rule(store: Store, domain: str, published_course_id: str, body: dict, now: datetime,
                          partial: bool) -> dict:
    fields = normalise({k: v for k, v in (body or {}).items() if k in ("starts_at", "cycle_duration", "cycle_duration_unit")})
    with store.transaction():
        enrollments.published_course(store, domain, published_course_id)
        existing = store.get(REENROLLMENT_RULES, published_course_id)
        if partial and existing is None:
            raise NotFound("no re-enrollment rule")
        rule = {"cycle_duration_unit": "MONTHS", **(existing or {}), **fields}
        rule.setdefault("id", new_id(store, "reenrollment_rule"))
        rule["next_run_at"] = next_run(rule, now)
        store.delete(REENROLLMENT_RULES, published_course_id)
        store.insert(REENROLLMENT_RULES, published_course_id, rule)
        return rule


def delete_reenrollment_rule(store: Store, domain: str, published_course_id: str) -> None:
    with store.transaction():
        reenrollment_rule(store, domain, published_course_id)
        store.delete(REENROLLMENT_RULES, published_course_id)


# -- published paths ------------------------------------------------------------------------------


def publish_path(store: Store, domain: str, body: dict, now: datetime) -> dict:
    fields = {k: v for k, v in body.items() if k in PATH_FIELDS}
    with store.transaction():
        require(store, t.DOMAINS, domain, "domain")
        if _slug_taken(store, paths.PUBLISHED_PATHS, domain, fields["slug"]):
            raise _invalid(("slug",), "A published path with this slug already exists on this domain.")
        path = {"id": new_id(store, "path"), "title": "", "promo_image_url": "", "short_description": "",
                "long_description_html": "", "header_html": "", "course_name_singular": "course",
                "course_name_plural": "courses", **{k: v for k, v in body["path"].items() if k in NEW_PATH_FIELDS}}
        store.insert(paths.PATHS, path["id"], path)
        record = {"id": new_id(store, "published_path"), "_domain": domain, "_path": path["id"], "hidden": False,
                  "strict_enforce_group_visibility": False, "unique_progress_per_enrollment": False, **fields,
                  "created_at": isoformat(now), "modified_at": isoformat(now), "_offer": _new_offer(store)}
        store.insert(paths.PUBLISHED_PATHS, record["id"], record)
        return record


def update_path(store: Store, domain: str, published_path_id: str, body: dict, now: datetime) -> dict:
    changes = {k: v for k, v in (body or {}).items() if k in PATH_FIELDS}
    with store.transaction():
        paths.scoped(store, paths.PUBLISHED_PATHS, domain, published_path_id)
        if "slug" in changes and _slug_taken(store, paths.PUBLISHED_PATHS, domain, changes["slug"], published_path_id):
            raise _invalid(("slug",), "A published path with this slug already exists on this domain.")
        return store.update(paths.PUBLISHED_PATHS, published_path_id, {**changes, "modified_at": isoformat(now)})


def unpublish_path(store: Store, domain: str, published_path_id: str) -> None:
    """The path itself stays (GET /paths): only its publication on the domain goes."""
    with store.transaction():
        paths.scoped(store, paths.PUBLISHED_PATHS, domain, published_path_id)
        _unlink(store, PATH_LINKS, "_published_path", published_path_id)
        paths.delete_published_path(store, published_path_id)


def _published_course_of(store: Store, domain: str, course_id: str) -> dict | None:
    return next((p for p in store.rows(t.PUBLISHED_COURSES) if p["_domain"] == domain and p["_course"] == course_id), None)


def path_items(store: Store, domain: str, published_path_id: str) -> list[tuple[dict, dict | None]]:
    """(path item, the published course of its course on the domain, if any), in order."""
    published = paths.scoped(store, paths.PUBLISHED_PATHS, domain, published_path_id)
    return [(item, _published_course_of(store, domain, item["_course"])) for item in paths.path_items(store, published["_path"])]


def path_item(store: Store, domain: str, published_path_id: str, item_id: str) -> tuple[dict, dict | None]:
    found = next((pair for pair in path_items(store, domain, published_path_id) if pair[0]["id"] == item_id), None)
    if found is None:
        raise NotFound("path item not found")
    return found


def add_path_item(store: Store, domain: str, published_path_id: str, body: dict) -> tuple[dict, dict]:
    with store.transaction():
        published = paths.scoped(store, paths.PUBLISHED_PATHS, domain, published_path_id)
        course_published = store.get(t.PUBLISHED_COURSES, str(body["published_course"]["id"]))
        if course_published is None or course_published["_domain"] != domain:
            raise _invalid(("published_course", "id"), f'Invalid pk "{body["published_course"]["id"]}" - object does not exist.')
        if any(i["_course"] == course_published["_course"] for i in paths.path_items(store, published["_path"])):
            raise _invalid(("published_course",), "This course is already in the path.")
        item = {"id": new_id(store, "path_item"), "_path": published["_path"], "_course": course_published["_course"],
                "_order": body["order"], "slug": course_published["slug"]}
        store.insert(paths.PATH_ITEMS, item["id"], item)
        return item, course_published


def move_path_item(store: Store, domain: str, published_path_id: str, item_id: str, body: dict) -> tuple[dict, dict | None]:
    with store.transaction():
        item, course_published = path_item(store, domain, published_path_id, item_id)
        if "order" in (body or {}):
            item = store.update(paths.PATH_ITEMS, item_id, {"_order": body["order"]})
        return item, course_published


def remove_path_item(store: Store, domain: str, published_path_id: str, item_id: str) -> None:
    with store.transaction():
        path_item(store, domain, published_path_id, item_id)
        store.delete(paths.PATH_ITEMS, item_id)
