"""The Skilljar world, built in order: the core (keys, domains, courses, published courses, users,
memberships, enrollments), then each group of resources on top of it. Each part takes the
``World`` the core built, so it can link to real records."""

from __future__ import annotations

from mockserver.seed import SeedContext
from mockserver.store import Store
from mockserver.vendors.skilljar.seed import access, catalog, commerce, content, core, journeys, live

PARTS = (content, access, commerce, journeys, live, catalog)


def seed(store: Store, ctx: SeedContext) -> None:
    world = core.seed(store, ctx)
    for part in PARTS:
        part.seed(store, ctx, world)
