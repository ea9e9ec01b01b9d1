"""Load benchmark: the sandbox vs Stoplight Prism's static mock, vendor by vendor, on the same specs.

One sandbox (all four vendors loaded) and, for each vendor, one Prism serving the spec the sandbox
publishes for it; each server runs alone as a subprocess on a free 127.0.0.1 port while wrk drives
it. Prints a Markdown table and writes it to bench/results/latest.md. See bench/README.md.

    .venv/bin/python bench/run.py [--duration 10] [--quick] [--scale small] [--vendors quiz,synap]
"""

from __future__ import annotations

import argparse
import base64
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
RESULTS = BENCH / "results"
WARMUP_S = 2  # unmeasured wrk run before each measured one

QUIZ_BODY = '{"data":{"type":"quiz/sessions","attributes":{"person_id":1001}}}'


@dataclass
class Scenario:
    name: str
    method: str
    path: str  # below the vendor's API root; {id} is filled from the seeded world
    body: str | None = None


VENDORS = {  # vendor -> (API root in the sandbox, scenarios, how to find {id})
    "quiz": ("/quiz/api/v3", [Scenario("by id", "GET", "/quiz/sessions/1"),
                              Scenario("list", "GET", "/quiz/sessions?filter%5Bstatus%5D=completed&page%5Bsize%5D=20"),
                              Scenario("create", "POST", "/quiz/sessions", QUIZ_BODY)], None),
    "skilljar": ("/skilljar/v1", [Scenario("by id", "GET", "/assets/{id}"),
                                  Scenario("list", "GET", "/courses?page_size=20")], ("/assets?page_size=1", "results")),
    "canvas": ("/canvas/api/v1", [Scenario("by id", "GET", "/accounts/1"),
                                  Scenario("list", "GET", "/accounts/1/courses?per_page=20")], None),
    "synap": ("/synap/v3", [Scenario("by id", "GET", "/users/{id}"),
                            Scenario("list", "GET", "/users?limit=20&offset=0")], ("/users?limit=1&offset=0", "data")),
}
MEDIA = {"quiz": "application/vnd.api+json", "synap": "application/vnd.api+json"}


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
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)  # (vendor, scenario) -> cell
    starts: dict[str, float] = field(default_factory=dict)  # what started -> seconds to the first 200
    peak_rss_mib: dict[str, float] = field(default_factory=dict)
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


def http(method: str, url: str, headers: dict | None = None, body: str | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, method=method, headers=headers or {},
                                 data=body.encode() if body is not None else None)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
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
def server(argv: list[str], log: Path, env: dict | None = None):
    """Spawn argv in its own process group; always kill that group on exit."""
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, env=env)
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


def sandbox_argv(port: int, scale: str) -> list[str]:
    return [str(VENV_BIN / "mockserver"), "run", "--port", str(port), "--log-level", "warning", "--scale", scale]


