"""The Synap world: a portal and its sub-portals, user types, groups (the default Students group,
staff groups, an archived cohort, a child group), an admin, a marker and Faker learners with their
memberships, and PATs. Every record is written in the shape the generic controller writes
(resources.blank), ids from the seed."""

from __future__ import annotations

from mockserver.seed import SeedContext
from mockserver.store import Store
from mockserver.vendors.synap.seed import core


def seed(store: Store, ctx: SeedContext) -> None:
    core.seed(store, ctx)
