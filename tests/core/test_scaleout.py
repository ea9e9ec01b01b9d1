"""Scale-out: deploy/nginx.conf, run by Debian's nginx on loopback, in front of three replicas.

Each replica is a `mockserver run` process with the same seed and admin token; nginx routes by
a consistent hash of X-Sandbox-Tenant. The replicas serve only the quiz vendor (at its real root,
/api/v3): routing and tenancy are the same for every vendor, and a quiz-only replica starts in
under a second. Everything listens on 127.0.0.1 and is stopped at the end of the module.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml

from support import ApiClient
from spec_check import SpecChecker

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
_spec = importlib.util.spec_from_file_location("nginx_loopback", DEPLOY / "nginx_loopback.py")
nginx_loopback = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nginx_loopback)

NGINX = nginx_loopback.nginx_binary()
requires_nginx = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (Debian/Ubuntu: apt-get install nginx; .ci/run installs it)"
)

SEED = 42
ADMIN_TOKEN = "scaleout-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
API = "/api/v3"  # --vendor quiz serves the quiz API at its real root
SESSIONS = f"{API}/quiz/sessions"
JSONAPI = "application/vnd.api+json"
STARTUP_S = 90  # bound for a replica or nginx to answer; on an idle machine it is about 1 s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}: {log.read_text(errors='replace')[-800:]}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{url} gave no 200 within {STARTUP_S} s: {log.read_text(errors='replace')[-800:]}")


def stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    """Stop one process we started (its own session), by its pid; kill it if it lingers."""
    if proc is None or proc.poll() is not None:
        return
    for signum, grace in ((sig, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(grace)
            return


class Replica:
    def __init__(self, name: str, tmp: Path):
        self.name = name
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def spawn(self) -> None:
        argv = [sys.executable, "-m", "mockserver", "run", "--host", "127.0.0.1", "--port", str(self.port),
                "--seed", str(SEED), "--admin-token", ADMIN_TOKEN, "--vendor", "quiz",
                "--max-tenants", "200", "--log-level", "warning"]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)

    def wait(self) -> None:
        wait_healthy(self.proc, self.origin + "/__admin/health", self.log)

    def stop(self) -> None:
        stop(self.proc)

    def tenants(self) -> set[str]:
        """Asked of this replica directly, not through nginx."""
        response = requests.get(self.origin + "/__admin/tenants", headers=ADMIN, timeout=10)
        assert response.status_code == 200, response.text
        return set(response.json()["tenants"]) - {"default"}


class Cluster:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.replicas = [Replica(f"replica-{n}", tmp) for n in (1, 2, 3)]
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.nginx: subprocess.Popen | None = None
        self.token = ""
        self.checker: SpecChecker | None = None

    def start(self) -> None:
        for replica in self.replicas:
            replica.spawn()
        for replica in self.replicas:
            replica.wait()
        conf = self.tmp / "nginx.conf"
        conf.write_text(nginx_loopback.loopback_conf(self.port, [r.port for r in self.replicas], self.tmp))
        argv = nginx_loopback.nginx_argv(NGINX, self.tmp, conf)
        check = subprocess.run([*argv[:-2], "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        with (self.tmp / "nginx.out").open("wb") as out:
            self.nginx = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                          start_new_session=True)
        wait_healthy(self.nginx, self.origin + "/__admin/health", self.tmp / "error.log")
        self.token = self.admin("GET", "/__admin/credentials").json()["quiz"]["token"]
        document = requests.get(self.origin + API + "/openapi.json", timeout=10).json()
        self.checker = SpecChecker(document, API)

    def stop(self) -> None:
        stop(self.nginx, signal.SIGQUIT)  # nginx's graceful shutdown
        for replica in self.replicas:
            replica.stop()

    def admin(self, method: str, path: str, tenant: str | None = None, **kwargs) -> requests.Response:
        headers = {**ADMIN, **({"X-Sandbox-Tenant": tenant} if tenant else {})}
        response = requests.request(method, self.origin + path, headers=headers, timeout=10, **kwargs)
        assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text[:300]}"
        return response

    def quiz(self, tenant: str) -> ApiClient:
        """A quiz client through nginx for one tenant; every response is checked against the spec."""
        return ApiClient(self.origin + API, self.checker,
                         {"Authorization": f"Bearer {self.token}", "X-Sandbox-Tenant": tenant})

    def owners(self, tenants: list[str]) -> dict[str, Replica]:
        """Which replica holds each tenant, asking every live replica directly."""
        owner: dict[str, Replica] = {}
        for replica in self.replicas:
            if replica.proc.poll() is None:
                for name in replica.tenants() & set(tenants):
                    assert name not in owner, f"tenant {name} is live on {owner[name].name} and {replica.name}"
                    owner[name] = replica
        return owner


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = Cluster(tmp_path_factory.mktemp("scaleout"))
    try:
        running.start()
        yield running
    finally:
        running.stop()


def person(tenant: str) -> int:
    """A person_id that tells apart the tenants of one test (`ci-job-3` writes 700003)."""
    return 700_000 + int(tenant.rsplit("-", 1)[1])


def write(cluster: Cluster, tenant: str) -> str:
    """One quiz session created in the tenant's world; returns its id."""
    with cluster.quiz(tenant) as quiz:
        created = quiz.post("/quiz/sessions", headers={"Content-Type": JSONAPI},
                            json={"data": {"type": "quiz/sessions", "attributes": {"person_id": person(tenant)}}})
        assert created.status_code == 201, created.text
        return created.json()["data"]["id"]


