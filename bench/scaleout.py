"""Scale-out benchmark: aggregate throughput of tenant-spread load through nginx, 1 and 2 replicas.

Targets, one after the other, each started fresh on free 127.0.0.1 ports:
  direct    wrk -> one sandbox (no proxy): the baseline
  nginx-1   wrk -> nginx (deploy/nginx.conf) -> one sandbox: what the proxy costs
  nginx-2   wrk -> nginx -> two sandboxes, tenants split by the consistent hash
Each request carries an X-Sandbox-Tenant picked round-robin from --tenants names (a wrk Lua
script; each wrk thread starts at its own offset), so the load is spread as parallel CI jobs
spread it. Scenarios: GET a quiz session by id, and create one (POST, 201). Prints a Markdown
table and writes it to bench/results/scaleout-latest.md. See bench/README.md.

    .venv/bin/python bench/scaleout.py [--duration 10] [--quick] [--tenants 32] [--targets direct,nginx-1,nginx-2]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.util
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from run import CREATE_BODY, RESULTS, SANDBOX_API, VENV_BIN, WARMUP_S, ensure_wrk, free_port, server, to_ms, tree_pids

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("nginx_loopback", ROOT / "deploy" / "nginx_loopback.py")
nginx_loopback = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nginx_loopback)

TARGETS = {  # key -> (row label, replicas, through nginx)
    "direct": ("1 replica, direct (no proxy)", 1, False),
    "nginx-1": ("nginx + 1 replica", 1, True),
    "nginx-2": ("nginx + 2 replicas", 2, True),
}
SCENARIOS = {  # name -> (method, path below the API root, body)
    "by id": ("GET", "/quiz/sessions/1", None),
    "create": ("POST", "/quiz/sessions", CREATE_BODY),
}
LUA = """-- X-Sandbox-Tenant picked per request, round-robin; each wrk thread starts at its own offset.
local tenants = {%(tenants)s}
local method, path, body = %(method)s, %(path)s, %(body)s
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("offset", threads * 7)
end
local n = 0
function init(args)
  n = offset or 0
