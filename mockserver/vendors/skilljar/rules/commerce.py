"""Commerce: offers, promo-code pools and codes, training-credit codes, purchases (no HTTP here).

- Offers are the published courses' offers (the same ids as ``published_course.offer.id``); an
  offer grants its published course (``_published_course`` on ``_domain``).
- Deleting a promo-code pool deletes its codes; purchases that used them keep their prices but
  lose the code reference (``promo_code`` null: seed 003 "null value for code_used").
- A pool's offers are a list of offer ids (``_offers``); attaching one twice is a no-op.
- Promo codes and training-credit codes are unique by their code [inferred: DRF unique field].
- Fulfilling a purchase with SUCCESS enrolls its user in the offer's published course
  (rules.enrollments.create: the user must be a member of the offer's domain), counts one use of
  its promo code and records the enrollment; FAILED / CANCELLED record ``status_msg`` (the
  request's ``error_msg``). Only an open purchase (CREATED, PENDING, FLAGGED, FAILED) can be
  fulfilled; SUCCESS again on a fulfilled purchase changes nothing [inferred].
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from mockserver.clock import isoformat
from mockserver.errors import InvalidRequest, NotFound, Violation
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.records import normalise, require
from mockserver.vendors.skilljar.rules import enrollments

OFFERS = "skilljar_offers"
PROMO_CODE_POOLS = "skilljar_promo_code_pools"
PROMO_CODES = "skilljar_promo_codes"
TRAINING_CREDIT_CODES = "skilljar_training_credit_codes"
PURCHASES = "skilljar_purchases"

POOL_FIELDS = ("name", "active", "starts_at", "expires_at", "expire_content", "discount_type", "price_cents",
               "percent_off", "single_use_per_user")
POOL_UPDATABLE = ("name", "active", "starts_at", "expires_at", "expire_content")
CODE_UPDATABLE = ("code", "max_uses", "active")
CREDIT_FIELDS = ("training_credit_code", "credits_total", "expiration_date", "expire_content", "tracking_identifier",
                 "available_to_all_students", "available_for_all_offers")
CREDIT_UPDATABLE = ("credits_total", "expiration_date", "expire_content", "tracking_identifier",
                    "available_to_all_students", "available_for_all_offers")
PURCHASE_UPDATABLE = ("state", "refunded_at", "refund_cents", "price_cents", "tax_price_cents")
OPEN_STATES = ("CREATED", "PENDING", "FLAGGED", "FAILED")
DEFAULT_STATUS_MSG = {"FAILED": "Payment failed.", "CANCELLED": "Purchase cancelled."}  # [inferred]


def _invalid(field: tuple, message: str) -> InvalidRequest:
    return InvalidRequest(message, violations=[Violation("body", field, message)])


def _missing_pk(field: tuple, value) -> InvalidRequest:
    return _invalid(field, f'Invalid pk "{value}" - object does not exist.')


def cents(amount: str) -> int:
    return int(Decimal(amount) * 100)


def price(amount_cents: int | None, currency: str) -> dict:
    return {"amount": f"{Decimal(amount_cents or 0) / 100:.2f}", "currency_code": currency}


# -- offers -----------------------------------------------------------------------------------


def offer_from_published_course(published: dict, course_title: str) -> dict:
    offer = published["_offer"]
    return {
        "id": offer["id"],
        "published_course_id": published["id"],
        "domain_name": published["_domain"],
        "offer_type": "published_course",
        "price_cents": cents(offer["price"]["amount"]),
        "currency_code": offer["price"]["currency_code"],
        "price_credits": None,
        "sku": f"PC-{published['id'].upper()}",
        "max_quantity": 1,
        "active": offer["registration_open"],
        "starts_at": published.get("registration_starts_at"),
        "ends_at": published.get("registration_ends_at"),
        "linked_to_plan": False,
        "_domain": published["_domain"],
        "_published_course": published["id"],
        "_description": course_title,
    }


def offer(store: Store, offer_id: str, field: tuple = ("id",)) -> dict:
    record = store.get(OFFERS, offer_id)
    if record is None:
        raise _missing_pk(field, offer_id)
    return record


def update_offer(store: Store, offer_id: str, body: dict) -> dict:
    """The price of an offer (``price_cents``, ``currency_code``, ``price_credits``); a course's
    offer price shows on its published course too (its ``offer.price``)."""
    changes = {k: v for k, v in (body or {}).items() if k in ("price_cents", "currency_code", "price_credits")}
    with store.transaction():
        record = require(store, OFFERS, offer_id, "offer")
        updated = store.update(OFFERS, offer_id, changes)
        published = store.get(t.PUBLISHED_COURSES, record.get("_published_course") or "")
        if published is not None and published["_offer"]["id"] == offer_id:
            store.update(t.PUBLISHED_COURSES, published["id"], {"_offer": {
                **published["_offer"], "price": price(updated["price_cents"], updated["currency_code"])}})
        return updated


def detach_offer(store: Store, pool_id: str, offer_id: str) -> None:
    with store.transaction():
        record = pool(store, pool_id)
        if offer_id not in record["_offers"]:
            raise NotFound("offer not in pool")
        store.update(PROMO_CODE_POOLS, pool_id, {"_offers": [o for o in record["_offers"] if o != offer_id]})


# -- promo-code pools ---------------------------------------------------------------------------


def pool(store: Store, pool_id: str) -> dict:
    return require(store, PROMO_CODE_POOLS, pool_id, "promo code pool")


def _check_discount(record: dict) -> None:
    if record["discount_type"] == "PRICE_OVERRIDE":
        if record.get("price_cents") is None:
            raise _invalid(("price_cents",), "This field is required when discount_type is PRICE_OVERRIDE.")
        if record["price_cents"] < 0:
            raise _invalid(("price_cents",), "Ensure this value is greater than or equal to 0.")
    elif record.get("percent_off") is None:
        raise _invalid(("percent_off",), "This field is required when discount_type is PERCENT_OFF.")
    elif not 0 <= record["percent_off"] <= 100:
        raise _invalid(("percent_off",), "Ensure this value is between 0 and 100.")


def _check_period(record: dict) -> None:
    if record.get("expires_at") and record.get("starts_at") and record["expires_at"] <= record["starts_at"]:
        raise _invalid(("expires_at",), "expires_at must be later than starts_at.")


def create_pool(store: Store, body: dict) -> dict:
    fields = normalise({k: v for k, v in body.items() if k in POOL_FIELDS})
    record = {"active": True, "expires_at": None, "expire_content": False, "price_cents": None, "percent_off": None,
              "single_use_per_user": False, **fields, "_offers": []}
    _check_discount(record)
    _check_period(record)
    # The discount that does not apply is null [inferred].
    record["percent_off" if record["discount_type"] == "PRICE_OVERRIDE" else "price_cents"] = None
    with store.transaction():
        record["id"] = new_id(store, "promo_code_pool")
        store.insert(PROMO_CODE_POOLS, record["id"], record)
    return record


def update_pool(store: Store, pool_id: str, body: dict) -> dict:
    changes = normalise({k: v for k, v in (body or {}).items() if k in POOL_UPDATABLE})
    with store.transaction():
        _check_period({**pool(store, pool_id), **changes})
        return store.update(PROMO_CODE_POOLS, pool_id, changes)


def delete_pool(store: Store, pool_id: str) -> None:
    with store.transaction():
        pool(store, pool_id)
        codes = {c["id"] for c in store.rows(PROMO_CODES) if c["promo_code_pool_id"] == pool_id}
        for code_id in codes:
            store.delete(PROMO_CODES, code_id)
        for purchase in store.rows(PURCHASES):
            if purchase.get("_promo_code") in codes:
                store.update(PURCHASES, purchase["id"], {"_promo_code": None, "promo_code": None})
        store.delete(PROMO_CODE_POOLS, pool_id)


def delete_code(store: Store, code_id: str) -> None:
    """Purchases that used the code keep a null code (seed 003: "null value for code_used")."""
    with store.transaction():
        require(store, PROMO_CODES, code_id, "promo code")
        store.delete(PROMO_CODES, code_id)
        for purchase in store.rows(PURCHASES):
            if purchase.get("_promo_code") == code_id:
                store.update(PURCHASES, purchase["id"], {"_promo_code": None, "promo_code": None})


def attach_offers(store: Store, pool_id: str, offer_ids: list[str]) -> dict:
    with store.transaction():
        record = pool(store, pool_id)
        for n, offer_id in enumerate(offer_ids):
            offer(store, offer_id, (n, "id") if len(offer_ids) > 1 else ("id",))
        attached = list(record["_offers"])
        attached += [o for o in dict.fromkeys(offer_ids) if o not in attached]
        return store.update(PROMO_CODE_POOLS, pool_id, {"_offers": attached})


# -- promo codes --------------------------------------------------------------------------------


def _unique_code(store: Store, table: str, field: str, value: str, other_than: str | None = None) -> None:
    if any(row[field] == value and row["id"] != other_than for row in store.rows(table)):
        raise _invalid((field,), f"A code with this {field} already exists.")


def create_code(store: Store, body: dict) -> dict:
    with store.transaction():
        if store.get(PROMO_CODE_POOLS, body["promo_code_pool_id"]) is None:
            raise _missing_pk(("promo_code_pool_id",), body["promo_code_pool_id"])
        _unique_code(store, PROMO_CODES, "code", body["code"])
        record = {"id": new_id(store, "promo_code"), "code": body["code"], "use_count": 0,
                  "max_uses": body["max_uses"], "active": body.get("active", True),
                  "promo_code_pool_id": body["promo_code_pool_id"]}
        store.insert(PROMO_CODES, record["id"], record)
    return record


def update_code(store: Store, code_id: str, body: dict) -> dict:
    changes = {k: v for k, v in (body or {}).items() if k in CODE_UPDATABLE}
    with store.transaction():
        record = require(store, PROMO_CODES, code_id, "promo code")
        if "code" in changes:
            _unique_code(store, PROMO_CODES, "code", changes["code"], other_than=code_id)
        if changes.get("max_uses", record["max_uses"]) < record["use_count"]:
            raise _invalid(("max_uses",), f"Ensure this value is greater than or equal to the use count ({record['use_count']}).")
        return store.update(PROMO_CODES, code_id, changes)


# -- training-credit codes -------------------------------------------------------------------------


def _datetime(field: str, value: str) -> str:
    try:
        return normalise({"value_at": value})["value_at"]
    except InvalidRequest as error:
        raise _invalid((field,), error.violations[0].message) from None


def _check_audience(store: Store, record: dict) -> None:
    if not record["available_to_all_students"] and not record["_student_groups"]:
        raise _invalid(("student_groups",), "This field is required when available_to_all_students is false.")
    if not record["available_for_all_offers"] and not record["_offers"]:
        raise _invalid(("offers",), "This field is required when available_for_all_offers is false.")
    for offer_id in record["_offers"]:
        offer(store, offer_id, ("offers",))


def create_credit_code(store: Store, body: dict) -> dict:
    fields = normalise({k: v for k, v in body.items() if k in CREDIT_FIELDS})
    if fields.get("expiration_date"):
        fields["expiration_date"] = _datetime("expiration_date", fields["expiration_date"])
    record = {"credits_used": 0, "expiration_date": None, "expire_content": False, "tracking_identifier": "",
              "available_to_all_students": True, "available_for_all_offers": True, **fields,
              "_student_groups": list(dict.fromkeys(body.get("student_groups") or [])),
              "_offers": list(dict.fromkeys(body.get("offers") or []))}
    with store.transaction():
        _check_audience(store, record)
        _unique_code(store, TRAINING_CREDIT_CODES, "training_credit_code", record["training_credit_code"])
        record["id"] = new_id(store, "training_credit_code")
        store.insert(TRAINING_CREDIT_CODES, record["id"], record)
    return record


def _add_remove(current: list, change: dict | None) -> list:
    result = list(current)
    for item in (change or {}).get("add") or []:
        if item not in result:
            result.append(item)
    removed = set((change or {}).get("remove") or [])
    return [item for item in result if item not in removed]


def update_credit_code(store: Store, code_id: str, body: dict) -> dict:
    body = body or {}
    changes = {k: v for k, v in body.items() if k in CREDIT_UPDATABLE}
    if changes.get("expiration_date"):
        changes["expiration_date"] = _datetime("expiration_date", changes["expiration_date"])
    with store.transaction():
        record = require(store, TRAINING_CREDIT_CODES, code_id, "training credit code")
        changes["_student_groups"] = _add_remove(record["_student_groups"], body.get("student_groups"))
        changes["_offers"] = _add_remove(record["_offers"], body.get("offers"))
        merged = {**record, **changes}
        if merged["credits_total"] < merged["credits_used"]:
            raise _invalid(("credits_total",), f"Ensure this value is greater than or equal to the credits used ({merged['credits_used']}).")
        _check_audience(store, merged)
        return store.update(TRAINING_CREDIT_CODES, code_id, changes)


# -- purchases ----------------------------------------------------------------------------------


def purchase(store: Store, purchase_id: str) -> dict:
    return require(store, PURCHASES, purchase_id, "purchase")


def update_purchase(store: Store, purchase_id: str, body: dict, now: datetime) -> dict:
    changes = normalise({k: v for k, v in (body or {}).items() if k in PURCHASE_UPDATABLE})
    with store.transaction():
        merged = {**purchase(store, purchase_id), **changes}
        if merged.get("refund_cents") is not None and merged["refund_cents"] > merged["price_cents"] + (merged.get("tax_price_cents") or 0):
            raise _invalid(("refund_cents",), "The refund cannot exceed the amount paid.")
        if changes.get("state") == "REFUNDED" and merged.get("refunded_at") is None:
            changes["refunded_at"] = isoformat(now)  # [inferred]
        return store.update(PURCHASES, purchase_id, changes)


def enrollment_purchase(record: dict) -> dict:
    """The purchase as an enrollment shows it (EnrollmentPurchase)."""
    return {
        "order_id": record["order_id"],
        "offer_price": price(record.get("offer_price_cents"), record["currency_code"]),
        "purchase_price": price(record["price_cents"], record["currency_code"]),
        "quantity": record["quantity"],
        "purchase_state": record["state"],
        "payment_processor": record["payment_processor"],
        "purchase_id": record["id"],
        "purchased_at": record["purchased_at"],
        "tax_price_cents": record.get("tax_price_cents"),
    }


def fulfill(store: Store, purchase_id: str, body: dict, now: datetime) -> tuple[dict, bool, dict | None]:
    """(purchase, whether it changed, the enrollment it created or None)."""
    state = body["state"]
    extra = {k: body[k] for k in ("payment_processor_order_id", "payment_processor_response_data") if body.get(k)}
    with store.transaction():
        record = purchase(store, purchase_id)
        if state == "SUCCESS" and record["state"] == "SUCCESS" and record.get("_enrollment"):
            return record, False, None
        if record["state"] not in OPEN_STATES:
            raise _invalid(("state",), f"A purchase in state {record['state']} cannot be fulfilled.")
        if state != "SUCCESS":
            changes = {"state": state, "status_msg": body.get("error_msg") or DEFAULT_STATUS_MSG[state], **extra}
            return store.update(PURCHASES, purchase_id, changes), True, None
        granted = offer(store, record["offer_id"], ("offer_id",))
        succeeded = {**record, **extra, "state": "SUCCESS", "status_msg": ""}
        enrollment, created = enrollments.create(
            store, granted["_domain"], granted["_published_course"],
            {"user": {"id": record["_user"]}, "purchase": enrollment_purchase(succeeded)}, now)
        if record.get("_promo_code"):
            code = store.get(PROMO_CODES, record["_promo_code"])
            if code is not None:
                store.update(PROMO_CODES, code["id"], {"use_count": code["use_count"] + 1})
        updated = store.update(PURCHASES, purchase_id, {**extra, "state": "SUCCESS", "status_msg": "",
                                                        "_enrollment": enrollment["id"]})
        return updated, True, enrollment if created else None


def redirect_url(store: Store, record: dict) -> str:
    """Where the learner lands after checkout: the course on success, else back to the checkout [inferred]."""
    granted = store.get(OFFERS, record["offer_id"])
    if record["state"] == "SUCCESS":
        published = store.get(t.PUBLISHED_COURSES, granted["_published_course"])
        return f"https://{granted['_domain']}/{published['slug']}"
    return f"https://{granted['_domain']}/checkout/{record['offer_id']}"