def assert_reads_own_write(cluster: Cluster, tenant: str, session_id: str) -> None:
    with cluster.quiz(tenant) as quiz:
        shown = quiz.get(f"/quiz/sessions/{session_id}")
        assert shown.status_code == 200, f"{tenant}: {shown.status_code} {shown.text[:200]}"
        assert shown.json()["data"]["attributes"]["person_id"] == person(tenant)
        listed = quiz.get("/quiz/sessions", params={"filter[person_id]": person(tenant)})
        assert listed.status_code == 200
        assert [s["id"] for s in listed.json()["data"]] == [session_id]


@requires_nginx
def test_each_tenant_reads_its_own_writes_and_tenants_spread_over_the_replicas(cluster):
    tenants = [f"ci-job-{n}" for n in range(30)]
    written = {tenant: write(cluster, tenant) for tenant in tenants}
    # Every tenant made the same next id in its own copy of the seed: only the right replica
    # holds this tenant's session under it.
    assert len(set(written.values())) == 1
    for tenant, session_id in written.items():
        assert_reads_own_write(cluster, tenant, session_id)
    with cluster.quiz(tenants[0]) as quiz:  # another tenant's person is not in this world
        other = quiz.get("/quiz/sessions", params={"filter[person_id]": person(tenants[1])})
        assert other.json()["data"] == []

    owner = cluster.owners(tenants)
    assert set(owner) == set(tenants), f"not live on any replica: {set(tenants) - set(owner)}"
    spread = {r.name: sorted(t for t, o in owner.items() if o is r) for r in cluster.replicas}
    assert all(spread.values()), f"a replica owns no tenant: {spread}"


@requires_nginx
def test_admin_calls_with_the_header_land_on_the_owning_replica_and_tenant_star_sees_one(cluster):
    tenants = [f"admin-job-{n}" for n in range(30)]
    for tenant in tenants:
        write(cluster, tenant)
    owner = cluster.owners(tenants)
    for tenant in tenants:
        journal = cluster.admin("GET", "/__admin/requests", tenant, params={"method": "POST"}).json()["requests"]
        assert [(e["tenant"], e["path"], e["status"]) for e in journal] == [(tenant, SESSIONS, 201)]
        direct = requests.get(owner[tenant].origin + "/__admin/requests", timeout=10,
                              headers={**ADMIN, "X-Sandbox-Tenant": tenant}).json()["requests"]
        assert [e["time"] for e in direct if e["method"] == "POST"] == [journal[0]["time"]]

    # Without the header an admin call goes where the empty key hashes: tenant=* is that one
    # replica's journal, holding exactly the tenants that replica owns.
    journal = cluster.admin("GET", "/__admin/requests", params={"tenant": "*"}).json()["requests"]
    live = {r.name: r.tenants() for r in cluster.replicas}
    seen = {e["tenant"] for e in journal} & set().union(*live.values())  # a dropped tenant is live nowhere
    holders = [name for name, owned in live.items() if owned == seen]
    assert len(holders) == 1, f"tenant=* saw {sorted(seen)}"


@requires_nginx
def test_the_pytest_plugin_tenant_handle_works_through_the_proxy(cluster):
    """--sandbox-url pointing at the proxy: every admin call of a tenant handle carries its header."""
    from mockserver.testing import SandboxHandle

    job = SandboxHandle(cluster.origin, admin_token=ADMIN_TOKEN).tenant("plugin-job-1")
    try:
        session_id = write(cluster, "plugin-job-1")
        assert job.count(method="POST", path=SESSIONS) == 1
        home = cluster.owners(["plugin-job-1"])["plugin-job-1"]
        job.reset()
        with cluster.quiz("plugin-job-1") as quiz:
            assert quiz.get(f"/quiz/sessions/{session_id}").status_code == 404
        job.drop()
        assert "plugin-job-1" not in home.tenants()
    finally:
        job.close()


