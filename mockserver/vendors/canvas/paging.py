"""Canvas's numbered pagination (canvas:lib/api.rb, vendors.md §2).

``page`` and ``per_page`` (default 10, at most 100; an endpoint may change both). Both are read the
way Ruby's ``to_i`` reads them (``"7x"`` is 7, ``"abc"`` is 0), then ``per_page`` is clamped to
1..max and a page below 1 is page 1. A page past the end is an empty list, not an error. The
``Link`` header carries the rels current, next, prev, first and last, in that order, each
``<url>; rel="next"``, joined by "," with no space. Each URL is the request's URL with its query
parameters minus page, per_page, access_token and api_key, written the way Rails' ``to_query``
writes them (grouped by parameter, groups sorted, brackets escaped), then ``page=N&per_page=M``.
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qsl, quote_plus, urlsplit

from mockserver import context

PER_PAGE = 10
MAX_LINK_HEADER = 6000
LINK_PRIORITY = ("next", "last", "prev", "current", "first")
MAX_PER_PAGE = 100
_EXCLUDED = frozenset(("page", "per_page", "access_token", "api_key"))
_LEADING_INTEGER = re.compile(r"^\s*[-+]?\d+")


def ruby_to_i(value) -> int:
    match = _LEADING_INTEGER.match(str(value))
    return int(match.group()) if match else 0


def per_page(raw, default: int = PER_PAGE, maximum: int = MAX_PER_PAGE) -> int:
    if raw is None:
        return default
    return min(max(ruby_to_i(raw), 1), maximum)


def _query(query: str) -> str:
    groups: dict[str, list[str]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        root = key.split("[", 1)[0]
        if root in _EXCLUDED:
            continue
        groups.setdefault(root, []).append(f"{quote_plus(key, safe='')}={quote_plus(value, safe='')}")
    return "&".join(sorted("&".join(pairs) for pairs in groups.values()))


def link_header(url: str, page: int, size: int, last: int | None) -> str:
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}{parts.path}?"
    kept = _query(parts.query)
    if kept:
        base += kept + "&"
    rels = (("current", page), ("next", page + 1 if last is None or page < last else None),
            ("prev", page - 1 if page > 1 else None), ("first", 1), ("last", last))
    links = {rel: f'<{base}page={n}&per_page={size}>; rel="{rel}"' for rel, n in rels if n is not None}
    # Past about 6 KB Canvas keeps the links in the priority next > last > prev > current > first
    # (shared/reference/vendors.md, Canvas pagination), so a long query never makes a header
    # that HTTP clients refuse to read.
    kept, size_left = set(), MAX_LINK_HEADER
    for rel in LINK_PRIORITY:
        if rel in links and len(links[rel]) + 1 <= size_left:
            kept.add(rel)
            size_left -= len(links[rel]) + 1
    return ",".join(link for rel, link in links.items() if rel in kept)


def paginate(rows: list, page=None, size=None, *, default: int = PER_PAGE, maximum: int = MAX_PER_PAGE):
    """(this page of ``rows``, headers with its Link) for the request being served."""
    size = per_page(size, default, maximum)
    number = max(ruby_to_i(page) if page is not None else 1, 1)
    last = max(1, math.ceil(len(rows) / size))
    start = (number - 1) * size
    link = link_header(context.request().url, number, size, last)
    return rows[start:start + size], ({"Link": link} if link else {})


def paged(rows: list, page=None, size=None, **limits):
    """A handler's answer: the page as the body, the Link header alongside."""
    items, headers = paginate(rows, page, size, **limits)
    return items, 200, headers
