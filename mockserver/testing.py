"""pytest plugin (registered through the ``pytest11`` entry point) and a live-server helper.

``SandboxServer`` runs a real sandbox (uvicorn) on a free 127.0.0.1 port in a background thread.
The ``sandbox`` fixture starts one per test session, with response validation on, and hands out
a ``SandboxHandle``: base URLs, demo credentials and the admin operations a test needs.
"""

from __future__ import annotations

import dataclasses
import threading
import time

import httpx
import pytest

from mockserver.settings import Settings


class SandboxServer:
    def __init__(self, settings: Settings | None = None, **overrides):
        base = settings or Settings(validate_responses=True)
        self.settings = dataclasses.replace(base, host="127.0.0.1", port=0, **overrides)
        self.app = None
        self._server = None
        self._thread = None
        self.port = None
        self.handle: SandboxHandle | None = None

    def start(self, timeout: float = 60) -> SandboxServer:
        import uvicorn

        from mockserver.app import create_app

        self.app = create_app(self.settings)
        # A long keep-alive: with uvicorn's 5 s a client that reuses a pooled connection just as the
        # server closes it for idleness gets "Server disconnected" (seen on a loaded CI machine).
        config = uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="warning",
                                access_log=False, lifespan="on", timeout_keep_alive=120)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="sandbox-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        self.handle = SandboxHandle(
            f"http://127.0.0.1:{self.port}",
            {v.name: (v.client_base if not self.settings.vendor else "", prefix) for prefix, v in self.app.mounted},
        )
        return self

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.close()
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(timeout=30)
            self._server = None

    @property
    def sandbox(self):
        return self.app.sandbox

    def __enter__(self) -> SandboxHandle:
        return self.start().handle

    def __exit__(self, *exc) -> None:
        self.stop()


class SandboxHandle:
    """What a test needs of a running sandbox, over HTTP (works against a remote one too).

    A handle speaks for one tenant: the default one, or the one ``tenant(name)`` returns, whose
    admin calls carry ``X-Sandbox-Tenant`` and whose ``headers`` your client must send too.
    """

    def __init__(self, origin: str, vendors: dict[str, tuple[str, str]] | None = None,
                 tenant: str | None = None, admin_token: str | None = None):
        self.origin = origin.rstrip("/")
        self._vendors = vendors
        self.tenant_name = tenant
        self._admin_token = admin_token
        headers = dict(self.headers)
        if admin_token:
            headers["Authorization"] = f"Bearer {admin_token}"
        self._http = httpx.Client(base_url=self.origin + "/__admin", timeout=60, headers=headers)

    @property
    def headers(self) -> dict[str, str]:
        """Headers a client under test sends so that its requests land in this handle's tenant."""
        return {"X-Sandbox-Tenant": self.tenant_name} if self.tenant_name else {}

    def tenant(self, name: str) -> SandboxHandle:
        return SandboxHandle(self.origin, self._vendors, tenant=name, admin_token=self._admin_token)

    def _mounts(self) -> dict[str, tuple[str, str]]:
        if self._vendors is None:  # a sandbox started elsewhere: ask it
            from mockserver import vendors as registry

            names = self._http.get("/health").raise_for_status().json()["vendors"]
            self._vendors = {n: (registry.load(n).client_base, registry.load(n).prefix) for n in names}
        return self._vendors

    def url(self, vendor: str) -> str:
        """The base URL a vendor's client library takes (e.g. canvasapi's ``base_url``)."""
        return self.origin + self._mounts()[vendor][0]

    def api(self, vendor: str) -> str:
        """The root of the vendor's API paths (its mount prefix)."""
        return self.origin + self._mounts()[vendor][1]

    def close(self) -> None:
        self._http.close()

    @property
    def credentials(self) -> dict:
        return self._http.get("/credentials").raise_for_status().json()

    def health(self) -> dict:
        return self._http.get("/health").raise_for_status().json()

    def reset(self) -> None:
        self._http.post("/reset").raise_for_status()

    def state(self) -> bytes:
        return self._http.get("/state").raise_for_status().content

    # -- snapshots: worlds to come back to ----------------------------------------------------
    def snapshot(self, name: str) -> dict:
        """Save this tenant's current world as ``name`` (replacing a snapshot of that name)."""
        return self._http.post("/snapshots", json={"name": name}).raise_for_status().json()

    def restore(self, name: str) -> dict:
        """Make the snapshot ``name`` (or an automatic ``auto-N``) this tenant's world again."""
        return self._http.post(f"/snapshots/{name}/restore").raise_for_status().json()

    def snapshots(self) -> list[dict]:
        return self._http.get("/snapshots").raise_for_status().json()["snapshots"]

    def delete_snapshot(self, name: str) -> None:
        self._http.delete(f"/snapshots/{name}").raise_for_status()

    def clock(self, **change) -> dict:
        """``clock()`` reads; ``clock(advance=3600)``, ``clock(now="2027-01-01T00:00:00Z", frozen=True)`` change."""
        if not change:
            return self._http.get("/clock").raise_for_status().json()
        return self._http.put("/clock", json=change).raise_for_status().json()

    def advance_clock(self, seconds: float) -> dict:
        return self.clock(advance=seconds)

    # -- journal: what your client sent ------------------------------------------------------
    def requests(self, **criteria) -> list[dict]:
        """Recorded vendor requests, newest first: vendor=, method=, path= (glob), status=, since=, limit=."""
        return self._http.get("/requests", params=criteria).raise_for_status().json()["requests"]

    def warnings(self, **criteria) -> list[dict]:
        """What production would have done silently (``X-Sandbox-Warning``) in the recorded requests
        that match ``criteria`` (as ``requests``), newest first: one ``{"method", "path", "query",
        "status", "warning"}`` per warning. ``assert sandbox.warnings(vendor="quiz") == []`` fails a
        test whose client relies on something production ignores."""
        return [
            {"method": entry["method"], "path": entry["path"], "query": entry["query"],
             "status": entry["status"], "warning": warning}
            for entry in self.requests(**criteria)
            for warning in entry.get("warnings", ())
        ]

    def count(self, **criteria) -> int:
        return self._http.post("/requests/count", json=criteria).raise_for_status().json()["count"]

    def clear_requests(self) -> None:
        self._http.delete("/requests").raise_for_status()

    # -- faults: make the vendor misbehave ----------------------------------------------------
    def fault(self, effect: dict, *, probability: float = 1.0, times: int | None = None, **match) -> dict:
        """``fault({"type": "error", "status": 503}, vendor="quiz", method="POST", times=1)``."""
        body = {"effect": effect, "match": match, "probability": probability, "times": times}
        return self._http.post("/faults", json=body).raise_for_status().json()

    def faults(self) -> list[dict]:
        return self._http.get("/faults").raise_for_status().json()["faults"]

    def clear_faults(self) -> None:
        self._http.delete("/faults").raise_for_status()

    # -- stubs: canned answers for what the sandbox does not model ----------------------------
    def stub(self, response: dict, *, priority: int | None = None, times: int | None = None, **match) -> dict:
        """``stub({"status": 503, "body": {"error": "down"}}, vendor="quiz", method="GET", path="/quiz/*")``:
        matching requests of this tenant get that answer before any handler runs. ``match`` also
        takes ``query={...}``, ``headers={...}`` and ``body={"contains": ...}`` or
        ``body={"pointer": "/a", "equals": 1}``."""
        body: dict = {"match": match, "response": response}
        if priority is not None:
            body["priority"] = priority
        if times is not None:
            body["times"] = times
        return self._http.post("/stubs", json=body).raise_for_status().json()

    def stubs(self) -> list[dict]:
        return self._http.get("/stubs").raise_for_status().json()["stubs"]

    def clear_stubs(self) -> None:
        self._http.delete("/stubs").raise_for_status()

    def unmatched(self, **criteria) -> list[dict]:
        """Recorded requests that matched no route, each with its ``near_misses``, newest first."""
        return self._http.get("/requests/unmatched", params=criteria).raise_for_status().json()["requests"]

    # -- what the vendors sent out -------------------------------------------------------------
    def outbox(self, **filters) -> list[dict]:
        """Messages the vendors would have e-mailed, newest first: to=, vendor=, kind=, limit=."""
        return self._http.get("/outbox", params=filters).raise_for_status().json()["messages"]

    def webhooks(self, **filters) -> list[dict]:
        """Webhook deliveries, newest first: vendor=, event=, status=, limit=."""
        return self._http.get("/webhooks", params=filters).raise_for_status().json()["deliveries"]

    def replay(self, delivery_id: int) -> dict:
        return self._http.post(f"/webhooks/{delivery_id}/replay").raise_for_status().json()

    # -- vendor actions: what a person would do in the vendor's UI ----------------------------
    def vendor_action(self, vendor: str, action: str, **body) -> dict:
        """``vendor_action("canvas", "activate_token", user_id=12, token_id=34)``."""
        return self._http.post(f"/vendors/{vendor}/actions/{action}", json=body).raise_for_status().json()

    def drop(self) -> None:
        """Forget this tenant's world (it is made again, fresh, on its next request)."""
        if self.tenant_name:
            response = self._http.delete(f"/tenants/{self.tenant_name}")
            if response.status_code != 404:
                response.raise_for_status()


