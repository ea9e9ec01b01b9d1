"""Seeding of the Skilljar live resources, on top of the core world."""

from __future__ import annotations

from mockserver.seed import SeedContext
from mockserver.store import Store
from mockserver.vendors.skilljar.seed.core import World


def seed(store: Store, ctx: SeedContext, world: World) -> None:
    """Filled in with the live resources' own records."""
