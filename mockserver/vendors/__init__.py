"""The one registry of vendor packages: adding a vendor is one folder and one line here."""

from __future__ import annotations

import importlib

from mockserver.vendor import Vendor

REGISTRY = {
    "canvas": "mockserver.vendors.canvas",
    "quiz": "mockserver.vendors.quiz",
    "skilljar": "mockserver.vendors.skilljar",
    "synap": "mockserver.vendors.synap",
}


def load(name: str) -> Vendor:
    if name not in REGISTRY:
        raise ValueError(f"unknown vendor {name!r} (known: {', '.join(sorted(REGISTRY))})")
    return importlib.import_module(REGISTRY[name]).VENDOR


def selected(only: str | None = None) -> list[Vendor]:
    return [load(only)] if only else [load(name) for name in REGISTRY]
