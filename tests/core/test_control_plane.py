"""The control plane over HTTP: request journal, fault injection, tenants, admin token, plugin."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from mockserver.testing import SandboxServer

S = "/quiz/sessions"
CREATE = {"data": {"type": "quiz/sessions", "attributes": {"person_id": 4242}}}


class Quiz:
    """A bare quiz client for one tenant: what an integrator's code would send."""

    def __init__(self, handle, tenant_handle=None):
        self.api = handle.api("quiz")
        self.headers = {"Authorization": f"Bearer {handle.credentials['quiz']['token']}",
                        **(tenant_handle.headers if tenant_handle else {})}

    def __call__(self, method, path, headers=None, **kwargs):
        return requests.request(method, self.api + path, headers={**self.headers, **(headers or {})},
                                timeout=30, **kwargs)

    def count(self):
        return self("GET", S, params={"count": "true", "page[size]": 1}).json()["meta"]["count"]


@pytest.fixture
def world(fresh):
    fresh.clear_requests()
    fresh.clear_faults()
    yield fresh
    fresh.clear_faults()


# -- journal ------------------------------------------------------------------------------------


def test_the_journal_records_what_the_client_sent_with_credentials_redacted(world):
    quiz = Quiz(world)
    quiz("POST", S, json=CREATE)
    quiz("GET", S, params={"filter[status]": "completed", "access_token": "secret"})
    newest, oldest = world.requests()
    assert oldest["method"] == "POST" and oldest["status"] == 201 and oldest["vendor"] == "quiz"
    assert oldest["path"] == "/quiz/api/v3/quiz/sessions" and '"person_id": 4242' in oldest["body"]
    assert oldest["headers"]["authorization"] == "[redacted]"
    assert newest["method"] == "GET" and "access_token=[redacted]" in newest["query"] and "secret" not in newest["query"]
    assert newest["duration_ms"] > 0 and newest["tenant"] == "default" and newest["id"] > oldest["id"]


def test_journal_filters_and_count_verify_a_client_acted_exactly_once(world):
    quiz = Quiz(world)
    quiz("POST", S, json=CREATE)
    quiz("GET", f"{S}/1")
    quiz("GET", f"{S}/999999")
    assert world.count(method="POST", path="/quiz/api/v3/quiz/sessions") == 1
    assert world.count(vendor="quiz") == 3
    assert [r["status"] for r in world.requests(method="GET")] == [404, 200]
    assert [r["path"] for r in world.requests(status=404)] == ["/quiz/api/v3/quiz/sessions/999999"]
    assert len(world.requests(limit=1)) == 1
    assert world.count(since="2999-01-01T00:00:00Z") == 0
    assert world.count(vendor="canvas") == 0
    admin_calls_are_not_journaled = world.requests(path="/__admin*")
    assert admin_calls_are_not_journaled == []


def test_journal_rejects_a_bad_since(world):
    response = requests.get(world.origin + "/__admin/requests", params={"since": "last week"})
    assert response.status_code == 400 and response.json()["error"]["violations"][0]["pointer"] == "/since"


def test_the_journal_is_a_bounded_ring_buffer_and_cuts_long_bodies():
    with SandboxServer(journal_size=50) as handle:
        quiz = Quiz(handle)
        for _ in range(120):
            quiz("GET", f"{S}/1")
        kept = handle.requests(limit=1000)
        assert len(kept) == 50 and kept[0]["id"] == 120 and kept[-1]["id"] == 71
        quiz("POST", S, data=b'{"pad": "' + b"x" * 40_000 + b'"}', headers={"Content-Type": "application/json"})
        long = handle.requests(method="POST")[0]
        assert long["body_truncated"] is True and len(long["body"]) == 16 * 1024


def test_clearing_the_journal(world):
    Quiz(world)("GET", f"{S}/1")
    world.clear_requests()
    assert world.requests() == []


# -- faults -------------------------------------------------------------------------------------


def test_an_injected_error_answers_in_the_vendors_shape_and_the_write_is_not_applied(world):
    quiz = Quiz(world)
    before = quiz.count()
    world.fault({"type": "error", "status": 503, "detail": "maintenance"}, vendor="quiz", method="POST")
    response = quiz("POST", S, json=CREATE)
    assert response.status_code == 503
    assert response.json() == {"errors": [{"status": "503", "title": "Verse::Error::Base", "detail": "maintenance"}]}
    assert quiz.count() == before
    entry = world.requests(method="POST")[0]
    assert entry["status"] == 503 and entry["faults"] and '"person_id": 4242' in entry["body"]


