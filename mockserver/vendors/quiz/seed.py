"""The quiz world: the demo token and named sessions from fixtures/quiz.yaml, then Faker bulk.

Bulk sessions are spread over the year before the seed epoch; the ones still ``started``
expire between one and four years after it, so the seeded world stays usable with the real
clock (move the sandbox clock forward to watch them expire).
"""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import isoformat
from mockserver.seed import SeedContext
from mockserver.store import Store
from mockserver.vendors.quiz.auth import TOKENS
from mockserver.vendors.quiz.rules.sessions import TABLE

SUBJECTS = (
    "Python Fundamentals", "Data Privacy Essentials", "Workplace Safety", "SQL for Analysts",
    "Customer Success Basics", "Cloud Security", "Project Management", "Anti-Bribery Compliance",
    "Kubernetes Operations", "Financial Literacy", "Negotiation Skills", "Accessibility in Design",
    "Machine Learning Primer", "Incident Response", "Product Onboarding", "GDPR Awareness",
    "Sales Discovery Calls", "Leadership Foundations", "Secure Coding", "Excel Power User",
)
# The other fifth: school and university subjects and more of an academy's catalogue, so every
# name reads like a real quiz (#20 part 7); drawn with the vendor's Faker, whose stream only this uses.
MORE_SUBJECTS = (
    "Algebra I", "Organic Chemistry", "World History", "Introduction to Psychology", "Macroeconomics",
    "Cell Biology", "Statistics 101", "English Composition", "Spanish for Beginners", "Calculus II",
    "Code of Conduct", "Information Security Awareness", "Harassment Prevention", "Export Controls",
    "New Hire Orientation", "Benefits Enrollment", "Platform Admin Certification", "API Integration Basics",
    "Reporting and Dashboards", "Release Notes Walkthrough",
)
FORMATS = ("Checkpoint Quiz", "Final Exam", "Practice Test", "Knowledge Check", "Certification Exam")
STATUS_WEIGHTS = (("completed", 55), ("started", 20), ("cancelled", 10), ("expired", 15))


def seed(store: Store, ctx: SeedContext) -> None:
    fixtures = ctx.fixtures
    store.insert_many(TOKENS, ((t["token"], t) for t in fixtures.get("tokens", [])))

    named = [dict(row) for row in fixtures.get("sessions", [])]
    rows = []
    rng, faker = ctx.rng, ctx.faker
    people = [1000 + i for i in range(max(ctx.rows // 3, 10))]
    statuses = [s for s, _ in STATUS_WEIGHTS]
    weights = [w for _, w in STATUS_WEIGHTS]
    for _ in range(ctx.rows):
        status = rng.choices(statuses, weights)[0]
        created = ctx.moment(-365, -1)
        if status == "started":
            expires = ctx.moment(365, 4 * 365)
        else:
            expires = created + timedelta(minutes=rng.choice((30, 45, 60, 90, 120)))
        score = round(rng.uniform(20, 100), 1) if status == "completed" else None
        subject = rng.choice(SUBJECTS) if rng.random() < 0.8 else faker.random_element(MORE_SUBJECTS)
        rows.append(
            {
                "person_id": rng.choice(people),
                "created_at": isoformat(created),
                "name": f"{subject} {rng.choice(FORMATS)}",
                "status": status,
                "expires_at": isoformat(expires),
                "score": score,
            }
        )
    store.insert_many(TABLE, ((row["id"], row) for row in named))
    first = max((row["id"] for row in named), default=0) + 1
    store.insert_many(TABLE, ((i, {"id": i, **row}) for i, row in enumerate(rows, start=first)))
