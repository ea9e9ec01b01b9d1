"""The ``Location`` of a 201: a URL that answers a GET with the created resource, or none at all.

JSON:API 1.1 ("Creating Resources", 201 Created): the response SHOULD include a ``Location``
header identifying where the new resource is; a client follows it with a GET. So the sandbox
advertises only a URL its own spec can answer: a GET that shows the created type from the
spec (``x-mock: {action: show, type: T}``, or a GET of ``/.../{id}`` whose 200 is ``TDocument``),
preferring the one below the collection the POST went to. A type no GET shows (an account
closure, a billing session) gets no ``Location``, as the specification allows.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from mockserver import context

_REF = "#/components/schemas/"
_ONE_ID = re.compile(r"^(?:/[^/{}]+)+/\{[^/{}]+\}$")  # a path whose only parameter is its last segment
# Both mounts of the Synap API end with its version (/synap/v3 or, served alone, /v3), and no
# resource path starts with it: the API root of a request URL is what precedes its first "/v3/".
_VERSION = "/v3"

_shows: dict[int, dict[str, list[tuple[str, dict]]]] = {}
_posts: dict[int, dict[str, str]] = {}


def _show_paths(document: dict) -> dict[str, list[tuple[str, dict]]]:
    """type -> [(path template, where)] of every GET of the spec that shows one resource of it."""
    key = id(document)
    if key not in _shows:
        found: dict[str, list[tuple[str, dict]]] = {}
        for path, item in document["paths"].items():
            operation = item.get("get")
            if not operation or not _ONE_ID.match(path):
                continue
            mock = operation.get("x-mock") or {}
            if mock:
                if mock.get("action") == "show" and mock.get("type"):
                    found.setdefault(mock["type"], []).append((path, mock.get("where") or {}))
                continue
            content = ((operation.get("responses") or {}).get("200") or {}).get("content") or {}
            ref = ((content.get("application/vnd.api+json") or {}).get("schema") or {}).get("$ref", "")
            if ref.startswith(_REF) and ref.endswith("Document"):
                found.setdefault(ref.removeprefix(_REF).removesuffix("Document"), []).append((path, {}))
        _shows[key] = found
    return _shows[key]


def show_template(document: dict, type_name: str, where: dict | None = None, below: str | None = None) -> str | None:
    """The path template of a GET that shows a ``type_name`` record created with ``where`` stamped
    on it (None: no GET does). ``below``: the collection path the POST went to, preferred."""
    where = where or {}
    candidates = [path for path, shown in _show_paths(document).get(type_name, [])
                  if all(where.get(k) == v for k, v in shown.items())]
    if not candidates:
        return None
    if below is not None:
        for path in candidates:
            if path.rsplit("/", 1)[0] == below.rstrip("/"):
                return path
    return min(candidates, key=lambda p: (p.count("/"), p))


def url(template: str, record_id: str) -> str:
    """The absolute URL of ``template`` for ``record_id``, on the API root of the request served."""
    parts = urlsplit(context.request().url)
    cut = parts.path.find(_VERSION + "/")
    root = parts.path[: cut + len(_VERSION)] if cut >= 0 else ""
    return f"{parts.scheme}://{parts.netloc}{root}{re.sub(r'[{][^/{}]+[}]', record_id, template)}"


def post_paths(document: dict) -> dict[str, str]:
    """operationId -> path template of every POST of the spec."""
    key = id(document)
    if key not in _posts:
        _posts[key] = {item["post"]["operationId"]: path for path, item in document["paths"].items()
                       if "operationId" in (item.get("post") or {})}
    return _posts[key]
