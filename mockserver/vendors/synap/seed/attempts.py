"""Seeded records of the Attempts, Marking, Proctoring groups."""

from __future__ import annotations


def seed(store, ctx, world) -> None:
    pass