@requires_nginx
def test_a_dropped_request_is_not_retried_on_another_replica(cluster):
    tenant = "drop-job-1"
    session_id = write(cluster, tenant)
    (home,) = {cluster.owners([tenant])[tenant]}
    cluster.admin("POST", "/__admin/faults", tenant, json={
        "match": {"method": "GET", "path": f"{SESSIONS}/*"}, "effect": {"type": "drop"}, "times": 1})
    with requests.Session() as plain:  # nginx's 502 is not a quiz response: no spec check here
        dropped = plain.get(cluster.origin + f"{SESSIONS}/{session_id}", timeout=10,
                            headers={"Authorization": f"Bearer {cluster.token}", "X-Sandbox-Tenant": tenant})
    assert dropped.status_code == 502  # nginx's answer for a connection the replica closed
    faults = cluster.admin("GET", "/__admin/faults", tenant).json()["faults"]
    assert [f["fired"] for f in faults] == [1]
    # Not answered by a fresh world elsewhere, and the replica still owns the tenant.
    assert cluster.owners([tenant]) == {tenant: home}
    assert_reads_own_write(cluster, tenant, session_id)


@requires_nginx
def test_stopping_a_replica_leaves_the_other_replicas_tenants_untouched(cluster):
    tenants = [f"stop-job-{n}" for n in range(30)]
    written = {tenant: write(cluster, tenant) for tenant in tenants}
    owner = cluster.owners(tenants)
    victim = max(cluster.replicas, key=lambda r: sum(o is r for o in owner.values()))
    gone = [t for t in tenants if owner[t] is victim]
    kept = [t for t in tenants if owner[t] is not victim]
    assert gone and kept

    victim.stop()
    for tenant in kept:
        assert_reads_own_write(cluster, tenant, written[tenant])
    headers = {"Authorization": f"Bearer {cluster.token}"}
    for tenant in gone:  # no retry elsewhere: the stopped replica's tenants get nginx's 502
        answer = requests.get(cluster.origin + f"{SESSIONS}/{written[tenant]}", timeout=10,
                              headers={**headers, "X-Sandbox-Tenant": tenant})
        assert answer.status_code == 502
    assert all(cluster.owners(gone).get(t) is None for t in gone), "a stopped replica's tenant moved"

    # Back on the same address, the replica owns the same tenants again, each a fresh seeded
    # world: their writes lived in the stopped process's memory.
    victim.spawn()
    victim.wait()
    for tenant in gone:
        with cluster.quiz(tenant) as quiz:
            lost = quiz.get(f"/quiz/sessions/{written[tenant]}")
            assert lost.status_code == 404
            assert lost.json()["errors"][0]["title"] == "Verse::Error::RecordNotFound"
            assert quiz.get("/quiz/sessions/1").json()["data"]["attributes"]["person_id"] == 1001
    assert set(cluster.owners(gone)) == set(gone)
    assert all(o is victim for o in cluster.owners(gone).values())
    for tenant in kept:
        assert_reads_own_write(cluster, tenant, written[tenant])


# -- the deployment files agree with each other (no nginx, Docker or cluster needed) ------------
def test_compose_replicas_are_the_upstream_servers_and_share_one_configuration():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    replicas = {name: svc for name, svc in compose["services"].items() if name.startswith("sandbox-")}
    upstream = re.findall(r"^\s*server (sandbox-\d+):8080\b", nginx_loopback.SHIPPED.read_text(), re.M)
    assert sorted(upstream) == sorted(replicas) and len(replicas) >= 2
    environments = [svc["environment"] for svc in replicas.values()]
    assert all(env == environments[0] for env in environments)
    assert {"MOCKSERVER_SEED", "MOCKSERVER_SCALE", "MOCKSERVER_ADMIN_TOKEN"} <= set(environments[0])
    proxy = compose["services"]["nginx"]
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert proxy["depends_on"] == {name: {"condition": "service_healthy"} for name in replicas}


def test_kubernetes_manifests_hash_on_the_tenant_header_over_one_headless_service():
    folder = DEPLOY / "k8s"
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == sorted(p.name for p in folder.glob("*.yaml")
                                                        if p.name != "kustomization.yaml")
    objects = {}
    for name in kustomization["resources"]:
        for document in yaml.safe_load_all((folder / name).read_text()):
            objects[document["kind"]] = document
    service, sts, ingress = objects["Service"], objects["StatefulSet"], objects["Ingress"]
    assert service["spec"]["clusterIP"] == "None"
    assert sts["spec"]["serviceName"] == service["metadata"]["name"]
    pod = sts["spec"]["template"]
    assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/upstream-hash-by"] == "$http_x_sandbox_tenant"
    assert annotations["nginx.ingress.kubernetes.io/proxy-next-upstream"] == "off"
    backends = [p["backend"]["service"]["name"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]
    assert backends == [service["metadata"]["name"]]
    (container,) = pod["spec"]["containers"]
    sources = {next(iter(ref)): ref[next(iter(ref))]["name"] for ref in container["envFrom"]}
    assert sources == {"configMapRef": objects["ConfigMap"]["metadata"]["name"],
                       "secretRef": objects["Secret"]["metadata"]["name"]}
    assert {"MOCKSERVER_SEED", "MOCKSERVER_SCALE"} <= set(objects["ConfigMap"]["data"])
    assert set(objects["Secret"]["stringData"]) == {"MOCKSERVER_ADMIN_TOKEN"}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/__admin/health"