def test_a_rate_limit_fault_is_the_vendors_own_429_with_retry_after(world):
    world.fault({"type": "rate_limit", "retry_after": 17}, vendor="quiz")
    response = Quiz(world)("GET", f"{S}/1")
    assert response.status_code == 429 and response.headers["Retry-After"] == "17"
    assert response.json()["errors"][0]["title"] == "Verse::Error::TooManyRequests"


def test_a_dropped_connection_gets_no_response_and_changes_nothing(world):
    quiz = Quiz(world)
    world.fault({"type": "drop"}, method="PATCH", path="*/cancel")
    with pytest.raises(requests.ConnectionError):
        quiz("PATCH", f"{S}/1/cancel")
    assert quiz("GET", f"{S}/1").json()["data"]["attributes"]["status"] == "started"
    assert world.requests(method="PATCH")[0]["status"] is None


def test_latency_faults_delay_the_answer(world):
    quiz = Quiz(world)
    world.fault({"type": "latency", "ms": 150}, path="*/sessions/1", times=1)
    world.fault({"type": "latency", "min_ms": 100, "max_ms": 120}, path="*/sessions/2", times=1)
    assert quiz("GET", f"{S}/1").status_code == 200 and quiz("GET", f"{S}/2").status_code == 200
    durations = {r["path"][-1]: r["duration_ms"] for r in world.requests()}
    assert durations["1"] >= 150 and durations["2"] >= 100


def test_the_latency_flag_slows_every_vendor_request():
    with SandboxServer(latency_ms=80) as handle:
        Quiz(handle)("GET", f"{S}/1")
        assert handle.requests()[0]["duration_ms"] >= 80


def test_times_expires_a_rule_and_fired_counts_are_listed(world):
    quiz = Quiz(world)
    rule = world.fault({"type": "error", "status": 500}, vendor="quiz", times=2)
    assert [quiz("GET", f"{S}/1").status_code for _ in range(3)] == [500, 500, 200]
    listed = {f["id"]: f for f in world.faults()}[rule["id"]]
    assert listed["fired"] == 2 and listed["active"] is False


def _pattern(handle, probability=0.5, n=40):
    handle.fault({"type": "error", "status": 500}, vendor="quiz", probability=probability)
    quiz = Quiz(handle)
    return [quiz("GET", f"{S}/1").status_code for _ in range(n)]


def test_probabilistic_faults_replay_identically_on_the_same_seed():
    with SandboxServer(seed=11) as first:
        a = _pattern(first)
    with SandboxServer(seed=11) as second:
        b = _pattern(second)
    with SandboxServer(seed=12) as other:
        c = _pattern(other)
    assert a == b and 500 in a and 200 in a
    assert c != a


def test_removing_rules_one_or_all(world):
    first = world.fault({"type": "error", "status": 500}, path="*/sessions/1")
    world.fault({"type": "error", "status": 500}, path="*/sessions/2")
    admin = world.origin + "/__admin"
    assert requests.delete(f"{admin}/faults/{first['id']}").status_code == 204
    assert requests.delete(f"{admin}/faults/{first['id']}").status_code == 404
    assert [f["match"]["path"] for f in world.faults()] == ["*/sessions/2"]
    world.clear_faults()
    assert world.faults() == [] and Quiz(world)("GET", f"{S}/2").status_code == 200


@pytest.mark.parametrize(
    "effect, pointer",
    [({"type": "error"}, "/effect/status"), ({"type": "latency"}, "/effect/ms"), ({"type": "explode"}, "/effect/type")],
)
def test_an_incomplete_fault_rule_is_refused(world, effect, pointer):
    response = requests.post(world.origin + "/__admin/faults", json={"effect": effect})
    assert response.status_code == 400
    assert response.json()["error"]["violations"][0]["pointer"] == pointer
    assert world.faults() == []


# -- tenants ------------------------------------------------------------------------------------


def test_tenants_are_isolated_under_parallel_writes(world):
    tenants = [world.tenant(f"ci-job-{n}") for n in range(6)]
    start = threading.Barrier(len(tenants))

    def write(handle):
        quiz = Quiz(world, handle)
        start.wait(timeout=30)
        ids = [quiz("POST", S, json=CREATE).json()["data"]["id"] for _ in range(15)]
        quiz("DELETE", f"{S}/1")
        return ids

    try:
        with ThreadPoolExecutor(len(tenants)) as pool:
            results = list(pool.map(write, tenants))
        for handle, ids in zip(tenants, results):
            quiz = Quiz(world, handle)
            assert ids == [str(i) for i in range(305, 320)]  # every tenant counts from its own seeded world
            assert quiz.count() == 304 + 15 - 1
            assert quiz("GET", f"{S}/1").status_code == 404
            assert handle.count(method="POST") == 15  # the journal is scoped by tenant too
        default = Quiz(world)
        assert default.count() == 304 and default("GET", f"{S}/1").status_code == 200
    finally:
        for handle in tenants:
            handle.drop()


