"""Seeded records of the Authentication, Users, User Groups, Access Policies, Billing groups."""

from __future__ import annotations


def seed(store, ctx, world) -> None:
    pass
