"""Seeded records of the Collections, Library groups."""

from __future__ import annotations


def seed(store, ctx, world) -> None:
    pass
