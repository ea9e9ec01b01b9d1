"""The account tree (the root account and its sub-accounts), enrollment terms, and the directory of
institutions that GET /accounts/search answers from."""

from __future__ import annotations

import string

from mockserver.seed import SeedContext
from mockserver.store import Store
from mockserver.vendors.canvas import tables as t

DIRECTORY_SIZE = 40


_SLUG = string.ascii_letters + string.digits


def make_uuid(ctx: SeedContext) -> str:
    """Canvas's uuids are 40 random letters and digits (CanvasSlug), not RFC 4122 ones."""
    return "".join(ctx.rng.choice(_SLUG) for _ in range(40))


def _account(ctx: SeedContext, id_: int, name: str, parent: int | None, root: int | None, **extra) -> dict:
    calendar = extra.pop("calendar", None) or {}
    return {
        "id": id_, "name": name, "uuid": make_uuid(ctx), "parent_account_id": parent, "root_account_id": root,
        "workflow_state": "active", "default_storage_quota_mb": 500, "default_user_storage_quota_mb": 50,
        "default_group_storage_quota_mb": 50, "default_time_zone": extra.pop("default_time_zone", "America/Denver"),
        "sis_account_id": extra.pop("sis_account_id", None), "integration_id": None, "sis_import_id": None,
        "lti_guid": f"{make_uuid(ctx)}:canvas-lms",
        "_calendar_visible": bool(calendar.get("visible", False)),
        "_calendar_auto_subscribe": bool(calendar.get("auto_subscribe", False)),
        **extra,
    }


def seed(store: Store, ctx: SeedContext) -> None:
    fixtures = ctx.fixtures
    root = fixtures["root_account"]
    records = [_account(ctx, root["id"], root["name"], None, None, default_time_zone=root["default_time_zone"],
                        calendar={"visible": True, "auto_subscribe": True},
                        _domain=root["domain"], _settings=root["settings"],
                        _course_creation={k: root[k] for k in ("teachers_can_create_courses", "students_can_create_courses",
                                                               "no_enrollments_can_create_courses")},
                        _environment={"calendar_contexts_limit": root["calendar_contexts_limit"],
                                      "open_registration": root["open_registration"]},
                        _terms_of_service=root["terms_of_service"], _help_links=root["help_links"],
                        _reports=fixtures["reports"])]
    for named in fixtures["accounts"]:
        extra = {"_manually_created_courses": True} if named.get("manually_created_courses") else {}
        records.append(_account(ctx, named["id"], named["name"], named["parent"], root["id"],
                                sis_account_id=named.get("sis_account_id"), calendar=named.get("calendar"), **extra))
    store.insert_many(t.ACCOUNTS, ((a["id"], a) for a in records))

    terms = [{"id": term["id"], "name": term["name"], "start_at": term["start_at"], "end_at": term["end_at"],
              "created_at": "2025-06-01T00:00:00Z", "workflow_state": "active", "sis_term_id": term.get("sis_term_id"),
              "grading_period_group_id": None, "_account": root["id"]} for term in fixtures["terms"]]
    store.insert_many(t.TERMS, ((term["id"], term) for term in terms))

    directory = [dict(named) for named in fixtures.get("domains", [])]
    kinds = ("University", "State University", "College", "Community College", "Institute of Technology")
    taken = {d["domain"] for d in directory}
    while len(directory) < DIRECTORY_SIZE:
        place = ctx.faker.city()
        name = f"{place} {ctx.rng.choice(kinds)}"
        domain = f"{place.lower().replace(' ', '')}.instructure.com"
        if domain in taken:
            continue
        taken.add(domain)
        directory.append({"name": name, "domain": domain})
    store.insert_many(t.DOMAINS, ((n, {**d, "distance": None, "authentication_provider": "canvas"})
                                  for n, d in enumerate(directory, 1)))
