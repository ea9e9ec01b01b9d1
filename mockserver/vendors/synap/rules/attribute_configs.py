"""AttributeConfig: a custom metadata field of content. ``key`` is unique and fixed once created;
select and multiSelect fields need at least one option. Views of the same table: the isPublic ones
(PublicAttributeConfig) and the isFilterable ones (FacetConfig)."""

from __future__ import annotations

from mockserver.vendors.synap.errors import invalid
from mockserver.vendors.synap.records import table
from mockserver.vendors.synap.rules.access import allow  # noqa: F401  (the hook: admins write)

CHOICES = ("select", "multiSelect")


def _options(attrs: dict) -> None:
    if attrs.get("dataType") in CHOICES and not attrs.get("options"):
        raise invalid(("attributes", "options"), f"A {attrs['dataType']} attribute needs at least one option.")


def create(call, record, body) -> None:
    key = record["attributes"]["key"]
    if any(r["attributes"]["key"] == key for r in call.store.rows(table("AttributeConfig"))):
        raise invalid(("attributes", "key"), f"An attribute with the key {key!r} already exists.")
    _options(record["attributes"])


def update(call, record, changes) -> None:
    if "key" in changes and changes["key"] != record["attributes"]["key"]:
        raise invalid(("attributes", "key"), "An attribute's key cannot change once created.")
    _options({**record["attributes"], **changes})
