"""``X-Sandbox-Warning``: the sandbox answers as production does and says what production would
do silently (issue 15).

Where the real service ignores part of a request without a word (an undeclared filter key, an
attribute a create does not take), or where a standard lets a server refuse something but the
vendor's own answer is unverified, the sandbox answers exactly as production and adds this
header, naming what was ignored and why. Requests production accepts as they are get no warning.

A response carries at most one line from its handler (its warnings joined by ``"; "``) and one
from the vendor's ``before_request`` hook; the gateway keeps every line in the journal entry's
``warnings`` and the pytest plugin lists them (``sandbox.warnings(...)``), so a suite can fail
on them if its authors want.
"""

from __future__ import annotations

HEADER = "X-Sandbox-Warning"


def header(*warnings: str) -> dict[str, str]:
    """The response headers that carry ``warnings`` (none when there is nothing to say)."""
    found = [w for w in warnings if w]
    # Warnings quote request parts, which a client may spell in any script or with control
    # characters: escaped to printable ASCII, a header value can carry them all.
    text = "; ".join(found).encode("unicode_escape").decode("ascii")
    return {HEADER: text} if found else {}
