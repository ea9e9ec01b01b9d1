"""Near misses: for a request that matched no route, the served routes it was probably meant for.

WireMock answers an unmatched request with its closest stubs ("near misses"); here the candidates
are the routes of the vendor's spec. A route's template has its parameters filled from the
request's own segments, so ``/courses/12/enrolments`` is scored against
``/courses/12/enrollments``; the score is difflib's ratio of the two paths, a little less when the
route lacks the request's method.
"""

from __future__ import annotations

from difflib import SequenceMatcher

OTHER_METHOD = 0.9  # a route with the right path but another method is still a good guess
SHOWN = 3


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
    segments = sub.strip("/").split("/")
    scored = []
    for route in [*api.literal.values(), *api.templated]:
        ratio = SequenceMatcher(None, sub, _filled(route.template, segments), autojunk=False).ratio()
        for candidate in route.methods:
            score = ratio if candidate == method else ratio * OTHER_METHOD
            scored.append((-score, route.template, candidate))
    scored.sort()
    return [{"method": m, "path": api.prefix + t, "score": round(-s, 3)} for s, t, m in scored[:shown]]
