"""Seeding of the Skilljar access resources, on top of the core world: a few access-code pools on
the demo domain with their codes, and groups whose members are the world's users (some groups
linked to pools)."""

from __future__ import annotations

from mockserver.seed import SeedContext
from mockserver.store import Store
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.rules import access
from mockserver.vendors.skilljar.seed.core import World

POOL_NAMES = ("Partner Onboarding 2025", "Customer Success Cohort", "Conference Giveaway", "Internal Pilot")
GROUP_NAMES = ("Partners", "Enterprise Customers", "Internal Staff", "Certified Admins", "Beta Testers", "EMEA Learners")
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def seed(store: Store, ctx: SeedContext, world: World) -> None:
    rng = ctx.rng
    pools, codes, seen = [], [], set()
    for name in POOL_NAMES[:3]:
        pool = {"id": new_id(store, "access_code_pool"), "name": name, "active": rng.random() < 0.8,
                "start_date": ctx.timestamp(-300, -30) if rng.random() < 0.7 else None,
                "end_date": ctx.timestamp(30, 400) if rng.random() < 0.5 else None,
                "expire_linked_to_domain_membership": rng.random() < 0.3,
                "channel": rng.choice(("api", "dashboard", "import")), "_domain": world.demo_domain,
                "_created_at": ctx.timestamp(-300, -30)}
        pools.append(pool)
        for _ in range(rng.randint(4, 12)):
            text = "".join(rng.choice(CODE_ALPHABET) for _ in range(10))
            if text in seen:
                continue
            seen.add(text)
            codes.append({"id": new_id(store, "access_code"), "code": text, "active": rng.random() < 0.9,
                          "max_uses": rng.choice((1, 1, 5, 25, 100)),
                          "duration": rng.choice((None, None, 6, 12)), "duration_unit": rng.choice(("MONTHS", "DAYS")),
                          "_pool": pool["id"], "_domain": world.demo_domain})
    store.insert_many(access.POOLS, ((p["id"], p) for p in pools))
    store.insert_many(access.CODES, ((c["id"], c) for c in codes))

    groups, members, links = [], [], []
    for n, name in enumerate(GROUP_NAMES):
        groups.append({"id": new_id(store, "group"), "name": name,
                       "discount_percent": rng.choice((None, None, 10, 15, 25)), "group_category_id": None,
                       "sign_up_field_rule": {"enforce": False, "require_match_all": False, "options": []},
                       "rule_email_domains": ["demo-learning.com"] if n == 2 else []})
    # The demo learner (the world's first user) is in the first group, so tests can rely on one membership.
    for n, group in enumerate(groups):
        chosen = rng.sample(world.users, k=min(len(world.users), rng.randint(3, 15)))
        if n == 0 and world.users[0] not in chosen:
            chosen.insert(0, world.users[0])
        for user in chosen:
            members.append((access.link_id(group["id"], user["id"]), {
                "id": new_id(store, "group_membership"), "_group": group["id"], "_user": user["id"],
                "created_at": ctx.timestamp(-200, -1)}))
    for group, pool in zip(groups, pools):
        links.append((access.link_id(group["id"], pool["id"]),
                      {"_group": group["id"], "_pool": pool["id"], "created_at": ctx.timestamp(-200, -1)}))
    store.insert_many(access.GROUPS, ((g["id"], g) for g in groups))
    store.insert_many(access.GROUP_USERS, members)
    store.insert_many(access.GROUP_POOLS, links)
