"""Seeded records of the Exams, Assignments, Insights, Auditing groups."""

from __future__ import annotations


def seed(store, ctx, world) -> None:
    pass
