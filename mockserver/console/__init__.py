"""The console: a dashboard over the admin API, at ``/`` and at ``/__admin/`` when a browser asks.

One server-rendered page (the served vendors, their base URLs and Swagger UI links) and two static
files (``static/console.js``, ``static/console.css``) shipped in the package: no CDN, no build
step. The script reads the admin JSON API with ``fetch``; with ``--admin-token`` it asks for the
token and keeps it in the page only. Page and assets hold no secret, so they are served without
the token and never journaled.
"""

from __future__ import annotations

import functools
import html
from importlib import resources

from mockserver import __version__

ASSETS = "/__admin/console/"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@functools.cache
def _static(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


def _prefers_html(accept: str) -> bool:
    """A browser's navigation (``text/html`` before any JSON), not an API client."""
    accept = accept.lower()
    page, json = accept.find("text/html"), accept.find("application/json")
    return page >= 0 and (json < 0 or page < json)


def wanted(method: str, path: str, accept: str, root_is_free: bool) -> bool:
    """Whether the console answers this request (GET or HEAD only)."""
    if method not in ("GET", "HEAD"):
        return False
    if path.startswith(ASSETS):
        return True
    if path == "/" and root_is_free:
        return True
    return path in ("/__admin", "/__admin/") and _prefers_html(accept)


def answer(path: str, mounted, token_required: bool) -> tuple[int, str, bytes]:
    """(status, content type, body) of a console request that ``wanted`` accepted."""
    if path.startswith(ASSETS):
        name = path[len(ASSETS):]
        kind = _TYPES.get(name[name.rfind("."):]) if "." in name else None
        if kind is None or "/" in name:
            return 404, "text/plain; charset=utf-8", b"Not Found"
        try:
            return 200, kind, _static(name)
        except FileNotFoundError:
            return 404, "text/plain; charset=utf-8", b"Not Found"
    return 200, "text/html; charset=utf-8", page(mounted, token_required).encode()


def page(mounted, token_required: bool) -> str:
    rows = []
    for prefix, vendor in mounted:
        esc = {k: html.escape(v) for k, v in {
            "name": vendor.name, "title": vendor.title, "prefix": prefix or "/",
            "base": vendor.client_base if prefix == vendor.prefix else "", "ui": f"{prefix}/ui/",
            "hint": vendor.auth_hint}.items()}
        rows.append(
            f'<article class="vendor" data-vendor="{esc["name"]}">'
            f'<header><h3>{esc["title"]}</h3><span class="tag">{esc["name"]}</span></header>'
            f'<dl><dt>Client base URL</dt><dd><code data-origin="{esc["base"]}"></code>'
            f'<button class="copy" data-copy-from="prev">Copy</button></dd>'
            f'<dt>API root</dt><dd><code data-origin="{esc["prefix"]}"></code></dd>'
            f'<dt>Auth</dt><dd class="hint">{esc["hint"]}</dd>'
            f'<dt>Credentials</dt><dd class="credentials"><span class="muted">loading…</span></dd></dl>'
            f'<footer><a class="button" href="{esc["ui"]}" target="_blank" rel="noopener">Swagger UI</a>'
            f'<a class="button subtle" href="{esc["prefix"].rstrip("/")}/openapi.json" target="_blank" '
            f'rel="noopener">openapi.json</a></footer></article>')
    template = _static("index.html").decode()
    return (template.replace("{{vendors}}", "\n".join(rows))
            .replace("{{version}}", html.escape(__version__))
            .replace("{{token}}", "required" if token_required else "none")
            .replace("{{assets}}", ASSETS))
