"""Who may write what, where a type has no rule of its own: everyone reads, admins write."""

from __future__ import annotations

from mockserver.errors import Forbidden


def allow(call, action, record) -> None:
    if action not in ("list", "show") and not call.is_admin:
        raise Forbidden("Only portal administrators can change this.")
