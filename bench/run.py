"""Load benchmark: the sandbox (async and flask flavours) vs Stoplight Prism's static mock.

Every target runs alone, one after the other, as a subprocess on a free 127.0.0.1 port; wrk
drives three scenarios of the quiz sessions API (GET by id, filtered list, create). Prints a
Markdown table and writes it to bench/results/latest.md. See bench/README.md.

    .venv/bin/python bench/run.py [--duration 10] [--quick] [--scale small] [--targets async,prism]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
PRISM = BENCH / ".prism" / "node_modules" / ".bin" / "prism"
SPEC = BENCH / ".prism" / "quiz-openapi.json"
RESULTS = BENCH / "results"
WARMUP_S = 2  # unmeasured wrk run before each measured one

SANDBOX_API = "/quiz/api/v3"  # the sandbox serves the quiz spec under this root; Prism at /
CREATE_BODY = '{"data":{"type":"quiz/sessions","attributes":{"person_id":1001}}}'
SCENARIOS = {  # name -> (method, path below the API root)
    "by id": ("GET", "/quiz/sessions/1"),
    "list": ("GET", "/quiz/sessions?filter%5Bstatus%5D=completed&page%5Bsize%5D=20"),
    "create": ("POST", "/quiz/sessions"),
}
TARGETS = {  # key -> (row label, sandbox flavour or None for Prism, extra Prism args)
    "async": ("sandbox, async", "async", []),
    "flask": ("sandbox, flask", "flask", []),
    "prism": ("Prism mock", None, []),
    "prism-quiet": ("Prism mock -v error", None, ["-v", "error"]),
}
POST_LUA = f"""wrk.method = "POST"
wrk.body = '{CREATE_BODY}'
wrk.headers["Content-Type"] = "application/vnd.api+json"
"""


@dataclass
class Cell:
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    na: str = ""  # why there is no measurement
    errors: str = ""  # wrk's non-2xx / socket error lines, if any


@dataclass
class Result:
    label: str
    cells: dict[str, Cell] = field(default_factory=dict)
    cold_start_s: float | None = None
    peak_rss_mib: float | None = None
    failure: str = ""


# -- tools -------------------------------------------------------------------------------------
def run_quiet(cmd: list[str]) -> bool:
    return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def ensure_wrk() -> str:
    if not shutil.which("wrk") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk not found: apt-get install -y wrk", file=sys.stderr)
        if not run_quiet(["apt-get", "install", "-y", "wrk"]):
            run_quiet(["apt-get", "update"])
            run_quiet(["apt-get", "install", "-y", "wrk"])
    if not (wrk := shutil.which("wrk")):
        sys.exit("bench: wrk is required (Debian/Ubuntu: apt-get install wrk) and could not be installed")
    return wrk


def ensure_prism() -> None:
    if PRISM.exists():
        return
    if not shutil.which("npm"):
        sys.exit("bench: Prism targets need npm (Node.js) to install @stoplight/prism-cli")
    print("installing Prism into bench/.prism ...", file=sys.stderr)
    subprocess.run(["npm", "install", "--silent", "--prefix", str(BENCH / ".prism"),
                    "@stoplight/prism-cli"], check=True)


# -- servers -----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, token: str | None = None, body: str | None = None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/vnd.api+json"
    req = urllib.request.Request(url, method=method, headers=headers,
                                 data=body.encode() if body is not None else None)
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def tree_pids(pid: int) -> list[int]:
    """pid and all its descendants (via /proc/<pid>/task/*/children)."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        for children in Path(f"/proc/{p}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in children.read_text().split()]
    return pids


def peak_rss_mib(pid: int) -> float | None:
    """VmHWM of the biggest process in the tree: the server itself (node for Prism, even behind a wrapper)."""
    peaks = []
    for p in tree_pids(pid):
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{p}/status").read_text()
            peaks += [int(m) for m in re.findall(r"^VmHWM:\s+(\d+) kB", status, re.M)]
    return max(peaks) / 1024 if peaks else None


@contextlib.contextmanager
def server(argv: list[str], log: Path):
    """Spawn argv in its own process group; always kill that group on exit."""
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        yield proc
    finally:
        for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(grace)
                break


def wait_ready(proc: subprocess.Popen, probe, log: Path, timeout: float = 180) -> None:
    """Poll probe() until it returns True; fail early if the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode}: {log.read_text(errors='replace')[-500:]}")
        with contextlib.suppress(OSError):
            if probe():
                return
        time.sleep(0.02)
    raise RuntimeError(f"no 200 within {timeout:.0f} s: {log.read_text(errors='replace')[-500:]}")


def sandbox_argv(port: int, flavour: str, scale: str) -> list[str]:
    return [str(VENV_BIN / "mockserver"), "run", "--port", str(port), "--log-level", "warning",
            "--scale", scale, "--flavour", flavour]


def fetch_spec(scale: str, tmp: Path) -> str:
    """Start a sandbox, save its quiz spec for Prism and return the demo token."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with server(sandbox_argv(port, "async", scale), tmp / "spec-sandbox.log") as proc:
        wait_ready(proc, lambda: http("GET", f"{base}/__admin/health")[0] == 200, tmp / "spec-sandbox.log")
        SPEC.write_bytes(http("GET", f"{base}{SANDBOX_API}/openapi.json")[1])
        return json.loads(http("GET", f"{base}/__admin/credentials")[1])["quiz"]["token"]


# -- measuring ---------------------------------------------------------------------------------
def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]


def run_wrk(wrk: str, method: str, url: str, token: str, duration: int, lua: Path) -> Cell:
    cmd = [wrk, "-t2", "-c32", f"-d{duration}s", "--latency", "-H", f"Authorization: Bearer {token}"]
    cmd += ["-s", str(lua)] if method == "POST" else []
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=duration + 60).stdout
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    if not (rps and p50 and p99):
        return Cell(na=f"unparsable wrk output: {out[-200:]!r}")
    errors = "; ".join(m.strip() for m in re.findall(r"^\s*(Non-2xx.*|Socket errors.*)$", out, re.M))
    return Cell(float(rps[1]), to_ms(p50[1]), to_ms(p99[1]), errors=errors)


def bench_target(key: str, args, wrk: str, token: str | None, tmp: Path) -> Result:
    label, flavour, prism_args = TARGETS[key]
    result = Result(label)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    api = f"{base}{SANDBOX_API}" if flavour else base
    if flavour:
        argv = sandbox_argv(port, flavour, args.scale)
    else:
        argv = [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), *prism_args, str(SPEC)]
    log = tmp / f"{key}.log"
    by_id = api + SCENARIOS["by id"][1]

    def first_200() -> bool:  # the sandbox's token comes from its own admin API (ready as soon as it listens)
        nonlocal token
        if flavour and token is None:
            token = json.loads(http("GET", f"{base}/__admin/credentials")[1])["quiz"]["token"]
        return http("GET", by_id, token)[0] == 200

    started = time.perf_counter()
    try:
        with server(argv, log) as proc:
            wait_ready(proc, first_200, log)
            result.cold_start_s = time.perf_counter() - started
            for name, (method, path) in SCENARIOS.items():
                body = CREATE_BODY if method == "POST" else None
                status, reply = http(method, api + path, token, body)
                if not 200 <= status < 300:
                    result.cells[name] = Cell(na=f"HTTP {status}: {reply[:160].decode(errors='replace')}")
                    continue
                print(f"  {label}: {name} ...", file=sys.stderr)
                run_wrk(wrk, method, api + path, token, WARMUP_S, tmp / "post.lua")  # JIT, caches: discarded
                if flavour:  # each measurement starts from the seeded world (create grows the store)
                    http("POST", f"{base}/__admin/reset")
                result.cells[name] = run_wrk(wrk, method, api + path, token, args.duration, tmp / "post.lua")
            result.peak_rss_mib = peak_rss_mib(proc.pid)
    except (RuntimeError, OSError, ValueError, KeyError, subprocess.SubprocessError) as exc:
        result.failure = f"{type(exc).__name__}: {exc}"
    return result


# -- report ------------------------------------------------------------------------------------
def fmt(value: float | None, spec: str, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:{spec}}{unit}"


def markdown(results: list[Result], args, versions: dict[str, str]) -> str:
    head = ["target"] + [f"{s} {c}" if c == "req/s" else c for s in SCENARIOS for c in ("req/s", "p50", "p99")]
    head += ["cold start", "peak RSS"]
    lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
    notes = []
    for r in results:
        row = [r.label]
        for name in SCENARIOS:
            c = r.cells.get(name, Cell(na=r.failure or "not run"))
            row += [fmt(c.rps, ",.0f"), fmt(c.p50_ms, ".2f", " ms"), fmt(c.p99_ms, ".2f", " ms")]
            if c.na:
                notes.append(f"- {r.label}, {name}: n/a ({c.na})")
            if c.errors:
                row[-3] += " ⚠"
                notes.append(f"- {r.label}, {name}: {c.errors}")
        row += [fmt(r.cold_start_s, ".2f", " s"), fmt(r.peak_rss_mib, ".0f", " MiB")]
        lines.append("| " + " | ".join(row) + " |")
        if r.failure:
            notes.append(f"- {r.label}: {r.failure}")

    by_label = {r.label: r for r in results}
    ours, prism = by_label.get(TARGETS["async"][0]), by_label.get(TARGETS["prism"][0])
    if ours and prism:
        ratios = []
        for name in SCENARIOS:
            a, b = ours.cells.get(name, Cell()).rps, prism.cells.get(name, Cell()).rps
            ratios.append(f"{name} {a / b:.2f}x" if a and b else f"{name} n/a")
        lines += ["", "Throughput, sandbox async / Prism mock: " + ", ".join(ratios)]
    cpu = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.M)
    lines += ["", f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; nproc {os.cpu_count()}; "
              f"CPU {cpu[1] if cpu else 'unknown'}; scale {args.scale}; {args.duration} s per scenario after a "
              f"{WARMUP_S} s warm-up, wrk -t2 -c32 (client on the same cores)",
              "; ".join(f"{k} {v}" for k, v in versions.items())]
    if notes:
        lines += ["", "Notes:", *notes]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario (default 10)")
    parser.add_argument("--quick", action="store_true", help="3 s per scenario")
    parser.add_argument("--scale", choices=["small", "medium", "large"], default="small")
    parser.add_argument("--targets", default=",".join(TARGETS),
                        help=f"comma-separated subset of {','.join(TARGETS)} (default: all)")
    args = parser.parse_args()
    args.duration = 3 if args.quick else args.duration
    keys = [k.strip() for k in args.targets.split(",") if k.strip()]
    if unknown := set(keys) - set(TARGETS):
        parser.error(f"unknown target(s): {', '.join(sorted(unknown))}")

    wrk = ensure_wrk()
    versions = {"Python": platform.python_version(), "connexion": importlib.metadata.version("connexion"),
                "mockserver": importlib.metadata.version("mockserver")}
    token = None
    with tempfile.TemporaryDirectory(prefix="mockserver-bench-") as tmpdir:
        tmp = Path(tmpdir)
        (tmp / "post.lua").write_text(POST_LUA)
        if any(TARGETS[k][1] is None for k in keys):
            ensure_prism()
            versions["Prism"] = subprocess.run([str(PRISM), "--version"], capture_output=True,
                                               text=True).stdout.strip()
            token = fetch_spec(args.scale, tmp)  # Prism only checks that a bearer token is present
        versions["wrk"] = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split()[1]
        results = []
        for key in keys:
            print(f"benchmarking {key} ...", file=sys.stderr)
            results.append(bench_target(key, args, wrk, None if TARGETS[key][1] else token, tmp))

    report = markdown(results, args, versions)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(report)
    (RESULTS / f"{datetime.datetime.now():%Y%m%d-%H%M%S}-{args.scale}.md").write_text(report)


if __name__ == "__main__":
    main()
