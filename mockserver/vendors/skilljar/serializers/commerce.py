"""Offers, promo-code pools and codes, training-credit codes, purchases, license packages and seats."""

from __future__ import annotations

from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.records import public
from mockserver.vendors.skilljar.rules import commerce, licenses
from mockserver.vendors.skilljar.serializers.core import user


def offer_item(record: dict, store: Store | None = None) -> dict:
    return public(record)


def pool_list_item(record: dict, store: Store | None = None) -> dict:
    return {k: record[k] for k in ("id", "name", "active", "price_cents", "percent_off", "starts_at", "expires_at",
                                   "expire_content")}


def pool_created(record: dict, store: Store | None = None) -> dict:
    return {**pool_list_item(record), "discount_type": record["discount_type"],
            "single_use_per_user": record["single_use_per_user"]}


def pool_updated(record: dict, store: Store | None = None) -> dict:
    return {k: record[k] for k in ("id", "name", "active", "starts_at", "expires_at", "expire_content")}


def promo_code(record: dict, store: Store | None = None) -> dict:
    return public(record)


def credit_code(record: dict, store: Store | None = None) -> dict:
    return {k: record[k] for k in ("id", "training_credit_code", "credits_used", "credits_total", "expiration_date",
                                   "expire_content", "tracking_identifier")}


def credit_code_detail(record: dict, store: Store | None = None) -> dict:
    return {**credit_code(record), "available_to_all_students": record["available_to_all_students"],
            "available_for_all_offers": record["available_for_all_offers"]}


def credit_code_retrieved(record: dict, store: Store | None = None) -> dict:
    """GET of one code also names the groups and offers it is limited to (official
    TrainingCreditCodesRetrieve: ``student_groups`` and ``offers``, lists of ids)."""
    return {**credit_code_detail(record), "student_groups": list(record.get("_student_groups") or []),
            "offers": list(record.get("_offers") or [])}


def purchase(record: dict, store: Store) -> dict:
    learner = store.get(t.USERS, record["_user"])
    return {"id": record["id"], "user": user(learner), **public(record)}


def pool_offers(record: dict, store: Store) -> dict:
    return {"offers": [offer_item(store.get(commerce.OFFERS, o)) for o in record["_offers"]]}


def license_package(record: dict, store: Store) -> dict:
    return {**public(record), "license_seats_remaining": licenses.remaining(store, record),
            "offer_ids": list(record["_offers"])}


def license_package_written(record: dict) -> dict:
    return {k: record[k] for k in ("id", "tracking_id", "start_date", "end_date", "domain_id", "license_count", "name",
                                   "max_unique_seats")}


def license_seat(record: dict, store: Store) -> dict:
    student = store.get(t.USERS, record["_user"]) or {"id": record["_user"], "email": "", "first_name": "", "last_name": ""}
    return {"id": record["id"], "student": {k: student[k] for k in ("id", "first_name", "last_name", "email")},
            "enrolled_at": record["enrolled_at"], "active": record["active"]}
