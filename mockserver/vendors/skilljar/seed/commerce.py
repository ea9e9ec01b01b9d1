"""Seeding of the Skilljar commerce resources, on top of the core world.

Offers: one per published course, with the published course's own offer id, price and window.
Promo-code pools (with codes and a few demo-domain offers each), training-credit codes, and
purchases of demo-domain paid offers by demo-domain members: PENDING ones (to fulfill), and a
few SUCCESS ones (with the enrollment they granted and one use of their promo code), FAILED,
CANCELLED and REFUNDED ones. The demo learner always has a PENDING purchase.
"""

from __future__ import annotations

from mockserver.clock import isoformat
from mockserver.seed import SeedContext
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.rules import commerce
from mockserver.vendors.skilljar.seed.core import World

POOL_NAMES = ("Partner Launch", "Spring Sale", "Customer Advisory Board", "Conference Attendees", "Internal Staff",
              "Webinar Follow-up", "Certification Retake")
STATES = ("PENDING",) * 5 + ("SUCCESS", "SUCCESS", "FAILED", "CANCELLED", "REFUNDED", "CREATED")


def seed(store: Store, ctx: SeedContext, world: World) -> None:
    rng = ctx.rng
    titles = {c["id"]: c["title"] for c in world.courses}
    offers = [commerce.offer_from_published_course(p, titles.get(p["_course"], "")) for p in world.published_courses]
    store.insert_many(commerce.OFFERS, ((o["id"], o) for o in offers))
    demo_offers = [o for o in offers if o["_domain"] == world.demo_domain]
    paid = [o for o in demo_offers if o["price_cents"] > 0] or demo_offers

    pools, codes = [], []
    for n in range(min(len(POOL_NAMES), max(3, ctx.rows // 60))):
        percent = rng.random() < 0.6
        starts = ctx.moment(-200, -10)
        pools.append({
            "id": new_id(store, "promo_code_pool"), "name": POOL_NAMES[n], "active": rng.random() < 0.85,
            "starts_at": isoformat(starts), "expires_at": None if rng.random() < 0.4 else isoformat(ctx.moment(30, 300)),
            "expire_content": False, "discount_type": "PERCENT_OFF" if percent else "PRICE_OVERRIDE",
            "price_cents": None if percent else rng.choice((0, 1900, 4900)),
            "percent_off": rng.choice((10, 25, 50, 100)) if percent else None,
            "single_use_per_user": rng.random() < 0.5,
            "_offers": [o["id"] for o in rng.sample(paid, k=min(len(paid), rng.randint(1, 4)))],
        })
        for _ in range(rng.randint(2, 4)):
            codes.append({"id": new_id(store, "promo_code"),
                          "code": f"{POOL_NAMES[n].split()[0].upper()}-{ctx.faker.bothify('????-####').upper()}",
                          "use_count": 0, "max_uses": rng.choice((1, 10, 50, 100)), "active": rng.random() < 0.9,
                          "promo_code_pool_id": pools[-1]["id"]})
    pools_by_id = {p["id"]: p for p in pools}

    credit_codes = []
    for n in range(max(4, ctx.rows // 40)):
        for_all = rng.random() < 0.7
        credit_codes.append({
            "id": new_id(store, "training_credit_code"),
            "training_credit_code": f"TC-{ctx.faker.bothify('????-####').upper()}",
            "credits_used": 0, "credits_total": rng.choice((100, 250, 500, 1000)),
            "expiration_date": None if rng.random() < 0.3 else isoformat(ctx.moment(60, 500)),
            "expire_content": rng.random() < 0.2, "tracking_identifier": f"PO-{2024000 + n}",
            "available_to_all_students": True, "available_for_all_offers": for_all, "_student_groups": [],
            "_offers": [] if for_all else [o["id"] for o in rng.sample(paid, k=min(len(paid), 2))],
        })
    for code in credit_codes:
        code["credits_used"] = rng.randint(0, code["credits_total"] // 2)

    purchases, granted = [], []
    buyers = world.users[: max(12, ctx.rows // 10)]
    for n, buyer in enumerate(buyers):
        state = "PENDING" if n == 0 else rng.choice(STATES)  # world.users[0] is the demo learner
        bought = rng.choice(paid)
        purchased = ctx.moment(-90, -1)
        code = rng.choice(codes) if codes and rng.random() < 0.4 else None
        pool = pools_by_id[code["promo_code_pool_id"]] if code else None
        price = bought["price_cents"]
        if pool:
            price = pool["price_cents"] if pool["discount_type"] == "PRICE_OVERRIDE" else price * (100 - pool["percent_off"]) // 100
        record = {
            "id": new_id(store, "purchase"), "_user": buyer["id"], "_promo_code": code["id"] if code else None,
            "_enrollment": None, "state": state,
            "status_msg": commerce.DEFAULT_STATUS_MSG.get(state, ""), "purchased_at": isoformat(purchased),
            "refunded_at": isoformat(ctx.moment(-1, 0)) if state == "REFUNDED" else None,
            "refund_cents": price if state == "REFUNDED" else None, "payment_processor": "EXTERNAL",
            "order_id": f"ORD-{100000 + n}", "price_cents": price, "quantity": 1, "offer_id": bought["id"],
            "offer_sku": bought["sku"], "offer_description": bought["_description"],
            "offer_price_cents": bought["price_cents"], "promo_code": code["code"] if code else None,
            "promo_code_price_cents": pool["price_cents"] if pool else None,
            "promo_code_percent_off": pool["percent_off"] if pool else None,
            "promo_code_quantity": 1 if code else None, "tax_price_cents": None,
            "payment_processor_order_id": "", "payment_processor_response_data": "",
            "currency_code": "USD",
        }
        if state in ("SUCCESS", "REFUNDED"):
            enrollment = {"id": new_id(store, "enrollment"), "_domain": bought["_domain"],
                          "_published_course": bought["_published_course"], "_user": buyer["id"],
                          "enrolled_at": record["purchased_at"], "expires_at": None, "active": state == "SUCCESS",
                          "purchase": commerce.enrollment_purchase(record), "rating": None, "feedback": None}
            granted.append(enrollment)
            record["_enrollment"] = enrollment["id"]
            record["payment_processor_order_id"] = f"ext_{ctx.faker.bothify('??????####')}"
            if code:
                code["use_count"] += 1
            buyer["_registrations"] = buyer.get("_registrations", 0) + 1
            store.update(t.USERS, buyer["id"], {"_registrations": buyer["_registrations"]})
        purchases.append(record)

    for code in codes:
        code["max_uses"] = max(code["max_uses"], code["use_count"])
    store.insert_many(commerce.PROMO_CODE_POOLS, ((p["id"], p) for p in pools))
    store.insert_many(commerce.PROMO_CODES, ((c["id"], c) for c in codes))
    store.insert_many(commerce.TRAINING_CREDIT_CODES, ((c["id"], c) for c in credit_codes))
    store.insert_many(commerce.PURCHASES, ((p["id"], p) for p in purchases))
    store.insert_many(t.ENROLLMENTS, ((e["id"], e) for e in granted))
