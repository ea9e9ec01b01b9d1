"""Catalog pages, their items and content blocks (rules in rules/catalog.py); reads, order changes
and typed-block settings are generic (x-mock)."""

from __future__ import annotations

from mockserver.responses import NoContent

from mockserver.sandbox import current
from mockserver.vendors.skilljar.rules import catalog as rules
from mockserver.vendors.skilljar.records import public
from mockserver.vendors.skilljar.serializers.catalog import catalog_page


def domains_catalog_pages_create(domain_name, body):
    return catalog_page(rules.create_page(current().store, domain_name, body)), 201


def domains_catalog_pages_destroy(domain_name, catalog_page_id):
    rules.delete_page(current().store, domain_name, catalog_page_id)
    return NoContent, 204


def domains_catalog_pages_classic_page_items_create(domain_name, catalog_page_id, body):
    return public(rules.add_classic_item(current().store, domain_name, catalog_page_id, body)), 201


def domains_catalog_pages_content_blocks_create(domain_name, catalog_page_id, body):
    return public(rules.add_block(current().store, domain_name, catalog_page_id, body)), 201


def domains_catalog_pages_content_blocks_destroy(domain_name, catalog_page_id, id):  # noqa: A002 - official name
    rules.delete_block(current().store, domain_name, catalog_page_id, id)
    return NoContent, 204


def domains_catalog_pages_tile_container_content_blocks_items_create(domain_name, catalog_page_id, tile_container_id, body):
    store = current().store
    return public(rules.add_tile(store, domain_name, catalog_page_id, tile_container_id, body)), 201


__all__ = [name for name in dir() if name.startswith("domains_")]
