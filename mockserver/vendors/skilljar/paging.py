"""DRF PageNumberPagination as Skilljar runs it (vendors.md §3).

``page`` and ``page_size`` query parameters; ``{"count", "next", "previous", "results"}`` with
absolute ``next``/``previous`` URLs that keep the other query parameters. Default page size 100
(250 where the docs once said 1000), at most 1000: a larger ``page_size`` is clamped and an
invalid one ignored, as DRF does. A page that is not a number or past the end is a 404
``{"detail": "Invalid page."}``; page 1 of an empty list is an empty page. ``previous`` from page
2 drops the ``page`` parameter altogether (DRF's ``remove_query_param``).
"""

from __future__ import annotations

import math
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mockserver.vendors.skilljar.errors import InvalidPage

MAX_PAGE_SIZE = 1000


def _with_page(url: str, page: int | None) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    if page is not None:
        query.append(("page", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def page_size(raw, default: int) -> int:
    try:
        size = int(raw)
    except (TypeError, ValueError):
        return default
    return min(size, MAX_PAGE_SIZE) if size > 0 else default


def paginate(rows: list, url: str, page=None, size=None, default_size: int = 100) -> dict:
    per_page = page_size(size, default_size)
    pages = max(1, math.ceil(len(rows) / per_page))
    if page in (None, ""):
        number = 1
    elif page == "last":
        number = pages
    else:
        try:
            number = int(page)
        except (TypeError, ValueError):
            raise InvalidPage() from None
    if number < 1 or number > pages:
        raise InvalidPage()
    return {
        "count": len(rows),
        "next": _with_page(url, number + 1) if number < pages else None,
        "previous": None if number == 1 else _with_page(url, None if number == 2 else number - 1),
        "results": rows[(number - 1) * per_page : number * per_page],
    }
