"""Near misses: for a request that matched no route, the served routes it was probably meant for.

WireMock answers an unmatched request with its closest stubs ("near misses"); here the candidates
are the routes of the vendor's spec. A route's template has its parameters filled from the
request's own segments, so ``/courses/12/enrolments`` is scored against
``/courses/12/enrollments``; the score is difflib's ratio of the two paths, a little less when the
route lacks the request's method.
"""

from __future__ import annotations

import functools
from difflib import SequenceMatcher

OTHER_METHOD = 0.9  # a route with the right path but another method is still a good guess
SHOWN = 3
LONGEST = 300  # a longer path is no typo of a route (and difflib is quadratic): no guesses
SPAN = 2  # routes with this many segments more or fewer than the request are not candidates


def _filled(template: str, segments: list[str]) -> str:
    parts = template.strip("/").split("/")
    return "/" + "/".join(segments[i] if "{" in part and i < len(segments) else part
                          for i, part in enumerate(parts))


def closest(apis, method: str, path: str, shown: int = SHOWN) -> list[dict] | None:
    """The closest routes of the API ``path`` belongs to, best first; None when a route matches."""
    api = next((a for a in apis if path == a.prefix or path.startswith(a.prefix + "/")), None)
    if api is None:
        return []
    sub = path[len(api.prefix):] or "/"
    if api.find(sub, method)[0] is not None:
        return None
    if len(sub) > LONGEST:
        return []
    return [dict(miss) for miss in _closest(api, method, sub, shown)]


@functools.lru_cache(maxsize=512)  # a client that misses once usually misses the same way again
def _closest(api, method: str, sub: str, shown: int) -> tuple:
    segments = sub.strip("/").split("/")
    # One matcher with the request as its second sequence (difflib caches what it learns about
    # that one); the cheap upper bounds skip the routes that cannot enter the top ``shown``.
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(sub)
    scored: list[tuple[float, str, str]] = []
    floor = 0.0
    for route in api.routes():
        if abs(route.template.strip("/").count("/") + 1 - len(segments)) > SPAN:
            continue
        matcher.set_seq1(_filled(route.template, segments))
        if matcher.real_quick_ratio() <= floor or matcher.quick_ratio() <= floor:
            continue
        ratio = matcher.ratio()
        for candidate in route.methods:
            score = ratio if candidate == method else ratio * OTHER_METHOD
            scored.append((-score, route.template, candidate))
        if len(scored) >= shown:
            scored.sort()
            del scored[shown * 4:]
            floor = -scored[shown - 1][0] * OTHER_METHOD  # below this even the right method loses
    scored.sort()
    return tuple({"method": m, "path": api.prefix + t, "score": round(-s, 3)} for s, t, m in scored[:shown])
