"""Skilljar commerce operations: offers, promo-code pools and codes, training-credit codes,
purchases (rules in rules/commerce.py). Lists documented as "1000 results per page" page by 250."""

from __future__ import annotations

from mockserver.responses import NoContent
from mockserver.sandbox import current
from mockserver.vendors.skilljar import resources
from mockserver.vendors.skilljar.rules import commerce, events, licenses
from mockserver.vendors.skilljar.serializers.core import enrollment
from mockserver.vendors.skilljar.serializers.commerce import (
    offer_item, pool_list_item, pool_created, pool_updated, promo_code, credit_code_detail, purchase, pool_offers,
    license_package_written, license_seat,
)

__all__ = [
    "promo_code_pools_list", "promo_code_pools_create", "promo_code_pools_update",
    "promo_code_pools_partial_update", "promo_code_pools_destroy", "promo_code_pools_offers_list",
    "promo_code_pools_offers_create", "promo_codes_create", "promo_codes_update", "promo_codes_partial_update",
    "training_credit_codes_create", "training_credit_codes_partial_update", "purchases_update",
    "purchases_partial_update", "purchases_fulfill_create",
]

# -- promo-code pools -----------------------------------------------------------------------------

POOLS_LIST = {"serializer": pool_list_item, "page_size": 250, "filters": {"name": "name"}}


def promo_code_pools_list(offer_id=None, **params):
    store = current().store
    rows = store.rows(commerce.PROMO_CODE_POOLS)
    if offer_id is not None:
        rows = [p for p in rows if offer_id in p["_offers"]]
    return resources.respond_list(POOLS_LIST, rows, params, store)


def promo_code_pools_create(body):
    return pool_created(commerce.create_pool(current().store, body)), 201


def promo_code_pools_update(promo_code_pool_id, body=None):
    return pool_updated(commerce.update_pool(current().store, promo_code_pool_id, body))


promo_code_pools_partial_update = promo_code_pools_update


def promo_code_pools_destroy(promo_code_pool_id):
    commerce.delete_pool(current().store, promo_code_pool_id)
    return NoContent, 204


def promo_code_pools_offers_list(promo_code_pool_id, **params):
    # The official list pages PromoCodePoolOffer objects ({offers: [...]}): one, for the pool.
    store = current().store
    record = commerce.pool(store, promo_code_pool_id)
    return resources.respond_list({"serializer": pool_offers, "page_size": 250},
                                  [record], params, store)


def promo_code_pools_offers_create(promo_code_pool_id, body):
    store = current().store
    offer_ids = [item["id"] for item in body] if isinstance(body, list) else [body["id"]]
    return pool_offers(commerce.attach_offers(store, promo_code_pool_id, offer_ids), store), 201


# -- promo codes ----------------------------------------------------------------------------------


def promo_codes_create(body):
    return promo_code(commerce.create_code(current().store, body)), 201


def promo_codes_update(promo_code_id, body=None):
    return promo_code(commerce.update_code(current().store, promo_code_id, body))


promo_codes_partial_update = promo_codes_update


# -- training-credit codes ------------------------------------------------------------------------


def training_credit_codes_create(body):
    return credit_code_detail(commerce.create_credit_code(current().store, body)), 201


def training_credit_codes_partial_update(training_credit_code_id, body=None):
    return credit_code_detail(commerce.update_credit_code(current().store, training_credit_code_id, body))


# -- purchases ------------------------------------------------------------------------------------


def purchases_update(purchase_id, body=None):
    sandbox = current()
    return purchase(commerce.update_purchase(sandbox.store, purchase_id, body, sandbox.now()), sandbox.store)


purchases_partial_update = purchases_update


def purchases_fulfill_create(purchase_id, body):
    sandbox = current()
    store = sandbox.store
    record, changed, enrolled = commerce.fulfill(store, purchase_id, body, sandbox.now())
    answer = {"redirect_url": commerce.redirect_url(store, record), "purchase": purchase(record, store)}
    if enrolled is not None:
        granted = store.get(commerce.OFFERS, record["offer_id"])
        events.emit("COURSE_ENROLLMENT", {"domain": granted["_domain"], "published_course_id": granted["_published_course"],
                                          **enrollment(enrolled, store)})
    if changed:
        events.emit("PURCHASE_FULFILLMENT", answer["purchase"])
    return answer


# -- past seed 003: offer prices, detaching offers, deleting codes, license packages ----------------


def offers_update(offer_id, body=None):
    return offer_item(commerce.update_offer(current().store, offer_id, body))


offers_partial_update = offers_update


def promo_code_pools_offers_destroy(promo_code_pool_id, offer_id):
    commerce.detach_offer(current().store, promo_code_pool_id, offer_id)
    return NoContent, 204


def promo_codes_destroy(promo_code_id):
    commerce.delete_code(current().store, promo_code_id)
    return NoContent, 204


def license_packages_create(body):
    sandbox = current()
    return license_package_written(licenses.create(sandbox.store, body, sandbox.now())), 201


def license_packages_partial_update(license_package_id, body=None):
    record = licenses.update(current().store, license_package_id, body)
    return {k: v for k, v in license_package_written(record).items() if k != "domain_id"}


def license_packages_destroy(license_package_id):
    licenses.delete(current().store, license_package_id)
    return NoContent, 204


def license_packages_students_create(license_package_id, body):
    sandbox = current()
    record = licenses.take_seat(sandbox.store, license_package_id, body, sandbox.now())
    seat = license_seat(record, sandbox.store)
    return {**seat, "active": record["active"]}, 201


def license_packages_students_update(license_package_id, student_id, body=None):
    store = current().store
    return license_seat(licenses.update_seat(store, license_package_id, student_id, body), store)


license_packages_students_partial_update = license_packages_students_update


__all__ += ["offers_update", "offers_partial_update", "promo_code_pools_offers_destroy", "promo_codes_destroy",
            "license_packages_create", "license_packages_partial_update", "license_packages_destroy",
            "license_packages_students_create", "license_packages_students_update",
            "license_packages_students_partial_update"]
