"""Which of the seed's 654 Synap operations (shared/reference/synap-seed-operations.tsv) our specs
serve: each (group, title) pair must be an operation whose first tag is the group and whose
summary is the title, as many times as the list names it.

    python tests/synap/synap_coverage.py [GROUP ...]    # prints what is missing (all groups by default)
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TSV = ROOT.parent / "shared" / "reference" / "synap-seed-operations.tsv"


def documented() -> Counter:
    with TSV.open() as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    return Counter((row[0], row[1]) for row in rows[1:] if row)


def served() -> Counter:
    sys.path.insert(0, str(ROOT))
    from mockserver.specs import METHODS, bundle

    found: Counter = Counter()
    for item in bundle("synap").document["paths"].values():
        for method in METHODS:
            if method in item:
                op = item[method]
                found[((op.get("tags") or [""])[0], op.get("summary", ""))] += 1
    return found


def missing(groups: list[str] | None = None) -> Counter:
    gap = documented() - served()
    return Counter({k: v for k, v in gap.items() if not groups or k[0] in groups})


if __name__ == "__main__":
    gap = missing(sys.argv[1:] or None)
    for (group, title), n in sorted(gap.items()):
        print(f"{group}\t{title}" + (f"\t(x{n})" if n > 1 else ""))
    total = sum(documented().values())
    print(f"{total - sum(missing().values())}/{total} documented operations served; "
          f"{sum(gap.values())} missing in {' '.join(sys.argv[1:]) or 'all groups'}", file=sys.stderr)
