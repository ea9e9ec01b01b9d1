"""License packages: a number of seats on a domain, sold through offers, taken by students.

From the official spec: a package names its domain by id (``domain_id``), its ``license_count``
and optional ``max_unique_seats``; ``license_seats_remaining`` is what the active seats leave of
the count. A student takes a seat by id or e-mail (an existing user); a package with no seat left,
or a student already seated, is a 400. A seat set inactive gives its license back.
"""

from __future__ import annotations

from datetime import datetime

from mockserver.clock import isoformat
from mockserver.errors import InvalidRequest, Violation
from mockserver.store import Store
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.ids import new_id
from mockserver.vendors.skilljar.records import normalise, require

PACKAGES = "skilljar_license_packages"
SEATS = "skilljar_license_package_seats"
OFFERS = "skilljar_offers"
FIELDS = ("tracking_id", "start_date", "end_date", "license_count", "name", "max_unique_seats")


def _invalid(path: tuple, message: str) -> InvalidRequest:
    return InvalidRequest(message, violations=[Violation("body", path, message)])


def _dates(fields: dict) -> dict:
    renamed = normalise({k.replace("_date", "_at"): v for k, v in fields.items() if k in ("start_date", "end_date")})
    return {**fields, **{k.replace("_at", "_date"): v for k, v in renamed.items()}}


def _offers(store: Store, ids: list[str]) -> list[str]:
    for n, offer_id in enumerate(ids):
        if store.get(OFFERS, offer_id) is None:
            raise _invalid(("offers", n), f'Invalid pk "{offer_id}" - object does not exist.')
    return list(dict.fromkeys(ids))


def _check_counts(record: dict) -> None:
    if record["license_count"] < 0:
        raise _invalid(("license_count",), "Ensure this value is greater than or equal to 0.")
    if record.get("max_unique_seats") is not None and record["max_unique_seats"] < 0:
        raise _invalid(("max_unique_seats",), "Ensure this value is greater than or equal to 0.")


def create(store: Store, body: dict, now: datetime) -> dict:
    fields = _dates({k: v for k, v in body.items() if k in FIELDS})
    with store.transaction():
        domain = next((d for d in store.rows(t.DOMAINS) if d["id"] == body["domain_id"]), None)
        if domain is None:
            raise _invalid(("domain_id",), f'Invalid pk "{body["domain_id"]}" - object does not exist.')
        record = {"id": new_id(store, "license_package"), "tracking_id": fields.get("tracking_id", ""),
                  "start_date": fields.get("start_date") or isoformat(now), "end_date": fields.get("end_date"),
                  "domain_id": domain["id"], "license_count": fields["license_count"], "name": fields["name"],
                  "max_unique_seats": fields.get("max_unique_seats"), "_offers": _offers(store, body.get("offers") or [])}
        _check_counts(record)
        store.insert(PACKAGES, record["id"], record)
        return record


def update(store: Store, package_id: str, body: dict) -> dict:
    changes = _dates({k: v for k, v in (body or {}).items() if k in FIELDS})
    with store.transaction():
        record = {**require(store, PACKAGES, package_id, "license package"), **changes}
        if "offers" in (body or {}):
            changes["_offers"] = _offers(store, body["offers"] or [])
        _check_counts(record)
        return store.update(PACKAGES, package_id, changes)


def delete(store: Store, package_id: str) -> None:
    with store.transaction():
        require(store, PACKAGES, package_id, "license package")
        for seat in [s for s in store.rows(SEATS) if s["_license_package"] == package_id]:
            store.delete(SEATS, seat_key(package_id, seat["_user"]))
        store.delete(PACKAGES, package_id)


def seat_key(package_id: str, user_id: str) -> str:
    return f"{package_id}:{user_id}"


def seats(store: Store, package_id: str) -> list[dict]:
    return [s for s in store.rows(SEATS) if s["_license_package"] == package_id]


def remaining(store: Store, package: dict) -> int:
    return max(0, package["license_count"] - sum(1 for s in seats(store, package["id"]) if s["active"]))


def take_seat(store: Store, package_id: str, body: dict, now: datetime) -> dict:
    student = body["student"]
    with store.transaction():
        package = require(store, PACKAGES, package_id, "license package")
        if student.get("id"):
            user = store.get(t.USERS, student["id"])
            where = ("student", "id")
        elif student.get("email"):
            user = next((u for u in store.rows(t.USERS) if u["email"].lower() == student["email"].lower()), None)
            where = ("student", "email")
        else:
            raise _invalid(("student", "non_field_errors"), "Either id or email is required.")
        if user is None:
            raise _invalid(where, f'Invalid pk "{student.get("id") or student.get("email")}" - object does not exist.')
        if store.get(SEATS, seat_key(package_id, user["id"])) is not None:
            raise _invalid(("student",), "This student already has a seat in this license package.")
        if remaining(store, package) == 0:
            raise _invalid(("non_field_errors",), "No license seats remaining in this package.")
        if package.get("max_unique_seats") is not None and len(seats(store, package_id)) >= package["max_unique_seats"]:
            raise _invalid(("non_field_errors",), "This license package has reached its maximum unique seats.")
        record = {"id": new_id(store, "license_seat"), "_license_package": package_id, "_user": user["id"],
                  "enrolled_at": isoformat(now), "active": True}
        store.insert(SEATS, seat_key(package_id, user["id"]), record)
        return record


def update_seat(store: Store, package_id: str, student_id: str, body: dict) -> dict:
    with store.transaction():
        package = require(store, PACKAGES, package_id, "license package")
        seat = require(store, SEATS, seat_key(package_id, student_id), "seat")
        active = (body or {}).get("active", seat["active"])
        if active and not seat["active"] and remaining(store, package) == 0:
            raise _invalid(("active",), "No license seats remaining in this package.")
        return store.update(SEATS, seat_key(package_id, student_id), {"active": active})
