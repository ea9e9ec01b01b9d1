"""What durability costs: one committed store write (a quiz-session-sized document) in memory,
with --data (the change-log record handed to the OS before the write returns) and with --data
--fsync (the record on disk before it returns). Prints a Markdown table.

    .venv/bin/python bench/durability.py [--writes 2000] [--dir /path/on/the/disk/to/measure]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mockserver.store import Store  # noqa: E402

DOC = {"person_id": 31337, "status": "pending", "quiz_id": 12, "created_at": "2026-01-01T00:00:00Z",
       "updated_at": "2026-01-01T00:00:00Z", "score": None, "answers": [], "metadata": {"source": "bench"}}


def measure(store: Store, writes: int) -> list[float]:
    took = []
    for _ in range(writes):
        began = time.perf_counter()
        store.insert_auto("quiz_sessions", DOC)
        took.append((time.perf_counter() - began) * 1e6)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--dir", type=Path, default=None, help="where the data file goes (default: a temp folder)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        for label, data, fsync in (("in memory", None, False), ("--data", "plain.json", False),
                                   ("--data --fsync", "synced.json", True)):
            store = Store()
            if data:
                store.attach(Path(folder) / data, fsync=fsync, compact_interval=3600)
            took = sorted(measure(store, args.writes))
            store.close()
            rows.append((label, statistics.median(took), took[int(len(took) * 0.99)], 1e6 / statistics.mean(took)))
    print(f"| mode ({args.writes} single-write commits) | p50 µs | p99 µs | writes/s |")
    print("|---|---:|---:|---:|")
    for label, p50, p99, rate in rows:
        print(f"| {label} | {p50:.0f} | {p99:.0f} | {rate:,.0f} |")


if __name__ == "__main__":
    main()
