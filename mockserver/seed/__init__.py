"""Deterministic world building: one seed drives Faker, every random choice, ids and timestamps.

Each vendor gets its own generators, derived from the seed and the vendor's name, so adding a
vendor (or changing one vendor's seeding) never changes another vendor's world. Timestamps are
placed around ``EPOCH``, a fixed instant, never the wall clock: two starts with the same seed
export byte-identical state. Named records from ``fixtures/<vendor>.yaml`` load first.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import yaml

from mockserver.clock import isoformat
from mockserver.package_data import data_dir

EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)

# Rows per main resource at each scale; a vendor may multiply for its child resources.
SCALE_ROWS = {"small": 300, "medium": 5_000, "large": 50_000}


def load_fixtures(vendor: str) -> dict:
    path = data_dir("fixtures") / f"{vendor}.yaml"
    if not path.exists():
        return {}
    return yaml.load(path.read_text(), Loader=yaml.CSafeLoader) or {}


def derive(seed: int, label: str) -> int:
    return (seed * 1_000_003 + zlib.crc32(label.encode())) & 0xFFFFFFFF


@dataclass
class SeedContext:
    seed: int
    scale: str
    vendor: str
    rng: random.Random = field(init=False)
    faker: Faker = field(init=False)
    fixtures: dict = field(init=False)

    def __post_init__(self):
        sub = derive(self.seed, self.vendor)
        self.rng = random.Random(sub)
        from faker import Faker  # only a world that is not in the cache is seeded

        self.faker = Faker("en_US")
        self.faker.seed_instance(sub)
        self.fixtures = load_fixtures(self.vendor)

    @property
    def rows(self) -> int:
        return SCALE_ROWS[self.scale]

    def moment(self, days_from: float, days_to: float) -> datetime:
        """A second-precision instant between EPOCH+days_from and EPOCH+days_to."""
        seconds = self.rng.randint(int(days_from * 86400), int(days_to * 86400))
        return EPOCH + timedelta(seconds=seconds)

    def timestamp(self, days_from: float, days_to: float) -> str:
        return isoformat(self.moment(days_from, days_to))
