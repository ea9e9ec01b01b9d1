"""Canvas's built-in roles: the account admin role and the five course enrollment roles. Their ids
are those of a fresh Canvas install's root account; "NilEnrollment" (a user with no enrollment)
is what account notifications use to reach people outside any course."""

from __future__ import annotations

ROLE_IDS = {"AccountAdmin": 1, "AccountMembership": 2, "StudentEnrollment": 3, "TeacherEnrollment": 4,
            "TaEnrollment": 5, "DesignerEnrollment": 6, "ObserverEnrollment": 7}
NIL_ENROLLMENT = "NilEnrollment"
ADMIN_ENROLLMENTS = ("TeacherEnrollment", "TaEnrollment", "DesignerEnrollment")  # "admin course enrollments"
_BY_ID = {str(v): k for k, v in ROLE_IDS.items()}


def resolve(values) -> list[str]:
    """Role ids or names, as account_notification_roles[] takes them, to role names; unknown ones
    are dropped, as Canvas drops them (AccountNotificationsController#roles_to_add)."""
    names: list[str] = []
    for value in values or []:
        text = "" if value is None else str(value)
        name = NIL_ENROLLMENT if text in ("", NIL_ENROLLMENT) else _BY_ID.get(text) or (text if text in ROLE_IDS else None)
        if name and name not in names:
            names.append(name)
    return names


def role_id(name: str) -> int | None:
    return ROLE_IDS.get(name)
