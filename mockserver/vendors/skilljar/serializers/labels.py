"""A course's labels."""

from __future__ import annotations


def course_label(label: dict) -> dict:
    return {"label": {"id": label["id"], "name": label["name"]}}
