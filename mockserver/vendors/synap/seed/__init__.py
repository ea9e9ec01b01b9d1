"""The Synap world: the core (a portal and its sub-portals, user types, groups, an admin, a marker,
Faker learners with their memberships, PATs), then each group of resources on top of it in this
order, so a later part may link to what an earlier one made. Every record is written in the shape
the generic controller writes (records.blank), ids from the seed."""

from __future__ import annotations

from mockserver.seed import SeedContext
from mockserver.store import Store
from mockserver.vendors.synap.seed import (
    accounts,
    attempts,
    collections,
    commerce,
    core,
    courses,
    exams,
    quizzes,
)

PARTS = (accounts, quizzes, collections, exams, courses, commerce, attempts)


def seed(store: Store, ctx: SeedContext) -> None:
    world = core.seed(store, ctx)
    for part in PARTS:
        part.seed(store, ctx, world)