def test_admin_operations_act_on_the_callers_tenant(world):
    mine = world.tenant("admin-scope")
    try:
        quiz = Quiz(world, mine)
        quiz("DELETE", f"{S}/2")
        mine.clock(now="2099-01-01T00:00:00Z", frozen=True)
        assert world.clock()["now"] != "2099-01-01T00:00:00Z"
        assert mine.health()["tenant"] == "admin-scope" and mine.health()["rows"]["quiz_sessions"] == 303
        assert world.state() != mine.state()
        mine.reset()
        assert quiz("GET", f"{S}/2").status_code == 200
        mine.fault({"type": "error", "status": 500})
        assert Quiz(world)("GET", f"{S}/2").status_code == 200 and quiz("GET", f"{S}/2").status_code == 500
    finally:
        mine.drop()


def test_least_recently_used_tenants_are_evicted_past_the_cap():
    with SandboxServer(max_tenants=2) as handle:
        a, b, c = handle.tenant("a"), handle.tenant("b"), handle.tenant("c")
        Quiz(handle, a)("DELETE", f"{S}/1")
        Quiz(handle, b)("GET", f"{S}/1")
        Quiz(handle, c)("GET", f"{S}/1")
        listed = requests.get(handle.origin + "/__admin/tenants").json()
        assert listed == {"tenants": ["default", "b", "c"], "limit": 2}
        assert Quiz(handle, a)("GET", f"{S}/1").status_code == 200  # a came back fresh


def test_a_bad_tenant_name_is_refused_in_the_vendors_shape(world):
    response = requests.get(world.api("quiz") + f"{S}/1", headers={"X-Sandbox-Tenant": "no spaces please"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["pointer"] == "/X-Sandbox-Tenant"
    assert requests.delete(world.origin + "/__admin/tenants/never-made").status_code == 404


# -- admin token --------------------------------------------------------------------------------


def test_the_admin_token_guards_every_admin_route_but_health():
    with SandboxServer(admin_token="s3cret") as open_handle:
        admin = open_handle.origin + "/__admin"
        assert requests.get(admin + "/health").status_code == 200
        denied = requests.get(admin + "/state")
        assert denied.status_code == 401 and denied.json()["error"]["title"] == "Unauthenticated"
        assert requests.get(admin + "/state", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert requests.post(admin + "/reset").status_code == 401
        assert requests.get(admin + "/state", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        from mockserver.testing import SandboxHandle

        with_token = SandboxHandle(open_handle.origin, admin_token="s3cret")
        assert with_token.credentials["quiz"]["token"]
        quiz = requests.get(open_handle.api("quiz") + f"{S}/1",
                            headers={"Authorization": f"Bearer {with_token.credentials['quiz']['token']}"})
        assert quiz.status_code == 200  # vendor APIs keep their own auth


# -- the pytest plugin, from an integrator's project --------------------------------------------

pytest_plugins = ["pytester"]


def test_the_pytest_plugin_gives_each_test_its_own_world(pytester):
    pytester.makepyfile(
        test_integration="""
        import requests

        def _create(sandbox_tenant):
            token = sandbox_tenant.credentials["quiz"]["token"]
            headers = {"Authorization": f"Bearer {token}", **sandbox_tenant.headers}
            body = {"data": {"type": "quiz/sessions", "attributes": {"person_id": 7}}}
            return requests.post(sandbox_tenant.api("quiz") + "/quiz/sessions", json=body, headers=headers)

        def test_first(sandbox_tenant):
            assert _create(sandbox_tenant).json()["data"]["id"] == "305"
            assert sandbox_tenant.count(method="POST", vendor="quiz") == 1

        def test_second_sees_none_of_the_first(sandbox_tenant):
            assert sandbox_tenant.count(method="POST") == 0
            assert _create(sandbox_tenant).json()["data"]["id"] == "305"

        def test_faults_and_clock(sandbox_tenant):
            sandbox_tenant.fault({"type": "error", "status": 503}, vendor="quiz", times=1)
            assert _create(sandbox_tenant).status_code == 503
            assert _create(sandbox_tenant).status_code == 201
            assert sandbox_tenant.advance_clock(60)["now"]
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=120)
    result.assert_outcomes(passed=3)
