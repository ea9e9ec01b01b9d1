"""Who may do what. The sandbox's world has account admins (account_users on an account, which
reaches its sub-accounts too), and people with course enrollments.

- Account admins may read and manage their account and everything below it (settings, reports,
  calendars, notifications, courses, sub-accounts) and manage the access tokens of anyone with an
  enrollment below it; an admin of the root account manages everyone's tokens.
- Everyone may manage their own tokens; nobody else's (a student, a teacher: 403 for lists and
  reads, 404 for updates and deletes, as tokens_controller answers).
- Teachers, TAs and designers see the accounts of their courses (course_accounts, show,
  permissions); students see no accounts at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.store import Store
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.errors import Unauthorized
from mockserver.vendors.canvas.rules import accounts, roles


@dataclass(frozen=True)
class Actor:
    """Who acts: ``user`` is Canvas's @current_user (the masqueraded user while masquerading with
    ``as_user_id``), ``real`` its logged_in_user (who holds the credentials)."""

    user: dict
    real: dict

    @property
    def masquerading(self) -> bool:
        return self.user["id"] != self.real["id"]


def allow(condition: bool) -> None:
    if not condition:
        raise Unauthorized()


def enrollment_types(user: dict) -> set[str]:
    return {kind for _course, kind in user.get("_enrollments", [])}


def only_student(user: dict) -> bool:
    """StudentEnrollmentHelper#user_has_only_student_enrollments?: students' tokens must expire."""
    kinds = enrollment_types(user)
    return bool(kinds) and kinds == {"StudentEnrollment"}


def administers(store: Store, user: dict, account: dict) -> bool:
    mine = set(user.get("_admin_of", []))
    return bool(mine) and any(a["id"] in mine for a in accounts.chain(store, account))


def is_admin(user: dict) -> bool:
    return bool(user.get("_admin_of"))


def course_accounts(store: Store, user: dict) -> list[int]:
    """Accounts of the courses where the user teaches, assists or designs (ids, first seen first)."""
    found: list[int] = []
    for course_id, kind in user.get("_enrollments", []):
        course = store.get(t.COURSES, course_id)
        if kind in roles.ADMIN_ENROLLMENTS and course and course["_state"] != "deleted" and course["account_id"] not in found:
            found.append(course["account_id"])
    return found


def member_of(store: Store, user: dict, account: dict) -> bool:
    """An account role, or an admin enrollment in a course of the account or below it."""
    if administers(store, user, account):
        return True
    below = set(accounts.subtree_ids(store, account["id"]))
    return any(a in below for a in course_accounts(store, user))


def associated_accounts(store: Store, user: dict) -> set[int]:
    """Accounts the user belongs to: those they administer, and those of their courses with all
    their parents (Canvas's user account associations)."""
    found: set[int] = set()
    for account_id in user.get("_admin_of", []):
        found.update(a["id"] for a in accounts.chain(store, store.get(t.ACCOUNTS, account_id)))
    for course_id, _kind in user.get("_enrollments", []):
        course = store.get(t.COURSES, course_id)
        if course:
            found.update(a["id"] for a in accounts.chain(store, store.get(t.ACCOUNTS, course["account_id"])))
    return found


def manages_user(store: Store, actor: dict, target: dict) -> bool:
    """May ``actor`` act on ``target``'s tokens: themselves, or an admin above one of their courses."""
    if actor["id"] == target["id"]:
        return True
    if not is_admin(actor):
        return False
    if administers(store, actor, accounts.root(store)):
        return True
    courses = (store.get(t.COURSES, course_id) for course_id, _kind in target.get("_enrollments", []))
    return any(course and administers(store, actor, store.get(t.ACCOUNTS, course["account_id"])) for course in courses)


# Permission names an account admin holds (RoleOverride's account permissions, abridged); anyone
# else holds none of them on an account, and a name Canvas does not know is never granted.
ADMIN_PERMISSIONS = frozenset((
    "become_user", "create_courses", "import_sis", "manage_account_calendar_events",
    "manage_account_calendar_visibility", "manage_account_memberships", "manage_account_settings",
    "manage_alerts", "manage_courses", "manage_courses_add", "manage_courses_admin", "manage_developer_keys",
    "manage_sis", "manage_user_logins", "read_course_list", "read_reports", "read_roster", "read_sis",
    "view_notifications", "view_statistics"))


def rights(store: Store, user: dict, account: dict, names) -> dict[str, bool]:
    """AccountsController#permissions: for members of the account only."""
    allow(member_of(store, user, account))
    admin = administers(store, user, account)
    return {name: admin and name in ADMIN_PERMISSIONS for name in names}


def teaches(store: Store, actor: dict, user: dict) -> bool:
    """Does ``actor`` teach, assist or design a course ``user`` is enrolled in?"""
    theirs = {course for course, _kind in user.get("_enrollments", [])}
    return any(course in theirs and kind in roles.ADMIN_ENROLLMENTS for course, kind in actor.get("_enrollments", []))
