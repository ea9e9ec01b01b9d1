"""Seeding of the Skilljar journeys resources, on top of the core world: plans, paths (with items
linking the world's courses) published on the demo domain, course series of the demo domain's
published courses, the demo domain's signup fields with some members' values, and plan and path
enrollments of demo-domain members. Deterministic from the seed."""

from __future__ import annotations

from mockserver.clock import isoformat
from mockserver.seed import SeedContext, academy
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.rules import journeys as rules
from mockserver.vendors.skilljar.seed.core import World

PLAN_NAMES = ("All-Access Annual", "Team Starter", "Certification Track", "Partner Enablement", "Premium Monthly")
PATH_NAMES = ("Administrator Journey", "Developer Onboarding", "Analytics Path", "Customer Success Path",
              "Security Champion", "Partner Fundamentals")
SERIES_NAMES = ("Getting Started Series", "Advanced Practitioner Series", "Certification Prep Series")
FIELDS = (  # (type, label, options, required)
    ("TEXT", "Company", (), True),
    ("TEXT", "Job Title", (), False),
    ("PICKLIST", "Role", ("Administrator", "Developer", "Analyst", "Manager"), True),
    ("PICKLIST", "Region", ("Americas", "EMEA", "APAC"), False),
    ("CHECKBOX", "I agree to the terms of service", (), True),
)


def _slug(text: str) -> str:
    return "-".join(text.lower().replace("&", "and").split())


def _offer(store: Store, ctx: SeedContext) -> dict:
    amount = "0.00" if ctx.rng.random() < 0.4 else f"{ctx.rng.choice((99, 199, 499, 999))}.00"
    return {"id": new_id(store, "offer"), "registration_open": ctx.rng.random() < 0.9,
            "price": {"amount": amount, "currency_code": "USD"}}


def _enrollments(store: Store, ctx: SeedContext, members: list[dict], parents: list[dict], link: str, kind: str,
                 domain: str) -> list[dict]:
    rows = []
    for parent in parents:
        for learner in ctx.rng.sample(members, k=min(len(members), ctx.rng.randint(2, 6))):
            purchase = None
            if parent["_offer"]["price"]["amount"] != "0.00" and ctx.rng.random() < 0.6:
                purchase = {"purchase_state": "SUCCESS", "purchase_price": dict(parent["_offer"]["price"]),
                            "purchased_at": ctx.timestamp(-300, -2), "tax_price_cents": 0}
            rows.append({"id": new_id(store, kind), "_domain": domain, link: parent["id"], "_user": learner["id"],
                         "enrolled_at": ctx.timestamp(-300, -1),
                         "expires_at": isoformat(ctx.moment(30, 365)) if ctx.rng.random() < 0.3 else None,
                         "active": ctx.rng.random() < 0.9, "purchase": purchase})
    return rows


def seed(store: Store, ctx: SeedContext, world: World) -> None:
    rng, faker = ctx.rng, ctx.faker
    domain = world.demo_domain
    members = [u for u in world.users if store.get(t.DOMAIN_USERS, t.membership_id(domain, u["id"])) is not None]
    on_demo = [p for p in world.published_courses if p["_domain"] == domain]

    plans = [{"id": new_id(store, "plan"), "_domain": domain, "name": name, "slug": _slug(name),
              "hidden": rng.random() < 0.15, "short_description": academy.blurb(faker.random_element, name),
              "_offer": _offer(store, ctx)} for name in PLAN_NAMES]
    store.insert_many(rules.PLANS, ((p["id"], p) for p in plans))

    paths, items, published = [], [], []
    for n, name in enumerate(PATH_NAMES):
        created = ctx.moment(-500, -20)
        path = {"id": new_id(store, "path"), "title": name,
                "promo_image_url": f"https://cdn.demo-learning.com/paths/{n + 1}/promo.png",
                "short_description": academy.blurb(faker.random_element, name),
                "long_description_html": f"<p>{academy.description(faker.random_element, name, 2)}</p>", "header_html": "",
                "course_name_singular": "course", "course_name_plural": "courses"}
        paths.append(path)
        for order, course in enumerate(rng.sample(world.courses, k=min(len(world.courses), rng.randint(2, 6)))):
            items.append({"id": new_id(store, "path_item"), "_path": path["id"], "_course": course["id"],
                          "_order": order, "slug": f"{_slug(name)}-{order + 1}"})
        if n < len(PATH_NAMES) - 1:  # the last path is not published anywhere yet
            published.append({"id": new_id(store, "published_path"), "_domain": domain, "_path": path["id"],
                              "slug": _slug(name), "hidden": rng.random() < 0.15,
                              "strict_enforce_group_visibility": False, "unique_progress_per_enrollment": False,
                              "created_at": isoformat(created), "modified_at": isoformat(created),
                              "_offer": _offer(store, ctx)})
    store.insert_many(rules.PATHS, ((p["id"], p) for p in paths))
    store.insert_many(rules.PATH_ITEMS, ((i["id"], i) for i in items))
    store.insert_many(rules.PUBLISHED_PATHS, ((p["id"], p) for p in published))

    series = [{"id": new_id(store, "course_series"), "_domain": domain, "title": name, "slug": _slug(name),
               "visible_on_catalog": rng.random() < 0.8,
               "_published_courses": [p["id"] for p in rng.sample(on_demo, k=min(len(on_demo), rng.randint(2, 5)))],
               "_offer": _offer(store, ctx)} for name in SERIES_NAMES]
    store.insert_many(rules.COURSE_SERIES, ((s["id"], s) for s in series))

    fields = []
    for n, (kind, label, options, required) in enumerate(FIELDS):
        fields.append({"id": new_id(store, "signup_field"), "_domain": domain, "type": kind, "label": label,
                       "help_text": "", "regex_validator": "", "regex_validator_error_text": "",
                       "required": required, "active": True, "order": 7000 + 100 * n,
                       "options": [{"id": new_id(store, "signup_field_option"), "value": v} for v in options]})
    store.insert_many(rules.SIGNUP_FIELDS, ((f["id"], f) for f in fields))
    values = []
    for learner in members[1:21]:  # some members filled the form; the demo learner did not
        mirrored = []
        for field in fields:
            if field["type"] == "PICKLIST":
                value = rng.choice(field["options"])["value"]
            elif field["type"] == "CHECKBOX":
                value = "true"
            else:
                value = faker.company() if field["label"] == "Company" else faker.job()
            values.append((rules.value_id(domain, learner["id"], field["id"]),
                           {"_domain": domain, "_user": learner["id"], "_field": field["id"], "value": value}))
            mirrored.append({"signup_field": {"id": field["id"], "label": field["label"]}, "value": value})
        store.update(t.DOMAIN_USERS, t.membership_id(domain, learner["id"]), {"_signup_fields": mirrored})
    store.insert_many(rules.SIGNUP_VALUES, values)

    store.insert_many(rules.PLAN_ENROLLMENTS, ((e["id"], e) for e in
                                               _enrollments(store, ctx, members[1:], plans, "_plan", "plan_enrollment", domain)))
    store.insert_many(rules.PATH_ENROLLMENTS, ((e["id"], e) for e in _enrollments(
        store, ctx, members[1:], published, "_published_path", "published_path_enrollment", domain)))
