"""Courses of an account (AccountsController#courses_api): every course of the account and of the
accounts below it, filtered, searched and sorted as the API documents.

``state[]`` takes Canvas's internal states (created, claimed, available, completed, deleted, and
"unpublished" for created + claimed, "all" for every one); by default every course but deleted ones.
A course is completed when its state is, or when its term has ended on the sandbox clock.
``search_term`` (3 characters at least) matches the name, course code or SIS id, or the whole
id; with ``search_by=teacher`` it matches teachers' names. The default order is by id.
"""

from __future__ import annotations

from datetime import datetime

from mockserver.clock import parse
from mockserver.store import Store
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.errors import SearchTermTooShort
from mockserver.vendors.canvas.rules import accounts, permissions

MIN_SEARCH = 3


def concluded(store: Store, course: dict, now: datetime) -> bool:
    if course["_state"] == "completed":
        return True
    term = store.get(t.TERMS, course["enrollment_term_id"])
    return bool(term and term["end_at"] and parse(term["end_at"]) < now)


def _teacher_names(store: Store, course: dict) -> list[str]:
    return [store.get(t.USERS, uid)["name"] for uid in course["_roster"].get("TeacherEnrollment", [])]


def _sort_key(store: Store, sort: str | None):
    if sort == "course_name":
        return lambda c: (c["name"].casefold(), c["id"])
    if sort == "sis_course_id":
        return lambda c: (c["sis_course_id"] or "", c["id"])
    if sort == "course_status":
        return lambda c: (c["_state"], c["id"])
    if sort == "account_name":
        return lambda c: (store.get(t.ACCOUNTS, c["account_id"])["name"].casefold(), c["id"])
    if sort == "teacher":
        def first_teacher(c):
            names = sorted(store.get(t.USERS, uid)["sortable_name"].casefold()
                           for uid in c["_roster"].get("TeacherEnrollment", []))
            return (names[0] if names else "\uffff", c["id"])  # courses without teachers last
        return first_teacher
    return lambda c: c["id"]


def _flag(rows, value, test):
    return rows if value is None else [c for c in rows if test(c) is bool(value)]


def search(store: Store, user: dict, account_ref, params: dict, now: datetime) -> list[dict]:
    account = accounts.find(store, account_ref)
    permissions.allow(permissions.administers(store, user, account))  # read_course_list
    within = set(accounts.subtree_ids(store, account["id"]))
    rows = [c for c in store.rows(t.COURSES) if c["account_id"] in within]

    states = set(params.get("state") or [])
    if "unpublished" in states:
        states |= {"created", "claimed"}
    if not states:
        rows = [c for c in rows if c["_state"] != "deleted"]
    elif "all" not in states:
        rows = [c for c in rows if c["_state"] in states]

    with_enrollments = params.get("with_enrollments")
    if with_enrollments is None and params.get("hide_enrollmentless_courses"):
        with_enrollments = True
    rows = _flag(rows, with_enrollments, lambda c: any(c["_roster"].values()))
    kinds = {f"{k.capitalize()}Enrollment" for k in params.get("enrollment_type") or []}
    if kinds:
        rows = [c for c in rows if any(c["_roster"].get(k) for k in kinds)]
    rows = _flag(rows, params.get("published"), lambda c: c["_state"] == "available")
    rows = _flag(rows, params.get("completed"), lambda c: concluded(store, c, now))
    rows = _flag(rows, params.get("blueprint"), lambda c: bool(c["blueprint"]))
    rows = _flag(rows, params.get("blueprint_associated"), lambda c: bool(c["_blueprint_associated"]))
    rows = _flag(rows, params.get("public"), lambda c: bool(c["is_public"]))
    teachers = set(params.get("by_teachers") or [])
    if teachers:
        rows = [c for c in rows if teachers & set(c["_roster"].get("TeacherEnrollment", []))]
    subaccounts = params.get("by_subaccounts") or []
    if subaccounts:
        below = {a for s in subaccounts for a in accounts.subtree_ids(store, s)}
        rows = [c for c in rows if c["account_id"] in below]
    if params.get("enrollment_term_id") is not None:
        rows = [c for c in rows if c["enrollment_term_id"] == params["enrollment_term_id"]]

    term = params.get("search_term")
    if term:
        if len(term) < MIN_SEARCH:
            raise SearchTermTooShort(MIN_SEARCH)
        wanted = term.casefold()
        if params.get("search_by") == "teacher":
            rows = [c for c in rows if any(wanted in n.casefold() for n in _teacher_names(store, c))]
        else:
            rows = [c for c in rows if str(c["id"]) == term or any(
                wanted in (c[k] or "").casefold() for k in ("name", "course_code", "sis_course_id"))]

    rows = sorted(rows, key=_sort_key(store, params.get("sort")))
    if params.get("order") == "desc":
        rows.reverse()
    return rows
