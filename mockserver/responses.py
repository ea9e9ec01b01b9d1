"""What a handler may return besides a JSON-able body: ``NoContent`` for an empty one.

A handler returns ``body``, ``(body, status)``, ``(body, headers)`` or ``(body, status, headers)``;
``(NoContent, 204)`` answers with no body at all.
"""

from __future__ import annotations


class _NoContent:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NoContent"


NoContent = _NoContent()