# Deprecation notices of the sandbox's own dependencies are not news to a suite that merely uses
# the sandbox: they are kept out of its output (its own code's warnings still show).
_QUIET_MODULES = ("connexion", "starlette", "jsonschema", "referencing", "werkzeug", "flask", "faker",
                  "tinydb", "uvicorn", "anyio", "httpx", "a2wsgi", "swagger_ui_bundle", "fastjsonschema")


def pytest_configure(config):
    for module in _QUIET_MODULES:
        config.addinivalue_line("filterwarnings", f"ignore::DeprecationWarning:{module}.*")


def pytest_addoption(parser):
    group = parser.getgroup("mockserver")
    group.addoption("--sandbox-url", default=None,
                    help="Use the sandbox already running here instead of starting one (env MOCKSERVER_URL).")
    group.addoption("--sandbox-admin-token", default=None,
                    help="Admin token of that sandbox, if it was started with one (env MOCKSERVER_ADMIN_TOKEN).")


@pytest.fixture(scope="session")
def sandbox(request):
    """A sandbox for the whole test session: started on a free loopback port, stopped at the end."""
    import os

    url = request.config.getoption("--sandbox-url") or os.environ.get("MOCKSERVER_URL")
    if url:
        token = request.config.getoption("--sandbox-admin-token") or os.environ.get("MOCKSERVER_ADMIN_TOKEN")
        handle = SandboxHandle(url, admin_token=token)
        yield handle
        handle.close()
        return
    server = SandboxServer().start()
    try:
        yield server.handle
    finally:
        server.stop()


@pytest.fixture
def sandbox_tenant(sandbox):
    """A fresh seeded world of your own for one test: send ``sandbox_tenant.headers`` with your
    client's requests. Tests in parallel (pytest-xdist) never see each other's writes."""
    import uuid

    handle = sandbox.tenant(f"test-{uuid.uuid4().hex[:16]}")
    try:
        yield handle
    finally:
        handle.drop()
        handle.close()