def sandbox_env(cache: Path | None = None) -> dict:
    """An installed package has its bytecode compiled (pip does it): so does the benchmarked one."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if cache is not None:
        env["MOCKSERVER_CACHE_DIR"] = str(cache)
    return env


def auth_headers(vendor: str, credentials: dict) -> dict:
    found = credentials[vendor]
    if vendor == "skilljar":
        return {"Authorization": "Basic " + base64.b64encode(f"{found['api_key']}:".encode()).decode()}
    return {"Authorization": f"Bearer {found['token']}"}


def time_to_health(argv: list[str], env: dict, port: int, log: Path) -> float:
    """Seconds from spawn to the first 200 of /__admin/health (the server is stopped after)."""
    started = time.perf_counter()
    with server(argv, log, env) as proc:
        wait_ready(proc, lambda: http("GET", f"http://127.0.0.1:{port}/__admin/health")[0] == 200, log)
        return time.perf_counter() - started


# -- measuring ---------------------------------------------------------------------------------
def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]


def run_wrk(wrk: str, url: str, headers: dict, duration: int, lua: Path | None) -> Cell:
    cmd = [wrk, "-t2", "-c32", f"-d{duration}s", "--latency"]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    cmd += ["-s", str(lua)] if lua else []
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=duration + 60).stdout
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    if not (rps and p50 and p99):
        return Cell(na=f"unparsable wrk output: {out[-200:]!r}")
    errors = "; ".join(m.strip() for m in re.findall(r"^\s*(Non-2xx.*|Socket errors.*)$", out, re.M))
    return Cell(float(rps[1]), to_ms(p50[1]), to_ms(p99[1]), errors=errors)


def post_lua(tmp: Path, vendor: str, body: str) -> Path:
    lua = tmp / f"post-{vendor}.lua"
    lua.write_text(f"""wrk.method = "POST"\nwrk.body = '{body}'\nwrk.headers["Content-Type"] = "{MEDIA.get(vendor, "application/json")}"\n""")
    return lua


def measure(wrk: str, base: str, vendor: str, scenarios: list[Scenario], headers: dict, args, tmp: Path,
            result: Result, reset: str | None) -> None:
    for sc in scenarios:
        url = base + sc.path
        status, reply = http(sc.method, url, {**headers, "Content-Type": MEDIA.get(vendor, "application/json")}, sc.body)
        if not 200 <= status < 300:
            result.cells[(vendor, sc.name)] = Cell(na=f"HTTP {status}: {reply[:160].decode(errors='replace')}")
            continue
        print(f"  {result.label}: {vendor} {sc.name} ...", file=sys.stderr)
        lua = post_lua(tmp, vendor, sc.body) if sc.method == "POST" else None
        run_wrk(wrk, url, headers, WARMUP_S, lua)  # warm-up, discarded
        if reset:  # each measurement starts from the seeded world (a create grows the store)
            http("POST", reset)
        result.cells[(vendor, sc.name)] = run_wrk(wrk, url, headers, args.duration, lua)


def bench_sandbox(args, wrk: str, tmp: Path, vendors: list[str]) -> tuple[Result, dict, dict, dict]:
    """Cold starts, then every scenario of every vendor on one sandbox; returns its specs and ids."""
    result = Result("sandbox")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    argv = sandbox_argv(port, args.scale)
    cold = tmp / "cold-cache"
    result.starts["sandbox, first start (empty caches)"] = time_to_health(argv, sandbox_env(cold), port, tmp / "s0.log")
    # What the Docker image's build does: every cache warm, the OpenAPI-schema checks included
    # (a first start runs those while it serves, and was stopped as soon as it answered).
    subprocess.run([str(VENV_BIN / "mockserver"), "check"], env=sandbox_env(cold), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    result.starts["sandbox, second start (caches warm)"] = time_to_health(argv, sandbox_env(cold), port, tmp / "s1.log")
    specs, ids = {}, {}
    with server(argv, tmp / "sandbox.log", sandbox_env(cold)) as proc:
        wait_ready(proc, lambda: http("GET", f"{base}/__admin/health")[0] == 200, tmp / "sandbox.log")
        credentials = json.loads(http("GET", f"{base}/__admin/credentials")[1])
        if "canvas" in vendors:  # Canvas's throttle would answer most of the load with 403 (Prism has none)
            http("POST", f"{base}/__admin/vendors/canvas/actions/throttle", {"Content-Type": "application/json"},
                 '{"enabled": false}')
        for vendor in vendors:
            root, scenarios, finder = VENDORS[vendor]
            headers = auth_headers(vendor, credentials)
            specs[vendor] = http("GET", f"{base}{root}/openapi.json")[1]
            if finder:
                listed = json.loads(http("GET", base + root + finder[0], headers)[1])[finder[1]]
                ids[vendor] = str(listed[0]["id"])
            filled = [Scenario(sc.name, sc.method, sc.path.replace("{id}", ids.get(vendor, "1")), sc.body) for sc in scenarios]
            measure(wrk, base + root, vendor, filled, headers, args, tmp, result, f"{base}/__admin/reset")
        result.peak_rss_mib["sandbox"] = peak_rss_mib(proc.pid)
    return result, specs, ids, credentials


def bench_prism(args, wrk: str, tmp: Path, vendors: list[str], specs: dict, ids: dict, credentials: dict,
                quiet: bool) -> Result:
    result = Result("Prism static mock" + (", -v error" if quiet else ""))
    for vendor in vendors:
        spec = tmp / f"{vendor}-openapi.json"
        spec.write_bytes(specs[vendor])
        port = free_port()
        argv = [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), *(["-v", "error"] if quiet else []), str(spec)]
        root, scenarios, _finder = VENDORS[vendor]
        headers = auth_headers(vendor, credentials)
        filled = [Scenario(sc.name, sc.method, sc.path.replace("{id}", ids.get(vendor, "1")), sc.body) for sc in scenarios]
        log = tmp / f"prism-{vendor}.log"
        started = time.perf_counter()
        try:
            with server(argv, log) as proc:
                first = filled[0]
                wait_ready(proc, lambda: http("GET", f"http://127.0.0.1:{port}{first.path}", headers)[0] < 500, log)
                result.starts[f"Prism, {vendor} spec"] = time.perf_counter() - started
                measure(wrk, f"http://127.0.0.1:{port}", vendor, filled, headers, args, tmp, result, None)
                result.peak_rss_mib[vendor] = peak_rss_mib(proc.pid)
        except (RuntimeError, OSError, ValueError, subprocess.SubprocessError) as exc:
            result.failure += f"{vendor}: {type(exc).__name__}: {exc}; "
    return result


# -- report ------------------------------------------------------------------------------------
def fmt(value: float | None, spec: str, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:{spec}}{unit}"


def markdown(ours: Result, theirs: list[Result], args, versions: dict[str, str]) -> str:
    head = ["vendor", "scenario", "sandbox req/s", "p50", "p99"]
    for other in theirs:
        head += [f"{other.label} req/s", "p50", "p99", "ratio"]
    lines = ["| " + " | ".join(head) + " |", "|---|---" + "|---:" * (len(head) - 2) + "|"]
    notes = []
    for (vendor, name), cell in ours.cells.items():
        row = [vendor, name, fmt(cell.rps, ",.0f"), fmt(cell.p50_ms, ".2f", " ms"), fmt(cell.p99_ms, ".2f", " ms")]
        for label, c in [(ours.label, cell)] + [(o.label, o.cells.get((vendor, name), Cell(na="not run"))) for o in theirs]:
            if c.na:
                notes.append(f"- {label}, {vendor} {name}: n/a ({c.na})")
            if c.errors:
                notes.append(f"- {label}, {vendor} {name}: {c.errors}")
        for other in theirs:
            c = other.cells.get((vendor, name), Cell())
            ratio = f"{cell.rps / c.rps:.2f}x" if cell.rps and c.rps else "n/a"
            row += [fmt(c.rps, ",.0f"), fmt(c.p50_ms, ".2f", " ms"), fmt(c.p99_ms, ".2f", " ms"), ratio]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "| start | seconds to the first 200 |", "|---|---:|"]
    for result in [ours, *theirs]:
        lines += [f"| {what} | {seconds:.2f} s |" for what, seconds in result.starts.items()]
        if result.failure:
            notes.append(f"- {result.label}: {result.failure}")
    rss = [f"{r.label} {k}: {v:.0f} MiB" for r in [ours, *theirs] for k, v in r.peak_rss_mib.items() if v]
    cpu = re.search(r"^model name\s*:\s*(.*)$", Path("/proc/cpuinfo").read_text(), re.M)
    lines += ["", "Peak RSS: " + "; ".join(rss),
              "", f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; nproc {os.cpu_count()}; "
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
    parser.add_argument("--vendors", default=",".join(VENDORS), help=f"subset of {','.join(VENDORS)} (default: all)")
    parser.add_argument("--prism", choices=["quiet", "both", "none"], default="quiet",
                        help="Prism's quiet mode (-v error, the default), both its modes, or none")
    args = parser.parse_args()
    args.duration = 3 if args.quick else args.duration
    vendors = [v.strip() for v in args.vendors.split(",") if v.strip()]
    if unknown := set(vendors) - set(VENDORS):
        parser.error(f"unknown vendor(s): {', '.join(sorted(unknown))}")

    wrk = ensure_wrk()
    versions = {"Python": platform.python_version(), "connexion": importlib.metadata.version("connexion"),
                "mockserver": importlib.metadata.version("mockserver")}
    with tempfile.TemporaryDirectory(prefix="mockserver-bench-") as tmpdir:
        tmp = Path(tmpdir)
        print("benchmarking the sandbox ...", file=sys.stderr)
        ours, specs, ids, credentials = bench_sandbox(args, wrk, tmp, vendors)
        theirs = []
        if args.prism != "none":
            ensure_prism()
            versions["Prism"] = subprocess.run([str(PRISM), "--version"], capture_output=True, text=True).stdout.strip()
            for quiet in ((True,) if args.prism == "quiet" else (True, False)):
                print(f"benchmarking Prism{' -v error' if quiet else ''} ...", file=sys.stderr)
                theirs.append(bench_prism(args, wrk, tmp, vendors, specs, ids, credentials, quiet))
        versions["wrk"] = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split()[1]

    report = markdown(ours, theirs, args, versions)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(report)
    (RESULTS / f"{datetime.datetime.now():%Y%m%d-%H%M%S}-{args.scale}.md").write_text(report)


if __name__ == "__main__":
    main()
