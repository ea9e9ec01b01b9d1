"""Enrollment terms of the root account (canvas:app/controllers/terms_api_controller.rb,
terms_controller.rb, app/models/enrollment_term.rb).

- Terms belong to the root account: its admins list, read, create, change and delete them; on a
  sub-account the routes answer as for anyone without the right.
- ``workflow_state[]`` (active, deleted, all) filters the list, active by default; ``term_name``
  searches names. The list is ordered by start date (undated first), then name, then id
  (EnrollmentTerm's api ordering) and wrapped as ``{"enrollment_terms": [...]}``.
- Deleting is a soft delete; the default term, or a term that still has courses, cannot be deleted.
"""

from __future__ import annotations

from datetime import datetime

from mockserver.clock import isoformat, parse
from mockserver.errors import NotFound
from mockserver.store import Store
from mockserver.vendors.canvas import forms
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.errors import ModelErrors
from mockserver.vendors.canvas.rules import accounts, by_ref, check_sis_unique, permissions

DEFAULT_TERM = "Default Term"


def course_concluded(store: Store, course: dict, now: datetime) -> bool:
    """A course is concluded when it is completed, or when its term has ended on the sandbox clock
    (Course#soft_concluded? by the term's end)."""
    if course["_state"] == "completed":
        return True
    term = store.get(t.TERMS, course["enrollment_term_id"])
    return bool(term and term["end_at"] and parse(term["end_at"]) < now)


def _manage(store: Store, user: dict, account_ref) -> dict:
    account = accounts.find(store, account_ref)
    permissions.allow(account["parent_account_id"] is None and permissions.administers(store, user, account))
    return account


def listing(store: Store, user: dict, account_ref, states, term_name: str | None) -> list[dict]:
    _manage(store, user, account_ref)
    chosen = set(states or ["active"])
    rows = store.rows(t.TERMS)
    if "all" not in chosen:
        rows = [term for term in rows if term["workflow_state"] in chosen]
    if term_name:
        rows = [term for term in rows if term_name.casefold() in term["name"].casefold()]
    return sorted(rows, key=lambda term: (term["start_at"] is not None, term["start_at"] or "", term["name"], term["id"]))


def find(store: Store, ref) -> dict:
    found = by_ref(store, t.TERMS, ref, "sis_term_id")
    if found is None:
        raise NotFound(f"term {ref}")
    return found


def show(store: Store, user: dict, account_ref, ref) -> dict:
    _manage(store, user, account_ref)
    return find(store, ref)


def _fields(store: Store, given: dict, current: dict | None) -> dict:
    fields = {k: given[k] for k in ("name", "sis_term_id") if k in given}
    errors: dict = {}
    forms.read_timestamps(given, ("start_at", "end_at"), fields, errors)
    forms.require_name(fields, errors)
    merged = {**(current or {}), **fields}
    if merged.get("start_at") and merged.get("end_at") and parse(merged["end_at"]) < parse(merged["start_at"]):
        errors.setdefault("end_at", []).append(("invalid", "End date cannot be before start date"))
    check_sis_unique(store, t.TERMS, "sis_term_id", fields.get("sis_term_id"), (current or {}).get("id"), errors)
    if errors:
        raise ModelErrors(errors)
    return fields


def create(store: Store, user: dict, account_ref, body, now: datetime) -> dict:
    with store.transaction():
        account = _manage(store, user, account_ref)
        given = (body or {}).get("enrollment_term") or {}
        fields = _fields(store, given, None)
        if not str(fields.get("name") or "").strip():
            raise ModelErrors({"name": [("blank", "Name can't be blank")]})
        return store.insert_auto(t.TERMS, {"name": fields["name"], "start_at": fields.get("start_at"),
                                           "end_at": fields.get("end_at"), "created_at": isoformat(now),
                                           "workflow_state": "active", "sis_term_id": fields.get("sis_term_id"),
                                           "grading_period_group_id": None, "_account": account["id"]})


def update(store: Store, user: dict, account_ref, ref, body) -> dict:
    with store.transaction():
        _manage(store, user, account_ref)
        term = find(store, ref)
        return store.update(t.TERMS, term["id"], _fields(store, (body or {}).get("enrollment_term") or {}, term))


def delete(store: Store, user: dict, account_ref, ref) -> dict:
    with store.transaction():
        _manage(store, user, account_ref)
        term = find(store, ref)
        if term["name"] == DEFAULT_TERM and term["id"] == min(x["id"] for x in store.rows(t.TERMS)):
            raise ModelErrors({"workflow_state": [("invalid", "Cannot delete the default term")]})
        if any(c["_state"] != "deleted" for c in store.lookup(t.COURSES, "enrollment_term_id", term["id"])):
            raise ModelErrors({"workflow_state": [("invalid", "Cannot delete a term with active courses")]})
        return store.update(t.TERMS, term["id"], {"workflow_state": "deleted"})
