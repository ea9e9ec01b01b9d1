"""Seeded records of the Courses, Revision, Mobile groups."""

from __future__ import annotations


def seed(store, ctx, world) -> None:
    pass
