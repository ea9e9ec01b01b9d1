"""What every Canvas handler needs of the request besides its parameters."""

from __future__ import annotations

from urllib.parse import urlsplit


from mockserver import context
from mockserver.errors import NotFound
from mockserver.vendors.canvas.auth import find_user
from mockserver.vendors.canvas.rules.permissions import Actor

API_ROOT = "/api/v1"


def web_root() -> str:
    """Where Canvas's web pages (files, calendars, user pages) live for this request: the origin
    plus whatever the sandbox mounts before /api/v1 (``/canvas``, or nothing with --vendor canvas)."""
    parts = urlsplit(context.request().url)
    return f"{parts.scheme}://{parts.netloc}{parts.path.split(API_ROOT, 1)[0]}"


def api_root() -> str:
    return web_root() + API_ROOT


def user_of(store, actor: Actor, ref) -> dict:
    found = find_user(store, ref, actor.user)
    if found is None:
        raise NotFound(f"user {ref}")
    return found
