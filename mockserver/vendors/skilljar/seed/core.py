"""The core of the Skilljar world: the demo key, domains, courses published on them, users who are
domain members, and their enrollments; deterministic from the seed. Named records come from
fixtures/skilljar.yaml first (the demo domain, course and learner are always the first ones)."""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.clock import isoformat
from mockserver.seed import SeedContext, academy
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id

TOPICS = ("Product Fundamentals", "Admin Certification", "API Integration", "Security Essentials",
          "Reporting and Analytics", "Customer Onboarding", "Advanced Workflows", "Partner Sales Playbook",
          "Compliance Training", "Data Migration", "Mobile App Basics", "Billing and Invoicing")
LEVELS = ("101", "201", "Masterclass", "Bootcamp", "Quick Start", "Deep Dive")
MAX_COURSES = 500
TIME_FORMATS = ("HOURS_MINUTES_SECONDS", "HOURS_MINUTES", "HOURS_MINUTES_VERBOSE", "MINUTES_VERBOSE")


@dataclass
class World:
    """What the core seeded, for the other parts to link to (records as stored)."""

    domains: list[dict]
    courses: list[dict]
    published_courses: list[dict]
    users: list[dict]
    enrollments: list[dict]

    @property
    def demo_domain(self) -> str:
        return self.domains[0]["name"]


def seed(store: Store, ctx: SeedContext) -> World:
    rng, faker, fixtures = ctx.rng, ctx.faker, ctx.fixtures
    store.insert_many(t.API_KEYS, ((k["key"], k) for k in fixtures.get("api_keys", [])))

    domains = []
    for named in fixtures.get("domains", []):
        domains.append({"id": new_id(store, "domain"), "name": named["name"], "catalog_title": named["catalog_title"],
                        "private": named["private"], "access": named["access"],
                        "access_code_message_html": "<p>Enter the access code from your welcome e-mail.</p>",
                        "marketing_message": f"Learn with {named['catalog_title']}."})
    store.insert_many(t.DOMAINS, ((d["name"], d) for d in domains))

    courses = []
    # Learners grow with the scale; a catalog stays in the hundreds, as real organizations' do
    # (and every course brings its lessons, content items and progress along).
    for n in range(min(max(ctx.rows // 3, 10), MAX_COURSES)):
        named = fixtures.get("courses", [])[n] if n < len(fixtures.get("courses", [])) else None
        created = ctx.moment(-700, -30)
        lessons = rng.randint(3, 24)
        title = named["title"] if named else f"{rng.choice(TOPICS)} {rng.choice(LEVELS)}"
        courses.append({
            "id": new_id(store, "course"),
            "title": title,
            "short_description": named["short_description"] if named else academy.blurb(faker.random_element, title),
            "long_description_html": f"<p>{academy.description(faker.random_element, title)}</p>",
            "enforce_sequential_navigation": rng.random() < 0.4,
            "labels": named["labels"] if named else rng.sample(["Onboarding", "Advanced", "Certification", "Partner", "Admin", "Developer"], 2),
            "promo_image_url": f"https://cdn.demo-learning.com/courses/{n + 1}/promo.png",
            "display_course_and_lesson_time": rng.random() < 0.5,
            "manual_course_time": "",
            "display_manual_course_time": False,
            "course_and_lesson_time_format": rng.choice(TIME_FORMATS),
            "course_time": f"{lessons * 7} minutes",
            "created_at": isoformat(created),
            "modified_at": isoformat(created),
            "average_rating": round(rng.uniform(3.2, 5.0), 2),
            "_lesson_count": lessons,
            "_required_lesson_count": max(1, lessons - rng.randint(0, 3)),
        })
    store.insert_many(t.COURSES, ((c["id"], c) for c in courses))

    published = []
    for n, course in enumerate(courses):
        for d, domain in enumerate(domains):
            if d > 0 and rng.random() > 0.3:
                continue
            price = "0.00" if rng.random() < 0.6 else f"{rng.choice((49, 99, 199, 299))}.00"
            published.append({
                "id": new_id(store, "published_course"), "_domain": domain["name"], "_course": course["id"],
                "slug": f"{course['title'].lower().replace(' ', '-')}-{n + 1}", "hidden": rng.random() < 0.1,
                "strict_enforce_group_visibility": False, "registration_required": rng.random() < 0.2,
                "registration_starts_at": course["created_at"],
                "registration_ends_at": isoformat(ctx.moment(365, 3 * 365)),
                "restrict_access_start_end_dates": False, "allow_self_service_reenroll": True,
                "unique_progress_per_enrollment": False, "require_all_prerequisites": False,
                "timezone": "America/Los_Angeles",
                "_offer": {"id": new_id(store, "offer"), "registration_open": True,
                           "price": {"amount": price, "currency_code": "USD"}},
            })
    store.insert_many(t.PUBLISHED_COURSES, ((p["id"], p) for p in published))

    learners = []
    named_learners = fixtures.get("learners", [])
    # Faker is slow per call (~30 µs): draw learners' names from pools it fills once.
    pool = min(ctx.rows, 1000)
    first_names = [faker.first_name() for _ in range(pool)]
    last_names = [faker.last_name() for _ in range(pool)]
    mail_domains = [faker.free_email_domain() for _ in range(max(pool // 50, 3))]
    for n in range(ctx.rows):
        named = named_learners[n] if n < len(named_learners) else None
        first, last = (named["first_name"], named["last_name"]) if named else (rng.choice(first_names), rng.choice(last_names))
        email = named["email"] if named else f"{first}.{last}.{n}@{rng.choice(mail_domains)}".lower()
        learners.append({"id": new_id(store, "user"), "email": email, "first_name": first, "last_name": last,
                         "_signed_up_at": ctx.timestamp(-600, -20), "_registrations": 0, "_completions": 0,
                         "_inactive_at": None})
    memberships, enrolled = [], []
    demo_domain = domains[0]["name"]
    on_demo = [p for p in published if p["_domain"] == demo_domain]
    for learner in learners:
        memberships.append((t.membership_id(demo_domain, learner["id"]), {
            "_domain": demo_domain, "_user": learner["id"], "active": rng.random() < 0.95,
            "marketing_optin": rng.random() < 0.5, "enrolled_at": learner["_signed_up_at"],
            "expires_at": None, "access_code": None, "_signup_fields": []}))
        for course in rng.sample(on_demo, k=min(len(on_demo), rng.randint(0, 3))):
            enrolled.append({"id": new_id(store, "enrollment"), "_domain": demo_domain,
                             "_published_course": course["id"], "_user": learner["id"],
                             "enrolled_at": ctx.timestamp(-400, -1), "expires_at": None, "active": True,
                             "purchase": None, "rating": rng.choice((None, None, 4, 5)), "feedback": None})
            learner["_registrations"] += 1
            learner["_latest_activity"] = enrolled[-1]["enrolled_at"]
    store.insert_many(t.USERS, ((u["id"], u) for u in learners))
    store.insert_many(t.DOMAIN_USERS, memberships)
    store.insert_many(t.ENROLLMENTS, ((e["id"], e) for e in enrolled))
    return World(domains, courses, published, learners, enrolled)