end
function request()
  n = n + 1
  local headers = {["Authorization"] = %(auth)s, ["X-Sandbox-Tenant"] = tenants[n %% #tenants + 1]}
  if body then headers["Content-Type"] = "application/vnd.api+json" end
  return wrk.format(method, path, headers, body)
end
"""


@dataclass
class Cell:
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    # CPU time per request (user + system, from /proc) of the replicas and of nginx: unlike req/s
    # it hardly depends on what else the machine runs, so it says what one core of each can do.
    sandbox_cpu_ms: float | None = None
    proxy_cpu_ms: float | None = None
    na: str = ""  # why there is no measurement
    errors: str = ""  # wrk's non-2xx / socket error lines, if any


@dataclass
class Result:
    label: str
    cells: dict[str, Cell] = field(default_factory=dict)
    split: str = ""  # tenants per replica
    failure: str = ""


def lua_string(value: str | None) -> str:
    return "nil" if value is None else json.dumps(value)  # a JSON string is a valid Lua string here


def get(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_ok(proc: subprocess.Popen, url: str, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode}: {log.read_text(errors='replace')[-500:]}")
        with contextlib.suppress(OSError):
            if get(url)[0] == 200:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{url}: no 200 within {timeout:.0f} s")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by these processes and their children (all threads)."""
    ticks = 0
    for pid in pids:
        for p in tree_pids(pid):
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{p}/stat").read_text()
                fields = stat[stat.rindex(")") + 2:].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def run_wrk(wrk: str, url: str, script: Path, duration: int, sandboxes: list[int] = (),
            proxy: list[int] = ()) -> Cell:
    cmd = [wrk, "-t2", "-c32", f"-d{duration}s", "--latency", "-s", str(script), url]
    before = cpu_seconds(list(sandboxes)), cpu_seconds(list(proxy))
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60).stdout
    after = cpu_seconds(list(sandboxes)), cpu_seconds(list(proxy))
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    done = re.search(r"^\s*(\d+) requests in", out, re.M)
    if not (rps and p50 and p99 and done and int(done[1])):
        return Cell(na=f"unparsable wrk output: {out[-200:]!r}")
    errors = "; ".join(m.strip() for m in re.findall(r"^\s*(Non-2xx.*|Socket errors.*)$", out, re.M))
    per_request = [(a - b) * 1000 / int(done[1]) for a, b in zip(after, before)]
    return Cell(float(rps[1]), to_ms(p50[1]), to_ms(p99[1]), per_request[0],
                per_request[1] if proxy else None, errors=errors)


def bench_target(key: str, args, wrk: str, tmp: Path) -> Result:
    label, count, proxied = TARGETS[key]
    result = Result(label)
    ports = [free_port() for _ in range(count)]
    tenants = [f"bench-{n}" for n in range(args.tenants)]
    with contextlib.ExitStack() as stack:
        try:
            replicas = []
            for n, port in enumerate(ports):
                argv = [str(VENV_BIN / "mockserver"), "run", "--port", str(port), "--log-level", "warning",
                        "--scale", args.scale, "--max-tenants", str(2 * args.tenants)]
                log = tmp / f"{key}-replica-{n}.log"
                replicas.append((stack.enter_context(server(argv, log)), port, log))
            for proc, port, log in replicas:
                wait_ok(proc, f"http://127.0.0.1:{port}/__admin/health", log)
            entry, proxy = ports[0], []
            if proxied:
                entry = free_port()
                prefix = tmp / key
                prefix.mkdir()
                conf = prefix / "nginx.conf"
                conf.write_text(nginx_loopback.loopback_conf(entry, ports, prefix))
                proc = stack.enter_context(server(nginx_loopback.nginx_argv(args.nginx, prefix, conf),
                                                  prefix / "nginx.out"))
                wait_ok(proc, f"http://127.0.0.1:{entry}/__admin/health", prefix / "error.log")
                proxy = [proc.pid]
            base = f"http://127.0.0.1:{entry}"
            token = json.loads(get(f"{base}/__admin/credentials")[1])["quiz"]["token"]
            for tenant in tenants:  # make every tenant's world before measuring (a fork each)
                status, body = get(base + SANDBOX_API + SCENARIOS["by id"][1],
                                   {"Authorization": f"Bearer {token}", "X-Sandbox-Tenant": tenant})
                if status != 200:
                    raise RuntimeError(f"tenant {tenant}: HTTP {status} {body[:160]!r}")
            owned = [len(set(json.loads(get(f"http://127.0.0.1:{p}/__admin/tenants")[1])["tenants"]) & set(tenants))
                     for p in ports]
            result.split = " / ".join(map(str, owned))
            for name, (method, path, body) in SCENARIOS.items():
                script = tmp / f"{key}-{name.replace(' ', '-')}.lua"
                script.write_text(LUA % {
                    "tenants": ", ".join(lua_string(t) for t in tenants), "method": lua_string(method),
                    "path": lua_string(SANDBOX_API + path), "body": lua_string(body),
                    "auth": lua_string(f"Bearer {token}")})
                print(f"  {label}: {name} ...", file=sys.stderr)
                run_wrk(wrk, base, script, WARMUP_S)  # caches, connections: discarded
                result.cells[name] = run_wrk(wrk, base, script, args.duration,
                                             [proc.pid for proc, _, _ in replicas], proxy)
        except (RuntimeError, OSError, ValueError, KeyError, subprocess.SubprocessError) as exc:
            result.failure = f"{type(exc).__name__}: {exc}"
    return result


def fmt(value: float | None, spec: str, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:{spec}}{unit}"


def markdown(results: list[Result], args) -> str:
    now = datetime.datetime.now(datetime.timezone.utc)
    load = " / ".join(f"{x:.1f}" for x in (args.load_before[0], os.getloadavg()[0]))
    lines = [f"Scale-out, measured {now:%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores "
             f"(1-min load average before / after: {load}), {platform.python_implementation()} "
             f"{platform.python_version()}, {nginx_version(args.nginx)}, scale {args.scale}, {args.tenants} "
             f"tenants round-robin per request, wrk -t2 -c32, {args.duration} s per scenario after a "
             f"{WARMUP_S} s warm-up; the client, nginx and the replicas share the cores. CPU columns: "
             "CPU ms per request, all replicas together / nginx.", "",
             "| target | tenants per replica | by id req/s | p50 | p99 | CPU sandbox | CPU nginx "
             "| create req/s | p50 | p99 | CPU sandbox | CPU nginx |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    notes = []
    for r in results:
        row = [r.label, r.split or "n/a"]
        for name in SCENARIOS:
            cell = r.cells.get(name, Cell(na=r.failure or "not run"))
            row += [fmt(cell.rps, ",.0f"), fmt(cell.p50_ms, ".1f", " ms"), fmt(cell.p99_ms, ".1f", " ms"),
                    fmt(cell.sandbox_cpu_ms, ".2f"), fmt(cell.proxy_cpu_ms, ".2f")]
            if cell.na or cell.errors:
                notes.append(f"- {r.label}, {name}: {cell.na or cell.errors}")
        lines.append("| " + " | ".join(row) + " |")
    if notes:
        lines += ["", "Notes:", *notes]
    return "\n".join(lines) + "\n"


def nginx_version(nginx: str | None) -> str:
    if nginx is None:
        return "no nginx"
    out = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr  # nginx prints it there
    return out.strip().replace("nginx version: ", "") or "nginx"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured scenario")
    parser.add_argument("--quick", action="store_true", help="3 s per scenario")
    parser.add_argument("--tenants", type=int, default=32, help="distinct X-Sandbox-Tenant names")
    parser.add_argument("--scale", default="small", choices=("small", "medium", "large"))
    parser.add_argument("--targets", default=",".join(TARGETS), help=f"comma-separated, of {', '.join(TARGETS)}")
    args = parser.parse_args()
    if args.quick:
        args.duration = 3
    keys = [k.strip() for k in args.targets.split(",") if k.strip()]
    if unknown := [k for k in keys if k not in TARGETS]:
        parser.error(f"unknown targets: {', '.join(unknown)}")
    args.nginx = nginx_loopback.nginx_binary()
    if args.nginx is None and any(TARGETS[k][2] for k in keys):
        sys.exit("bench: nginx is required (Debian/Ubuntu: apt-get install nginx)")
    wrk = ensure_wrk()
    args.load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="mockserver-scaleout-") as tmp:
        results = [bench_target(key, args, wrk, Path(tmp)) for key in keys]
    report = markdown(results, args)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "scaleout-latest.md").write_text(report)


if __name__ == "__main__":
    main()
