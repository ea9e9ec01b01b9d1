"""``mockserver run | routes | seed | check``."""

from __future__ import annotations

import gc
import os
import socket
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from mockserver import __version__
from mockserver import vendors as registry
from mockserver.settings import SCALES, Settings
from mockserver.specs import SpecError
from mockserver.worldgen import SeedingFailed

LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


def _env(name: str) -> str:
    return f"MOCKSERVER_{name}"


def world_options(fn):
    fn = click.option("--scale", type=click.Choice(SCALES), default="small", show_default=True,
                      envvar=_env("SCALE"), show_envvar=True,
                      help="World size: small starts fast; large (>= 50k rows) is for demos and benchmarks.")(fn)
    fn = click.option("--seed", type=int, default=42, show_default=True, envvar=_env("SEED"), show_envvar=True,
                      help="One seed, one world: the same seed gives byte-identical state.")(fn)
    return fn


def vendor_option(help_text: str):
    return click.option("--vendor", type=click.Choice(sorted(registry.REGISTRY)), default=None,
                        envvar=_env("VENDOR"), show_envvar=True, help=help_text)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mockserver")
def main():
    """An offline, stateful staging sandbox for learning-platform APIs."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar=_env("HOST"), show_envvar=True,
              help="Interface to bind (the Docker image uses 0.0.0.0).")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True, envvar=_env("PORT"), show_envvar=True)
@world_options
@click.option("--data", type=click.Path(dir_okay=False, path_type=Path), default=None,
              envvar=_env("DATA"), show_envvar=True,
              help="Persist the state to this JSON file (loaded at start if it exists), with a change log "
                   "beside it: every acknowledged write survives kill -9. Default: in memory.")
@click.option("--fsync", is_flag=True, default=False, envvar=_env("FSYNC"), show_envvar=True,
              help="With --data, fsync every change-log record before answering: survives power loss too (slower).")
@click.option("--fresh", is_flag=True, default=False, envvar=_env("FRESH"), show_envvar=True,
              help="With --data, move the existing data file and its change log aside (renamed *.bak) and start "
                   "from the seeded world.")
@vendor_option("Serve only this vendor, at its real root (e.g. quiz at /api/v3/...).")
@click.option("--no-auth", is_flag=True, default=False, envvar=_env("NO_AUTH"), show_envvar=True,
              help="Accept requests without credentials.")
@click.option("--log-level", type=click.Choice(LOG_LEVELS), default="info", show_default=True,
              envvar=_env("LOG_LEVEL"), show_envvar=True)
@click.option("--validate-responses", is_flag=True, default=False, envvar=_env("VALIDATE_RESPONSES"),
              show_envvar=True, help="Check every response against the specs (slower; on in the test suite).")
@click.option("--admin-token", default=None, envvar=_env("ADMIN_TOKEN"), show_envvar=True,
              help="Require 'Authorization: Bearer TOKEN' on every /__admin route but health. Set it whenever the port is shared.")
@click.option("--journal-size", type=click.IntRange(min=1), default=10_000, show_default=True,
              envvar=_env("JOURNAL_SIZE"), show_envvar=True, help="Requests kept in the request journal.")
@click.option("--journal-bytes", type=click.IntRange(min=1024), default=24 << 20, show_default=True,
              envvar=_env("JOURNAL_BYTES"), show_envvar=True,
              help="Bytes the request journal may hold (bodies, headers); the oldest requests go first.")
@click.option("--table-bytes", type=click.IntRange(min=0), default=192 << 20, show_default=True,
              envvar=_env("TABLE_BYTES"), show_envvar=True,
              help="Bytes of the seeded world's tables kept decoded (an estimate); past it the least recently "
                   "read go back to their compressed pages, decoded again when read.")
@click.option("--max-tenants", type=click.IntRange(min=1), default=16, show_default=True,
              envvar=_env("MAX_TENANTS"), show_envvar=True,
              help="Live X-Sandbox-Tenant worlds besides the default; the least recently used is evicted.")
@click.option("--latency", "latency_ms", type=click.FloatRange(min=0), default=0.0, show_default=True,
              envvar=_env("LATENCY"), show_envvar=True, help="Milliseconds added to every vendor request (demos).")
@click.option("--max-body", type=click.IntRange(min=1), default=10 * 1024 * 1024, show_default=True,
              envvar=_env("MAX_BODY"), show_envvar=True,
              help="Largest request body in bytes; a larger one is answered with the vendor's 413.")
def run(host, port, seed, scale, data, fsync, fresh, vendor, no_auth, log_level, validate_responses,
        admin_token, journal_size, journal_bytes, table_bytes, max_tenants, latency_ms, max_body):
    """Serve the sandbox (all vendors by default) until interrupted."""
    import uvicorn

    from mockserver.app import create_app
    from mockserver.datafile import DataFileError, move_aside

    if fresh and data:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        for moved in move_aside(data, stamp):
            click.echo(f"moved aside: {moved}", err=True)
    settings = Settings(host=host, port=port, seed=seed, scale=scale, data=data, fsync=fsync, vendor=vendor,
                        no_auth=no_auth, log_level=log_level,
                        validate_responses=validate_responses, admin_token=admin_token,
                        journal_size=journal_size, journal_bytes=journal_bytes, table_bytes=table_bytes,
                        max_tenants=max_tenants,
                        latency_ms=latency_ms, max_body=max_body)
    # The port is taken before anything is printed: a port in use is reported, not advertised.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    try:
        app = create_app(settings, background=True)
    except (SpecError, DataFileError, SeedingFailed) as exc:
        sock.close()
        raise click.ClickException(str(exc)) from None
    click.echo(banner(settings, app))
    # The seeded world, the specs and the compiled routes live as long as the process: moved out of
    # the garbage collector's sight, its full collections stay short (no long pauses in the p99).
    gc.collect()
    gc.freeze()
    config = uvicorn.Config(app, log_level=log_level, access_log=log_level in ("info", "debug", "trace"))
    uvicorn.Server(config).run(sockets=[sock])


def banner(settings: Settings, app) -> str:
    shown = "localhost" if settings.host in ("0.0.0.0", "::") else settings.host
    origin = f"http://{shown}:{settings.port}"
    state = f"data file {settings.data}{' (fsync)' if settings.fsync else ''}" if settings.data else "in memory"
    lines = [f"mockserver {__version__}: seed {app.sandbox.seed}, scale {app.sandbox.scale}, {state}", ""]
    credentials = app.sandbox.credentials()
    for prefix, vendor in app.mounted:
        base = origin if settings.vendor else origin + vendor.client_base
        lines.append(f"  {vendor.title}")
        lines.append(f"    base URL    {base}   (API at {origin}{prefix})")
        creds = ", ".join(f"{k}={v}" for k, v in credentials.get(vendor.name, {}).items())
        lines.append(f"    credentials {creds or '(none)'}   [{vendor.auth_hint}]")
        lines.append(f"    Swagger UI  {origin}{prefix}/ui/   spec {origin}{prefix}/openapi.json")
    lines += ["", f"  Console       {origin}/   (the dashboard: journal, outbox, webhooks, stubs, clock)",
              f"  Admin API     {origin}/__admin   (Swagger UI {origin}/__admin/ui/)",
              f"  Credentials   {origin}/__admin/credentials", ""]
    return "\n".join(lines)


@main.command()
@vendor_option("Only this vendor's operations.")
def routes(vendor):
    """List every operation: vendor, method, path, operationId, and where its code lives."""
    from mockserver import admin
    from mockserver.resolver import SandboxResolver, where
    from mockserver.specs import bundle

    rows = []
    apis = [(v.name, v.prefix, bundle(v.name), v.handlers, v.actions) for v in registry.selected(vendor)]
    if vendor is None:
        apis.append(("admin", "/__admin", admin.spec(), "mockserver.admin.handlers", None))
    for name, prefix, spec, handlers, actions in apis:
        code = SandboxResolver(spec, handlers, actions).code
        rows += [(name, m, prefix + p, op, where(code[op])) for m, p, op, _ in spec.operations()]
    width = max(len(r[2]) for r in rows)
    op_width = max(len(r[3]) for r in rows)
    try:
        for name, method, path, op, code in rows:
            click.echo(f"{name:<9}{method:<7}{path:<{width + 2}}{op:<{op_width + 2}}{code}")
    except BrokenPipeError:  # `mockserver routes | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


@main.command()
@world_options
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here (usable as a --data file); default: standard output.")
def seed(seed, scale, out):
    """Build a seeded world and print its state export (no server)."""
    from mockserver.sandbox import Sandbox

    sandbox = Sandbox(Settings(seed=seed, scale=scale), registry.selected())
    data = sandbox.store.dumps()
    if out:
        out.write_bytes(data)
        click.echo(f"wrote {out} ({sandbox.store.counts()})", err=True)
    else:
        sys.stdout.buffer.write(data + b"\n")


@main.command()
@world_options
def check(seed: int, scale: str):
    """Load every spec and resolve every handler; exit 1 naming the file if one is broken.

    It also seeds the world of --seed and --scale into the start-up cache, so a later `run` with
    them starts from the cache (`check --scale large` in an image build: a large demo starts in
    about a second instead of seeding for half a minute)."""
    from mockserver.app import create_app

    try:
        app = create_app(Settings(seed=seed, scale=scale), eager=True)
    except (SpecError, SeedingFailed) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"ok: {', '.join(v.name for _, v in app.mounted)} and admin specs load; world of seed {seed}, "
               f"scale {scale} cached")
