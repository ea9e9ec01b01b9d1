"""Lists and creates at scale large (50,000 rows per main resource): server time per request.

Starts one sandbox at ``--scale large`` (seeded, or read from the cache), sends each scenario
``--repeat`` times one after the other, and reports the median and p95 of the server's own time
for it (``duration_ms`` in the request journal: gateway to last byte, no client or network), the
start time and the peak RSS (after each scenario, and at the end). See bench/README.md.

``--every-table`` instead reads every table of the world, in process, ``--passes`` times in turn
(what the ``--table-bytes`` budget bounds): the time per pass, the peak RSS and the budget's use.

    .venv/bin/python bench/large.py [--repeat 50]
    .venv/bin/python bench/large.py --every-table [--passes 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import auth_headers, free_port, http, peak_rss_mib, sandbox_argv, sandbox_env, server, wait_ready  # noqa: E402

SCENARIOS = [  # (label, vendor, method, path below the API root, body)
    ("Skilljar users by email", "skilljar", "GET", "/skilljar/v1/users?email=demo.learner%40example.com", None),
    ("Skilljar domain users by user__email", "skilljar", "GET",
     "/skilljar/v1/domains/academy.demo-learning.com/users?user__email=demo.learner%40example.com", None),
    ("Skilljar domain users, a page", "skilljar", "GET", "/skilljar/v1/domains/academy.demo-learning.com/users", None),
    ("Canvas enrollments of one course (125,000 rows)", "canvas", "GET",
     "/canvas/api/v1/courses/1/enrollments?per_page=50", None),
    ("Canvas account users, a page (50,000 rows, scanned)", "canvas", "GET",
     "/canvas/api/v1/accounts/1/users?per_page=50", None),
    ("Synap users, filter[locale] + sort", "synap", "GET",
     "/synap/v3/users?limit=20&offset=0&filter%5Blocale%5D=fr&sort=-createdAt", None),
    ("quiz name__match + sort + count", "quiz", "GET",
     "/quiz/api/v3/quiz/sessions?filter%5Bname__match%5D=python&sort=-score&page%5Bsize%5D=20&count=true", None),
    ("quiz filtered list", "quiz", "GET",
     "/quiz/api/v3/quiz/sessions?filter%5Bstatus%5D=completed&page%5Bsize%5D=20", None),
    ("quiz create", "quiz", "POST", "/quiz/api/v3/quiz/sessions",
     '{"data":{"type":"quiz/sessions","attributes":{"person_id":1001}}}'),
]


def every_table(passes: int) -> None:
    """Read every table of the large world (from the cache, else seeded) ``passes`` times, in process."""
    from mockserver import vendors
    from mockserver.sandbox import Sandbox
    from mockserver.settings import Settings
    from mockserver.store import POOL

    settings = Settings(scale="large")
    sandbox = Sandbox(settings, vendors.selected())
    counts = sandbox.store.counts()
    print(f"{len(counts)} tables, {sum(counts.values()):,} documents; peak RSS after start "
          f"{peak_rss_mib(os.getpid()):.0f} MiB; budget {settings.table_bytes >> 20} MiB")
    for n in range(1, passes + 1):
        started = time.perf_counter()
        for name in counts:
            sandbox.store.rows(name)
        print(f"pass {n}: {time.perf_counter() - started:.1f} s; peak RSS {peak_rss_mib(os.getpid()):.0f} MiB; "
              f"decoded tables (estimate) {POOL.used() >> 20} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--every-table", action="store_true", help="read every table in process instead")
    parser.add_argument("--passes", type=int, default=2)
    args = parser.parse_args()
    if args.every_table:
        every_table(args.passes)
        return
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="mockserver-large-") as tmpdir:
        log = Path(tmpdir) / "large.log"
        started = time.perf_counter()
        with server(sandbox_argv(port, "large"), log, sandbox_env()) as proc:
            wait_ready(proc, lambda: http("GET", f"{base}/__admin/health")[0] == 200, log, timeout=600)
            start = time.perf_counter() - started
            credentials = json.loads(http("GET", f"{base}/__admin/credentials")[1])
            rows = []
            for label, vendor, method, path, body in SCENARIOS:
                headers = {**auth_headers(vendor, credentials), "Content-Type": "application/vnd.api+json"}
                http("DELETE", f"{base}/__admin/requests")
                statuses = {http(method, base + path, headers, body)[0] for _ in range(args.repeat)}
                entries = json.loads(http("GET", f"{base}/__admin/requests?limit={args.repeat}")[1])["requests"]
                times = sorted(e["duration_ms"] for e in entries)
                p95 = times[max(0, int(len(times) * 0.95) - 1)]
                rows.append(f"| {label} | {statistics.median(times):.2f} ms | {p95:.2f} ms | {sorted(statuses)} "
                            f"| {peak_rss_mib(proc.pid):.0f} MiB |")
            rss = peak_rss_mib(proc.pid)
    print("| scenario (scale large) | server time p50 | p95 | status | peak RSS so far |")
    print("|---|---:|---:|---|---:|")
    print("\n".join(rows))
    print(f"\nStart to the first healthy answer: {start:.1f} s; peak RSS {rss:.0f} MiB; {args.repeat} requests each.")


if __name__ == "__main__":
    main()
