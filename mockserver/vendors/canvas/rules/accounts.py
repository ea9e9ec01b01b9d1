"""The account tree: finding an account as the API names it, its parents and its descendants."""

from __future__ import annotations

from mockserver.errors import NotFound
from mockserver.store import Store
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.rules import by_ref


def root(store: Store) -> dict:
    """The domain root account (the sandbox serves one Canvas domain)."""
    return next(a for a in store.rows(t.ACCOUNTS) if a["parent_account_id"] is None)


def find(store: Store, ref) -> dict:
    """By id, ``sis_account_id:<id>`` or ``self`` (the domain root account), as api_find reads it."""
    text = str(ref)
    if text == "self":
        return root(store)
    found = by_ref(store, t.ACCOUNTS, text, "sis_account_id")
    if found is None or found["workflow_state"] != "active":
        raise NotFound(f"account {ref}")
    return found


def chain(store: Store, account: dict | None) -> list[dict]:
    """The account and its parents up to the root."""
    found = []
    while account is not None and len(found) < 64:
        found.append(account)
        parent = account["parent_account_id"]
        account = store.get(t.ACCOUNTS, parent) if parent is not None else None
    return found


def children(store: Store, account_id: int) -> list[dict]:
    return [a for a in store.lookup(t.ACCOUNTS, "parent_account_id", account_id) if a["workflow_state"] == "active"]


def subtree_ids(store: Store, account_id: int) -> list[int]:
    """The account and every account below it, breadth first."""
    found, frontier = [account_id], [account_id]
    while frontier:
        frontier = [a["id"] for parent in frontier for a in children(store, parent)]
        found += frontier
    return found


def descendants(store: Store, account_id: int) -> list[dict]:
    return [store.get(t.ACCOUNTS, a) for a in sorted(subtree_ids(store, account_id)[1:])]


def manageable(store: Store, user: dict) -> list[dict]:
    """The user's admin accounts and every account below them, by id."""
    ids = {below for a in user.get("_admin_of", []) for below in subtree_ids(store, a)}
    return [store.get(t.ACCOUNTS, a) for a in sorted(ids)]


def manually_created_courses(store: Store) -> dict:
    return next(a for a in store.rows(t.ACCOUNTS) if a.get("_manually_created_courses"))


def course_creation(store: Store, user: dict, enrollment_types: set[str]) -> list[dict]:
    """Where the user may create courses: the accounts they manage, and the Manually-Created Courses
    account when the root account lets people like them (teachers, students, the unenrolled)."""
    rows = manageable(store, user)
    allowed = root(store)["_course_creation"]
    if (allowed["teachers_can_create_courses"] and "TeacherEnrollment" in enrollment_types) or \
            (allowed["students_can_create_courses"] and "StudentEnrollment" in enrollment_types) or \
            (allowed["no_enrollments_can_create_courses"] and not enrollment_types):
        manual = manually_created_courses(store)
        if all(a["id"] != manual["id"] for a in rows):
            rows.append(manual)
    return rows


SEARCH_LIMIT = 5  # "Returns a list of up to 5 matching account domains"


def search_domains(store: Store, name: str | None, domain: str | None) -> list[dict]:
    """Institutions whose name or domain contains what was asked for (case-insensitive)."""
    wanted = [(key, value.casefold()) for key, value in (("name", name), ("domain", domain)) if value]
    if not wanted:
        return []
    found = (d for d in store.rows(t.DOMAINS) if any(v in d[k].casefold() for k, v in wanted))
    return [dict(d) for _, d in zip(range(SEARCH_LIMIT), found)]
