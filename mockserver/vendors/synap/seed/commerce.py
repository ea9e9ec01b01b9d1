"""Seeded records of the Shop, Certificates, Content Metadata, Integrations, Notifications, Search, User Feedback groups."""

from __future__ import annotations


def seed(store, ctx, world) -> None:
    pass
