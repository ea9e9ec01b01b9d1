"""The Canvas world, built in order: the account tree, terms and institution directory; then the
people, their courses, sections and enrollments; then what they did (tokens, global notifications,
report runs) and their coursework (assignment groups, assignments, submissions).
Named records come from fixtures/canvas.yaml first; Faker fills the rest, deterministic from the seed."""

from __future__ import annotations

from mockserver.seed import SeedContext
from mockserver.store import Store
from mockserver.vendors.canvas.seed import accounts, activity, coursework, people


def seed(store: Store, ctx: SeedContext) -> None:
    accounts.seed(store, ctx)
    people.seed(store, ctx)
    activity.seed(store, ctx)
    coursework.seed(store, ctx)
