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


# -- inside a course -------------------------------------------------------------------------------
# Course#grants_right? as the default roles hold the rights (RoleOverride's course permissions):
# the account admins above the course hold every right; teachers manage the course, its sections,
# roster and grades; TAs the same but not the course's settings or teachers; designers the content;
# students and observers read a published course. An invited user holds no rights yet, but sees the
# course as an invitation. Rights come from active enrollments only (Enrollment#active?).

GRADERS = ("TeacherEnrollment", "TaEnrollment")


@dataclass(frozen=True)
class CourseAccess:
    admin: bool
    roles: frozenset  # types of the user's active enrollments in the course
    invited: frozenset  # types of the user's pending invitations
    concluded: frozenset  # types of the user's completed enrollments
    sections: frozenset | None  # the sections a section-limited user is held to; None: all of them

    @property
    def staff(self) -> bool:
        return self.admin or not self.roles.isdisjoint(roles.ADMIN_ENROLLMENTS)

    @property
    def grader(self) -> bool:
        return self.admin or not self.roles.isdisjoint(GRADERS)

    @property
    def teacher(self) -> bool:
        return self.admin or "TeacherEnrollment" in self.roles

    @property
    def student(self) -> bool:
        return "StudentEnrollment" in self.roles

    @property
    def member(self) -> bool:
        """May read the roster (read_roster): admins and anyone actively enrolled."""
        return self.admin or bool(self.roles)


def course_access(store: Store, user: dict, course: dict) -> CourseAccess:
    mine = store.find(t.ENROLLMENTS, course_id=course["id"], user_id=user["id"])
    active = [e for e in mine if e["workflow_state"] == "active"]
    limited = [e for e in active if e["limit_privileges_to_course_section"]]
    whole = [e for e in active if not e["limit_privileges_to_course_section"]]
    return CourseAccess(
        admin=administers(store, user, store.get(t.ACCOUNTS, course["account_id"])),
        roles=frozenset(e["type"] for e in active),
        invited=frozenset(e["type"] for e in mine if e["workflow_state"] == "invited"),
        concluded=frozenset(e["type"] for e in mine if e["workflow_state"] == "completed"),
        sections=frozenset(e["course_section_id"] for e in limited) if limited and not whole else None)


PUBLISHED = ("available", "completed")


def read_course(store: Store, user: dict, course: dict) -> CourseAccess:
    """Course#grants_right?(:read): staff always; students, observers and the invited once the
    course is published; concluded enrollments keep read access to a concluded course."""
    access = course_access(store, user, course)
    published = course["_state"] in PUBLISHED
    allow(access.staff or (published and bool(access.roles | access.invited | access.concluded)))
    return access
