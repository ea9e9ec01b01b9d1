"""The command line and spec bundling (broken specs fail startup naming the file)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mockserver import worldgen
from mockserver.app import compile_api
from mockserver.cli import main
from mockserver.package_data import data_dir
from mockserver.settings import Settings
from mockserver.specs import SpecError, bundle
from mockserver.store import unpack_world


def test_run_help_documents_every_flag_and_its_environment_variable():
    text = CliRunner().invoke(main, ["run", "--help"], terminal_width=200).output
    for flag, env in [("--host", "HOST"), ("--port", "PORT"), ("--seed", "SEED"), ("--scale", "SCALE"),
                      ("--data", "DATA"), ("--vendor", "VENDOR"), ("--no-auth", "NO_AUTH"),
                      ("--log-level", "LOG_LEVEL")]:
        assert flag in text and f"MOCKSERVER_{env}" in text
    assert "default: 42" in text and "small|medium|large" in text


def test_routes_lists_every_operation_and_where_its_code_lives():
    lines = CliRunner().invoke(main, ["routes"]).output.splitlines()
    rows = {tuple(line.split()[:4]): " ".join(line.split()[4:]) for line in lines}
    cancel = rows[("quiz", "PATCH", "/quiz/api/v3/quiz/sessions/{session_id}/cancel", "sessions_cancel")]
    assert cancel.startswith("vendors/quiz/handlers.py:") and cancel.endswith(" sessions_cancel")
    assert rows[("admin", "GET", "/__admin/health", "get_health")].startswith("admin/handlers.py:")
    assert len([r for r in rows if r[0] == "quiz"]) == 6
    # a generic operation names the generic action and, for a Synap type, its rule hooks
    generic = rows[("synap", "PATCH", "/synap/v3/portals/{id}", "portals_update")]
    assert generic.startswith("x-mock update -> vendors/synap/resources.py:") and "rules/portals.py" in generic
    assert rows[("skilljar", "GET", "/skilljar/v1/courses", "courses_list")].startswith("x-mock list -> ")
    # ... and, for a Skilljar operation whose x-mock runs a rule after the action, that rule
    slug = rows[("skilljar", "PUT", "/skilljar/v1/domains/{domain_name}/catalog-pages/{catalog_page_id}",
                 "domains_catalog_pages_update")]
    assert slug.startswith("x-mock update -> vendors/skilljar/resources.py:") and slug.endswith(" unique_slug")
    assert all(code for code in rows.values()), "every operation says where its code lives"
    hooks = rows[("synap", "POST", "/synap/v3/mobile-attempts", "mobile_attempts_create")]
    assert "rules/mobile.py:" in hooks and hooks.endswith(" Attempts")  # a hook object, by its class
    assert not [code for code in rows.values() if " object at 0x" in code]


def test_check_loads_every_spec():
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0 and "ok" in result.output


def test_seed_command_writes_a_data_file_the_server_loads(tmp_path):
    out = tmp_path / "world.json"
    assert CliRunner().invoke(main, ["seed", "--seed", "5", "--out", str(out)]).exit_code == 0
    from mockserver.sandbox import Sandbox
    from mockserver import vendors

    assert Sandbox(Settings(seed=5, data=out), vendors.selected()).store.dumps() == out.read_bytes()


def test_env_variables_configure_run(monkeypatch):
    monkeypatch.setenv("MOCKSERVER_SCALE", "gigantic")
    result = CliRunner().invoke(main, ["run"])
    assert result.exit_code != 0 and "gigantic" in result.output


@pytest.fixture
def spec_copy(tmp_path) -> Path:
    folder = tmp_path / "quiz"
    shutil.copytree(data_dir("openapi") / "quiz", folder)
    return folder


def test_a_path_defined_twice_fails_naming_both_files(spec_copy):
    (spec_copy / "again.yaml").write_text((spec_copy / "sessions.yaml").read_text())
    with pytest.raises(SpecError, match=r"path /quiz/sessions is already defined") as failure:
        bundle("quiz", folder=spec_copy)
    assert "again.yaml" in str(failure.value) and "sessions.yaml" in str(failure.value)


def test_an_operation_id_used_twice_fails_naming_the_file(spec_copy):
    (spec_copy / "zz_other.yaml").write_text(
        "paths:\n  /other:\n    get:\n      operationId: sessions_show\n      responses: {'200': {description: ok}}\n"
    )
    with pytest.raises(SpecError, match=r"zz_other\.yaml: operationId sessions_show is already used in .*sessions\.yaml"):
        bundle("quiz", folder=spec_copy)


def test_unparsable_yaml_fails_naming_the_file(spec_copy):
    (spec_copy / "broken.yaml").write_text("paths: [unclosed\n")
    with pytest.raises(SpecError, match=r"broken\.yaml: not valid YAML"):
        bundle("quiz", folder=spec_copy)


def test_a_spec_connexion_rejects_fails_naming_the_file(spec_copy):
    sessions = spec_copy / "sessions.yaml"
    sessions.write_text(sessions.read_text().replace('"204": {description: Deleted}', '"204": 12'))
    spec = bundle("quiz", folder=spec_copy)
    with pytest.raises(SpecError, match=r"sessions\.yaml: "):
        compile_api(spec, "/x", "mockserver.vendors.quiz.handlers", Settings())


def test_an_operation_without_a_handler_fails_naming_the_file(spec_copy):
    (spec_copy / "ghost.yaml").write_text(
        "paths:\n  /ghost:\n    get:\n      operationId: ghost_handler\n      responses: {'200': {description: ok}}\n"
    )
    spec = bundle("quiz", folder=spec_copy)
    with pytest.raises(SpecError, match=r"ghost\.yaml: operationId ghost_handler has no handler"):
        compile_api(spec, "/x", "mockserver.vendors.quiz.handlers", Settings())


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "mockserver", "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "mockserver" in out.stdout


def test_a_spec_that_passed_validation_is_remembered_and_a_broken_one_is_still_refused(tmp_path, monkeypatch):
    from connexion.spec import Specification

    from mockserver import specs

    monkeypatch.setenv("MOCKSERVER_CACHE_DIR", str(tmp_path))
    good = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    specs.checked(specs.Bundle("t", good, tmp_path))
    assert len(list((tmp_path / "validated").iterdir())) == 1
    specs._valid.clear()  # a new process: only the folder remembers
    calls = []
    monkeypatch.setattr(Specification, "from_dict", classmethod(lambda cls, spec: calls.append(spec)))
    specs.checked(specs.Bundle("t", good, tmp_path))
    assert calls == []  # remembered on disk: not validated again
    monkeypatch.undo()
    monkeypatch.setenv("MOCKSERVER_CACHE_DIR", str(tmp_path))
    broken = {**good, "paths": {"/x": {"get": {"responses": "not a mapping"}}}}
    with pytest.raises(SpecError):
        specs.checked(specs.Bundle("t", broken, tmp_path))
    assert len(list((tmp_path / "validated").iterdir())) == 1


def test_routes_piped_into_head_exits_quietly():
    proc = subprocess.Popen([sys.executable, "-m", "mockserver", "routes"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"canvas")
    proc.stdout.close()  # what `| head -1` does once it has its line
    assert proc.wait(timeout=120) == 0
    assert b"Traceback" not in proc.stderr.read()


def test_a_port_out_of_range_is_refused_before_anything_is_printed():
    out = subprocess.run([sys.executable, "-m", "mockserver", "run", "--port", "99999"], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2 and "99999" in out.stderr and "base URL" not in out.stdout


def test_a_port_in_use_is_reported_before_the_banner():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run([sys.executable, "-m", "mockserver", "run", "--port", str(port)], capture_output=True,
                             text=True, timeout=120)
    assert out.returncode == 1 and f"127.0.0.1:{port}" in out.stderr and "base URL" not in out.stdout


def test_a_spec_checked_while_a_server_starts_stops_it_naming_the_file(spec_copy, tmp_path):
    sessions = spec_copy / "sessions.yaml"
    sessions.write_text(sessions.read_text().replace('"204": {description: Deleted}', '"204": 12'))
    script = (
        "import time, sys; from pathlib import Path\n"
        "from mockserver.specs import bundle, checked\n"
        f"checked(bundle('quiz', folder=Path({str(spec_copy)!r})), background=True)\n"
        "time.sleep(60); sys.exit(0)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "MOCKSERVER_CACHE_DIR": str(tmp_path / "cache")})
    assert out.returncode == 1
    assert "sessions.yaml" in out.stderr and "Traceback" not in out.stderr


def test_check_seeds_the_world_it_is_given_into_the_start_up_cache(tmp_path):
    env = {**os.environ, "MOCKSERVER_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-m", "mockserver", "check", "--seed", "9"], capture_output=True,
                         text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    assert "seed 9, scale small cached" in out.stdout
    worlds = list((tmp_path / "cache" / "worlds").iterdir())
    assert len(worlds) == 1 and unpack_world(worlds[0].read_bytes()).meta["seed"] == 9


def test_a_world_is_seeded_in_a_child_process_byte_for_byte_as_in_this_one():
    from_child = worldgen.seed_world(5, "small", ["quiz", "skilljar"])
    assert from_child == worldgen.build(5, "small", ["quiz", "skilljar"])
    world = unpack_world(from_child)
    assert (world.meta["seed"], world.meta["scale"], world.meta["vendors"]) == (5, "small", ["quiz", "skilljar"])
    assert world.tables and all(name.startswith(("quiz_", "skilljar_")) for name in world.tables)


def test_a_child_that_cannot_seed_fails_with_its_last_line_of_error():
    with pytest.raises(worldgen.SeedingFailed) as failed:
        worldgen.seed_world(5, "small", ["quiz", "no-such-vendor"])
    message = str(failed.value)
    assert "\n" not in message
    assert message.startswith("seeding the world of seed 5, scale small failed: ")
    assert "unknown vendor 'no-such-vendor'" in message
